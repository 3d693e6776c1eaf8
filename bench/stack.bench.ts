/**
 * Whole-library benchmarks: cold start (require of the compiled library, and
 * `cdk8s synth` of the default stack as a whole process) and in-process synth of
 * the default stack against the serialization and framework floors.
 * Needs the compiled library: `npm run bench` compiles first.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { frameworkFloor, serializationFloor } from './lib/baselines';
import { formatMs, measureByTurns, median, printTable, QUICK, ratio, writeResults } from './lib/harness';
import { buildDefaultApp } from '../examples/default/main';

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib', 'index.js');

/**
 * Runs a Node.js snippet in a fresh process `runs` times; returns the median wall time of the
 * process, the median time of the snippet itself (measured inside the process, so without
 * Node.js' own start-up) and the peak RSS.
 */
function processTime(script: string, runs: number): { ms: number; insideMs: number; maxRssMb: number } {
  const times: number[] = [];
  const inside: number[] = [];
  let maxRssKb = 0;
  const timed = `const t0=process.hrtime.bigint();${script};console.log(Number(process.hrtime.bigint()-t0)/1e6, process.resourceUsage().maxRSS)`;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ['-e', timed], { cwd: ROOT, encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) throw new Error(`benchmark process failed: ${result.stderr}`);
    const [insideMs, rssKb] = result.stdout.trim().split('\n').pop()!.split(' ').map(Number);
    inside.push(insideMs);
    maxRssKb = Math.max(maxRssKb, rssKb);
  }
  return { ms: median(times), insideMs: median(inside), maxRssMb: maxRssKb / 1024 };
}

function coldStart(): void {
  if (!fs.existsSync(LIB)) throw new Error(`${LIB} not found: run \`npx projen compile\` first (npm run bench does)`);
  const runs = QUICK ? 2 : 7;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const nodeOnly = processTime('0', runs);
  const requireCdk8s = processTime("require('cdk8s');require('cdk8s-plus-28')", runs);
  const requireLib = processTime(`require(${JSON.stringify(LIB)})`, runs);
  const synth = processTime(
    `const {App,Chart}=require('cdk8s');const {SecurityMonitoringStack}=require(${JSON.stringify(LIB)});` +
    `const app=new App({outdir:${JSON.stringify(outdir)}});new SecurityMonitoringStack(new Chart(app,'security-monitoring'),'stack');app.synth()`,
    runs,
  );
  fs.rmSync(outdir, { recursive: true, force: true });
  const row = (step: string, m: typeof nodeOnly) => ({
    'step': step,
    'process': formatMs(m.ms),
    'inside the process': formatMs(m.insideMs),
    'peak RSS': `${m.maxRssMb.toFixed(0)} MiB`,
    'process vs floor': ratio(m.ms, nodeOnly.ms),
  });
  printTable('Cold start: whole process, and the step inside it (medians; targets: require ≤ 300 ms, synth ≤ 2 s)', [
    row('node -e 0 (process floor)', nodeOnly),
    row('require cdk8s + cdk8s-plus-28', requireCdk8s),
    row('require the library (cdk8s included)', requireLib),
    row('require + synth of the default stack', synth),
  ]);
}

function defaultStackInProcess(): void {
  const documents = buildDefaultApp('/nonexistent').charts.flatMap((c) => c.toJson());
  const [ours, framework, serialization] = measureByTurns([
    () => buildDefaultApp('/nonexistent').synthYaml(),
    () => frameworkFloor(documents),
    () => serializationFloor(documents),
  ], { runs: QUICK ? 3 : 21 });
  printTable(`Default stack synth in process (${documents.length} objects)`, [
    { 'what': 'our constructs + validation', 'median': formatMs(ours.medianMs), 'vs framework floor': ratio(ours.medianMs, framework.medianMs), 'vs serialization floor': ratio(ours.medianMs, serialization.medianMs) },
    { 'what': 'raw cdk8s ApiObjects (framework floor)', 'median': formatMs(framework.medianMs), 'vs framework floor': ratio(1, 1), 'vs serialization floor': ratio(framework.medianMs, serialization.medianMs) },
    { 'what': 'yaml stringify (serialization floor)', 'median': formatMs(serialization.medianMs), 'vs framework floor': ratio(serialization.medianMs, framework.medianMs), 'vs serialization floor': ratio(1, 1) },
  ]);
}

coldStart();
defaultStackInProcess();
console.log(`\nresults: ${path.relative(ROOT, writeResults('stack'))}`);
