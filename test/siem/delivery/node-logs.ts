/**
 * A node's log files as the kubelet, the container runtime and the API server
 * write them, under a temporary root: CRI container logs (with partial lines),
 * Falco's JSON alerts in its container log, and `audit.k8s.io/v1` events of
 * chosen sizes. Every record carries a unique `seq=<log type>:<n>`, and every
 * one written is remembered, so what a destination received can be counted.
 */
import * as fs from 'fs';
import * as path from 'path';

export const LOG_TYPES = ['container', 'security_audit', 'falco'] as const;
export type LogType = typeof LOG_TYPES[number];

/** The `seq=<log type>:<n>` a record carries, or undefined. */
export function seqOf(record: unknown): { logType: LogType; seq: string } | undefined {
  const match = /seq=(container|security_audit|falco):(\d+)/.exec(JSON.stringify(record));
  return match ? { logType: match[1] as LogType, seq: match[0] } : undefined;
}

/** containerd splits output longer than this into partial (`P`) lines. */
const RUNTIME_SPLIT = 16 * 1024;

export class NodeLogs {
  public readonly written: Record<LogType, Set<string>> = { container: new Set(), security_audit: new Set(), falco: new Set() };
  public readonly containerDir: string;
  public readonly auditLog: string;
  private readonly counters: Record<LogType, number> = { container: 0, security_audit: 0, falco: 0 };
  private clock = 0;

  constructor(root: string) {
    this.containerDir = path.join(root, 'var/log/containers');
    this.auditLog = path.join(root, 'var/log/kubernetes/audit/audit.log');
    fs.mkdirSync(this.containerDir, { recursive: true });
    fs.mkdirSync(path.dirname(this.auditLog), { recursive: true });
  }

  /** The log file of a new container (empty until written to), named as the kubelet names it. */
  public pod(name: string, namespace = 'shop', container = 'app'): string {
    const id = Buffer.from(`${namespace}/${name}/${container}`).toString('hex').padEnd(64, '0').slice(0, 64);
    const file = path.join(this.containerDir, `${name}_${namespace}_${container}-${id}.log`);
    fs.writeFileSync(file, '', { flag: 'a' });
    return file;
  }

  /** `count` lines of application output; every 10th is 40 KB, written as three partial lines and a final one. */
  public containerLines(file: string, count: number): void {
    let out = '';
    for (let i = 0; i < count; i++) {
      const seq = this.next('container');
      const message = `GET /checkout 200 ${seq}${this.counters.container % 10 === 0 ? ` ${'x'.repeat(40_000)}` : ''}`;
      out += criLines(this.timestamp(), 'stdout', message);
    }
    fs.appendFileSync(file, out);
  }

  /** `count` Falco alerts, one JSON object per line as Falco writes them with json_output. */
  public falcoEvents(file: string, count: number): void {
    let out = '';
    for (let i = 0; i < count; i++) {
      const seq = this.next('falco');
      const time = this.timestamp();
      const alert = {
        hostname: 'node-1',
        output: `${time.slice(11, 19)}: Notice A shell was spawned in a container with an attached terminal (user=root shell=sh ${seq})`,
        priority: 'Notice',
        rule: 'Terminal shell in container',
        source: 'syscall',
        tags: ['T1059', 'container', 'mitre_execution', 'shell'],
        time,
        output_fields: { 'container.id': 'a1b2c3d4e5f6', 'proc.cmdline': 'sh -i', 'user.name': 'root' },
      };
      out += criLines(time, 'stdout', JSON.stringify(alert));
    }
    fs.appendFileSync(file, out);
  }

  /** One audit event per size (bytes of the JSON line without its newline), padded in the logged object. */
  public auditEvents(sizes: number[]): void {
    let out = '';
    for (const size of sizes) {
      const seq = this.next('security_audit');
      const time = this.timestamp().replace(/(\.\d{6})\d+Z$/, '$1Z');
      const event = (blob: string) => JSON.stringify({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'RequestResponse',
        auditID: `00000000-0000-4000-8000-${String(this.counters.security_audit).padStart(12, '0')}`,
        stage: 'ResponseComplete',
        requestURI: '/api/v1/namespaces/shop/configmaps/settings',
        verb: 'update',
        user: { username: 'system:serviceaccount:shop:deployer', groups: ['system:serviceaccounts', 'system:authenticated'] },
        sourceIPs: ['10.0.0.12'],
        objectRef: { resource: 'configmaps', namespace: 'shop', name: 'settings', apiVersion: 'v1' },
        responseStatus: { metadata: {}, code: 200 },
        requestObject: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'settings' }, data: { blob } },
        requestReceivedTimestamp: time,
        stageTimestamp: time,
        annotations: { 'test.example.com/seq': seq },
      });
      const padding = size - event('').length;
      if (padding < 0) throw new Error(`an audit event cannot be smaller than ${event('').length} bytes`);
      out += `${event('a'.repeat(padding))}\n`;
    }
    fs.appendFileSync(this.auditLog, out);
  }

  private next(logType: LogType): string {
    const seq = `seq=${logType}:${++this.counters[logType]}`;
    this.written[logType].add(seq);
    return seq;
  }

  /** RFC 3339 with nanoseconds, strictly increasing. */
  private timestamp(): string {
    this.clock++;
    return `${new Date().toISOString().slice(0, 23)}${String(this.clock % 1_000_000).padStart(6, '0')}Z`;
  }
}

/** A CRI log entry: output longer than the runtime's split becomes partial lines (`P`) and a final one (`F`). */
function criLines(time: string, stream: string, message: string): string {
  let out = '';
  for (let start = 0; start < message.length; start += RUNTIME_SPLIT) {
    const last = start + RUNTIME_SPLIT >= message.length;
    out += `${time} ${stream} ${last ? 'F' : 'P'} ${message.slice(start, start + RUNTIME_SPLIT)}\n`;
  }
  return out;
}
