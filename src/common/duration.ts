import { Duration } from 'cdk8s';
import { ErrorLocation, validationError } from './validation';

/**
 * A `Duration` as the whole number of seconds a program reads (Talon's
 * `grace_period_seconds`, tcpdump's `timeout <n>s`), within the bounds the
 * program accepts. A sub-second part would be dropped silently, so it is an
 * error, as is anything that is not a `Duration` (a number or a string
 * from an untyped caller).
 * @param example a valid value for the fix, e.g. "Duration.seconds(10)"
 */
export function validateWholeSeconds(where: ErrorLocation, field: string, value: unknown, min: number, max: number, example: string): number {
  if (value === null || typeof value !== 'object' || typeof (value as Duration).toMilliseconds !== 'function') {
    throw validationError(where, `${field} must be a Duration`, value, `use e.g. ${example}`);
  }
  const ms = (value as Duration).toMilliseconds({ integral: false });
  const bounds = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
  if (!Number.isInteger(ms / 1000) || ms < min * 1000 || ms > max * 1000) {
    throw validationError(where, `${field} must be a whole number of seconds, ${bounds}`, `${ms}ms`, `use e.g. ${example}`);
  }
  return ms / 1000;
}
