import { createHash } from 'crypto';
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FalcoDefaultRules, CONTAINER_PLUGIN_ARTIFACT } from './default-rules';
import { FalcoDriver } from './driver';
import { driverPodParts, FALCO_YAML_VOLUME, HOST_ROOT } from './driver-pod';
import { CONTAINER_SOCKETS, FALCO_WEB_PORT, HEALTHZ_PATH, renderFalcoConfig, RULES_DIR, UPSTREAM_RULES_FILE } from './falco-config';
import { Falcosidekick, FalcosidekickOptions } from './falcosidekick';
import { FALCO_DRIVER_LOADER_IMAGE, FALCO_IMAGE, FALCOCTL_IMAGE } from './images';
import { FalcoPriority } from './priority';
import { FalcoRuleProps, FalcoRules, FalcoValidationContext } from './rules';
import { UPSTREAM_LISTS, UPSTREAM_MACROS } from './rules/upstream-names';
import { validatePinnedImage } from '../common/image';
import { createNetworkPolicy } from '../common/network-policy';
import { PrometheusSelector } from '../common/prometheus-selector';
import { createServiceMonitor } from '../common/service-monitor';
import { validateDnsLabel, validateDnsSubdomain, validateInstance, validateLabels, validationError } from '../common/validation';
import { toYaml } from '../common/yaml';

/** Requests and limits of the Falco container (Kubernetes quantities). */
export interface FalcoResources {
  /** @default '100m' */
  readonly cpuRequest?: string;
  /** @default '512Mi' */
  readonly memoryRequest?: string;
  /** @default '1000m' */
  readonly cpuLimit?: string;
  /** @default '1024Mi' */
  readonly memoryLimit?: string;
}

/** What Falco does; shared by `FalcoDeployment` and `SecurityMonitoringStack`. */
export interface FalcoOptions {
  /** How Falco collects syscalls. @default FalcoDriver.modernEbpf({ leastPrivileged: true }) */
  readonly driver?: FalcoDriver;
  /** Where the upstream ruleset comes from. @default FalcoDefaultRules.falcoctl() */
  readonly defaultRules?: FalcoDefaultRules;
  /** Upstream rules to disable by name (`rules: - disable: {rule}`). @default - none */
  readonly disabledRules?: string[];
  /** Upstream rules to disable by tag (`rules: - disable: {tag}`). @default - none */
  readonly disabledTags?: string[];
  /** Rules to enable by name, after the disables (e.g. one rule of a disabled tag). @default - none */
  readonly enabledRules?: string[];
  /** Least severe priority Falco emits (`priority`). @default FalcoPriority.DEBUG */
  readonly priority?: FalcoPriority;
  /**
   * Emit events as JSON (`json_output`), which log shippers parse. Always on with falcosidekick.
   * @default true
   */
  readonly jsonOutput?: boolean;
  /** Pinned Falco image. @default 'docker.io/falcosecurity/falco:0.44.1' */
  readonly image?: string;
  /** Container resources. @default - the chart's: 100m/512Mi requested, 1000m/1024Mi limit */
  readonly resources?: FalcoResources;
  /** Also run on control-plane nodes (tolerate their NoSchedule taints). @default true */
  readonly runOnControlPlane?: boolean;
  /** PriorityClass of the Falco pods, e.g. `system-node-critical`. @default - none */
  readonly priorityClassName?: string;
  /**
   * Expose Prometheus metrics on the webserver (`/metrics`, including
   * `falcosecurity_falco_rules_matches_total`) and a metrics Service.
   * @default true
   */
  readonly metrics?: boolean;
  /** Create a ServiceMonitor with these labels for the metrics Service. @default - no ServiceMonitor */
  readonly prometheusSelector?: PrometheusSelector;
  /** Forward events through falcosidekick. @default - no falcosidekick */
  readonly falcosidekick?: FalcosidekickOptions;
  /**
   * Namespace of falcosidekick. It needs no privilege, so it need not share
   * Falco's privileged namespace.
   * @default - Falco's namespace; in a `SecurityMonitoringStack`, the stack's restricted namespace
   */
  readonly falcosidekickNamespace?: string;
}

/** Properties of a `FalcoDeployment`. */
export interface FalcoDeploymentProps extends FalcoOptions {
  /** Name of the Falco objects. @default 'falco' */
  readonly name?: string;
  /** Namespace; must allow privileged pods. @default 'falco' */
  readonly namespace?: string;
  /** Labels of every object. @default - none besides the selector labels */
  readonly labels?: { [key: string]: string };
}

const QUANTITY = /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|e[0-9]+)?$/;
const CONTROL_PLANE_TAINTS = ['node-role.kubernetes.io/master', 'node-role.kubernetes.io/control-plane'];
const CUSTOM_RULES_FILE = 'custom-rules';

/**
 * Falco as the official chart deploys it: a DaemonSet with the driver's host
 * access, falco.yaml and rules ConfigMaps, a metrics Service, optionally
 * falcoctl, falcosidekick and a ServiceMonitor.
 */
export class FalcoDeployment extends Construct {
  /** Name of the Falco objects. */
  public readonly name: string;
  /** Namespace of the Falco objects. */
  public readonly namespace: string;
  /** The falcosidekick forwarder, when configured. */
  public readonly falcosidekick?: Falcosidekick;
  /** Name of the metrics Service, when metrics are on. */
  public readonly metricsServiceName?: string;
  /** Name of the Falco container, whose log files carry the events (log shippers select them by it). */
  public readonly containerName = 'falco';
  /** Whether Falco writes its events as JSON (`json_output`). */
  public readonly jsonOutput: boolean;

  private readonly rulesFiles = new Map<string, FalcoRules>();
  private readonly loadsUpstream: boolean;

  constructor(scope: Construct, id: string, props: FalcoDeploymentProps = {}) {
    super(scope, id);
    this.name = validateDnsLabel(this, 'name', props.name ?? 'falco');
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? 'falco');
    const labels = validateLabels(this, 'labels', props.labels ?? {});
    const driver = validateInstance(this, 'driver', props.driver ?? FalcoDriver.modernEbpf(), FalcoDriver,
      'use FalcoDriver.modernEbpf(), FalcoDriver.kmod() or FalcoDriver.auto()');
    const defaultRules = validateInstance(this, 'defaultRules', props.defaultRules ?? FalcoDefaultRules.falcoctl(), FalcoDefaultRules,
      'use a FalcoDefaultRules factory, e.g. FalcoDefaultRules.falcoctl()');
    this.loadsUpstream = defaultRules.loadsUpstream;
    const image = validatePinnedImage(this, 'image', props.image ?? FALCO_IMAGE, FALCO_IMAGE);
    const metrics = props.metrics ?? true;
    const resources = this.validateResources(props.resources ?? {});
    const disabledRules = this.validateNames('disabledRules', props.disabledRules);
    const disabledTags = this.validateNames('disabledTags', props.disabledTags);
    const enabledRules = this.validateNames('enabledRules', props.enabledRules);
    const both = enabledRules.find((r) => disabledRules.includes(r));
    if (both !== undefined) {
      throw validationError(this, 'a rule is both in enabledRules and disabledRules', both, 'keep it in one of them');
    }
    if (!defaultRules.loadsUpstream && (disabledRules.length + disabledTags.length + enabledRules.length) > 0) {
      throw validationError(this, 'disabledRules, disabledTags and enabledRules select upstream rules but defaultRules is none',
        [...disabledRules, ...disabledTags, ...enabledRules], 'load the upstream ruleset, or drop the selections');
    }
    if (props.priorityClassName !== undefined) validateDnsSubdomain(this, 'priorityClassName', props.priorityClassName);
    if (props.prometheusSelector && !metrics) {
      throw validationError(this, 'prometheusSelector needs metrics', false, 'set metrics to true, or drop prometheusSelector');
    }
    this.node.addValidation({ validate: () => this.ruleErrors() });

    const objectMetadata = (name: string) => ({ name, namespace: this.namespace, labels });
    const selector = { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': this.name };

    if (props.falcosidekick) {
      this.falcosidekick = new Falcosidekick(this, 'falcosidekick', {
        ...props.falcosidekick,
        name: `${this.name}-falcosidekick`,
        namespace: validateDnsLabel(this, 'falcosidekickNamespace', props.falcosidekickNamespace ?? this.namespace),
        labels: { ...labels, 'app.kubernetes.io/component': 'falcosidekick' },
        falcoNamespace: this.namespace,
        falcoSelector: selector,
      });
    }

    this.jsonOutput = this.falcosidekick !== undefined || (props.jsonOutput ?? true);
    const parts = driverPodParts(driver, 'falco', FALCO_DRIVER_LOADER_IMAGE);
    const falcoYaml = () => toYaml(renderFalcoConfig({
      rulesFiles: [
        ...(defaultRules.loadsUpstream ? [UPSTREAM_RULES_FILE] : []),
        ...[...this.rulesFiles.keys()].map((file) => `${RULES_DIR}/${file}.yaml`),
      ],
      disabledRules,
      disabledTags,
      enabledRules,
      engine: parts.engine,
      usesConfigD: driver.needsLoader,
      priority: props.priority ?? FalcoPriority.DEBUG,
      jsonOutput: this.jsonOutput,
      metrics,
      httpOutputUrl: this.falcosidekick?.url,
    }));
    const rulesData = () => Object.fromEntries([...this.rulesFiles].map(([file, rules]) => [`${file}.yaml`, rules.toYaml()]));

    // Falco reads the Kubernetes API through no code path here (Kubernetes metadata
    // would come from the k8s-metacollector over gRPC), so it gets no token.
    new k8s.KubeServiceAccount(this, 'service-account', { metadata: objectMetadata(this.name), automountServiceAccountToken: false });
    new k8s.KubeConfigMap(this, 'config', { metadata: objectMetadata(this.name), data: { 'falco.yaml': Lazy.any({ produce: falcoYaml }) } as any });
    new k8s.KubeConfigMap(this, 'rules', { metadata: objectMetadata(`${this.name}-rules`), data: Lazy.any({ produce: rulesData }) as any });

    const falcoctl = defaultRules.usesFalcoctl ? this.falcoctl(defaultRules, objectMetadata(`${this.name}-falcoctl`)) : undefined;
    const sockets = CONTAINER_SOCKETS.map((path, i) => ({ name: `container-engine-socket-${i}`, path }));
    const probe = (extra: Partial<k8s.Probe>): k8s.Probe => ({
      httpGet: { path: HEALTHZ_PATH, port: k8s.IntOrString.fromNumber(FALCO_WEB_PORT) }, timeoutSeconds: 5, ...extra,
    });

    new k8s.KubeDaemonSet(this, 'daemonset', {
      metadata: objectMetadata(this.name),
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: {
            labels: { ...labels, ...selector },
            annotations: {
              ...parts.podAnnotations,
              // Rolls the pods when falco.yaml or a rules file changes (Falco reads them at start).
              'checksum/config': Lazy.any({ produce: () => sha256([falcoYaml(), ...Object.entries(rulesData()).flat()].join('\n---\n')) }) as any,
            },
          },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            priorityClassName: props.priorityClassName,
            tolerations: (props.runOnControlPlane ?? true)
              ? CONTROL_PLANE_TAINTS.map((key) => ({ key, effect: 'NoSchedule', operator: 'Exists' }))
              : undefined,
            initContainers: [...parts.initContainers, ...(falcoctl ? [falcoctl.container('install')] : [])],
            containers: [
              {
                name: this.containerName,
                image,
                imagePullPolicy: 'IfNotPresent',
                args: ['/usr/bin/falco'],
                env: [
                  { name: 'HOST_ROOT', value: HOST_ROOT },
                  { name: 'FALCO_HOSTNAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                  { name: 'FALCO_K8S_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                ],
                ports: [{ name: 'web', containerPort: FALCO_WEB_PORT, protocol: 'TCP' }],
                // The chart's health checks: up to 100 s to load the driver and rules.
                startupProbe: probe({ initialDelaySeconds: 3, periodSeconds: 5, failureThreshold: 20 }),
                livenessProbe: probe({ periodSeconds: 15, failureThreshold: 3 }),
                readinessProbe: probe({ periodSeconds: 15, failureThreshold: 3 }),
                resources: {
                  requests: { cpu: k8s.Quantity.fromString(resources.cpuRequest), memory: k8s.Quantity.fromString(resources.memoryRequest) },
                  limits: { cpu: k8s.Quantity.fromString(resources.cpuLimit), memory: k8s.Quantity.fromString(resources.memoryLimit) },
                },
                securityContext: parts.securityContext,
                volumeMounts: [
                  { name: 'root-falco-fs', mountPath: '/root/.falco' },
                  ...parts.mounts,
                  // The container plugin asks the runtimes for container metadata.
                  ...sockets.map((s) => ({ name: s.name, mountPath: `${HOST_ROOT}${s.path}` })),
                  ...(falcoctl ? [
                    { name: 'rulesfiles-install-dir', mountPath: '/etc/falco' },
                    { name: 'plugins-install-dir', mountPath: '/usr/share/falco/plugins' },
                  ] : []),
                  { name: FALCO_YAML_VOLUME, mountPath: '/etc/falco/falco.yaml', subPath: 'falco.yaml' },
                  { name: 'rules-volume', mountPath: RULES_DIR },
                ],
              },
              ...(falcoctl ? [falcoctl.container('follow')] : []),
            ],
            volumes: [
              { name: 'root-falco-fs', emptyDir: {} },
              ...parts.volumes,
              ...sockets.map((s) => ({ name: s.name, hostPath: { path: s.path } })),
              ...(falcoctl ? falcoctl.volumes : []),
              { name: FALCO_YAML_VOLUME, configMap: { name: this.name, items: [{ key: 'falco.yaml', path: 'falco.yaml' }] } },
              { name: 'rules-volume', configMap: { name: `${this.name}-rules` } },
            ],
          },
        },
      },
    });

    // The webserver (metrics, /healthz, /versions for falcoctl) is the only port Falco serves;
    // scrapers may run anywhere, so the port is open to any peer and every other port is closed.
    createNetworkPolicy(this, 'network-policy', { metadata: objectMetadata(this.name), podSelector: selector, ingress: [{ port: FALCO_WEB_PORT }] });

    if (metrics) {
      this.metricsServiceName = `${this.name}-metrics`;
      const serviceLabels = { ...labels, ...selector };
      new k8s.KubeService(this, 'metrics-service', {
        metadata: { name: this.metricsServiceName, namespace: this.namespace, labels: serviceLabels },
        spec: {
          selector,
          ports: [{ name: 'metrics', port: FALCO_WEB_PORT, targetPort: k8s.IntOrString.fromString('web'), protocol: 'TCP' }],
        },
      });
      if (props.prometheusSelector) {
        createServiceMonitor(this, 'service-monitor', {
          name: this.name,
          namespace: this.namespace,
          labels,
          serviceLabels,
          portName: 'metrics',
          path: '/metrics',
          selector: props.prometheusSelector,
        });
      }
    }
  }

  /**
   * Adds a rules file, loaded after the upstream ruleset and the files added
   * before it (`/etc/falco/rules.d/<name>.yaml`). Its errors fail synthesis.
   * @param name file name without extension, a DNS-1123 label
   */
  public addRules(name: string, rules: FalcoRules): FalcoDeployment {
    validateDnsLabel(this, 'rules file name', name);
    if (this.rulesFiles.has(name)) {
      throw validationError(this, `rules file "${name}" is already added`, name, 'add its rules to the existing FalcoRules object, or pick another name');
    }
    this.rulesFiles.set(name, rules);
    return this;
  }

  /** Adds one rule to the `custom-rules` file (created on first use, loaded after the other files added so far). */
  public addRule(rule: FalcoRuleProps): FalcoDeployment {
    const existing = this.rulesFiles.get(CUSTOM_RULES_FILE);
    if (existing) existing.addRule(rule);
    else this.addRules(CUSTOM_RULES_FILE, new FalcoRules().addRule(rule));
    return this;
  }

  private ruleErrors(): string[] {
    // Custom files load after the upstream ruleset, whose macros and lists they may use;
    // the container plugin is always loaded (the upstream ruleset requires it).
    const context: FalcoValidationContext = this.loadsUpstream
      ? { macros: [...UPSTREAM_MACROS], lists: [...UPSTREAM_LISTS], plugins: ['container'] }
      : { plugins: ['container'] };
    return [...this.rulesFiles].flatMap(([file, rules]) => rules.validate(context)
      .filter((d) => d.severity === 'error')
      .map((d) => `${this.node.path}: rules file "${file}": ${d.message}`));
  }

  private validateNames(field: string, names: string[] = []): string[] {
    for (const name of names) {
      if (typeof name !== 'string' || name.trim() === '' || /[\n\r]/.test(name)) {
        throw validationError(this, `${field} contains an invalid name`, name, 'use the rule name or tag exactly as in the rules file, on one line');
      }
    }
    return names;
  }

  private validateResources(resources: FalcoResources): Required<FalcoResources> {
    const resolved: Required<FalcoResources> = {
      cpuRequest: resources.cpuRequest ?? '100m',
      memoryRequest: resources.memoryRequest ?? '512Mi',
      cpuLimit: resources.cpuLimit ?? '1000m',
      memoryLimit: resources.memoryLimit ?? '1024Mi',
    };
    for (const [field, value] of Object.entries(resolved)) {
      if (!QUANTITY.test(value)) {
        throw validationError(this, `resources.${field} is not a Kubernetes quantity`, value, 'use a quantity such as "500m", "1", "512Mi" or "2Gi"');
      }
    }
    return resolved;
  }

  /** The falcoctl ConfigMap, and the containers and volumes that use it (charts/falco falcoctl.*). */
  private falcoctl(defaultRules: FalcoDefaultRules, metadata: { name: string; namespace: string; labels: Record<string, string> }) {
    const dirs = { rulesfilesDir: '/rulesfiles', pluginsDir: '/plugins', stateDir: '/artifactstate' };
    new k8s.KubeConfigMap(this, 'falcoctl-config', {
      metadata,
      data: {
        'falcoctl.yaml': toYaml({
          indexes: [{ name: 'falcosecurity', url: 'https://falcosecurity.github.io/falcoctl/index.yaml' }],
          artifact: {
            allowedTypes: ['rulesfile', 'plugin'],
            // Install also fetches the container plugin the ruleset requires; follow keeps the rules current.
            install: { resolveDeps: true, refs: [defaultRules.artifact, CONTAINER_PLUGIN_ARTIFACT], ...dirs },
            follow: { refs: [defaultRules.artifact], every: defaultRules.followEvery, falcoversions: `http://localhost:${FALCO_WEB_PORT}/versions`, ...dirs },
          },
        }),
      },
    });
    const volumeMounts = [
      { name: 'plugins-install-dir', mountPath: dirs.pluginsDir },
      { name: 'rulesfiles-install-dir', mountPath: dirs.rulesfilesDir },
      { name: 'falcoctl-config-volume', mountPath: '/etc/falcoctl' },
      { name: 'artifact-state-dir', mountPath: dirs.stateDir },
    ];
    return {
      container: (verb: 'install' | 'follow'): k8s.Container => ({
        name: `falcoctl-artifact-${verb}`,
        image: FALCOCTL_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        args: ['artifact', verb, '--log-format=json'],
        volumeMounts,
        resources: {
          requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') },
          limits: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('128Mi') },
        },
        // falcoctl only downloads files into the shared emptyDirs. The pod sets no seccomp
        // profile (Falco's container needs Unconfined), so falcoctl asks for RuntimeDefault itself.
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
      }),
      volumes: [
        { name: 'plugins-install-dir', emptyDir: {} },
        { name: 'rulesfiles-install-dir', emptyDir: {} },
        { name: 'artifact-state-dir', emptyDir: {} },
        { name: 'falcoctl-config-volume', configMap: { name: metadata.name, items: [{ key: 'falcoctl.yaml', path: 'falcoctl.yaml' }] } },
      ] as k8s.Volume[],
    };
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
