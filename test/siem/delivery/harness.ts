/**
 * Runs the stack's own Fluent Bit config against fake destinations: only the
 * host paths move under a temporary root, the HTTP server gets a free port
 * and the kubernetes filter asks a fake API server. Counts, per destination
 * and log type, what was written, received once, received more than once and
 * never received.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { FakeElasticsearch, FakeKubeApi, FakeSplunkHec, SPLUNK_TOKEN } from './fake-destinations';
import { LOG_TYPES, LogType, NodeLogs, seqOf } from './node-logs';
import { SiemDestination, SiemPipeline } from '../../../src';

/** The pipeline under test: the defaults, with retry timing short enough for a test (cap 4 s instead of 300 s). */
export function deliveryPipelineConfig(splunkPort = 8088, elasticPort = 9200): string {
  return new SiemPipeline(Testing.chart(), 'siem', {
    destinations: [
      SiemDestination.splunkHec({ host: '127.0.0.1', port: splunkPort, tokenSecret: { secretName: 'splunk', key: 'token' }, tls: false }),
      SiemDestination.elasticsearch({ host: '127.0.0.1', port: elasticPort, tls: false }),
    ],
    flushInterval: Duration.seconds(1),
    retryBackoffBase: Duration.seconds(1),
    retryBackoffCap: Duration.seconds(4),
  }).config;
}

/**
 * What the delivery guarantees rest on in the rendered config: the outcome
 * recorded with a real Fluent Bit holds only while these stay as they were.
 */
export function deliveryConfigFacts(configYaml: string): Record<string, unknown> {
  const config = parse(configYaml);
  const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  return {
    service: pick(config.service, ['storage.sync', 'storage.checksum', 'scheduler.base', 'scheduler.cap']),
    parsers: config.parsers,
    inputs: config.pipeline.inputs.map((i: Record<string, unknown>) => pick(i, [
      'alias', 'multiline.parser', 'parser', 'read_from_head', 'db.locking', 'storage.type', 'buffer_max_size', 'skip_long_lines',
    ])),
    outputs: config.pipeline.outputs.map((o: Record<string, unknown>) => pick(o, [
      'name', 'match', 'retry_limit', 'storage.total_limit_size', 'logstash_format', 'generate_id', 'write_operation', 'id_key',
    ])),
  };
}

export interface Counts {
  readonly written: number;
  readonly unique: number;
  readonly duplicates: number;
  readonly lost: number;
}

export type Outcome = Record<'splunk' | 'elasticsearch', Record<LogType, Counts>>;

const freePort = () => new Promise<number>((resolve) => {
  const server = net.createServer();
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    server.close(() => resolve(port));
  });
});

/** Sum of a counter over its series, from Prometheus metrics text. */
function metric(text: string, name: string): number {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One scenario's node, destinations and Fluent Bit process. */
export class DeliveryRig {
  public readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'fluent-bit-delivery-'));
  public readonly logs = new NodeLogs(this.root);
  public readonly splunk = new FakeSplunkHec();
  public readonly elastic = new FakeElasticsearch();
  public readonly kube = new FakeKubeApi();
  private process?: ChildProcess;
  private exited?: Promise<void>;
  private configFile = path.join(this.root, 'fluent-bit.yaml');
  private httpPort = 0;
  private tokenEnv = '';
  public readonly logFile = path.join(this.root, 'fluent-bit.log');

  constructor(private readonly bin: string) {}

  public async setUp(): Promise<void> {
    const [splunkPort, elasticPort, kubePort] = [await this.splunk.start(), await this.elastic.start(), await this.kube.start()];
    this.httpPort = await freePort();
    const rendered = deliveryPipelineConfig(splunkPort, elasticPort);
    this.tokenEnv = /\$\{(SIEM_DEST\d+_SPLUNK_TOKEN)\}/.exec(rendered)![1];
    fs.writeFileSync(path.join(this.root, 'token'), 'test-token');
    fs.writeFileSync(this.configFile, stringify(this.relocate(parse(rendered), kubePort)));
  }

  public async tearDown(): Promise<void> {
    if (this.process && this.process.exitCode === null) await this.stop('SIGKILL');
    await Promise.all([this.splunk.stop(), this.elastic.stop(), this.kube.stop()]);
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  public start(): void {
    const log = fs.openSync(this.logFile, 'a');
    this.process = spawn(this.bin, ['-c', this.configFile], {
      env: { ...process.env, [this.tokenEnv]: SPLUNK_TOKEN }, stdio: ['ignore', log, log],
    });
    const child = this.process;
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
    fs.closeSync(log);
  }

  /** Stops Fluent Bit; one that outlives its 5 s grace period by far is killed. */
  public async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    this.process?.kill(signal);
    const timer = setTimeout(() => this.process?.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Requests the fakes could not read: must be none. */
  public fakeErrors(): string[] {
    return [...this.splunk.errors, ...this.elastic.errors].slice(0, 5);
  }

  /** Fluent Bit's Prometheus metrics, or '' while it is down. */
  public async metrics(): Promise<string> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.httpPort}/api/v2/metrics/prometheus`);
      return await res.text();
    } catch {
      return '';
    }
  }

  /** Waits until every destination holds every record written, or `timeoutMs` passes. */
  public async waitForDelivery(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const outcome = this.outcome();
      if (Object.values(outcome).every((byType) => Object.values(byType).every((c) => c.lost === 0))) return true;
      await sleep(250);
    }
    return false;
  }

  /**
   * Waits until no output retries any more: the retry counters stay still for
   * longer than the retry cap. Returns the retries counted meanwhile (0 when settled).
   */
  public async retriesAfterRecovery(quietMs = 5_000): Promise<number> {
    const before = metric(await this.metrics(), 'fluentbit_output_retries_total');
    await sleep(quietMs);
    return metric(await this.metrics(), 'fluentbit_output_retries_total') - before;
  }

  /** Chunk files left in the storage path: after a clean shutdown with everything delivered, none. */
  public chunksOnDisk(): string[] {
    const storage = path.join(this.root, 'state/storage');
    if (!fs.existsSync(storage)) return [];
    return fs.readdirSync(storage, { recursive: true }).map(String).filter((f) => f.endsWith('.flb'));
  }

  public outcome(): Outcome {
    return {
      splunk: count(this.logs.written, this.splunk.records().map((r) => r.record)),
      elasticsearch: count(this.logs.written, this.elastic.records().map((r) => r.record)),
    };
  }

  /** The config as this node has it: host paths under the root, fakes for the API server, a free HTTP port. */
  private relocate(config: any, kubePort: number): any {
    const hostPath = (p: string) => p.replace(/^\/var\/log\//, `${this.root}/var/log/`).replace(/^\/var\/lib\/fluent-bit/, `${this.root}/state`);
    const tagOf = (p: string) => p.replace(/^\//, '').replace(/\//g, '.');
    config.service.http_port = this.httpPort;
    config.service['storage.path'] = hostPath(config.service['storage.path']);
    for (const input of config.pipeline.inputs) {
      input.path = hostPath(input.path);
      if (input.exclude_path) input.exclude_path = hostPath(input.exclude_path);
      input.db = hostPath(input.db);
    }
    for (const filter of config.pipeline.filters.filter((f: any) => f.name === 'kubernetes')) {
      filter.kube_tag_prefix = filter.kube_tag_prefix.replace('var.log.', `${tagOf(this.root)}.var.log.`);
      filter.kube_url = `http://127.0.0.1:${kubePort}`;
      filter.kube_token_file = path.join(this.root, 'token');
    }
    fs.mkdirSync(path.join(this.root, 'state'), { recursive: true });
    return config;
  }
}

function count(written: Record<LogType, Set<string>>, received: Array<Record<string, unknown>>): Record<LogType, Counts> {
  const seen: Record<LogType, Map<string, number>> = { container: new Map(), security_audit: new Map(), falco: new Map() };
  for (const record of received) {
    const id = seqOf(record);
    if (id) seen[id.logType].set(id.seq, (seen[id.logType].get(id.seq) ?? 0) + 1);
  }
  return Object.fromEntries(LOG_TYPES.map((logType) => {
    const times = seen[logType];
    const unique = [...written[logType]].filter((seq) => times.has(seq)).length;
    const duplicates = [...times.values()].reduce((sum, n) => sum + n - 1, 0);
    return [logType, { written: written[logType].size, unique, duplicates, lost: written[logType].size - unique }];
  })) as Record<LogType, Counts>;
}
