import { Construct } from 'constructs';
import { optionalArgument } from '../common/arguments';
import { PrometheusSelector } from '../common/prometheus-selector';
import { FalcoRuleset } from '../falco/default-rules';
import { addApiServerAlerts } from './catalogue/api-server';
import { addFalcoAlerts } from './catalogue/falco';
import { addPipelineAlerts } from './catalogue/pipeline';
import { addWorkloadAlerts } from './catalogue/workloads';
import { SecurityPrometheusRule, SecurityPrometheusRuleProps } from './security-prometheus-rule';

/** Which groups of the security alert catalogue to ship. */
export interface SecurityAlertGroupsProps {
  /**
   * API server: authentication failures, 401/403 spikes, authorization denials.
   * @default true
   */
  readonly apiServer?: boolean;

  /**
   * Falco: CRITICAL+ events, event bursts by priority, shells and privileged
   * containers, Falco down or dropping events. Needs Falco's metrics endpoint
   * (`metrics.enabled`, `rules_counters_enabled`) scraped by Prometheus.
   * @default true
   */
  readonly falco?: boolean;

  /**
   * The upstream Falco rulesets the watched Falco loads: the Falco alerts
   * watch only rules of these (an alert on a rule Falco does not load could
   * never fire). In a `SecurityMonitoringStack`, those of the stack's Falco.
   * @default [FalcoRuleset.STABLE]
   */
  readonly falcoRulesets?: FalcoRuleset[];

  /**
   * Workload posture from kube-state-metrics: host-network pods, `:latest`
   * images, restarting kube-system containers.
   * @default true
   */
  readonly workloads?: boolean;

  /**
   * Pipeline health: Watchdog, Fluent Bit output errors, retries and drops,
   * Alertmanager notification failures.
   * @default true
   */
  readonly pipeline?: boolean;
}

/** The alert options of a `SecurityMonitoringStack`. */
export interface SecurityAlertsOptions extends SecurityAlertGroupsProps {
  /**
   * Whether the stack ships the security alert catalogue.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Labels the Prometheus Operator's `ruleSelector` looks for, e.g.
   * `PrometheusSelector.kubePrometheusStack('kube-prometheus-stack')`.
   * @default PrometheusSelector.none()
   */
  readonly selector?: PrometheusSelector;
}

/** Properties of `SecurityAlerts`. */
export interface SecurityAlertsProps extends SecurityPrometheusRuleProps, SecurityAlertGroupsProps {}

/**
 * The security alert catalogue: a `SecurityPrometheusRule` with one group per
 * signal source, each alert on real metrics, with severity, summary,
 * description, runbook URL and promtool tests that show it firing and staying
 * silent on normal data. More rules can be added like on any
 * `SecurityPrometheusRule`, and are validated like there; the catalogue's own
 * expressions are checked by this library's tests (with promtool) instead of
 * on every synth.
 */
export class SecurityAlerts extends SecurityPrometheusRule {
  constructor(scope: Construct, id: string, props: SecurityAlertsProps = {}) {
    super(scope, id, props);
    props = optionalArgument(this, 'props', props) ?? {};
    if (props.apiServer ?? true) this.addGroup({ name: 'security.apiserver' })._addBuiltIn(addApiServerAlerts);
    const falcoRulesets = props.falcoRulesets ?? [FalcoRuleset.STABLE];
    if (props.falco ?? true) this.addGroup({ name: 'security.falco' })._addBuiltIn((group) => addFalcoAlerts(group, falcoRulesets));
    if (props.workloads ?? true) this.addGroup({ name: 'security.workloads' })._addBuiltIn(addWorkloadAlerts);
    if (props.pipeline ?? true) this.addGroup({ name: 'security.pipeline' })._addBuiltIn(addPipelineAlerts);
  }
}
