import { ApiObject } from 'cdk8s';
import type { SecurityMonitoringStack } from './security-monitoring-stack';
import { PodSecurityLevel } from '../common/pod-security';
import { AlertSeverity } from '../common/severity';
import { AGENT_INVENTORY_RECORD } from '../prometheus/catalogue/pipeline';
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
  'kube-bench': 'kube-bench reads the node\'s kubelet and control-plane configuration files and processes (hostPID) to check them against the CIS benchmark',
};

/**
 * The prefix of the metrics each agent exposes (Falco's own endpoint, Fluent
 * Bit's, Filebeat's through its beat-exporter sidecar), by `app.kubernetes.io/name`:
 * an alert on such a metric watches that agent.
 */
const AGENT_METRIC_PREFIXES: Record<string, string> = {
  'falco': 'falcosecurity_',
  'fluent-bit': 'fluentbit_',
  'filebeat': 'filebeat_',
};

/** Where each kind of workload keeps its pod spec. */
const POD_SPECS: Record<string, (o: any) => Record<string, any>> = {
  DaemonSet: (o) => o.spec.template.spec,
  Deployment: (o) => o.spec.template.spec,
  StatefulSet: (o) => o.spec.template.spec,
  Job: (o) => o.spec.template.spec,
  CronJob: (o) => o.spec.jobTemplate.spec.template.spec,
  Pod: (o) => o.spec,
  KuberhealthyCheck: (o) => o.spec.podSpec,
  HealthCheck: (o) => o.spec.podSpec.spec,
};

/** Objects that only support a component's main ones: counted, not listed. */
const SUPPORTING_KINDS = ['ConfigMap', 'Service', 'ServiceAccount', 'NetworkPolicy', 'Role', 'RoleBinding', 'ClusterRoleBinding', 'ServiceMonitor', 'Namespace'];

interface Workload {
  readonly ref: string;
  readonly app: string;
  readonly spec: Record<string, any>;
}

/** Renders `SecurityMonitoringStack.describe()`; every list is sorted or in construction order, so the text is deterministic. */
export function describeStack(stack: SecurityMonitoringStack, namespaces: Array<[string, PodSecurityLevel]>): string {
  const objects = stack.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
  const workloads: Workload[] = objects
    .filter((o) => POD_SPECS[o.kind] !== undefined)
    .map((o) => ({ ref: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, app: o.metadata.labels?.['app.kubernetes.io/name'] ?? o.metadata.name, spec: POD_SPECS[o.kind](o) }));
  const selector = stack.prometheus.selector;
  return [
    `Security monitoring stack "${stack.name}" (${stack.node.path})`,
    `Prometheus: ${stack.prometheus.displayName}${selector ? ` (PrometheusRule labels: ${labels(selector.ruleLabels)}; ServiceMonitor labels: ${labels(selector.monitorLabels)})` : ' (rule files in ConfigMaps, no ServiceMonitors)'}`,
    ...(Object.keys(stack.clusterLabels).length > 0
      ? [`Cluster: ${labels(stack.clusterLabels)} on every alert, Falco event, shipped record and anomaly series; the dashboard filters on it`]
      : []),
    '',
    'Components (the rendered objects by app.kubernetes.io/component):',
    ...components(objects),
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
    'Cluster-wide RBAC:',
    ...clusterRoles(objects),
    '',
    ...alertLines(stack, objects),
    '',
    'Agents (DaemonSets that must run on every node), their health check and alerts:',
    ...agents(objects, renderedRules(stack, objects)),
    ...tunedAlerts(stack),
    ...tunedFalcoRules(stack),
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

/** Each component's objects: the main ones by name, the supporting ones counted. */
function components(objects: any[]): string[] {
  const byComponent = new Map<string, any[]>();
  for (const o of objects.filter((x) => x.kind !== 'Namespace')) {
    const component = o.metadata.labels?.['app.kubernetes.io/component'] ?? o.metadata.labels?.['app.kubernetes.io/name'] ?? 'other';
    byComponent.set(component, [...(byComponent.get(component) ?? []), o]);
  }
  return orNone([...byComponent].sort(([a], [b]) => a.localeCompare(b)).map(([component, list]) => {
    // A component made only of supporting kinds (the audit policy's and the dashboard's ConfigMaps) is those objects.
    const mainObjects = list.filter((o) => !SUPPORTING_KINDS.includes(o.kind));
    const main = (mainObjects.length > 0 ? mainObjects : list).map(objectRef);
    const supporting = list.length - main.length;
    return `  ${component}: ${[...main, ...(supporting > 0 ? [`${supporting} supporting object${supporting === 1 ? '' : 's'}`] : [])].join(', ')}`;
  }));
}

function objectRef(o: any): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/** Every ClusterRole: what it allows, and who is bound to it. */
function clusterRoles(objects: any[]): string[] {
  const bindings = objects.filter((o) => o.kind === 'ClusterRoleBinding');
  return orNone(objects.filter((o) => o.kind === 'ClusterRole').flatMap((role) => {
    const subjects = bindings.filter((b) => b.roleRef?.kind === 'ClusterRole' && b.roleRef?.name === role.metadata.name)
      .flatMap((b) => (b.subjects ?? []).map((s: any) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`));
    const rules = (role.rules ?? []).map((r: any) => `${(r.verbs ?? []).join('/')} ${[...(r.resources ?? []), ...(r.nonResourceURLs ?? [])].join(', ')}`);
    return [`  ClusterRole ${role.metadata.name} (bound to ${subjects.length > 0 ? subjects.join(', ') : 'nobody'}): ${rules.join('; ')}`];
  }));
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

/** Every rule the stack renders, alerting and recording. */
function renderedRules(stack: SecurityMonitoringStack, objects: any[]): any[] {
  // Rules of SecurityPrometheusRules are read from the construct, whatever object they render to;
  // other PrometheusRules (the anomaly detector's) from the rendered object.
  const owners = new Set(stack.node.findAll().filter((c): c is SecurityPrometheusRule => c instanceof SecurityPrometheusRule));
  const fromRules = [...owners].flatMap((r) => r.groups.flatMap((g) => (g._renderGroup() as any).rules));
  const fromObjects = objects
    .filter((o) => o.kind === 'PrometheusRule' && ![...owners].some((r) => r.apiObject.name === o.metadata.name && r.apiObject.metadata.namespace === o.metadata.namespace))
    .flatMap((o) => o.spec.groups.flatMap((g: any) => g.rules));
  return [...fromRules, ...fromObjects];
}

function alertLines(stack: SecurityMonitoringStack, objects: any[]): string[] {
  const alerts = renderedRules(stack, objects).filter((r) => r.alert !== undefined);
  const bySeverity = Object.values(AlertSeverity).map((s) => `${s} ${alerts.filter((a) => a.labels?.severity === s).length}`);
  return [`Alerts: ${alerts.length} (${bySeverity.join(', ')})`];
}

/**
 * Each DaemonSet: the health check that lists it (a Kuberhealthy check's
 * `DAEMONSETS`), the alerts on it (`SecurityAgentUnavailable` where the rules
 * record it as an agent, the alerts on its own metrics) and what scrapes them.
 */
function agents(objects: any[], rules: any[]): string[] {
  const alerts = rules.filter((r) => r.alert !== undefined);
  const watched = rules.filter((r) => r.record === AGENT_INVENTORY_RECORD).map((r) => `${r.labels?.namespace}/${r.labels?.daemonset}`);
  const checks = objects.filter((o) => o.kind === 'HealthCheck' || o.kind === 'KuberhealthyCheck').map((o) => ({
    ref: objectRef(o),
    targets: containers(POD_SPECS[o.kind](o))
      .flatMap((c) => (c.env ?? []).filter((e: any) => e.name === 'DAEMONSETS').flatMap((e: any) => String(e.value).split(' '))),
  }));
  return orNone(objects.filter((o) => o.kind === 'DaemonSet').flatMap((ds) => {
    const key = `${ds.metadata.namespace}/${ds.metadata.name}`;
    const check = checks.find((c) => c.targets.includes(key));
    const prefix = AGENT_METRIC_PREFIXES[ds.spec.template.metadata?.labels?.['app.kubernetes.io/name'] ?? ds.metadata.name];
    // Series recorded from the agent's metrics count as its metrics (Falco's event rates).
    const recorded = rules.filter((r) => r.record !== undefined && prefix !== undefined && String(r.expr).includes(prefix)).map((r) => r.record);
    const sources = prefix === undefined ? [] : [prefix, ...recorded];
    const own = alerts.filter((a) => sources.some((source) => String(a.expr).includes(source))).map((a) => a.alert);
    const names = [...(watched.includes(key) ? ['SecurityAgentUnavailable'] : []), ...own];
    const monitors = scrapers(objects, ds);
    return [
      `  DaemonSet ${key}`,
      `    health check: ${check ? check.ref : 'none (set response.kuberhealthy)'}`,
      `    alerts: ${names.length > 0 ? [...new Set(names)].join(', ') : 'none'}`,
      ...(prefix === undefined ? [] : [`    metrics scraped by: ${monitors.length > 0 ? monitors.join(', ') : 'nothing in this output (no ServiceMonitor)'}`]),
    ];
  }));
}

/** The ServiceMonitors that select a Service of the DaemonSet's pods. */
function scrapers(objects: any[], ds: any): string[] {
  const namespace = ds.metadata.namespace;
  const podLabels = ds.spec.template.metadata?.labels ?? {};
  const matches = (selector: Record<string, string> | undefined, target: Record<string, string>) =>
    selector !== undefined && Object.entries(selector).every(([k, v]) => target?.[k] === v);
  const services = objects.filter((o) => o.kind === 'Service' && o.metadata.namespace === namespace && matches(o.spec?.selector, podLabels));
  return objects.filter((o) => o.kind === 'ServiceMonitor'
    && (o.spec?.namespaceSelector?.matchNames ?? [o.metadata.namespace]).includes(namespace)
    && services.some((svc) => matches(o.spec?.selector?.matchLabels, svc.metadata.labels ?? {}))).map(objectRef);
}

/** What `disabledAlerts` and `alertOverrides` changed in the catalogue: the security impact of tuning, for review. */
function tunedAlerts(stack: SecurityMonitoringStack): string[] {
  const changes = stack.alerts?.tuningChanges ?? [];
  if (changes.length === 0) return [];
  return ['Tuned alerts (catalogue value -> value in effect):', ...changes.map((c) =>
    (c.setting === 'enabled' ? `  ${c.alert}: disabled` : `  ${c.alert} ${c.setting}: ${c.from} -> ${c.to}`))];
}

/** What the stack's Falcos change in the rules they load (upstream ones included). */
function tunedFalcoRules(stack: SecurityMonitoringStack): string[] {
  const lines = [stack.falco, stack.falcoAuditReceiver].flatMap((falco) => (falco ? falco._tuning().map((line) => `  ${falco.name}: ${line}`) : []));
  return lines.length === 0 ? [] : ['Tuned Falco rules:', ...lines];
}

function paging(stack: SecurityMonitoringStack): string[] {
  const alerting = stack.alerting;
  if (!alerting) return ['  nobody: no alert routing (set alerting to page PagerDuty)'];
  // The labels every stack alert carries for the routing to see it (the operator's namespace matcher);
  // test/alerting/alert-path.e2e.test.ts proves these routes with the real Prometheus and Alertmanager.
  const routed = Object.entries(alerting.routedAlertLabels).filter(([, v]) => !v.includes('{{'));
  const routes = alerting.routingExpectations().map(({ labels: l, receiver }) =>
    `  ${[...Object.entries(l).filter(([k]) => k !== 'alertname'), ...routed].map(([k, v]) => `${k}=${v}`).join(', ')} -> ${receiver}`);
  const secrets = alerting.requiredSecrets.map((r) => `${r.secretName}/${r.key}`).join(', ');
  return [...routes, `  credentials read from Secrets (${alerting.apiObject.metadata.namespace}): ${secrets}`];
}
