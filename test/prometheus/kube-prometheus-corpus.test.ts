import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { PromQL } from '../../src';
import { runCheck } from '../../src/cli/check';
import { describeLive, PROMTOOL } from '../util/live-tools';

/** Upstream material nobody here wrote (../shared/reference/README.md); a missing corpus fails the suite. */
const REFERENCE = path.join(__dirname, '..', '..', '..', 'shared', 'reference');
const KUBE_PROMETHEUS = path.join(REFERENCE, 'kube-prometheus');

function expressions(): Array<{ file: string; rule: string; expr: string }> {
  return fs.readdirSync(KUBE_PROMETHEUS).sort().flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(KUBE_PROMETHEUS, file), 'utf8'))
    .flatMap((doc) => (doc.toJS()?.spec?.groups ?? []) as Array<{ rules: any[] }>)
    .flatMap((group) => group.rules.map((rule) => ({ file, rule: rule.alert ?? rule.record, expr: String(rule.expr) }))));
}

describe('kube-prometheus PrometheusRules', () => {
  test('every expression passes PromQL.validate', () => {
    const all = expressions();
    expect(all.length).toBe(234);
    const rejected = all.flatMap(({ file, rule, expr }) => {
      try {
        PromQL.validate(expr);
        return [];
      } catch (e) {
        return [`${file} ${rule}: ${(e as Error).message.split('\n')[0]}`];
      }
    });
    expect(rejected).toEqual([]);
    // The corpus exercises comments: they were the false errors once.
    expect(all.filter(({ expr }) => /(^|\s)#/.test(expr)).length).toBeGreaterThan(20);
  });

  test('check reports no errors on the kube-prometheus directory or the whole reference folder', () => {
    for (const dir of [KUBE_PROMETHEUS, REFERENCE]) {
      const { diagnostics, exitCode } = runCheck([dir], { tools: false });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(exitCode).toBe(0);
    }
  });
});

describeLive(PROMTOOL, 'kube-prometheus with promtool', () => {
  test('check with promtool reports no errors on the reference folder', () => {
    const { diagnostics, notes } = runCheck([REFERENCE]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(notes).toEqual([]);
  });
});
