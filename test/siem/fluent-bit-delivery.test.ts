/**
 * End to end: the stack's Fluent Bit config, run by a real Fluent Bit, ships
 * CRI container lines (with partial lines), Falco JSON alerts and audit events
 * from 1 KB to 1 MiB to a fake Splunk HEC and a fake Elasticsearch through an
 * outage, restarts, crashes and slow acknowledgements (delivery/harness.ts).
 *
 * Live (FLUENT_BIT_BIN set): every scenario must lose nothing, Elasticsearch
 * must store no record twice, and no chunk may still be retrying once the
 * destinations are back. Splunk keeps what it is re-sent: its duplicates are
 * counted and reported (the duplicate window, README "SIEM delivery").
 *
 * Always: the last outcome recorded with a real Fluent Bit
 * (delivery/recorded-outcome.json) shows the same guarantees, and the config
 * the library renders today still has the facts that outcome rests on. To
 * record again:
 *
 *   FLUENT_BIT_BIN=/path/to/fluent-bit npx projen verdicts test/siem/fluent-bit-delivery.test.ts
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DeliveryRig, deliveryConfigFacts, deliveryPipelineConfig, Outcome } from './delivery/harness';
import { describeLive, FLUENT_BIT } from '../util/live-tools';

const RECORD = path.join(__dirname, 'delivery', 'recorded-outcome.json');
const RERECORD = 'FLUENT_BIT_BIN=/path/to/fluent-bit npx projen verdicts test/siem/fluent-bit-delivery.test.ts';

interface ScenarioResult {
  readonly scenario: string;
  readonly outcome: Outcome;
  /** Output retries counted after every record had arrived (a chunk stuck in retries would add some). */
  readonly retriesAfterRecovery: number;
  /** Chunk files left in the storage path after a clean shutdown. */
  readonly chunksLeft: number;
  /** Elasticsearch bulk items that overwrote an existing document (re-sends absorbed by `index`). */
  readonly elasticsearchOverwrites: number;
  /** Elasticsearch bulk items answered 409. */
  readonly elasticsearchConflicts: number;
}

interface RecordedOutcome {
  readonly fluentBit: string;
  readonly configFacts: Record<string, unknown>;
  readonly scenarios: ScenarioResult[];
}

/** Audit events per batch, bytes per JSON line: ordinary ones, the 47 KB ones the 32 KiB default dropped, up to the 1 MiB limit itself. */
const AUDIT_SIZES = [...Array(10).fill(1024), ...Array(4).fill(4096), 47_000, 47_000, 100_000, 512 * 1024, 1024 * 1024];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One batch of every log type into the node's files. */
function writeBatch(rig: DeliveryRig, files: { app: string; falco: string }, lines = 60): void {
  rig.logs.containerLines(files.app, lines);
  rig.logs.falcoEvents(files.falco, Math.ceil(lines / 3));
  rig.logs.auditEvents(AUDIT_SIZES);
}

type Scenario = (rig: DeliveryRig) => Promise<void>;

const SCENARIOS: Array<[string, Scenario]> = [
  ['destination outage (Splunk and Elasticsearch answer 503 for 8 s)', async (rig) => {
    const files = { app: rig.logs.pod('checkout-7d9f'), falco: rig.logs.pod('falco-x2x9k', 'falco', 'falco') };
    rig.start();
    writeBatch(rig, files);
    await sleep(1500);
    rig.splunk.behaviour = { outageStatus: 503 };
    rig.elastic.behaviour = { outageStatus: 503 };
    writeBatch(rig, files);
    await sleep(8000);
    rig.splunk.behaviour = {};
    rig.elastic.behaviour = {};
    writeBatch(rig, files);
  }],
  ['SIGTERM, lines written while down', async (rig) => {
    const files = { app: rig.logs.pod('checkout-7d9f'), falco: rig.logs.pod('falco-x2x9k', 'falco', 'falco') };
    rig.start();
    writeBatch(rig, files);
    await sleep(1200);
    await rig.stop('SIGTERM');
    writeBatch(rig, files);
    rig.start();
    writeBatch(rig, files);
  }],
  ['SIGKILL, lines written while down', async (rig) => {
    const files = { app: rig.logs.pod('checkout-7d9f'), falco: rig.logs.pod('falco-x2x9k', 'falco', 'falco') };
    rig.start();
    writeBatch(rig, files);
    await sleep(1200);
    await rig.stop('SIGKILL');
    writeBatch(rig, files);
    rig.start();
    writeBatch(rig, files);
  }],
  ['SIGKILL while deliveries wait for slow acknowledgements (3 s)', async (rig) => {
    const files = { app: rig.logs.pod('checkout-7d9f'), falco: rig.logs.pod('falco-x2x9k', 'falco', 'falco') };
    rig.splunk.behaviour = { ackDelayMs: 3000 };
    rig.elastic.behaviour = { ackDelayMs: 3000 };
    rig.start();
    writeBatch(rig, files);
    await sleep(2000);
    await rig.stop('SIGKILL');
    rig.splunk.behaviour = {};
    rig.elastic.behaviour = {};
    writeBatch(rig, files);
    rig.start();
  }],
  ['a pod created while Fluent Bit is down, and one whose empty log file first gets lines then', async (rig) => {
    const files = { app: rig.logs.pod('checkout-7d9f'), falco: rig.logs.pod('falco-x2x9k', 'falco', 'falco') };
    const quiet = rig.logs.pod('batch-job-5k2p');
    rig.start();
    writeBatch(rig, files);
    await sleep(1500);
    await rig.stop('SIGTERM');
    rig.logs.containerLines(rig.logs.pod('payments-6c8b'), 50);
    rig.logs.containerLines(quiet, 30);
    writeBatch(rig, files);
    rig.start();
  }],
];

describeLive(FLUENT_BIT, 'delivery through outages, restarts and crashes', (bin) => {
  const results: ScenarioResult[] = [];
  afterAll(() => {
    if (results.length === 0) return;
    process.stdout.write(`${table(results)}\n`);
    if (process.env.RECORD_VERDICTS === '1' && results.length === SCENARIOS.length) {
      const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
      const record: RecordedOutcome = { fluentBit: version, configFacts: deliveryConfigFacts(deliveryPipelineConfig()), scenarios: results };
      fs.writeFileSync(RECORD, `${JSON.stringify(record, undefined, 1)}\n`);
    }
  });

  test.each(SCENARIOS)('%s', async (scenario, run) => {
    const rig = new DeliveryRig(bin);
    await rig.setUp();
    try {
      await run(rig);
      const delivered = await rig.waitForDelivery(40_000);
      const retriesAfterRecovery = delivered ? await rig.retriesAfterRecovery() : -1;
      await rig.stop('SIGTERM');
      const result: ScenarioResult = {
        scenario,
        outcome: rig.outcome(),
        retriesAfterRecovery,
        chunksLeft: rig.chunksOnDisk().length,
        elasticsearchOverwrites: rig.elastic.overwrites,
        elasticsearchConflicts: rig.elastic.conflicts,
      };
      results.push(result);
      if (!delivered) process.stdout.write(fs.readFileSync(rig.logFile, 'utf8').split('\n').filter((l) => /error|warn/.test(l)).slice(-30).join('\n'));
      expect(rig.fakeErrors()).toEqual([]);
      expectGuarantees(result);
    } finally {
      await rig.tearDown();
    }
  }, 120_000);
});

describe('recorded delivery outcome (a real Fluent Bit, delivery/recorded-outcome.json)', () => {
  // Read when the tests run: after the live suite above, which records the outcome under RECORD_VERDICTS=1.
  const recorded = (): RecordedOutcome => JSON.parse(fs.readFileSync(RECORD, 'utf8'));

  test('the config rendered today has the facts the recorded outcome rests on', () => {
    expect({ configFacts: deliveryConfigFacts(deliveryPipelineConfig()), hint: `if they changed on purpose, record the outcome again: ${RERECORD}` })
      .toEqual({ configFacts: recorded().configFacts, hint: expect.any(String) });
  });

  test('every scenario was run, lost nothing, stored nothing twice in Elasticsearch and left no chunk retrying', () => {
    expect(recorded().scenarios.map((s) => s.scenario)).toEqual(SCENARIOS.map(([name]) => name));
    for (const result of recorded().scenarios) expectGuarantees(result);
  });
});

function expectGuarantees(result: ScenarioResult): void {
  const lost = Object.entries(result.outcome).flatMap(([dest, byType]) => Object.entries(byType).filter(([, c]) => c.lost > 0).map(([t, c]) => `${dest} ${t}: ${c.lost}`));
  const storedTwice = Object.entries(result.outcome.elasticsearch).filter(([, c]) => c.duplicates > 0).map(([t, c]) => `${t}: ${c.duplicates}`);
  expect({ scenario: result.scenario, lost, storedTwice, retriesAfterRecovery: result.retriesAfterRecovery, chunksLeft: result.chunksLeft })
    .toEqual({ scenario: result.scenario, lost: [], storedTwice: [], retriesAfterRecovery: 0, chunksLeft: 0 });
}

/** The scenario table: written, unique, duplicate and lost per destination and log type. */
function table(results: ScenarioResult[]): string {
  const rows = ['| scenario | destination | log type | written | unique | duplicates | lost |', '|---|---|---|---:|---:|---:|---:|'];
  for (const r of results) {
    for (const [dest, byType] of Object.entries(r.outcome)) {
      for (const [logType, c] of Object.entries(byType)) rows.push(`| ${r.scenario} | ${dest} | ${logType} | ${c.written} | ${c.unique} | ${c.duplicates} | ${c.lost} |`);
    }
  }
  return rows.join('\n');
}
