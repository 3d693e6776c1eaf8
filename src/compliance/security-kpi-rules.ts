import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { constructScope, requiredArgument } from '../common/arguments';
import { PrometheusSelector } from '../common/prometheus-selector';
import { validateDnsLabel } from '../common/validation';
import { FalcoPriority } from '../falco/priority';
import { SecurityPrometheusRule } from '../prometheus/security-prometheus-rule';

/** Properties of `SecurityKpiRules`. */
export interface SecurityKpiRulesProps {
  /** Namespace of the PrometheusRule. */
  readonly namespace: string;
  /** Object name. @default 'security-kpis' */
  readonly name?: string;
  /** Labels your Prometheus selects rules by. @default PrometheusSelector.none() */
  readonly prometheusSelector?: PrometheusSelector;
  /** Labels of the object. @default - none */
  readonly labels?: { [key: string]: string };
  /**
   * Render a rule-file ConfigMap instead of a PrometheusRule, for Prometheus
   * without the operator. @default false
   */
  readonly ruleFileConfigMap?: boolean;
}

/**
 * Falco's numeric priority label: `falcosecurity_falco_rules_matches_total`
 * carries `priority="<n>"`, the enum value of Falco's priority_type
 * (userspace/engine/falco_common.h), not its name.
 */
const FALCO_PRIORITY_LABEL: Record<FalcoPriority, string> = {
  [FalcoPriority.EMERGENCY]: '0',
  [FalcoPriority.ALERT]: '1',
  [FalcoPriority.CRITICAL]: '2',
  [FalcoPriority.ERROR]: '3',
  [FalcoPriority.WARNING]: '4',
  [FalcoPriority.NOTICE]: '5',
  [FalcoPriority.INFORMATIONAL]: '6',
  [FalcoPriority.DEBUG]: '7',
};
const CRITICAL_OR_WORSE = [FalcoPriority.EMERGENCY, FalcoPriority.ALERT, FalcoPriority.CRITICAL].map((p) => FALCO_PRIORITY_LABEL[p]).join('|');

/** Names of the recorded KPI series, which the dashboard's compliance panels read. */
export const SECURITY_KPI_RECORDS = {
  falcoCriticalEventsPerDay: 'security:falco_critical_events:increase1d',
  falcoEventsByPriorityPerDay: 'security:falco_events_by_priority:increase1d',
  alertsFiredBySeverityPerDay: 'security:alerts_fired_by_severity:count1d',
};

/** The recorded series: names follow the `level:metric:operations` convention. */
const KPIS: ReadonlyArray<{ record: string; expr: string }> = [
  {
    record: SECURITY_KPI_RECORDS.falcoCriticalEventsPerDay,
    expr: `sum(increase(falcosecurity_falco_rules_matches_total{priority=~"${CRITICAL_OR_WORSE}"}[1d]))`,
  },
  {
    record: SECURITY_KPI_RECORDS.falcoEventsByPriorityPerDay,
    expr: 'sum by (priority) (increase(falcosecurity_falco_rules_matches_total[1d]))',
  },
  {
    // One series per alert instance that fired at some point in the last day, counted per severity.
    record: SECURITY_KPI_RECORDS.alertsFiredBySeverityPerDay,
    expr: 'count by (severity) (max_over_time(ALERTS{alertstate="firing"}[1d]))',
  },
];

/**
 * Recording rules for the security dashboard's KPIs: Falco critical events
 * per day, Falco events per priority per day, and alerts fired per severity
 * per day. Recorded every 5 minutes: a one-day window does not need the
 * default 30 s evaluation. Built on `SecurityPrometheusRule`, so the
 * expressions are PromQL-validated like every other rule.
 */
export class SecurityKpiRules extends Construct {
  /** The recorded series names. */
  public readonly recordNames: string[];
  /**
   * The rules, the primary child (`node.defaultChild`): their object is
   * `rule.apiObject`, the PrometheusRule or, with `ruleFileConfigMap`, the ConfigMap.
   */
  public readonly rule: SecurityPrometheusRule;

  constructor(scope: Construct, id: string, props: SecurityKpiRulesProps) {
    super(constructScope('SecurityKpiRules', scope, id), id);
    props = requiredArgument(this, 'props', props, '{ namespace: "security-monitoring" }');
    // Not `Resource`: the id names the rule file of the ConfigMap output (`rule.rules.yaml`).
    this.rule = new SecurityPrometheusRule(this, 'rule', {
      name: validateDnsLabel(this, 'name', props.name ?? 'security-kpis'),
      namespace: validateDnsLabel(this, 'namespace', props.namespace),
      selector: props.prometheusSelector,
      labels: props.labels,
      ruleFileConfigMap: props.ruleFileConfigMap,
    });
    this.node.defaultChild = this.rule;
    const group = this.rule.addGroup({ name: 'security.kpis', interval: Duration.minutes(5) });
    for (const kpi of KPIS) group.addRecordingRule(kpi);
    this.recordNames = KPIS.map((k) => k.record);
  }
}
