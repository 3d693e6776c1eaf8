import { Testing } from 'cdk8s';
import { PrometheusIntegration, SecurityMonitoringStack, SecurityMonitoringStackProps, SiemDestination } from '../../src';

const build = (props: SecurityMonitoringStackProps = {}) => new SecurityMonitoringStack(Testing.chart(), 'stack', props);
const everything: SecurityMonitoringStackProps = {
  prometheus: PrometheusIntegration.kubePrometheusStack({ releaseName: 'kps' }),
  siem: { destinations: [SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' } })] },
  alerting: { pagerDuty: { routingKey: { secretName: 'pagerduty', key: 'routing-key' } } },
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

  test('lists components on and off', () => {
    expect(lines).toContain('  [on] Falco runtime detection (falco/falco, metrics)');
    expect(lines).toContain('  [on] SIEM log shipping (Fluent Bit security-logging/fluent-bit; log types container, security_audit, falco)');
    expect(build({ falco: { enabled: false } }).describe()).toContain('  [off] Falco runtime detection\n');
    expect(build().describe()).toContain('  [off] PagerDuty alerting (set alerting with a routing key)');
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

  test('counts alerts by severity and says who gets paged', () => {
    expect(lines).toContain('Alerts: 22 (critical 6, warning 13, info 3)');
    expect(text).toContain('Paging:\n  severity=critical -> pagerduty\n  severity=warning -> null\n  severity=info -> null\n');
    expect(build().describe()).toContain('Paging:\n  nobody: no alert routing (set alerting to page PagerDuty)');
  });
});
