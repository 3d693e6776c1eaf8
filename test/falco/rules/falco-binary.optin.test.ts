/**
 * Runs a real Falco binary when one is on this machine (`falco` on PATH or FALCO_BIN); skipped and
 * reported as skipped in the live-tools summary otherwise (no Debian package, so CI has none).
 *
 *   FALCO_BIN=/path/to/falco FALCO_CONTAINER_PLUGIN=/path/to/libcontainer.so npx jest test/falco/rules/falco-binary.optin.test.ts
 *
 * FALCO_CONTAINER_PLUGIN is the container plugin (or any plugin named `container` exposing its
 * fields): the cases and the upstream ruleset require it.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { caseYaml, FALCO_CASES } from './falco-044-cases';
import { buildCustomRulesApp } from '../../../examples/custom-rules/main';
import { FalcoPresets, FalcoRules } from '../../../src/falco/rules';
import { describeLive, FALCO } from '../../util/live-tools';

const PLUGIN = process.env.FALCO_CONTAINER_PLUGIN ?? 'libcontainer.so';
const REFERENCE = path.join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'falco_rules.yaml');

jest.setTimeout(120_000);

describeLive(FALCO, 'a real Falco judges our files as the validator does', (falco) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'falco-optin-'));
  const config = path.join(dir, 'falco.yaml');
  fs.writeFileSync(config, `load_plugins: [container]\nplugins:\n  - name: container\n    library_path: ${PLUGIN}\njson_output: true\n`);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Falco's verdict on rules files loaded in order: the last file's errors and warnings. */
  function falcoVerdict(files: string[], ignoreUnused = false): { verdict: 'error' | 'warning' | 'ok'; messages: string[] } {
    const run = spawnSync(falco, ['-c', config, ...files.flatMap((f) => ['-V', f])], { encoding: 'utf8' });
    const start = run.stdout.indexOf('{');
    if (start < 0) return { verdict: 'error', messages: [run.stderr.trim().split('\n').pop() ?? ''] };
    const results = JSON.parse(run.stdout.slice(start)).falco_load_results;
    const last = results[results.length - 1];
    const errors = (last.errors ?? []).map((e: any) => `${e.code}: ${e.message}`);
    // The cases' prelude list and macro are not used by every case.
    const warnings = (last.warnings ?? []).filter((w: any) => !(ignoreUnused && w.code.startsWith('LOAD_UNUSED_'))).map((w: any) => `${w.code}: ${w.message}`);
    return { verdict: errors.length ? 'error' : warnings.length ? 'warning' : 'ok', messages: [...errors, ...warnings] };
  }

  test.each(FALCO_CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
    fs.writeFileSync(file, caseYaml(c));
    expect(falcoVerdict([file], true).verdict).toBe(c.falco);
    const ours = FalcoRules.fromYaml(caseYaml(c)).validate();
    const oursVerdict = ours.some((d) => d.severity === 'error') ? 'error' : ours.length ? 'warning' : 'ok';
    expect(oursVerdict).toBe(c.lint ? 'warning' : c.falco);
  });

  test('the presets load after the upstream ruleset without errors or warnings', () => {
    const presets: Record<string, FalcoRules> = {
      'unexpected-network': FalcoPresets.unexpectedNetworkConnection({ allowedIps: ['10.0.0.1'], allowedNetworks: ['10.0.0.0/8'], allowedProcesses: ['curl'] }),
      'sensitive-files': FalcoPresets.sensitiveFileAccess({ files: ['/etc/kubernetes/admin.conf'], allowedProcesses: ['kubelet'] }),
      'privilege-escalation': FalcoPresets.privilegeEscalation({ allowedParentProcesses: ['entrypoint.sh'], allowedImages: ['docker.io/library/debian'] }),
    };
    for (const [name, rules] of Object.entries(presets)) {
      const file = path.join(dir, `${name}.yaml`);
      fs.writeFileSync(file, rules.toYaml());
      expect({ name, ...falcoVerdict([REFERENCE, file]) }).toEqual({ name, verdict: 'ok', messages: [] });
    }
  });

  test('the rendered falco.yaml passes Falco\'s config schema', () => {
    const app = buildCustomRulesApp(path.join(dir, 'app'));
    const configMap = app.charts.flatMap((c) => c.toJson()).find((m) => m.kind === 'ConfigMap' && m.data?.['falco.yaml']);
    const rendered = path.join(dir, 'rendered-falco.yaml');
    fs.writeFileSync(rendered, configMap.data['falco.yaml']);
    const out = execFileSync(falco, ['-c', rendered, '-o', `plugins[0].library_path=${PLUGIN}`, '-o', 'log_stderr=true', '-V', REFERENCE],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toContain('falco_rules.yaml');
    const run = spawnSync(falco, ['-c', rendered, '-o', `plugins[0].library_path=${PLUGIN}`, '-o', 'log_stderr=true', '-V', REFERENCE], { encoding: 'utf8' });
    expect(run.stderr).toMatch(/rendered-falco\.yaml \| schema validation: ok/);
  });
});
