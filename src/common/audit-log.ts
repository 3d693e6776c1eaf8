import { validationError, ErrorLocation } from './validation';

/**
 * Where the API server writes its audit log (`--audit-log-path`) unless told
 * otherwise. The audit policy wiring and the SIEM pipeline's audit source both
 * default to it, so audit events are shipped without extra configuration.
 */
export const DEFAULT_AUDIT_LOG_PATH = '/var/log/kubernetes/audit/audit.log';

/**
 * Largest audit event, in bytes, the API server writes to its log unless told
 * otherwise (`--audit-log-truncate-max-event-size`, with truncation on), and so
 * the longest line the SIEM pipeline's audit source must read whole. 1 MiB
 * keeps `RequestResponse` events of ordinary ConfigMaps, CRDs and Secrets
 * (metadata) intact; the API server's own default (100 KiB, truncation off)
 * would either cut them or let unbounded lines through.
 */
export const DEFAULT_AUDIT_MAX_EVENT_BYTES = 1024 * 1024;

/** Smallest sensible limit: a metadata-only event with a large user and annotations. */
const MIN_AUDIT_EVENT_BYTES = 16 * 1024;
/**
 * `--audit-log-truncate-max-batch-size` defaults to 10 MiB; the API server
 * refuses an event limit above the batch limit.
 */
const MAX_AUDIT_EVENT_BYTES = 10 * 1024 * 1024;

/**
 * The one number the API server's truncation and the SIEM pipeline's read
 * buffer share: validated the same way at both ends.
 */
export function validateAuditMaxEventBytes(where: ErrorLocation, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_AUDIT_EVENT_BYTES || value > MAX_AUDIT_EVENT_BYTES) {
    throw validationError(where, `${field} is out of range`, value,
      `use a whole number of bytes from ${MIN_AUDIT_EVENT_BYTES} (16 KiB) to ${MAX_AUDIT_EVENT_BYTES} (10 MiB, the API server's default batch limit), e.g. ${DEFAULT_AUDIT_MAX_EVENT_BYTES}`);
  }
  return value;
}
