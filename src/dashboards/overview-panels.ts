import { DashboardPanelProps, PanelKind } from './panel';
import { FalcoPriority } from '../falco/priority';

/** Where the overhead panels find the stack's own agents. */
export interface OverviewOptions {
  readonly falcoNamespace: string;
  readonly logShippingNamespace: string;
  /** The label that names the cluster, filtered on by the dashboard's variable of the same name; undefined: no filter. */
  readonly clusterLabel?: string;
}

/** What the overview needs of a dashboard; `SecurityDashboard` provides it. */
interface PanelSink {
  addRow(title: string): void;
  addPanel(panel: DashboardPanelProps): void;
}

/** Falco's per-rule counter (`metrics.enabled` with `rules_counters_enabled`). */
const FALCO_MATCHES = 'falcosecurity_falco_rules_matches_total';
/**
 * Falco's metrics write `priority` as a number, 0 (EMERGENCY) to 7 (DEBUG),
 * in the order of `FalcoPriority`; the dashboard shows the names.
 */
const FALCO_PRIORITIES = Object.values(FalcoPriority);
const CRITICAL_OR_WORSE = FALCO_PRIORITIES.slice(0, FALCO_PRIORITIES.indexOf(FalcoPriority.CRITICAL) + 1).map((_, i) => i).join('|');

/**
 * The "Kubernetes Security Overview" panels, on metrics that exist in a
 * kube-prometheus-stack cluster running this library's components:
 * API server metrics, Falco's metrics endpoint, Prometheus' `ALERTS`,
 * Fluent Bit's `/api/v1/metrics/prometheus` and cAdvisor (kubelet).
 */
export function addOverviewPanels(dashboard: PanelSink, options: OverviewOptions): void {
  // Every selector gets the cluster filter; `=~` so that the variable's "All" (.*) also
  // matches series without the label (a Prometheus of one cluster).
  const cluster = options.clusterLabel === undefined ? [] : [`${options.clusterLabel}=~"$${options.clusterLabel}"`];
  const sel = (metric: string, ...matchers: string[]) => {
    const all = [...matchers, ...cluster];
    return all.length === 0 ? metric : `${metric}{${all.join(', ')}}`;
  };
  dashboard.addRow('API server access');
  dashboard.addPanel({
    title: 'Failed authentication attempts',
    description: 'Requests whose credentials no authenticator accepted (authentication_attempts{result="failure"}).',
    unit: 'reqps',
    queries: [{ expr: `sum(rate(${sel('authentication_attempts', 'result="failure"')}[$__rate_interval]))`, legend: 'failures' }],
  });
  dashboard.addPanel({
    title: 'Unauthorized (401) and forbidden (403) responses',
    unit: 'reqps',
    queries: [{ expr: `sum by (code) (rate(${sel('apiserver_request_total', 'code=~"401|403"')}[$__rate_interval]))`, legend: '{{code}}' }],
  });

  dashboard.addRow('Runtime detection (Falco)');
  dashboard.addPanel({
    title: 'Falco events by priority',
    unit: 'ops',
    width: 10,
    queries: FALCO_PRIORITIES.map((name, number) => ({
      expr: `sum(rate(${sel(FALCO_MATCHES, `priority="${number}"`)}[$__rate_interval]))`,
      legend: name,
    })),
  });
  dashboard.addPanel({
    title: 'Falco critical or worse events',
    description: 'Rule matches with priority CRITICAL, ALERT or EMERGENCY in the selected time range.',
    kind: PanelKind.STAT,
    width: 4,
    queries: [{ expr: `sum(increase(${sel(FALCO_MATCHES, `priority=~"${CRITICAL_OR_WORSE}"`)}[$__range]))` }],
  });
  dashboard.addPanel({
    title: 'Top 10 Falco rules',
    description: 'Rules that matched most often in the selected time range.',
    kind: PanelKind.BAR_GAUGE,
    width: 10,
    queries: [{ expr: `topk(10, sum by (rule_name) (increase(${sel(FALCO_MATCHES)}[$__range])))`, legend: '{{rule_name}}' }],
  });

  dashboard.addRow('Alerts and log shipping');
  dashboard.addPanel({
    title: 'Alerts firing by severity',
    queries: [{ expr: `count by (severity) (${sel('ALERTS', 'alertstate="firing"')})`, legend: '{{severity}}' }],
  });
  dashboard.addPanel({
    title: 'Log records shipped by Fluent Bit',
    description: 'Records read per input (named by log type: security_audit is the API server audit log, falco the Falco events) '
      + 'and delivered per output.',
    unit: 'ops',
    queries: [
      { expr: `sum(rate(${sel('fluentbit_input_records_total', 'name="security_audit"')}[$__rate_interval]))`, legend: 'audit events read' },
      { expr: `sum by (name) (rate(${sel('fluentbit_input_records_total')}[$__rate_interval]))`, legend: 'read {{name}}' },
      { expr: `sum by (name) (rate(${sel('fluentbit_output_proc_records_total')}[$__rate_interval]))`, legend: 'shipped {{name}}' },
    ],
  });

  // One selector for both agents: the panels compare them, and cAdvisor's `container` label names each.
  const agents = (metric: string) => sel(metric, `namespace=~"${options.falcoNamespace}|${options.logShippingNamespace}"`, 'container=~"falco|fluent-bit|filebeat"');
  dashboard.addRow('Monitoring overhead');
  dashboard.addPanel({
    title: 'CPU of the security agents',
    description: 'CPU cores used by all Falco and log shipping pods together (cAdvisor).',
    width: 8,
    queries: [{ expr: `sum by (container) (rate(${agents('container_cpu_usage_seconds_total')}[$__rate_interval]))`, legend: '{{container}}' }],
  });
  dashboard.addPanel({
    title: 'Memory of the security agents',
    description: 'Working set of all Falco and log shipping pods together (cAdvisor).',
    unit: 'bytes',
    width: 8,
    queries: [{ expr: `sum by (container) (${agents('container_memory_working_set_bytes')})`, legend: '{{container}}' }],
  });
  dashboard.addPanel({
    title: 'Falco dropped events',
    description: 'Syscall events lost in the kernel buffer, and alerts lost in Falco\'s output queue: detections that never happened.',
    unit: 'ops',
    width: 8,
    queries: [
      { expr: `sum(rate(${sel('falcosecurity_scap_n_drops_total')}[$__rate_interval]))`, legend: 'kernel buffer' },
      { expr: `sum(rate(${sel('falcosecurity_falco_outputs_queue_num_drops_total')}[$__rate_interval]))`, legend: 'output queue' },
    ],
  });
}
