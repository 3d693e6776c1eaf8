/**
 * IsolationForest throughput: training for 10k points × 4 features and points
 * scored per second, against one brute-force pass computing each point's
 * distance to the mean (a pass any detector must at least make), measured in
 * the same run.
 */
import { formatMs, measure, printTable, QUICK, ratio, writeResults } from './lib/harness';
import { createRandom, IsolationForest } from '../src/anomaly/detector/isolation-forest';

const POINTS = QUICK ? 2_000 : 10_000;
const FEATURES = 4;

function dataset(seed: number): number[][] {
  const random = createRandom(seed);
  // Gaussian-ish (sum of uniforms) traffic features with 1% wide outliers.
  return Array.from({ length: POINTS }, (_, i) => Array.from({ length: FEATURES }, () => {
    const v = random() + random() + random() - 1.5;
    return i % 100 === 0 ? 8 * v : v;
  }));
}

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
const baseline = measure(() => distanceToMean(rows));
// fit includes scoring every training point once (for the contamination offset), as sklearn's does.
const fit = measure(() => new IsolationForest({ seed: 1 }).fit(rows), { warmup: 1, runs: QUICK ? 1 : 5 });
const forest = new IsolationForest({ seed: 1 }).fit(rows);
const score = measure(() => forest.scoreSamples(rows), { warmup: 1, runs: QUICK ? 1 : 5 });

const perSecond = (ms: number) => Math.round(POINTS / (ms / 1000));
printTable(`IsolationForest (100 trees, 256 samples), ${POINTS} points × ${FEATURES} features`, [
  { 'measurement': 'baseline: distance to the mean', 'median': formatMs(baseline.medianMs), 'points/s': perSecond(baseline.medianMs), 'vs baseline': ratio(1, 1) },
  { 'measurement': 'fit (training)', 'median': formatMs(fit.medianMs), 'points/s': perSecond(fit.medianMs), 'vs baseline': ratio(fit.medianMs, baseline.medianMs) },
  { 'measurement': 'score', 'median': formatMs(score.medianMs), 'points/s': perSecond(score.medianMs), 'vs baseline': ratio(score.medianMs, baseline.medianMs) },
]);
console.log(`\nresults: ${writeResults('anomaly')}`);
