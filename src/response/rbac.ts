/** One RBAC rule: verbs on resources of one API group. */
export interface RbacRule {
  readonly apiGroup: string;
  readonly resource: string;
  readonly verbs: string[];
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
