import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { mergeRbacRules, RbacRule } from './rbac';
import { TalonObjectStore } from './talon-object-store';
import { renderTalonRule, TalonRuleProps } from './talon-rule';
import { constructScope, optionalArgument, requiredArgument } from '../common/arguments';
import { configChecksum } from '../common/checksum';
import { clusterScoped } from '../common/cluster-scoped';
import { hardenedContainerSecurityContext } from '../common/container-hardening';
import { validateProgramImage } from '../common/image';
import { createNetworkPolicy } from '../common/network-policy';
import { validateDnsLabel, validateDnsSubdomain, validateInstance, validateLabels, validationError, validationMessage } from '../common/validation';
import { toYaml } from '../common/yaml';

/** The port Falco Talon receives Falco events on (`listen_port`, the chart's Service port). */
export const FALCO_TALON_PORT = 2803;

/** falco-talon release; the chart's appVersion (charts/falco-talon/Chart.yaml) and the tag its goreleaser publishes. */
const FALCO_TALON_IMAGE = 'docker.io/falcosecurity/falco-talon:0.3.0';

/** Falco Talon settings shared by `FalcoTalon` and `SecurityMonitoringStack`. */
export interface FalcoTalonOptions {
  /** Response rules. More can be added with `addRule`. @default - none */
  readonly rules?: TalonRuleProps[];
  /**
   * Object store for the evidence that actions collect: pod logs
   * (`TalonActionner.log` with an `evidenceBucket`), files
   * (`TalonActionner.download`) and packet captures (`TalonActionner.tcpdump`).
   * @default - no evidence upload
   */
  readonly evidenceStore?: TalonObjectStore;
  /**
   * Record every action as a Kubernetes Event on the pod (the `k8sevents`
   * notifier); grants Talon create on events.
   * @default true
   */
  readonly kubernetesEvents?: boolean;
  /** Pinned image. @default 'docker.io/falcosecurity/falco-talon:0.3.0' */
  readonly image?: string;
  /**
   * Replicas. With more than one, Talon elects a leader over a Lease to
   * deduplicate events, which needs a Role on leases in its namespace.
   * @default 2
   */
  readonly replicas?: number;
}

/** Properties of a `FalcoTalon`. */
export interface FalcoTalonProps extends FalcoTalonOptions {
  /** Object name (Deployment, Service, ServiceAccount). @default 'falco-talon' */
  readonly name?: string;
  /**
   * Namespace; Talon's pods meet the `restricted` Pod Security Standard.
   * Talon names its leader-election Lease `falco-talon` whatever `name` is,
   * so run one Talon per namespace.
   * @default 'falco'
   */
  readonly namespace?: string;
  /** Labels of every object. @default - only the selector labels */
  readonly labels?: { [key: string]: string };
  /**
   * Name of the ClusterRole and ClusterRoleBinding. Their names are shared by
   * every installation in the cluster, so each Talon needs its own.
   * @default - `<namespace>-<name>`
   */
  readonly clusterRoleName?: string;
}

/** The settings of a `FalcoTalon`, resolved and validated once. */
interface TalonSettings {
  readonly labels: Record<string, string>;
  readonly image: string;
  readonly replicas: number;
  /** The `k8sevents` notifier is on. */
  readonly events: boolean;
}

/**
 * Falco Talon, the response engine for Falco: receives events over HTTP (from
 * falcosidekick's `talon` output, see `url`) and runs the actions of the
 * rules they match. Its ClusterRole grants exactly what the enabled
 * actionners need.
 *
 * Every object it creates is a public property, an escape hatch for a field
 * the props do not model:
 * `ApiObject.of(talon.workload).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'x'))`.
 * The Deployment is the default child (id `Resource`).
 */
export class FalcoTalon extends Construct {
  /** The in-cluster URL of a Talon named `name` in `namespace`, for falcosidekick's `TALON_ADDRESS`. */
  public static urlFor(name: string, namespace: string): string {
    name = validateDnsLabel('FalcoTalon.urlFor', 'name', requiredArgument('FalcoTalon.urlFor', 'name', name, 'the name of the Talon Service, e.g. "falco-talon"'));
    namespace = validateDnsLabel('FalcoTalon.urlFor', 'namespace', requiredArgument('FalcoTalon.urlFor', 'namespace', namespace, 'the namespace of Talon, e.g. "falco"'));
    return `http://${name}.${namespace}.svc:${FALCO_TALON_PORT}`;
  }

  /** Object name. */
  public readonly name: string;
  /** Namespace of Talon's objects. */
  public readonly namespace: string;
  /** URL falcosidekick posts events to (`TALON_ADDRESS`). */
  public readonly url: string;
  /** Talon's Deployment, the construct's default child (id `Resource`). */
  public readonly workload: ApiObject;
  /** The ConfigMap of Talon's `config.yaml` (listen address, notifiers, evidence store). */
  public readonly configMap: ApiObject;
  /** The ConfigMap of Talon's rules file (`rules.yaml`). */
  public readonly rulesConfigMap: ApiObject;
  /** The Service falcosidekick posts events to. */
  public readonly service: ApiObject;
  /** The ServiceAccount Talon runs as. */
  public readonly serviceAccount: ApiObject;
  /** The ClusterRole with the permissions of the actionners the rules use. */
  public readonly clusterRole: ApiObject;
  /** Binds `clusterRole` to `serviceAccount`. */
  public readonly clusterRoleBinding: ApiObject;
  /** The Role on leases for leader election, with more than one replica. @default - none with one replica */
  public readonly role?: ApiObject;
  /** Binds `role` to `serviceAccount`. @default - none with one replica */
  public readonly roleBinding?: ApiObject;
  /** Only falcosidekick may reach Talon's port. */
  public readonly networkPolicy: ApiObject;

  /** Each rule as validated and rendered when it was added, with the permissions its actions need. */
  private readonly rules: Array<{ readonly name: string; readonly rendered: unknown; readonly rbac: RbacRule[] }> = [];
  private readonly evidenceStore?: TalonObjectStore;

  constructor(scope: Construct, id: string, props: FalcoTalonProps = {}) {
    super(constructScope('FalcoTalon', scope, id), id);
    props = optionalArgument(this, 'props', props) ?? {};
    this.name = validateDnsLabel(this, 'name', props.name ?? 'falco-talon');
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? 'falco');
    this.url = FalcoTalon.urlFor(this.name, this.namespace);
    this.evidenceStore = props.evidenceStore === undefined ? undefined
      : validateInstance(this, 'evidenceStore', props.evidenceStore, TalonObjectStore, 'use TalonObjectStore.minio(...) or TalonObjectStore.awsS3(...)');
    const settings = this.resolveSettings(props);
    this.addInitialRules(props.rules);

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'service-account', { metadata: this.metadata(settings, this.name) });
    const clusterRoleName = validateDnsSubdomain(this, 'clusterRoleName', props.clusterRoleName ?? `${this.namespace}-${this.name}`);
    [this.clusterRole, this.clusterRoleBinding] = this.createClusterRbac(settings, clusterRoleName);
    if (settings.replicas > 1) [this.role, this.roleBinding] = this.createLeaderElectionRbac(settings);

    const configYaml = this.renderConfig(settings);
    const rulesYaml = () => toYaml(this.rules.map((rule) => rule.rendered));
    this.configMap = new k8s.KubeConfigMap(this, 'config-config-map', { metadata: this.metadata(settings, this.name), data: { 'config.yaml': configYaml } });
    this.rulesConfigMap = new k8s.KubeConfigMap(this, 'rules-config-map', {
      metadata: this.metadata(settings, `${this.name}-rules`),
      data: { 'rules.yaml': Lazy.any({ produce: rulesYaml }) } as any,
    });

    // Only falcosidekick (in any namespace) sends events; kubelet probes are not subject to policies.
    this.networkPolicy = createNetworkPolicy(this, 'network-policy', {
      metadata: this.metadata(settings, this.name),
      podSelector: this.selector,
      ingress: [{
        port: FALCO_TALON_PORT,
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falcosidekick' } }, namespaceSelector: {} }],
      }],
    });
    this.workload = new k8s.KubeDeployment(this, 'Resource', {
      metadata: this.metadata(settings, this.name),
      spec: {
        replicas: settings.replicas,
        selector: { matchLabels: this.selector },
        template: this.podTemplate(settings, () => configChecksum([configYaml, rulesYaml()])),
      },
    });
    this.service = new k8s.KubeService(this, 'service', {
      metadata: this.metadata(settings, this.name),
      spec: { selector: this.selector, ports: [{ name: 'http', port: FALCO_TALON_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }] },
    });
  }

  /** Adds a response rule; rules are evaluated in the order they were added. */
  public addRule(rule: TalonRuleProps): FalcoTalon {
    rule = requiredArgument(this, 'rule', rule, '{ name, match: { rules: [...] }, actions: [...] }');
    if (this.rules.some((r) => r.name === rule?.name)) {
      throw validationError(this, 'a Talon rule with this name already exists', rule.name, 'give each rule its own name');
    }
    // Rendered now, so that a bad rule fails where it is added and a later change to the
    // caller's objects cannot reach the manifests unvalidated.
    const rendered = structuredClone(renderTalonRule(rule, this.evidenceStore));
    this.rules.push({ name: rule.name, rendered, rbac: rule.actions.flatMap((action) => action.actionner._rbac) });
    return this;
  }

  /** The labels that select Talon's pods. */
  private get selector(): Record<string, string> {
    return { 'app.kubernetes.io/name': 'falco-talon', 'app.kubernetes.io/instance': this.name };
  }

  private metadata(settings: TalonSettings, name: string): k8s.ObjectMeta {
    return { name, namespace: this.namespace, labels: settings.labels };
  }

  private resolveSettings(props: FalcoTalonProps): TalonSettings {
    const labels = validateLabels(this, 'labels', props.labels ?? {});
    const image = validateProgramImage(this, 'image', props.image ?? FALCO_TALON_IMAGE, FALCO_TALON_IMAGE);
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw validationError(this, 'replicas must be a positive integer', replicas, 'use 1 or more');
    }
    return { labels, image, replicas, events: props.kubernetesEvents ?? true };
  }

  /** Adds the rules given as props; a Talon left without any rule is an error at synth. */
  private addInitialRules(rules: TalonRuleProps[] | undefined): void {
    if (rules !== undefined && !Array.isArray(rules)) {
      throw validationError(this, 'rules must be a list', rules, 'pass an array of rules, or add them with addRule()');
    }
    (rules ?? []).forEach((rule) => this.addRule(rule));
    this.node.addValidation({
      validate: () => this.rules.length === 0
        ? [validationMessage(this, 'FalcoTalon has no rules', [], 'add a rule with addRule(), or leave Talon out')]
        : [],
    });
  }

  /** The ClusterRole, with the union of the rules' permissions computed at synth, and its binding. */
  private createClusterRbac(settings: TalonSettings, clusterRoleName: string): [ApiObject, ApiObject] {
    const clusterRole = clusterScoped(new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name: clusterRoleName, labels: settings.labels },
      rules: Lazy.any({ produce: () => mergeRbacRules(this.clusterPermissions(settings.events)) }) as any,
    }));
    const binding = clusterScoped(new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: clusterRoleName, labels: settings.labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    }));
    return [clusterRole, binding];
  }

  /** client-go's LeaseLock gets, creates and updates the Lease, in Talon's own namespace. */
  private createLeaderElectionRbac(settings: TalonSettings): [ApiObject, ApiObject] {
    const role = new k8s.KubeRole(this, 'role', {
      metadata: this.metadata(settings, `${this.name}-leader-election`),
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] }],
    });
    const binding = new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: this.metadata(settings, `${this.name}-leader-election`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    });
    return [role, binding];
  }

  /** Talon's `config.yaml`. */
  private renderConfig(settings: TalonSettings): string {
    return toYaml({
      listen_address: '0.0.0.0',
      listen_port: FALCO_TALON_PORT,
      rules_files: ['/etc/falco-talon/rules.yaml'],
      // The rules come from a ConfigMap: a change rolls the pods (checksum annotation).
      watch_rules: false,
      print_all_events: false,
      log_format: 'json',
      default_notifiers: settings.events ? ['k8sevents'] : [],
      deduplication: { leader_election: settings.replicas > 1, time_window_seconds: 5 },
      ...(this.evidenceStore ? { [this.evidenceStore._configKey]: this.evidenceStore._config() } : {}),
    });
  }

  /** The pod template: one hardened container, the config and rules mounted read-only. */
  private podTemplate(settings: TalonSettings, checksum: () => string): k8s.PodTemplateSpec {
    const probe: k8s.Probe = { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http') }, initialDelaySeconds: 10, periodSeconds: 5 };
    return {
      metadata: {
        labels: { ...settings.labels, ...this.selector },
        annotations: { 'checksum/config': Lazy.any({ produce: checksum }) as any },
      },
      spec: {
        serviceAccountName: this.name,
        securityContext: { runAsNonRoot: true, runAsUser: 1234, runAsGroup: 1234, fsGroup: 1234, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{
          name: 'falco-talon',
          image: settings.image,
          imagePullPolicy: 'IfNotPresent',
          args: ['server', '-c', '/etc/falco-talon/config.yaml', '-r', '/etc/falco-talon/rules.yaml'],
          ports: [
            { name: 'http', containerPort: FALCO_TALON_PORT, protocol: 'TCP' },
            // The embedded NATS server: replicas forward events to the leader's.
            { name: 'nats', containerPort: 4222, protocol: 'TCP' },
          ],
          env: [
            { name: 'LOG_LEVEL', value: 'warning' },
            // The namespace of the leader-election Lease; Talon assumes "falco" without it, where its Role grants nothing.
            { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            ...(this.evidenceStore?._env ?? []),
          ],
          livenessProbe: probe,
          readinessProbe: probe,
          securityContext: hardenedContainerSecurityContext(),
          resources: {
            requests: { cpu: k8s.Quantity.fromString('20m'), memory: k8s.Quantity.fromString('64Mi') },
            limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') },
          },
          volumeMounts: [
            { name: 'config', mountPath: '/etc/falco-talon/config.yaml', subPath: 'config.yaml', readOnly: true },
            { name: 'rules', mountPath: '/etc/falco-talon/rules.yaml', subPath: 'rules.yaml', readOnly: true },
            // The embedded NATS JetStream keeps its store under the temp dir.
            { name: 'tmp', mountPath: '/tmp' },
          ],
        }],
        volumes: [
          { name: 'config', configMap: { name: this.name } },
          { name: 'rules', configMap: { name: `${this.name}-rules` } },
          { name: 'tmp', emptyDir: {} },
        ],
      },
    };
  }

  private clusterPermissions(events: boolean): RbacRule[] {
    return [
      ...this.rules.flatMap((rule) => rule.rbac),
      // The k8sevents notifier only creates Events (notifiers/k8sevents).
      ...(events ? [{ apiGroup: '', resource: 'events', verbs: ['create'] }] : []),
    ];
  }
}
