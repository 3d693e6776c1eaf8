/**
 * None, null and undefined from every jsii language: Python passes None, Java
 * and C# null, where TypeScript leaves an argument or prop out. For every
 * public constructor, static factory and method in the jsii assembly, each
 * parameter and each prop of a struct parameter (nested structs too) is set to
 * null and to undefined in turn:
 * - optional: null behaves exactly like undefined (same manifests, same result);
 * - required: both are a clear error in the library's style, the same one.
 */
import * as fs from 'fs';
import * as os from 'os';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { callEntryPoint, consume, freshChart, sampleArguments, sampleOf } from './entry-point-samples';
import { ValidationError } from '../../src/common/validation';
import { EntryPoint, entryPoints, jsiiAssembly, JsiiAssembly, JsiiTypeReference, structProperties } from '../util/jsii-assembly';

const assembly: JsiiAssembly = jsiiAssembly();

/** What a call produced: a clear error's message, or the output (manifests and returned value). */
type Outcome = { readonly error: string } | { readonly output: string };

/** A deferred check of cdk8s (`node.addValidation`) reported at synth. */
const CDK8S_VALIDATION = /^Validation failed with the following errors:\n/;

function describeResult(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, v) => {
    if (typeof v === 'function') return undefined;
    if (v instanceof Construct) return `<construct ${v.node.path}>`;
    if (v !== null && typeof v === 'object') {
      if (seen.has(v)) return '<seen>';
      seen.add(v);
      if (v instanceof Map || v instanceof Set) return [...v];
    }
    return v;
  }) ?? 'undefined';
}

/** Calls an entry point (awaiting it when it is async) and synthesizes what it built. */
async function run(entry: EntryPoint, build: (chart: Chart) => unknown[]): Promise<Outcome> {
  const chart = freshChart();
  try {
    const result = await callEntryPoint(entry, build(chart), chart);
    consume(result, chart);
    const manifests = chart.node.children.length > 0 ? JSON.stringify(Testing.synth(chart)) : '';
    return { output: `${describeResult(result)}\n${manifests}` };
  } catch (error) {
    if (error instanceof ValidationError) return { error: error.message };
    if (error instanceof Error && CDK8S_VALIDATION.test(error.message)) return { error: error.message };
    return { error: `NOT A CLEAR ERROR: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` };
  }
}

/** null and undefined give the same outcome: the error of one reads "got null" where the other reads "got undefined". */
function sameAsUndefined(ofNull: Outcome, ofUndefined: Outcome): boolean {
  if ('output' in ofNull || 'output' in ofUndefined) return JSON.stringify(ofNull) === JSON.stringify(ofUndefined);
  return ofNull.error.replace(/got null/g, 'got undefined') === ofUndefined.error;
}

interface Finding {
  readonly where: string;
  readonly problem: string;
}

/** One position: a parameter, or a prop of a struct (after placing the samples of the structs around it). */
interface Position {
  readonly label: string;
  readonly optional: boolean;
  readonly path: Array<string | number>;
  readonly setup: ReadonlyArray<{ readonly path: Array<string | number>; readonly make: () => unknown }>;
}

const ABSENT = Symbol('absent');

/** A copy of `args` with the value at `path` replaced (or removed, for ABSENT); copies only along the path. */
function withValue(args: unknown[], path: Array<string | number>, value: unknown): unknown[] {
  const copy = [...args];
  let target: any = copy;
  for (const step of path.slice(0, -1)) {
    target[step] = Array.isArray(target[step]) ? [...target[step]] : { ...target[step] };
    target = target[step];
  }
  const last = path[path.length - 1];
  if (value === ABSENT) delete target[last];
  else target[last] = value;
  return copy;
}

/** The positions to test: each parameter, and each prop of the struct samples, recursively. */
function positions(entry: EntryPoint, args: unknown[], walked: Set<string>): Position[] {
  const result: Position[] = [];
  const visit = (type: JsiiTypeReference, value: unknown, path: Array<string | number>, label: string, setup: Position['setup']) => {
    const struct = type.fqn ? assembly.types[type.fqn] : undefined;
    if (struct?.kind === 'interface' && struct.datatype && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      // Each struct is walked in full once, where it is cheapest to build (entries are ordered so).
      if (walked.has(struct.fqn)) return;
      walked.add(struct.fqn);
      for (const prop of structProperties(assembly, struct.fqn)) {
        const propPath = [...path, prop.name];
        const propLabel = `${label}.${prop.name}`;
        result.push({ label: propLabel, optional: !!prop.optional, path: propPath, setup });
        const present = (value as Record<string, unknown>)[prop.name];
        if (present !== undefined) {
          visit(prop.type, present, propPath, propLabel, setup);
        } else {
          const sample = sampleOf(assembly, prop.type, freshChart());
          const make = () => sampleOf(assembly, prop.type, freshChart())!.value;
          if (sample) visit(prop.type, sample.value, propPath, propLabel, [...setup, { path: propPath, make }]);
        }
      }
    } else if (type.collection?.kind === 'array' && Array.isArray(value) && value.length > 0) {
      visit(type.collection.elementtype, value[0], [...path, 0], `${label}[0]`, setup);
    }
  };
  (entry.callable.parameters ?? []).forEach((parameter, i) => {
    result.push({ label: parameter.name, optional: !!parameter.optional, path: [i], setup: [] });
    visit(parameter.type, args[i], [i], parameter.name, []);
  });
  return result;
}

/** Constructs of the stack last: a struct is walked at its cheapest entry point first. */
const ENTRY_POINTS = entryPoints(assembly).sort((a, b) => Number(a.type.name === 'SecurityMonitoringStack') - Number(b.type.name === 'SecurityMonitoringStack'));

// Entry points that write files (SecurityMonitoringFleet#synth, to dist/ by default) write them here.
const cwd = process.cwd();
beforeAll(() => process.chdir(fs.mkdtempSync(join(os.tmpdir(), 'null-walk-'))));
afterAll(() => process.chdir(cwd));

test('the assembly has the entry points the walk expects', () => {
  expect(ENTRY_POINTS.length).toBeGreaterThan(100);
  expect(ENTRY_POINTS.map((e) => e.id)).toEqual(expect.arrayContaining(['SecurityMonitoringStack', 'SiemDestination.splunkHec', 'FalcoRules#addRule', 'SecurityDashboard#addPanel']));
});

test('every public entry point: an optional null is undefined, a missing required argument a clear error', async () => {
  const findings: Finding[] = [];
  const walked = new Set<string>();
  let cases = 0;
  for (const entry of ENTRY_POINTS) {
    const baseline = await run(entry, (chart) => sampleArguments(assembly, entry, chart));
    if ('error' in baseline) {
      findings.push({ where: entry.id, problem: `the sample arguments fail: ${baseline.error}` });
      continue;
    }
    for (const position of positions(entry, sampleArguments(assembly, entry, freshChart()), walked)) {
      cases++;
      const build = (value: unknown) => (chart: Chart) => {
        const args = position.setup.reduce((all, { path, make }) => withValue(all, path, make()), sampleArguments(assembly, entry, chart));
        return withValue(args, position.path, value);
      };
      const ofNull = await run(entry, build(null));
      const ofUndefined = await run(entry, build(position.path.length === 1 ? undefined : ABSENT));
      const where = `${entry.id}(${position.label})`;
      for (const [which, outcome] of [['null', ofNull], ['undefined', ofUndefined]] as const) {
        if ('error' in outcome && outcome.error.startsWith('NOT A CLEAR ERROR')) findings.push({ where, problem: `${which}: ${outcome.error}` });
      }
      if (!position.optional && ('output' in ofNull || 'output' in ofUndefined)) {
        findings.push({ where, problem: `required, but ${'output' in ofNull ? 'null' : 'undefined'} was accepted` });
      }
      if (!sameAsUndefined(ofNull, ofUndefined)) {
        findings.push({ where, problem: `null differs from undefined:\n  null: ${JSON.stringify(ofNull).slice(0, 300)}\n  undefined: ${JSON.stringify(ofUndefined).slice(0, 300)}` });
      }
    }
  }
  expect(findings.map((f) => `${f.where}: ${f.problem}`)).toEqual([]);
  expect(cases).toBeGreaterThan(300);
}, 600_000);
