import { IConstruct } from 'constructs';
import { redactCredentials } from './credentials';

/**
 * The one error style of this library:
 * `<where>: <what> (got <value>): <how to fix>`.
 *
 * `where` is a construct (its path is quoted, e.g. `chart/stack`) or a plain
 * description such as `FalcoRule "Shell in container"`.
 */
export type ErrorLocation = IConstruct | string;

/**
 * Marks our errors across copies of the library: two versions installed side
 * by side (a user's app and a dependency of it) each have their own class, so
 * `instanceof` alone would miss the other copy's errors.
 */
const VALIDATION_ERROR_BRAND = Symbol.for('cdk8s-security-monitoring.ValidationError');

/**
 * Thrown for every invalid input the library detects at synth time.
 *
 * jsii cannot export a subclass of `Error`, so the public way to recognize
 * one is `Errors.isValidationError(e)`.
 */
export class ValidationError extends Error {
  constructor(
    public readonly where: string,
    public readonly what: string,
    public readonly value: unknown,
    public readonly fix: string,
  ) {
    super(validationMessage(where, what, value, fix));
    this.name = 'ValidationError';
    Object.defineProperty(this, VALIDATION_ERROR_BRAND, { value: true });
  }
}

/**
 * Recognizes the errors this library throws.
 *
 * Every invalid input the library detects while constructs are created (a
 * bad name, an option that does not exist, a Falco condition or PromQL
 * expression that does not parse) is thrown as a validation error whose
 * message reads `<construct path>: <what is wrong> (got <value>): <how to fix>`.
 *
 * @example
 * try {
 *   new SecurityMonitoringStack(chart, 'security', props);
 * } catch (e) {
 *   if (!Errors.isValidationError(e)) throw e;
 *   console.error(`invalid configuration: ${e.message}`);
 * }
 */
export class Errors {
  /**
   * Whether `x` is an error this library threw for invalid input (from this
   * copy of the library or any other version of it).
   *
   * Problems found only when the whole app is synthesized (cross-construct
   * checks registered with `node.addValidation`) are reported by cdk8s itself,
   * in one error that lists every message; those are not validation errors.
   */
  public static isValidationError(x?: any): boolean {
    return x !== null && typeof x === 'object' && (x as any)[VALIDATION_ERROR_BRAND] === true;
  }

  private constructor() {}
}

/**
 * The standard message without an error around it, for problems that are
 * reported rather than thrown (diagnostics, warnings): constructing an Error
 * captures a stack trace, which costs more than the check itself.
 */
export function validationMessage(where: ErrorLocation, what: string, value: unknown, fix: string): string {
  return `${describeLocation(where)}: ${what} (got ${formatValue(value)}): ${fix}`;
}

/**
 * Renders a received value for an error message: strings quoted, objects as
 * JSON, with any credential in them masked (errors end up in CI logs).
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function' || typeof value === 'symbol') return `a ${typeof value}`;
  try {
    const json = JSON.stringify(value);
    return json === undefined ? Object.prototype.toString.call(value) : redactCredentials(json);
  } catch {
    // Circular structures and throwing toJSON(): still say what kind of value it was.
    return Object.prototype.toString.call(value);
  }
}

export function describeLocation(where: ErrorLocation): string {
  if (typeof where === 'string') return where;
  return where.node.path || where.node.id || '<root>';
}

/** Builds a `ValidationError` in the standard format; throw it where the problem is found. */
export function validationError(where: ErrorLocation, what: string, value: unknown, fix: string): ValidationError {
  return new ValidationError(describeLocation(where), what, value, fix);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MAX = 63;
const DNS_SUBDOMAIN_MAX = 253;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_NAME_MAX = 63;

/** Turns arbitrary text into the closest valid DNS-1123 label, for "did you mean" hints. */
function suggestDnsLabel(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, DNS_LABEL_MAX)
    .replace(/-+$/, '');
}

function requireString(where: ErrorLocation, field: string, value: unknown, fix: string): string {
  if (typeof value !== 'string') {
    throw validationError(where, `${field} must be a string`, value, fix);
  }
  return value;
}

function dnsLabelFix(value: string): string {
  const suggestion = suggestDnsLabel(value);
  const hint = suggestion && suggestion !== value ? ` (did you mean "${suggestion}"?)` : '';
  return `use 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit${hint}`;
}

/**
 * Validates an RFC 1123 DNS label: the format of namespace names and of
 * most names that end up in a Service's DNS record.
 * @returns the value, for use in initialisers
 */
export function validateDnsLabel(where: ErrorLocation, field: string, value: unknown): string {
  const fix = dnsLabelFix(typeof value === 'string' ? value : '');
  const name = requireString(where, field, value, fix);
  if (name.length === 0 || name.length > DNS_LABEL_MAX || !DNS_LABEL.test(name)) {
    const what = name.length > DNS_LABEL_MAX
      ? `${field} is ${name.length} characters long, more than the ${DNS_LABEL_MAX} a DNS-1123 label allows`
      : `${field} is not a valid DNS-1123 label`;
    throw validationError(where, what, value, fix);
  }
  return name;
}

/**
 * Validates an RFC 1123 DNS subdomain: the format of most object names
 * (ConfigMaps, ServiceAccounts, ClusterRoles, ...).
 */
export function validateDnsSubdomain(where: ErrorLocation, field: string, value: unknown): string {
  const fix = "use at most 253 characters: dot-separated labels of lowercase letters, digits or '-', each starting and ending with a letter or digit";
  const name = requireString(where, field, value, fix);
  if (name.length === 0 || name.length > DNS_SUBDOMAIN_MAX || !name.split('.').every((label) => DNS_LABEL.test(label))) {
    throw validationError(where, `${field} is not a valid DNS-1123 subdomain`, value, fix);
  }
  return name;
}

/**
 * Validates a Kubernetes label (or annotation) key: an optional DNS-subdomain
 * prefix and '/', then a name of at most 63 characters.
 */
export function validateLabelKey(where: ErrorLocation, field: string, key: unknown): string {
  const fix = "use [prefix/]name where prefix is a DNS subdomain and name is 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  const text = requireString(where, field, key, fix);
  const slash = text.lastIndexOf('/');
  const prefix = slash >= 0 ? text.slice(0, slash) : undefined;
  const name = slash >= 0 ? text.slice(slash + 1) : text;
  const prefixOk = prefix === undefined
    || (prefix.length > 0 && prefix.length <= DNS_SUBDOMAIN_MAX && prefix.split('.').every((label) => DNS_LABEL.test(label)));
  if (!prefixOk || name.length === 0 || name.length > LABEL_NAME_MAX || !LABEL_NAME.test(name)) {
    throw validationError(where, `${field} is not a valid label key`, key, fix);
  }
  return text;
}

/** Validates a Kubernetes label value: empty, or 1-63 characters of the label-name alphabet. */
export function validateLabelValue(where: ErrorLocation, field: string, value: unknown): string {
  const fix = "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or an empty value)";
  const text = requireString(where, field, value, fix);
  if (text.length > LABEL_NAME_MAX || (text.length > 0 && !LABEL_NAME.test(text))) {
    throw validationError(where, `${field} is not a valid label value`, value, fix);
  }
  return text;
}

/** Validates every key and value of a label map. */
export function validateLabels(where: ErrorLocation, field: string, labels: unknown): Record<string, string> {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    throw validationError(where, `${field} must be a map of label keys to values`, labels, 'pass an object such as { team: "security" }');
  }
  for (const [key, value] of Object.entries(labels)) {
    validateLabelKey(where, `${field} key`, key);
    validateLabelValue(where, `${field}["${key}"]`, value);
  }
  return labels as Record<string, string>;
}

const PROMETHEUS_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Validates a Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`, `__` prefix reserved). */
export function validatePrometheusLabelName(where: ErrorLocation, field: string, value: unknown): string {
  const fix = "use letters, digits and '_', not starting with a digit, and not starting with '__' (reserved for Prometheus)";
  const name = requireString(where, field, value, fix);
  if (!PROMETHEUS_LABEL_NAME.test(name) || name.startsWith('__')) {
    throw validationError(where, `${field} is not a valid Prometheus label name`, value, fix);
  }
  return name;
}

const DURATION_UNITS_MS: ReadonlyArray<[string, number]> = [
  ['y', 365 * 24 * 3600 * 1000],
  ['w', 7 * 24 * 3600 * 1000],
  ['d', 24 * 3600 * 1000],
  ['h', 3600 * 1000],
  ['m', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
];
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** The longest duration Go's time.Duration holds (2^63 - 1 ns), in whole milliseconds: about 292 years. */
const MAX_GO_DURATION_MS = 9_223_372_036_854;

/**
 * Validates a Prometheus duration (`30s`, `5m`, `1h30m`, `7d`; units y w d h m s ms,
 * largest first, each at most once) and returns it in milliseconds.
 */
export function validatePrometheusDuration(where: ErrorLocation, field: string, value: unknown): number {
  const fix = 'use a Prometheus duration such as "30s", "5m", "1h30m" or "7d" (units y, w, d, h, m, s, ms, largest first)';
  const text = requireString(where, field, value, fix);
  if (text === '0') return 0;
  const match = text === '' ? null : DURATION.exec(text);
  if (!match) {
    throw validationError(where, `${field} is not a valid Prometheus duration`, value, fix);
  }
  let total = 0;
  DURATION_UNITS_MS.forEach(([, ms], i) => {
    const amount = match[i + 1];
    if (amount !== undefined) total += Number(amount) * ms;
  });
  if (total > MAX_GO_DURATION_MS) {
    throw validationError(where, `${field} is out of range`, value, 'use at most 292y (106751d): Prometheus and Alertmanager hold durations in nanoseconds as a 64-bit integer');
  }
  return total;
}

/** Validates a TCP/UDP port number (an integer in 1-65535). */
export function validatePort(where: ErrorLocation, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw validationError(where, `${field} is not a valid port`, value, 'use an integer from 1 to 65535');
  }
  return value;
}

/** A class, including those with private constructors (enum-like classes with static factories). */
type ClassOf<T> = Function & { prototype: T };

/**
 * Validates that a prop holds an object built by the library (`SiemDestination.splunkHec(...)`):
 * TypeScript enforces this, JavaScript and JSON-driven callers do not.
 * @param how how to build one, e.g. 'use SiemDestination.splunkHec(...)'
 */
export function validateInstance<T>(where: ErrorLocation, field: string, value: unknown, type: ClassOf<T>, how: string): T {
  if (!(value instanceof type)) {
    const article = /^[AEIOU]/.test(type.name) ? 'an' : 'a';
    throw validationError(where, `${field} is not ${article} ${type.name}`, value, how);
  }
  return value as T;
}

/** Validates a list of objects built by the library; see `validateInstance`. */
export function validateInstanceList<T>(where: ErrorLocation, field: string, value: unknown, type: ClassOf<T>, how: string): T[] {
  if (!Array.isArray(value)) {
    throw validationError(where, `${field} must be a list of ${type.name}`, value, how);
  }
  value.forEach((item, i) => validateInstance(where, `${field}[${i}]`, item, type, how));
  return value;
}
