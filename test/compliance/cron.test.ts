import * as fc from 'fast-check';
import { validateCronSchedule } from '../../src/common/cron';
import { ValidationError } from '../../src/common/validation';

const RANGES: Array<[number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

/** A valid field: `*`, a value, a range, each optionally stepped, in a list. */
const field = ([min, max]: [number, number]) => fc.array(fc.oneof(
  fc.constant('*'),
  fc.integer({ min, max }).map(String),
  fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
).chain((term) => fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }).map((step) => (step ? `${term}/${step}` : term))),
{ minLength: 1, maxLength: 3 }).map((terms) => terms.join(','));

describe('validateCronSchedule', () => {
  test('accepts every well-formed five-field schedule', () => {
    fc.assert(fc.property(fc.tuple(...RANGES.map(field)), (fields) => {
      const schedule = fields.join(' ');
      expect(validateCronSchedule('test', 'schedule', schedule)).toBe(schedule);
    }));
  });

  test('arbitrary input either passes or fails with a ValidationError, never a crash', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.anything()), (input) => {
      try {
        validateCronSchedule('test', 'schedule', input);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
      }
    }));
  });

  test.each(['60 * * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', '5-1 * * * *', '*/0 * * * *', 'MON * * * *', '@every 5m'])('rejects %s', (schedule) => {
    expect(() => validateCronSchedule('test', 'schedule', schedule)).toThrow(ValidationError);
  });
});
