import { Construct } from 'constructs';
import { PrometheusSelector } from '../common/prometheus-selector';
import { validateDnsLabel, validateLabels, validationError } from '../common/validation';
import { FalcoPriority } from '../falco/priority';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../imports/monitoring.coreos.com';

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

/** The recorded series: names follow the `level:metric:operations` convention. */
const KPIS: ReadonlyArray<{ record: string; expr: string }> = [
  {
    record: 'security:falco_critical_events:increase1d',
    expr: `sum(increase(falcosecurity_falco_rules_matches_total{priority=~"${CRITICAL_OR_WORSE}"}[1d]))`,
  },
  {
    record: 'security:falco_events_by_priority:increase1d',
    expr: 'sum by (priority) (increase(falcosecurity_falco_rules_matches_total[1d]))',
  },
  {
    // One series per alert instance that fired at some point in the last day, counted per severity.
    record: 'security:alerts_fired_by_severity:count1d',
    expr: 'count by (severity) (max_over_time(ALERTS{alertstate="firing"}[1d]))',
  },
];

/**
 * Recording rules for the security dashboard's KPIs: Falco critical events
 * per day, Falco events per priority per day, and alerts fired per severity
 * per day. Recorded every 5 minutes: a one-day window does not need the
 * default 30 s evaluation.
 */
export class SecurityKpiRules extends Construct {
  /** The recorded series names. */
  public readonly recordNames: string[];

  constructor(scope: Construct, id: string, props: SecurityKpiRulesProps) {
    super(scope, id);
    const name = validateDnsLabel(this, 'name', props.name ?? 'security-kpis');
    const namespace = validateDnsLabel(this, 'namespace', props.namespace);
    const labels = validateLabels(this, 'labels', props.labels ?? {});
    const selector = props.prometheusSelector ?? PrometheusSelector.none();
    this.recordNames = KPIS.map((k) => k.record);
    new PrometheusRule(this, 'rule', {
      metadata: { name, namespace, labels: { ...labels, ...selector.ruleLabels } },
      spec: {
        groups: [{
          name: 'security-kpis',
          interval: '5m',
          rules: KPIS.map((k) => ({
            record: k.record,
            expr: PrometheusRuleSpecGroupsRulesExpr.fromString(validateKpiQuery(this, k.record, k.expr)),
          })),
        }],
      },
    });
  }
}

/**
 * Guards the KPI expressions until the shared PromQL validator lands.
 * TODO: PromQL.validate — replace this with the shared PromQL validator.
 */
function validateKpiQuery(scope: Construct, record: string, expr: string): string {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  let quoted = false;
  for (const ch of expr) {
    if (ch === '"') quoted = !quoted;
    else if (quoted) continue;
    else if ('([{'.includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) stack.push('unbalanced');
  }
  if (expr.trim() === '' || quoted || stack.length > 0) {
    throw validationError(scope, `KPI "${record}" is not a well-formed PromQL expression`, expr, 'balance its brackets and quotes');
  }
  return expr;
}
