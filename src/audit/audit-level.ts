/**
 * How much of a request the API server records (`audit.k8s.io/v1` `Level`).
 * @see https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy
 */
export enum AuditLevel {
  /** Do not log events that match the rule. */
  NONE = 'None',
  /** Log request metadata (user, timestamp, resource, verb) but not request or response bodies. */
  METADATA = 'Metadata',
  /** Log metadata and the request body, not the response body. */
  REQUEST = 'Request',
  /** Log metadata, request and response bodies. */
  REQUEST_RESPONSE = 'RequestResponse',
}

/**
 * A stage of request handling at which the API server emits an audit event.
 */
export enum AuditStage {
  /** As soon as the handler receives the request, before it is delegated down the handler chain. */
  REQUEST_RECEIVED = 'RequestReceived',
  /** Once the response headers are sent, before the body (only long-running requests such as watch). */
  RESPONSE_STARTED = 'ResponseStarted',
  /** Once the response body has been completed. */
  RESPONSE_COMPLETE = 'ResponseComplete',
  /** When a panic occurred. */
  PANIC = 'Panic',
}
