import { AuditLevel } from './audit-level';

/**
 * A Falco `k8s_audit` rule that cannot fire on some requests because the
 * audit policy does not log the request (or response) body the rule reads.
 */
export interface AuditBlindSpot {
  /** The Falco rule. */
  readonly rule: string;
  /** The resource of the requests, e.g. `pods`. */
  readonly resource: string;
  /**
   * The subresource of the requests.
   * @default - the resource itself
   */
  readonly subresource?: string;
  /** The verbs of the requests, e.g. `create`. */
  readonly verbs: string[];
  /** The body fields the rule reads, e.g. `ka.req.pod.host_network`. */
  readonly fields: string[];
  /** The level the policy logs these requests at. */
  readonly level: AuditLevel;
  /** The level the rule needs. */
  readonly levelNeeded: AuditLevel;
  /**
   * Index of the policy rule that decides the level.
   * @default - no policy rule matches: the requests are not logged
   */
  readonly policyRuleIndex?: number;
  /** What is wrong and how to fix it. */
  readonly message: string;
}
