import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { SecurityPrometheusRule } from '../../src';

/** The installed promtool's version, e.g. "2.42"; fails the test run if promtool is missing (CI installs it). */
export function promtoolVersion(): string {
  let output: string;
  try {
    output = execFileSync('promtool', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`promtool is required for these tests (Debian/Ubuntu: apt-get install prometheus): ${(e as Error).message}`);
  }
  return /version (\d+\.\d+)/.exec(output)![1];
}

export interface PromtoolResult {
  readonly ok: boolean;
  readonly output: string;
}

/** Writes the rule file and its unit tests to a temporary directory and runs `promtool check rules` and `promtool test rules`. */
export function runPromtool(rules: SecurityPrometheusRule): { check: PromtoolResult; test: PromtoolResult } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
  try {
    fs.writeFileSync(path.join(dir, 'rules.yaml'), rules.toRuleFile({ prometheusVersion: promtoolVersion() }));
    fs.writeFileSync(path.join(dir, 'tests.yaml'), rules.toUnitTestFile('rules.yaml'));
    return { check: run(['check', 'rules', 'rules.yaml'], dir), test: run(['test', 'rules', 'tests.yaml'], dir) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Expressions that `promtool check rules` rejects, with its message: all are
 * written as recording rules of one file, and promtool reports every bad rule.
 */
export function promtoolRejections(expressions: string[]): Map<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
  try {
    const rules = expressions.map((expr, i) => ({ record: `r${i}`, expr }));
    fs.writeFileSync(path.join(dir, 'rules.yaml'), stringify({ groups: [{ name: 'g', rules }] }));
    const { output } = run(['check', 'rules', 'rules.yaml'], dir);
    return new Map([...output.matchAll(/rule (\d+), "r\d+": (.*)/g)].map((m) => [expressions[Number(m[1]) - 1], m[2]]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Alert annotation templates that `promtool check rules` rejects, with its message:
 * each is the summary of one alert of one file, and promtool reports every bad one.
 */
export function promtoolTemplateRejections(templates: string[]): Map<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
  try {
    const rules = templates.map((summary, i) => ({ alert: `A${i}`, expr: 'up == 0', annotations: { summary } }));
    fs.writeFileSync(path.join(dir, 'rules.yaml'), stringify({ groups: [{ name: 'g', rules }] }));
    const { output } = run(['check', 'rules', 'rules.yaml'], dir);
    return new Map([...output.matchAll(/rule (\d+), "A\d+": annotation "summary": (.*)/g)].map((m) => [templates[Number(m[1]) - 1], m[2]]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(args: string[], cwd: string): PromtoolResult {
  try {
    return { ok: true, output: execFileSync('promtool', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e: any) {
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
