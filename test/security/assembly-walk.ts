/**
 * Walks the public API as the jsii assembly declares it: every entry point,
 * each parameter, and each prop of its struct parameters (nested structs too),
 * building valid arguments from the samples and changing one position at a
 * time. Used by the null walk and the credential fuzz.
 */
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { callEntryPoint, consume, freshChart, sampleArguments, sampleOf } from './entry-point-samples';
import { ValidationError } from '../../src/common/validation';
import { EntryPoint, entryPoints, jsiiAssembly, JsiiAssembly, JsiiTypeReference, structProperties } from '../util/jsii-assembly';

export const assembly: JsiiAssembly = jsiiAssembly();

/** Every entry point, the stack's last: a struct is walked where it is cheapest to build. */
export const ENTRY_POINTS = entryPoints(assembly).sort((a, b) => Number(a.type.name === 'SecurityMonitoringStack') - Number(b.type.name === 'SecurityMonitoringStack'));

/** Valid arguments for an entry point, in `chart`. */
export function validArguments(entry: EntryPoint, chart: Chart): unknown[] {
  return sampleArguments(assembly, entry, chart);
}

/** The arguments for one position: the valid ones, with the samples around the position placed and `value` at it. */
export function argumentsWith(entry: EntryPoint, position: Position, value: unknown, chart: Chart): unknown[] {
  const args = position.setup.reduce((all, { path, make }) => withValue(all, path, make()), validArguments(entry, chart));
  return withValue(args, position.path, value);
}

/** What a call produced: a clear error's message, or the output (manifests and returned value). */
export type Outcome = { readonly error: string } | { readonly output: string };

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
export async function run(entry: EntryPoint, build: (chart: Chart) => unknown[]): Promise<Outcome> {
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


/** One position: a parameter, or a prop of a struct (after placing the samples of the structs around it). */
export interface Position {
  readonly label: string;
  readonly optional: boolean;
  readonly type: JsiiTypeReference;
  readonly path: Array<string | number>;
  readonly setup: ReadonlyArray<{ readonly path: Array<string | number>; readonly make: () => unknown }>;
}

export const ABSENT = Symbol('absent');

/** A copy of `args` with the value at `path` replaced (or removed, for ABSENT); copies only along the path. */
export function withValue(args: unknown[], path: Array<string | number>, value: unknown): unknown[] {
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
export function positions(entry: EntryPoint, args: unknown[], walked: Set<string>): Position[] {
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
        result.push({ label: propLabel, optional: !!prop.optional, type: prop.type, path: propPath, setup });
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
    result.push({ label: parameter.name, optional: !!parameter.optional, type: parameter.type, path: [i], setup: [] });
    visit(parameter.type, args[i], [i], parameter.name, []);
  });
  return result;
}
