import { Duration } from 'cdk8s';
import { ErrorLocation, validatePrometheusDuration, validationError } from './validation';

/**
 * Time spans in public props are cdk8s `Duration`s; each is rendered in the
 * format of the program that reads it (Prometheus `5m`, Go `300s`, whole days
 * for the API server's log age) and refused where that program cannot express it.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The longest duration Go's time.Duration holds (2^63 - 1 ns), in whole milliseconds: about 292 years. */
const MAX_GO_DURATION_MS = 9_223_372_036_854;

/** The factory call that builds `ms` in the largest whole unit, for error messages: `Duration.minutes(5)`. */
export function durationFactory(ms: number): string {
  if (ms === 0) return 'Duration.seconds(0)';
  const units: Array<[string, number]> = [['days', DAY], ['hours', HOUR], ['minutes', MINUTE], ['seconds', SECOND]];
  const [name, size] = units.find(([, unitMs]) => ms % unitMs === 0) ?? ['millis', 1];
  return `Duration.${name}(${ms / size})`;
}

/** What to write instead of a string or number a caller passed where a Duration goes. */
function durationFix(value: unknown, example: string): string {
  if (typeof value === 'string') {
    try {
      return `pass a cdk8s Duration: ${durationFactory(validatePrometheusDuration('', '', value))}`;
    } catch {
      // Not a duration in any notation we read: the generic example below.
    }
  }
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    return `pass a cdk8s Duration, which states its unit: e.g. Duration.seconds(${value}) or Duration.minutes(${value})`;
  }
  return `pass a cdk8s Duration, e.g. ${example}`;
}

/**
 * A Duration's length in whole milliseconds; refuses what is not a Duration
 * (a string or number from JavaScript or a config file), fractions of a
 * millisecond and lengths beyond Go's 292 years (every program we configure
 * holds durations as Go does).
 * @param example a valid value for this field, for the messages
 */
export function durationMillis(where: ErrorLocation, field: string, value: unknown, example = 'Duration.minutes(5)'): number {
  // Duck-typed: a second copy of cdk8s (a user's app and ours) has its own Duration class.
  if (value === null || typeof value !== 'object' || typeof (value as Duration).toMilliseconds !== 'function') {
    throw validationError(where, `${field} is not a Duration`, value, durationFix(value, example));
  }
  const ms = (value as Duration).toMilliseconds({ integral: false });
  if (!Number.isFinite(ms) || ms > MAX_GO_DURATION_MS) {
    throw validationError(where, `${field} is out of range`, (value as Duration).toHumanString(),
      'use at most 292 years: the programs configured here hold durations in nanoseconds as a 64-bit integer');
  }
  if (!Number.isInteger(ms)) {
    throw validationError(where, `${field} is not a whole number of milliseconds`, `${ms}ms`,
      `durations are counted in whole milliseconds here: use e.g. ${durationFactory(Math.max(1, Math.round(ms)))}`);
  }
  return ms;
}

function renderUnits(ms: number, units: ReadonlyArray<readonly [string, number, boolean]>): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const [unit, size, onlyExact] of units) {
    if (onlyExact && rest % size !== 0) continue;
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      text += `${amount}${unit}`;
      rest -= amount * size;
    }
  }
  return text;
}

/**
 * Prometheus' duration notation, which Alertmanager reads too: largest units
 * first (`1h30m`, `90s`, `500ms`, `2d`); years and weeks only when exact, so
 * that 90 days read `90d` rather than `12w6d`.
 */
const PROMETHEUS_UNITS: ReadonlyArray<readonly [string, number, boolean]> = [
  ['y', 365 * DAY, true], ['w', 7 * DAY, true], ['d', DAY, false], ['h', HOUR, false], ['m', MINUTE, false], ['s', SECOND, false], ['ms', 1, false],
];

/** A Duration in Prometheus' notation (rule `for`, group `interval`, Alertmanager timings). */
export function prometheusDuration(where: ErrorLocation, field: string, value: unknown, example?: string): string {
  return renderUnits(durationMillis(where, field, value, example), PROMETHEUS_UNITS);
}

/** Go's `time.ParseDuration` has no unit above the hour. */
const GO_UNITS: ReadonlyArray<readonly [string, number, boolean]> = [['h', HOUR, false], ['m', MINUTE, false], ['s', SECOND, false], ['ms', 1, false]];

/**
 * A Duration in Go's `time.ParseDuration` notation (`168h`, `1h30m`, `90s`),
 * for programs that read it so (falcoctl, Flux, Kuberhealthy).
 * @param wholeSeconds whether the program counts whole seconds only
 */
export function goDuration(where: ErrorLocation, field: string, value: unknown, example?: string, wholeSeconds = false): string {
  const ms = durationMillis(where, field, value, example);
  if (wholeSeconds && ms % SECOND !== 0) {
    throw validationError(where, `${field} is not a whole number of seconds`, `${ms}ms`,
      `it is read in whole seconds: use e.g. ${durationFactory(Math.max(SECOND, Math.round(ms / SECOND) * SECOND))}`);
  }
  return renderUnits(ms, GO_UNITS);
}

/**
 * A Duration as one number and the largest unit that divides it (`90m`,
 * `2h`, `30s`), for programs that read a single unit: Grafana's dashboard
 * `refresh` reads `1h30m` as one hour. At least one second.
 */
export function singleUnitDuration(where: ErrorLocation, field: string, value: unknown, example?: string): string {
  const ms = durationMillis(where, field, value, example);
  const unit = ([['d', DAY], ['h', HOUR], ['m', MINUTE], ['s', SECOND]] as const).find(([, size]) => ms % size === 0);
  if (ms === 0 || unit === undefined) {
    throw validationError(where, `${field} is not a whole number of seconds above zero`, `${ms}ms`, `use e.g. ${example ?? 'Duration.seconds(30)'}`);
  }
  return `${ms / unit[1]}${unit[0]}`;
}

/**
 * A `Duration` as the whole number of seconds a program reads (Talon's
 * `grace_period_seconds`, tcpdump's `timeout <n>s`), within the bounds the
 * program accepts. A sub-second part would be dropped silently, so it is an
 * error, as is anything that is not a `Duration` (a number or a string
 * from an untyped caller).
 * @param example a valid value for the fix, e.g. "Duration.seconds(10)"
 */
export function validateWholeSeconds(where: ErrorLocation, field: string, value: unknown, min: number, max: number, example: string): number {
  const ms = durationMillis(where, field, value, example);
  const bounds = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
  if (!Number.isInteger(ms / 1000) || ms < min * 1000 || ms > max * 1000) {
    throw validationError(where, `${field} must be a whole number of seconds, ${bounds}`, `${ms}ms`, `use e.g. ${example}`);
  }
  return ms / 1000;
}
