import { AuditLevel, AuditStage } from './audit-level';

/**
 * Resources of one API group that an audit rule matches (`GroupResources`).
 */
export interface AuditGroupResources {
  /**
   * The API group, without version: `""` is the core group, e.g. `apps`,
   * `rbac.authorization.k8s.io`.
   *
   * @default "" (the core group)
   */
  readonly group?: string;

  /**
   * Resources of the group: `pods`, `pods/log` (a subresource), `*` (every
   * resource and subresource), `*\/scale` (a subresource of any resource),
   * `deployments/*` (a resource and all its subresources).
   *
   * @default - every resource of the group
   */
  readonly resources?: string[];

  /**
   * Names of the objects to match; requires `resources`.
   *
   * @default - objects of any name
   */
  readonly resourceNames?: string[];
}

/**
 * One rule of an audit policy (`PolicyRule`). A request matches the rule when
 * it matches every selector the rule sets; the first matching rule decides.
 */
export interface AuditRule {
  /** The level of the events this rule records. */
  readonly level: AuditLevel;

  /**
   * Users (by authenticated name) this rule applies to.
   * @default - any user
   */
  readonly users?: string[];

  /**
   * User groups this rule applies to; a user matches if it is in any of them.
   * @default - any group
   */
  readonly userGroups?: string[];

  /**
   * Verbs this rule applies to, e.g. `get`, `list`, `watch`, `create`, `patch`.
   * @default - any verb
   */
  readonly verbs?: string[];

  /**
   * Resources this rule applies to. Setting `resources` or `namespaces` makes
   * the rule apply to resource requests only.
   * @default - any resource
   */
  readonly resources?: AuditGroupResources[];

  /**
   * Namespaces this rule applies to; `""` matches cluster-scoped resources.
   * @default - any namespace
   */
  readonly namespaces?: string[];

  /**
   * Non-resource URL paths this rule applies to, e.g. `/healthz*`. `*` may only
   * be the last character. Cannot be combined with `resources` or `namespaces`.
   * @default - the rule does not select by path
   */
  readonly nonResourceURLs?: string[];

  /**
   * Stages for which no event is generated, in addition to the policy's `omitStages`.
   * @default - only the policy's omitStages
   */
  readonly omitStages?: AuditStage[];

  /**
   * Whether to drop `managedFields` from request and response bodies.
   * @default - the policy's omitManagedFields
   */
  readonly omitManagedFields?: boolean;
}
