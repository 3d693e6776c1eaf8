import { validationError, ErrorLocation } from '../common/validation';

/** Fluent Bit unit sizes (`512K`, `5M`, `1G`; an optional `B`, any case). */
const UNIT_SIZE = /^[1-9]\d*(K|KB|M|MB|G|GB)$/i;
/** Host names and IPv4 addresses; a scheme, port or path is a common mistake. */
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
/** Becomes a Fluent Bit tag prefix and a record value: keep it plain. */
const LOG_TYPE = /^[a-z][a-z0-9_]{0,62}$/;
/** Splunk index names: lowercase letters, digits, '_' and '-', not starting with '_' or '-'. */
const SPLUNK_INDEX = /^[a-z0-9][a-z0-9_-]{0,79}$/;
/** Elasticsearch/OpenSearch index names: lowercase, none of `\/*?"<>| ,#:`, not starting with '-', '_' or '+'. */
const ES_INDEX = /^[a-z0-9][a-z0-9._-]{0,199}$/;
/** strftime conversions whose output is digits only, so the index name stays lowercase and valid. */
const NUMERIC_STRFTIME = /%[YymdHjVGgUWuw]/g;

export function validateUnitSize(where: ErrorLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || !UNIT_SIZE.test(value)) {
    throw validationError(where, `${field} is not a Fluent Bit unit size`, value, 'use a positive whole number with a unit K, M or G, e.g. "512K", "5M", "1G"');
  }
  return value;
}

export function validateHost(where: ErrorLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || !HOST.test(value)) {
    throw validationError(where, `${field} is not a host name or IPv4 address`, value,
      'give the host only, without scheme, port or path, e.g. "splunk.example.com" (the port has its own field)');
  }
  return value;
}

export function validateLogType(where: ErrorLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || !LOG_TYPE.test(value)) {
    throw validationError(where, `${field} is not a valid log type`, value,
      "use 1-63 lowercase letters, digits or '_', starting with a letter, e.g. \"security_audit\"");
  }
  return value;
}

export function validateSplunkIndex(where: ErrorLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || !SPLUNK_INDEX.test(value)) {
    throw validationError(where, `${field} is not a valid Splunk index name`, value,
      "use at most 80 lowercase letters, digits, '_' or '-', not starting with '_' or '-'");
  }
  return value;
}

export function validateIndexPrefix(where: ErrorLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || !ES_INDEX.test(value)) {
    throw validationError(where, `${field} is not a valid index name prefix`, value,
      "use lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. \"security-logs\"");
  }
  return value;
}

/**
 * A `logstash_dateformat` must expand to characters valid in an index name:
 * numeric conversions (`%Y`, `%m`, `%d`, `%H`, ...) and the separators `.`, `-`, `_`.
 * `%b` or `%A` expand to capitalised words, which Elasticsearch rejects.
 */
export function validateIndexDateFormat(where: ErrorLocation, field: string, value: unknown): string {
  const literal = typeof value === 'string' ? value.replace(NUMERIC_STRFTIME, '') : '';
  if (typeof value !== 'string' || !new RegExp(NUMERIC_STRFTIME.source).test(value) || !/^[0-9._-]*$/.test(literal)) {
    throw validationError(where, `${field} is not an index date format`, value,
      "use numeric strftime conversions (%Y %y %m %d %H %j %V %G %g %U %W %u %w) joined by '.', '-' or '_', e.g. \"%Y.%m.%d\"");
  }
  return value;
}

/** A whole number in a range, e.g. retries or seconds. */
export function validateInteger(where: ErrorLocation, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw validationError(where, `${field} is out of range`, value, `use a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A path or glob that Fluent Bit reads through the read-only `/var/log` host mount. */
export function validateLogPath(where: ErrorLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^\/var\/log\/[^,\s]+$/.test(value) || value.split('/').includes('..')) {
    throw validationError(where, `${field} is not a file or glob under /var/log`, value,
      'use an absolute path below /var/log without commas, spaces or "..", e.g. "/var/log/audit/*.log": the pipeline mounts only /var/log from the host');
  }
  return value;
}
