/**
 * Benchmark harness: medians after warm-up, tables with ratios against
 * baselines measured in the same run, and a JSON record of every table.
 * `BENCH_QUICK=1` shrinks runs and sizes so CI keeps the harness working
 * without asserting on times.
 */
import * as fs from 'fs';
import * as path from 'path';

export const QUICK = process.env.BENCH_QUICK === '1';

export interface MeasureOptions {
  /** Runs discarded before measuring (JIT warm-up), at least. */
  readonly warmup?: number;
  /**
   * Time spent on discarded runs, at least: a few runs of a large code base
   * (ours) still measure V8's compilers, while a small one (the floors) is
   * optimized sooner, which would skew the ratios.
   */
  readonly warmupMs?: number;
  /** Measured runs; the median is reported. */
  readonly runs?: number;
}

export interface Measurement {
  /** Median wall time of one run, in milliseconds. */
  readonly medianMs: number;
  readonly runs: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Times `fn` and returns the median of `runs` runs after at least `warmup` discarded runs and `warmupMs`. */
export function measure(fn: () => unknown, options: MeasureOptions = {}): Measurement {
  return measureByTurns([fn], options)[0];
}

/**
 * Times several functions run by turns (a, b, c, a, b, c, ...) and returns each
 * one's median. On a shared 2-core machine the speed drifts by tens of percent
 * within seconds; taking turns exposes every function to the same drift, so
 * the ratios between them hold far better than medians measured one after the other.
 * Warm-up also takes turns, until each function has had `warmup` runs and `warmupMs`.
 */
export function measureByTurns(fns: Array<() => unknown>, options: MeasureOptions = {}): Measurement[] {
  const warmup = options.warmup ?? (QUICK ? 1 : 3);
  const warmupMs = (options.warmupMs ?? (QUICK ? 0 : 1000)) * fns.length;
  const runs = options.runs ?? (QUICK ? 3 : 9);
  const warmupStart = process.hrtime.bigint();
  for (let i = 0; i < warmup || Number(process.hrtime.bigint() - warmupStart) / 1e6 < warmupMs; i++) fns.forEach((fn) => fn());
  const times: number[][] = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, f) => {
      const start = process.hrtime.bigint();
      fn();
      times[f].push(Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  return times.map((t) => ({ medianMs: median(t), runs }));
}

/** `a / b` formatted as `×1.23`. */
export function ratio(a: number, b: number): string {
  return b > 0 ? `×${(a / b).toFixed(2)}` : 'n/a';
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export type Row = Record<string, string | number>;

const recorded: Record<string, Row[]> = {};

/** Prints a table (columns from the first row) and records it for `writeResults`. */
export function printTable(title: string, rows: Row[]): void {
  recorded[title] = rows;
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}${QUICK ? ' (quick)' : ''}`);
  console.log(line(columns));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => String(row[c] ?? ''))));
}

/** Writes every table printed so far to `bench/results/<name>.json`. */
export function writeResults(name: string): string {
  const dir = path.join(__dirname, '..', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ quick: QUICK, node: process.version, tables: recorded }, null, 2) + '\n');
  return file;
}
