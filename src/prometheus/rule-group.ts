import { anomalyRules } from './anomaly-detection';
import { PromQL } from './promql';
import { validateAnnotation, validateLabelNames, validateRuleExpr, validateRuleName, validateSeverity, validateTemplates } from './rule-checks';
import { AlertingRuleProps, AlertTestCase, AnomalyDetectionProps, RecordingRuleProps, RuleGroupProps } from './rule-props';
import { requiredArgument } from '../common/arguments';
import { prometheusDuration } from '../common/duration';
import { validationError } from '../common/validation';

/** Annotations the library writes from typed props; users must not set them twice. */
const RESERVED_ANNOTATIONS = ['summary', 'description', 'runbook_url'];
const NUMBER = String.raw`(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|Inf|NaN)`;
/** promtool's expanding notation: `1 2 3`, `0+10x10`, `5-1x4`, `7x3`, `_`, `_x3`, `stale`. */
const SERIES_VALUE = new RegExp(String.raw`^(?:_(?:x\d+)?|stale|[+-]?${NUMBER}(?:[+-]${NUMBER}x\d+|x\d+)?)$`);

/** A unit test with its durations in Prometheus' notation, as promtool reads them. */
type RenderedTest = Omit<AlertTestCase, 'evalTime' | 'interval'> & { readonly evalTime: string; readonly interval: string };

/** A rule in Prometheus rule-file form (snake_case keys). */
interface RenderedRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels?: { [key: string]: string };
  readonly annotations?: { [key: string]: string };
}

/**
 * A rule group of a `SecurityPrometheusRule`: created by `addGroup`, filled
 * by `addAlert` and `addRecordingRule`. Every rule is validated when added.
 */
export class PrometheusRuleGroup {
  /**
   * Use `SecurityPrometheusRule.addGroup`.
   * @param where the owning construct's path, for error messages
   * @internal
   */
  public static _create(where: string, props: RuleGroupProps, ruleLabels: { [key: string]: string } = {}): PrometheusRuleGroup {
    return new PrometheusRuleGroup(where, props, ruleLabels);
  }

  /** Group name. */
  public readonly name: string;

  private readonly props: RuleGroupProps;
  /** `interval` and `queryOffset` in Prometheus' notation. */
  private readonly interval?: string;
  private readonly queryOffset?: string;
  private readonly renderedRules: RenderedRule[] = [];
  private readonly testCases: Array<{ alert: RenderedRule; test: RenderedTest }> = [];
  private readonly missingRunbooks: string[] = [];
  /** Whether expressions and test series are parsed when added; off only inside `_addBuiltIn`. */
  private checksPromQL = true;

  /**
   * @param ruleLabels labels of every alerting rule of the owner (e.g. the
   * cluster), under each alert's own labels: added when the group is rendered
   */
  private constructor(private readonly where: string, props: RuleGroupProps, private readonly ruleLabels: { [key: string]: string }) {
    const location = `${where}: group "${props.name}"`;
    if (typeof props.name !== 'string' || props.name.trim() === '') {
      throw validationError(where, 'rule group name is empty', props.name, 'name the group, e.g. "security.falco"');
    }
    this.interval = props.interval === undefined ? undefined : prometheusDuration(location, 'interval', props.interval, 'Duration.minutes(1)');
    this.queryOffset = props.queryOffset === undefined ? undefined : prometheusDuration(location, 'queryOffset', props.queryOffset, 'Duration.seconds(30)');
    if (props.limit !== undefined && !(Number.isInteger(props.limit) && props.limit >= 0)) {
      throw validationError(location, 'limit must be a non-negative integer', props.limit, 'use 0 for no limit');
    }
    this.name = props.name;
    this.props = props;
  }

  /**
   * Adds an alerting rule.
   * @throws if the expression, durations, names or labels are invalid
   */
  public addAlert(props: AlertingRuleProps): PrometheusRuleGroup {
    props = requiredArgument(this.where, 'props', props, '{ alert, expr, severity, summary, description }');
    const where = `${this.where}: alert "${props.alert}"`;
    validateRuleName(this.where, 'alert', props.alert);
    validateSeverity(where, props.severity);
    validateAnnotation(where, 'summary', props.summary);
    validateAnnotation(where, 'description', props.description);
    if (props.labels?.severity !== undefined) {
      throw validationError(where, 'labels.severity is set', props.labels.severity, 'use the severity property instead');
    }
    const reserved = Object.keys(props.annotations ?? {}).find((key) => RESERVED_ANNOTATIONS.includes(key));
    if (reserved) throw validationError(where, `annotations.${reserved} is set`, props.annotations![reserved], 'use the summary, description and runbookUrl properties');
    if (this.checksPromQL) validateRuleExpr(where, props.expr);
    if (props.runbookUrl === undefined) this.missingRunbooks.push(props.alert);

    const rule: RenderedRule = {
      alert: props.alert,
      expr: props.expr,
      for: props.for === undefined ? undefined : prometheusDuration(where, 'for', props.for),
      keep_firing_for: props.keepFiringFor === undefined ? undefined : prometheusDuration(where, 'keepFiringFor', props.keepFiringFor),
      labels: { ...validateLabelNames(where, 'labels', props.labels), severity: props.severity },
      annotations: {
        summary: props.summary,
        description: props.description,
        ...(props.runbookUrl === undefined ? {} : { runbook_url: props.runbookUrl }),
        ...validateLabelNames(where, 'annotations', props.annotations),
      },
    };
    validateTemplates(where, 'labels', rule.labels!);
    validateTemplates(where, 'annotations', rule.annotations!);
    // Same name with other labels (e.g. a warning and a critical variant) is a common, valid
    // pattern; same name and same labels makes two rules write the same ALERTS series.
    const sameLabels = JSON.stringify(Object.entries(rule.labels!).sort());
    if (this.renderedRules.some((r) => r.alert === rule.alert && JSON.stringify(Object.entries(r.labels ?? {}).sort()) === sameLabels)) {
      throw validationError(where, `is already defined in group "${this.props.name}" with the same labels`, props.alert,
        'rename it, or give the variants different labels (e.g. another severity)');
    }
    for (const test of props.tests ?? []) this.testCases.push({ alert: rule, test: this.checkTest(where, test) });
    this.renderedRules.push(rule);
    return this;
  }

  /**
   * Adds a recording rule.
   * @throws if the expression, the record name or the labels are invalid
   */
  public addRecordingRule(props: RecordingRuleProps): PrometheusRuleGroup {
    props = requiredArgument(this.where, 'props', props, '{ record, expr }');
    const where = `${this.where}: record "${props.record}"`;
    validateRuleName(this.where, 'record', props.record);
    if (this.checksPromQL) validateRuleExpr(where, props.expr);
    this.renderedRules.push({ record: props.record, expr: props.expr, labels: validateLabelNames(where, 'labels', props.labels) });
    return this;
  }

  /**
   * Adds a statistical anomaly detector: recording rules for the signal, its
   * mean and standard deviation over a window (with a seasonal offset), its
   * z-score, and an alert when |z-score| exceeds a threshold once enough
   * history exists.
   */
  public addAnomalyDetection(props: AnomalyDetectionProps): PrometheusRuleGroup {
    props = requiredArgument(this.where, 'props', props, '{ name, signal, alert, summary }');
    const rules = anomalyRules(`${this.where}: anomaly detection "${props.name}"`, props, this.props.interval);
    for (const record of rules.records) this.addRecordingRule(record);
    return this.addAlert(rules.alert);
  }

  /**
   * Lets `add` fill this group with the library's built-in rules. Their
   * expressions and test series are constants, which the test suite checks
   * with this library's PromQL checker and with promtool; parsing them again
   * on every synth cost a fresh `cdk8s synth` process about 13 ms (the
   * parser is not yet optimized by V8 then). Everything else about them is
   * validated as usual.
   * @internal
   */
  public _addBuiltIn(add: (group: PrometheusRuleGroup) => void): PrometheusRuleGroup {
    this.checksPromQL = false;
    try {
      add(this);
    } finally {
      this.checksPromQL = true;
    }
    return this;
  }

  /**
   * Each alerting rule's name and expression, in order.
   * @internal
   */
  public _alertExpressions(): Array<{ readonly alert: string; readonly expr: string }> {
    return this.renderedRules.flatMap((rule) => (rule.alert === undefined ? [] : [{ alert: rule.alert, expr: rule.expr }]));
  }

  /** Names of the alerts that have no runbook URL. */
  public get alertsWithoutRunbook(): string[] {
    return [...this.missingRunbooks];
  }

  /**
   * The group in Prometheus rule-file form; fields newer than `version` are left out.
   * @internal
   */
  public _renderGroup(version: [number, number] = [Infinity, 0]): Record<string, unknown> {
    const atLeast = (major: number, minor: number) => version[0] > major || (version[0] === major && version[1] >= minor);
    return {
      name: this.name,
      interval: this.interval,
      limit: atLeast(2, 31) ? this.props.limit : undefined,
      query_offset: atLeast(2, 53) ? this.queryOffset : undefined,
      rules: this.renderedRules.map((rule) => {
        const labelled = this.withRuleLabels(rule);
        return atLeast(2, 42) ? labelled : { ...labelled, keep_firing_for: undefined };
      }),
    };
  }

  /**
   * The promtool test cases of this group's alerts.
   * @internal
   */
  public _renderTests(): Array<Record<string, unknown>> {
    return this.testCases.map(({ alert, test }) => ({
      name: `${alert.alert}: ${test.name}`,
      interval: test.interval,
      input_series: test.series.map((s) => ({ series: s.series, values: s.values })),
      alert_rule_test: [{
        eval_time: test.evalTime,
        alertname: alert.alert,
        exp_alerts: test.expectedAlerts.map((expected) => ({
          exp_labels: alertLabels(this.withRuleLabels(alert).labels ?? {}, expected.labels ?? {}),
          exp_annotations: { ...alert.annotations, ...expected.annotations },
        })),
      }],
    }));
  }

  /** An alerting rule with the owner's rule labels under its own; recording rules stay as written. */
  private withRuleLabels(rule: RenderedRule): RenderedRule {
    if (rule.alert === undefined || Object.keys(this.ruleLabels).length === 0) return rule;
    return { ...rule, labels: { ...this.ruleLabels, ...rule.labels } };
  }

  private checkTest(where: string, test: AlertTestCase): RenderedTest {
    const at = `${where}: test "${test.name}"`;
    const evalTime = prometheusDuration(at, 'evalTime', test.evalTime, 'Duration.minutes(10)');
    const interval = test.interval === undefined ? '1m' : prometheusDuration(at, 'interval', test.interval, 'Duration.minutes(1)');
    for (const input of test.series) {
      if (!/^[a-zA-Z_:][\w:]*(\{.*\})?$/s.test(input.series) || (this.checksPromQL && PromQL.typeOf(input.series, `${at}: series`) !== 'instant vector')) {
        throw validationError(at, 'series is not a metric name with optional labels', input.series, 'write it like up{job="falco"}');
      }
      const bad = input.values.trim().split(/\s+/).find((token) => !SERIES_VALUE.test(token));
      if (bad !== undefined) {
        throw validationError(at, `values of ${input.series} contain "${bad}", which is not expanding notation`, input.values,
          'use numbers, "a+bxn" (n steps of b from a), "axn", "_" or "stale", separated by spaces');
      }
    }
    for (const expected of test.expectedAlerts) validateLabelNames(at, 'expected labels', expected.labels);
    // A copy of what was validated: a later change to the caller's objects must not reach the tests.
    return {
      ...test,
      evalTime,
      interval,
      series: test.series.map((input) => ({ ...input })),
      expectedAlerts: test.expectedAlerts.map((alert) => ({
        ...alert,
        labels: alert.labels && { ...alert.labels },
        annotations: alert.annotations && { ...alert.annotations },
      })),
    };
  }
}

/** A rule label template that copies one label of the series, e.g. `{{ $labels.namespace }}`. */
const COPIED_LABEL = /^\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}$/;

/**
 * The labels Prometheus gives an alert, for a test's expected alert: the
 * series' labels, overwritten by the rule's (as Prometheus does). A rule label
 * that copies a series label is expanded (and absent when that label is); the
 * test gives the value of any other template.
 */
function alertLabels(ruleLabels: { [key: string]: string }, seriesLabels: { [key: string]: string }): { [key: string]: string } {
  const labels: { [key: string]: string } = { ...ruleLabels, ...seriesLabels };
  for (const [name, value] of Object.entries(ruleLabels)) {
    const copied = COPIED_LABEL.exec(value)?.[1];
    if (copied !== undefined) {
      // Prometheus drops a label whose template expands to the empty string.
      if (seriesLabels[copied]) labels[name] = seriesLabels[copied];
      else delete labels[name];
    } else if (!value.includes('{{')) {
      labels[name] = value;
    }
  }
  return labels;
}
