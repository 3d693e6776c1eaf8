import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FalcosidekickOutput } from './falcosidekick-output';
import { FALCOSIDEKICK_IMAGE } from './images';
import { constructScope, requiredArgument } from '../common/arguments';
import { hardenedContainerSecurityContext } from '../common/container-hardening';
import { validateProgramImage } from '../common/image';
import { createNetworkPolicy } from '../common/network-policy';
import { validateDnsLabel, validateInstanceList, validateLabels, validationError } from '../common/validation';

/** The port falcosidekick receives Falco's events on (`LISTENPORT`). */
export const FALCOSIDEKICK_PORT = 2801;

/** Settings of the falcosidekick forwarder of a `FalcoDeployment`. */
export interface FalcosidekickOptions {
  /** Where events go; each kind at most once. */
  readonly outputs: FalcosidekickOutput[];
  /**
   * Pinned image.
   * @default 'docker.io/falcosecurity/falcosidekick:2.32.0'
   */
  readonly image?: string;
  /**
   * Number of replicas (two, as in the chart, so a rollout does not drop events).
   * @default 2
   */
  readonly replicas?: number;
}

/** Where and how a `Falcosidekick` runs. */
export interface FalcosidekickProps extends FalcosidekickOptions {
  /** Object name (Deployment, Service, ServiceAccount). */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /**
   * Namespace of the Falco pods, the only senders its NetworkPolicy admits.
   * @default - `namespace`
   */
  readonly falcoNamespace?: string;
  /**
   * Labels of the Falco pods, the only senders its NetworkPolicy admits.
   * @default - every pod of `falcoNamespace`
   */
  readonly falcoSelector?: { [key: string]: string };
}

/** falcosidekick: receives Falco events over HTTP and forwards them to the configured outputs. */
export class Falcosidekick extends Construct {
  /** URL Falco's `http_output` posts events to. */
  public readonly url: string;
  /**
   * The falcosidekick Deployment, the primary object (`node.defaultChild`): an
   * escape hatch for a field the props do not model, e.g.
   * `sidekick.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'x'))`.
   */
  public readonly workload: ApiObject;
  /** The ServiceAccount of the pods (no token mounted: falcosidekick calls no Kubernetes API). */
  public readonly serviceAccount: ApiObject;
  /** The NetworkPolicy that admits only Falco's pods (see `allowSender`) on the events port. */
  public readonly networkPolicy: ApiObject;
  /** The Service Falco posts events to. */
  public readonly service: ApiObject;
  /** The pods its NetworkPolicy admits on the events port. */
  private readonly senders: k8s.NetworkPolicyPeer[] = [];
  private readonly outputs: FalcosidekickOutput[];

  constructor(scope: Construct, id: string, props: FalcosidekickProps) {
    super(constructScope('Falcosidekick', scope, id), id);
    props = requiredArgument(this, 'props', props, '{ name, namespace, labels, outputs } (FalcosidekickProps)');
    validateDnsLabel(this, 'name', props.name);
    validateDnsLabel(this, 'namespace', props.namespace);
    validateLabels(this, 'labels', props.labels);
    const image = validateProgramImage(this, 'falcosidekick.image', props.image ?? FALCOSIDEKICK_IMAGE, FALCOSIDEKICK_IMAGE);
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw validationError(this, 'falcosidekick.replicas must be a positive integer', replicas, 'use 1 or more');
    }
    const outputs = validateInstanceList(this, 'falcosidekick.outputs', props.outputs, FalcosidekickOutput,
      'build each output with a FalcosidekickOutput factory, e.g. FalcosidekickOutput.splunk({ ... })');
    if (outputs.length === 0) {
      throw validationError(this, 'falcosidekick has no outputs', props.outputs, 'add at least one FalcosidekickOutput, or leave falcosidekick unset');
    }
    const seen = new Set<string>();
    for (const output of outputs) {
      if (seen.has(output.name)) {
        throw validationError(this, 'falcosidekick output configured twice', output.name.toLowerCase(), 'falcosidekick supports one instance of each output: keep one');
      }
      seen.add(output.name);
    }
    this.outputs = outputs;

    const metadata = { name: props.name, namespace: props.namespace, labels: props.labels };
    const selector = { 'app.kubernetes.io/name': 'falcosidekick', 'app.kubernetes.io/instance': props.name };
    // falcosidekick calls no Kubernetes API.
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'service-account', { metadata, automountServiceAccountToken: false });
    this.workload = new k8s.KubeDeployment(this, 'Resource', {
      metadata,
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...props.labels, ...selector } },
          spec: {
            serviceAccountName: props.name,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 1234, runAsGroup: 1234, fsGroup: 1234, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'falcosidekick',
              image,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: FALCOSIDEKICK_PORT, protocol: 'TCP' }],
              env: [{ name: 'LISTENPORT', value: String(FALCOSIDEKICK_PORT) }, ...outputsEnv(this, outputs)],
              livenessProbe: { httpGet: { path: '/ping', port: k8s.IntOrString.fromString('http') }, initialDelaySeconds: 10, periodSeconds: 5 },
              readinessProbe: { httpGet: { path: '/ping', port: k8s.IntOrString.fromString('http') }, initialDelaySeconds: 10, periodSeconds: 5 },
              securityContext: hardenedContainerSecurityContext(),
              resources: {
                requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('64Mi') },
                limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') },
              },
            }],
          },
        },
      },
    });
    // Only Falco posts events; /ping is probed by the kubelet, which NetworkPolicies do not restrict.
    this.networkPolicy = createNetworkPolicy(this, 'network-policy', {
      metadata,
      podSelector: selector,
      ingress: [{ port: FALCOSIDEKICK_PORT, from: this.senders }],
    });
    this.allowSender(props.falcoNamespace ?? props.namespace, props.falcoSelector ?? {});
    this.service = new k8s.KubeService(this, 'service', {
      metadata,
      spec: {
        selector,
        ports: [{ name: 'http', port: FALCOSIDEKICK_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });
    this.url = `http://${props.name}.${props.namespace}.svc:${FALCOSIDEKICK_PORT}`;
  }

  /** What its outputs pass through unchecked (an output or a setting the library does not know). */
  public get warnings(): string[] {
    return this.outputs.flatMap((output) => output.notes.map((note) => `${this.node.path}: ${note}`));
  }

  /**
   * Admits another Falco's pods to post events, e.g. a plugin-only Falco that
   * forwards here with `FalcoDeploymentProps.forwardTo`.
   * @param namespace namespace of the sending pods
   * @param selector labels of the sending pods (empty: every pod of the namespace)
   */
  public allowSender(namespace: string, selector: { [key: string]: string }): void {
    namespace = requiredArgument(this, 'namespace', namespace, 'the namespace of the sender, e.g. "apps"');
    selector = requiredArgument(this, 'selector', selector, 'the labels of the sender pods, e.g. { app: "sender" }');
    const peer: k8s.NetworkPolicyPeer = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': validateDnsLabel(this, 'sender namespace', namespace) } },
      podSelector: { matchLabels: validateLabels(this, 'sender selector', selector) },
    };
    // The policy is rendered at synthesis, so senders added after construction are in it.
    if (!this.senders.some((s) => JSON.stringify(s) === JSON.stringify(peer))) this.senders.push(peer);
  }
}

/**
 * The outputs' environment. Outputs of one cloud share its settings
 * (`AWS_REGION` for `aws.s3` and `aws.sqs`): the same variable twice is
 * rendered once, and with two different values is an error.
 */
function outputsEnv(where: Construct, outputs: FalcosidekickOutput[]): k8s.EnvVar[] {
  const byName = new Map<string, k8s.EnvVar>();
  for (const variable of outputs.flatMap((output) => output._env)) {
    const earlier = byName.get(variable.name);
    if (earlier && JSON.stringify(earlier) !== JSON.stringify(variable)) {
      throw validationError(where, `two falcosidekick outputs set ${variable.name} differently`, variable.name,
        'falcosidekick reads one value: give the setting the outputs share the same value in each');
    }
    byName.set(variable.name, variable);
  }
  return [...byName.values()];
}
