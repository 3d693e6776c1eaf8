import { Chart, Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import {
  AlertingOutput, AlertSeverity, PanelKind, PromQL, SecurityMonitoringStack, SecurityMonitoringStackProps,
  SecurityPrometheusRule, SiemDestination,
} from '../../src';
import { checkConfig } from '../alerting/amtool';
import { grafanaDashboardProblems } from '../dashboards/grafana-json';
import { runPromtool } from '../prometheus/promtool';
import { undocumentedKeys } from '../siem/fluent-bit-options';
import { expectValidManifests, findObject, Manifest, synth } from '../util';
import { FLUENT_BIT } from '../util/live-tools';
import { runRecorded } from '../util/recorded-tool';

const CLUSTER = { name: 'prod-eu-1', labels: { environment: 'prod', region: 'eu-west-1' } };
const IDENTITY = { cluster: 'prod-eu-1', environment: 'prod', region: 'eu-west-1' };
/** What the AlertmanagerConfig routing needs on every alert (PagerDutyAlerting.routedAlertLabels). */
const ROUTED = { namespace: 'security-monitoring', exported_namespace: '{{ $labels.namespace }}' };
const splunk = () => SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' } });

/** A stack with every signal-emitting part on and the cluster identity set. */
function fullStack(props: SecurityMonitoringStackProps = {}): { stack: SecurityMonitoringStack; chart: Chart; manifests: Manifest[] } {
  const chart = Testing.chart();
  const stack = new SecurityMonitoringStack(chart, 'stack', {
    cluster: CLUSTER,
    siem: { destinations: [splunk()] },
    alerting: { pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } } },
    anomalyDetection: {},
    ...props,
  });
  return { stack, chart, manifests: synth(chart) };
}

describe('one cluster prop names the cluster in every signal', () => {
  const { stack, manifests } = fullStack();

  test('the output stays schema-valid', () => {
    expectValidManifests(manifests);
  });

  test('every alert rule of the catalogue and of the anomaly detector carries the identity, under its own severity', () => {
    const rules = manifests.filter((m) => m.kind === 'PrometheusRule').flatMap((m) => m.spec.groups.flatMap((g: any) => g.rules));
    const alerts = rules.filter((r) => r.alert);
    expect(alerts.length).toBeGreaterThan(15);
    for (const alert of alerts) expect(alert.labels).toEqual({ ...IDENTITY, ...ROUTED, severity: expect.stringMatching(/^(critical|warning|info)$/) });
    expect(alerts.map((a) => a.alert)).toEqual(expect.arrayContaining(['FalcoCriticalEvent', 'SecurityAnomalyDetected', 'SecurityAnomalyDetectorStalled']));
    // Recording rules stay as written: their series do not leave this Prometheus.
    for (const record of rules.filter((r) => r.record)) expect(record.labels?.cluster).toBeUndefined();
  });

  test('an alert added to the catalogue later carries it too, and its own label of the same name wins', () => {
    stack.alerts!.addAlert({ alert: 'TeamAlert', expr: 'up == 0', severity: AlertSeverity.WARNING, summary: 's', description: 'd', labels: { environment: 'canary' } });
    const rule = parse(stack.alerts!.toRuleFile()).groups.find((g: any) => g.name === 'alerts').rules[0];
    expect(rule.labels).toEqual({ cluster: 'prod-eu-1', environment: 'canary', region: 'eu-west-1', ...ROUTED, severity: 'warning' });
  });

  test('PagerDuty: the summary starts with the cluster, the details carry it, grouping and inhibition stay within a cluster', () => {
    const config = findObject(manifests, 'AlertmanagerConfig').spec;
    const pagerDuty = config.receivers.find((r: any) => r.name === 'pagerduty').pagerdutyConfigs[0];
    expect(pagerDuty.description).toBe('[{{ .CommonLabels.cluster }} {{ .CommonLabels.environment }} {{ .CommonLabels.region }}] '
      + '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}');
    expect(pagerDuty.details).toEqual([
      { key: 'cluster', value: '{{ .CommonLabels.cluster }}' },
      { key: 'environment', value: '{{ .CommonLabels.environment }}' },
      { key: 'region', value: '{{ .CommonLabels.region }}' },
    ]);
    expect(config.route.groupBy).toEqual(['alertname', 'cluster', 'environment', 'region', 'namespace', 'exported_namespace']);
    for (const rule of config.inhibitRules) expect(rule.equal).toEqual(['alertname', 'namespace', 'exported_namespace', 'cluster', 'environment', 'region']);
  });

  test('PagerDuty: a summary or a detail the user wrote wins', () => {
    const { manifests: custom } = fullStack({
      alerting: { pagerDuty: { routingKeySecret: { secretName: 'pd', key: 'k' }, description: '{{ .CommonLabels.alertname }}', details: { cluster: 'fixed' } } },
    });
    const pagerDuty = findObject(custom, 'AlertmanagerConfig').spec.receivers.find((r: any) => r.name === 'pagerduty').pagerdutyConfigs[0];
    expect(pagerDuty.description).toBe('{{ .CommonLabels.alertname }}');
    expect(pagerDuty.details).toContainEqual({ key: 'cluster', value: 'fixed' });
  });

  test('Falco: every event gets the identity as extra output fields (append_output, Falco 0.44), the audit receiver too', () => {
    const falcoConfigs = manifests.filter((m) => m.kind === 'ConfigMap' && m.data?.['falco.yaml']).map((m) => parse(m.data['falco.yaml']));
    expect(falcoConfigs.length).toBeGreaterThanOrEqual(1);
    for (const config of falcoConfigs) {
      // No `match`: every rule of every source.
      expect(config.append_output).toEqual([{ extra_fields: [{ cluster: 'prod-eu-1' }, { environment: 'prod' }, { region: 'eu-west-1' }] }]);
      expect(config.json_output).toBe(true);
      // Falco 0.44 reads an entry as its config schema (AppendOutput, no other keys) and decoder
      // (configuration.h) do: each extra field a map of exactly one name to a string, names unique,
      // the value a format string without '%' (so the value itself), and output_fields in the JSON event.
      for (const entry of config.append_output) {
        expect(Object.keys(entry).every((key) => ['match', 'extra_output', 'extra_fields', 'suggested_output'].includes(key))).toBe(true);
        const names = entry.extra_fields.map((field: object) => Object.keys(field));
        expect(names.every((keys: string[]) => keys.length === 1)).toBe(true);
        expect(new Set(names.flat()).size).toBe(names.length);
        for (const field of entry.extra_fields) expect(Object.values(field)[0]).toMatch(/^[^%$]+$/);
      }
      expect(config.json_include_output_property).toBe(true);
      expect(config.json_include_output_fields_property ?? true).toBe(true);
    }
  });

  test('Falco without JSON output appends the identity to the message instead', () => {
    const { manifests: text } = fullStack({ siem: undefined, falco: { jsonOutput: false } });
    const config = parse(findObject(text.filter((m) => m.data?.['falco.yaml']), 'ConfigMap').data['falco.yaml']);
    expect(config.append_output).toEqual([{ extra_output: 'cluster=prod-eu-1 environment=prod region=eu-west-1' }]);
  });

  test('Fluent Bit: every shipped record gets each field by a last filter on every tag, with documented options only', () => {
    const config = parse(stack.siem!.config);
    const filters = config.pipeline.filters;
    expect(filters.slice(-3)).toEqual([
      { name: 'modify', match: '*', set: 'cluster prod-eu-1' },
      { name: 'modify', match: '*', set: 'environment prod' },
      { name: 'modify', match: '*', set: 'region eu-west-1' },
    ]);
    // After the kubernetes filter, which may merge a workload's JSON (with a "cluster" key of its own) into the record.
    expect(filters.map((f: any) => f.name).lastIndexOf('kubernetes')).toBeLessThan(filters.length - 3);
    expect(undocumentedKeys(config)).toEqual([]);
  });

  test('Fluent Bit 5.1 running the rendered filters ships every record with the identity, over a field a workload wrote', () => {
    // The rendered pipeline's own filters, minus the kubernetes filter (it needs an API server), between
    // one tail input per source reading JSON lines and a stdout output: the records as a destination gets them.
    const rendered = parse(stack.siem!.config);
    const sources = rendered.pipeline.inputs.map((input: any) => input.alias as string);
    const config = stringify({
      service: { flush: 1, log_level: 'off' },
      parsers: rendered.parsers,
      pipeline: {
        inputs: sources.map((source: string) => ({
          name: 'tail', tag: `${source}.*`, path: `${source}.log`, parser: 'siem_json', read_from_head: 'on', exit_on_eof: 'on',
        })),
        filters: rendered.pipeline.filters.filter((f: any) => f.name !== 'kubernetes'),
        outputs: [{ name: 'stdout', match: '*', format: 'json_lines', json_date_key: false }],
      },
    });
    const records = Object.fromEntries(sources.map((source: string) => [`${source}.log`,
      `${JSON.stringify({ message: `from ${source}`, cluster: 'spoofed-by-a-workload' })}\n`]));
    const run = runRecorded(FLUENT_BIT, ['-q', '-c', 'fluent-bit.yaml'], { 'fluent-bit.yaml': config, ...records });
    expect(run.ok).toBe(true);
    const shipped = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(shipped.sort((a, b) => a.log_type.localeCompare(b.log_type))).toEqual(sources.sort().map((source: string) => ({
      message: `from ${source}`, log_type: source, ...IDENTITY,
    })));
  });

  test('the anomaly detector\'s series carry the identity, set by its ServiceMonitor', () => {
    const monitor = findObject(manifests, 'ServiceMonitor', 'anomaly-detector');
    expect(monitor.spec.endpoints[0].relabelings).toEqual([
      { action: 'replace', targetLabel: 'cluster', replacement: 'prod-eu-1' },
      { action: 'replace', targetLabel: 'environment', replacement: 'prod' },
      { action: 'replace', targetLabel: 'region', replacement: 'eu-west-1' },
    ]);
  });

  test('the dashboard has a Cluster variable and every overview query filters on it', () => {
    const json = stack.dashboard!.toJson();
    expect(grafanaDashboardProblems(json)).toEqual([]);
    const variable = json.templating.list.find((v: any) => v.name === 'cluster');
    expect(variable).toMatchObject({ type: 'query', definition: 'label_values(up, cluster)', includeAll: true, allValue: '.*', multi: true });
    const exprs = json.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr as string));
    expect(exprs.length).toBeGreaterThan(15);
    for (const expr of exprs) {
      const selectors = expr.match(/[a-zA-Z_:]+\{[^}]*\}|\b[a-z_:]+_total\b(?![{])/g) ?? [];
      for (const selector of selectors) expect(selector).toContain('cluster=~"$cluster"');
      // Valid PromQL once Grafana substitutes the variables.
      expect(() => PromQL.validate(expr.replace(/\$__\w+/g, '5m').replace('$cluster', 'prod-eu-1'), expr)).not.toThrow();
    }
  });

  test('a panel of your own may filter on $cluster; an unknown variable is still an error', () => {
    stack.dashboard!.addPanel({ title: 'Nodes', kind: PanelKind.STAT, queries: [{ expr: 'count(kube_node_info{cluster=~"$cluster"})' }] });
    expect(() => stack.dashboard!.addPanel({ title: 'Bad', queries: [{ expr: 'count(up{env="$env"})' }] }))
      .toThrow(/Grafana variable "\$env" which the dashboard does not define.*\$cluster/);
  });

  test('describe() says which cluster the signals name', () => {
    expect(stack.describe()).toContain('Cluster: cluster=prod-eu-1, environment=prod, region=eu-west-1 on every alert, Falco event, shipped record');
  });

  test('without cluster nothing changes: no identity labels, fields or variable', () => {
    const chart = Testing.chart();
    const plain = new SecurityMonitoringStack(chart, 'stack', { siem: { destinations: [splunk()] } });
    const out = synth(chart);
    expect(plain.clusterLabels).toEqual({});
    expect(JSON.stringify(out)).not.toMatch(/prod-eu-1|append_output|"cluster"/);
    expect(plain.dashboard!.toJson().templating.list.map((v: any) => v.name)).toEqual(['datasource']);
  });
});

describe('Filebeat added to the stack ships the identity on every record', () => {
  test('as root fields of every input, after log_type', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { cluster: CLUSTER });
    const filebeat = stack.addFilebeatPipeline('filebeat', {
      elasticsearch: { host: 'es.example.com' },
      recordFields: { team: 'security' },
    });
    for (const input of parse(filebeat.config)['filebeat.inputs']) {
      expect(input.fields).toEqual({ log_type: expect.any(String), team: 'security', ...IDENTITY });
      expect(input.fields_under_root).toBe(true);
    }
  });
});

describe('the identity is validated like every other label', () => {
  const attempt = (cluster: any) => () => new SecurityMonitoringStack(Testing.chart(), 'stack', { cluster });

  test.each([
    [{ name: 'Prod_EU' }, /cluster\.name is not a valid DNS-1123 label \(got "Prod_EU"\).*did you mean "prod-eu"/],
    [{ name: 'prod', labels: { 'env-name': 'x' } }, /cluster\.labels key is not a valid label name \(got "env-name"\)/],
    [{ name: 'prod', labels: { severity: 'x' } }, /cluster\.labels key "severity" is reserved.*cluster_severity/],
    [{ name: 'prod', labels: { cluster: 'x' } }, /cluster\.labels sets "cluster".*cluster\.name/],
    [{ name: 'prod', labels: { env: 'has space' } }, /cluster\.labels\["env"\] is not a valid label value \(got "has space"\)/],
    [{ name: 'prod', labels: { env: '' } }, /cluster\.labels\["env"\] is empty/],
  ])('%j', (cluster, message) => {
    expect(attempt(cluster)).toThrow(message);
  });

  test('ruleLabels of a SecurityPrometheusRule: Prometheus label names, and never severity', () => {
    expect(() => new SecurityPrometheusRule(Testing.chart(), 'r', { ruleLabels: { 'bad-name': 'x' } })).toThrow(/ruleLabels key is not a valid Prometheus label name/);
    expect(() => new SecurityPrometheusRule(Testing.chart(), 'r', { ruleLabels: { severity: 'critical' } })).toThrow(/ruleLabels sets "severity", which each alert sets itself/);
  });
});

describe('promtool: the catalogue with the cluster label passes promtool check and its unit tests', () => {
  test('promtool check rules and promtool test rules', () => {
    const { stack } = fullStack();
    const rules = stack.alerts!.toRuleFile();
    expect(rules).toContain('cluster: prod-eu-1');
    const { check, test: unit } = runPromtool(stack.alerts!);
    expect(check).toEqual({ ok: true, output: expect.stringMatching(/SUCCESS/) });
    expect(unit).toEqual({ ok: true, output: expect.stringMatching(/SUCCESS/) });
  }, 60_000);
});

describe('amtool: the PagerDuty routing with the cluster in summary and details passes amtool', () => {
  test('amtool check-config', () => {
    const chart = Testing.chart();
    const stack = new SecurityMonitoringStack(chart, 'stack', {
      cluster: CLUSTER,
      alerting: { pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } }, output: AlertingOutput.configSecret() },
    });
    expect(checkConfig(stack.alerting!.toAlertmanagerYaml())).toMatch(/SUCCESS/);
  });
});
