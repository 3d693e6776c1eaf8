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
  const findings: Finding[] = [];
  const groups = manifest.object.spec?.groups;
  if (!Array.isArray(groups)) {
    return [{ path: ['spec'], severity: 'error', message: 'spec.groups is not a list of rule groups: Prometheus loads no rules from this object' }];
  }
  groups.forEach((group: Record<string, any>, g: number) => {
    const groupPath = ['spec', 'groups', g];
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
  collect(findings, at(field), () => validateRuleName(groupWhere, field, rule[field]));
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
