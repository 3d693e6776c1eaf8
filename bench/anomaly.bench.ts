/**
 * IsolationForest throughput: training time for 10k points × 4 features and
 * points scored per second, against a baseline measured in the same run (one
 * brute-force pass computing each point's distance to the mean), so the ratio
 * means something on any machine.
 *
 *   npx ts-node --transpile-only bench/anomaly.bench.ts
 */
import { performance } from 'perf_hooks';
import { createRandom, IsolationForest } from '../src/anomaly/detector/isolation-forest';

const POINTS = 10_000;
const FEATURES = 4;
const REPEATS = 5;

function dataset(seed: number): number[][] {
  const random = createRandom(seed);
  // Gaussian-ish (sum of uniforms) traffic features with 1% wide outliers.
  return Array.from({ length: POINTS }, (_, i) => Array.from({ length: FEATURES }, () => {
    const v = random() + random() + random() - 1.5;
    return i % 100 === 0 ? 8 * v : v;
  }));
}

/** Median wall time of `run`, in milliseconds. */
function time(run: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(REPEATS / 2)];
}

/** The baseline: each point's Euclidean distance to the mean, a pass any detector must at least make. */
function distanceToMean(rows: number[][]): Float64Array {
  const mean = new Float64Array(FEATURES);
  for (const row of rows) for (let f = 0; f < FEATURES; f++) mean[f] += row[f] / rows.length;
  const distances = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    let sum = 0;
    for (let f = 0; f < FEATURES; f++) sum += (rows[i][f] - mean[f]) ** 2;
    distances[i] = Math.sqrt(sum);
  }
  return distances;
}

const rows = dataset(1);
const baselineMs = time(() => distanceToMean(rows));
// fit includes scoring every training point once (for the contamination offset), as sklearn's does.
const fitMs = time(() => new IsolationForest({ seed: 1 }).fit(rows));
const forest = new IsolationForest({ seed: 1 }).fit(rows);
const scoreMs = time(() => forest.scoreSamples(rows));

const table = [
  ['measurement', 'ms (median of 5)', 'points/s', '× baseline time'],
  ['baseline: distance to mean, 10k × 4', baselineMs.toFixed(2), Math.round(POINTS / baselineMs * 1000).toLocaleString('en'), '1.0'],
  ['IsolationForest fit (100 trees, 256 samples), 10k × 4', fitMs.toFixed(1), '-', (fitMs / baselineMs).toFixed(1)],
  ['IsolationForest score, 10k × 4', scoreMs.toFixed(1), Math.round(POINTS / scoreMs * 1000).toLocaleString('en'), (scoreMs / baselineMs).toFixed(1)],
];
const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
for (const row of table) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
