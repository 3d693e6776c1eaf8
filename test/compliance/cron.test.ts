import * as fc from 'fast-check';
import { validateCronSchedule } from '../../src/common/cron';
import { ValidationError } from '../../src/common/validation';

// Days of the month up to 28, which every month has: later days may fall in no selected month (tested below).
const RANGES: Array<[number, number]> = [[0, 59], [0, 23], [1, 28], [1, 12], [0, 6]];

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

  test.each(['60 * * * *', '* * 0 * *', '* * * 13 *', '* * * * 7', '* * * * 0-7', '* * * * 8', '5-1 * * * *', '*/0 * * * *', 'MON * * * *', '@every', '@every 5', '@every 5 m', '@every -5m', '@every 5d', '@every 0s', '@every 0'])('rejects %s', (schedule) => {
    expect(() => validateCronSchedule('test', 'schedule', schedule)).toThrow(ValidationError);
  });

  test.each(['@every 5m', '@every 6h', '@every 1h30m', '@every 1.5h', '@every 90s', '@every .5h'])('%s is accepted, as robfig/cron (Go durations) accepts it', (schedule) => {
    expect(validateCronSchedule('test', 'schedule', schedule)).toBe(schedule);
  });

  test('a malformed @every says how to write it', () => {
    expect(() => validateCronSchedule('test', 'schedule', '@every 2 days')).toThrow('test: schedule has an invalid @every duration (got "@every 2 days"): '
      + 'write "@every" and a positive Go duration, e.g. "@every 6h" or "@every 1h30m"');
  });

  test('day of week 7 is refused as the CronJob controller refuses it, naming Sunday as 0', () => {
    expect(() => validateCronSchedule('test', 'schedule', '0 3 * * 7')).toThrow('test: schedule has an invalid day of week "7" (Sunday is 0: Kubernetes refuses 7) (got "0 3 * * 7"): '
      + 'use values from 0 to 6; use five fields "minute hour day-of-month month day-of-week", e.g. "0 3 * * *", or a macro such as "@daily"');
  });

  test.each(['0 0 30 2 *', '0 0 31 4,6,9,11 *', '0 0 30-31 2 *'])('%s never runs: an error', (schedule) => {
    expect(() => validateCronSchedule('test', 'schedule', schedule)).toThrow(`test: schedule never runs: no selected month has the selected days of the month (got "${schedule}"): `
      + 'pick days that the months have (February has at most 29, April, June, September and November 30); use five fields "minute hour day-of-month month day-of-week", e.g. "0 3 * * *", or a macro such as "@daily"');
  });

  test.each(['0 0 29 2 *', '0 0 31 * *', '0 0 31 1-2 *', '0 0 30 2 1', '0 0 */10 2 *', '0 0 25/3 4 *'])('%s runs (in some month or on a weekday)', (schedule) => {
    expect(validateCronSchedule('test', 'schedule', schedule)).toBe(schedule);
  });
});
