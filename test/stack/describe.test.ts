import { Testing } from 'cdk8s';
import {
  FalcoPriority, KubeBenchTarget, KuberhealthyApi, PrometheusIntegration, SecurityMonitoringStack, SecurityMonitoringStackProps,
  SiemDestination, TalonActionner,
} from '../../src';
import { synth } from '../util';

const build = (props: SecurityMonitoringStackProps = {}) => new SecurityMonitoringStack(Testing.chart(), 'stack', props);
const everything: SecurityMonitoringStackProps = {
  prometheus: PrometheusIntegration.kubePrometheusStack({ releaseName: 'kps' }),
  siem: { destinations: [SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' } })] },
  alerting: { pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } } },
  anomalyDetection: {},
};

describe('SecurityMonitoringStack.describe()', () => {
  const text = build(everything).describe();
  const lines = text.split('\n');

  test('matches the snapshot and is deterministic', () => {
    expect(text).toMatchSnapshot();
    expect(build(everything).describe()).toBe(text);
  });

  test('names the Prometheus integration and its labels', () => {
    expect(lines[1]).toBe('Prometheus: kube-prometheus-stack (PrometheusRule labels: release=kps; ServiceMonitor labels: release=kps)');
    expect(build({ prometheus: PrometheusIntegration.plainPrometheus() }).describe())
      .toContain('Prometheus: plain Prometheus (rule files in ConfigMaps, no ServiceMonitors)');
  });

  test('lists every component with its objects, from the rendered objects', () => {
    expect(lines).toContain('  falco: DaemonSet falco/falco, 7 supporting objects');
    expect(lines).toContain('  alerting: AlertmanagerConfig security-monitoring/security-alerting');
    expect(lines.find((l) => l.startsWith('  fluent-bit: ') || l.startsWith('  siem: '))).toContain('DaemonSet security-logging/fluent-bit');
    expect(build({ falco: { enabled: false } }).describe()).not.toContain('DaemonSet falco/falco');
  });

  test('lists namespaces with their Pod Security level', () => {
    expect(text).toContain('Namespaces (Pod Security level enforced):\n  falco: privileged\n  security-logging: privileged\n  security-monitoring: restricted\n');
  });

  test('lists pinned images', () => {
    expect(lines).toContain('  docker.io/falcosecurity/falco:0.44.1  (DaemonSet falco/falco, container falco)');
    expect(lines).toContain('  cr.fluentbit.io/fluent/fluent-bit:5.1.1  (DaemonSet security-logging/fluent-bit, container fluent-bit)');
  });

  test('states the privileges granted and why', () => {
    const falco = lines.find((l) => l.startsWith('  DaemonSet falco/falco: '))!;
    expect(falco).toContain('hostPath /proc, /etc');
    expect(falco).toContain('container falco: capabilities BPF');
    expect(lines[lines.indexOf(falco) + 1]).toMatch(/^ {4}why: Falco loads its kernel driver/);
    expect(lines.find((l) => l.startsWith('  DaemonSet security-logging/fluent-bit: '))).toContain('hostPath /var/log');
    expect(lines.find((l) => l.startsWith('  DaemonSet security-logging/fluent-bit: '))).toContain('container fluent-bit: runs as root');
    expect(build({ falco: { enabled: false } }).describe()).toContain('Privileges:\n  none\n');
  });

  test('lists each agent DaemonSet with its health check, its alerts and what scrapes them, a Filebeat added later included', () => {
    const stack = build({ ...everything, response: { kuberhealthy: KuberhealthyApi.v3() } });
    stack.addFilebeatPipeline('filebeat', { elasticsearch: { host: 'es.example.com' }, namespace: 'security-elastic' });
    const described = stack.describe();
    expect(described).toContain('  DaemonSet security-elastic/filebeat\n'
      + '    health check: HealthCheck security-monitoring/security-daemonsets\n'
      + '    alerts: SecurityAgentUnavailable, FilebeatOutputErrors, FilebeatStatsUnreadable, FilebeatOutputRetrying, FilebeatDroppingEvents\n'
      + '    metrics scraped by: ServiceMonitor security-elastic/filebeat\n');
    expect(described).toContain('  DaemonSet security-logging/fluent-bit\n    health check: HealthCheck security-monitoring/security-daemonsets\n'
      + '    alerts: SecurityAgentUnavailable, FluentBitOutputErrors, FluentBitOutputRetrying, FluentBitDroppingLogs, FluentBitSkippingLongLines, FluentBitTruncatingMessages\n');
    expect(described).toMatch(/ {2}DaemonSet falco\/falco\n {4}health check: HealthCheck security-monitoring\/security-daemonsets\n {4}alerts: SecurityAgentUnavailable, FalcoCriticalEvent, FalcoEventBurst,/);
  });

  test('says when an agent has no health check, or its alerts are disabled', () => {
    const stack = build({ alerts: { disabledAlerts: ['SecurityAgentUnavailable', 'FilebeatOutputErrors'] } });
    stack.addFilebeatPipeline('filebeat', { elasticsearch: { host: 'es.example.com' }, metrics: false });
    const described = stack.describe();
    expect(described).toContain('  DaemonSet security-logging/filebeat\n    health check: none (set response.kuberhealthy)\n'
      + '    alerts: FilebeatStatsUnreadable, FilebeatOutputRetrying, FilebeatDroppingEvents\n'
      + '    metrics scraped by: nothing in this output (no ServiceMonitor)\n');
  });

  test('counts alerts by severity and says who gets paged', () => {
    expect(lines).toContain('Alerts: 27 (critical 8, warning 15, info 4)');
    // Each route with the labels every stack alert carries, as test/alerting/alert-path.e2e.test.ts proves them.
    expect(text).toContain('Paging:\n  severity=critical, namespace=security-monitoring -> pagerduty\n  severity=warning, namespace=security-monitoring -> null\n'
      + '  severity=info, namespace=security-monitoring -> null\n');
    expect(build().describe()).toContain('Paging:\n  nobody: no alert routing (set alerting to page PagerDuty)');
  });
});

describe('describe() of a stack with every component tells the whole truth', () => {
  const talonRule = {
    name: 'Quarantine shells',
    match: { rules: ['Terminal shell in container'], minimumPriority: FalcoPriority.NOTICE },
    dryRun: true,
    actions: [{ name: 'quarantine', actionner: TalonActionner.label({ 'security.quarantine': 'true' }) }],
  };
  const stack = build({
    ...everything,
    falco: { falcosidekick: { outputs: [] } },
    response: { enabled: true, talon: { rules: [talonRule] }, quarantineNamespaces: ['shop'], kuberhealthy: KuberhealthyApi.v3() },
    compliance: { enabled: true, kubeBench: { targets: [KubeBenchTarget.NODE] } },
  });
  const text = stack.describe();
  const manifests = synth(stack);
  const section = (title: string) => text.slice(text.indexOf(`\n${title}\n`), text.indexOf('\n\n', text.indexOf(`\n${title}\n`) + 1));

  test('every pod with host access or added capabilities appears under Privileges, with a reason', () => {
    const template = (o: any) => o.spec.template.spec;
    const podSpecs: Record<string, (o: any) => any> = {
      DaemonSet: template,
      Deployment: template,
      StatefulSet: template,
      Job: template,
      CronJob: (o) => o.spec.jobTemplate.spec.template.spec,
      HealthCheck: (o) => o.spec.podSpec.spec,
    };
    const privileged = manifests.filter((o) => podSpecs[o.kind]).filter((o) => {
      const spec = podSpecs[o.kind](o);
      return spec.hostNetwork || spec.hostPID || spec.hostIPC || (spec.volumes ?? []).some((v: any) => v.hostPath)
        || [...(spec.initContainers ?? []), ...spec.containers]
          .some((c: any) => c.securityContext?.privileged || c.securityContext?.capabilities?.add?.length);
    });
    expect(privileged.map((o) => o.kind).sort()).toEqual(['CronJob', 'DaemonSet', 'DaemonSet']);
    const privileges = section('Privileges:');
    for (const o of privileged) expect(privileges).toContain(`  ${o.kind} ${o.metadata.namespace}/${o.metadata.name}: `);
    expect(privileges).not.toContain('why: not documented');
  });

  test('every ClusterRole appears under Cluster-wide RBAC with what it allows and who is bound to it', () => {
    const roles = manifests.filter((o) => o.kind === 'ClusterRole');
    expect(roles.length).toBeGreaterThanOrEqual(2);
    const rbac = section('Cluster-wide RBAC:');
    for (const role of roles) {
      const line = rbac.split('\n').find((l) => l.startsWith(`  ClusterRole ${role.metadata.name} (bound to `));
      expect(line).toBeDefined();
      for (const rule of role.rules) for (const resource of rule.resources ?? []) expect(line).toContain(resource);
    }
  });

  test('every component the stack rendered is listed, Talon, kube-bench and the Kuberhealthy check included', () => {
    const components = section('Components (the rendered objects by app.kubernetes.io/component):');
    for (const o of manifests.filter((m) => ['DaemonSet', 'Deployment', 'CronJob', 'HealthCheck', 'PrometheusRule', 'AlertmanagerConfig'].includes(m.kind))) {
      expect(components).toContain(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
    }
  });
});
