import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { describeStack } from './describe';
import { PrometheusIntegration } from './prometheus-integration';
import { addResponseAndCompliance, falcosidekickWithTalon, SecurityMonitoringComplianceOptions, SecurityMonitoringResponseOptions } from './response-compliance';
import { unloadedFalcoRuleErrors } from './watched-falco-rules';
import { AlertingOutput } from '../alerting/output';
import { PagerDutyAlerting, PagerDutyAlertingProps } from '../alerting/pagerduty-alerting';
import { AnomalyDetectionOptions } from '../anomaly/anomaly-detection-options';
import { AnomalyDetector } from '../anomaly/anomaly-detector';
import { ApiServerAudit, ApiServerAuditOptions, AuditBlindSpot, AuditPolicy } from '../audit';
import { findAuditBlindSpots } from '../audit/falco-blind-spots';
import { constructScope, optionalArgument, requiredArgument } from '../common/arguments';
import { CLUSTER_LABEL, ClusterIdentity, clusterIdentityLabels } from '../common/cluster-identity';
import { clusterScoped, clusterScopedObjects } from '../common/cluster-scoped';
import { PodSecurityLevel } from '../common/pod-security';
import { PrometheusSelector } from '../common/prometheus-selector';
import { validateDnsLabel, validateDnsSubdomain, validateLabels, validationError, validationMessage } from '../common/validation';
import { KubeBenchCronJob } from '../compliance/kube-bench';
import { SecurityKpiRules } from '../compliance/security-kpi-rules';
import { SecurityDashboard, SecurityDashboardOptions } from '../dashboards/security-dashboard';
import { FalcoDeployment, FalcoOptions } from '../falco/falco-deployment';
import { FalcoPlugin } from '../falco/plugin';
import { FalcoWorkload, FalcoWorkloadKind } from '../falco/workload';
import { SecurityAlerts, SecurityAlertsOptions } from '../prometheus/security-alerts';
import { validateRuleLabels } from '../prometheus/security-prometheus-rule';
import { DaemonSetHealthCheck, DaemonSetReference } from '../response/daemonset-health-check';
import { FalcoTalon } from '../response/falco-talon';
import { KuberhealthyCheck, KuberhealthyCheckProps } from '../response/kuberhealthy-check';
import { QuarantineNetworkPolicy } from '../response/quarantine-network-policy';
import { SiemAgentContextProps } from '../siem/agent-context';
import { FilebeatPipeline, FilebeatPipelineProps } from '../siem/filebeat-pipeline';
import { SiemPipeline, SiemPipelineProps } from '../siem/siem-pipeline';
import { SiemSource } from '../siem/source';

/** The value of `app.kubernetes.io/managed-by` on every object the library creates. */
const MANAGED_BY = 'cdk8s-security-monitoring';

/** Namespaces every cluster has and other workloads use: the stack never creates or labels them. */
const SHARED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Properties of a `SecurityMonitoringStack`.
 */
export interface SecurityMonitoringStackProps {
  /**
   * Name of this installation. It is the value of the `app.kubernetes.io/part-of`
   * label on every object, so two stacks in one cluster stay apart.
   *
   * Must be a DNS-1123 label.
   *
   * @default 'security-monitoring'
   */
  readonly name?: string;

  /**
   * Namespace for the stack's unprivileged components (alerting rules, log
   * shipping configuration, dashboards). It enforces the `restricted` Pod
   * Security Standard.
   *
   * @default 'security-monitoring'
   */
  readonly namespace?: string;

  /**
   * Namespace for the Falco agent. Falco loads eBPF programs and reads host
   * state, which only the `privileged` Pod Security Standard allows; keeping it
   * in its own namespace lets every other namespace stay `restricted`.
   *
   * @default 'falco'
   */
  readonly falcoNamespace?: string;

  /**
   * Whether the stack creates its namespaces. Turn this off when namespaces are
   * managed elsewhere; they must then carry the Pod Security labels themselves.
   *
   * @default true
   */
  readonly createNamespaces?: boolean;

  /**
   * Kubernetes minor version whose Pod Security Standards apply
   * (`pod-security.kubernetes.io/enforce-version`), e.g. `v1.30`.
   *
   * @default 'latest'
   */
  readonly podSecurityVersion?: string;

  /**
   * Extra labels for every object the stack creates, e.g. `{ team: 'security' }`.
   *
   * @default - only the standard `app.kubernetes.io/*` labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * The cluster this stack runs in. Every signal names it: each alert rule
   * carries a `cluster` label (and the identity labels), which the PagerDuty
   * summary and details show and by which alerts are grouped and inhibited;
   * each Falco event has it in its output fields; each record the SIEM
   * pipeline ships has it as a field; the anomaly detector's series carry it;
   * the dashboard gets a cluster variable and filters on it.
   *
   * @default - signals do not name their cluster
   */
  readonly cluster?: ClusterIdentity;

  /**
   * Routing of the stack's alerts: critical to PagerDuty, warning to an
   * optional second receiver, info nowhere. The namespace defaults to the
   * stack's.
   *
   * @default - no alert routing
   */
  readonly alerting?: PagerDutyAlertingProps;

  /**
   * The Kubernetes audit policy and its API server wiring.
   *
   * @default - the production preset with default wiring
   */
  readonly auditPolicy?: SecurityMonitoringAuditOptions;

  /**
   * Falco runtime detection (driver, rules, falcosidekick, ...).
   *
   * @default - Falco with the `FalcoDeployment` defaults
   */
  readonly falco?: SecurityMonitoringFalcoOptions;

  /**
   * Ship security logs to a SIEM: container logs, the API server audit log and
   * Falco events by default, with Fluent Bit in its own privileged namespace.
   *
   * @default - no log shipping
   */
  readonly siem?: SiemPipelineProps;

  /**
   * Machine-learning anomaly detection on the stack's metrics: an
   * IsolationForest detector in the stack's namespace (see `AnomalyDetector`).
   *
   * @default - no anomaly detection
   */
  readonly anomalyDetection?: AnomalyDetectionOptions;

  /**
   * The security alert catalogue (a PrometheusRule in `namespace`): which
   * groups to ship and the labels that make Prometheus load it.
   *
   * @default - every group, no selector labels
   */
  readonly alerts?: SecurityAlertsOptions;

  /**
   * How the cluster's Prometheus loads the stack's rules and scrapes its
   * metrics, applied to every PrometheusRule, ServiceMonitor and alert routing
   * object the stack creates (Falco's and Fluent Bit's ServiceMonitors, the
   * alert catalogue, the anomaly detector, the PagerDuty routing).
   *
   * A component's own setting wins over it, so that one component can target
   * another Prometheus: `falco.prometheusSelector`, `siem.serviceMonitor`,
   * `anomalyDetection.prometheusSelector`, `alerts.selector` (which then also
   * renders a PrometheusRule under `plainPrometheus()`) and `alerting.output`.
   *
   * @default PrometheusIntegration.prometheusOperator(PrometheusSelector.none())
   */
  readonly prometheus?: PrometheusIntegration;

  /**
   * The "Kubernetes Security Overview" Grafana dashboard, in `namespace`.
   *
   * @default - the dashboard as a ConfigMap for the Grafana sidecar
   */
  readonly dashboard?: SecurityMonitoringDashboardOptions;

  /**
   * Automated response: Falco Talon containment, quarantine NetworkPolicies,
   * Kuberhealthy checks of the stack's agents. Giving it turns them on.
   * @default - none
   */
  readonly response?: SecurityMonitoringResponseOptions;

  /**
   * Compliance: scheduled kube-bench scans and KPI recording rules. Giving it
   * turns them on.
   * @default - none
   */
  readonly compliance?: SecurityMonitoringComplianceOptions;
}

/**
 * Dashboard options of a `SecurityMonitoringStack`.
 */
export interface SecurityMonitoringDashboardOptions extends SecurityDashboardOptions {
  /**
   * Whether the stack renders the dashboard.
   * @default true
   */
  readonly enabled?: boolean;
}

/**
 * Audit policy options of a `SecurityMonitoringStack`.
 */
export interface SecurityMonitoringAuditOptions extends ApiServerAuditOptions {
  /**
   * Whether the stack renders an audit policy.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The policy, e.g. `AuditPolicy.cisMinimal()` or `AuditPolicy.fromYaml(...)`.
   * @default AuditPolicy.production()
   */
  readonly policy?: AuditPolicy;
}

/**
 * Falco options of a `SecurityMonitoringStack`.
 */
export interface SecurityMonitoringFalcoOptions extends FalcoOptions {
  /**
   * Whether the stack deploys Falco (in `falcoNamespace`).
   * @default true
   */
  readonly enabled?: boolean;
}

/**
 * The complete security monitoring stack: add it to any cdk8s `Chart`.
 *
 * It owns the namespaces its components run in and the labels they carry;
 * each component (Falco, audit policy, alerts, SIEM shipping, alerting) is
 * added as a child and reads them from here.
 *
 * @example
 * const chart = new Chart(app, 'security');
 * new SecurityMonitoringStack(chart, 'stack', { namespace: 'security' });
 */
/** The props of the stack's components that take a URL, and their Secret-based alternatives. */
const SECRET_ALTERNATIVES = { prometheusUrl: 'prometheusUrlSecret' };

export class SecurityMonitoringStack extends Construct {
  /**
   * The stack that `construct` belongs to.
   * @throws if `construct` is not inside a `SecurityMonitoringStack`
   */
  public static of(construct: IConstruct): SecurityMonitoringStack {
    construct = requiredArgument('SecurityMonitoringStack.of', 'construct', construct, 'a construct inside a SecurityMonitoringStack');
    const stack = construct.node.scopes.reverse().find((s): s is SecurityMonitoringStack => s instanceof SecurityMonitoringStack);
    if (!stack) {
      throw validationError(construct, 'construct is not part of a SecurityMonitoringStack', construct.node.path,
        'create it inside a SecurityMonitoringStack, or pass the namespace and labels explicitly');
    }
    return stack;
  }

  /** Name of this installation (the `app.kubernetes.io/part-of` label). */
  public readonly name: string;

  /** Namespace of the unprivileged components (`restricted` Pod Security Standard). */
  public readonly namespace: string;

  /** Namespace of the Falco agent (`privileged` Pod Security Standard). */
  public readonly falcoNamespace: string;

  /** Labels every object of the stack carries. */
  public readonly commonLabels: { [key: string]: string };

  /**
   * The labels that name the cluster (`cluster` and the identity labels), set
   * on every signal the stack emits; empty without `cluster`.
   */
  public readonly clusterLabels: { [key: string]: string };
  private readonly clusterIdentity?: ClusterIdentity;

  /** Alert routing to PagerDuty, if `alerting` was given. */
  public readonly alerting?: PagerDutyAlerting;

  /**
   * The audit policy, its ConfigMap copy and the control-plane snippets.
   * @default - none when `auditPolicy.enabled` is false
   */
  public readonly auditPolicy?: ApiServerAudit;

  /** The Falco agent, or undefined when `falco.enabled` is false. */
  public readonly falco?: FalcoDeployment;

  /**
   * The plugin-only Falco (a Deployment with the k8saudit plugin) receiving the
   * audit webhook, when `auditPolicy.falcoWebhook` is set and the stack's Falco
   * does not load the k8saudit plugin itself.
   */
  public readonly falcoAuditReceiver?: FalcoDeployment;

  /** The log shipping pipeline, if `siem` was given. */
  public readonly siem?: SiemPipeline;

  /** The anomaly detector, if `anomalyDetection` is set. */
  public readonly anomalyDetector?: AnomalyDetector;

  /** The security alert catalogue; undefined when `alerts.enabled` is false. */
  public readonly alerts?: SecurityAlerts;

  /** How Prometheus loads the stack's rules and scrapes its metrics. */
  public readonly prometheus: PrometheusIntegration;

  /** The security overview dashboard; undefined when `dashboard.enabled` is false. */
  public readonly dashboard?: SecurityDashboard;

  /** Falco Talon, when `response` enables it. */
  public readonly talon?: FalcoTalon;

  /** The kube-bench scan, when `compliance` is enabled. */
  public readonly kubeBench?: KubeBenchCronJob;

  /**
   * The Kuberhealthy check that every agent DaemonSet of the stack (Falco,
   * Fluent Bit, a Filebeat added with `addFilebeatPipeline`) runs on every
   * node, when `response.kuberhealthy` is set.
   */
  public readonly healthCheck?: DaemonSetHealthCheck;

  /** The NetworkPolicies isolating quarantined pods, when `response.quarantineNamespaces` is set. */
  public readonly quarantine?: QuarantineNetworkPolicy;

  /** The compliance KPI recording rules, when `compliance` records them (`compliance.kpiRules`). */
  public readonly kpiRules?: SecurityKpiRules;

  private readonly createNamespaces: boolean;
  private readonly podSecurityVersion: string;
  private readonly namespaceLevels = new Map<string, PodSecurityLevel>();
  private readonly namespaceObjects = new Map<string, ApiObject>();
  private readonly warningList: string[] = [];
  private readonly addedAgents: DaemonSetReference[] = [];
  /** `alerts.ruleLabels`: the user's labels for every alert, under the stack's own. */
  private readonly userRuleLabels: { [key: string]: string };

  constructor(scope: Construct, id: string, props: SecurityMonitoringStackProps = {}) {
    super(constructScope('SecurityMonitoringStack', scope, id), id);
    // A credential typed into a URL field is refused with the field's Secret-based alternative.
    props = optionalArgument(this, 'props', props, { secretAlternatives: SECRET_ALTERNATIVES }) ?? {};

    this.name = validateDnsLabel(this, 'name', props.name ?? 'security-monitoring');
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? 'security-monitoring');
    this.falcoNamespace = validateDnsLabel(this, 'falcoNamespace', props.falcoNamespace ?? 'falco');
    this.createNamespaces = props.createNamespaces ?? true;
    this.podSecurityVersion = props.podSecurityVersion ?? 'latest';
    this.validateNamespaceSettings();

    this.clusterLabels = props.cluster === undefined ? {} : clusterIdentityLabels(this, props.cluster);
    this.userRuleLabels = validateRuleLabels(`${this.node.path}: alerts`, props.alerts?.ruleLabels ?? {});
    this.clusterIdentity = props.cluster;
    this.commonLabels = {
      ...validateLabels(this, 'labels', props.labels ?? {}),
      'app.kubernetes.io/part-of': this.name,
      'app.kubernetes.io/managed-by': MANAGED_BY,
    };

    this.addNamespace(this.namespace, PodSecurityLevel.RESTRICTED);
    this.addNamespace(this.falcoNamespace, PodSecurityLevel.PRIVILEGED);
    this.node.addValidation({ validate: () => this.clusterScopedCollisions() });
    this.prometheus = props.prometheus ?? PrometheusIntegration.prometheusOperator(PrometheusSelector.none());

    // Each component reads what the ones before it decided (Falco's metrics, the SIEM's namespace, ...).
    this.alerting = this.addAlerting(props.alerting);
    this.auditPolicy = this.addAuditPolicy(props.auditPolicy);
    this.falco = this.addFalco(props);
    this.falcoAuditReceiver = this.addAuditReceiver(props);
    this.siem = this.addSiem(props.siem);
    this.anomalyDetector = this.addAnomalyDetector(props.anomalyDetection);
    this.alerts = this.addAlerts(props.alerts);
    this.dashboard = this.addDashboard(props.dashboard, props.cluster);
    ({ talon: this.talon, kubeBench: this.kubeBench, healthCheck: this.healthCheck, quarantine: this.quarantine, kpiRules: this.kpiRules } =
      addResponseAndCompliance(this, props.response, props.compliance));
    this.addSynthChecks();
  }

  private validateNamespaceSettings(): void {
    if (!/^(latest|v1\.\d+)$/.test(this.podSecurityVersion)) {
      throw validationError(this, 'podSecurityVersion is not a Kubernetes minor version', this.podSecurityVersion,
        'use "latest" or a version such as "v1.30"');
    }
    if (this.falcoNamespace === this.namespace) {
      throw validationError(this, 'falcoNamespace must differ from namespace', this.falcoNamespace,
        `Falco needs a privileged namespace and the stack's namespace is restricted: pick another falcoNamespace than "${this.namespace}"`);
    }
  }

  private addAlerting(alerting: PagerDutyAlertingProps | undefined): PagerDutyAlerting | undefined {
    if (!alerting) return undefined;
    return new PagerDutyAlerting(this, 'alerting', {
      ...alerting,
      namespace: alerting.namespace ?? this.namespace,
      labels: { ...alerting.labels, ...this.labelsFor('alerting') },
      identityLabels: alerting.identityLabels ?? Object.keys(this.clusterLabels),
      output: alerting.output ?? (this.prometheus.usesOperator ? undefined : AlertingOutput.configSecret()),
    });
  }

  private addAuditPolicy(auditPolicy: SecurityMonitoringAuditOptions | undefined): ApiServerAudit | undefined {
    if (!(auditPolicy?.enabled ?? true)) return undefined;
    return new ApiServerAudit(this, 'audit-policy', {
      ...auditPolicy,
      namespace: this.namespace,
      labels: this.labelsFor('audit-policy'),
    });
  }

  private addFalco(props: SecurityMonitoringStackProps): FalcoDeployment | undefined {
    const falco = props.falco;
    if (!(falco?.enabled ?? true)) return undefined;
    const metrics = falco?.metrics ?? true;
    return new FalcoDeployment(this, 'falco', {
      ...falco,
      // Without metrics there is nothing to scrape; FalcoDeployment rejects a selector then.
      prometheusSelector: falco?.prometheusSelector ?? (metrics ? this.prometheus.selector : undefined),
      falcosidekick: falcosidekickWithTalon(this, props.response, falco?.falcosidekick),
      // falcosidekick needs no privilege: keep it out of Falco's privileged namespace.
      falcosidekickNamespace: falco?.falcosidekickNamespace ?? this.namespace,
      extraOutputFields: { ...falco?.extraOutputFields, ...this.clusterLabels },
      namespace: this.falcoNamespace,
      labels: this.labelsFor('falco'),
    });
  }

  private addSiem(siem: SiemPipelineProps | undefined): SiemPipeline | undefined {
    if (!siem) return undefined;
    const sources = siem.sources ?? this.securityLogSources();
    if (siem.sources === undefined && this.falco && !this.falco.jsonOutput) {
      throw validationError(this, 'the SIEM pipeline ships Falco events, which it parses as JSON, but falco.jsonOutput is false', false,
        'drop falco.jsonOutput: false, or pass siem.sources without SiemSource.falcoEvents()');
    }
    const pipeline = new SiemPipeline(this, 'siem', {
      ...siem,
      ...this.siemAgentContext(siem, 'fluent-bit'),
      sources,
      serviceMonitor: siem.serviceMonitor ?? this.prometheus.selector,
    });
    this.addSiemAgentNamespace(pipeline.namespace);
    return pipeline;
  }

  private addAnomalyDetector(anomalyDetection: AnomalyDetectionOptions | undefined): AnomalyDetector | undefined {
    if (!anomalyDetection) return undefined;
    const selector = anomalyDetection.prometheusSelector ?? this.prometheus.selector;
    if (selector === undefined) {
      throw validationError(this, 'anomalyDetection needs the Prometheus Operator (its ServiceMonitor and PrometheusRule), but prometheus is plainPrometheus()',
        this.prometheus.displayName, 'use an operator-based prometheus integration, set anomalyDetection.prometheusSelector, or leave anomalyDetection out');
    }
    return new AnomalyDetector(this, 'anomaly-detector', {
      ...anomalyDetection,
      prometheusSelector: selector,
      seriesLabels: this.clusterLabels,
      ruleLabels: this.ruleLabels,
      namespace: this.namespace,
      labels: this.labelsFor('anomaly-detector'),
    });
  }

  private addAlerts(options: SecurityAlertsOptions | undefined): SecurityAlerts | undefined {
    // Falco's alerts read Falco's metrics: ship them when this stack produces those metrics.
    const falcoMetrics = this.falco?.metricsServiceName !== undefined;
    const { enabled = true, falco: falcoAlerts = falcoMetrics, selector, ...alerts } = options ?? {};
    if (!enabled) return undefined;
    if (falcoAlerts && !falcoMetrics) {
      this.warningList.push(`${this.node.path}: alerts.falco is on, but this stack exposes no Falco metrics (Falco disabled or falco.metrics false): `
        + 'the Falco alerts only work if a Falco outside this stack is scraped; otherwise set alerts.falco to false');
    }
    const catalogue = new SecurityAlerts(this, 'alerts', {
      ...alerts,
      falco: falcoAlerts,
      falcoRulesets: alerts.falcoRulesets ?? this.falco?.rulesets,
      selector: selector ?? this.prometheus.selector,
      ruleFileConfigMap: selector === undefined && !this.prometheus.usesOperator,
      ruleLabels: this.ruleLabels,
      name: `${this.name}-security-alerts`,
      namespace: this.namespace,
      labels: this.labelsFor('alerts'),
    });
    // SecurityAgentUnavailable watches the stack's agents; addFilebeatPipeline adds its own later.
    this.agentDaemonSets.forEach((ds) => catalogue.watchAgent(ds.namespace, ds.name));
    return catalogue;
  }

  private addDashboard(options: SecurityMonitoringDashboardOptions | undefined, cluster: ClusterIdentity | undefined): SecurityDashboard | undefined {
    const { enabled = true, ...dashboard } = options ?? {};
    if (!enabled) return undefined;
    return new SecurityDashboard(this, 'dashboard', {
      name: `${this.name}-security-overview`,
      ...dashboard,
      namespace: this.namespace,
      labels: this.labelsFor('dashboard'),
      falcoNamespace: this.falcoNamespace,
      logShippingNamespace: this.siem?.namespace,
      clusterLabel: cluster === undefined ? undefined : CLUSTER_LABEL,
    });
  }

  /** Checks of what may still change after construction: rules added to the catalogue and to Falco. */
  private addSynthChecks(): void {
    const falcos = [this.falco, this.falcoAuditReceiver].filter((f): f is FalcoDeployment => f !== undefined);
    this.node.addValidation({ validate: () => (this.alerts ? unloadedFalcoRuleErrors(this.alerts, falcos) : []) });
    // Reported at synth as warnings, like the audit policy linter's: the policy may be
    // deliberate (secrets stay at Metadata), but the rule is then blind.
    let reported = false;
    this.node.addValidation({
      validate: () => {
        if (!reported) this.auditBlindSpots.forEach((spot) => this.node.addMetadata('warning', `${this.node.path}: ${spot.message}`));
        reported = true;
        return [];
      },
    });
  }

  /**
   * The Falco `k8s_audit` rules this stack loads (the k8saudit ruleset and the
   * custom ones) that cannot fire on some requests because the audit policy
   * logs them without the body the rule reads: asked of the policy for an
   * ordinary user in the `default` namespace. Empty without an audit policy or
   * without the k8saudit plugin. Also listed in `warnings`.
   */
  public get auditBlindSpots(): AuditBlindSpot[] {
    const policy = this.auditPolicy?.policy;
    if (!policy) return [];
    const falcos = [this.falco, this.falcoAuditReceiver].filter((f): f is FalcoDeployment => f !== undefined);
    return findAuditBlindSpots(policy, falcos.flatMap((f) => f._auditBodyNeeds()));
  }

  /**
   * Two stacks of one app that create the same cluster-scoped object would
   * take it from each other on apply: reported by the stack created later.
   */
  private clusterScopedCollisions(): string[] {
    const stacks = this.node.root.node.findAll().filter((c): c is SecurityMonitoringStack => c instanceof SecurityMonitoringStack);
    const earlier = stacks.slice(0, stacks.indexOf(this));
    if (earlier.length === 0) return [];
    const key = (o: ApiObject) => `${o.kind}/${o.name}`;
    const owners = new Map(earlier.flatMap((stack) => clusterScopedObjects(stack).map((o) => [key(o), stack] as const)));
    return clusterScopedObjects(this).filter((o) => owners.has(key(o))).map((o) => validationMessage(this,
      `${o.kind} "${o.name}" is also created by the stack at ${owners.get(key(o))!.node.path}, so each apply would take it from the other`, o.name,
      o.kind === 'Namespace'
        ? 'give each stack namespaces of its own, or set createNamespaces: false on all but one stack'
        : 'give each SecurityMonitoringStack in a cluster its own name'));
  }

  /**
   * Without a receiver the API server would post audit events to a Service that
   * does not exist: deploy the chart's plugin-only k8saudit Falco next to it.
   * It needs no privilege, so its namespace may be restricted.
   */
  private addAuditReceiver(props: SecurityMonitoringStackProps): FalcoDeployment | undefined {
    const webhook = props.auditPolicy?.falcoWebhook;
    if (!this.auditPolicy || !webhook || !this.falco) return undefined;
    if (this.falco.plugins.some((p) => p.serviceName === webhook.serviceName && p.serviceNamespace === webhook.namespace)) return undefined;
    if (!this.namespaceLevels.has(webhook.namespace)) this.addNamespace(webhook.namespace, PodSecurityLevel.RESTRICTED);
    const metrics = props.falco?.metrics ?? true;
    return new FalcoDeployment(this, 'falco-k8saudit', {
      name: `${this.falco.name}-k8saudit`,
      namespace: webhook.namespace,
      labels: this.labelsFor('falco'),
      workload: FalcoWorkload.deployment(),
      plugins: [FalcoPlugin.k8sAudit({ webhook })],
      image: props.falco?.image,
      priority: props.falco?.priority,
      jsonOutput: this.falco.jsonOutput,
      extraOutputFields: { ...props.falco?.extraOutputFields, ...this.clusterLabels },
      metrics,
      prometheusSelector: props.falco?.prometheusSelector ?? (metrics ? this.prometheus.selector : undefined),
      // Audit detections reach the same outputs (PagerDuty, Talon, ...) as syscall ones.
      forwardTo: this.falco.falcosidekick,
    });
  }

  /**
   * Adds a Filebeat pipeline wired to this stack, as the stack wires its own
   * Fluent Bit pipeline: the stack's labels and cluster-scoped names, its
   * Falco namespace and audit event size, its `cluster` on every record, its
   * namespace declared `privileged` (Filebeat reads the host's logs), its
   * metrics scraped as the stack's `prometheus` says (for the catalogue's
   * Filebeat alerts), and its DaemonSet watched by the stack's health check
   * and `SecurityAgentUnavailable`.
   * Pass `sources: stack.securityLogSources()` to ship what the stack's own
   * pipeline would. A `FilebeatPipeline` built directly gets none of this
   * unless its props say so.
   */
  public addFilebeatPipeline(id: string, props: FilebeatPipelineProps): FilebeatPipeline {
    props = requiredArgument(this, 'props', props, '{ elasticsearch: { host: "elasticsearch.example.com" } }');
    const filebeat = new FilebeatPipeline(this, id, {
      ...props,
      ...this.siemAgentContext(props, 'filebeat'),
      // Its metrics feed the catalogue's Filebeat alerts: scraped like Fluent Bit's.
      serviceMonitor: props.serviceMonitor ?? (props.metrics === false ? undefined : this.prometheus.selector),
    });
    this.addSiemAgentNamespace(filebeat.namespace);
    this.addAgentDaemonSet({ namespace: filebeat.namespace, name: filebeat.name });
    return filebeat;
  }

  /**
   * The agent DaemonSets this stack runs (Falco, the SIEM pipeline's Fluent
   * Bit, Filebeat pipelines added with `addFilebeatPipeline`), which its
   * health check and `SecurityAgentUnavailable` alert watch.
   */
  public get agentDaemonSets(): DaemonSetReference[] {
    // A Falco run as a Deployment (plugins only) is no node agent.
    const falco = this.falco?.workloadKind === FalcoWorkloadKind.DAEMON_SET ? this.falco : undefined;
    return [
      ...(falco ? [{ namespace: falco.namespace, name: falco.name }] : []),
      ...(this.siem ? [{ namespace: this.siem.namespace, name: this.siem.name }] : []),
      ...this.addedAgents,
    ];
  }

  /** An agent placed after construction: watched like the stack's own. */
  private addAgentDaemonSet(daemonSet: DaemonSetReference): void {
    this.addedAgents.push(daemonSet);
    this.healthCheck?.addDaemonSet(daemonSet);
    this.alerts?.watchAgent(daemonSet.namespace, daemonSet.name);
  }

  /**
   * Adds a Kuberhealthy check beside the stack's own checks: in the stack's
   * namespace (unless `props.namespace` says otherwise), with the stack's
   * labels and component `health-check` under `props.labels`.
   */
  public addHealthCheck(id: string, props: KuberhealthyCheckProps): KuberhealthyCheck {
    props = requiredArgument(this, 'props', props, '{ name, image }');
    return new KuberhealthyCheck(this, id, {
      ...props,
      namespace: props.namespace ?? this.namespace,
      labels: { ...this.labelsFor('health-check'), ...props.labels },
    });
  }

  /** What this stack tells a log shipping agent about its place; the agent's own props win. */
  private siemAgentContext(props: SiemAgentContextProps & { readonly name?: string }, defaultName: string): SiemAgentContextProps {
    return {
      labels: { ...props.labels, ...this.labelsFor('siem') },
      clusterRoleName: props.clusterRoleName ?? this.clusterScopedName(props.name ?? defaultName),
      falcoNamespace: props.falcoNamespace ?? this.falcoNamespace,
      auditMaxEventBytes: props.auditMaxEventBytes ?? this.auditPolicy?.maxEventBytes,
      cluster: props.cluster ?? this.clusterIdentity,
    };
  }

  /** A log shipping agent reads the host's logs through hostPath volumes, which only `privileged` allows. */
  private addSiemAgentNamespace(namespace: string): void {
    this.addNamespace(namespace, PodSecurityLevel.PRIVILEGED);
  }

  /**
   * What a log shipper inside this stack ships by default, wired to this
   * stack's parts: container logs, the audit log at the audit policy's
   * `logPath`, and the events of the Falco container this stack deploys. The
   * audit receiver's events (`falcoAuditReceiver`) ship with Falco's when it
   * runs in Falco's namespace, and as log type `falco_k8saudit` when it runs in
   * a namespace of its own. The stack's SIEM pipeline uses these sources unless
   * `siem.sources` is set; pass them to `addFilebeatPipeline` to get the same wiring.
   */
  public securityLogSources(): SiemSource[] {
    const receiver = this.falcoAuditReceiver;
    return [
      SiemSource.containerLogs(),
      SiemSource.auditLog({ path: this.auditPolicy?.logPath }),
      ...(this.falco ? [SiemSource.falcoEvents({ namespace: this.falco.namespace, containerName: this.falco.containerName })] : []),
      ...(receiver && receiver.namespace !== this.falco?.namespace
        ? [SiemSource.falcoEvents({ namespace: receiver.namespace, containerName: receiver.containerName, logType: 'falco_k8saudit' })]
        : []),
    ];
  }

  /**
   * Labels every alerting rule of the stack carries (the alert catalogue's and
   * the anomaly detector's), under each alert's own labels: the cluster
   * identity, the labels the alert routing needs to see the alerts
   * (`PagerDutyAlerting.routedAlertLabels`), and under them `alerts.ruleLabels`. One place for labels that belong
   * on every rule; pass them as `ruleLabels` to rules of your own.
   */
  public get ruleLabels(): { [key: string]: string } {
    return { ...this.userRuleLabels, ...this.clusterLabels, ...this.alerting?.routedAlertLabels };
  }

  /**
   * Wiring that is valid but probably not what was meant (e.g. Falco alerts
   * without Falco metrics), plus Falco's and the alert catalogue's warnings.
   */
  public get warnings(): string[] {
    return [...this.warningList, ...(this.falco?.warnings ?? []), ...(this.falcoAuditReceiver?.warnings ?? []), ...(this.alerts?.warnings ?? []),
      ...this.auditBlindSpots.map((spot) => `${this.node.path}: ${spot.message}`)];
  }

  /**
   * A readable summary of what will be deployed: components, namespaces and
   * their Pod Security levels, images, the privileges granted and why, alerts
   * by severity and who gets paged. Deterministic, for reviews and CI logs.
   */
  public describe(): string {
    return describeStack(this, [...this.namespaceLevels].sort(([a], [b]) => a.localeCompare(b)));
  }

  /**
   * Labels for the objects of one component: the common labels plus
   * `app.kubernetes.io/component`.
   */
  public labelsFor(component: string): { [key: string]: string } {
    component = requiredArgument(this, 'component', component, 'the component name, e.g. "falco"');
    return { ...this.commonLabels, 'app.kubernetes.io/component': component };
  }

  /**
   * The name of a cluster-scoped object (ClusterRole, ClusterRoleBinding) of
   * one component: `<stack name>-<component>`. Cluster-scoped names are shared
   * by every installation in the cluster, so they carry the stack's name.
   */
  public clusterScopedName(component: string): string {
    component = requiredArgument(this, 'component', component, 'the component name, e.g. "falco-talon"');
    return validateDnsSubdomain(this, 'cluster-scoped name', `${this.name}-${component}`);
  }

  /**
   * Metadata for a namespaced object of one component.
   */
  public metadataFor(component: string, name: string, namespace?: string): ApiObjectMetadata {
    component = requiredArgument(this, 'component', component, 'the component name, e.g. "falco"');
    name = requiredArgument(this, 'name', name, 'the object name');
    namespace = optionalArgument(this, 'namespace', namespace);
    return { name, namespace: namespace ?? this.namespace, labels: this.labelsFor(component) };
  }

  /**
   * Declares a namespace the stack's components run in, labelled with the Pod
   * Security Standard it enforces. Declaring the same namespace again with the
   * same level is a no-op; with another level it is an error, because one
   * namespace enforces one level.
   */
  public addNamespace(name: string, level: PodSecurityLevel): void {
    name = requiredArgument(this, 'name', name, 'the namespace name');
    level = requiredArgument(this, 'level', level, 'a PodSecurityLevel, e.g. PodSecurityLevel.RESTRICTED');
    validateDnsLabel(this, 'namespace name', name);
    const existing = this.namespaceLevels.get(name);
    if (existing === level) return;
    if (existing !== undefined) {
      throw validationError(this, `namespace "${name}" is already declared with Pod Security level "${existing}"`, level,
        'run components that need different Pod Security levels in different namespaces');
    }
    if (this.createNamespaces && SHARED_NAMESPACES.includes(name)) {
      throw validationError(this, `namespace "${name}" is shared with the cluster's own workloads, and the stack would label it with Pod Security level "${level}"`, name,
        'give the stack\'s components namespaces of their own (e.g. "security-monitoring", "falco"), '
        + `or set createNamespaces: false to run in "${name}" without creating or relabelling it`);
    }
    this.namespaceLevels.set(name, level);
    if (!this.createNamespaces) return;
    this.namespaceObjects.set(name, clusterScoped(new k8s.KubeNamespace(this, `${name}-namespace`, {
      metadata: {
        name,
        labels: {
          ...this.labelsFor('namespace'),
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': this.podSecurityVersion,
          // Audit and warn at the same level so violations are visible before enforcement bites.
          'pod-security.kubernetes.io/audit': level,
          'pod-security.kubernetes.io/warn': level,
        },
      },
    })));
  }

  /**
   * The Namespace objects the stack created, by name (empty with
   * `createNamespaces: false`), labelled with the Pod Security level each
   * enforces. An escape hatch for what the stack does not set, e.g.
   * `stack.namespaces.falco.metadata.addAnnotation('scheduler.alpha.kubernetes.io/node-selector', 'pool=security')`.
   */
  public get namespaces(): { [name: string]: ApiObject } {
    return Object.fromEntries(this.namespaceObjects);
  }

  /**
   * The Pod Security level a namespace of this stack enforces, or undefined if the
   * stack did not declare it.
   */
  public podSecurityLevelOf(namespace: string): PodSecurityLevel | undefined {
    namespace = requiredArgument(this, 'namespace', namespace, 'the namespace name');
    return this.namespaceLevels.get(namespace);
  }
}
