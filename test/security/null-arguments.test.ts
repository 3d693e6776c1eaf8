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
import { Chart } from 'cdk8s';
import { ABSENT, argumentsWith, ENTRY_POINTS, Outcome, positions, run, validArguments } from './assembly-walk';
import { freshChart } from './entry-point-samples';

/** null and undefined give the same outcome: the error of one reads "got null" where the other reads "got undefined". */
function sameAsUndefined(ofNull: Outcome, ofUndefined: Outcome): boolean {
  if ('output' in ofNull || 'output' in ofUndefined) return JSON.stringify(ofNull) === JSON.stringify(ofUndefined);
  return ofNull.error.replace(/got null/g, 'got undefined') === ofUndefined.error;
}


interface Finding {
  readonly where: string;
  readonly problem: string;
}


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
    const baseline = await run(entry, (chart) => validArguments(entry, chart));
    if ('error' in baseline) {
      findings.push({ where: entry.id, problem: `the sample arguments fail: ${baseline.error}` });
      continue;
    }
    for (const position of positions(entry, validArguments(entry, freshChart()), walked)) {
      cases++;
      const build = (value: unknown) => (chart: Chart) => argumentsWith(entry, position, value, chart);
      const ofNull = await run(entry, build(null));
      const ofUndefined = await run(entry, build(position.path.length === 1 ? undefined : ABSENT));
      const where = `${entry.id}(${position.label})`;
      for (const [which, outcome] of [['null', ofNull], ['undefined', ofUndefined]] as const) {
        if ('error' in outcome && outcome.error.startsWith('NOT A CLEAR ERROR')) findings.push({ where, problem: `${which}: ${outcome.error}` });
      }
      // A parameter of type any (Errors.isValidationError(x)) takes null as a value like any other.
      if (!position.optional && position.type.primitive !== 'any' && ('output' in ofNull || 'output' in ofUndefined)) {
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
