import { createHash } from 'crypto';
import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AnomalyDetectionOptions, AnomalyFeature } from './anomaly-detection-options';
import { DETECTOR_FILES } from './detector-program.generated';
import { validateFeatureQuery } from './feature-query';
import { constructScope, optionalArgument } from '../common/arguments';
import { validateSignalFields } from '../common/cluster-identity';
import { hardenedContainerSecurityContext } from '../common/container-hardening';
import { durationMillis, prometheusDuration } from '../common/duration';
import { validatePinnedImage } from '../common/image';
import { createNetworkPolicy } from '../common/network-policy';
import { PrometheusSelector } from '../common/prometheus-selector';
import { secretKeySelector } from '../common/secret-key-reference';
import { createServiceMonitor } from '../common/service-monitor';
import { AlertSeverity } from '../common/severity';
import {
  validateDnsLabel, validateLabels, validatePort, validationError, ErrorLocation,
} from '../common/validation';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../imports/prometheusrules-monitoring.coreos.com';
import { validateRuleLabels } from '../prometheus/security-prometheus-rule';

/**
 * Properties of an `AnomalyDetector`.
 */
export interface AnomalyDetectorProps extends AnomalyDetectionOptions {
  /**
   * Name of the detector's objects (Deployment, Service, ConfigMap, ...), a DNS-1123 label.
   * @default 'anomaly-detector'
   */
  readonly name?: string;

  /**
   * Namespace the detector runs in. Its pod meets the `restricted` Pod Security Standard.
   * @default 'security-monitoring'
   */
  readonly namespace?: string;

  /**
   * Extra labels for every object.
   * @default - only the `app.kubernetes.io/name` and `app.kubernetes.io/instance` labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Labels set on every series the detector exports, by its ServiceMonitor
   * (a series' own label of the same name wins), e.g. `{ cluster: 'prod-eu-1' }`.
   * @default - none; a `SecurityMonitoringStack` with a `cluster` passes its identity
   */
  readonly seriesLabels?: { [key: string]: string };

  /**
   * Labels of the detector's alerting rules, under each alert's own, e.g.
   * `{ cluster: 'prod-eu-1' }`.
   * @default - none; a `SecurityMonitoringStack` passes its `ruleLabels` (cluster identity, routing labels)
   */
  readonly ruleLabels?: { [key: string]: string };
}

/** The official Node.js image the detector program runs on (a tag that exists on Docker Hub). */
const DEFAULT_IMAGE = 'node:22.12.0-alpine3.21';
/** The `node` user of the official image. */
const NODE_UID = 1000;
const METRICS_PORT = 8080;
const APP_DIR = '/app';
const FEATURE_NAME = /^[a-z_][a-z0-9_]*$/;
/** The detector's MIN_TRAINING_POINTS. */
const MIN_WINDOW_STEPS = 21;
/** Prometheus refuses range queries of more than 11,000 points per series. */
const MAX_POINTS_PER_QUERY = 10_000;
const MIN_SCORING_INTERVAL_MS = 10_000;

/**
 * Machine-learning anomaly detection on Prometheus metrics: a Deployment that,
 * every scoring interval, trains an IsolationForest per series of each feature
 * query on the training window, scores the newest point, and exports
 * `security_anomaly_score`, `security_anomaly_threshold` and
 * `security_anomaly_flag` (labels `feature` and the series' own, e.g.
 * `namespace`); a ServiceMonitor scrapes them and a PrometheusRule alerts on
 * flagged series and on a detector that stopped scoring.
 *
 * The detector is a dependency-free Node.js program shipped in a ConfigMap and
 * run by the official `node` image: nothing to build. Its IsolationForest
 * follows scikit-learn's (scores, `offset_` from `contamination`, `predict`)
 * and is tested against it.
 *
 * @example
 * new AnomalyDetector(chart, 'anomalies', { contamination: 0.05, trainingWindow: Duration.days(14) });
 */
export class AnomalyDetector extends Construct {
  /** The features watched by default. */
  public static readonly DEFAULT_FEATURES: AnomalyFeature[] = [
    { name: 'egress_bytes_rate', query: 'sum by (namespace) (rate(container_network_transmit_bytes_total[5m]))' },
    { name: 'failed_authentication_rate', query: 'sum(rate(authentication_attempts{result="failure"}[5m]))' },
    { name: 'falco_events_rate', query: 'sum(rate(falcosecurity_falco_rules_matches_total[5m]))' },
    { name: 'apiserver_unauthorized_rate', query: 'sum(rate(apiserver_request_total{code=~"401|403"}[5m]))' },
  ];

  /** Name of the detector's objects. */
  public readonly name: string;
  /** Namespace the detector runs in. */
  public readonly namespace: string;
  /** Name of the alert raised for a flagged series. */
  public readonly alertName = 'SecurityAnomalyDetected';
  /**
   * The detector's Deployment, the primary object (`node.defaultChild`): an
   * escape hatch for a field the props do not model, e.g.
   * `detector.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'x'))`.
   */
  public readonly workload: ApiObject;
  /** The ConfigMap holding the detector program and its `config.json`. */
  public readonly configMap: ApiObject;
  /** The Service of the metrics port. */
  public readonly service: ApiObject;
  /** The ServiceMonitor that has Prometheus scrape the scores. */
  public readonly serviceMonitor: ApiObject;
  /** The NetworkPolicy: ingress on the metrics port, egress to DNS and Prometheus only. */
  public readonly networkPolicy: ApiObject;
  /** The PrometheusRule alerting on flagged series and on a stalled detector. */
  public readonly prometheusRule: ApiObject;

  constructor(scope: Construct, id: string, props: AnomalyDetectorProps = {}) {
    super(constructScope('AnomalyDetector', scope, id), id);
    props = optionalArgument(this, 'props', props, { secretAlternatives: { prometheusUrl: 'prometheusUrlSecret' } }) ?? {};
    this.name = validateDnsLabel(this, 'name', props.name ?? 'anomaly-detector');
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? 'security-monitoring');
    const selectorLabels = { 'app.kubernetes.io/name': 'anomaly-detector', 'app.kubernetes.io/instance': this.name };
    const labels = { ...validateLabels(this, 'labels', props.labels ?? {}), ...selectorLabels };
    const metadata = { name: this.name, namespace: this.namespace, labels };

    const scoringInterval = prometheusDuration(this, 'scoringInterval', props.scoringInterval ?? Duration.minutes(1), 'Duration.minutes(1)');
    const scoringIntervalMs = durationMillis(this, 'scoringInterval', props.scoringInterval ?? Duration.minutes(1));
    if (scoringIntervalMs < MIN_SCORING_INTERVAL_MS) {
      throw validationError(this, 'scoringInterval is shorter than 10s', scoringInterval,
        'score at most every 10 seconds: each pass retrains every model');
    }
    const trainingWindow = prometheusDuration(this, 'trainingWindow', props.trainingWindow ?? Duration.days(7), 'Duration.days(7)');
    const trainingWindowMs = durationMillis(this, 'trainingWindow', props.trainingWindow ?? Duration.days(7));
    if (trainingWindowMs < MIN_WINDOW_STEPS * scoringIntervalMs) {
      throw validationError(this, `trainingWindow covers fewer than ${MIN_WINDOW_STEPS} scoring intervals`, trainingWindow,
        `use a trainingWindow of at least ${MIN_WINDOW_STEPS} × scoringInterval, or a shorter scoringInterval`);
    }
    const prometheus = prometheusEndpoint(this, props);
    const config = {
      ...prometheus.config,
      features: validateFeatures(this, props.features ?? AnomalyDetector.DEFAULT_FEATURES),
      trees: validateInteger(this, 'trees', props.trees ?? 100, 1, 1000),
      sampleSize: validateInteger(this, 'sampleSize', props.sampleSize ?? 256, 2, 100_000),
      contamination: validateContamination(this, props.contamination ?? 0.1),
      trainingWindowSeconds: trainingWindowMs / 1000,
      // Training resolution: the scoring interval, coarsened so that a range query stays under Prometheus' point limit.
      stepSeconds: Math.max(scoringIntervalMs / 1000, Math.ceil(trainingWindowMs / 1000 / MAX_POINTS_PER_QUERY)),
      scoringIntervalSeconds: scoringIntervalMs / 1000,
      port: METRICS_PORT,
      seed: 1,
    };
    const image = validatePinnedImage(this, 'image', props.image ?? DEFAULT_IMAGE, DEFAULT_IMAGE);

    const files = { ...DETECTOR_FILES, 'config.json': `${JSON.stringify(config, undefined, 2)}\n` };
    this.configMap = new k8s.KubeConfigMap(this, 'config-map', { metadata, data: files });
    this.workload = this.createDeployment(metadata, selectorLabels, image, checksum(files), prometheus.env);

    this.service = new k8s.KubeService(this, 'service', {
      metadata,
      spec: { selector: selectorLabels, ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: k8s.IntOrString.fromString('metrics') }] },
    });
    const selector = props.prometheusSelector ?? PrometheusSelector.none();
    this.serviceMonitor = createServiceMonitor(this, 'service-monitor', {
      name: this.name,
      namespace: this.namespace,
      labels,
      serviceLabels: selectorLabels,
      portName: 'metrics',
      path: '/metrics',
      selector,
      interval: scoringInterval,
    });
    // The scores carry the watched series' own labels (e.g. the namespace whose egress is abnormal):
    // keep them instead of letting the target's labels rename them to exported_*.
    this.serviceMonitor.addJsonPatch(JsonPatch.add('/spec/endpoints/0/honorLabels', true));
    // Target labels: with honorLabels a scraped series keeps a label of its own of the same name.
    const seriesLabels = Object.entries(validateSignalFields(this, 'seriesLabels', props.seriesLabels ?? {}));
    if (seriesLabels.length > 0) {
      this.serviceMonitor.addJsonPatch(JsonPatch.add('/spec/endpoints/0/relabelings',
        seriesLabels.map(([targetLabel, replacement]) => ({ action: 'replace', targetLabel, replacement }))));
    }

    this.networkPolicy = createNetworkPolicy(this, 'network-policy', {
      metadata,
      podSelector: selectorLabels,
      ingress: [{ port: METRICS_PORT }],
      egress: [
        { ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }, { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' }] },
        { ports: [{ port: k8s.IntOrString.fromNumber(prometheus.port), protocol: 'TCP' }] },
      ],
    });

    const ruleLabels = validateRuleLabels(this.node.path, props.ruleLabels ?? {});
    this.prometheusRule = this.createRules({ ...metadata, labels: { ...labels, ...selector.ruleLabels } },
      props, config.contamination, scoringIntervalMs, ruleLabels);
  }

  private createDeployment(
    metadata: k8s.ObjectMeta, selectorLabels: Record<string, string>, image: string, configChecksum: string, env?: k8s.EnvVar[],
  ): ApiObject {
    const probe = (initialDelaySeconds: number): k8s.Probe => ({
      httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('metrics') }, initialDelaySeconds, periodSeconds: 30, timeoutSeconds: 5,
    });
    return new k8s.KubeDeployment(this, 'Resource', {
      metadata,
      spec: {
        replicas: 1,
        selector: { matchLabels: selectorLabels },
        template: {
          // A new program or configuration changes the checksum, which rolls the pod.
          metadata: { labels: metadata.labels, annotations: { 'checksum/config': configChecksum } },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: { runAsNonRoot: true, runAsUser: NODE_UID, runAsGroup: NODE_UID, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'detector',
              image,
              command: ['node', '--max-old-space-size=192', `${APP_DIR}/main.js`, `${APP_DIR}/config.json`],
              env,
              ports: [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
              securityContext: { ...hardenedContainerSecurityContext(), seccompProfile: { type: 'RuntimeDefault' } },
              resources: {
                requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('128Mi') },
                limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('256Mi') },
              },
              livenessProbe: probe(30),
              readinessProbe: probe(5),
              volumeMounts: [{ name: 'program', mountPath: APP_DIR, readOnly: true }],
            }],
            volumes: [{ name: 'program', configMap: { name: metadata.name } }],
          },
        },
      },
    });
  }

  private createRules(metadata: k8s.ObjectMeta, props: AnomalyDetectionOptions, contamination: number, scoringIntervalMs: number,
    ruleLabels: Record<string, string>): ApiObject {
    const job = `job="${this.name}",namespace="${this.namespace}"`;
    const alertFor = prometheusDuration(this, 'alertFor', props.alertFor ?? Duration.minutes(5));
    const severity = props.alertSeverity ?? AlertSeverity.WARNING;
    const runbook = props.runbookUrl ?? 'https://github.com/cdk8s-security-monitoring/cdk8s-security-monitoring/blob/main/docs/runbooks/anomaly-detection.md';
    parseHttpUrl(this, 'runbookUrl', runbook);
    // Stalled: no complete scoring pass for three intervals (or the detector is not scraped at all).
    const staleSeconds = (3 * scoringIntervalMs) / 1000;
    return new PrometheusRule(this, 'prometheus-rule', {
      metadata,
      spec: {
        groups: [{
          name: `${this.name}.rules`,
          rules: [
            {
              alert: this.alertName,
              expr: PrometheusRuleSpecGroupsRulesExpr.fromString(`security_anomaly_flag{${job}} == 1`),
              for: alertFor,
              labels: { ...ruleLabels, severity },
              annotations: {
                summary: 'Anomalous {{ $labels.feature }}{{ with $labels.namespace }} in namespace {{ . }}{{ end }}',
                description: 'The IsolationForest detector "' + this.name + '" flags the newest value of feature {{ $labels.feature }} '
                  + `as more abnormal than ${+(100 * (1 - contamination)).toFixed(2)}% of its history (${historyText(this, props.trainingWindow ?? Duration.days(7))}). `
                  + 'Compare security_anomaly_value with its usual range and check what changed.',
                runbook_url: `${runbook}#${this.alertName.toLowerCase()}`,
              },
            },
            {
              alert: 'SecurityAnomalyDetectorStalled',
              expr: PrometheusRuleSpecGroupsRulesExpr.fromString(
                `absent(up{${job}} == 1) or (time() - max by (job, namespace) (security_anomaly_last_success_timestamp_seconds{${job}}) > ${staleSeconds})`),
              for: '15m',
              labels: { ...ruleLabels, severity: AlertSeverity.WARNING },
              annotations: {
                summary: `Anomaly detector ${this.namespace}/${this.name} is not scoring`,
                description: 'The detector is not scraped, or its feature queries have failed for more than three scoring intervals: '
                  + 'anomalies go undetected. See security_anomaly_query_failures_total and the pod logs.',
                runbook_url: `${runbook}#securityanomalydetectorstalled`,
              },
            },
          ],
        }],
      },
    });
  }
}

/** Hash of a ConfigMap's data, independent of key order. */
function checksum(data: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(Object.entries(data).sort(([a], [b]) => a.localeCompare(b)))).digest('hex');
}

function validateInteger(where: ErrorLocation, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw validationError(where, `${field} must be an integer from ${min} to ${max}`, value, `set ${field} within ${min}-${max}`);
  }
  return value;
}

function validateContamination(where: ErrorLocation, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 0.5)) {
    throw validationError(where, 'contamination must be in (0, 0.5]', value,
      'use the expected share of anomalies in the training data, e.g. 0.01 to 0.1');
  }
  return value;
}

function validateFeatures(where: ErrorLocation, features: unknown): AnomalyFeature[] {
  if (!Array.isArray(features) || features.length === 0) {
    throw validationError(where, 'features must be a non-empty list', features, 'pass at least one { name, query }, or omit features for the defaults');
  }
  const seen = new Set<string>();
  return features.map((feature, i) => {
    const { name, query } = feature ?? {};
    if (typeof name !== 'string' || !FEATURE_NAME.test(name)) {
      throw validationError(where, `features[${i}].name is not a valid feature name`, name,
        "use lowercase letters, digits and '_', starting with a letter or '_', e.g. \"egress_bytes_rate\"");
    }
    if (seen.has(name)) {
      throw validationError(where, `features[${i}].name is used by another feature`, name, 'give every feature its own name');
    }
    seen.add(name);
    return { name, query: validateFeatureQuery(where, `features[${i}].query ("${name}")`, query) };
  });
}

function parseHttpUrl(where: ErrorLocation, field: string, value: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    // reported below, with the value
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw validationError(where, `${field} is not an http(s) URL`, value, 'use an absolute URL such as "http://prometheus-operated.monitoring.svc:9090"');
  }
  return url;
}

function parsePrometheusUrl(where: ErrorLocation, value: unknown): URL {
  const url = parseHttpUrl(where, 'prometheusUrl', value);
  if (url.search || url.hash || url.username || url.password) {
    throw validationError(where, 'prometheusUrl must not carry a query, fragment or credentials', value,
      'give only the base URL of the Prometheus HTTP API, e.g. "http://prometheus-operated.monitoring.svc:9090"');
  }
  const api = /\/api\/v1(\/.*)?$/.exec(url.pathname);
  if (api) {
    // The detector asks <prometheusUrl>/api/v1/query_range: a URL with the API path would ask .../api/v1/api/v1/...
    const base = `${url.origin}${url.pathname.slice(0, api.index)}`;
    throw validationError(where, 'prometheusUrl ends in the API path /api/v1, which the detector appends itself', value,
      `give the base URL (a route prefix stays): did you mean "${base}"?`);
  }
  return url;
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** The variable the detector reads the Prometheus URL from, with `prometheusUrlSecret`. */
const PROMETHEUS_URL_ENV = 'PROMETHEUS_URL';

/**
 * Where the detector finds Prometheus: the URL in its config, or (for a URL
 * that carries a credential) an environment variable set from a Secret.
 */
function prometheusEndpoint(scope: Construct, props: AnomalyDetectionOptions): { config: Record<string, string>; port: number; env?: k8s.EnvVar[] } {
  const urlSecret = props.prometheusUrlSecret;
  if (urlSecret === undefined) {
    if (props.prometheusPort !== undefined) {
      throw validationError(scope, 'prometheusPort is set without prometheusUrlSecret', props.prometheusPort,
        'drop prometheusPort: the port of prometheusUrl is used');
    }
    const url = parsePrometheusUrl(scope, props.prometheusUrl ?? 'http://prometheus-operated.monitoring.svc:9090');
    return { config: { prometheusUrl: url.href }, port: portOf(url) };
  }
  if (props.prometheusUrl !== undefined) {
    throw validationError(scope, 'prometheusUrl and prometheusUrlSecret are both set', ['prometheusUrl', 'prometheusUrlSecret'],
      'set prometheusUrl, or prometheusUrlSecret: { secretName, key } of a Secret that holds a URL carrying a credential');
  }
  return {
    config: { prometheusUrlEnv: PROMETHEUS_URL_ENV },
    port: validatePort(scope, 'prometheusPort', props.prometheusPort ?? 9090),
    env: [{ name: PROMETHEUS_URL_ENV, valueFrom: { secretKeyRef: secretKeySelector(scope, 'prometheusUrlSecret', urlSecret) } }],
  };
}

/** The training window in the alert's prose: whole days as `7d` (not Prometheus' `1w`), other lengths in Prometheus' notation. */
function historyText(scope: Construct, trainingWindow: Duration): string {
  const ms = durationMillis(scope, 'trainingWindow', trainingWindow);
  const day = 24 * 3600 * 1000;
  return ms % day === 0 ? `${ms / day}d` : prometheusDuration(scope, 'trainingWindow', trainingWindow);
}
