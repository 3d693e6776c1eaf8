import { ApiObject } from 'cdk8s';
import type { SecurityMonitoringStack } from './security-monitoring-stack';
import { PodSecurityLevel } from '../common/pod-security';
import { AlertSeverity } from '../common/severity';
import { SecurityPrometheusRule } from '../prometheus/security-prometheus-rule';

/**
 * Why a workload needs the privileges it gets, by its `app.kubernetes.io/name`.
 * The privileges themselves are read from the rendered pod specs, so the
 * summary cannot drift from what is deployed.
 */
const PRIVILEGE_REASONS: Record<string, string> = {
  'falco': 'Falco loads its kernel driver (eBPF programs or module) and reads every process, /proc, /etc and the container runtime sockets of the host',
  'fluent-bit': 'Fluent Bit tails every node\'s /var/log (container logs, the API server audit log) and keeps file offsets and buffered chunks on the host',
  'filebeat': 'Filebeat tails every node\'s /var/log (container logs, the API server audit log) and keeps its registry on the host',
};

interface Workload {
  readonly ref: string;
  readonly app: string;
  readonly spec: Record<string, any>;
}

/** Renders `SecurityMonitoringStack.describe()`; every list is sorted or in construction order, so the text is deterministic. */
export function describeStack(stack: SecurityMonitoringStack, namespaces: Array<[string, PodSecurityLevel]>): string {
  const objects = stack.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
  const workloads: Workload[] = objects
    .filter((o) => ['DaemonSet', 'Deployment', 'StatefulSet'].includes(o.kind))
    .map((o) => ({ ref: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, app: o.metadata.labels?.['app.kubernetes.io/name'] ?? o.metadata.name, spec: o.spec.template.spec }));
  const selector = stack.prometheus.selector;
  return [
    `Security monitoring stack "${stack.name}" (${stack.node.path})`,
    `Prometheus: ${stack.prometheus.displayName}${selector ? ` (PrometheusRule labels: ${labels(selector.ruleLabels)}; ServiceMonitor labels: ${labels(selector.monitorLabels)})` : ' (rule files in ConfigMaps, no ServiceMonitors)'}`,
    ...(Object.keys(stack.clusterLabels).length > 0
      ? [`Cluster: ${labels(stack.clusterLabels)} on every alert, Falco event, shipped record and anomaly series; the dashboard filters on it`]
      : []),
    '',
    'Components:',
    ...components(stack).map(([on, text]) => `  [${on ? 'on' : 'off'}] ${text}`),
    '',
    'Namespaces (Pod Security level enforced):',
    ...namespaces.map(([name, level]) => `  ${name}: ${level}`),
    '',
    'Images:',
    ...orNone(workloads.flatMap((w) => containers(w.spec).map((c) => `  ${c.image}  (${w.ref}, container ${c.name})`))),
    '',
    'Privileges:',
    ...privileges(workloads),
    '',
    ...alertLines(stack, objects),
    '',
    'Paging:',
    ...paging(stack),
    ...(stack.warnings.length > 0 ? ['', 'Warnings:', ...stack.warnings.map((w) => `  ${w}`)] : []),
  ].join('\n') + '\n';
}

function labels(map: Record<string, string>): string {
  const entries = Object.entries(map);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

function components(stack: SecurityMonitoringStack): Array<[boolean, string]> {
  const { falco, auditPolicy, alerts, siem, alerting, anomalyDetector } = stack;
  return [
    [!!falco, `Falco runtime detection${falco ? ` (${falco.namespace}/${falco.name}${falco.metricsServiceName ? ', metrics' : ''}${falco.falcosidekick ? ', falcosidekick' : ''})` : ''}`],
    [!!auditPolicy, `API server audit policy${auditPolicy ? ` (ConfigMap ${stack.namespace}/audit-policy; the API server writes ${auditPolicy.logPath})` : ''}`],
    [!!alerts, `security alerts${alerts ? ` (${alerts.apiObject.kind} ${alerts.apiObject.metadata.namespace}/${alerts.apiObject.name}; groups ${alerts.groups.map((g) => g.name).join(', ')})` : ''}`],
    [!!siem, `SIEM log shipping${siem ? ` (Fluent Bit ${siem.namespace}/${siem.name}; log types ${siem.logTypes.join(', ')})` : ' (set siem with a destination)'}`],
    [!!alerting, `PagerDuty alerting${alerting ? ` (${alerting.apiObject.kind} ${alerting.apiObject.metadata.namespace}/${alerting.apiObject.name})` : ' (set alerting with a routing key)'}`],
    [!!anomalyDetector, `anomaly detection${anomalyDetector ? ` (${anomalyDetector.namespace}/${anomalyDetector.name})` : ''}`],
  ];
}

function containers(spec: Record<string, any>): Array<Record<string, any>> {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** Host access and elevated rights, one line per workload that has any, with the reason. */
function privileges(workloads: Workload[]): string[] {
  const lines = workloads.flatMap((w) => {
    const granted: string[] = [];
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (w.spec[field]) granted.push(field);
    const hostPaths = (w.spec.volumes ?? []).filter((v: any) => v.hostPath).map((v: any) => v.hostPath.path);
    if (hostPaths.length > 0) granted.push(`hostPath ${hostPaths.join(', ')}`);
    for (const c of containers(w.spec)) {
      const sc = c.securityContext ?? {};
      const rights = [
        ...(sc.privileged ? ['privileged'] : []),
        ...(sc.capabilities?.add?.length ? [`capabilities ${sc.capabilities.add.join(', ')}`] : []),
        ...((sc.runAsUser ?? w.spec.securityContext?.runAsUser) === 0 ? ['runs as root'] : []),
      ];
      if (rights.length > 0) granted.push(`container ${c.name}: ${rights.join(', ')}`);
    }
    if (granted.length === 0) return [];
    return [`  ${w.ref}: ${granted.join('; ')}`, `    why: ${PRIVILEGE_REASONS[w.app] ?? 'not documented'}`];
  });
  return orNone(lines);
}

function orNone(lines: string[]): string[] {
  return lines.length > 0 ? lines : ['  none'];
}

function alertLines(stack: SecurityMonitoringStack, objects: any[]): string[] {
  // Rules of SecurityPrometheusRules are read from the construct, whatever object they render to;
  // other PrometheusRules (the anomaly detector's) from the rendered object.
  const owners = new Set(stack.node.findAll().filter((c): c is SecurityPrometheusRule => c instanceof SecurityPrometheusRule));
  const fromRules = [...owners].flatMap((r) => r.groups.flatMap((g) => (g._renderGroup() as any).rules));
  const fromObjects = objects
    .filter((o) => o.kind === 'PrometheusRule' && ![...owners].some((r) => r.apiObject.name === o.metadata.name && r.apiObject.metadata.namespace === o.metadata.namespace))
    .flatMap((o) => o.spec.groups.flatMap((g: any) => g.rules));
  const alerts = [...fromRules, ...fromObjects].filter((r) => r.alert !== undefined);
  const bySeverity = Object.values(AlertSeverity).map((s) => `${s} ${alerts.filter((a) => a.labels?.severity === s).length}`);
  return [`Alerts: ${alerts.length} (${bySeverity.join(', ')})`];
}

function paging(stack: SecurityMonitoringStack): string[] {
  const alerting = stack.alerting;
  if (!alerting) return ['  nobody: no alert routing (set alerting to page PagerDuty)'];
  const routes = alerting.routingExpectations().map(({ labels: l, receiver }) =>
    `  ${Object.entries(l).filter(([k]) => k !== 'alertname').map(([k, v]) => `${k}=${v}`).join(', ')} -> ${receiver}`);
  const secrets = alerting.requiredSecrets.map((r) => `${r.secretName}/${r.key}`).join(', ');
  return [...routes, `  credentials read from Secrets (${alerting.apiObject.metadata.namespace}): ${secrets}`];
}
