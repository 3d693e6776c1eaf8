import { AuditDiagnostic, AuditDiagnosticSeverity, AuditLintCheck, AuditLintOptions } from './audit-diagnostic';
import { AuditLevel, AuditStage } from './audit-level';
import { AuditGroupResources, AuditRule } from './audit-rule';
import { isNonResourceRule, isResourceRule, nonEmpty, resourcePatternMatches } from './matching';
import { SECRET_RESOURCES, WELL_KNOWN_RESOURCE_GROUPS } from './well-known-resources';

/** The levels from least to most verbose. */
const AUDIT_LEVEL_ORDER: readonly AuditLevel[] = [AuditLevel.NONE, AuditLevel.METADATA, AuditLevel.REQUEST, AuditLevel.REQUEST_RESPONSE];

type SecretResource = typeof SECRET_RESOURCES[number];

/** An empty selector matches anything; a non-empty one covers a non-empty subset of itself. */
function listCovers(outer: readonly string[] | undefined, inner: readonly string[] | undefined): boolean {
  return !nonEmpty(outer) || (nonEmpty(inner) && inner.every((x) => outer.includes(x)));
}

/** Whether resource pattern `outer` matches every resource that pattern `inner` matches. */
function patternCovers(outer: string, inner: string): boolean {
  if (outer === '*' || outer === inner) return true;
  if (outer.endsWith('/*')) return inner === outer.slice(0, -2) || inner.startsWith(outer.slice(0, -1));
  return outer.startsWith('*/') && !inner.startsWith('*') && inner.endsWith(outer.slice(1));
}

function pathCovers(outer: string, inner: string): boolean {
  return outer === '*' || outer === inner || (outer.endsWith('*') && inner.startsWith(outer.replace(/\*+$/, '')));
}

function entryCovers(outer: AuditGroupResources, inner: AuditGroupResources): boolean {
  if ((outer.group ?? '') !== (inner.group ?? '')) return false;
  if (!nonEmpty(outer.resources)) return true;
  return nonEmpty(inner.resources) && listCovers(outer.resourceNames, inner.resourceNames)
    && inner.resources.every((r) => outer.resources!.some((p) => patternCovers(p, r)));
}

function scopeCovers(outer: AuditRule, inner: AuditRule): boolean {
  if (isResourceRule(outer)) {
    return isResourceRule(inner) && listCovers(outer.namespaces, inner.namespaces)
      && (!nonEmpty(outer.resources) || (nonEmpty(inner.resources) && inner.resources.every((e) => outer.resources!.some((o) => entryCovers(o, e)))));
  }
  if (isNonResourceRule(outer)) {
    return isNonResourceRule(inner) && inner.nonResourceURLs!.every((u) => outer.nonResourceURLs!.some((s) => pathCovers(s, u)));
  }
  return true;
}

/** Whether every request `inner` matches is matched by `outer` (a sound under-approximation). */
function ruleCovers(outer: AuditRule, inner: AuditRule): boolean {
  return listCovers(outer.users, inner.users) && listCovers(outer.userGroups, inner.userGroups)
    && listCovers(outer.verbs, inner.verbs) && scopeCovers(outer, inner);
}

function isCatchAll(rule: AuditRule): boolean {
  return !nonEmpty(rule.users) && !nonEmpty(rule.userGroups) && !nonEmpty(rule.verbs)
    && !isResourceRule(rule) && !nonEmpty(rule.nonResourceURLs);
}

function entryMatchesSecret(entry: AuditGroupResources, secret: SecretResource, exact: boolean): boolean {
  if ((entry.group ?? '') !== secret.group) return false;
  if (!nonEmpty(entry.resources)) return true;
  if (exact && nonEmpty(entry.resourceNames)) return false;
  return entry.resources.some((p) => resourcePatternMatches(p, secret.resource, secret.subresource));
}

/** Whether some request for the resource can match the rule. */
function mayMatchSecret(rule: AuditRule, secret: SecretResource): boolean {
  if (isNonResourceRule(rule)) return false;
  return !nonEmpty(rule.resources) || rule.resources.some((e) => entryMatchesSecret(e, secret, false));
}

/** Whether every request for the resource matches the rule, so later rules never see one. */
function catchesAllOfSecret(rule: AuditRule, secret: SecretResource): boolean {
  return !nonEmpty(rule.users) && !nonEmpty(rule.userGroups) && !nonEmpty(rule.verbs) && !nonEmpty(rule.namespaces)
    && !isNonResourceRule(rule) && (!nonEmpty(rule.resources) || rule.resources.some((e) => entryMatchesSecret(e, secret, true)));
}

function secretName(secret: SecretResource): string {
  return secret.subresource ? `${secret.resource}/${secret.subresource}` : secret.resource;
}

function secretLeaks(rules: readonly AuditRule[], severity: AuditDiagnosticSeverity): AuditDiagnostic[] {
  const leaked = new Map<number, string[]>();
  for (const secret of SECRET_RESOURCES) {
    for (const [i, rule] of rules.entries()) {
      if (!mayMatchSecret(rule, secret)) continue;
      if (AUDIT_LEVEL_ORDER.indexOf(rule.level) > AUDIT_LEVEL_ORDER.indexOf(AuditLevel.METADATA)) {
        leaked.set(i, [...leaked.get(i) ?? [], secretName(secret)]);
      }
      if (catchesAllOfSecret(rule, secret)) break;
    }
  }
  return [...leaked.entries()].sort(([a], [b]) => a - b).map(([i, names]) => ({
    check: AuditLintCheck.SECRET_LEAK,
    severity,
    ruleIndex: i,
    message: `rules[${i}] logs ${names.join(', ')} at ${rules[i].level}, which writes secret values into the audit log: `
      + 'add an earlier rule that logs them at Metadata (as the GCE policy does)',
  }));
}

function shadowedRules(rules: readonly AuditRule[]): AuditDiagnostic[] {
  return rules.flatMap((rule, j) => {
    const i = rules.slice(0, j).findIndex((earlier) => ruleCovers(earlier, rule));
    return i < 0 ? [] : [{
      check: AuditLintCheck.SHADOWED_RULE,
      severity: AuditDiagnosticSeverity.WARNING,
      ruleIndex: j,
      message: `rules[${j}] can never match: rules[${i}] comes first and matches every request it matches; move it before rules[${i}] or remove it`,
    }];
  });
}

function wrongApiGroups(rules: readonly AuditRule[]): AuditDiagnostic[] {
  return rules.flatMap((rule, i) => (rule.resources ?? []).flatMap((entry, j) => (entry.resources ?? []).flatMap((resource) => {
    const group = entry.group ?? '';
    const expected = WELL_KNOWN_RESOURCE_GROUPS.get(resource.split('/')[0]);
    return expected === undefined || expected.includes(group) ? [] : [{
      check: AuditLintCheck.WRONG_API_GROUP,
      severity: AuditDiagnosticSeverity.WARNING,
      ruleIndex: i,
      message: `rules[${i}].resources[${j}] lists "${resource}" under group "${group}", so it never matches: `
        + `"${resource.split('/')[0]}" is in group ${expected.map((g) => `"${g}"`).join(' or ')}`,
    }];
  })));
}

function missingRequestReceivedOmissions(rules: readonly AuditRule[], policyOmitStages: readonly AuditStage[]): AuditDiagnostic[] {
  if (policyOmitStages.includes(AuditStage.REQUEST_RECEIVED)) return [];
  return rules.flatMap((rule, i) => rule.level === AuditLevel.NONE || (rule.omitStages ?? []).includes(AuditStage.REQUEST_RECEIVED) ? [] : [{
    check: AuditLintCheck.MISSING_REQUEST_RECEIVED_OMISSION,
    severity: AuditDiagnosticSeverity.WARNING,
    ruleIndex: i,
    message: `rules[${i}] logs the RequestReceived stage, which doubles the event volume: add RequestReceived to the policy's or the rule's omitStages`,
  }]);
}

function missingCatchAll(rules: readonly AuditRule[]): AuditDiagnostic[] {
  return rules.some(isCatchAll) ? [] : [{
    check: AuditLintCheck.NO_CATCH_ALL,
    severity: AuditDiagnosticSeverity.WARNING,
    message: 'no rule matches every request, so requests no rule expects are not logged: end the policy with a rule that has only a level (e.g. Metadata)',
  }];
}

/** Runs every check; diagnostics come ordered by check, then by rule. */
export function lintPolicy(rules: readonly AuditRule[], policyOmitStages: readonly AuditStage[], options: AuditLintOptions = {}): AuditDiagnostic[] {
  return [
    ...secretLeaks(rules, options.secretLeakSeverity ?? AuditDiagnosticSeverity.ERROR),
    ...shadowedRules(rules),
    ...wrongApiGroups(rules),
    ...missingRequestReceivedOmissions(rules, policyOmitStages),
    ...missingCatchAll(rules),
  ];
}
