import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SiemAgentContextProps } from './agent-context';
import { SecretEnv } from './internal';
import { configChecksum } from '../common/checksum';
import { clusterScoped } from '../common/cluster-scoped';
import { validateProgramImage } from '../common/image';
import { createNetworkPolicy } from '../common/network-policy';
import { validateDnsLabel, validateDnsSubdomain, validateLabels } from '../common/validation';

const COMPONENT = 'siem';

/** Where an agent runs and how its objects are labelled. */
export interface AgentPlacement {
  readonly namespace: string;
  readonly name: string;
  readonly image: string;
  readonly labels: Record<string, string>;
  readonly selectorLabels: Record<string, string>;
  readonly clusterRoleName: string;
}

/** What a pipeline's props say about its placement. */
export interface PlacementProps extends Pick<SiemAgentContextProps, 'labels' | 'clusterRoleName'> {
  readonly namespace?: string;
  readonly name?: string;
  readonly image?: string;
}

/**
 * Resolves the namespace, name, image, labels and cluster-scoped name of a
 * log shipping agent, from its props alone (a stack passes what it knows
 * through them). The namespace must allow `hostPath` volumes (Pod Security
 * `privileged`): a stack declares it so.
 */
export function placeAgent(scope: Construct, props: PlacementProps, defaults: { name: string; image: string; app: string }): AgentPlacement {
  const namespace = validateDnsLabel(scope, 'namespace', props.namespace ?? 'security-logging');
  const name = validateDnsLabel(scope, 'name', props.name ?? defaults.name);
  const image = validateProgramImage(scope, 'image', props.image ?? defaults.image, defaults.image);
  const selectorLabels = { 'app.kubernetes.io/name': defaults.app, 'app.kubernetes.io/instance': name };
  const labels = { ...validateLabels(scope, 'labels', props.labels ?? {}), 'app.kubernetes.io/component': COMPONENT, ...selectorLabels };
  // Cluster-scoped names must be unique in the cluster: by default they include the namespace.
  const clusterRoleName = validateDnsSubdomain(scope, 'clusterRoleName', props.clusterRoleName ?? `${namespace}-${name}`);
  return { namespace, name, image, labels, selectorLabels, clusterRoleName };
}

/** What differs between the log shipping agents (Fluent Bit, Filebeat); the rest is shared. */
export interface AgentSpec extends AgentPlacement {
  readonly containerName: string;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  readonly args: string[];
  /** The config file's name and content; mounted read-only in `configDir`. */
  readonly configFile: string;
  readonly config: string;
  readonly configDir: string;
  /** Where the agent keeps offsets and buffered data in the container. */
  readonly stateDir: string;
  /** Host directory under which each agent instance gets its state directory, so it survives restarts. */
  readonly hostStateDir: string;
  readonly secretEnv: SecretEnv[];
  /**
   * Annotations of the ServiceAccount, e.g. an IAM role for IRSA.
   * @default - none
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /** Extra environment variables (e.g. the node name from the downward API). */
  readonly env?: k8s.EnvVar[];
  readonly ports?: k8s.ContainerPort[];
  readonly livenessProbe?: k8s.Probe;
  readonly readinessProbe?: k8s.Probe;
  /** Core-group resources the agent reads for metadata enrichment (get/list/watch only). */
  readonly readResources: string[];
  /** Containers beside the agent's (e.g. a metrics exporter); their ports are opened like the agent's. */
  readonly sidecars?: k8s.Container[];
}

/** The objects of a log shipping agent, for its pipeline's escape hatches. */
export interface AgentObjects {
  readonly workload: ApiObject;
  readonly configMap: ApiObject;
  readonly serviceAccount: ApiObject;
  readonly clusterRole: ApiObject;
  readonly clusterRoleBinding: ApiObject;
  readonly networkPolicy: ApiObject;
}

/**
 * Creates the objects every log shipping agent needs: ServiceAccount,
 * read-only ClusterRole and binding, the config in a ConfigMap and a
 * DaemonSet on every node, locked down except for the host log access it
 * exists for. The DaemonSet is the pipeline's primary object (id `Resource`).
 */
export function createAgentWorkload(scope: Construct, spec: AgentSpec): AgentObjects {
  const metadata = { name: spec.name, namespace: spec.namespace, labels: spec.labels };
  const annotations = spec.serviceAccountAnnotations ?? {};
  const serviceAccount = new k8s.KubeServiceAccount(scope, 'service-account', {
    metadata: Object.keys(annotations).length > 0 ? { ...metadata, annotations } : metadata,
  });

  const roleName = spec.clusterRoleName;
  const clusterRole = clusterScoped(new k8s.KubeClusterRole(scope, 'cluster-role', {
    metadata: { name: roleName, labels: spec.labels },
    rules: [{ apiGroups: [''], resources: spec.readResources, verbs: ['get', 'list', 'watch'] }],
  }));
  const clusterRoleBinding = clusterScoped(new k8s.KubeClusterRoleBinding(scope, 'cluster-role-binding', {
    metadata: { name: roleName, labels: spec.labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects: [{ kind: 'ServiceAccount', name: spec.name, namespace: spec.namespace }],
  }));

  const configMap = new k8s.KubeConfigMap(scope, 'config-map', { metadata, data: { [spec.configFile]: spec.config } });

  // Ingress only on the agent's own ports (metrics and health); none at all without them.
  const networkPolicy = createNetworkPolicy(scope, 'network-policy', {
    metadata,
    podSelector: spec.selectorLabels,
    ingress: [...(spec.ports ?? []), ...(spec.sidecars ?? []).flatMap((c) => c.ports ?? [])].map((p) => ({ port: p.containerPort })),
  });

  const workload = new k8s.KubeDaemonSet(scope, 'Resource', {
    metadata,
    spec: {
      selector: { matchLabels: spec.selectorLabels },
      updateStrategy: { type: 'RollingUpdate' },
      template: {
        metadata: {
          labels: spec.labels,
          // A config change must roll the pods: the agents read their config only at start.
          annotations: { 'checksum/config': configChecksum([spec.config]) },
        },
        spec: podSpec(spec),
      },
    },
  });
  return { workload, configMap, serviceAccount, clusterRole, clusterRoleBinding, networkPolicy };
}

function podSpec(spec: AgentSpec): k8s.PodSpec {
  return {
    serviceAccountName: spec.name,
    // Security logs are wanted from every node, including tainted control-plane nodes (the audit log lives there).
    tolerations: [{ operator: 'Exists' }],
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: spec.containerName,
      image: spec.image,
      command: spec.command,
      args: spec.args,
      ports: spec.ports,
      env: [
        ...spec.secretEnv.map(({ name, secret }) => ({ name, valueFrom: { secretKeyRef: { name: secret.secretName, key: secret.key } } })),
        ...(spec.env ?? []),
      ],
      livenessProbe: spec.livenessProbe,
      readinessProbe: spec.readinessProbe,
      resources: {
        requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
        // A CPU limit too: the agent runs on every node, next to the workloads it watches,
        // and a parsing storm must not starve them.
        limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('512Mi') },
      },
      securityContext: {
        // The container log, audit log and state files on the host belong to root and are
        // not world-readable; root without any capability can read its own files and nothing more.
        runAsUser: 0,
        runAsNonRoot: false,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      },
      volumeMounts: [
        { name: 'config', mountPath: spec.configDir, readOnly: true },
        { name: 'varlog', mountPath: '/var/log', readOnly: true },
        { name: 'state', mountPath: spec.stateDir },
      ],
    }, ...(spec.sidecars ?? [])],
    volumes: [
      { name: 'config', configMap: { name: spec.name } },
      { name: 'varlog', hostPath: { path: '/var/log', type: 'Directory' } },
      // One host directory per agent instance, so two pipelines never share offsets.
      { name: 'state', hostPath: { path: `${spec.hostStateDir}/${spec.namespace}-${spec.name}`, type: 'DirectoryOrCreate' } },
    ],
  };
}
