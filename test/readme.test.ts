import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { SecurityMonitoringStack } from '../src';
import { expectValidManifests } from './util';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  test('starts with the install-and-synth command and the test command that CI runs', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(README)![1];
    expect(firstBlock).toMatch(/^npm install && npm run synth\b/m);
    expect(firstBlock).toMatch(/^npm test\b/m);
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/^npm install$/m);
    expect(ci).toMatch(/^npm run synth$/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  test('the quickstart synthesizes, verbatim but for the package import, into valid manifests', () => {
    const docs = synthReadmeBlock('## Quickstart', 'readme-quickstart');
    expect(docs.length).toBeGreaterThan(0);
    expectValidManifests(docs);
  }, 60_000);

  test('the rule-testing example synthesizes with its tests passing, and fails synth as shown when a test fails', () => {
    const docs = synthReadmeBlock('## Testing Falco rules', 'readme-rule-tests');
    const rulesFile = docs.find((d) => d?.kind === 'ConfigMap' && d.data?.['crypto-miners.yaml'])?.data['crypto-miners.yaml'];
    expect(rulesFile).toContain('rule: Crypto miner started');
    expect(rulesFile).not.toContain('tests');
    expectValidManifests(docs);
    // The failure the README shows: the event's process name no longer in the list.
    const shown = /```\n(security-monitoring\/stack\/falco: rules file "crypto-miners": FalcoRule[^\n]*)\n```/.exec(section('## Testing Falco rules'))![1];
    const failing = () => synthReadmeBlock('## Testing Falco rules', 'readme-rule-tests-failing',
      (code) => code.replace("'proc.name': 'xmrig', 'container.id'", "'proc.name': 'xmrig-6.21', 'container.id'"));
    const event = { 'evt.type': 'execve', 'proc.name': 'xmrig-6.21', 'container.id': '3f1c2a9b8e7d' };
    expect(failing).toThrow(shown.replace('{...}', JSON.stringify(event)));
  }, 60_000);
});

describe('README: Many clusters', () => {
  test('the fleet example synthesizes, verbatim but for the package import, one directory per cluster and the GitOps objects, all valid', () => {
    const docs = synthReadmeBlock('## Many clusters', 'readme-fleet');
    expectValidManifests(docs);
    const kinds = docs.map((d) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['ApplicationSet', 'AppProject', 'GitRepository', 'Kustomization', 'DaemonSet']));
    const dir = path.join(ROOT, '.tmp', 'readme-fleet', 'dist');
    expect(fs.readdirSync(path.join(dir, 'clusters')).sort()).toEqual(['dev', 'prod-eu-1', 'staging']);
    // Each cluster's alerts name it; dev pages nobody.
    const alertLabels = docs.filter((d) => d.kind === 'PrometheusRule').flatMap((d) => d.spec.groups.flatMap((g: any) => g.rules)).filter((r) => r.alert)
      .map((r) => r.labels.cluster);
    expect(new Set(alertLabels)).toEqual(new Set(['dev', 'staging', 'prod-eu-1']));
    expect(docs.filter((d) => d.kind === 'AlertmanagerConfig')).toHaveLength(2);
  }, 120_000);
});

describe('README: Tuning noise', () => {
  test('the example synthesizes verbatim, with each tuning in the manifests and describe() printing the changes the README shows', () => {
    const { docs, stdout } = runReadmeBlock('## Tuning noise', 'readme-tuning');
    expectValidManifests(docs);
    const shown = /```\n(Tuned alerts[^`]*?)```/.exec(section('## Tuning noise'))![1];
    expect(stdout).toContain(shown);
    const alerts = docs.find((d) => d.kind === 'PrometheusRule').spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert);
    expect(alerts.map((r: any) => r.alert)).not.toContain('ContainerImageLatestTag');
    const authn = alerts.find((r: any) => r.alert === 'KubeApiServerAuthenticationFailures');
    expect(authn).toMatchObject({ expr: 'sum(rate(authentication_attempts{result="failure"}[5m])) > 5', for: '15m', labels: { team: 'security' } });
    expect(authn.annotations.runbook_url).toBe('https://runbooks.example.com/security/kubeapiserverauthenticationfailures');
    const falcoRules = docs.filter((d) => d.kind === 'ConfigMap').map((d) => d.data?.['tuning.yaml']).find((t) => t !== undefined);
    expect(parse(falcoRules)).toEqual([{
      rule: 'Terminal shell in container',
      exceptions: [{ name: 'ci_runner_shells', fields: ['k8s.ns.name', 'container.image.repository'], values: [['ci', 'gitlab/gitlab-runner']] }],
      override: { exceptions: 'append' },
    }]);
  }, 60_000);

  test('a misspelt alert name fails as the README says', () => {
    const run = () => runReadmeBlock('## Tuning noise', 'readme-tuning-typo', (code) => code.replace("disabledAlerts: ['ContainerImageLatestTag']", "disabledAlerts: ['ContainerImageLatest']"));
    expect(run).toThrow(/disabledAlerts names "ContainerImageLatest", which is not an alert of the catalogue.*did you mean "ContainerImageLatestTag"\?/s);
  }, 60_000);
});

describe('README: Escape hatches', () => {
  test('the example synthesizes verbatim, with the toleration on the Falco pods and the annotation on the Fluent Bit pods', () => {
    const docs = synthReadmeBlock('## Escape hatches', 'readme-escape-hatches');
    expectValidManifests(docs);
    const fluentBit = docs.find((d) => d.kind === 'DaemonSet' && d.metadata.name === 'fluent-bit');
    expect(fluentBit.spec.template.metadata.annotations['example.com/owner']).toBe('security');
    const falco = docs.find((d) => d.kind === 'DaemonSet' && d.metadata.name === 'falco');
    // Added to the control-plane tolerations the library sets.
    expect(falco.spec.template.spec.tolerations).toEqual([
      { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  }, 60_000);
});

function section(heading: string): string {
  return README.slice(README.indexOf(heading));
}

/**
 * Runs the first TypeScript block after `heading` verbatim but for the package
 * import (and `edit`) and returns the documents it synthesizes.
 */
function synthReadmeBlock(heading: string, dirName: string, edit: (code: string) => string = (c) => c): any[] {
  return runReadmeBlock(heading, dirName, edit).docs;
}

/** `synthReadmeBlock`, with what the block printed. */
function runReadmeBlock(heading: string, dirName: string, edit: (code: string) => string = (c) => c): { docs: any[]; stdout: string } {
  const code = /```ts\n([\s\S]*?)```/.exec(section(heading))![1];
  expect(code).toContain("from 'cdk8s-security-monitoring'");
  const dir = path.join(ROOT, '.tmp', dirName);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.ts'), edit(code).replace("from 'cdk8s-security-monitoring'", `from ${JSON.stringify(path.join(ROOT, 'src'))}`));
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', 'main.ts'], { cwd: dir, stdio: 'pipe' }).toString();
  } catch (e) {
    throw new Error(String((e as { stderr?: Buffer }).stderr ?? e));
  }
  // Recursive: a fleet writes a directory per cluster.
  const files = (fs.readdirSync(path.join(dir, 'dist'), { recursive: true }) as string[]).filter((f) => f.endsWith('.k8s.yaml')).sort();
  expect(files.length).toBeGreaterThan(0);
  return { docs: files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, 'dist', f), 'utf8')).map((d) => d.toJS())), stdout };
}

/** Who gets an alert of the catalogue when the stack has `alerting` with only `pagerDuty` set. */
function recipient(alert: string, severity: string): string {
  if (alert === 'Watchdog') return 'the `deadMansSwitch` (nobody without one)';
  return { critical: 'PagerDuty', warning: 'the `warningReceiver` (nobody without one)', info: 'nobody' }[severity]!;
}

/** The README's alert table, generated from the catalogue a default stack ships. */
function alertTable(): string {
  const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { alerting: { pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } } } });
  const rules: any[] = parse(stack.alerts!.toRuleFile()).groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert);
  return [
    '| alert | severity | who gets it by default | runbook |',
    '| --- | --- | --- | --- |',
    ...rules.map((r) => `| \`${r.alert}\` | ${r.labels.severity} | ${recipient(r.alert, r.labels.severity)} | [${r.alert.toLowerCase()}](${r.annotations.runbook_url}) |`),
  ].join('\n');
}

describe('README: SIEM delivery', () => {
  test('the custom destination example synthesizes verbatim: the Datadog output per log type, its API key from the Secret', () => {
    const docs = synthReadmeBlock('## SIEM delivery', 'readme-siem-delivery');
    expectValidManifests(docs);
    const config = parse(docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'fluent-bit').data['fluent-bit.yaml']);
    const datadog = config.pipeline.outputs.filter((o: any) => o.name === 'datadog');
    expect(datadog.map((o: any) => [o.match, o.apikey, o.tls, o['tls.verify']])).toEqual([
      ['security_audit.*', '${SIEM_DEST2_APIKEY}', 'on', 'on'],
      ['falco.*', '${SIEM_DEST2_APIKEY}', 'on', 'on'],
    ]);
    const env = docs.find((d) => d.kind === 'DaemonSet' && d.metadata.name === 'fluent-bit').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'SIEM_DEST2_APIKEY', valueFrom: { secretKeyRef: { name: 'datadog', key: 'api-key' } } });
  }, 60_000);
});

describe('README: Alerts', () => {
  test('the alert table is the catalogue a default stack ships: each alert, its severity, who gets it, its runbook', () => {
    expect(section('## Alerts')).toContain(`${alertTable()}\n`);
  });
});

describe('README: Response (Falco Talon)', () => {
  test('the example synthesizes into valid manifests: the actions as Talon reads them, and exactly their permissions', () => {
    const docs = synthReadmeBlock('## Response (Falco Talon)', 'readme-talon');
    expectValidManifests(docs);
    const rules = parse(docs.find((d) => d.kind === 'ConfigMap' && d.data?.['rules.yaml']).data['rules.yaml']);
    expect(rules[0].actions.map((a: any) => [a.actionner, a.output?.target, a.continue])).toEqual([
      ['kubernetes:label', undefined, undefined],
      ['kubernetes:download', 'aws:s3', undefined],
      ['kubernetes:tcpdump', 'aws:s3', 'true'],
      ['kubernetes:annotation', undefined, undefined],
    ]);
    const talonRole = docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name.endsWith('falco-talon'));
    expect(talonRole.rules).toEqual([
      { apiGroups: [''], resources: ['events'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'patch', 'update'] },
      { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    ]);
  }, 60_000);
});
