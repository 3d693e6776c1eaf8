import { Construct } from 'constructs';
import { findCredential } from './credentials';
import { ErrorLocation, validationError } from './validation';

/**
 * The arguments of every public constructor, static factory and method pass
 * through here first, because jsii languages do not pass them the way
 * TypeScript does: Python's `None` and Java's and C#'s `null` arrive as `null`
 * where TypeScript leaves an optional argument or prop out, and nothing stops
 * them from leaving out a required one. So:
 *
 * - a missing required argument (null or undefined) is an error in the
 *   library's style, not a `Cannot read properties of null` further in;
 * - an optional null, at the top or in a nested props object, means the same
 *   as leaving it out (null props are dropped, so defaults apply);
 * - no string anywhere in the arguments may hold a credential (see
 *   `findCredential`): it would be rendered into a manifest or an error.
 */
export interface ArgumentOptions {
  /**
   * The fields of a props object that have a Secret-based alternative, e.g.
   * `{ url: 'urlSecret' }`, for the error about a credential typed into one.
   */
  readonly secretAlternatives?: Readonly<Record<string, string>>;
  /**
   * Props of a props object that must be set, for those that no later check
   * would otherwise catch (the walk over the jsii assembly finds them).
   */
  readonly requiredProps?: readonly string[];
}

/**
 * A required argument: throws `<where>: <name> is missing (got null): pass <example>`
 * for null or undefined; otherwise returns it with nested nulls dropped.
 * @param example what to pass, e.g. '{ host, tokenSecret }'
 */
export function requiredArgument<T>(
  where: ErrorLocation, name: string, value: T | null | undefined, example: string, options: ArgumentOptions = {},
): T {
  if (value === undefined || value === null) {
    throw validationError(where, `${name} is missing`, value, `pass ${example}`);
  }
  const cleaned = cleanArgument(where, name, value, options);
  for (const prop of options.requiredProps ?? []) {
    const propValue = (cleaned as Record<string, unknown>)[prop];
    if (propValue === undefined) throw validationError(where, `${name}.${prop} is missing`, (value as Record<string, unknown>)[prop], `pass ${example}`);
  }
  return cleaned;
}

/** An optional argument: null is undefined; otherwise returned with nested nulls dropped. */
export function optionalArgument<T>(where: ErrorLocation, name: string, value: T | null | undefined, options: ArgumentOptions = {}): T | undefined {
  if (value === undefined || value === null) return undefined;
  return cleanArgument(where, name, value, options);
}

/**
 * The scope and id of a construct, checked before `super(scope, id)` (the
 * constructs library would otherwise make a null scope a root construct).
 * @returns the scope
 */
export function constructScope(type: string, scope: Construct, id: string): Construct {
  if (scope === undefined || scope === null) {
    throw validationError(type, 'scope is missing', scope, 'pass the construct to add it to, e.g. a Chart');
  }
  if (typeof id !== 'string' || id === '') {
    throw validationError(`${type} in ${scope.node.path || '<root>'}`, 'id is missing', id,
      'pass a non-empty id, unique among the children of scope (it names the objects)');
  }
  // The id is part of the construct path, which errors quote and cdk8s names objects after.
  checkString(`${type} in ${scope.node.path || '<root>'}`, 'id', id, undefined);
  return scope;
}

function cleanArgument<T>(where: ErrorLocation, name: string, value: T, options: ArgumentOptions): T {
  // Top-level strings are named by the argument; fields of a props object by their path in it.
  return typeof value === 'string'
    ? checkString(where, name, value, options.secretAlternatives?.[name]) as T
    : clean(where, undefined, value, options) as T;
}

/** Drops null props from plain objects, recursively; copies only what changes. */
function clean(where: ErrorLocation, path: string | undefined, value: unknown, options: ArgumentOptions): unknown {
  if (typeof value === 'string') {
    return path === undefined ? value : checkString(where, path, value, options.secretAlternatives?.[leafOf(path)]);
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const cleaned = clean(where, `${path ?? ''}[${i}]`, item, options);
      if (cleaned !== item) (copy ??= [...value])[i] = cleaned;
    });
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    // Keys are strings the manifests hold too (labels, annotations, details).
    checkString(where, path === undefined ? 'a key' : `a key of ${path}`, key, undefined);
    if (item === null) {
      copy ??= { ...value };
      delete copy[key];
      continue;
    }
    const cleaned = clean(where, path === undefined ? key : `${path}.${key}`, item, options);
    if (cleaned !== item) (copy ??= { ...value })[key] = cleaned;
  }
  return copy ?? value;
}

function checkString(where: ErrorLocation, field: string, value: string, alternative: string | undefined): string {
  const credential = findCredential(value);
  if (credential) {
    const fix = alternative
      ? `pass ${alternative}: { secretName, key } of a Secret that holds the value instead`
      : 'keep credentials in a Secret and pass { secretName, key } to an option that takes a SecretKeyReference';
    throw validationError(where, `${field} contains ${credential.kind}, which would be written into the manifests`,
      credential.excerpt, fix);
  }
  return value;
}

function leafOf(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/** Props objects as users write them (object literals, JSON), not objects the library built. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
