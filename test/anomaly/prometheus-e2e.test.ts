/**
 * End to end with a real Prometheus (Debian's `prometheus` package): synthetic
 * counters with an injected egress burst are loaded as TSDB blocks, Prometheus
 * serves them on loopback, and the detector program exactly as the ConfigMap
 * ships it (`node main.js config.json --once`) must flag the burst and not the
 * normal namespace.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { AnomalyDetector } from '../../src';
import { createRandom } from '../../src/anomaly/detector/isolation-forest';
import { findObject, synth } from '../util';
import { describeLive, liveTool, PROMETHEUS, PROMTOOL } from '../util/live-tools';

jest.setTimeout(120_000);

const SCRAPE_SECONDS = 30;
const HISTORY_SECONDS = 6 * 3600;
const BURST_SECONDS = 10 * 60;
const BASE_RATE = 1000;

/** OpenMetrics for two namespaces' egress counters ending at `end`: "shop" bursts to 20× its rate for the last 10 minutes. */
function syntheticEgress(end: number): string {
  const random = createRandom(42);
  const lines = ['# TYPE container_network_transmit_bytes counter'];
  for (const namespace of ['shop', 'batch']) {
    let total = 0;
    for (let t = end - HISTORY_SECONDS; t <= end; t += SCRAPE_SECONDS) {
      const recent = t > end - BURST_SECONDS;
      // Normal traffic: ±20% noise; "batch" ends on its typical rate, "shop" on a burst.
      const rate = recent ? (namespace === 'shop' ? 20 * BASE_RATE : BASE_RATE) : BASE_RATE * (0.8 + 0.4 * random());
      total += rate * SCRAPE_SECONDS;
      lines.push(`container_network_transmit_bytes_total{namespace="${namespace}",pod="${namespace}-0"} ${total} ${t}`);
    }
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

async function waitUntilReady(url: string, prometheus: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (prometheus.exitCode !== null) throw new Error(`prometheus exited with ${prometheus.exitCode}`);
    try {
      if ((await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`prometheus not ready within ${timeoutMs} ms`);
}

/** Stops a child process: SIGTERM, then SIGKILL after 10 s. */
async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

describeLive(PROMETHEUS, 'AnomalyDetector against a real Prometheus', (prometheusCommand) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'anomaly-e2e-'));
  let prometheus: ChildProcess | undefined;
  let detector: ChildProcess | undefined;
  let program: string;
  let outcome: { results: any[]; failures: any[] };

  beforeAll(async () => {
    const end = Math.floor(Date.now() / 1000);
    writeFileSync(path.join(dir, 'egress.om'), syntheticEgress(end));
    execFileSync(liveTool(PROMTOOL) ?? 'promtool', ['tsdb', 'create-blocks-from', 'openmetrics', path.join(dir, 'egress.om'), path.join(dir, 'data')],
      { stdio: 'pipe', timeout: 60_000 });
    writeFileSync(path.join(dir, 'prometheus.yml'), 'scrape_configs: []\n');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    prometheus = spawn(prometheusCommand, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ], { stdio: 'ignore' });
    await waitUntilReady(url, prometheus, 30_000);

    // The program and configuration exactly as the construct renders them.
    const chart = Testing.chart();
    new AnomalyDetector(chart, 'detector', {
      prometheusUrl: url,
      trainingWindow: Duration.hours(6),
      features: [AnomalyDetector.DEFAULT_FEATURES[0]],
    });
    program = path.join(dir, 'app');
    mkdirSync(program);
    for (const [file, text] of Object.entries<string>(findObject(synth(chart), 'ConfigMap').data)) writeFileSync(path.join(program, file), text);
    const stdout = execFileSync(process.execPath, [path.join(program, 'main.js'), path.join(program, 'config.json'), '--once'], { timeout: 60_000 });
    outcome = JSON.parse(stdout.toString());
  });

  afterAll(async () => {
    console.log(JSON.stringify(outcome?.results, undefined, 1));
    await stop(detector);
    await stop(prometheus);
    rmSync(dir, { recursive: true, force: true });
  });

  const result = (namespace: string) => outcome.results.find((r) => r.labels.namespace === namespace);

  test('scores both namespaces without query failures', () => {
    expect(outcome.failures).toEqual([]);
    expect(outcome.results.map((r) => r.labels.namespace).sort()).toEqual(['batch', 'shop']);
    // 6h at the default 1m resolution: 361 points.
    for (const r of outcome.results) expect(r.trainingPoints).toBeGreaterThanOrEqual(340);
  });

  test('flags the egress burst', () => {
    expect(result('shop')).toMatchObject({ feature: 'egress_bytes_rate', anomalous: true });
    expect(result('shop').value).toBeCloseTo(20 * BASE_RATE, -2);
  });

  test('does not flag normal traffic', () => {
    expect(result('batch').anomalous).toBe(false);
    expect(result('batch').score).toBeLessThan(result('batch').threshold);
  });

  test('serves the flags at /metrics and reports healthy at /healthz', async () => {
    // The long-running mode, on a free loopback port instead of the pod's 8080.
    const port = await freePort();
    const config = JSON.parse(readFileSync(path.join(program, 'config.json'), 'utf8'));
    writeFileSync(path.join(program, 'serve.json'), JSON.stringify({ ...config, port }));
    detector = spawn(process.execPath, [path.join(program, 'main.js'), path.join(program, 'serve.json')], { stdio: 'ignore' });
    const base = `http://127.0.0.1:${port}`;
    let metrics = '';
    const deadline = Date.now() + 30_000;
    while (!metrics.includes('security_anomaly_flag{') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      metrics = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(1000) }).then((r) => r.text(), () => '');
    }
    expect(metrics).toContain('security_anomaly_flag{namespace="shop",feature="egress_bytes_rate"} 1\n');
    expect(metrics).toContain('security_anomaly_flag{namespace="batch",feature="egress_bytes_rate"} 0\n');
    expect(metrics).toContain('security_anomaly_query_failures_total{feature="egress_bytes_rate"} 0\n');
    expect(metrics).not.toContain('security_anomaly_last_success_timestamp_seconds 0\n');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
