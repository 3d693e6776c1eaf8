/**
 * Where the synth time of a stack with many Falco rules goes, phase by phase,
 * against the framework floor (raw cdk8s ApiObjects of the same documents,
 * whose rules file arrives already rendered). It shows what the ≤ 2× target
 * leaves per rule for parsing, checking and rendering it; for comparison, also
 * what a user without this library pays to write the same rules file with the
 * `yaml` package (no checks at all).
 */
import { App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { FalcoRuleProps, SecurityMonitoringStack } from '../src';
import { frameworkFloor } from './lib/baselines';
import { formatMs, measureByTurns, printTable, QUICK, ratio, writeResults } from './lib/harness';
import { benchFalcoRule } from './lib/workloads';
import { FalcoRules } from '../src/falco/rules';
import { parseCondition } from '../src/falco/rules/condition-parser';
import { parseOutput } from '../src/falco/rules/output-format';
import { UPSTREAM_LISTS, UPSTREAM_MACROS } from '../src/falco/rules/upstream-names';

const WARMUP = 3;
const RUNS = QUICK ? 3 : 9;
/** What a FalcoDeployment with the upstream ruleset and a syscall driver validates custom rules with. */
const CONTEXT = { macros: [...UPSTREAM_MACROS], lists: [...UPSTREAM_LISTS], plugins: ['container'], sources: ['syscall'] };

function stack(rules: FalcoRuleProps[]): App {
  const app = new App({ outdir: '/nonexistent' });
  const s = new SecurityMonitoringStack(new Chart(app, 'security-monitoring'), 'stack');
  rules.forEach((rule) => s.falco!.addRule(rule));
  return app;
}

/**
 * A fresh FalcoRules per timed call: validation and rendering are cached on the
 * item count, so a reused one would measure the cache.
 */
function pool(rules: FalcoRuleProps[]): () => FalcoRules {
  const instances = Array.from({ length: WARMUP + RUNS }, () => rules.reduce((r, rule) => r.addRule(rule), new FalcoRules()));
  return () => instances.pop()!;
}

function phases(size: number): void {
  const rules = Array.from({ length: size }, (_, i) => benchFalcoRule(i));
  const documents = stack(rules).charts.flatMap((c) => c.toJson());
  const toValidate = pool(rules);
  const toRender = pool(rules);
  // What a user without this library writes: the rules as plain objects, stringified with `yaml`.
  const plainRules = rules.map((r) => ({
    rule: r.name, desc: r.description, condition: r.condition, output: r.output, priority: r.priority, tags: r.tags,
  }));
  const [floor, handWritten, ours, conditions, outputs, validation, rendering] = measureByTurns([
    () => frameworkFloor(documents),
    () => [stringify(plainRules), frameworkFloor(documents)],
    () => stack(rules).synthYaml(),
    () => rules.forEach((r) => parseCondition(r.condition)),
    () => rules.forEach((r) => parseOutput(r.output)),
    () => toValidate().validate(CONTEXT),
    () => toRender().toYaml(),
  ], { warmup: WARMUP, warmupMs: 0, runs: RUNS });
  const row = (phase: string, ms: number) => ({
    'phase': phase,
    'median': formatMs(ms),
    'per rule': `${(1000 * ms / size).toFixed(2)} µs`,
    'vs framework floor': ratio(ms, floor.medianMs),
  });
  printTable(`${size.toLocaleString('en')} Falco rules: synth by phase`, [
    row('framework floor: cdk8s writes the rendered documents', floor.medianMs),
    row('raw cdk8s + the rules file written with yaml.stringify, unchecked', handWritten.medianMs),
    row('our synth (construction, validation, rendering, cdk8s)', ours.medianMs),
    row('  parse the conditions only', conditions.medianMs),
    row('  parse the outputs only', outputs.medianMs),
    row('  validate the rules file (parses included)', validation.medianMs),
    row('  render the rules file', rendering.medianMs),
  ]);
}

for (const size of QUICK ? [100] : [1_000, 10_000]) phases(size);
console.log(`\nresults: ${writeResults('falco-phases')}`);
