/**
 * Fake SIEM endpoints on 127.0.0.1 with the acknowledgement semantics Fluent
 * Bit relies on: a request's records are stored when it arrives, and the
 * answer may come later (a slow acknowledgement) or be an outage status.
 * Splunk HEC stores every event it is sent (it never removes duplicates);
 * Elasticsearch stores documents by `_index` and `_id`: `create` of an
 * existing one answers 409, `index` overwrites it (200).
 */
import * as http from 'http';
import { AddressInfo } from 'net';

/** A record as a destination stored it. */
export interface StoredRecord {
  readonly record: Record<string, unknown>;
}

/** How a fake endpoint answers for now. */
export interface Behaviour {
  /** Answer every request with this status, storing nothing (an outage). */
  outageStatus?: number;
  /** Store the records at once but answer only after this many milliseconds. */
  ackDelayMs?: number;
}

abstract class FakeEndpoint {
  public behaviour: Behaviour = {};
  /** Requests answered with an outage status. */
  public refused = 0;
  /** Requests the fake could not read (a bug in the fake or a malformed request): answered 500. */
  public readonly errors: string[] = [];
  private server?: http.Server;
  private readonly pending = new Set<NodeJS.Timeout>();

  public async start(): Promise<number> {
    this.server = http.createServer((req, res) => {
      const body: Buffer[] = [];
      req.on('data', (c: Buffer) => body.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(body).toString('utf8'), res));
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  public async stop(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Every record stored, in arrival order (duplicates included where the destination keeps them). */
  public abstract records(): StoredRecord[];

  protected abstract store(req: http.IncomingMessage, body: string): { status: number; json: unknown };

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    if (this.behaviour.outageStatus) {
      this.refused++;
      res.writeHead(this.behaviour.outageStatus, { 'content-type': 'application/json' }).end('{"text":"Server is busy","code":9}');
      return;
    }
    let answerWith: { status: number; json: unknown };
    try {
      answerWith = this.store(req, body);
    } catch (e) {
      this.errors.push(String(e));
      answerWith = { status: 500, json: { error: String(e) } };
    }
    const { status, json } = answerWith;
    const answer = () => {
      if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    const delay = this.behaviour.ackDelayMs ?? 0;
    if (delay <= 0) return answer();
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      answer();
    }, delay);
    this.pending.add(timer);
  }
}

/** Splunk HTTP Event Collector (`/services/collector/event`): newline-separated event objects. */
export class FakeSplunkHec extends FakeEndpoint {
  private readonly stored: StoredRecord[] = [];

  public records(): StoredRecord[] {
    return this.stored;
  }

  protected store(req: http.IncomingMessage, body: string) {
    if (req.headers.authorization !== `Splunk ${SPLUNK_TOKEN}`) return { status: 401, json: { text: 'Invalid token', code: 4 } };
    for (const event of jsonObjects(body)) {
      this.stored.push({ record: { ...event.event, sourcetype: event.sourcetype, time: event.time } });
    }
    return { status: 200, json: { text: 'Success', code: 0 } };
  }
}

export const SPLUNK_TOKEN = '00000000-0000-4000-8000-000000000001';

/** Elasticsearch `_bulk`: documents kept by index and id, with `create` and `index` semantics. */
export class FakeElasticsearch extends FakeEndpoint {
  /** `${index}/${id}` → the document. */
  public readonly documents = new Map<string, Record<string, unknown>>();
  /** Bulk items answered 409 (a `create` of a document that exists). */
  public conflicts = 0;
  /** Bulk items that overwrote an existing document (`index` of a re-sent one). */
  public overwrites = 0;

  public records(): StoredRecord[] {
    return [...this.documents.values()].map((record) => ({ record }));
  }

  protected store(req: http.IncomingMessage, body: string) {
    if (!req.url?.startsWith('/_bulk')) return { status: 404, json: { error: `no handler for ${req.url}` } };
    const lines = body.split('\n').filter((l) => l.trim());
    const items: unknown[] = [];
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const action = JSON.parse(lines[i]);
      const [op] = Object.keys(action);
      const meta = action[op];
      const id: string = meta._id ?? `auto-${this.documents.size}-${i}`;
      const key = `${meta._index}/${id}`;
      const exists = this.documents.has(key);
      let status: number;
      if (op === 'create' && exists) {
        status = 409;
        this.conflicts++;
      } else {
        if (exists) this.overwrites++;
        this.documents.set(key, JSON.parse(lines[i + 1]));
        status = exists ? 200 : 201;
      }
      items.push({ [op]: { _index: meta._index, _id: id, status, ...(status === 409 ? { error: { type: 'version_conflict_engine_exception' } } : { result: exists ? 'updated' : 'created' }) } });
    }
    return { status: 200, json: { took: 1, errors: items.some((it: any) => Object.values(it as object)[0].status >= 300), items } };
  }
}

/** The API server's pod endpoint for the kubernetes filter: every pod exists, with an `app` label. */
export class FakeKubeApi extends FakeEndpoint {
  public records(): StoredRecord[] {
    return [];
  }

  protected store(req: http.IncomingMessage) {
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/?]+)/.exec(req.url ?? '');
    if (!match) return { status: 404, json: { kind: 'Status', code: 404 } };
    const [, namespace, name] = match;
    return {
      status: 200,
      json: {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { name, namespace, uid: `uid-${name}`, labels: { app: name.replace(/-[a-z0-9]+$/, '') } },
        spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] },
        status: { containerStatuses: [] },
      },
    };
  }
}

/** The JSON objects of a HEC body: one after another, with or without newlines between them. */
function jsonObjects(body: string): any[] {
  const objects: any[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) {
      objects.push(JSON.parse(body.slice(start, i + 1)));
    }
  }
  return objects;
}
