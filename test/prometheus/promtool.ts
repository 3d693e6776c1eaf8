import { stringify } from 'yaml';
import { SecurityPrometheusRule } from '../../src';
import { PROMTOOL } from '../util/live-tools';
import { runRecorded } from '../util/recorded-tool';

/** promtool, live or from its recorded verdicts (test/util/recorded-tool.ts). */
export function promtool(args: readonly string[], inputs: Readonly<Record<string, string>> = {}): PromtoolResult {
  const run = runRecorded(PROMTOOL, args, inputs);
  return { ok: run.ok, output: `${run.stdout}${run.stderr}` };
}

/** The promtool version, e.g. "2.42" (CI installs Debian's prometheus). */
export function promtoolVersion(): string {
  return /version (\d+\.\d+)/.exec(promtool(['--version']).output)![1];
}

export interface PromtoolResult {
  readonly ok: boolean;
  readonly output: string;
}

/** `promtool check rules` and `promtool test rules` on the rule file and its unit tests. */
export function runPromtool(rules: SecurityPrometheusRule): { check: PromtoolResult; test: PromtoolResult } {
  const inputs = { 'rules.yaml': rules.toRuleFile({ prometheusVersion: promtoolVersion() }), 'tests.yaml': rules.toUnitTestFile('rules.yaml') };
  return { check: promtool(['check', 'rules', 'rules.yaml'], inputs), test: promtool(['test', 'rules', 'tests.yaml'], inputs) };
}

/**
 * Expressions that `promtool check rules` rejects, with its message: all are
 * written as recording rules of one file, and promtool reports every bad rule.
 */
export function promtoolRejections(expressions: string[]): Map<string, string> {
  const rules = expressions.map((expr, i) => ({ record: `r${i}`, expr }));
  const { output } = promtool(['check', 'rules', 'rules.yaml'], { 'rules.yaml': stringify({ groups: [{ name: 'g', rules }] }) });
  return new Map([...output.matchAll(/rule (\d+), "r\d+": (.*)/g)].map((m) => [expressions[Number(m[1]) - 1], m[2]]));
}

/**
 * Alert annotation templates that `promtool check rules` rejects, with its message:
 * each is the summary of one alert of one file, and promtool reports every bad one.
 */
export function promtoolTemplateRejections(templates: string[]): Map<string, string> {
  const rules = templates.map((summary, i) => ({ alert: `A${i}`, expr: 'up == 0', annotations: { summary } }));
  const { output } = promtool(['check', 'rules', 'rules.yaml'], { 'rules.yaml': stringify({ groups: [{ name: 'g', rules }] }) });
  return new Map([...output.matchAll(/rule (\d+), "A\d+": annotation "summary": (.*)/g)].map((m) => [templates[Number(m[1]) - 1], m[2]]));
}
