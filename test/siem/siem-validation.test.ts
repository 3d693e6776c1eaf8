import * as fc from 'fast-check';
import { ValidationError } from '../../src/common/validation';
import {
  validateHost, validateIndexDateFormat, validateIndexPrefix, validateLogPath, validateLogType, validateSplunkIndex, validateUnitSize,
} from '../../src/siem/siem-validation';

const validators = {
  validateHost, validateIndexDateFormat, validateIndexPrefix, validateLogPath, validateLogType, validateSplunkIndex, validateUnitSize,
};

describe('SIEM validators', () => {
  test.each(Object.entries(validators))('%s returns its input or throws a ValidationError, for any input', (_name, validate) => {
    fc.assert(fc.property(fc.anything(), (value) => {
      try {
        expect(validate('here', 'field', value)).toBe(value);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as Error).message).toMatch(/^here: field .* \(got .*\): .+/s);
      }
    }));
  });

  test.each([['5M'], ['512K'], ['1G'], ['10MB'], ['2gb']])('accepts the unit size %s', (size) => {
    expect(validateUnitSize('here', 'f', size)).toBe(size);
  });

  test.each([['0M'], ['5'], ['1.5G'], ['5 M'], ['5T']])('rejects the unit size %s', (size) => {
    expect(() => validateUnitSize('here', 'f', size)).toThrow(ValidationError);
  });

  test.each([['%Y.%m.%d'], ['%Y-%m'], ['%G.%V'], ['%Y_%j']])('accepts the date format %s', (format) => {
    expect(validateIndexDateFormat('here', 'f', format)).toBe(format);
  });

  test.each([['%Y.%b'], ['%A'], ['daily'], [''], ['%Y/%m']])('rejects the date format %s', (format) => {
    expect(() => validateIndexDateFormat('here', 'f', format)).toThrow(ValidationError);
  });

  test('paths must stay below /var/log', () => {
    expect(validateLogPath('here', 'f', '/var/log/audit/*.log')).toBe('/var/log/audit/*.log');
    for (const bad of ['/var/log', '/var/logs/x', 'var/log/x', '/var/log/a,b', '/var/log/../etc/passwd']) {
      expect(() => validateLogPath('here', 'f', bad)).toThrow(ValidationError);
    }
  });
});
