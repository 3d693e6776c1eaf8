import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { constructScope, requiredArgument } from '../common/arguments';
import { validateDnsLabel, validateLabelKey, validateLabels, validateLabelValue, validationError } from '../common/validation';

/** Properties of a `QuarantineNetworkPolicy`. */
export interface QuarantineNetworkPolicyProps {
  /** Namespaces to protect; one NetworkPolicy each (a NetworkPolicy selects pods of its own namespace only). */
  readonly namespaces: string[];
  /** Label key that marks a pod as quarantined. @default 'security.quarantine' */
  readonly labelKey?: string;
  /** Label value that marks a pod as quarantined. @default 'true' */
  readonly labelValue?: string;
  /**
   * Let quarantined pods still resolve names through kube-dns/CoreDNS
   * (UDP and TCP 53 to pods labelled `k8s-app: kube-dns` in `kube-system`), so
   * that the workload fails visibly instead of hanging on DNS timeouts.
   * @default false - deny all egress
   */
  readonly allowDns?: boolean;
  /** Object name of each NetworkPolicy. @default 'security-quarantine' */
  readonly name?: string;
  /** Labels of every object. @default - none */
  readonly labels?: { [key: string]: string };
}

/**
 * Isolates quarantined pods without a response engine: in each namespace a
 * NetworkPolicy selects the pods labelled `security.quarantine=true` (by a
 * person, or by `TalonActionner.label`) and allows them no ingress and no
 * egress (optionally DNS). NetworkPolicies only add allowances, so this holds
 * whatever other policies allow, as long as the CNI enforces NetworkPolicy.
 */
export class QuarantineNetworkPolicy extends Construct {
  /** The selector label key. */
  public readonly labelKey: string;
  /** The selector label value. */
  public readonly labelValue: string;
  /**
   * The NetworkPolicy of each protected namespace, by namespace: an escape hatch
   * for a field the props do not model, e.g. an allowed egress peer:
   * `quarantine.networkPolicies.apps.addJsonPatch(JsonPatch.add('/spec/egress/-', { ... }))`.
   */
  public readonly networkPolicies: { [namespace: string]: ApiObject } = {};

  constructor(scope: Construct, id: string, props: QuarantineNetworkPolicyProps) {
    super(constructScope('QuarantineNetworkPolicy', scope, id), id);
    props = requiredArgument(this, 'props', props, '{ namespaces: ["apps"] }');
    this.labelKey = validateLabelKey(this, 'labelKey', props.labelKey ?? 'security.quarantine');
    this.labelValue = validateLabelValue(this, 'labelValue', props.labelValue ?? 'true');
    const name = validateDnsLabel(this, 'name', props.name ?? 'security-quarantine');
    const labels = validateLabels(this, 'labels', props.labels ?? {});
    if (!props.namespaces?.length) {
      throw validationError(this, 'namespaces is empty', props.namespaces, 'list the namespaces whose pods may be quarantined');
    }
    const seen = new Set<string>();
    for (const namespace of props.namespaces) {
      validateDnsLabel(this, 'namespaces entry', namespace);
      if (seen.has(namespace)) throw validationError(this, 'namespace listed twice', namespace, 'list each namespace once');
      seen.add(namespace);
      this.networkPolicies[namespace] = new k8s.KubeNetworkPolicy(this, `${namespace}-network-policy`, {
        metadata: { name, namespace, labels },
        spec: {
          podSelector: { matchLabels: { [this.labelKey]: this.labelValue } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [],
          egress: props.allowDns ? [{
            to: [{
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            }],
            ports: [
              { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
            ],
          }] : [],
        },
      });
    }
  }
}
