/**
 * Validation of destination options that more than one log shipper reads
 * (Fluent Bit outputs, Filebeat's Elasticsearch output).
 */
import type { SiemBasicAuthOptions, SiemDestinationOptions } from './destination-options';
import type { SiemElasticsearchOptions } from './destinations/elasticsearch';
import { validateHost, validateIndexDateFormat, validateIndexPrefix } from './siem-validation';
import { validatePort, validationError, ErrorLocation } from '../common/validation';

/** Whether to use TLS and whether to verify the server's certificate (on unless explicitly skipped). */
export function resolveTls(where: ErrorLocation, factory: string, options: SiemDestinationOptions): { tls: boolean; verify: boolean } {
  const tls = options.tls ?? true;
  if (!tls && options.insecureSkipTlsVerify) {
    throw validationError(where, `${factory} insecureSkipTlsVerify needs tls`, options.insecureSkipTlsVerify,
      'remove insecureSkipTlsVerify: without TLS there is no certificate to verify');
  }
  return { tls, verify: tls && !options.insecureSkipTlsVerify };
}

/** The basic-auth user, if any; the password always comes from `passwordSecret`. */
export function resolveUsername(where: ErrorLocation, factory: string, options: SiemBasicAuthOptions): string | undefined {
  if (options.username === undefined && options.passwordSecret === undefined) return undefined;
  if (options.username === undefined || options.passwordSecret === undefined) {
    throw validationError(where, `${factory} username and passwordSecret go together`, options.username ?? options.passwordSecret,
      'set both username and passwordSecret, or neither');
  }
  return nonEmpty(where, `${factory} username`, options.username);
}

/** Where and under which daily index names records go in Elasticsearch or OpenSearch. */
export function resolveElasticIndex(where: ErrorLocation, factory: string, options: SiemElasticsearchOptions) {
  return {
    host: validateHost(where, `${factory} host`, options.host),
    port: validatePort(where, `${factory} port`, options.port ?? 9200),
    indexPrefix: validateIndexPrefix(where, `${factory} indexPrefix`, options.indexPrefix ?? 'security-logs'),
    dateFormat: validateIndexDateFormat(where, `${factory} dateFormat`, options.dateFormat ?? '%Y.%m.%d'),
    indexPerLogType: options.indexPerLogType ?? false,
  };
}

/** A single word that goes into the config verbatim: no spaces, no `${...}` expansion. */
export function nonEmpty(where: ErrorLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || /[\s${}]/.test(value)) {
    throw validationError(where, `${field} must be a non-empty word`, value, 'use a value without spaces, "$", "{" or "}"');
  }
  return value;
}
