import { Testing } from 'cdk8s';
import { Errors, SecurityMonitoringStack } from '../../src';
import { ValidationError } from '../../src/common/validation';

describe('Errors.isValidationError', () => {
  test('recognizes what a construct throws for invalid input, with the standard message', () => {
    const chart = Testing.chart();
    let caught: unknown;
    try {
      new SecurityMonitoringStack(chart, 'security', { namespace: 'Security_Monitoring' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(Errors.isValidationError(caught)).toBe(true);
    expect((caught as Error).name).toBe('ValidationError');
    expect((caught as Error).message).toMatch(/^test\/security: .*\(got "Security_Monitoring"\): /);
  });

  test('recognizes an error thrown by another copy of the library (same brand, different class)', () => {
    // A second installed version has its own ValidationError class; the brand is global.
    const foreign = new Error('x');
    Object.defineProperty(foreign, Symbol.for('cdk8s-security-monitoring.ValidationError'), { value: true });
    expect(Errors.isValidationError(foreign)).toBe(true);
    expect(Errors.isValidationError(new ValidationError('a', 'b', 1, 'c'))).toBe(true);
  });

  test('is false for any other error or value, so a catch block can rethrow them', () => {
    for (const other of [new Error('boom'), new TypeError('x'), Object.assign(new Error('x'), { name: 'ValidationError' }),
      'ValidationError', undefined, null, 42, {}]) {
      expect(Errors.isValidationError(other)).toBe(false);
    }
  });
});
