import { collect, Finding, ObjectPath } from './diagnostic';
import { ManifestObject } from './manifests';
import { validatePrometheusDuration } from '../common/validation';
import {
  validateAnnotation, validateLabelNames, validateRuleExpr, validateRuleName, validateSeverity, validateTemplates,
} from '../prometheus/rule-checks';

export function isPrometheusRule(manifest: ManifestObject): boolean {
  return manifest.kind === 'PrometheusRule' && String(manifest.object.apiVersion).startsWith('monitoring.coreos.com/');
}

/**
 * The checks `SecurityPrometheusRule` applies when a rule is added, on a
 * rendered PrometheusRule. What Prometheus would reject (PromQL, durations,
 * names, label names, template braces) is an error; the library's alert
 * conventions (a severity of critical/warning/info, summary and description)
 * are warnings, because rules written elsewhere may follow other conventions.
 */
export function checkPrometheusRule(manifest: ManifestObject): Finding[] {
  const groups = manifest.object.spec?.groups;
  if (!Array.isArray(groups)) {
    return [{ path: ['spec'], severity: 'error', message: 'spec.groups is not a list of rule groups: Prometheus loads no rules from this object' }];
  }
  return checkRuleGroups(groups, ['spec', 'groups']);
}

/**
 * A Prometheus rule file as Prometheus itself reads it (`rule_files`, `promtool
 * check rules`): a mapping with `groups`, each with `rules`, and nothing else.
 */
export function isPrometheusRuleFile(manifest: ManifestObject): boolean {
  const { object } = manifest;
  return manifest.kind === '' && !Array.isArray(object) && Array.isArray(object.groups) && Object.keys(object).every((k) => k === 'groups')
    && object.groups.every((g: unknown) => g !== null && typeof g === 'object' && Array.isArray((g as Record<string, unknown>).rules));
}

/** The checks of `checkPrometheusRule` on a Prometheus rule file. */
export function checkPrometheusRuleFile(manifest: ManifestObject): Finding[] {
  return checkRuleGroups(manifest.object.groups, ['groups']);
}

function checkRuleGroups(groups: Array<Record<string, any>>, base: ObjectPath): Finding[] {
  const findings: Finding[] = [];
  groups.forEach((group: Record<string, any>, g: number) => {
    const groupPath = [...base, g];
    const groupWhere = `group "${group?.name}"`;
    if (group?.interval !== undefined) {
      collect(findings, { path: [...groupPath, 'interval'], item: groupWhere, severity: 'error' },
        () => validatePrometheusDuration(groupWhere, 'interval', group.interval));
    }
    const rules: unknown = group?.rules;
    if (!Array.isArray(rules)) {
      findings.push({ path: groupPath, item: groupWhere, severity: 'error', message: `${groupWhere}: rules is not a list` });
      return;
    }
    rules.forEach((rule: Record<string, any>, r: number) => checkRule(findings, groupWhere, [...groupPath, 'rules', r], rule ?? {}));
  });
  return findings;
}

function checkRule(findings: Finding[], groupWhere: string, rulePath: ObjectPath, rule: Record<string, any>): void {
  const field = rule.alert !== undefined ? 'alert' : 'record';
  const where = `${field} "${rule[field]}"`;
  const item = `${groupWhere} ${where}`;
  const at = (key: string, severity: Finding['severity'] = 'error') => ({ path: [...rulePath, key], item, severity });
  // Prometheus takes any alert name (it becomes the alertname label); a name that is no metric name only breaks the library's convention.
  const nameIsConvention = field === 'alert' && typeof rule.alert === 'string' && rule.alert !== '';
  collect(findings, at(field, nameIsConvention ? 'warning' : 'error'), () => validateRuleName(groupWhere, field, rule[field]));
  collect(findings, at('expr'), () => validateRuleExpr(where, String(rule.expr ?? '')));
  for (const key of ['for', 'keep_firing_for']) {
    if (rule[key] !== undefined) collect(findings, at(key), () => validatePrometheusDuration(where, key, rule[key]));
  }
  for (const key of ['labels', 'annotations']) {
    collect(findings, at(key), () => validateTemplates(where, key, validateLabelNames(where, key, rule[key]) ?? {}));
  }
  if (field === 'alert') {
    collect(findings, at('labels', 'warning'), () => validateSeverity(where, rule.labels?.severity));
    for (const annotation of ['summary', 'description'] as const) {
      collect(findings, at('annotations', 'warning'), () => validateAnnotation(where, annotation, rule.annotations?.[annotation]));
    }
  }
}
