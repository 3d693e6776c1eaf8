import { Construct } from 'constructs';
import { AlertOverride, AlertTuningChange } from './alert-override';
import { optionalArgument, requiredArgument } from '../common/arguments';
import { PrometheusSelector } from '../common/prometheus-selector';
import { validateDnsLabel, validateDnsSubdomain } from '../common/validation';
import { FalcoRuleset } from '../falco/default-rules';
import { apiServerAlerts } from './catalogue/api-server';
import { FALCO_RECORDING_RULES, falcoAlerts } from './catalogue/falco';
import { CatalogueAlert } from './catalogue/helpers';
import { AGENT_INVENTORY_RECORD, pipelineAlerts } from './catalogue/pipeline';
import { CatalogueTuning } from './catalogue/tuning';
import { workloadAlerts } from './catalogue/workloads';
import { PrometheusRuleGroup } from './rule-group';
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
   * Pipeline health: Watchdog, agent DaemonSets not running on every node
   * (kube-state-metrics, for the DaemonSets given to `watchAgent`), Fluent Bit
   * and Filebeat output errors, retries and drops, Alertmanager notification
   * failures.
   * @default true
   */
  readonly pipeline?: boolean;

  /**
   * Alerts of the catalogue not to ship, by name (e.g. `ContainerImageLatestTag`).
   * Their promtool tests go with them. Listed in `SecurityMonitoringStack.describe()`.
   * @default []
   */
  readonly disabledAlerts?: string[];

  /**
   * Changes to single alerts of the catalogue, by alert name: threshold,
   * `for`, `keepFiringFor`, severity, labels, annotations. The promtool unit
   * tests follow them; the changes are listed in `SecurityMonitoringStack.describe()`.
   * @default {}
   */
  readonly alertOverrides?: { [alert: string]: AlertOverride };

  /**
   * Where your runbooks live: each alert's `runbook_url` is this base
   * followed by the alert name in lower case, e.g.
   * `https://runbooks.example.com/security/` gives
   * `https://runbooks.example.com/security/falcodown`.
   * @default - this project's runbooks page, one anchor per alert
   */
  readonly runbookUrlBase?: string;
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

  /**
   * Labels every alert of the catalogue carries, e.g. `{ team: 'security' }`,
   * next to the stack's own (the cluster identity, routing labels), which
   * win on a clash.
   * @default {}
   */
  readonly ruleLabels?: { [key: string]: string };
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
  private readonly tuning: CatalogueTuning;
  /** The group `SecurityAgentUnavailable` is in, when the catalogue ships it. */
  private agentGroup?: PrometheusRuleGroup;
  private readonly watchedAgents = new Set<string>();

  constructor(scope: Construct, id: string, props: SecurityAlertsProps = {}) {
    super(scope, id, props);
    props = optionalArgument(this, 'props', props) ?? {};
    const falcoRulesets = props.falcoRulesets ?? [FalcoRuleset.STABLE];
    this.tuning = new CatalogueTuning(this.node.path, props, [...apiServerAlerts(), ...falcoAlerts([]), ...workloadAlerts(), ...pipelineAlerts()]);
    const groups: Array<[boolean | undefined, string, CatalogueAlert[]]> = [
      [props.apiServer, 'security.apiserver', apiServerAlerts()],
      [props.falco, 'security.falco', falcoAlerts(falcoRulesets)],
      [props.workloads, 'security.workloads', workloadAlerts()],
      [props.pipeline, 'security.pipeline', pipelineAlerts()],
    ];
    for (const [enabled, name, alerts] of groups) {
      // A group whose every alert is disabled is left out, with its recording rules.
      if (!(enabled ?? true) || this.tuning.allDisabled(alerts)) {
        if (enabled ?? true) this.tuning.addTo(undefined, alerts);
        continue;
      }
      const added = this.addGroup({ name })._addBuiltIn((group) => {
        if (name === 'security.falco') FALCO_RECORDING_RULES.forEach((rule) => group.addRecordingRule(rule));
        this.tuning.addTo(group, alerts);
      });
      if (added._alertExpressions().some((a) => a.alert === 'SecurityAgentUnavailable')) this.agentGroup = added;
    }
  }

  /**
   * Watches an agent DaemonSet (a detector or log shipper that must run on
   * every node): `SecurityAgentUnavailable` fires when one of the nodes it
   * targets has no available pod of it, or it targets none, as
   * kube-state-metrics reports. A `SecurityMonitoringStack` watches its own
   * (Falco, Fluent Bit, Filebeat added with `addFilebeatPipeline`). Adds a
   * recording rule (`security:agent_daemonset:info`) naming the DaemonSet; does
   * nothing when the catalogue does not ship the alert.
   * @param namespace namespace of the DaemonSet
   * @param name name of the DaemonSet
   */
  public watchAgent(namespace: string, name: string): void {
    namespace = validateDnsLabel(this, 'watchAgent namespace', requiredArgument(this, 'namespace', namespace, 'the DaemonSet\'s namespace'));
    name = validateDnsSubdomain(this, 'watchAgent name', requiredArgument(this, 'name', name, 'the DaemonSet\'s name'));
    const key = `${namespace}/${name}`;
    if (!this.agentGroup || this.watchedAgents.has(key)) return;
    this.watchedAgents.add(key);
    this.agentGroup._addBuiltIn((group) => group.addRecordingRule({ record: AGENT_INVENTORY_RECORD, expr: 'vector(1)', labels: { namespace, daemonset: name } }));
  }

  /**
   * What `disabledAlerts` and `alertOverrides` changed in the alerts this
   * catalogue ships, with the catalogue's value and the one in effect.
   */
  public get tuningChanges(): AlertTuningChange[] {
    return this.tuning.changes;
  }
}
