import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildDefaultApp } from '../../examples/default/main';
import { runCheck } from '../../src/cli/check';
import { CheckDiagnostic, formatDiagnostic } from '../../src/cli/diagnostic';
import { parseArgs } from '../../src/cli/main';
import { AMTOOL, describeLive, PROMTOOL } from '../util/live-tools';

const FALCO_RULES = `apiVersion: v1
kind: ConfigMap
metadata:
  name: falco-rules
  namespace: falco
data:
  custom.yaml: |
    - macro: my_shell_procs
      condition: proc.name in (bash, sh)
    - rule: Shell in container
      desc: a shell was spawned
      condition: evt.type = execve and my_shell_proc
      output: shell %proc.name
      priority: WARNING
    - rule: Upstream based
      desc: uses macros of the upstream ruleset
      condition: spawned_process and container
      output: x %proc.name
      priority: NOTICE
`;

const PROMETHEUS_RULE = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: bad-rules
  namespace: monitoring
spec:
  groups:
    - name: security
      rules:
        - alert: FalcoDown
          expr: absent(up{job="falco"}
          for: 5x
          labels:
            severity: critical
          annotations:
            summary: Falco is down
            description: no metrics
        - alert: NoConventions
          expr: up == 0
`;

const ALERTMANAGER_SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: alertmanager-main
  namespace: monitoring
stringData:
  alertmanager.yaml: |
    route:
      receiver: default
      routes:
        - receiver: pagerduty-critcal
          matchers: ['severity="critical"']
    receivers:
      - name: default
      - name: pagerduty-critical
`;

const AUDIT_POLICY = `apiVersion: v1
kind: ConfigMap
metadata:
  name: audit-policy
  namespace: kube-system
data:
  policy.yaml: |
    apiVersion: audit.k8s.io/v1
    kind: Policy
    omitStages: [RequestReceived]
    rules:
      - level: RequestResponse
        resources:
          - group: ""
            resources: [secrets]
      - level: Metadata
`;

const ALERTMANAGER_CONFIG = `apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata:
  name: security
  namespace: monitoring
spec:
  route:
    receiver: pagerduty
    routes:
      - receiver: slack
        matchers:
          - { name: severity, value: "(critical", matchType: "=~" }
  receivers:
    - name: pagerduty
      pagerdutyConfigs:
        - description: "{{ .CommonLabels.alertname"
`;

const UPSTREAM = `- macro: spawned_process
  condition: (evt.type in (execve, execveat) and evt.dir=<)
- macro: container
  condition: (container.id != host)
- required_plugin_versions:
    - name: container
      version: 0.4.0
`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, ...documents: string[]): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, documents.join('---\n'));
  return file;
}

/** A diagnostic on one line, with the message cut before the "(got ...)" part. */
const brief = (d: CheckDiagnostic) =>
  `${path.basename(d.file)}:${d.line} ${d.severity}${d.tool ? ` (${d.tool})` : ''} ${d.kind}/${d.namespace}/${d.name} [${d.item}]: ${d.message.split(' (got ')[0]}`;

describe('check on good manifests', () => {
  test('the default example has no findings', () => {
    buildDefaultApp(dir).synth();
    expect(runCheck([dir], { tools: false })).toEqual({ diagnostics: [], notes: [], exitCode: 0 });
  });

  test('non-YAML files in a directory are ignored', () => {
    fs.writeFileSync(path.join(dir, 'README.md'), '# not a manifest: [');
    write('ok.yml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n');
    expect(runCheck([dir])).toEqual({ diagnostics: [], notes: [], exitCode: 0 });
  });
});

describe('check on broken manifests', () => {
  test('reports each problem at its file, line, object and item', () => {
    write('bad.yaml', FALCO_RULES, PROMETHEUS_RULE, ALERTMANAGER_SECRET, AUDIT_POLICY);
    const result = runCheck([dir], { tools: false });
    expect(result.diagnostics.map(brief)).toEqual([
      'bad.yaml:7 error ConfigMap/falco/falco-rules [custom.yaml: Shell in container]: '
        + 'FalcoRule "Shell in container": condition references macro "my_shell_proc" at offset 22, which is not defined (did you mean "my_shell_procs"?)',
      'bad.yaml:7 warning ConfigMap/falco/falco-rules [custom.yaml: Upstream based]: '
        + 'FalcoRule "Upstream based": condition references macro "spawned_process" at offset 0, which is not defined',
      'bad.yaml:7 warning ConfigMap/falco/falco-rules [custom.yaml: Upstream based]: '
        + 'FalcoRule "Upstream based": condition references macro "container" at offset 20, which is not defined',
      'bad.yaml:31 error PrometheusRule/monitoring/bad-rules [group "security" alert "FalcoDown"]: alert "FalcoDown": expr: unexpected end of expression at column 23',
      'bad.yaml:32 error PrometheusRule/monitoring/bad-rules [group "security" alert "FalcoDown"]: alert "FalcoDown": for is not a valid Prometheus duration',
      'bad.yaml:38 warning PrometheusRule/monitoring/bad-rules [group "security" alert "NoConventions"]: alert "NoConventions": severity is not one of critical, warning, info',
      'bad.yaml:38 warning PrometheusRule/monitoring/bad-rules [group "security" alert "NoConventions"]: alert "NoConventions": summary annotation is missing',
      'bad.yaml:38 warning PrometheusRule/monitoring/bad-rules [group "security" alert "NoConventions"]: alert "NoConventions": description annotation is missing',
      'bad.yaml:47 error Secret/monitoring/alertmanager-main [alertmanager.yaml: route.routes.0]: '
        + 'alertmanager.yaml: route.routes.0: routes to receiver "pagerduty-critcal", which is not defined (did you mean "pagerduty-critical"?)',
      'bad.yaml:63 error ConfigMap/kube-system/audit-policy [policy.yaml: rules[0] (secret-leak)]: '
        + 'rules[0] logs secrets at RequestResponse, which writes secret values into the audit log: add an earlier rule that logs them at Metadata (as the GCE policy does)',
    ]);
    expect(result.exitCode).toBe(1);
  });

  test('the upstream ruleset resolves the names upstream defines, so only the typo is left', () => {
    write('rules.yaml', FALCO_RULES);
    const upstream = write('upstream/falco_rules.yaml', UPSTREAM);
    const result = runCheck([path.join(dir, 'rules.yaml')], { falcoUpstream: upstream });
    expect(result.diagnostics.map((d) => `${d.severity} ${d.item}`)).toEqual(['error custom.yaml: Shell in container']);
  });

  test('the reference upstream ruleset loads as upstream without findings of its own', () => {
    const reference = path.join(__dirname, '..', '..', '..', 'shared', 'reference', 'falco_rules.yaml');
    if (!fs.existsSync(reference)) return; // corpus only present in the shared checkout
    write('rules.yaml', FALCO_RULES);
    const result = runCheck([dir], { falcoUpstream: reference });
    expect(result.diagnostics.map((d) => d.item)).toEqual(['custom.yaml: Shell in container']);
  });

  test('warnings fail only with strict', () => {
    write('rules.yaml', FALCO_RULES.replace('my_shell_proc\n', 'my_shell_procs\n'));
    expect(runCheck([dir], { tools: false })).toMatchObject({ exitCode: 0, diagnostics: [{ severity: 'warning' }, { severity: 'warning' }] });
    expect(runCheck([dir], { tools: false, strict: true }).exitCode).toBe(1);
  });

  test('AlertmanagerConfig: unknown receiver, bad matcher regex and unbalanced template', () => {
    write('amc.yaml', ALERTMANAGER_CONFIG);
    expect(runCheck([dir], { tools: false }).diagnostics.map(brief)).toEqual([
      'amc.yaml:10 error AlertmanagerConfig/monitoring/security [route.routes.0]: route.routes.0: routes to receiver "slack", which is not defined',
      'amc.yaml:12 error AlertmanagerConfig/monitoring/security [route.routes.0.matchers.0]: AlertMatcher.regex: matcher regular expression for "severity" does not compile: missing ) to close a group',
      'amc.yaml:16 error AlertmanagerConfig/monitoring/security [receivers.0.pagerdutyConfigs.0.description]: '
        + 'receivers.0.pagerdutyConfigs.0.description: the field is not a valid Go template: "{{" without a closing "}}"',
    ]);
  });

  test('alertmanager.yaml in base64 data is read too', () => {
    const encoded = Buffer.from('route:\n  receiver: nobody\nreceivers: []\n').toString('base64');
    write('secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: am\ndata:\n  alertmanager.yaml: ${encoded}\n`);
    expect(runCheck([dir], { tools: false }).diagnostics.map(brief)).toEqual([
      'secret.yaml:6 error Secret//am [alertmanager.yaml: route]: alertmanager.yaml: route: routes to receiver "nobody", which is not defined',
    ]);
  });

  test('a rules file the loader rejects, a YAML syntax error and a missing path are errors', () => {
    write('falco.yaml', FALCO_RULES.replace('    - rule: Upstream based', '    - 42\n    - rule: Upstream based'));
    write('broken.yaml', 'kind: ConfigMap\nmetadata: {name: x\n');
    const result = runCheck([dir, path.join(dir, 'nope')], { tools: false });
    expect(result.diagnostics.map(brief)).toEqual([
      'nope:0 error // [null]: no such file or directory',
      expect.stringMatching(/^broken\.yaml:\d+ error \/\/ \[null\]: not valid YAML: /),
      'falco.yaml:7 error ConfigMap/falco/falco-rules [custom.yaml]: FalcoRules.fromYaml: entry 3 is not a rule, macro, list or requirement',
    ]);
  });

  test('an empty directory is an error', () => {
    expect(runCheck([dir]).diagnostics.map((d) => d.message)).toEqual(['no *.yaml or *.yml files found']);
  });
});

describeLive(PROMTOOL, 'check runs promtool', () => describeLive(AMTOOL, 'and amtool', () => {
  test('the default example has no findings, with the tools run', () => {
    buildDefaultApp(dir).synth();
    expect(runCheck([dir])).toEqual({ diagnostics: [], notes: [], exitCode: 0 });
  });

  test('on the extracted rule file and alertmanager.yaml', () => {
    write('bad.yaml', PROMETHEUS_RULE, ALERTMANAGER_SECRET);
    const result = runCheck([dir]);
    expect(result.notes).toEqual([]);
    expect(result.diagnostics.filter((d) => d.tool !== null).map(brief)).toEqual([
      'bad.yaml:8 error (promtool) PrometheusRule/monitoring/bad-rules [null]: rules.yaml: not a valid duration string: "5x"',
      'bad.yaml:27 error (amtool) Secret/monitoring/alertmanager-main [alertmanager.yaml]: undefined receiver "pagerduty-critcal" used in route',
    ]);
  });

}));

describe('output and arguments', () => {
  test('human-readable form', () => {
    write('bad.yaml', ALERTMANAGER_SECRET);
    const [diagnostic] = runCheck([dir], { tools: false }).diagnostics;
    expect(formatDiagnostic(diagnostic)).toBe(`${path.join(dir, 'bad.yaml')}:7 error Secret/monitoring/alertmanager-main [alertmanager.yaml: route.routes.0]: ${diagnostic.message}`);
  });

  test('parses flags in any order', () => {
    expect(parseArgs(['check', '--json', 'dist', '--falco-upstream', 'up.yaml', '--no-tools', '--strict', 'more.yaml'])).toEqual({
      paths: ['dist', 'more.yaml'], json: true, options: { tools: false, strict: true, falcoUpstream: 'up.yaml' },
    });
    expect(parseArgs(['check', '--falco-upstream=up.yaml', 'dist']).options).toEqual({ falcoUpstream: 'up.yaml' });
    expect(() => parseArgs(['lint', 'dist'])).toThrow('unknown command "lint"');
    expect(() => parseArgs(['check', '--jsn', 'dist'])).toThrow('unknown option "--jsn"');
    expect(() => parseArgs(['check'])).toThrow('give at least one directory or file');
  });

  test('the bin entry prints JSON and sets the exit code', () => {
    write('bad.yaml', ALERTMANAGER_SECRET);
    const run = (...args: string[]) => spawnSync('npx', ['ts-node', '--transpile-only', path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts'), ...args],
      { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
    const bad = run('check', dir, '--json', '--no-tools');
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual([{
      file: path.join(dir, 'bad.yaml'),
      line: 7,
      kind: 'Secret',
      namespace: 'monitoring',
      name: 'alertmanager-main',
      item: 'alertmanager.yaml: route.routes.0',
      severity: 'error',
      message: expect.stringContaining('"pagerduty-critcal"'),
      tool: null,
    }]);
    fs.rmSync(path.join(dir, 'bad.yaml'));
    write('ok.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n');
    const good = run('check', dir);
    expect({ status: good.status, stdout: good.stdout }).toEqual({ status: 0, stdout: '0 error(s), 0 warning(s), 0 note(s)\n' });
    expect(run('check').status).toBe(2);
  }, 60_000);

  test('promtool and amtool are skipped with a note when not on PATH', () => {
    write('bad.yaml', ALERTMANAGER_SECRET);
    // A child process, because jest's process.env does not reach the PATH lookup of child_process.
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join('src', 'cli', 'main.ts'), 'check', dir],
      { encoding: 'utf8', cwd: path.join(__dirname, '..', '..'), env: { ...process.env, PATH: dir } });
    expect(result.stderr).toBe('note: amtool is not on PATH: its checks were skipped (install it, or pass --no-tools to silence this note)\n');
    expect(result.stdout).not.toContain('(amtool)');
    expect(result.status).toBe(1);
  }, 60_000);
});

describe('check on a whole repository folder', () => {
  const CHART_TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "falco.fullname" . }}
  labels:
    {{- include "falco.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
`;
  const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: rulesfiles.artifact.falcosecurity.dev
spec:
  group: artifact.falcosecurity.dev
  names: {kind: Rulesfile, plural: rulesfiles}
  scope: Namespaced
  versions: [{name: v1alpha1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
`;
  const RULE_PATCH = 'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: kube-prometheus-rules\n  labels: {team: sec}\n';
  const TALON_RULES = '- action: Terminate Pod\n  actionner: kubernetes:terminate\n- rule: Terminate on shell\n  match:\n    rules: [Terminal shell in container]\n  actions:\n    - action: Terminate Pod\n';

  test('reads what it understands, skips the rest with a note, and reports no error the owning tools would not', () => {
    write('charts/falco/Chart.yaml', 'apiVersion: v2\nname: falco\nversion: 1.0.0\n');
    write('charts/falco/values.yaml', 'replicas: 1\n');
    write('charts/falco/templates/deployment.yaml', CHART_TEMPLATE);
    write('overlays/prod/kustomization.yaml', 'resources: [../../base]\npatchesStrategicMerge: [rule-labels.yaml]\npatches:\n  - path: more.yaml\n');
    write('overlays/prod/rule-labels.yaml', RULE_PATCH);
    write('overlays/prod/more.yaml', RULE_PATCH);
    write('rendered/all.yaml', CRD, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: falco\n', '', '# only a comment\n');
    write('rendered/empty.yaml', '---\n---\n');
    write('rendered/talon-rules.yaml', TALON_RULES);
    write('prometheus/rules.yml', 'groups:\n  - name: g\n    rules:\n      - alert: Disk(full)\n        expr: "node_filesystem_avail_bytes < 1 # comment"\n'
      + '        labels: {severity: warning}\n        annotations: {summary: s, description: d}\n');
    const result = runCheck([dir], { tools: false });
    expect(result.diagnostics.map(brief)).toEqual([
      // Prometheus takes any alert name; only the library's naming convention is broken.
      'rules.yml:4 warning // [group "g" alert "Disk(full)"]: group "g": alert name is not a valid metric name',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.notes.map((note) => note.split(`${dir}${path.sep}`).join(''))).toEqual([
      'skipped 5 file(s), files with no Kubernetes object, Falco rules or Prometheus rules: charts/falco/Chart.yaml, charts/falco/values.yaml, '
        + 'overlays/prod/kustomization.yaml, and 2 more',
      'skipped 1 file(s), templates (Helm, Jinja or Liquid): check what they render, e.g. the output of helm template: charts/falco/templates/deployment.yaml',
      'skipped 2 file(s), Kustomize patches (check the output of kustomize build): overlays/prod/more.yaml, overlays/prod/rule-labels.yaml',
    ]);
  });

  test('a bad expression in a Prometheus rule file is an error at its line', () => {
    write('rules.yaml', 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up\n');
    expect(runCheck([dir], { tools: false }).diagnostics.map(brief)).toEqual([
      'rules.yaml:5 error // [group "g" record "job:up:sum"]: record "job:up:sum": expr: unexpected end of expression at column 17',
    ]);
  });

  test('Falco rules files load in Falco\'s order: falco_rules.yaml first, then the rest of its directory by name', () => {
    write('rules/falco_rules.yaml', UPSTREAM);
    write('rules/a-custom_rules.yaml', '- rule: Shell\n  desc: d\n  condition: spawned_process and container and proc.name = bash\n  output: o %proc.name\n  priority: WARNING\n');
    write('rules/z-typo.yaml', '- rule: Typo\n  desc: d\n  condition: spawned_proces and proc.name = sh\n  output: o\n  priority: WARNING\n');
    expect(runCheck([dir], { tools: false }).diagnostics.map(brief)).toEqual([
      'falco_rules.yaml:1 warning // [falco_rules.yaml: spawned_process]: FalcoMacro "spawned_process": condition uses field "evt.dir" at offset 36, '
        + 'which Falco 0.44 no longer fills: enter events are dropped, so "evt.dir = <" is always true and "evt.dir = >" always false',
      'z-typo.yaml:1 error // [z-typo.yaml: Typo]: FalcoRule "Typo": condition references macro "spawned_proces" at offset 0, which is not defined (did you mean "spawned_process"?)',
    ]);
  });
});
