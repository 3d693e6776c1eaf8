/**
 * How a cluster's overrides apply to the fleet's base definition, and how the
 * difference is described.
 *
 * Plain objects (`falco: {...}`, `siem: {...}`) merge key by key, to any
 * depth; everything else replaces: lists (a list of destinations is one
 * choice, not items to add) and the library's objects (`FalcoDriver.kmod()`,
 * `SiemDestination.splunkHec(...)`). A key set to `undefined` removes the
 * base's value (a component the cluster does without).
 */

import { Duration } from 'cdk8s';
import { durationFactory } from '../../common/duration';

type Props = Record<string, unknown>;

function isDuration(value: unknown): value is Duration {
  return value !== null && typeof value === 'object' && typeof (value as Duration).toMilliseconds === 'function';
}

/** An object literal, as opposed to a list or an instance of a class. */
function isPlainObject(value: unknown): value is Props {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The base with the overrides applied (neither is changed). */
export function applyOverrides<T extends object>(base: T, overrides: T): T {
  const merged: Props = { ...(base as Props) };
  for (const [key, value] of Object.entries(overrides as Props)) {
    if (value === undefined) {
      delete merged[key];
    } else if (isPlainObject(value) && isPlainObject(merged[key])) {
      merged[key] = applyOverrides(merged[key] as Props, value);
    } else {
      merged[key] = value;
    }
  }
  return merged as T;
}

/** One difference between a cluster's definition and the base. */
export interface OverrideChange {
  /** Dotted path of the prop, e.g. `falco.driver`. */
  readonly path: string;
  /** The value in the base, as text; undefined when the base does not set it. */
  readonly base?: string;
  /** The cluster's value, as text; undefined when the cluster removes it. */
  readonly value?: string;
}

/** The leaves the overrides set, with the base's value and the cluster's, in the order written. */
export function describeOverrides(base: object, overrides: object, prefix = ''): OverrideChange[] {
  return Object.entries(overrides).flatMap(([key, value]): OverrideChange[] => {
    const path = `${prefix}${key}`;
    const before = (base as Props)[key];
    if (isPlainObject(value) && isPlainObject(before)) return describeOverrides(before, value, `${path}.`);
    if (isPlainObject(value) && before === undefined) return describeOverrides({}, value, `${path}.`);
    return [{ path, base: before === undefined ? undefined : describeValue(before), value: value === undefined ? undefined : describeValue(value) }];
  }).filter((change) => change.base !== change.value);
}

/**
 * A value as one line of text for the summary: JSON for data, a Duration as
 * its factory call (`Duration.minutes(15)`), the class name
 * and its data fields for the library's objects (which hold names, options
 * and Secret references, never a credential). Functions and constructs are
 * left out; nesting stops at a few levels.
 */
export function describeValue(value: unknown, depth = 0): string {
  if (value === undefined) return 'unset';
  if (depth > 6) return '...';
  if (Array.isArray(value)) return `[${value.map((v) => describeValue(v, depth + 1)).join(', ')}]`;
  // A Duration as written in code: its fields (amount and unit object) say less.
  if (isDuration(value)) return durationFactory(value.toMilliseconds({ integral: false }));
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([key, v]) => !key.startsWith('_') && v !== undefined && typeof v !== 'function' && !(typeof v === 'object' && v !== null && 'node' in v))
      .map(([key, v]) => `${key}: ${describeValue(v, depth + 1)}`);
    if (isPlainObject(value)) return `{ ${fields.join(', ')} }`;
    return `${value.constructor?.name ?? 'object'}${fields.length > 0 ? `(${fields.join(', ')})` : ''}`;
  }
  return JSON.stringify(value) ?? String(value);
}
