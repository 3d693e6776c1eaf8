import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildCustomRulesApp, RULE_FILE, RULE_TEST_FILE } from '../../examples/custom-rules/main';
import { buildDefaultApp } from '../../examples/default/main';
import { buildElasticApp } from '../../examples/elastic/main';
import { buildKubePrometheusStackApp } from '../../examples/kube-prometheus-stack/main';
import { buildSplunkApp } from '../../examples/splunk/main';
import {
  FalcoPriority, KubeBenchTarget, KuberhealthyApi, SecurityMonitoringStack, SiemDestination, TalonActionner,
} from '../../src';
import { runCheck } from '../../src/cli/check';
import { promtool } from '../prometheus/promtool';
import { expectPodSecurityAdmitted, expectValidManifests, Manifest } from '../util';

const EXAMPLES: Array<[string, (outdir: string) => App, string[]]> = [
  ['default', buildDefaultApp, ['DaemonSet/falco', 'PrometheusRule/security-monitoring-security-alerts']],
  ['splunk', buildSplunkApp, ['DaemonSet/fluent-bit', 'AlertmanagerConfig/security-alerting']],
  ['elastic', buildElasticApp, ['DaemonSet/filebeat']],
  ['kube-prometheus-stack', buildKubePrometheusStackApp, ['Deployment/anomaly-detector', 'ServiceMonitor/falco']],
  ['custom-rules', buildCustomRulesApp, ['PrometheusRule/custom-security-alerts', 'ConfigMap/falco-rules']],
];

function readManifests(outdir: string): Manifest[] {
  return fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d) => d.toJS()));
}

const objectsOf = (app: App): Manifest[] => app.charts.flatMap((c) => c.toJson());

describe.each(EXAMPLES)('examples/%s', (_, build, expected) => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('synthesizes objects that validate and that Pod Security admission admits', () => {
    build(outdir).synth();
    const manifests = readManifests(outdir);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(expect.arrayContaining(expected));
    expectValidManifests(manifests);
    expectPodSecurityAdmitted(manifests);
  });

  test('is byte-identical across two synths', () => {
    expect(build(outdir).synthYaml()).toEqual(build(outdir).synthYaml());
  });

  test('its whole output passes the check CLI', () => {
    const checkDir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-check-'));
    try {
      build(checkDir).synth();
      const { diagnostics, exitCode } = runCheck([checkDir], { tools: false });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(exitCode).toBe(0);
    } finally {
      fs.rmSync(checkDir, { recursive: true, force: true });
    }
  });
});

test('a stack with every component passes the check CLI on its whole output', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'full-stack-check-'));
  try {
    const app = new App({ outdir: dir });
    const talonRule = {
      name: 'Quarantine shells',
      match: { rules: ['Terminal shell in container'], minimumPriority: FalcoPriority.NOTICE },
      dryRun: true,
      actions: [{ name: 'quarantine', actionner: TalonActionner.label({ 'security.quarantine': 'true' }) }],
    };
    new SecurityMonitoringStack(new Chart(app, 'security'), 'stack', {
      siem: { destinations: [SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' } })] },
      alerting: { pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } } },
      anomalyDetection: {},
      response: { talon: { rules: [talonRule] }, quarantineNamespaces: ['shop'], kuberhealthy: KuberhealthyApi.v3() },
      compliance: { kubeBench: { targets: [KubeBenchTarget.NODE] } },
    });
    app.synth();
    const { diagnostics, exitCode } = runCheck([dir], { tools: false });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(exitCode).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('examples wiring', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-wiring-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('kube-prometheus-stack: every rule and monitor carries the release label', () => {
    const operatorObjects = objectsOf(buildKubePrometheusStackApp(outdir))
      .filter((m) => ['PrometheusRule', 'ServiceMonitor'].includes(m.kind));
    expect(operatorObjects.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'PrometheusRule/anomaly-detector', 'PrometheusRule/security-monitoring-security-alerts',
      'ServiceMonitor/anomaly-detector', 'ServiceMonitor/falco',
    ]);
    for (const m of operatorObjects) expect(m.metadata.labels.release).toBe('kube-prometheus-stack');
  });

  test('splunk and elastic reference their credentials and render no Secret', () => {
    for (const build of [buildSplunkApp, buildElasticApp]) {
      expect(objectsOf(build(outdir)).filter((m) => m.kind === 'Secret')).toEqual([]);
    }
  });

  test('the default example prints describe() when run as a script', () => {
    const scriptOutdir = path.join(outdir, 'script');
    const run = require.resolve('../../examples/run');
    const main = require.resolve('../../examples/default/main');
    const script = `require(${JSON.stringify(run)}).synthAndDescribe(require(${JSON.stringify(main)}).buildDefaultApp(${JSON.stringify(scriptOutdir)}))`;
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { encoding: 'utf8' });
    expect(out).toContain('Security monitoring stack "security-monitoring" (security-monitoring/stack)');
    expect(out).toContain('Privileges:\n  DaemonSet falco/falco: ');
    expect(fs.readdirSync(scriptOutdir)).toEqual(['security-monitoring.k8s.yaml']);
  }, 60_000);
});

describe('examples/custom-rules promtool files', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'custom-rules-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('promtool check rules and promtool test rules pass on the written files', () => {
    buildCustomRulesApp(outdir).synth();
    const inputs = Object.fromEntries([RULE_FILE, RULE_TEST_FILE].map((file) => [file, fs.readFileSync(path.join(outdir, file), 'utf8')]));
    expect(promtool(['check', 'rules', RULE_FILE], inputs)).toEqual({ ok: true, output: expect.stringContaining('SUCCESS: 1 rules found') });
    expect(promtool(['test', 'rules', RULE_TEST_FILE], inputs)).toEqual({ ok: true, output: expect.stringContaining('SUCCESS') });
  });
});
