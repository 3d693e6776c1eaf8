import { AuditLevel, AuditStage } from './audit-level';

/**
 * The attributes of an API request that an audit policy decides on, as the
 * API server's authorizer sees them.
 */
export interface AuditRequest {
  /**
   * The authenticated user name. Leave it unset for a request without user
   * information: such a request never matches a rule that sets `users` or
   * `userGroups`. Note that with anonymous authentication enabled the API server
   * gives unauthenticated requests the user `system:anonymous` in the group
   * `system:unauthenticated`, which rules can name.
   *
   * @default - no user information
   */
  readonly user?: string;

  /**
   * The user's groups.
   * @default - none
   */
  readonly groups?: string[];

  /** The verb: `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`, or an HTTP verb for non-resource requests. */
  readonly verb: string;

  /**
   * The resource, e.g. `pods`. Setting it makes this a resource request;
   * leaving it unset makes it a non-resource request for `path`.
   *
   * @default - a non-resource request
   */
  readonly resource?: string;

  /**
   * The subresource, e.g. `exec` for `pods/exec`.
   * @default - none
   */
  readonly subresource?: string;

  /**
   * The API group of the resource.
   * @default "" (the core group)
   */
  readonly apiGroup?: string;

  /**
   * The namespace; `""` for cluster-scoped resources.
   * @default ""
   */
  readonly namespace?: string;

  /**
   * The object name.
   * @default ""
   */
  readonly name?: string;

  /**
   * The URL path of a non-resource request, e.g. `/healthz`.
   * @default ""
   */
  readonly path?: string;
}

/** What the API server records for a request. */
export interface AuditDecision {
  /** The level events of the request are logged at. */
  readonly level: AuditLevel;

  /** Stages for which no event is emitted, sorted by name. */
  readonly omitStages: AuditStage[];

  /** Whether `managedFields` are dropped from logged bodies. */
  readonly omitManagedFields: boolean;

  /**
   * Index of the rule that decided.
   * @default - no rule matched: the policy default (`None`) applies
   */
  readonly ruleIndex?: number;
}
