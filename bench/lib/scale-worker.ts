/**
 * Child process of bench/scale.bench.ts: builds and synthesizes one stack
 * size (construction, validation and YAML), and the two floors for the same
 * documents, then prints the medians and this process' peak RSS as JSON.
 *   ts-node bench/lib/scale-worker.ts <dimension> <size> <runs>
 */
import { App, Chart, Duration } from 'cdk8s';
import { frameworkFloor, serializationFloor } from './baselines';
import { measureByTurns } from './harness';
import { benchFalcoRule } from './workloads';
import { AlertSeverity, SecurityMonitoringStack, SecurityMonitoringStackProps, SiemDestination } from '../../src';
import { objectSizeErrors } from '../../src/common/object-size';

const [dimension, sizeArg, runsArg] = process.argv.slice(2);
const size = Number(sizeArg);
const runs = Number(runsArg);

function siemProps(destinations: number): SecurityMonitoringStackProps {
  return {
    siem: {
      destinations: Array.from({ length: destinations }, (_, i) => SiemDestination.splunkHec({
        host: `splunk-${i}.example.com`, tokenSecret: { secretName: 'splunk-hec', key: `token-${i}` },
      })),
    },
  };
}

function addFalcoRules(stack: SecurityMonitoringStack, count: number): void {
  for (let i = 0; i < count; i++) stack.falco!.addRule(benchFalcoRule(i));
}

function addAlerts(stack: SecurityMonitoringStack, count: number): void {
  for (let g = 0; g * 100 < count; g++) {
    const group = stack.alerts!.addGroup({ name: `bench.${g}` });
    for (let i = g * 100; i < Math.min(count, (g + 1) * 100); i++) {
      group.addAlert({
        alert: `BenchAlert${i}`,
        expr: `sum by (namespace) (rate(apiserver_request_total{code=~"401|403", resource="r${i}"}[5m])) > ${i}`,
        for: Duration.minutes(5),
        severity: AlertSeverity.WARNING,
        summary: `Benchmark alert ${i}`,
        description: 'Too many denied requests for {{ $labels.namespace }}',
        runbookUrl: `https://runbooks.example.com/bench#${i}`,
      });
    }
  }
}

function build(): App {
  const app = new App({ outdir: '/nonexistent' });
  const chart = new Chart(app, 'security-monitoring');
  const props = dimension === 'siem' ? siemProps(size) : {};
  const stack = new SecurityMonitoringStack(chart, 'stack', props);
  if (dimension === 'falco-rules') addFalcoRules(stack, size);
  if (dimension === 'alerts') addAlerts(stack, size);
  if (dimension === 'combined') {
    addFalcoRules(stack, size);
    addAlerts(stack, size / 10);
  }
  return app;
}

const documents = build().charts.flatMap((c) => c.toJson());
// A benchmark of output the API server would refuse would measure nothing a user can apply.
const tooLarge = documents.flatMap((d) => objectSizeErrors(d).map((e) => `${d.kind}/${d.metadata.name}: ${e}`));
if (tooLarge.length > 0) throw new Error(`the benchmark stack exceeds Kubernetes' object limits:\n${tooLarge.join('\n')}`);
const [ours, framework, serialization] = measureByTurns([
  () => build().synthYaml(),
  () => frameworkFloor(documents),
  () => serializationFloor(documents),
], { warmup: 1, runs });
console.log(JSON.stringify({
  objects: documents.length,
  oursMs: ours.medianMs,
  frameworkMs: framework.medianMs,
  serializationMs: serialization.medianMs,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
}));
