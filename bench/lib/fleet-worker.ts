/**
 * Child process of bench/fleet.bench.ts: for one fleet size, times by turns
 * (1) a SecurityMonitoringFleet of that many default clusters writing its
 * cluster directories, Argo CD and Flux objects and summary, (2) the same
 * clusters written by hand as one cdk8s App per cluster (`app.synth()`, what a
 * user does without the fleet), (3) the framework floor (the fleet's cluster
 * documents as raw cdk8s ApiObjects); prints the medians and peak RSS as JSON.
 *   ts-node bench/lib/fleet-worker.ts <clusters> <runs>
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { frameworkFloor } from './baselines';
import { measureByTurns } from './harness';
import { SecurityMonitoringFleet, SecurityMonitoringStack } from '../../src';

const [clustersArg, runsArg] = process.argv.slice(2);
const count = Number(clustersArg);
const names = Array.from({ length: count }, (_, i) => `cluster-${String(i).padStart(3, '0')}`);
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-bench-'));

function fleet(): SecurityMonitoringFleet {
  return new SecurityMonitoringFleet({
    clusters: names.map((name, i) => ({ name, labels: { environment: i % 3 === 0 ? 'prod' : 'dev' } })),
    repository: { url: 'https://git.example.com/platform/security.git', path: 'dist' },
    argoCd: {},
    flux: {},
  });
}

function byHand(): void {
  for (const name of names) {
    const app = new App({ outdir: path.join(outdir, 'by-hand', name) });
    new SecurityMonitoringStack(new Chart(app, 'security-monitoring'), 'stack', { cluster: { name } });
    app.synth();
  }
}

try {
  const files = fleet().synth(path.join(outdir, 'fleet'));
  const documents = fleet().clusters.flatMap((c) => c.app.charts.flatMap((chart) => chart.toJson()));
  const [ours, hand, framework] = measureByTurns([
    () => fleet().synth(path.join(outdir, 'fleet')),
    byHand,
    () => frameworkFloor(documents),
  ], { warmup: 1, warmupMs: 0, runs: Number(runsArg) });
  console.log(JSON.stringify({
    files: files.length,
    objects: documents.length,
    oursMs: ours.medianMs,
    byHandMs: hand.medianMs,
    frameworkMs: framework.medianMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }));
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}
