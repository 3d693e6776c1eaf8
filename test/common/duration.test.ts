import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { durationFactory, goDuration, prometheusDuration } from '../../src/common/duration';
import { validatePrometheusDuration } from '../../src/common/validation';

describe('prometheusDuration', () => {
  test.each<[Duration, string]>([
    [Duration.minutes(5), '5m'],
    [Duration.seconds(30), '30s'],
    [Duration.minutes(90), '1h30m'],
    [Duration.millis(1500), '1s500ms'],
    [Duration.seconds(0), '0s'],
    [Duration.days(7), '1w'],
    [Duration.days(14), '2w'],
    // Weeks and years only when exact: 90 days read 90d, not 12w6d.
    [Duration.days(90), '90d'],
    [Duration.days(365), '1y'],
    [Duration.hours(168), '1w'],
    [Duration.hours(26), '1d2h'],
  ])('%s is %s, as Prometheus writes it', (duration, text) => {
    expect(prometheusDuration('here', 'for', duration)).toBe(text);
  });

  test('renders what Prometheus reads back as the same length (any whole number of milliseconds up to 292 years)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9_223_372_036_854 }), (ms) => {
      expect(validatePrometheusDuration('here', 'for', prometheusDuration('here', 'for', Duration.millis(ms)))).toBe(ms);
    }), { numRuns: 2000 });
  });

  test.each<[unknown, string]>([
    ['5m', 'here: for is not a Duration (got "5m"): pass a cdk8s Duration: Duration.minutes(5)'],
    ['1h30m', 'here: for is not a Duration (got "1h30m"): pass a cdk8s Duration: Duration.minutes(90)'],
    ['soon', 'here: for is not a Duration (got "soon"): pass a cdk8s Duration, e.g. Duration.minutes(5)'],
    [300, 'here: for is not a Duration (got 300): pass a cdk8s Duration, which states its unit: e.g. Duration.seconds(300) or Duration.minutes(300)'],
    [{ amount: 5, unit: 'minutes' }, 'here: for is not a Duration (got {"amount":5,"unit":"minutes"}): pass a cdk8s Duration, e.g. Duration.minutes(5)'],
    // Prometheus holds durations in whole milliseconds: a fraction would silently be cut off.
    [Duration.millis(0.5), 'here: for is not a whole number of milliseconds (got "0.5ms"): durations are counted in whole milliseconds here: use e.g. Duration.millis(1)'],
    [Duration.seconds(1.0005), 'here: for is not a whole number of milliseconds (got "1000.5ms")'],
    [Duration.days(107_000), 'here: for is out of range (got "107000 days"): use at most 292 years'],
    [Duration.millis(NaN), 'here: for is out of range'],
  ])('refuses %j', (value, message) => {
    expect(() => prometheusDuration('here', 'for', value)).toThrow(message);
  });
});

describe('goDuration', () => {
  test.each<[Duration, string]>([
    [Duration.hours(168), '168h'],
    [Duration.days(7), '168h'],
    [Duration.minutes(90), '1h30m'],
    [Duration.seconds(300), '5m'],
    [Duration.millis(1500), '1s500ms'],
    [Duration.seconds(0), '0s'],
  ])('%s is %s: Go has no unit above the hour', (duration, text) => {
    expect(goDuration('here', 'interval', duration)).toBe(text);
  });

  test('refuses a fraction of a second where the program counts whole seconds', () => {
    expect(() => goDuration('here', 'timeout', Duration.millis(1500), undefined, true))
      .toThrow('here: timeout is not a whole number of seconds (got "1500ms"): it is read in whole seconds: use e.g. Duration.seconds(2)');
  });
});

test('durationFactory names the largest whole unit', () => {
  expect([0, 500, 1000, 90_000, 3_600_000, 86_400_000 * 3].map(durationFactory))
    .toEqual(['Duration.seconds(0)', 'Duration.millis(500)', 'Duration.seconds(1)', 'Duration.seconds(90)', 'Duration.hours(1)', 'Duration.days(3)']);
});
