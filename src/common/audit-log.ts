/**
 * Where the API server writes its audit log (`--audit-log-path`) unless told
 * otherwise. The audit policy wiring and the SIEM pipeline's audit source both
 * default to it, so audit events are shipped without extra configuration.
 */
export const DEFAULT_AUDIT_LOG_PATH = '/var/log/kubernetes/audit/audit.log';
