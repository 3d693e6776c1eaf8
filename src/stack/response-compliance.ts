import { PodSecurityLevel } from '../common/pod-security';
import { PrometheusSelector } from '../common/prometheus-selector';
import { validationError } from '../common/validation';
import { KubeBenchCronJob, KubeBenchOptions, SecurityKpiRules } from '../compliance';
import { complianceKpiPanels } from '../dashboards/compliance-kpis';
import { FalcosidekickOptions, FalcosidekickOutput } from '../falco';
import { DaemonSetHealthCheck, FalcoTalon, FalcoTalonOptions, KuberhealthyApi, QuarantineNetworkPolicy } from '../response';
import type { SecurityMonitoringStack } from './security-monitoring-stack';

/** Automated response options of a `SecurityMonitoringStack`. */
export interface SecurityMonitoringResponseOptions {
  /**
   * Whether the stack deploys the response parts configured below. Giving
   * `response` is the explicit choice containment needs (it acts on
   * workloads); `enabled: false` keeps the settings and deploys nothing.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Falco Talon in the stack's namespace, fed by Falco's falcosidekick: the
   * stack deploys falcosidekick if `falco.falcosidekick` is not set, and adds
   * Talon as its output either way.
   * @default - no Talon
   */
  readonly talon?: FalcoTalonOptions;
  /** Namespaces where pods labelled `security.quarantine=true` are isolated. @default - none */
  readonly quarantineNamespaces?: string[];
  /** Let quarantined pods resolve DNS. @default false */
  readonly quarantineAllowDns?: boolean;
  /**
   * Run a Kuberhealthy check, with this Kuberhealthy API, that the stack's
   * DaemonSets (Falco) are fully scheduled and ready.
   * @default - no health check
   */
  readonly kuberhealthy?: KuberhealthyApi;
}

/** Compliance scan options of a `SecurityMonitoringStack`. */
export interface SecurityMonitoringComplianceOptions {
  /**
   * Whether the stack deploys the compliance parts; `enabled: false` keeps the
   * settings and deploys nothing.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Namespace of the kube-bench CronJob. kube-bench needs `hostPID` and
   * `hostPath`, so the stack declares it `privileged`; a namespace of its own
   * keeps that exception away from Falco's and the stack's pods.
   * @default 'security-compliance'
   */
  readonly namespace?: string;
  /** The kube-bench scan. @default - the `KubeBenchCronJob` defaults */
  readonly kubeBench?: KubeBenchOptions;
  /** Record the dashboard's KPIs (`SecurityKpiRules`) in the stack's namespace. @default true */
  readonly kpiRules?: boolean;
  /** Labels your Prometheus selects the KPI rules by. @default - the stack's `prometheus` integration */
  readonly prometheusSelector?: PrometheusSelector;
}

/** The response and compliance parts the stack created. */
export interface ResponseAndCompliance {
  /** Falco Talon, when response.talon is set. */
  readonly talon?: FalcoTalon;
  /** The kube-bench scan, when compliance is enabled. */
  readonly kubeBench?: KubeBenchCronJob;
  /** The Kuberhealthy check of the stack's agent DaemonSets, when response.kuberhealthy is set. */
  readonly healthCheck?: DaemonSetHealthCheck;
  /** The quarantine NetworkPolicies, when response.quarantineNamespaces is set. */
  readonly quarantine?: QuarantineNetworkPolicy;
  /** The KPI recording rules, when compliance records them. */
  readonly kpiRules?: SecurityKpiRules;
}

const TALON_NAME = 'falco-talon';

/** Presence means on: an options object turns its part on unless it says `enabled: false`. */
export function isOn(options: { readonly enabled?: boolean } | undefined): boolean {
  return options !== undefined && options !== null && (options.enabled ?? true);
}

/** falcosidekick's options with Talon added as an output, when Talon is on: Talon implies falcosidekick. */
export function falcosidekickWithTalon(stack: SecurityMonitoringStack, response: SecurityMonitoringResponseOptions | undefined,
  falcosidekick: FalcosidekickOptions | undefined): FalcosidekickOptions | undefined {
  if (!isOn(response) || !response?.talon) return falcosidekick;
  const outputs = falcosidekick?.outputs ?? [];
  // Malformed options are left to Falcosidekick, which rejects them with the standard error.
  if (!Array.isArray(outputs)) return falcosidekick;
  const own = outputs.find((o) => o instanceof FalcosidekickOutput && o.name === 'TALON');
  if (own !== undefined) {
    throw validationError(stack, 'falco.falcosidekick.outputs has a Talon output, but the stack adds one itself for response.talon', 'talon',
      `remove it from falco.falcosidekick.outputs: the stack points falcosidekick at its Talon (${FalcoTalon.urlFor(TALON_NAME, stack.namespace)})`);
  }
  const talon = FalcosidekickOutput.talon({ url: FalcoTalon.urlFor(TALON_NAME, stack.namespace) });
  return { ...falcosidekick, outputs: [...outputs, talon] };
}

/** Creates the enabled response and compliance parts inside the stack. */
export function addResponseAndCompliance(stack: SecurityMonitoringStack, response?: SecurityMonitoringResponseOptions,
  compliance?: SecurityMonitoringComplianceOptions): ResponseAndCompliance {
  let talon: FalcoTalon | undefined;
  let kubeBench: KubeBenchCronJob | undefined;
  let healthCheck: DaemonSetHealthCheck | undefined;
  let quarantine: QuarantineNetworkPolicy | undefined;
  let kpiRules: SecurityKpiRules | undefined;
  if (isOn(response)) {
    if (response?.talon) {
      talon = new FalcoTalon(stack, 'talon', {
        ...response.talon,
        name: TALON_NAME,
        namespace: stack.namespace,
        labels: stack.labelsFor('falco-talon'),
        clusterRoleName: stack.clusterScopedName(TALON_NAME),
      });
    }
    if (response?.quarantineNamespaces?.length) {
      quarantine = new QuarantineNetworkPolicy(stack, 'quarantine', {
        namespaces: response.quarantineNamespaces,
        allowDns: response.quarantineAllowDns,
        labels: stack.labelsFor('quarantine'),
      });
    }
    if (response?.kuberhealthy) {
      if (!stack.falco) {
        throw validationError(stack, 'response.kuberhealthy checks the stack\'s DaemonSets but Falco is disabled', 'falco.enabled: false',
          'enable Falco, or build a DaemonSetHealthCheck for your own DaemonSets');
      }
      // Agents added later (addFilebeatPipeline) are added to it by the stack.
      healthCheck = new DaemonSetHealthCheck(stack, 'health-check', {
        namespace: stack.namespace,
        api: response.kuberhealthy,
        daemonSets: stack.agentDaemonSets,
        labels: stack.labelsFor('health-check'),
      });
    }
  }
  if (isOn(compliance)) {
    const namespace = compliance?.namespace ?? 'security-compliance';
    stack.addNamespace(namespace, PodSecurityLevel.PRIVILEGED);
    kubeBench = new KubeBenchCronJob(stack, 'kube-bench', {
      ...compliance?.kubeBench, namespace, labels: stack.labelsFor('kube-bench'), clusterRoleName: stack.clusterScopedName('kube-bench'),
    });
    if (compliance?.kpiRules ?? true) {
      const selector = compliance?.prometheusSelector ?? stack.prometheus.selector;
      kpiRules = new SecurityKpiRules(stack, 'kpi-rules', {
        namespace: stack.namespace,
        prometheusSelector: selector,
        ruleFileConfigMap: selector === undefined,
        labels: stack.labelsFor('kpi-rules'),
      });
      complianceKpiPanels().forEach((panel) => stack.dashboard?.addPanel(panel));
    }
  }
  return { talon, kubeBench, healthCheck, quarantine, kpiRules };
}
