import { ErrorLocation, validationError } from './validation';

/** Characters Elasticsearch and OpenSearch refuse in an index name (`:` since Elasticsearch 7). */
const FORBIDDEN = /[\\/*?"<>| ,#:A-Z]/;

/**
 * Validates an Elasticsearch (or OpenSearch) index name as the cluster does
 * when a document is first written to it: lowercase, none of
 * `\ / * ? " < > | , # :` or spaces, not starting with `-`, `_` or `+`, not `.`
 * or `..`, at most 255 bytes. Shippers only find out at the first write, when
 * every event is refused.
 */
export function validateElasticsearchIndex(where: ErrorLocation, field: string, value: unknown): string {
  const fix = (name: string) => {
    const suggestion = name.toLowerCase().replace(/[\\/*?"<>| ,#:]+/g, '-').replace(/^[-_+]+/, '');
    return 'use lowercase letters, digits, \'.\', \'_\' or \'-\', not starting with \'-\', \'_\' or \'+\''
      + (suggestion && suggestion !== name ? ` (did you mean "${suggestion}"?)` : '');
  };
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..' || FORBIDDEN.test(value) || /^[-_+]/.test(value)
    || Buffer.byteLength(value) > 255) {
    const what = typeof value === 'string' && /[A-Z]/.test(value) ? `${field} has capital letters, which Elasticsearch refuses in index names`
      : `${field} is not a valid Elasticsearch index name`;
    throw validationError(where, what, value, fix(typeof value === 'string' ? value : ''));
  }
  return value;
}
