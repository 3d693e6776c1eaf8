import { optionalArgument, requiredArgument } from './arguments';
import { validateDnsLabel, validateLabels } from './validation';

/**
 * The labels the Prometheus Operator's selectors look for, so that the
 * `PrometheusRule`s and `ServiceMonitor`s the stack creates are actually
 * loaded. A rule without them is silently ignored.
 *
 * @example
 * PrometheusSelector.kubePrometheusStack('kube-prometheus-stack')
 */
export class PrometheusSelector {
  /**
   * kube-prometheus-stack (Helm): its Prometheus selects rules and monitors by
   * the Helm release label `release: <releaseName>` (unless
   * `*SelectorNilUsesHelmValues` is turned off).
   * @param releaseName the Helm release name of kube-prometheus-stack
   */
  public static kubePrometheusStack(releaseName: string): PrometheusSelector {
    releaseName = requiredArgument('PrometheusSelector.kubePrometheusStack', 'releaseName', releaseName, 'the Helm release name, e.g. "kube-prometheus-stack"');
    const release = validateDnsLabel('PrometheusSelector.kubePrometheusStack', 'releaseName', releaseName);
    return new PrometheusSelector({ release }, { release });
  }

  /**
   * kube-prometheus (jsonnet): rules need `prometheus: k8s` and
   * `role: alert-rules`; its Prometheus selects every ServiceMonitor.
   */
  public static kubePrometheus(): PrometheusSelector {
    return new PrometheusSelector({ prometheus: 'k8s', role: 'alert-rules' }, {});
  }

  /**
   * Custom labels, matching your Prometheus' `ruleSelector` and
   * `serviceMonitorSelector`/`podMonitorSelector`.
   * @param ruleLabels labels for PrometheusRules
   * @param monitorLabels labels for ServiceMonitors and PodMonitors (default: same as ruleLabels)
   */
  public static custom(ruleLabels: { [key: string]: string }, monitorLabels?: { [key: string]: string }): PrometheusSelector {
    ruleLabels = requiredArgument('PrometheusSelector.custom', 'ruleLabels', ruleLabels, 'the labels Prometheus selects rules by, e.g. { release: "prometheus" }');
    monitorLabels = optionalArgument('PrometheusSelector.custom', 'monitorLabels', monitorLabels);
    const where = 'PrometheusSelector.custom';
    return new PrometheusSelector(validateLabels(where, 'ruleLabels', ruleLabels), validateLabels(where, 'monitorLabels', monitorLabels ?? ruleLabels));
  }

  /** No extra labels: for Prometheus instances whose selectors are empty (select everything). */
  public static none(): PrometheusSelector {
    return new PrometheusSelector({}, {});
  }

  private constructor(
    /** Labels to put on PrometheusRule objects. */
    public readonly ruleLabels: { [key: string]: string },
    /** Labels to put on ServiceMonitor and PodMonitor objects. */
    public readonly monitorLabels: { [key: string]: string },
  ) {}
}
