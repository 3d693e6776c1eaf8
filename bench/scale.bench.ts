/**
 * Synth time and peak memory for stacks of growing size (Falco rules, alerts,
 * SIEM destinations), each size in a fresh process, with the growth factor
 * between sizes (linear: ×10 work costs at most about ×11 time) and the ratio
 * to the framework floor (raw cdk8s ApiObjects of the same documents) and the
 * serialization floor (plain yaml stringify).
 * Targets: 10,000 Falco rules + 1,000 alerts in ≤ 10 s and ≤ 1 GiB; ≤ 2× the framework floor.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { formatMs, printTable, QUICK, ratio, Row, writeResults } from './lib/harness';

interface Sample { objects: number; oursMs: number; frameworkMs: number; serializationMs: number; maxRssMb: number }

function sample(dimension: string, size: number): Sample {
  const runs = QUICK ? 1 : size >= 10_000 ? 7 : 15;
  const worker = path.join(__dirname, 'lib', 'scale-worker.ts');
  const result = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', worker, dimension, String(size), String(runs)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${dimension} × ${size} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

function scale(title: string, dimension: string, sizes: number[]): void {
  const rows: Row[] = [];
  let previous: Sample | undefined;
  for (const size of sizes) {
    const s = sample(dimension, size);
    rows.push({
      'size': size,
      'objects': s.objects,
      'synth (ours)': formatMs(s.oursMs),
      'growth': previous ? ratio(s.oursMs, previous.oursMs) : '',
      'vs framework floor': ratio(s.oursMs, s.frameworkMs),
      'vs serialization floor': ratio(s.oursMs, s.serializationMs),
      'peak RSS': `${s.maxRssMb.toFixed(0)} MiB`,
    });
    previous = s;
  }
  printTable(title, rows);
}

scale('Falco rules', 'falco-rules', QUICK ? [10, 100] : [10, 100, 1_000, 10_000]);
scale('Alerts', 'alerts', QUICK ? [10, 100] : [10, 100, 1_000]);
scale('SIEM destinations', 'siem', QUICK ? [1, 10] : [1, 10, 100]);
if (!QUICK) scale('10,000 Falco rules + 1,000 alerts (targets: ≤ 10 s, ≤ 1 GiB)', 'combined', [10_000]);
console.log(`\nresults: ${writeResults('scale')}`);
