import { Duration } from 'cdk8s';
import { PrometheusSelector } from '../common/prometheus-selector';
import { SecretKeyReference } from '../common/secret-key-reference';
import { AlertSeverity } from '../common/severity';

/**
 * One input of the anomaly detector: a PromQL query whose every result series
 * gets its own model (so a `sum by (namespace)` query is watched per namespace).
 */
export interface AnomalyFeature {
  /**
   * Name of the feature: the `feature` label of the detector's metrics and alerts.
   * Lowercase letters, digits and '_', starting with a letter or '_'.
   */
  readonly name: string;

  /**
   * PromQL expression to watch, evaluated as a range query over the training window.
   * @example 'sum by (namespace) (rate(container_network_transmit_bytes_total[5m]))'
   */
  readonly query: string;
}

/**
 * Settings of the IsolationForest anomaly detector, as `SecurityMonitoringStack`'s
 * `anomalyDetection` option takes them.
 */
export interface AnomalyDetectionOptions {
  /**
   * The series to watch.
   * @default - per-namespace egress bytes rate, failed authentication rate,
   * Falco rule match rate and API server 401/403 rate (`AnomalyDetector.DEFAULT_FEATURES`)
   */
  readonly features?: AnomalyFeature[];

  /**
   * Number of isolation trees per model (1-1000).
   * @default 100
   */
  readonly trees?: number;

  /**
   * Points each tree is grown on (2-100000), capped at the points in the training window.
   * @default 256
   */
  readonly sampleSize?: number;

  /**
   * Expected share of anomalies in the training data, in (0, 0.5]: the newest
   * point is flagged when it is more abnormal than this share of the history.
   * @default 0.1
   */
  readonly contamination?: number;

  /**
   * How much history each model is trained on.
   * It must cover at least 21 scoring intervals.
   * @default Duration.days(7)
   */
  readonly trainingWindow?: Duration;

  /**
   * How often the detector scores (and the resolution of its training data),
   * at least 10 seconds.
   * @default Duration.minutes(1)
   */
  readonly scoringInterval?: Duration;

  /**
   * Base URL of the Prometheus HTTP API the detector queries.
   * @default 'http://prometheus-operated.monitoring.svc:9090' (kube-prometheus-stack in `monitoring`)
   */
  readonly prometheusUrl?: string;

  /**
   * Secret key holding the base URL of the Prometheus HTTP API, for a URL that
   * carries a credential (a Prometheus behind basic auth or a token): the
   * detector reads it from an environment variable set from the Secret, so the
   * URL is in neither the ConfigMap nor the manifests. Its port is `prometheusPort`.
   * @default - `prometheusUrl`
   */
  readonly prometheusUrlSecret?: SecretKeyReference;

  /**
   * Port of the URL in `prometheusUrlSecret`, which the NetworkPolicy lets the
   * detector reach (the URL itself is not known at synth).
   * @default 9090
   */
  readonly prometheusPort?: number;

  /**
   * Labels that make your Prometheus load the detector's ServiceMonitor and PrometheusRule.
   * @default PrometheusSelector.none()
   */
  readonly prometheusSelector?: PrometheusSelector;

  /**
   * Severity of the anomaly alert.
   * @default AlertSeverity.WARNING
   */
  readonly alertSeverity?: AlertSeverity;

  /**
   * How long a series must stay flagged before the alert fires.
   * @default Duration.minutes(5)
   */
  readonly alertFor?: Duration;

  /**
   * Runbook linked from the alerts (`runbook_url`).
   * @default - the library's anomaly detection runbook
   */
  readonly runbookUrl?: string;

  /**
   * Container image that runs the detector program: an official `node` image (Node.js >= 18), pinned by tag or digest.
   * @default 'node:22.12.0-alpine3.21'
   */
  readonly image?: string;
}
