/**
 * A fleet of 1, 10 and 100 default clusters (each size in a fresh process):
 * the whole fleet synth (every cluster's directory, the Argo CD and Flux
 * objects, the summary) against writing the same clusters by hand (one cdk8s
 * App per cluster) and the framework floor, with the growth between sizes
 * (×10 clusters should cost about ×10 time: linear) and peak memory.
 * Target: 100 clusters in seconds, growth no worse than linear.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { formatMs, printTable, QUICK, ratio, Row, writeResults } from './lib/harness';

interface Sample { files: number; objects: number; oursMs: number; byHandMs: number; frameworkMs: number; maxRssMb: number }

function sample(clusters: number): Sample {
  const runs = QUICK ? 1 : clusters >= 100 ? 3 : clusters >= 10 ? 5 : 9;
  const worker = path.join(__dirname, 'lib', 'fleet-worker.ts');
  // The persistent transpile cache of `npm run synth`: only the first worker transpiles the sources.
  const cache = path.join(__dirname, '..', 'examples', 'ts-cache.js');
  const result = spawnSync(process.execPath, ['-r', cache, worker, String(clusters), String(runs)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`fleet of ${clusters} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

const rows: Row[] = [];
let previous: { clusters: number; sample: Sample } | undefined;
for (const clusters of QUICK ? [1, 10] : [1, 10, 100]) {
  const s = sample(clusters);
  rows.push({
    'clusters': clusters,
    'objects': s.objects,
    'files': s.files,
    'fleet synth': formatMs(s.oursMs),
    'per cluster': formatMs(s.oursMs / clusters),
    'growth (time / clusters)': previous ? `${ratio(s.oursMs, previous.sample.oursMs)} / ×${clusters / previous.clusters}` : '',
    'vs by hand (App per cluster)': ratio(s.oursMs, s.byHandMs),
    'vs framework floor': ratio(s.oursMs, s.frameworkMs),
    'peak RSS': `${s.maxRssMb.toFixed(0)} MiB`,
  });
  previous = { clusters, sample: s };
}
printTable('Fleet of default clusters with Argo CD and Flux output (target: 100 clusters in seconds, linear growth)', rows);
console.log(`\nresults: ${writeResults('fleet')}`);
