import { asciiLower, globMatches, pathPrefixMatches, POSIX_CLASSES } from './glob';
import { IpAddress, IpNetwork, TypedValue } from './typed-values';

/**
 * libsinsp's comparison of one extracted value with the constants of a check
 * (libs `userspace/libsinsp/filter_compare.cpp` flt_compare and
 * `sinsp_filtercheck.cpp` compare_rhs / compare_rhs_with_mod).
 */

/** A comparison operator and its optional modifier (`= oneof`). */
export interface Comparator {
  readonly op: string;
  readonly modifier?: 'oneof' | 'anyof' | 'allof';
}

/** Compiled RE2 patterns, as JavaScript RegExps (see regexFor). */
const regexes = new Map<string, RegExp>();

/**
 * libsinsp compiles `regex` with RE2's POSIX syntax (whose checker,
 * re2-syntax.ts, has already refused what RE2 refuses) and matches it
 * against the whole value (ANCHOR_BOTH). In POSIX mode without one_line,
 * `^` and `$` also match at line breaks: JavaScript's `m` flag.
 */
function regexFor(pattern: string): RegExp {
  let regex = regexes.get(pattern);
  if (!regex) {
    const body = pattern.replace(/\[:(\^?)([a-z]+):\]/g, (_, negate: string, name: string) => posixClass(name, negate === '^'));
    regex = new RegExp(`^(?:${body})$`, 'm');
    regexes.set(pattern, regex);
  }
  return regex;
}

/** RE2 knows two classes more than fnmatch. */
const RE2_CLASSES: Readonly<Record<string, string>> = { ...POSIX_CLASSES, ascii: '\\x00-\\x7f', word: 'A-Za-z0-9_' };

function posixClass(name: string, negate: boolean): string {
  // Inside a bracket already: RE2 allows negated classes only as [[:^alpha:]], which JavaScript cannot nest; approximate by the range.
  return negate ? `^${RE2_CLASSES[name]}` : RE2_CLASSES[name];
}

function isAddress(v: TypedValue): v is IpAddress {
  return typeof v === 'object' && !Buffer.isBuffer(v) && v.kind === 'ip';
}

function isNetwork(v: TypedValue): v is IpNetwork {
  return typeof v === 'object' && !Buffer.isBuffer(v) && v.kind === 'net';
}

function inNetwork(address: IpAddress, network: IpNetwork): boolean {
  for (let k = 0; k * 8 < network.prefix; k++) {
    // The leading `bits` bits of byte k, compared as the byte divided by 2^(8 - bits).
    const scale = 2 ** (8 - Math.min(8, network.prefix - k * 8));
    if (Math.floor(address.bytes[k] / scale) !== Math.floor(network.bytes[k] / scale)) return false;
  }
  return true;
}

/** strcmp on the UTF-8 bytes. */
function compareBytes(a: string | Buffer, b: string | Buffer): number {
  return Buffer.compare(Buffer.isBuffer(a) ? a : Buffer.from(a, 'utf8'), Buffer.isBuffer(b) ? b : Buffer.from(b, 'utf8'));
}

/** Equality as the hash-set lookup of `in` and `intersects` sees it (memcmp of the parsed values). */
export function sameValue(a: TypedValue, b: TypedValue): boolean {
  if (isNetwork(b)) return isAddress(a) && a.bytes.length === b.bytes.length && inNetwork(a, b);
  if (isAddress(a) && isAddress(b)) return a.bytes.equals(b.bytes);
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return compareBytes(a as Buffer, b as Buffer) === 0;
  return a === b;
}

/** flt_compare: one operator, one extracted value, one constant. */
export function compareOne(op: string, left: TypedValue, right: TypedValue): boolean {
  if (op === 'exists') return true;
  if (isAddress(left)) {
    // An address of the other family never equals, and always differs (flt_compare PT_IPADDR).
    const sameFamily = (isAddress(right) || isNetwork(right)) && right.bytes.length === left.bytes.length;
    if (!sameFamily) return op === '!=';
    const equal = isNetwork(right) ? inNetwork(left, right) : left.bytes.equals(right.bytes);
    return op === '!=' ? !equal : equal;
  }
  if (typeof left === 'string' || Buffer.isBuffer(left)) return compareText(op, left, right as string | Buffer);
  if (op === '=' || op === '==' || op === 'in' || op === 'intersects') return left === right;
  if (op === '!=') return left !== right;
  const [a, b] = [left as number | bigint, right as number | bigint];
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    default: return false;
  }
}

function compareText(op: string, left: string | Buffer, right: string | Buffer): boolean {
  const l = Buffer.isBuffer(left) ? left : undefined;
  const r = Buffer.isBuffer(right) ? right : Buffer.from(right, 'utf8');
  const leftText = l ? l.toString('latin1') : left as string;
  const rightText = l ? r.toString('latin1') : right as string;
  switch (op) {
    case '=': case '==': case 'in': case 'intersects': return compareBytes(left, right) === 0;
    case '!=': return compareBytes(left, right) !== 0;
    case 'contains': case 'bcontains': return leftText.includes(rightText);
    case 'icontains': return asciiLower(leftText).includes(asciiLower(rightText));
    case 'startswith': case 'bstartswith': return leftText.startsWith(rightText);
    case 'endswith': return leftText.endsWith(rightText);
    case 'glob': return globMatches(rightText, leftText);
    case 'iglob': return globMatches(rightText, leftText, true);
    case 'regex': return regexFor(rightText).test(leftText);
    case '<': return compareBytes(left, right) < 0;
    case '<=': return compareBytes(left, right) <= 0;
    case '>': return compareBytes(left, right) > 0;
    case '>=': return compareBytes(left, right) >= 0;
    default: return false;
  }
}

/**
 * compare_rhs for a single extracted value: `in`/`intersects` look the value
 * up among the constants, `pmatch` searches path prefixes, a modifier counts
 * the constants that match; other operators compare with the first constant.
 */
export function compareValue(cmp: Comparator, left: TypedValue, constants: readonly TypedValue[]): boolean {
  const { op, modifier } = cmp;
  if (op === 'exists') return true;
  if (op === 'in' || op === 'intersects') return constants.some((c) => sameValue(left, c));
  if (op === 'pmatch') return typeof left === 'string' && pathPrefixMatches(constants as string[], left);
  if (modifier) {
    if (constants.length === 0) return false;
    const matches = constants.filter((c) => compareOne(op, left, c)).length;
    if (modifier === 'oneof') return matches === 1;
    if (modifier === 'anyof') return matches > 0;
    return matches === constants.length;
  }
  return constants.length > 0 && compareOne(op, left, constants[0]);
}

/**
 * compare_rhs for a list field (`fd.types`, `ka.req.pod.containers.image`):
 * `in` holds when every value is among the constants (so an empty list is
 * `in` anything), `intersects` when one is; `exists` always.
 */
export function compareList(op: string, values: readonly TypedValue[], constants: readonly TypedValue[]): boolean {
  if (op === 'exists') return true;
  if (op === 'in') return values.every((v) => constants.some((c) => sameValue(v, c)));
  if (op === 'intersects') return values.some((v) => constants.some((c) => sameValue(v, c)));
  return false;
}
