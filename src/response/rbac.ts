import { didYouMean } from '../common/did-you-mean';
import { ErrorLocation, validationError } from '../common/validation';

/**
 * Permissions a custom Talon actionner needs, as in a ClusterRole's `rules`:
 * every verb on every resource of every API group listed. Wildcards are
 * refused: name each verb and resource.
 */
export interface TalonPolicyRule {
  /** API groups, `""` for the core group (pods, events), e.g. `["apps"]`. */
  readonly apiGroups: string[];
  /** Resources and subresources, e.g. `["pods", "pods/exec"]`. */
  readonly resources: string[];
  /** Verbs, e.g. `["get", "patch"]`. */
  readonly verbs: string[];
}

/** One RBAC rule: verbs on resources of one API group. */
export interface RbacRule {
  readonly apiGroup: string;
  readonly resource: string;
  readonly verbs: string[];
}

/** The verbs the API server authorizes for resources (and `use`, `approve`, `sign` of the special ones). */
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'approve', 'sign'];
/** Verbs that let the holder give itself any permission or act as someone else: no response action needs them. */
const ESCALATING_VERBS = ['bind', 'escalate', 'impersonate'];
const API_GROUP = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$/;
const RESOURCE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/;

/** A non-empty list of strings, none of them a wildcard. */
function names(where: ErrorLocation, field: string, value: unknown, example: string): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw validationError(where, `${field} must be a non-empty list`, value, `list them, e.g. ${example}`);
  }
  for (const item of value) {
    if (typeof item !== 'string') throw validationError(where, `${field} contains a value that is not a string`, item, `list strings, e.g. ${example}`);
    if (item.includes('*')) {
      throw validationError(where, `${field} contains a wildcard, which would grant Talon more than its actions need`, item,
        `name each one, e.g. ${example}`);
    }
  }
  return value;
}

/**
 * Validates the permissions a user states for a custom actionner and turns
 * them into one `RbacRule` per API group and resource, ready to merge with
 * the built-in actionners' into Talon's ClusterRole.
 */
export function rbacRulesOf(where: ErrorLocation, field: string, rules: unknown): RbacRule[] {
  if (!Array.isArray(rules)) throw validationError(where, `${field} must be a list`, rules, 'pass [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }]');
  return rules.flatMap((rule, i) => {
    const at = `${field}[${i}]`;
    if (rule === null || typeof rule !== 'object') {
      throw validationError(where, `${at} is not an object`, rule, 'pass { apiGroups: [""], resources: ["pods"], verbs: ["get"] }');
    }
    const { apiGroups, resources, verbs } = rule as TalonPolicyRule;
    for (const group of names(where, `${at}.apiGroups`, apiGroups, '[""] for the core group, or ["apps"]')) {
      if (!API_GROUP.test(group)) throw validationError(where, `${at}.apiGroups contains an invalid API group`, group, 'use "" for the core group or a DNS name such as "networking.k8s.io"');
    }
    for (const resource of names(where, `${at}.resources`, resources, '["pods", "pods/exec"]')) {
      if (!RESOURCE.test(resource)) {
        throw validationError(where, `${at}.resources contains an invalid resource`, resource, 'use the plural lowercase name, with "/<subresource>" if any, e.g. "pods/exec"');
      }
    }
    for (const verb of names(where, `${at}.verbs`, verbs, '["get", "patch"]')) {
      if (ESCALATING_VERBS.includes(verb)) {
        throw validationError(where, `${at}.verbs contains "${verb}", which would let Talon grant itself any permission or act as another identity`, verb,
          'state the verbs the actionner calls, e.g. "get", "create", "patch"');
      }
      if (!VERBS.includes(verb)) {
        throw validationError(where, `${at}.verbs contains a verb that is not a Kubernetes API verb`, verb, `use one of ${VERBS.join(', ')}${didYouMean(verb, VERBS)}`);
      }
    }
    return apiGroups.flatMap((apiGroup) => resources.map((resource) => ({ apiGroup, resource, verbs: [...verbs] })));
  });
}

/**
 * Merges rules into one rule per API group and resource, verbs deduplicated and
 * sorted, so the union of several actionners' permissions stays minimal and
 * renders the same whatever order the actionners were enabled in.
 */
export function mergeRbacRules(rules: RbacRule[]): Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> {
  const merged = new Map<string, Set<string>>();
  for (const rule of rules) {
    const key = `${rule.apiGroup}\u0000${rule.resource}`;
    const verbs = merged.get(key) ?? new Set<string>();
    rule.verbs.forEach((v) => verbs.add(v));
    merged.set(key, verbs);
  }
  return [...merged.keys()].sort().map((key) => {
    const [apiGroup, resource] = key.split('\u0000');
    return { apiGroups: [apiGroup], resources: [resource], verbs: [...merged.get(key)!].sort() };
  });
}
