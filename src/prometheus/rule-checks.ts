import { PromQL } from './promql';
import { PROMETHEUS_TEMPLATES, validateGoTemplate } from '../common/go-template';
import { AlertSeverity } from '../common/severity';
import { validatePrometheusLabelName, validationError } from '../common/validation';

/**
 * The checks a Prometheus rule must pass, shared by `PrometheusRuleGroup` (on
 * typed props) and the `check` CLI (on rendered rule files). Each throws a
 * `ValidationError`, so the construct fails on the first problem and the CLI
 * can collect one finding per check.
 */

/** Prometheus' metric-name rule, which alert and record names must follow too. */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SEVERITIES: string[] = Object.values(AlertSeverity);

/**
 * Labels and annotations are Go templates: one that does not parse, or uses a
 * function or variable Prometheus' templates lack, makes Prometheus reject the whole rule file.
 */
export function validateTemplates(where: string, field: string, values: { [key: string]: string }): void {
  for (const [key, value] of Object.entries(values)) validateGoTemplate(where, `${field}.${key}`, String(value), PROMETHEUS_TEMPLATES);
}

type Labels = { [key: string]: string };

export function validateLabelNames(where: string, field: string, labels: Labels | undefined): Labels | undefined {
  if (labels === undefined) return undefined;
  for (const [key, value] of Object.entries(labels)) {
    validatePrometheusLabelName(where, `${field} key`, key);
    if (typeof value !== 'string') throw validationError(where, `${field}["${key}"] must be a string`, value, 'quote the value');
  }
  // A copy of what was validated: a later change to the caller's object must not reach the rule.
  return { ...labels };
}

/** An alert or record name; `where` is the group, since the name itself is what is wrong. */
export function validateRuleName(where: string, field: 'alert' | 'record', name: unknown): void {
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    const example = field === 'alert' ? '"FalcoCriticalEvent"' : '"namespace:falco_events:rate5m"';
    throw validationError(where, `${field} name is not a valid metric name`, name, `use letters, digits, "_" and ":", e.g. ${example}`);
  }
}

export function validateSeverity(where: string, severity: unknown): void {
  if (!SEVERITIES.includes(severity as string)) {
    throw validationError(where, 'severity is not one of critical, warning, info', severity, 'use AlertSeverity.CRITICAL, WARNING or INFO');
  }
}

/** The summary and description annotations responders read first. */
export function validateAnnotation(where: string, field: 'summary' | 'description', value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw validationError(where, `${field} annotation is missing`, value, `write a ${field}: responders read it first`);
  }
}

/** A valid PromQL expression of a type a rule can evaluate. */
export function validateRuleExpr(where: string, expr: string): void {
  const type = PromQL.typeOf(expr, `${where}: expr`);
  if (type !== 'instant vector' && type !== 'scalar') {
    throw validationError(where, `expr is a ${type}, but a rule needs an instant vector or a scalar`, expr, 'wrap a range vector in a function such as rate(...)');
  }
}
