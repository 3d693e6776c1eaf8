import { requiredArgument } from '../common/arguments';
import { PrometheusSelector } from '../common/prometheus-selector';

/** Options of `PrometheusIntegration.kubePrometheusStack`. */
export interface KubePrometheusStackIntegrationOptions {
  /** The Helm release name of kube-prometheus-stack (its `release` label). */
  readonly releaseName: string;

  /**
   * Whether the release runs Grafana's dashboard sidecar
   * (`grafana.sidecar.dashboards.enabled`, on in the chart), which loads
   * dashboards from ConfigMaps labelled `grafana_dashboard: "1"`.
   * @default true
   */
  readonly grafanaSidecar?: boolean;
}

/**
 * How the Prometheus in the cluster finds the stack's rules and scrape
 * targets. One choice for the whole `SecurityMonitoringStack`: it is applied
 * to every PrometheusRule, ServiceMonitor and alert routing object the stack
 * creates.
 *
 * @example
 * new SecurityMonitoringStack(chart, 'stack', {
 *   prometheus: PrometheusIntegration.kubePrometheusStack({ releaseName: 'kube-prometheus-stack' }),
 * });
 */
export class PrometheusIntegration {
  /**
   * kube-prometheus-stack (Helm): rules and ServiceMonitors carry the
   * `release: <releaseName>` label its Prometheus selects on.
   */
  public static kubePrometheusStack(options: KubePrometheusStackIntegrationOptions): PrometheusIntegration {
    options = requiredArgument('PrometheusIntegration.kubePrometheusStack', 'options', options, '{ releaseName: "kube-prometheus-stack" }');
    return new PrometheusIntegration('kube-prometheus-stack', PrometheusSelector.kubePrometheusStack(options.releaseName), options.grafanaSidecar ?? true);
  }

  /** kube-prometheus (jsonnet): rules carry `prometheus: k8s` and `role: alert-rules`. */
  public static kubePrometheus(): PrometheusIntegration {
    return new PrometheusIntegration('kube-prometheus', PrometheusSelector.kubePrometheus(), false);
  }

  /**
   * A Prometheus Operator whose selectors match these labels (or select
   * everything, with `PrometheusSelector.none()`).
   */
  public static prometheusOperator(selector: PrometheusSelector): PrometheusIntegration {
    selector = requiredArgument('PrometheusIntegration.prometheusOperator', 'selector', selector, 'a PrometheusSelector, e.g. PrometheusSelector.custom({ release: "prometheus" })');
    return new PrometheusIntegration('Prometheus Operator', selector, false);
  }

  /**
   * Prometheus and Alertmanager without the operator: alert rules are plain
   * rule files in ConfigMaps (mount them and list them in `rule_files`), the
   * alert routing is an `alertmanager.yaml` in a Secret, and no ServiceMonitor
   * is created (scrape the metrics Services with your own scrape config).
   */
  public static plainPrometheus(): PrometheusIntegration {
    return new PrometheusIntegration('plain Prometheus', undefined, false);
  }

  /** Human-readable name of the integration, for `describe()`. */
  public readonly displayName: string;

  /**
   * Labels for PrometheusRules and ServiceMonitors.
   * @default - none: there is no Prometheus Operator (`plainPrometheus()`)
   */
  public readonly selector?: PrometheusSelector;

  /** Whether dashboards can be shipped as ConfigMaps for Grafana's dashboard sidecar. */
  public readonly grafanaSidecar: boolean;

  private constructor(displayName: string, selector: PrometheusSelector | undefined, grafanaSidecar: boolean) {
    this.displayName = displayName;
    this.selector = selector;
    this.grafanaSidecar = grafanaSidecar;
  }

  /** Whether the Prometheus Operator's CRDs (PrometheusRule, ServiceMonitor, AlertmanagerConfig) are used. */
  public get usesOperator(): boolean {
    return this.selector !== undefined;
  }
}
