import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** One port a component accepts connections on, and from whom. */
export interface IngressPort {
  readonly port: number;
  /**
   * The peers allowed to connect.
   * @default - any peer: for scrape and health ports, since where Prometheus runs is the user's choice
   */
  readonly from?: k8s.NetworkPolicyPeer[];
}

/** What `createNetworkPolicy` needs to know about a component. */
export interface NetworkPolicyOptions {
  readonly metadata: k8s.ObjectMeta;
  /** Labels that select the component's pods. */
  readonly podSelector: Record<string, string>;
  /** The only ingress the pods accept; empty denies all ingress. */
  readonly ingress: IngressPort[];
  /**
   * Egress the pods may open.
   * @default - unrestricted: shippers and forwarders talk to destinations the library cannot enumerate
   */
  readonly egress?: k8s.NetworkPolicyEgressRule[];
}

/**
 * The NetworkPolicy of one of the stack's own components: ingress only on the
 * ports it serves (and only from the listed peers), so a compromised pod in the
 * cluster cannot reach anything else the component listens on.
 */
export function createNetworkPolicy(scope: Construct, id: string, options: NetworkPolicyOptions): k8s.KubeNetworkPolicy {
  return new k8s.KubeNetworkPolicy(scope, id, {
    metadata: options.metadata,
    spec: {
      podSelector: { matchLabels: options.podSelector },
      policyTypes: options.egress ? ['Ingress', 'Egress'] : ['Ingress'],
      ingress: options.ingress.map(({ port, from }) => ({ from, ports: [{ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' }] })),
      egress: options.egress,
    },
  });
}
