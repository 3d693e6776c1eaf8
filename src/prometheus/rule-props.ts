import { Duration } from 'cdk8s';
import { AlertSeverity } from '../common/severity';

/**
 * One input series of a promtool unit test.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/#series
 */
export interface SeriesInput {
  /** The series in selector notation, e.g. `up{job="falco"}`. */
  readonly series: string;

  /**
   * Sample values in promtool's expanding notation, one per test interval:
   * `0+10x10` (0, 10, ..., 100), `5x3` (5 four times), `_` (missing),
   * `stale`, or plain numbers separated by spaces.
   */
  readonly values: string;
}

/** One alert a unit test expects to be firing at `evalTime`. */
export interface ExpectedAlert {
  /**
   * Labels of the alert besides `alertname` and the rule's own labels (which
   * are added for you), i.e. the labels of the series the expression returns.
   * @default {}
   */
  readonly labels?: { [key: string]: string };

  /**
   * Expected annotations after template expansion. Merged over the rule's
   * annotations, so give only those that contain templates.
   * @default - the rule's annotations as written
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * A promtool unit test of one alerting rule: input series and the alerts
 * expected at one evaluation time. An empty `expectedAlerts` asserts that the
 * alert does not fire.
 */
export interface AlertTestCase {
  /** What the test shows, e.g. "fires on a burst of 401s". */
  readonly name: string;

  /** Input series. */
  readonly series: SeriesInput[];

  /** When to evaluate, as a time from the start of the series, e.g. `Duration.minutes(10)`. */
  readonly evalTime: Duration;

  /** Alerts expected to be firing at `evalTime`; empty means none. */
  readonly expectedAlerts: ExpectedAlert[];

  /**
   * Time between two input samples.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;
}

/**
 * An alerting rule.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/
 */
export interface AlertingRuleProps {
  /** Alert name, a valid metric name in UpperCamelCase by convention, e.g. `FalcoCriticalEvent`. */
  readonly alert: string;

  /** PromQL expression; validated at synth time. */
  readonly expr: string;

  /** Severity: the `severity` label Alertmanager routes on. */
  readonly severity: AlertSeverity;

  /** One-line summary (the `summary` annotation); may use `{{ $labels.x }}`. */
  readonly summary: string;

  /** What happened and what to do (the `description` annotation). */
  readonly description: string;

  /**
   * Link to the runbook (the `runbook_url` annotation). Strongly encouraged:
   * its absence is reported as a synth warning.
   * @default - none, with a warning
   */
  readonly runbookUrl?: string;

  /**
   * How long the condition must hold before the alert fires (`for`),
   * rendered in Prometheus' notation: `Duration.minutes(90)` is `1h30m`.
   * @default - fires on the first evaluation that returns a result
   */
  readonly for?: Duration;

  /**
   * How long the alert keeps firing after the condition cleared
   * (`keep_firing_for`, Prometheus 2.42+).
   * @default - resolves immediately
   */
  readonly keepFiringFor?: Duration;

  /**
   * Extra labels; `severity` is set from `severity`.
   * @default {}
   */
  readonly labels?: { [key: string]: string };

  /**
   * Extra annotations besides summary, description and runbook_url.
   * @default {}
   */
  readonly annotations?: { [key: string]: string };

  /**
   * promtool unit tests of this alert, written next to the rule file by
   * `SecurityPrometheusRule.toUnitTestFile()`.
   * @default []
   */
  readonly tests?: AlertTestCase[];
}

/**
 * A recording rule.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/
 */
export interface RecordingRuleProps {
  /** Name of the series to record, `level:metric:operations` by convention. */
  readonly record: string;

  /** PromQL expression; validated at synth time. */
  readonly expr: string;

  /**
   * Labels to add to the recorded series.
   * @default {}
   */
  readonly labels?: { [key: string]: string };
}

/** A group of rules evaluated together, in order. */
export interface RuleGroupProps {
  /** Group name, unique within a `SecurityPrometheusRule`. */
  readonly name: string;

  /**
   * How often the rules are evaluated.
   * @default - Prometheus' global evaluation_interval
   */
  readonly interval?: Duration;

  /**
   * Maximum number of alerts (per alerting rule) or series (per recording
   * rule); beyond it the rule fails. 0 means no limit. Prometheus 2.31+.
   * @default 0
   */
  readonly limit?: number;

  /**
   * Evaluates the group this far in the past, to wait for late samples
   * (Prometheus 2.53+).
   * @default - Prometheus' global rule_query_offset
   */
  readonly queryOffset?: Duration;
}

/**
 * A statistical anomaly detector for one PromQL signal, added with
 * `PrometheusRuleGroup.addAnomalyDetection`.
 */
export interface AnomalyDetectionProps {
  /**
   * Name under which the signal is recorded; the statistics are recorded as
   * `<name>:avg_<window>`, `<name>:stddev_<window>` and `<name>:zscore`.
   * E.g. `security:apiserver_auth_failures:rate5m`.
   */
  readonly name: string;

  /** The signal, an instant-vector PromQL expression, e.g. `sum(rate(authentication_attempts{result="failure"}[5m]))`. */
  readonly signal: string;

  /** Name of the alert that fires on an anomaly. */
  readonly alert: string;

  /** Summary of the alert. */
  readonly summary: string;

  /**
   * Description of the alert.
   * @default - states the z-score and the threshold
   */
  readonly description?: string;

  /**
   * Runbook URL of the alert.
   * @default - none, with a warning
   */
  readonly runbookUrl?: string;

  /**
   * Severity of the alert.
   * @default AlertSeverity.WARNING
   */
  readonly severity?: AlertSeverity;

  /**
   * Window of the baseline mean and standard deviation; its Prometheus
   * notation names the recorded statistics (`Duration.days(7)`: `avg_1w`).
   * @default Duration.days(7)
   */
  readonly window?: Duration;

  /**
   * Seasonal offset: mean and standard deviation are taken over the window
   * this far back, so an ongoing anomaly does not inflate its own baseline.
   * `Duration.seconds(0)` uses the window ending now.
   * @default Duration.days(7)
   */
  readonly seasonalOffset?: Duration;

  /**
   * The alert fires when |z-score| exceeds this.
   * @default 3
   */
  readonly threshold?: number;

  /**
   * Samples the baseline window must hold before the alert
   * may fire, so that a new detector stays silent until history exists.
   * @default - 90% of the samples the window holds at the group's interval (1m if unset)
   */
  readonly minSamples?: number;

  /**
   * How long the anomaly must last before the alert fires.
   * @default Duration.minutes(15)
   */
  readonly for?: Duration;

  /**
   * promtool unit tests of the anomaly alert.
   * @default []
   */
  readonly tests?: AlertTestCase[];
}
