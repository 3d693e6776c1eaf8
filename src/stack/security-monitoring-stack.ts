import { ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { clusterScoped } from '../common/cluster-scoped';
import { PodSecurityLevel } from '../common/pod-security';
import { validateDnsLabel, validateLabels, validationError } from '../common/validation';
import { SecurityAlerts, SecurityAlertsOptions } from '../prometheus/security-alerts';

/** The value of `app.kubernetes.io/managed-by` on every object the library creates. */
const MANAGED_BY = 'cdk8s-security-monitoring';

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
   * The security alert catalogue (a PrometheusRule in `namespace`): which
   * groups to ship and the labels that make Prometheus load it.
   *
   * @default - every group, no selector labels
   */
  readonly alerts?: SecurityAlertsOptions;
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
export class SecurityMonitoringStack extends Construct {
  /**
   * The stack that `construct` belongs to.
   * @throws if `construct` is not inside a `SecurityMonitoringStack`
   */
  public static of(construct: IConstruct): SecurityMonitoringStack {
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

  /** The security alert catalogue; undefined when `alerts.enabled` is false. */
  public readonly alerts?: SecurityAlerts;

  private readonly createNamespaces: boolean;
  private readonly podSecurityVersion: string;
  private readonly namespaceLevels = new Map<string, PodSecurityLevel>();

  constructor(scope: Construct, id: string, props: SecurityMonitoringStackProps = {}) {
    super(scope, id);

    this.name = validateDnsLabel(this, 'name', props.name ?? 'security-monitoring');
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? 'security-monitoring');
    this.falcoNamespace = validateDnsLabel(this, 'falcoNamespace', props.falcoNamespace ?? 'falco');
    this.createNamespaces = props.createNamespaces ?? true;
    this.podSecurityVersion = props.podSecurityVersion ?? 'latest';
    if (!/^(latest|v1\.\d+)$/.test(this.podSecurityVersion)) {
      throw validationError(this, 'podSecurityVersion is not a Kubernetes minor version', this.podSecurityVersion,
        'use "latest" or a version such as "v1.30"');
    }
    if (this.falcoNamespace === this.namespace) {
      throw validationError(this, 'falcoNamespace must differ from namespace', this.falcoNamespace,
        `Falco needs a privileged namespace and the stack's namespace is restricted: pick another falcoNamespace than "${this.namespace}"`);
    }

    this.commonLabels = {
      ...validateLabels(this, 'labels', props.labels ?? {}),
      'app.kubernetes.io/part-of': this.name,
      'app.kubernetes.io/managed-by': MANAGED_BY,
    };

    this.addNamespace(this.namespace, PodSecurityLevel.RESTRICTED);
    this.addNamespace(this.falcoNamespace, PodSecurityLevel.PRIVILEGED);

    const { enabled: alertsEnabled = true, ...alerts } = props.alerts ?? {};
    if (alertsEnabled) {
      this.alerts = new SecurityAlerts(this, 'alerts', {
        ...alerts, name: `${this.name}-security-alerts`, namespace: this.namespace, labels: this.labelsFor('alerts'),
      });
    }
  }

  /**
   * Labels for the objects of one component: the common labels plus
   * `app.kubernetes.io/component`.
   */
  public labelsFor(component: string): { [key: string]: string } {
    return { ...this.commonLabels, 'app.kubernetes.io/component': component };
  }

  /**
   * Metadata for a namespaced object of one component.
   */
  public metadataFor(component: string, name: string, namespace?: string): ApiObjectMetadata {
    return { name, namespace: namespace ?? this.namespace, labels: this.labelsFor(component) };
  }

  /**
   * Declares a namespace the stack's components run in, labelled with the Pod
   * Security Standard it enforces. Declaring the same namespace again with the
   * same level is a no-op; with another level it is an error, because one
   * namespace enforces one level.
   */
  public addNamespace(name: string, level: PodSecurityLevel): void {
    validateDnsLabel(this, 'namespace name', name);
    const existing = this.namespaceLevels.get(name);
    if (existing === level) return;
    if (existing !== undefined) {
      throw validationError(this, `namespace "${name}" is already declared with Pod Security level "${existing}"`, level,
        'run components that need different Pod Security levels in different namespaces');
    }
    this.namespaceLevels.set(name, level);
    if (!this.createNamespaces) return;
    clusterScoped(new k8s.KubeNamespace(this, `namespace-${name}`, {
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
    }));
  }

  /**
   * The Pod Security level a namespace of this stack enforces, or undefined if the
   * stack did not declare it.
   */
  public podSecurityLevelOf(namespace: string): PodSecurityLevel | undefined {
    return this.namespaceLevels.get(namespace);
  }
}
