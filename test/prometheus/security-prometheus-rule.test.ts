import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { AlertingRuleProps, AlertSeverity, PrometheusSelector, PromQL, SecurityAlerts, SecurityPrometheusRule } from '../../src';
import { expectDeterministic, expectValidManifests, findObject, synth } from '../util';

const alert: AlertingRuleProps = {
  alert: 'SecretReadByStranger',
  expr: 'sum(rate(apiserver_request_total{resource="secrets",code="200"}[5m])) > 10',
  severity: AlertSeverity.CRITICAL,
  summary: 'Secrets are read often',
  description: 'More than 10 secret reads per second.',
  runbookUrl: 'https://runbooks.example.com/secrets',
};

function rules(props = {}) {
  return new SecurityPrometheusRule(Testing.chart(), 'rules', { namespace: 'monitoring', ...props });
}

describe('SecurityPrometheusRule output', () => {
  test('renders groups, alerting and recording rules where the Prometheus Operator reads them', () => {
    const r = rules({ name: 'security', labels: { team: 'sec' }, selector: PrometheusSelector.kubePrometheusStack('kps') });
    r.addGroup({ name: 'audit', interval: Duration.seconds(30), limit: 10, queryOffset: Duration.minutes(1) })
      .addRecordingRule({ record: 'security:secret_reads:rate5m', expr: 'sum(rate(apiserver_request_total{resource="secrets"}[5m]))', labels: { team: 'sec' } })
      .addAlert({ ...alert, for: Duration.minutes(5), keepFiringFor: Duration.minutes(10), labels: { team: 'sec' }, annotations: { dashboard: 'https://grafana/d/x' } });
    const rule = findObject(synth(r), 'PrometheusRule', 'security');
    expect(rule.metadata).toEqual({ name: 'security', namespace: 'monitoring', labels: { team: 'sec', release: 'kps' } });
    expect(rule.spec.groups).toEqual([{
      name: 'audit',
      interval: '30s',
      limit: 10,
      query_offset: '1m',
      rules: [
        { record: 'security:secret_reads:rate5m', expr: 'sum(rate(apiserver_request_total{resource="secrets"}[5m]))', labels: { team: 'sec' } },
        {
          alert: 'SecretReadByStranger',
          expr: alert.expr,
          for: '5m',
          keep_firing_for: '10m',
          labels: { team: 'sec', severity: 'critical' },
          annotations: {
            summary: 'Secrets are read often',
            description: 'More than 10 secret reads per second.',
            runbook_url: 'https://runbooks.example.com/secrets',
            dashboard: 'https://grafana/d/x',
          },
        },
      ],
    }]);
    expectValidManifests(synth(r));
  });

  test.each<[string, PrometheusSelector, Record<string, string>]>([
    ['kube-prometheus-stack', PrometheusSelector.kubePrometheusStack('monitoring'), { release: 'monitoring' }],
    ['kube-prometheus', PrometheusSelector.kubePrometheus(), { prometheus: 'k8s', role: 'alert-rules' }],
    ['custom', PrometheusSelector.custom({ 'rules.example.com/load': 'yes' }), { 'rules.example.com/load': 'yes' }],
    ['none', PrometheusSelector.none(), {}],
  ])('selector preset %s labels the object', (_name, selector, labels) => {
    const r = rules({ selector });
    r.addAlert(alert);
    expect(findObject(synth(r), 'PrometheusRule').metadata.labels ?? {}).toEqual(labels);
  });

  test('addAlert and addRecordingRule use a group named after the construct; rules added late are rendered', () => {
    const r = rules();
    r.addAlert(alert);
    r.addRecordingRule({ record: 'x:y', expr: 'sum(up)' });
    expect(r.groups.map((g) => g.name)).toEqual(['rules']);
    expect(findObject(synth(r), 'PrometheusRule').spec.groups[0].rules.map((x: any) => x.alert ?? x.record)).toEqual(['SecretReadByStranger', 'x:y']);
  });

  test('defaults the namespace to the chart namespace', () => {
    const chart = Testing.chart();
    (chart as any).namespace = 'team-a';
    const r = new SecurityPrometheusRule(chart, 'r');
    expect(findObject(synth(r), 'PrometheusRule').metadata.namespace).toBe('team-a');
  });

  test('the rule file is the spec; newer fields are left out for older Prometheus versions', () => {
    const r = rules();
    r.addGroup({ name: 'g', limit: 5, queryOffset: Duration.minutes(1) }).addAlert({ ...alert, keepFiringFor: Duration.minutes(5) });
    const spec = findObject(synth(r), 'PrometheusRule').spec;
    expect(parse(r.toRuleFile())).toEqual(spec);
    const old = parse(r.toRuleFile({ prometheusVersion: '2.30' })).groups[0];
    expect(old.limit).toBeUndefined();
    expect(old.query_offset).toBeUndefined();
    expect(old.rules[0].keep_firing_for).toBeUndefined();
    const v242 = parse(r.toRuleFile({ prometheusVersion: 'v2.42.0' })).groups[0];
    expect([v242.limit, v242.query_offset, v242.rules[0].keep_firing_for]).toEqual([5, undefined, '5m']);
    expect(parse(r.toRuleFile({ prometheusVersion: '3.1' })).groups[0].query_offset).toBe('1m');
    expect(() => r.toRuleFile({ prometheusVersion: 'latest' })).toThrow('prometheusVersion is not a version (got "latest")');
  });

  test('unit tests get the rule labels and annotations merged into their expectations', () => {
    const r = rules();
    r.addAlert({
      ...alert,
      tests: [{
        name: 'fires',
        evalTime: Duration.minutes(10),
        interval: Duration.seconds(30),
        series: [{ series: 'apiserver_request_total{resource="secrets",code="200"}', values: '0+6000x20' }],
        expectedAlerts: [{ annotations: { summary: 'changed' } }],
      }],
    });
    expect(parse(r.toUnitTestFile('rules.yaml'))).toEqual({
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [{
        name: 'SecretReadByStranger: fires',
        interval: '30s',
        input_series: [{ series: 'apiserver_request_total{resource="secrets",code="200"}', values: '0+6000x20' }],
        alert_rule_test: [{
          eval_time: '10m',
          alertname: 'SecretReadByStranger',
          exp_alerts: [{
            exp_labels: { severity: 'critical' },
            exp_annotations: { summary: 'changed', description: 'More than 10 secret reads per second.', runbook_url: 'https://runbooks.example.com/secrets' },
          }],
        }],
      }],
    });
  });

  test('unit tests expect the labels Prometheus gives: rule labels overwrite the series\' labels, a copying template is expanded', () => {
    const r = rules({ ruleLabels: { namespace: 'security', exported_namespace: '{{ $labels.namespace }}' } });
    const series = (namespace?: string) => ({ series: `kube_pod_info{${namespace ? `namespace="${namespace}",` : ''}pod="p"}`, values: '1x10' });
    r.addAlert({
      ...alert,
      expr: 'kube_pod_info > 0',
      tests: [
        { name: 'about a namespace', evalTime: Duration.minutes(5), series: [series('shop')], expectedAlerts: [{ labels: { namespace: 'shop', pod: 'p' } }] },
        { name: 'about none', evalTime: Duration.minutes(5), series: [series()], expectedAlerts: [{ labels: { pod: 'p' } }] },
      ],
    });
    const expected = parse(r.toUnitTestFile('rules.yaml')).tests.map((t: any) => t.alert_rule_test[0].exp_alerts[0].exp_labels);
    expect(expected).toEqual([
      { namespace: 'security', exported_namespace: 'shop', pod: 'p', severity: 'critical' },
      // Prometheus drops a label whose template expands to nothing.
      { namespace: 'security', pod: 'p', severity: 'critical' },
    ]);
  });

  test('rules keep what was validated: a later change to the caller\'s objects reaches neither the rules nor the tests', () => {
    const r = rules();
    const labels = { team: 'security' };
    const series = { series: 'apiserver_request_total{resource="secrets",code="200"}', values: '0+6000x20' };
    r.addAlert({ ...alert, labels, tests: [{ name: 'fires', evalTime: Duration.minutes(10), series: [series], expectedAlerts: [] }] });
    r.addRecordingRule({ record: 'namespace:secret_reads:rate5m', expr: 'sum by (namespace) (rate(apiserver_request_total[5m]))', labels });
    labels.team = 'bad label value with {{ $broken';
    (labels as Record<string, string>)['not a label'] = 'x';
    series.values = 'not expanding notation';
    const file = parse(r.toRuleFile());
    expect(file.groups[0].rules.map((rule: any) => rule.labels.team)).toEqual(['security', 'security']);
    expect(parse(r.toUnitTestFile('rules.yaml')).tests[0].input_series[0].values).toBe('0+6000x20');
  });

  test('warns about alerts without a runbook', () => {
    const r = rules();
    r.addAlert({ ...alert, runbookUrl: undefined });
    expect(r.warnings).toEqual([`${r.node.path}: alert "SecretReadByStranger" in group "rules" has no runbook_url: set runbookUrl so responders know what to do`]);
  });
});

describe('SecurityPrometheusRule rejects bad input with exact errors', () => {
  const at = 'test/rules';
  test.each<[string, (r: SecurityPrometheusRule) => void, string]>([
    ['invalid PromQL', (r) => r.addAlert({ ...alert, expr: 'rate(up)' }),
      `${at}: alert "SecretReadByStranger": expr: argument 1 of function "rate" must be a range vector, not an instant vector at column 6 (got "rate(up)"): add a range such as [5m] to the selector\n    rate(up)\n         ^`],
    ['range-vector rule', (r) => r.addRecordingRule({ record: 'a:b', expr: 'up[5m]' }),
      `${at}: record "a:b": expr is a range vector, but a rule needs an instant vector or a scalar (got "up[5m]"): wrap a range vector in a function such as rate(...)`],
    ['bad alert name', (r) => r.addAlert({ ...alert, alert: 'Secret read' }),
      `${at}: alert name is not a valid metric name (got "Secret read"): use letters, digits, "_" and ":", e.g. "FalcoCriticalEvent"`],
    ['bad record name', (r) => r.addRecordingRule({ record: 'a-b', expr: 'up' }), `${at}: record name is not a valid metric name (got "a-b")`],
    ['bad severity', (r) => r.addAlert({ ...alert, severity: 'page' as AlertSeverity }),
      `${at}: alert "SecretReadByStranger": severity is not one of critical, warning, info (got "page"): use AlertSeverity.CRITICAL, WARNING or INFO`],
    ['severity label', (r) => r.addAlert({ ...alert, labels: { severity: 'critical' } }), 'labels.severity is set (got "critical"): use the severity property instead'],
    ['missing summary', (r) => r.addAlert({ ...alert, summary: ' ' }), 'summary annotation is missing (got " "): write a summary: responders read it first'],
    ['missing description', (r) => r.addAlert({ ...alert, description: undefined as any }), 'description annotation is missing (got undefined)'],
    ['summary in annotations', (r) => r.addAlert({ ...alert, annotations: { summary: 'x' } }), 'annotations.summary is set (got "x"): use the summary, description and runbookUrl properties'],
    // JavaScript callers and config files can still pass the old strings: the error names the Duration to write.
    ['for as a string', (r) => r.addAlert({ ...alert, for: '5m' as any }),
      'alert "SecretReadByStranger": for is not a Duration (got "5m"): pass a cdk8s Duration: Duration.minutes(5)'],
    ['for as free text', (r) => r.addAlert({ ...alert, for: '5 minutes' as any }),
      'alert "SecretReadByStranger": for is not a Duration (got "5 minutes"): pass a cdk8s Duration, e.g. Duration.minutes(5)'],
    ['keepFiringFor as seconds', (r) => r.addAlert({ ...alert, keepFiringFor: 90 as any }),
      'keepFiringFor is not a Duration (got 90): pass a cdk8s Duration, which states its unit: e.g. Duration.seconds(90) or Duration.minutes(90)'],
    // Prometheus counts durations in whole milliseconds (model.Duration): a fraction would be cut off.
    ['sub-millisecond for', (r) => r.addAlert({ ...alert, for: Duration.millis(1.5) }),
      'for is not a whole number of milliseconds (got "1.5ms"): durations are counted in whole milliseconds here: use e.g. Duration.millis(2)'],
    ['for beyond Go\'s range', (r) => r.addAlert({ ...alert, for: Duration.days(110_000) }),
      'for is out of range (got "110000 days"): use at most 292 years'],
    ['unbalanced template', (r) => r.addAlert({ ...alert, summary: 'Pod {{ $labels.pod is down' }),
      'alert "SecretReadByStranger": annotations.summary is not a valid Go template: "{{" without a closing "}}" (got "Pod {{ $labels.pod is down")'],
    ['nested template', (r) => r.addAlert({ ...alert, labels: { team: '{{ {{ x }} }}' } }), 'labels.team is not a valid Go template: "{{" inside an action'],
    // Prometheus refuses to load a rule file with these (promtool: function "..." not defined, undefined variable).
    ['unknown template function', (r) => r.addAlert({ ...alert, summary: 'Ratio {{ $value | humanizePercentag }}' }),
      'annotations.summary is not a valid Go template: it calls "humanizePercentag", which is not a template function (got "Ratio {{ $value | humanizePercentag }}"): did you mean "humanizePercentage"?'],
    ['misspelt template variable', (r) => r.addAlert({ ...alert, description: 'Pod {{ $lables.pod }}' }),
      'annotations.description is not a valid Go template: it reads "$lables", which is not defined (got "Pod {{ $lables.pod }}"): did you mean "$labels"?'],
    ['bad label name', (r) => r.addAlert({ ...alert, labels: { 'team-name': 'x' } }), 'labels key is not a valid Prometheus label name (got "team-name")'],
    ['bad group interval', (r) => r.addGroup({ name: 'g', interval: 'often' as any }), `${at}: group "g": interval is not a Duration (got "often"): pass a cdk8s Duration, e.g. Duration.minutes(1)`],
    ['bad limit', (r) => r.addGroup({ name: 'g', limit: -1 }), 'group "g": limit must be a non-negative integer (got -1): use 0 for no limit'],
    ['duplicate group', (r) => { r.addGroup({ name: 'g' }); r.addGroup({ name: 'g' }); },
      `${at}: rule group "g" already exists (got "g"): give every group a unique name`],
    ['empty group name', (r) => r.addGroup({ name: '' }), 'rule group name is empty (got "")'],
    ['bad test series', (r) => r.addAlert({ ...alert, tests: [{ name: 't', evalTime: Duration.minutes(1), expectedAlerts: [], series: [{ series: 'rate(x[5m])', values: '1' }] }] }),
      'test "t": series is not a metric name with optional labels (got "rate(x[5m])")'],
    ['bad test values', (r) => r.addAlert({ ...alert, tests: [{ name: 't', evalTime: Duration.minutes(1), expectedAlerts: [], series: [{ series: 'x', values: '0+1x10 1..3' }] }] }),
      'values of x contain "1..3", which is not expanding notation (got "0+1x10 1..3")'],
    ['bad test eval time', (r) => r.addAlert({ ...alert, tests: [{ name: 't', evalTime: '10m' as any, expectedAlerts: [], series: [] }] }),
      'test "t": evalTime is not a Duration (got "10m"): pass a cdk8s Duration: Duration.minutes(10)'],
  ])('%s', (_what, act, message) => {
    expect(() => act(rules())).toThrow(message);
  });
});

describe('SecurityAlerts catalogue', () => {
  const catalogue = (props = {}) => new SecurityAlerts(Testing.chart(), 'alerts', { namespace: 'monitoring', ...props });

  test('watchAgent names a DaemonSet for SecurityAgentUnavailable once, in the alert\'s group; nothing when the alert is not shipped', () => {
    const inventory = (c: SecurityAlerts) => parse(c.toRuleFile()).groups.flatMap((g: any) => g.rules.filter((r: any) => r.record === 'security:agent_daemonset:info')
      .map((r: any) => ({ group: g.name, expr: r.expr, labels: r.labels })));
    const c = catalogue();
    c.watchAgent('logging', 'filebeat');
    c.watchAgent('logging', 'filebeat');
    expect(inventory(c)).toEqual([{ group: 'security.pipeline', expr: 'vector(1)', labels: { namespace: 'logging', daemonset: 'filebeat' } }]);
    for (const off of [catalogue({ pipeline: false }), catalogue({ disabledAlerts: ['SecurityAgentUnavailable'] })]) {
      off.watchAgent('logging', 'filebeat');
      expect(inventory(off)).toEqual([]);
    }
    expect(() => c.watchAgent('Logging', 'filebeat')).toThrow(/watchAgent namespace/);
  });

  test('ships four groups, every alert with severity, summary, description and runbook', () => {
    const c = catalogue();
    const spec = findObject(synth(c), 'PrometheusRule').spec;
    expect(spec.groups.map((g: any) => g.name)).toEqual(['security.apiserver', 'security.falco', 'security.workloads', 'security.pipeline']);
    const alerts = spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert);
    expect(alerts.length).toBeGreaterThanOrEqual(15);
    for (const a of alerts) {
      expect(['critical', 'warning', 'info']).toContain(a.labels.severity);
      expect(Object.keys(a.annotations)).toEqual(expect.arrayContaining(['summary', 'description', 'runbook_url']));
    }
    expect(c.warnings).toEqual([]);
  });

  test('every alert has a test that fires it and one that shows it silent', () => {
    const tests = parse(catalogue().toUnitTestFile('rules.yaml')).tests;
    const alerts = parse(catalogue().toRuleFile()).groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert).map((r: any) => r.alert);
    for (const name of alerts) {
      const own = tests.filter((t: any) => t.alert_rule_test[0].alertname === name);
      expect(own.some((t: any) => t.alert_rule_test[0].exp_alerts.length > 0)).toBe(true);
      if (name !== 'Watchdog') expect(own.some((t: any) => t.alert_rule_test[0].exp_alerts.length === 0)).toBe(true);
    }
  });

  test('every built-in expression and test series passes the PromQL checks that synth leaves to this test', () => {
    const c = catalogue();
    const builtIn = parse(c.toRuleFile()).groups.flatMap((g: any) => g.rules);
    expect(builtIn.length).toBeGreaterThanOrEqual(15);
    for (const rule of builtIn) expect(['instant vector', 'scalar']).toContain(PromQL.typeOf(rule.expr, rule.alert ?? rule.record));
    const series = parse(c.toUnitTestFile('rules.yaml')).tests.flatMap((t: any) => t.input_series.map((i: any) => i.series));
    expect(series.length).toBeGreaterThanOrEqual(30);
    for (const s of series) expect(PromQL.typeOf(s)).toBe('instant vector');
  });

  test('rules added to a catalogue group by the user are still checked', () => {
    const c = catalogue();
    const group = c.groups.find((g) => g.name === 'security.falco')!;
    expect(() => group.addAlert({ alert: 'Mine', expr: 'rate(x)', severity: AlertSeverity.INFO, summary: 's', description: 'd' }))
      .toThrow('argument 1 of function "rate" must be a range vector');
    expect(() => group.addRecordingRule({ record: 'mine:x', expr: 'x[5m]' })).toThrow('expr is a range vector');
  });

  test('each group can be turned off', () => {
    const c = catalogue({ apiServer: false, falco: false, workloads: false });
    expect(c.groups.map((g) => g.name)).toEqual(['security.pipeline']);
    expect(catalogue({ pipeline: false }).groups.map((g) => g.name)).not.toContain('security.pipeline');
  });

  test('every runbook URL points at a section of docs/runbooks.md', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'runbooks.md'), 'utf8');
    const anchors = new Set([...doc.matchAll(/^## (\S+)$/gm)].map((m) => m[1].toLowerCase()));
    const alerts = parse(catalogue().toRuleFile()).groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert);
    const urls = alerts.map((r: any) => r.annotations.runbook_url);
    for (const url of urls) expect(anchors).toContain(url.split('#')[1]);
  });

  test('uses only real metric names', () => {
    const file = catalogue().toRuleFile();
    for (const fake of ['kube_pod_security_context', 'apiserver_failed_auth_count', 'falco_events_total']) expect(file).not.toContain(fake);
  });

  test('validates against the CRD schema', () => {
    expectValidManifests(synth(catalogue({ selector: PrometheusSelector.kubePrometheus() })));
  });

  test('synthesizes deterministically and matches the snapshot', () => {
    expect(expectDeterministic(() => catalogue())).toMatchSnapshot();
  });
});
