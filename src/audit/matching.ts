/*
 * Request matching of the API server's audit policy checker
 * (k8s.io/apiserver/pkg/audit/policy/checker.go), shared by the evaluator and the linter.
 */
import { AuditRequest } from './audit-request';
import { AuditGroupResources, AuditRule } from './audit-rule';

/** A rule with `resources` or `namespaces` only ever matches resource requests. */
export function isResourceRule(rule: AuditRule): boolean {
  return nonEmpty(rule.resources) || nonEmpty(rule.namespaces);
}

/** A rule with neither resource nor path selectors matches both kinds of request. */
export function isNonResourceRule(rule: AuditRule): boolean {
  return !isResourceRule(rule) && nonEmpty(rule.nonResourceURLs);
}

export function nonEmpty<T>(list: readonly T[] | undefined): list is readonly T[] {
  return list !== undefined && list.length > 0;
}

/**
 * Whether a resource entry of a rule (`pods`, `*`, `*\/exec`, `pods/*`, `pods/log`)
 * matches a resource and subresource. `res/*` also matches `res` itself.
 */
export function resourcePatternMatches(pattern: string, resource: string, subresource: string): boolean {
  if (pattern === '*') return true;
  if (pattern === (subresource ? `${resource}/${subresource}` : resource)) return true;
  if (subresource && pattern.startsWith('*/') && pattern.slice(2) === subresource) return true;
  return pattern.endsWith('/*') && pattern.slice(0, -2) === resource;
}

/** Whether a `nonResourceURLs` entry matches a path: `*`, exact, or a prefix ending in `*`. */
export function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function groupResourcesMatch(entry: AuditGroupResources, request: AuditRequest): boolean {
  if ((entry.group ?? '') !== (request.apiGroup ?? '')) return false;
  if (!nonEmpty(entry.resources)) return true;
  if (nonEmpty(entry.resourceNames) && !entry.resourceNames.includes(request.name ?? '')) return false;
  return entry.resources.some((pattern) => resourcePatternMatches(pattern, request.resource ?? '', request.subresource ?? ''));
}

/** Whether a rule matches a request, in the checker's order of tests. */
export function ruleMatches(rule: AuditRule, request: AuditRequest): boolean {
  // A request without user information never matches a rule that selects by user or group.
  if (nonEmpty(rule.users) && (request.user === undefined || !rule.users.includes(request.user))) return false;
  if (nonEmpty(rule.userGroups) && (request.user === undefined || !(request.groups ?? []).some((g) => rule.userGroups!.includes(g)))) return false;
  if (nonEmpty(rule.verbs) && !rule.verbs.includes(request.verb)) return false;
  const resourceRequest = request.resource !== undefined;
  if (isResourceRule(rule)) {
    if (!resourceRequest) return false;
    if (nonEmpty(rule.namespaces) && !rule.namespaces.includes(request.namespace ?? '')) return false;
    return !nonEmpty(rule.resources) || rule.resources.some((entry) => groupResourcesMatch(entry, request));
  }
  if (nonEmpty(rule.nonResourceURLs)) {
    return !resourceRequest && rule.nonResourceURLs.some((spec) => pathMatches(request.path ?? '', spec));
  }
  return true;
}
