/**
 * The anomaly detector program: every scoring interval it reads each feature
 * query's series over the training window from Prometheus' HTTP API, fits one
 * IsolationForest per series on the window, scores the newest point and exports
 * the results at `/metrics`.
 *
 * One model per series (rather than one over all features) keeps a flag
 * attributable: the alert says which feature and which namespace is abnormal.
 *
 * Shipped in a ConfigMap and run by the official `node` image: only Node.js
 * built-ins (global `fetch`, Node >= 18) and ./isolation-forest.
 *
 *   node main.js <config.json>          serve /metrics and /healthz, score every interval
 *   node main.js <config.json> --once   score once, print the results as JSON, exit
 */
import { readFileSync } from 'fs';
import { createServer } from 'http';
import { IsolationForest } from './isolation-forest';

/** The detector's configuration: the `config.json` that the AnomalyDetector construct renders. */
export interface DetectorConfig {
  /** Base URL of the Prometheus HTTP API; or the environment variable below holds it. */
  readonly prometheusUrl?: string;
  /** Environment variable holding the base URL (set from a Secret when the URL carries a credential). */
  readonly prometheusUrlEnv?: string;
  readonly features: ReadonlyArray<{ readonly name: string; readonly query: string }>;
  readonly trees: number;
  readonly sampleSize: number;
  readonly contamination: number;
  readonly trainingWindowSeconds: number;
  /** Resolution of the training data (the `step` of `query_range`). */
  readonly stepSeconds: number;
  readonly scoringIntervalSeconds: number;
  readonly port: number;
  readonly seed: number;
}

/** One series of one feature, scored at its newest point. */
export interface SeriesResult {
  readonly feature: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly trainingPoints: number;
  /** Unix seconds of the scored point. */
  readonly timestamp: number;
  readonly value: number;
  /** The anomaly score s in (0, 1] of the original paper (-score_samples): higher is more abnormal. */
  readonly score: number;
  /** The score above which a point is flagged (-offset_). */
  readonly threshold: number;
  readonly anomalous: boolean;
}

interface Series {
  readonly labels: Record<string, string>;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/** Fewer points than this in the window give no meaningful model: the series is not scored. */
export const MIN_TRAINING_POINTS = 21;
const QUERY_TIMEOUT_MS = 30_000;

/** Runs a range query; only finite samples are kept (rates can be NaN after counter resets). */
export async function queryRange(config: DetectorConfig, query: string, end: number): Promise<Series[]> {
  const params = new URLSearchParams({
    query,
    start: String(end - config.trainingWindowSeconds),
    end: String(end),
    step: String(config.stepSeconds),
  });
  const url = `${(config.prometheusUrl ?? '').replace(/\/+$/, '')}/api/v1/query_range?${params}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
  const body = await response.json() as any;
  if (!response.ok || body.status !== 'success') {
    throw new Error(`query_range ${JSON.stringify(query)}: HTTP ${response.status}: ${body.error ?? 'unexpected response'}`);
  }
  return body.data.result.map((series: any) => {
    const { __name__: _, ...labels } = series.metric;
    const points = series.values
      .map(([t, v]: [number, string]): [number, number] => [Number(t), Number(v)])
      .filter(([, v]: [number, number]) => Number.isFinite(v));
    return { labels, points };
  });
}

/** Fits on the whole window and scores its newest point; undefined when there is too little history. */
export function scoreSeries(config: DetectorConfig, feature: string, series: Series): SeriesResult | undefined {
  // The newest point is part of the training data, as in sklearn's fit_predict: a point outside
  // the range of the data a forest was grown on lands in an edge leaf and scores like the most
  // extreme training point, so a first spike scored against older data alone would go unflagged.
  const training = series.points.map(([, v]) => [v]);
  if (training.length < MIN_TRAINING_POINTS) return undefined;
  const [timestamp, value] = series.points[series.points.length - 1];
  const forest = new IsolationForest(config).fit(training);
  const score = -forest.scoreSamples([[value]])[0];
  const threshold = -forest.offset;
  // sklearn's rule: an outlier has score_samples < offset_, i.e. s > -offset_.
  return { feature, labels: series.labels, trainingPoints: training.length, timestamp, value, score, threshold, anomalous: score > threshold };
}

/** One scoring pass over every feature. A failing query fails its feature only. */
export async function runOnce(config: DetectorConfig, now = Date.now() / 1000) {
  const results: SeriesResult[] = [];
  const failures: Array<{ feature: string; error: string }> = [];
  for (const { name, query } of config.features) {
    try {
      for (const series of await queryRange(config, query, Math.floor(now))) {
        const result = scoreSeries(config, name, series);
        if (result) results.push(result);
      }
    } catch (e) {
      failures.push({ feature: name, error: String(e) });
    }
  }
  return { results, failures };
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelSet(labels: Record<string, string>): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

/** Detector state as Prometheus text exposition. */
export function renderMetrics(results: readonly SeriesResult[], failuresByFeature: ReadonlyMap<string, number>, lastSuccess: number): string {
  const gauge = (name: string, help: string, value: (r: SeriesResult) => number) => [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    // The feature label wins over a series label of the same name.
    ...results.map((r) => `${name}${labelSet({ ...r.labels, feature: r.feature })} ${value(r)}`),
  ];
  return [
    ...gauge('security_anomaly_score', 'IsolationForest anomaly score of the newest point, in (0, 1]; higher is more abnormal.', (r) => r.score),
    ...gauge('security_anomaly_threshold', 'Score above which a point is flagged (set by the contamination).', (r) => r.threshold),
    ...gauge('security_anomaly_flag', '1 if the newest point is flagged as an anomaly, else 0.', (r) => (r.anomalous ? 1 : 0)),
    ...gauge('security_anomaly_value', 'The scored value of the feature query.', (r) => r.value),
    ...gauge('security_anomaly_training_points', 'Points the model of the series was trained on.', (r) => r.trainingPoints),
    '# HELP security_anomaly_query_failures_total Failed feature queries.',
    '# TYPE security_anomaly_query_failures_total counter',
    ...[...failuresByFeature].map(([feature, n]) => `security_anomaly_query_failures_total${labelSet({ feature })} ${n}`),
    '# HELP security_anomaly_last_success_timestamp_seconds When a scoring pass last completed without failures.',
    '# TYPE security_anomaly_last_success_timestamp_seconds gauge',
    `security_anomaly_last_success_timestamp_seconds ${lastSuccess}`,
    '',
  ].join('\n');
}

/** Scores every interval and serves the latest results until the process is stopped. */
function serve(config: DetectorConfig): void {
  let metrics = renderMetrics([], new Map(), 0);
  let lastAttempt = Date.now();
  let lastSuccess = 0;
  const failures = new Map<string, number>(config.features.map((f) => [f.name, 0]));
  const tick = async () => {
    lastAttempt = Date.now();
    const { results, failures: failed } = await runOnce(config);
    for (const f of failed) {
      failures.set(f.feature, (failures.get(f.feature) ?? 0) + 1);
      console.error(f.error);
    }
    if (failed.length === 0) lastSuccess = Date.now() / 1000;
    metrics = renderMetrics(results, failures, lastSuccess);
    setTimeout(tick, config.scoringIntervalSeconds * 1000);
  };
  // Healthy while the scoring loop keeps ticking; a Prometheus outage is reported by metrics, not restarts.
  const stalledAfterMs = Math.max(3 * config.scoringIntervalSeconds * 1000, 5 * 60_000);
  createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(metrics);
    } else if (req.url === '/healthz') {
      const healthy = Date.now() - lastAttempt < stalledAfterMs;
      res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok\n' : 'scoring loop stalled\n');
    } else {
      res.writeHead(404).end();
    }
  }).listen(config.port);
  void tick();
}

/** The configuration from config.json, with the Prometheus URL from the environment when it comes from a Secret. */
export function loadConfig(json: string, env: Record<string, string | undefined>): DetectorConfig {
  const config: DetectorConfig = JSON.parse(json);
  return config.prometheusUrlEnv === undefined ? config : { ...config, prometheusUrl: env[config.prometheusUrlEnv] };
}

if (require.main === module) {
  const config = loadConfig(readFileSync(process.argv[2], 'utf8'), process.env);
  if (process.argv.includes('--once')) {
    void runOnce(config).then((outcome) => {
      process.stdout.write(`${JSON.stringify(outcome)}\n`);
      process.exitCode = outcome.failures.length > 0 ? 1 : 0;
    });
  } else {
    serve(config);
  }
}
