import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  AlertSeverity, PrometheusIntegration, PrometheusSelector, SecurityMonitoringStack, SecurityMonitoringStackProps, SiemDestination,
} from '../../src';
import { routesTo } from '../alerting/amtool';
import { expectValidManifests, findObject, Manifest, synth } from '../util';

const splunk = SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' } });
const pagerDuty = { pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } } };

/** Every component on: each creates its own PrometheusRules, ServiceMonitors or routing object. */
function fullStack(props: SecurityMonitoringStackProps = {}): SecurityMonitoringStack {
  return new SecurityMonitoringStack(Testing.chart(), 'stack', { siem: { destinations: [splunk] }, alerting: pagerDuty, anomalyDetection: {}, ...props });
}

const ofKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
const inputs = (stack: SecurityMonitoringStack): Array<Record<string, string>> => parse(stack.siem!.config).pipeline.inputs;

describe('one Prometheus integration for every PrometheusRule and ServiceMonitor', () => {
  test.each<[string, PrometheusIntegration, PrometheusSelector]>([
    ['kube-prometheus-stack', PrometheusIntegration.kubePrometheusStack({ releaseName: 'kps' }), PrometheusSelector.kubePrometheusStack('kps')],
    ['kube-prometheus', PrometheusIntegration.kubePrometheus(), PrometheusSelector.kubePrometheus()],
    ['custom operator', PrometheusIntegration.prometheusOperator(PrometheusSelector.custom({ prom: 'sec' })), PrometheusSelector.custom({ prom: 'sec' })],
  ])('%s', (_, prometheus, selector) => {
    const manifests = synth(fullStack({ prometheus }));
    const monitors = ofKind(manifests, 'ServiceMonitor');
    const rules = ofKind(manifests, 'PrometheusRule');
    // Falco, Fluent Bit and the anomaly detector are scraped; the catalogue and the detector have rules.
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual(['anomaly-detector', 'falco', 'fluent-bit']);
    expect(rules.map((m) => m.metadata.name).sort()).toEqual(['anomaly-detector', 'security-monitoring-security-alerts']);
    for (const m of monitors) expect(m.metadata.labels).toMatchObject(selector.monitorLabels);
    for (const r of rules) expect(r.metadata.labels).toMatchObject(selector.ruleLabels);
    expect(ofKind(manifests, 'AlertmanagerConfig')).toHaveLength(1);
    expectValidManifests(manifests);
  });

  test('plainPrometheus: rule files in ConfigMaps, alertmanager.yaml in a Secret, no operator objects', () => {
    const stack = fullStack({ prometheus: PrometheusIntegration.plainPrometheus(), anomalyDetection: undefined });
    const manifests = synth(stack);
    for (const kind of ['ServiceMonitor', 'PrometheusRule', 'AlertmanagerConfig']) expect(ofKind(manifests, kind)).toEqual([]);
    const ruleFile = findObject(manifests, 'ConfigMap', 'security-monitoring-security-alerts').data['alerts.rules.yaml'];
    expect(ruleFile).toBe(stack.alerts!.toRuleFile());
    expect(parse(ruleFile).groups.map((g: any) => g.name)).toContain('security.falco');
    expect(findObject(manifests, 'Secret', 'security-alerting').stringData['alertmanager.yaml']).toBe(stack.alerting!.toAlertmanagerYaml());
    expectValidManifests(manifests);
  });

  test('plainPrometheus refuses the anomaly detector, which needs the operator', () => {
    expect(() => fullStack({ prometheus: PrometheusIntegration.plainPrometheus() })).toThrow(
      'test/stack: anomalyDetection needs the Prometheus Operator (its ServiceMonitor and PrometheusRule), but prometheus is plainPrometheus() (got "plain Prometheus")');
  });

  test("a component's own selector wins over the stack's choice", () => {
    const own = PrometheusSelector.custom({ prometheus: 'other' });
    const manifests = synth(fullStack({
      prometheus: PrometheusIntegration.kubePrometheusStack({ releaseName: 'kps' }),
      falco: { prometheusSelector: own },
      alerts: { selector: own },
    }));
    expect(findObject(manifests, 'ServiceMonitor', 'falco').metadata.labels).toMatchObject({ prometheus: 'other' });
    expect(findObject(manifests, 'ServiceMonitor', 'falco').metadata.labels.release).toBeUndefined();
    expect(findObject(manifests, 'PrometheusRule', 'security-monitoring-security-alerts').metadata.labels).toMatchObject({ prometheus: 'other' });
    expect(findObject(manifests, 'ServiceMonitor', 'fluent-bit').metadata.labels).toMatchObject({ release: 'kps' });
  });

  test('with plainPrometheus, an explicit alerts.selector still renders a PrometheusRule', () => {
    const manifests = synth(new SecurityMonitoringStack(Testing.chart(), 'stack', {
      prometheus: PrometheusIntegration.plainPrometheus(), alerts: { selector: PrometheusSelector.none() },
    }));
    expect(ofKind(manifests, 'PrometheusRule')).toHaveLength(1);
  });
});

describe('Falco metrics feed the Falco alerts', () => {
  test('Falco with metrics: its metrics Service is monitored and the Falco alert group ships', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack');
    const manifests = synth(stack);
    const service = findObject(manifests, 'Service', stack.falco!.metricsServiceName);
    const monitor = findObject(manifests, 'ServiceMonitor', 'falco');
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.namespaceSelector.matchNames).toEqual([service.metadata.namespace]);
    expect(service.spec.ports.map((p: any) => p.name)).toContain(monitor.spec.endpoints[0].port);
    expect(stack.alerts!.groups.map((g) => g.name)).toContain('security.falco');
    expect(stack.warnings).toEqual([]);
  });

  test.each<[string, SecurityMonitoringStackProps]>([
    ['Falco disabled', { falco: { enabled: false } }],
    ['Falco metrics off', { falco: { metrics: false } }],
  ])('%s: no Falco alert group, no Falco ServiceMonitor, no warning', (_, props) => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', props);
    expect(stack.alerts!.groups.map((g) => g.name)).toEqual(['security.apiserver', 'security.workloads', 'security.pipeline']);
    expect(ofKind(synth(stack), 'ServiceMonitor')).toEqual([]);
    expect(stack.warnings).toEqual([]);
  });

  test('forcing the Falco alerts on without Falco metrics warns', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { falco: { enabled: false }, alerts: { falco: true } });
    expect(stack.alerts!.groups.map((g) => g.name)).toContain('security.falco');
    expect(stack.warnings).toEqual([expect.stringContaining('test/stack: alerts.falco is on, but this stack exposes no Falco metrics')]);
    expect(stack.describe()).toContain('Warnings:\n  test/stack: alerts.falco is on');
  });
});

describe('the SIEM pipeline ships what the stack produces', () => {
  test.each([undefined, '/var/log/kube-audit/audit.json'])('the audit log source reads the audit policy logPath (%s)', (logPath) => {
    const stack = fullStack({ auditPolicy: { logPath } });
    const audit = inputs(stack).filter((i) => i.tag === 'security_audit.*');
    expect(audit.map((i) => i.path)).toEqual([stack.auditPolicy!.logPath]);
    expect(stack.auditPolicy!.apiServerFlags()).toContain(`--audit-log-path=${audit[0].path}`);
  });

  test.each([undefined, 4 * 1024 * 1024])('the audit source reads whole every event the API server writes (maxEventBytes %s)', (maxEventBytes) => {
    const stack = fullStack({ auditPolicy: { maxEventBytes } });
    const written = stack.auditPolicy!.maxEventBytes;
    expect(stack.auditPolicy!.apiServerFlags()).toEqual(expect.arrayContaining(['--audit-log-truncate-enabled=true', `--audit-log-truncate-max-event-size=${written}`]));
    const [audit] = inputs(stack).filter((i) => i.tag === 'security_audit.*');
    // Fluent Bit needs the line, its newline and a NUL in the buffer (measured: one byte less skips a line of `written` bytes).
    expect(Number(audit.buffer_max_size)).toBe(written + 2);
    expect(audit.skip_long_lines).toBe('on');
  });

  test('the Falco source reads the Falco namespace and container actually deployed, which writes JSON', () => {
    const stack = fullStack({ falcoNamespace: 'runtime' });
    const manifests = synth(stack);
    const daemonSet = findObject(manifests, 'DaemonSet', 'falco');
    const container = daemonSet.spec.template.spec.containers.find((c: any) => c.args?.includes('/usr/bin/falco')).name;
    const falco = inputs(stack).filter((i) => i.tag === 'falco.*');
    expect(falco.map((i) => i.path)).toEqual([`/var/log/containers/*_${daemonSet.metadata.namespace}_${container}-${'?'.repeat(64)}.log`]);
    expect(parse(findObject(manifests, 'ConfigMap', 'falco').data['falco.yaml']).json_output).toBe(true);
    // The generic container source skips those files, so no event is shipped twice.
    expect(inputs(stack).find((i) => i.tag === 'container.*')!.exclude_path).toBe(falco[0].path);
  });

  test('without Falco there is no Falco source', () => {
    expect(fullStack({ falco: { enabled: false } }).siem!.logTypes).toEqual(['container', 'security_audit']);
  });

  test('Falco without JSON output and a SIEM that parses it is an error', () => {
    expect(() => fullStack({ falco: { jsonOutput: false } })).toThrow(
      'test/stack: the SIEM pipeline ships Falco events, which it parses as JSON, but falco.jsonOutput is false (got false): drop falco.jsonOutput: false, or pass siem.sources without SiemSource.falcoEvents()');
  });
});

describe('alert severities are the ones PagerDuty routes', () => {
  const stack = fullStack();
  const alerts = [
    ...stack.alerts!.groups.flatMap((g) => (g._renderGroup() as any).rules),
    ...findObject(synth(stack), 'PrometheusRule', 'anomaly-detector').spec.groups.flatMap((g: any) => g.rules),
  ].filter((r) => r.alert);
  const expectations = stack.alerting!.routingExpectations().filter((e) => Object.keys(e.labels).length === 2);

  test('the catalogue uses exactly the AlertSeverity values, and the routing table has one route each', () => {
    const used = [...new Set(alerts.map((a) => a.labels.severity))].sort();
    expect(used).toEqual(Object.values(AlertSeverity).sort());
    expect(expectations.map((e) => e.labels.severity).sort()).toEqual(used);
    expect(expectations.find((e) => e.labels.severity === AlertSeverity.CRITICAL)!.receiver).toBe(stack.alerting!.pagerDutyReceiver.name);
  });

  test('amtool routes every alert of the stack to the receiver of its severity', () => {
    const config = stack.alerting!.toAlertmanagerYaml();
    const receiverOf = new Map(expectations.map((e) => [e.labels.severity, e.receiver]));
    const cases = [...new Map(alerts.map((a) => [a.labels.severity, a])).values()];
    for (const alert of cases) {
      expect(routesTo(config, { alertname: alert.alert, severity: alert.labels.severity })).toEqual([receiverOf.get(alert.labels.severity)]);
    }
  });
});
