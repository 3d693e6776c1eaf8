import { ApiObject, Duration, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FalcoDefaultRules, CONTAINER_PLUGIN_ARTIFACT, FalcoRuleset } from './default-rules';
import { FalcoDriver } from './driver';
import { DriverPodParts, driverPodParts, FALCO_YAML_VOLUME, HOST_ROOT } from './driver-pod';
import { CONTAINER_SOCKETS, FALCO_WEB_PORT, HEALTHZ_PATH, renderFalcoConfig, RULES_DIR } from './falco-config';
import { createFalcoctl, FalcoctlParts } from './falcoctl';
import { Falcosidekick, FalcosidekickOptions } from './falcosidekick';
import { FALCO_DRIVER_LOADER_IMAGE, FALCO_IMAGE } from './images';
import { artifactVersion, FalcoPlugin } from './plugin';
import { resolvePlugins } from './plugin-set';
import { FalcoPriority } from './priority';
import { FalcoRuleProps, FalcoRules, FalcoValidationContext } from './rules';
import { AuditBodyNeed } from './rules/audit-body-needs';
import { K8S_AUDIT_RULES_BODY_NEEDS } from './rules/k8s-audit-body-needs';
import { RulesItem } from './rules/rules-item';
import { UPSTREAM_LISTS, UPSTREAM_MACROS, UPSTREAM_RULE_PRIORITIES, UPSTREAM_RULES, UPSTREAM_RULES_DISABLED, UPSTREAM_TAGS } from './rules/upstream-names';
import { layoutRulesFiles, RULES_CONFIG_MAP_BUDGET, RulesLayout } from './rules-layout';
import { LoadedRulesFile, redefinedRules, unmatchedSelections } from './rules-selection';
import { FalcoWorkload, FalcoWorkloadKind } from './workload';
import { constructScope, optionalArgument, requiredArgument } from '../common/arguments';
import { configChecksum } from '../common/checksum';
import { validateSignalFields } from '../common/cluster-identity';
import { closest } from '../common/did-you-mean';
import { goDuration } from '../common/duration';
import { validateProgramImage } from '../common/image';
import { createNetworkPolicy } from '../common/network-policy';
import { annotationBytesAfterApply, configMapDataBytes, MAX_ANNOTATION_BYTES, MAX_CONFIG_MAP_DATA_BYTES } from '../common/object-size';
import { PrometheusSelector } from '../common/prometheus-selector';
import { validateContainerResources } from '../common/quantity';
import { createServiceMonitor } from '../common/service-monitor';
import { validateDnsLabel, validateDnsSubdomain, validateInstance, validateLabels, validationError, validationMessage } from '../common/validation';
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
  /**
   * How Falco collects syscalls; `FalcoDriver.none()` for plugin sources only.
   * @default - FalcoDriver.modernEbpf({ leastPrivileged: true }) in a DaemonSet, FalcoDriver.none() in a Deployment
   */
  readonly driver?: FalcoDriver;
  /**
   * The workload that runs Falco (the chart's `controller.kind`): a DaemonSet for
   * syscall monitoring, a Deployment for plugin-only sources.
   * @default FalcoWorkload.daemonSet()
   */
  readonly workload?: FalcoWorkload;
  /**
   * Plugins to load besides the container plugin (which comes with a syscall
   * driver), e.g. `FalcoPlugin.k8sAudit()` or a cloud audit plugin. falcoctl
   * installs their artifacts; push plugins get a Service.
   * @default - none
   */
  readonly plugins?: FalcoPlugin[];
  /**
   * Where the upstream (syscall) ruleset comes from.
   * @default - FalcoDefaultRules.falcoctl() with a syscall driver, FalcoDefaultRules.none() without
   */
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
  /**
   * Fields added to every event (Falco's `append_output` `extra_fields`), e.g.
   * `{ cluster: 'prod-eu-1' }`: they appear in the JSON event's
   * `output_fields`, which falcosidekick and the SIEM receive, without
   * changing the rule's message. Without `jsonOutput` they are appended to the
   * message as `key=value`. Inside a `SecurityMonitoringStack` with a
   * `cluster`, the cluster identity is added to these.
   * @default - none
   */
  readonly extraOutputFields?: { [key: string]: string };
  /** Pinned Falco image. @default 'docker.io/falcosecurity/falco:0.44.1' */
  readonly image?: string;
  /** Container resources. @default - the chart's: 100m/512Mi requested, 1000m/1024Mi limit */
  readonly resources?: FalcoResources;
  /** Also run on control-plane nodes (tolerate their NoSchedule taints). @default - true in a DaemonSet, false in a Deployment */
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
  /**
   * Post events to the falcosidekick of another `FalcoDeployment` instead of deploying one.
   *
   * For example, a plugin-only audit receiver posting to the syscall Falco's
   * forwarder. Its NetworkPolicy is widened to admit this Falco's pods, and
   * events are written as JSON.
   * @default - `falcosidekick` when set, else events are not forwarded
   */
  readonly forwardTo?: Falcosidekick;
}

/** Properties of a `FalcoDeployment`. */
export interface FalcoDeploymentProps extends FalcoOptions {
  /** Name of the Falco objects. @default 'falco' */
  readonly name?: string;
  /**
   * Namespace; must allow privileged pods with a syscall driver (plugin-only
   * Falco is admitted at `restricted`).
   * @default 'falco'
   */
  readonly namespace?: string;
  /** Labels of every object. @default - none besides the selector labels */
  readonly labels?: { [key: string]: string };
}

const CONTROL_PLANE_TAINTS = ['node-role.kubernetes.io/master', 'node-role.kubernetes.io/control-plane'];
const CUSTOM_RULES_FILE = 'custom-rules';

/** Upstream rules disabled and enabled by name and tag (`disabledRules`, `enabledRules`, `disabledTags`). */
interface RuleSelection {
  readonly disabled: string[];
  readonly enabled: string[];
  readonly disabledTags: string[];
}

/** What the constructor resolved from the props, for the steps that create the objects. */
interface FalcoSettings {
  readonly labels: { [key: string]: string };
  /** The pods' selector labels (the chart's). */
  readonly selector: { [key: string]: string };
  readonly workload: FalcoWorkload;
  readonly driver: FalcoDriver;
  /** What the driver adds to the pod: init containers, mounts, volumes, security context, engine. */
  readonly parts: DriverPodParts;
  readonly defaultRules: FalcoDefaultRules;
  /** The falcoctl artifacts the plugins need. */
  readonly pluginArtifacts: string[];
  /** The plugins that listen on a port (e.g. k8saudit's webhook). */
  readonly pushPlugins: FalcoPlugin[];
  readonly image: string;
  readonly resources: Required<FalcoResources>;
  readonly metrics: boolean;
}

/**
 * Falco as the official chart deploys it: a DaemonSet with the driver's host
 * access, or, for plugin-only sources, an unprivileged Deployment with a
 * Service per push plugin; falco.yaml and rules ConfigMaps, a metrics Service,
 * optionally falcoctl, falcosidekick and a ServiceMonitor.
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
  /** The workload kind running Falco. */
  public readonly workloadKind: FalcoWorkloadKind;
  /** The plugins Falco loads besides the container plugin, including those they require. */
  public readonly plugins: FalcoPlugin[];
  /** Event sources this Falco has: `syscall` with a driver, and each source plugin's. */
  public readonly sources: string[];

  /** The upstream rulesets Falco loads, in load order (empty with `FalcoDefaultRules.none()`). */
  public readonly rulesets: FalcoRuleset[];

  /**
   * The DaemonSet (or, with `FalcoWorkload.deployment()`, the Deployment)
   * running Falco: the construct's default child (id `Resource`). An escape
   * hatch for fields the props do not model, e.g.
   * `falco.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations/-', toleration))`.
   */
  public readonly workload: ApiObject;
  /** The ServiceAccount of the Falco pods (no token mounted). */
  public readonly serviceAccount: ApiObject;
  /** The ConfigMap holding `falco.yaml`. */
  public readonly configMap: ApiObject;
  /** The ConfigMap of falcoctl's configuration, when falcoctl installs rules or plugins. */
  public readonly falcoctlConfigMap?: ApiObject;
  /** The NetworkPolicy admitting traffic to the webserver and the push plugins' ports only. */
  public readonly networkPolicy: ApiObject;
  /** The Service of each plugin that listens on a port (e.g. k8saudit's webhook), by plugin name. */
  public readonly pluginServices: { [plugin: string]: ApiObject };
  /** The metrics Service, when metrics are on. */
  public readonly metricsService?: ApiObject;
  /** The ServiceMonitor of the metrics Service, when `prometheusSelector` is set. */
  public readonly serviceMonitor?: ApiObject;

  private readonly rulesFiles = new Map<string, FalcoRules>();
  /** One ConfigMap per 240 KiB of rules, created as the rules grow (see layOutRulesConfigMaps). */
  private readonly rulesConfigMapObjects: k8s.KubeConfigMap[] = [];
  private readonly rulesConfigMapMetadata: k8s.ObjectMeta;
  private layoutCache?: { readonly texts: string[]; readonly layout: RulesLayout };
  private readonly loadsUpstream: boolean;
  private readonly disabledRules: string[];
  private readonly ruleSelection: RuleSelection;
  /** The container plugin version falcoctl installs; '' when the Falco image's own is used. */
  private readonly containerPluginVersion: string;

  constructor(scope: Construct, id: string, props: FalcoDeploymentProps = {}) {
    super(constructScope('FalcoDeployment', scope, id), id);
    props = optionalArgument(this, 'props', props) ?? {};
    this.name = validateDnsLabel(this, 'name', props.name ?? 'falco');
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? 'falco');
    const labels = validateLabels(this, 'labels', props.labels ?? {});
    const { workload, driver } = this.resolveWorkload(props);
    this.workloadKind = workload.kind;
    this.plugins = resolvePlugins(this, props.plugins ?? [], driver, workload, this.namespace);
    this.sources = [...(driver.capturesSyscalls ? ['syscall'] : []), ...this.plugins.flatMap((p) => p.source ?? [])];
    const defaultRules = this.resolveDefaultRules(props.defaultRules, driver);
    this.loadsUpstream = defaultRules.loadsUpstream;
    this.rulesets = [...defaultRules.rulesets];
    this.containerPluginVersion = (defaultRules.usesFalcoctl && artifactVersion(CONTAINER_PLUGIN_ARTIFACT)) || '';
    const pluginArtifacts = this.pluginArtifacts(defaultRules);
    const image = validateProgramImage(this, 'image', props.image ?? FALCO_IMAGE, FALCO_IMAGE);
    const metrics = props.metrics ?? true;
    const resources = this.validateResources(props.resources ?? {});
    this.ruleSelection = this.resolveRuleSelection(props, defaultRules);
    this.disabledRules = this.ruleSelection.disabled;
    if (props.priorityClassName !== undefined) validateDnsSubdomain(this, 'priorityClassName', props.priorityClassName);
    if (props.prometheusSelector && !metrics) {
      throw validationError(this, 'prometheusSelector needs metrics', false, 'set metrics to true, or drop prometheusSelector');
    }
    this.node.addValidation({
      validate: () => [...this.ruleErrors(), ...this.sourcesWithoutRules(), ...this.selectionChecks().errors, ...this.layOutRulesConfigMaps()],
    });

    const selector = { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': this.name };
    const settings: FalcoSettings = {
      labels,
      selector,
      workload,
      driver,
      parts: driverPodParts(driver, 'falco', FALCO_DRIVER_LOADER_IMAGE),
      defaultRules,
      pluginArtifacts,
      pushPlugins: this.plugins.filter((p) => p.listenPort !== undefined),
      image,
      resources,
      metrics,
    };
    this.falcosidekick = this.addFalcosidekick(props, settings);
    const forwardTo = this.resolveForwardTo(props, settings);
    const httpOutputUrl = (this.falcosidekick ?? forwardTo)?.url;
    this.jsonOutput = httpOutputUrl !== undefined || (props.jsonOutput ?? true);
    const falcoYaml = this.falcoYaml(props, settings, httpOutputUrl);

    // Falco reads the Kubernetes API through no code path here (Kubernetes metadata
    // would come from the k8s-metacollector over gRPC), so it gets no token.
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: this.objectMetadata(settings, this.name), automountServiceAccountToken: false,
    });
    this.configMap = new k8s.KubeConfigMap(this, 'config-map', {
      metadata: this.objectMetadata(settings, this.name), data: { 'falco.yaml': Lazy.any({ produce: falcoYaml }) } as any,
    });
    this.rulesConfigMapMetadata = this.objectMetadata(settings, `${this.name}-rules`);
    this.addRulesConfigMap();
    const falcoctl = this.addFalcoctl(settings);
    this.falcoctlConfigMap = falcoctl?.configMap;
    this.workload = this.addWorkload(settings, this.podTemplate(props, settings, falcoYaml, falcoctl));
    this.networkPolicy = this.addNetworkPolicy(settings);
    this.pluginServices = this.addPluginServices(settings);
    if (metrics) {
      this.metricsServiceName = `${this.name}-metrics`;
      this.metricsService = this.addMetricsService(settings, this.metricsServiceName);
      if (props.prometheusSelector) this.serviceMonitor = this.addServiceMonitor(settings, props.prometheusSelector);
    }
  }

  /** The workload kind, and the driver (a syscall driver in a DaemonSet, none in a Deployment, unless set). */
  private resolveWorkload(props: FalcoDeploymentProps): { workload: FalcoWorkload; driver: FalcoDriver } {
    const workload = validateInstance(this, 'workload', props.workload ?? FalcoWorkload.daemonSet(), FalcoWorkload,
      'use FalcoWorkload.daemonSet() or FalcoWorkload.deployment()');
    const daemonSet = workload.kind === FalcoWorkloadKind.DAEMON_SET;
    const driver = validateInstance(this, 'driver', props.driver ?? (daemonSet ? FalcoDriver.modernEbpf() : FalcoDriver.none()), FalcoDriver,
      'use FalcoDriver.modernEbpf(), FalcoDriver.kmod(), FalcoDriver.auto() or FalcoDriver.none()');
    return { workload, driver };
  }

  /** The upstream rules: falcoctl's with a syscall driver, none with plugin-only sources, unless set. */
  private resolveDefaultRules(defaultRules: FalcoDefaultRules | undefined, driver: FalcoDriver): FalcoDefaultRules {
    const resolved = validateInstance(this, 'defaultRules',
      defaultRules ?? (driver.capturesSyscalls ? FalcoDefaultRules.falcoctl() : FalcoDefaultRules.none()), FalcoDefaultRules,
      'use a FalcoDefaultRules factory, e.g. FalcoDefaultRules.falcoctl()');
    if (!driver.capturesSyscalls && resolved.loadsUpstream) {
      throw validationError(this, 'defaultRules loads the upstream syscall ruleset, but driver is none', driver.kind,
        'use FalcoDefaultRules.none() with plugin-only sources, or a syscall driver');
    }
    return resolved;
  }

  /** The falcoctl artifacts the plugins need installed (rules and plugin files). */
  private pluginArtifacts(defaultRules: FalcoDefaultRules): string[] {
    const artifacts = this.plugins.flatMap((p) => [p.rulesArtifact, p.artifact].filter((a): a is string => a !== undefined));
    if (defaultRules.loadsUpstream && !defaultRules.usesFalcoctl && artifacts.length > 0) {
      // falcoctl's emptyDirs are mounted over /etc/falco and the plugin directory.
      throw validationError(this, 'plugins installed by falcoctl would hide the ruleset and container plugin of the image that defaultRules bundled() uses',
        artifacts, 'use FalcoDefaultRules.falcoctl(), or plugins without artifacts (shipped in the image)');
    }
    return artifacts;
  }

  /** disabledRules, disabledTags and enabledRules, checked against each other and the upstream rules. */
  private resolveRuleSelection(props: FalcoDeploymentProps, defaultRules: FalcoDefaultRules): RuleSelection {
    const disabled = this.validateNames('disabledRules', props.disabledRules);
    const disabledTags = this.validateNames('disabledTags', props.disabledTags);
    const enabled = this.validateNames('enabledRules', props.enabledRules);
    const both = enabled.find((r) => disabled.includes(r));
    if (both !== undefined) {
      throw validationError(this, 'a rule is both in enabledRules and disabledRules', both, 'keep it in one of them');
    }
    if (!defaultRules.loadsUpstream && (disabled.length + disabledTags.length + enabled.length) > 0) {
      throw validationError(this, 'disabledRules, disabledTags and enabledRules select upstream rules but defaultRules is none',
        [...disabled, ...disabledTags, ...enabled], 'load the upstream ruleset, or drop the selections');
    }
    return { disabled, enabled, disabledTags };
  }

  private objectMetadata(settings: FalcoSettings, name: string): k8s.ObjectMeta {
    return { name, namespace: this.namespace, labels: settings.labels };
  }

  private addFalcosidekick(props: FalcoDeploymentProps, settings: FalcoSettings): Falcosidekick | undefined {
    if (!props.falcosidekick) return undefined;
    return new Falcosidekick(this, 'falcosidekick', {
      ...props.falcosidekick,
      name: `${this.name}-falcosidekick`,
      namespace: validateDnsLabel(this, 'falcosidekickNamespace', props.falcosidekickNamespace ?? this.namespace),
      labels: { ...settings.labels, 'app.kubernetes.io/component': 'falcosidekick' },
      falcoNamespace: this.namespace,
      falcoSelector: settings.selector,
    });
  }

  /** Another deployment's falcosidekick this Falco posts to, admitted by its NetworkPolicy. */
  private resolveForwardTo(props: FalcoDeploymentProps, settings: FalcoSettings): Falcosidekick | undefined {
    const forwardTo = props.forwardTo === undefined ? undefined : validateInstance(this, 'forwardTo', props.forwardTo, Falcosidekick,
      'pass the falcosidekick of another FalcoDeployment (its .falcosidekick)');
    if (forwardTo && props.falcosidekick) {
      throw validationError(this, 'falcosidekick and forwardTo are both set', 'falcosidekick, forwardTo',
        'deploy a falcosidekick here (falcosidekick) or post to an existing one (forwardTo), not both');
    }
    forwardTo?.allowSender(this.namespace, settings.selector);
    return forwardTo;
  }

  /** falco.yaml, rendered at synth: the rules files it lists are known only once every rule is added. */
  private falcoYaml(props: FalcoDeploymentProps, settings: FalcoSettings, httpOutputUrl: string | undefined): () => string {
    const extraOutputFields = validateSignalFields(this, 'extraOutputFields', props.extraOutputFields ?? {});
    const { disabled: disabledRules, disabledTags, enabled: enabledRules } = this.ruleSelection;
    return () => toYaml(renderFalcoConfig({
      rulesFiles: [
        ...settings.defaultRules._rulesFiles,
        ...this.plugins.flatMap((p) => p.rulesFilePath ?? []),
        ...this.rulesLayout().parts.map((part) => `${RULES_DIR}/${part.key}`),
      ],
      plugins: this.plugins.map((p) => p.toConfig()),
      disabledRules,
      disabledTags,
      enabledRules,
      engine: settings.parts.engine,
      usesConfigD: settings.driver.needsLoader,
      priority: props.priority ?? FalcoPriority.DEBUG,
      jsonOutput: this.jsonOutput,
      extraOutputFields,
      metrics: settings.metrics,
      httpOutputUrl,
    }));
  }

  /** falcoctl's ConfigMap and containers, when it installs the upstream rules or a plugin's artifacts. */
  private addFalcoctl(settings: FalcoSettings): FalcoctlParts | undefined {
    const { defaultRules, pluginArtifacts } = settings;
    if (!defaultRules.usesFalcoctl && pluginArtifacts.length === 0) return undefined;
    return createFalcoctl(this, this.objectMetadata(settings, `${this.name}-falcoctl`), {
      // The ruleset's container plugin comes with it; Falco cannot reload a plugin, so only rules are followed.
      install: [...defaultRules.rulesArtifacts, ...(defaultRules.usesFalcoctl ? [CONTAINER_PLUGIN_ARTIFACT] : []), ...pluginArtifacts],
      follow: [...defaultRules.rulesArtifacts, ...this.plugins.flatMap((p) => p.rulesArtifact ?? [])],
      followEvery: goDuration(this, 'followEvery', defaultRules.followEvery ?? Duration.days(7)),
    });
  }

  private podTemplate(props: FalcoDeploymentProps, settings: FalcoSettings, falcoYaml: () => string,
    falcoctl: FalcoctlParts | undefined): k8s.PodTemplateSpec {
    const { parts } = settings;
    // The container plugin asks the runtimes for container metadata; it comes with a syscall driver.
    const sockets = settings.driver.capturesSyscalls ? CONTAINER_SOCKETS.map((path, i) => ({ name: `container-engine-socket-${i}`, path })) : [];
    return {
      metadata: {
        labels: { ...settings.labels, ...settings.selector },
        annotations: {
          ...parts.podAnnotations,
          // Rolls the pods when falco.yaml or a rules file changes (Falco reads them at start).
          'checksum/config': Lazy.any({
            produce: () => configChecksum([falcoYaml(), ...this.rulesLayout().parts.flatMap((part) => [part.key, part.text])], '\n---\n'),
          }) as any,
        },
      },
      spec: {
        serviceAccountName: this.name,
        automountServiceAccountToken: false,
        securityContext: parts.podSecurityContext,
        priorityClassName: props.priorityClassName,
        // A Deployment's replica has no reason to sit on a control-plane node (the chart's
        // k8saudit example keeps the tolerations only because they are its global default).
        tolerations: (props.runOnControlPlane ?? settings.workload.kind === FalcoWorkloadKind.DAEMON_SET)
          ? CONTROL_PLANE_TAINTS.map((key) => ({ key, effect: 'NoSchedule', operator: 'Exists' }))
          : undefined,
        initContainers: [...parts.initContainers, ...(falcoctl ? [falcoctl.install] : [])],
        containers: [this.falcoContainer(settings, sockets, falcoctl), ...(falcoctl?.follow ? [falcoctl.follow] : [])],
        volumes: [
          { name: 'root-falco-fs', emptyDir: {} },
          ...parts.volumes,
          ...sockets.map((s) => ({ name: s.name, hostPath: { path: s.path } })),
          ...(falcoctl ? falcoctl.volumes : []),
          { name: FALCO_YAML_VOLUME, configMap: { name: this.name, items: [{ key: 'falco.yaml', path: 'falco.yaml' }] } },
          Lazy.any({ produce: () => this.rulesVolume() }) as any,
        ],
      },
    };
  }

  private falcoContainer(settings: FalcoSettings, sockets: Array<{ name: string; path: string }>,
    falcoctl: FalcoctlParts | undefined): k8s.Container {
    const { parts, resources } = settings;
    const probe = (extra: Partial<k8s.Probe>): k8s.Probe => ({
      httpGet: { path: HEALTHZ_PATH, port: k8s.IntOrString.fromNumber(FALCO_WEB_PORT) }, timeoutSeconds: 5, ...extra,
    });
    return {
      name: this.containerName,
      image: settings.image,
      imagePullPolicy: 'IfNotPresent',
      args: ['/usr/bin/falco', ...parts.args],
      env: [
        { name: 'HOST_ROOT', value: HOST_ROOT },
        { name: 'FALCO_HOSTNAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'FALCO_K8S_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        // Plugin credentials: Falco expands their ${VARIABLE} in falco.yaml from these.
        ...this.plugins.flatMap((p) => p._env.map(({ env }) => env)),
      ],
      ports: [
        { name: 'web', containerPort: FALCO_WEB_PORT, protocol: 'TCP' },
        ...settings.pushPlugins.map((p) => ({ containerPort: p.listenPort!, protocol: 'TCP' })),
      ],
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
        ...sockets.map((s) => ({ name: s.name, mountPath: `${HOST_ROOT}${s.path}` })),
        ...(falcoctl ? falcoctl.falcoMounts : []),
        { name: FALCO_YAML_VOLUME, mountPath: '/etc/falco/falco.yaml', subPath: 'falco.yaml' },
        { name: 'rules-volume', mountPath: RULES_DIR },
      ],
    };
  }

  private addWorkload(settings: FalcoSettings, template: k8s.PodTemplateSpec): ApiObject {
    const metadata = this.objectMetadata(settings, this.name);
    const matchLabels = settings.selector;
    return settings.workload.kind === FalcoWorkloadKind.DAEMON_SET
      ? new k8s.KubeDaemonSet(this, 'Resource', { metadata, spec: { selector: { matchLabels }, updateStrategy: { type: 'RollingUpdate' }, template } })
      : new k8s.KubeDeployment(this, 'Resource', { metadata, spec: { replicas: settings.workload.replicas, selector: { matchLabels }, template } });
  }

  /**
   * The webserver (metrics, /healthz, /versions for falcoctl) and the push plugins' ports are
   * the only ports Falco serves; scrapers may run anywhere and the API server posts audit
   * events from the host network or from outside the cluster, which no selector matches, so
   * these ports are open to any peer and every other port is closed.
   */
  private addNetworkPolicy(settings: FalcoSettings): ApiObject {
    return createNetworkPolicy(this, 'network-policy', {
      metadata: this.objectMetadata(settings, this.name),
      podSelector: settings.selector,
      ingress: [FALCO_WEB_PORT, ...settings.pushPlugins.map((p) => p.listenPort!)].map((port) => ({ port })),
    });
  }

  /** A Service per push plugin (e.g. k8saudit's webhook), by plugin name. */
  private addPluginServices({ labels, selector, pushPlugins }: FalcoSettings): { [plugin: string]: ApiObject } {
    const services: { [plugin: string]: ApiObject } = {};
    for (const plugin of pushPlugins) {
      const kebabName = plugin.name.replace(/_/g, '-');
      const serviceName = plugin.serviceName ?? validateDnsLabel(this, `Service name of plugin "${plugin.name}"`, `${this.name}-${kebabName}`);
      services[plugin.name] = new k8s.KubeService(this, `${kebabName}-service`, {
        metadata: { name: serviceName, namespace: this.namespace, labels: { ...labels, ...selector } },
        spec: {
          selector,
          ports: [{ name: 'webhook', port: plugin.listenPort!, targetPort: k8s.IntOrString.fromNumber(plugin.listenPort!), protocol: 'TCP' }],
        },
      });
    }
    return services;
  }

  private addMetricsService({ labels, selector }: FalcoSettings, name: string): ApiObject {
    return new k8s.KubeService(this, 'metrics-service', {
      metadata: { name, namespace: this.namespace, labels: { ...labels, ...selector } },
      spec: {
        selector,
        ports: [{ name: 'metrics', port: FALCO_WEB_PORT, targetPort: k8s.IntOrString.fromString('web'), protocol: 'TCP' }],
      },
    });
  }

  private addServiceMonitor({ labels, selector }: FalcoSettings, prometheusSelector: PrometheusSelector): ApiObject {
    return createServiceMonitor(this, 'service-monitor', {
      name: this.name,
      namespace: this.namespace,
      labels,
      serviceLabels: { ...labels, ...selector },
      portName: 'metrics',
      path: '/metrics',
      selector: prometheusSelector,
    });
  }

  /**
   * What this Falco's selections and rules files change in rules defined
   * before them (upstream ones included), one line each, for `describe()`.
   * @internal
   */
  public _tuning(): string[] {
    const { disabled, disabledTags, enabled } = this.ruleSelection;
    // Each rule's priority as loaded so far (upstream, then every file in order), so an override shows what it changes.
    const priorities = new Map(Object.entries(UPSTREAM_RULE_PRIORITIES));
    const changes = (item: { kind: string; name: string; fields: Record<string, unknown> }): string[] => {
      if (item.fields.override === undefined) {
        if (item.kind === 'rule' && item.fields.priority !== undefined) priorities.set(item.name, String(item.fields.priority));
        return [];
      }
      return Object.entries(item.fields.override as Record<string, string>).map(([key, mode]) => {
        const value = item.fields[key];
        if (key === 'enabled') return `${item.kind} "${item.name}": ${value === false ? 'disabled' : 'enabled'}`;
        if (key === 'exceptions') return `${item.kind} "${item.name}": exceptions ${mode === 'append' ? 'appended' : 'replaced'}: ${(value as Array<{ name: string }>).map((e) => e.name).join(', ')}`;
        if (key === 'items') return `${item.kind} "${item.name}": items ${mode === 'append' ? 'appended' : 'replaced'}: ${(value as string[]).join(', ')}`;
        if (key === 'priority') {
          const before = priorities.get(item.name);
          priorities.set(item.name, String(value));
          return `${item.kind} "${item.name}": priority ${before ?? '(not defined before)'} -> ${String(value)}`;
        }
        return `${item.kind} "${item.name}": ${key} ${mode === 'append' ? 'appended' : 'replaced'}`;
      });
    };
    return [
      ...disabled.map((rule) => `rule "${rule}": disabled (disabledRules)`),
      ...disabledTags.map((tag) => `rules tagged "${tag}": disabled (disabledTags)`),
      ...enabled.map((rule) => `rule "${rule}": enabled (enabledRules)`),
      ...[...this.rulesFiles].flatMap(([file, rules]) => rules._items().flatMap(changes).map((line) => `${line} (rules file "${file}")`)),
    ];
  }

  /**
   * Adds a rules file, loaded after the upstream ruleset and the files added
   * before it (`/etc/falco/rules.d/<name>.yaml`). Its errors fail synthesis.
   * @param name file name without extension, a DNS-1123 label
   */
  public addRules(name: string, rules: FalcoRules): FalcoDeployment {
    name = requiredArgument(this, 'name', name, 'the rules file name, e.g. "network-rules"');
    rules = requiredArgument(this, 'rules', rules, 'a FalcoRules, e.g. new FalcoRules().addRule({ ... })');
    validateDnsLabel(this, 'rules file name', name);
    if (this.rulesFiles.has(name)) {
      throw validationError(this, `rules file "${name}" is already added`, name, 'add its rules to the existing FalcoRules object, or pick another name');
    }
    this.rulesFiles.set(name, rules);
    return this;
  }

  /** Adds one rule to the `custom-rules` file (created on first use, loaded after the other files added so far). */
  public addRule(rule: FalcoRuleProps): FalcoDeployment {
    rule = requiredArgument(this, 'rule', rule, '{ name, description, condition, output, priority }');
    const existing = this.rulesFiles.get(CUSTOM_RULES_FILE);
    if (existing) existing.addRule(rule);
    else this.addRules(CUSTOM_RULES_FILE, new FalcoRules().addRule(rule));
    return this;
  }

  /**
   * Findings that do not stop Falco but probably are not what was meant, e.g. a
   * rules ConfigMap too large for client-side `kubectl apply`, or a
   * falcosidekick output setting passed through unchecked.
   */
  public get warnings(): string[] {
    return [...redefinedRules(this, this.loadedRulesFiles()), ...this.selectionChecks().warnings, ...this.sizeWarnings(),
      ...this.falcosidekick?.warnings ?? []];
  }

  /** The rules files Falco loads whose rules are known here, in load order. */
  private loadedRulesFiles(): LoadedRulesFile[] {
    return [
      ...this.rulesets.map((ruleset) => ({ label: `the ${ruleset} ruleset`, rules: UPSTREAM_RULES[ruleset], tags: UPSTREAM_TAGS[ruleset] })),
      ...[...this.rulesFiles].map(([file, rules]) => ({ label: `rules file "${file}"`, rules: rules.ruleNames, tags: rules.ruleTags })),
    ];
  }

  /** disabledRules, enabledRules and disabledTags checked against the rules and tags of every file Falco loads. */
  private selectionChecks(): { errors: string[]; warnings: string[] } {
    const unknown = this.plugins.filter((p) => p.rulesArtifact !== undefined).map((p) => `the rules of plugin "${p.name}" (${p.rulesArtifact})`);
    const { disabled, enabled, disabledTags } = this.ruleSelection;
    const selection = { disabledRules: disabled, enabledRules: enabled, disabledTags };
    return unmatchedSelections(this, selection, this.loadedRulesFiles(), this.rulesets, unknown);
  }

  private sizeWarnings(): string[] {
    return this.rulesLayout().configMaps.flatMap((parts, i) => {
      const name = this.rulesConfigMapName(i);
      const data = Object.fromEntries(parts.map((part) => [part.key, part.text]));
      const bytes = annotationBytesAfterApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...this.rulesConfigMapMetadata, name }, data });
      if (bytes <= MAX_ANNOTATION_BYTES || configMapDataBytes({ data }) > MAX_CONFIG_MAP_DATA_BYTES) return [];
      const entry = parts.reduce((a, b) => (b.largestEntry.bytes > a.largestEntry.bytes ? b : a)).largestEntry;
      return [validationMessage(this, `ConfigMap ${name} is too large for client-side kubectl apply, which copies it into an annotation of at most `
        + `${MAX_ANNOTATION_BYTES} bytes: its entry "${entry.head}" alone takes ${entry.bytes} bytes as JSON`, `${bytes} bytes`,
      `apply with "kubectl apply --server-side" (or your GitOps tool's server-side apply), or shorten that entry below ${RULES_CONFIG_MAP_BUDGET} bytes`)];
    });
  }

  private rulesConfigMapName(index: number): string {
    return index === 0 ? `${this.name}-rules` : `${this.name}-rules-${index + 1}`;
  }

  /** The rules files as Falco loads them, split over ConfigMaps within Kubernetes' size limits. */
  private rulesLayout(): RulesLayout {
    const files = [...this.rulesFiles].map(([file, rules]) => [file, rules.toYaml()] as const);
    const texts = files.map(([, text]) => text);
    const cached = this.layoutCache;
    if (cached && cached.texts.length === texts.length && cached.texts.every((text, i) => text === texts[i])) return cached.layout;
    const layout = layoutRulesFiles(files);
    this.layoutCache = { texts, layout };
    return layout;
  }

  /**
   * The ConfigMaps of the rules files added with `addRules` and `addRule`: one
   * until synthesis, when one more is created per 240 KiB of rules beyond the
   * first (ids `rules-config-map`, `rules-config-map-2`, ...).
   */
  public get rulesConfigMaps(): ApiObject[] {
    return [...this.rulesConfigMapObjects];
  }

  private addRulesConfigMap(): void {
    const index = this.rulesConfigMapObjects.length;
    const name = this.rulesConfigMapName(index);
    this.rulesConfigMapObjects.push(new k8s.KubeConfigMap(this, index === 0 ? 'rules-config-map' : `rules-config-map-${index + 1}`, {
      metadata: { ...this.rulesConfigMapMetadata, name },
      data: Lazy.any({
        produce: () => Object.fromEntries((this.rulesLayout().configMaps[index] ?? []).map((part) => [part.key, part.text])),
      }) as any,
    }));
  }

  /**
   * Creates the rules ConfigMaps the layout needs. Rules may be added until
   * synthesis, so their number is known only then: cdk8s validates every
   * construct before it renders any, and this runs as a validation.
   * @returns errors for entries that no ConfigMap can hold
   */
  private layOutRulesConfigMaps(): string[] {
    const layout = this.rulesLayout();
    while (this.rulesConfigMapObjects.length < layout.configMaps.length) this.addRulesConfigMap();
    while (this.rulesConfigMapObjects.length > layout.configMaps.length) this.node.tryRemoveChild(this.rulesConfigMapObjects.pop()!.node.id);
    return layout.parts.filter((part) => Buffer.byteLength(part.text) > MAX_CONFIG_MAP_DATA_BYTES).map((part) =>
      validationMessage(this, `rules file "${part.file}" has an entry larger than the ${MAX_CONFIG_MAP_DATA_BYTES} bytes a ConfigMap holds, so no split can deliver it`,
        part.largestEntry.head, `shorten the entry (${Buffer.byteLength(part.text)} bytes): split a long list into several lists and name them in one list, or a long condition into macros`));
  }

  /** All rules ConfigMaps in one directory: a projected volume when there are several. */
  private rulesVolume(): k8s.Volume {
    const names = this.rulesLayout().configMaps.map((_, i) => this.rulesConfigMapName(i));
    return names.length === 1
      ? { name: 'rules-volume', configMap: { name: names[0] } }
      : { name: 'rules-volume', projected: { sources: names.map((name) => ({ configMap: { name } })) } };
  }

  /**
   * Why a rule of this name can never match in this Falco, with the fix; undefined
   * when a file Falco loads defines it enabled, or when it may come from a
   * plugin's rules artifact (whose rule names are not known here).
   * @internal
   */
  public _ruleNotLoaded(rule: string): { readonly problem: string; readonly fix: string } | undefined {
    if (this.ruleSelection.disabled.includes(rule)) return { problem: 'is in disabledRules', fix: 'remove it from falco.disabledRules' };
    if ([...this.rulesFiles.values()].some((rules) => rules.ruleNames.includes(rule))) return undefined;
    const ruleset = (Object.keys(UPSTREAM_RULES) as FalcoRuleset[]).find((r) => UPSTREAM_RULES[r].includes(rule));
    if (ruleset !== undefined && this.rulesets.includes(ruleset)) {
      return UPSTREAM_RULES_DISABLED.includes(rule) && !this.ruleSelection.enabled.includes(rule)
        ? { problem: `ships disabled in the ${ruleset} ruleset`, fix: 'add it to falco.enabledRules' }
        : undefined;
    }
    if (ruleset !== undefined) {
      const rulesets = [...this.rulesets.filter((r) => r !== ruleset), ruleset].map((r) => `FalcoRuleset.${r.toUpperCase()}`).join(', ');
      return { problem: `is in the ${ruleset} ruleset, which this Falco does not load`, fix: `load it: falco.defaultRules: FalcoDefaultRules.falcoctl({ rulesets: [${rulesets}] })` };
    }
    if (this.plugins.some((p) => p.rulesArtifact !== undefined)) return undefined;
    const known = [...this.rulesets.flatMap((r) => UPSTREAM_RULES[r]), ...[...this.rulesFiles.values()].flatMap((rules) => rules.ruleNames)];
    const suggestion = closest(rule, known);
    return {
      problem: 'is defined by no rules file this Falco loads',
      fix: suggestion === undefined ? 'add the rule (falco.addRule), or watch a rule that is loaded' : `did you mean "${suggestion}"?`,
    };
  }

  /**
   * The requests whose bodies the `k8s_audit` rules this Falco loads read: the
   * k8saudit ruleset's (when a plugin installs it) and those of the added files.
   * @internal
   */
  public _auditBodyNeeds(): AuditBodyNeed[] {
    if (!this.sources.includes('k8s_audit')) return [];
    const upstream = this.plugins.some((p) => p.rulesArtifact?.startsWith('k8saudit-rules:'))
      ? K8S_AUDIT_RULES_BODY_NEEDS.filter((n) => !this.disabledRules.includes(n.rule)) : [];
    return [...upstream, ...this.fileContexts().flatMap(([rules, context]) => rules._auditBodyNeeds(context))];
  }

  /** Each custom file with what it sees: it loads after the custom files added before it. */
  private fileContexts(): Array<[FalcoRules, FalcoValidationContext, string]> {
    const earlier = this.validationContext();
    return [...this.rulesFiles].map(([file, rules]) => {
      const context: FalcoValidationContext = { ...earlier };
      earlier.macros = [...earlier.macros, ...rules.macroNames];
      earlier.lists = [...earlier.lists, ...rules.listNames];
      earlier.rules = [...earlier.rules, ...rules.ruleNames];
      return [rules, context, file];
    });
  }

  private ruleErrors(): string[] {
    // Each custom file loads after the custom files added before it: it may use their
    // macros and lists and override their rules.
    const errors = this.fileContexts().flatMap(([rules, context, file]) => rules._validate(context, false)
      .filter((d) => d.severity === 'error')
      .map((d) => `${this.node.path}: rules file "${file}": ${d.message}`));
    return errors.length > 0 ? errors : this.ruleTestFailures();
  }

  /**
   * Rule tests run against what this Falco holds once it has loaded every file: a later
   * file's overrides, appended lists and disabled rules count.
   */
  private ruleTestFailures(): string[] {
    const files = [...this.rulesFiles];
    const loaded = new Set<FalcoRules>();
    const items: RulesItem[] = [];
    files.forEach(([, rules]) => rules._loadInto(loaded, items));
    const context = this.validationContext();
    return files.flatMap(([file, rules]) => rules._testFailures(items, context)
      .map((d) => `${this.node.path}: rules file "${file}": ${d.message}`));
  }

  /** What the custom files see: the upstream rulesets and the plugins' rules files load before them. */
  private validationContext(): FalcoValidationContext & { macros: string[]; lists: string[]; rules: string[] } {
    // A syscall driver comes with the container plugin.
    const upstream = this.loadsUpstream;
    return {
      macros: [...(upstream ? UPSTREAM_MACROS : []), ...this.plugins.flatMap((p) => p.rulesMacros)],
      lists: [...(upstream ? UPSTREAM_LISTS : []), ...this.plugins.flatMap((p) => p.rulesLists)],
      rules: this.rulesets.flatMap((ruleset) => UPSTREAM_RULES[ruleset]),
      plugins: [...(this.sources.includes('syscall') ? ['container'] : []), ...this.plugins.map((p) => p.name)],
      sources: this.sources,
      installedPlugins: this.installedPlugins,
    };
  }

  /**
   * The plugins Falco loads and the version of each, where the deployment fixes
   * it: falcoctl's artifact tags, and the container plugin that comes with a
   * syscall driver ('' when it is the Falco image's own).
   */
  private get installedPlugins(): { [name: string]: string } {
    const installed: { [name: string]: string } = {};
    if (this.sources.includes('syscall')) installed.container = this.containerPluginVersion;
    for (const plugin of this.plugins) installed[plugin.name] = plugin.version ?? '';
    return installed;
  }

  /** A source plugin without rules produces events that nothing ever matches. */
  private sourcesWithoutRules(): string[] {
    const ruled = new Set([...this.rulesFiles.values()].flatMap((rules) => rules.ruleSources));
    return this.plugins
      .filter((p) => p.source !== undefined && p.rulesArtifact === undefined && !ruled.has(p.source))
      .map((p) => validationError(this, `plugin "${p.name}" provides the "${p.source}" source, but no rules file has rules of it`, p.name,
        `give the plugin a rulesArtifact, or add rules with source: ${p.source} (addRules or addRule)`).message);
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
    return validateContainerResources(this, 'resources', {
      cpuRequest: resources.cpuRequest ?? '100m',
      memoryRequest: resources.memoryRequest ?? '512Mi',
      cpuLimit: resources.cpuLimit ?? '1000m',
      memoryLimit: resources.memoryLimit ?? '1024Mi',
    });
  }

}

