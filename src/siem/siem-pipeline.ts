import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SiemAgentContextProps } from './agent-context';
import { createAgentWorkload, placeAgent } from './agent-workload';
import { SiemDestination } from './destination';
import { FLUENT_BIT_STATE_DIR, fluentBitConfig, HTTP_PORT } from './fluent-bit-config';
import { SecretEnv } from './internal';
import { defaultSources, resolveSources } from './resolve-sources';
import { SiemSource } from './source';
import { constructScope, requiredArgument } from '../common/arguments';
import { clusterIdentityLabels, validateSignalFields } from '../common/cluster-identity';
import { validateWholeSeconds } from '../common/duration';
import { PrometheusSelector } from '../common/prometheus-selector';
import { createServiceMonitor } from '../common/service-monitor';
import { validateInstanceList, validationError } from '../common/validation';
import { toYaml } from '../common/yaml';

/** Fluent Bit release the pipeline runs (the fluent-bit Helm chart 0.58.1's appVersion). */
export const DEFAULT_FLUENT_BIT_IMAGE = 'cr.fluentbit.io/fluent/fluent-bit:5.1.1';
const CONFIG_DIR = '/fluent-bit/etc/conf';
const CONFIG_FILE = 'fluent-bit.yaml';

/** Properties of a `SiemPipeline`. */
export interface SiemPipelineProps extends SiemAgentContextProps {
  /** Where the logs go: at least one destination. */
  readonly destinations: SiemDestination[];

  /**
   * What is shipped. Each source needs its own `logType`.
   * @default - container logs, the API server audit log and Falco events
   */
  readonly sources?: SiemSource[];

  /**
   * Namespace of the Fluent Bit DaemonSet. It needs `hostPath` volumes (the
   * host's `/var/log` and a state directory), which only the `privileged` Pod
   * Security Standard allows, so it cannot share the stack's `restricted`
   * namespace. Inside a `SecurityMonitoringStack` the namespace is declared
   * `privileged`; elsewhere it must exist and allow hostPath volumes.
   *
   * @default 'security-logging'
   */
  readonly namespace?: string;

  /**
   * Name of the Fluent Bit objects; also names the host directory holding the
   * tail databases and buffered chunks (`/var/lib/fluent-bit/<name>`).
   * @default 'fluent-bit'
   */
  readonly name?: string;

  /**
   * Fluent Bit image. Pin a tag or a digest.
   * @default DEFAULT_FLUENT_BIT_IMAGE
   */
  readonly image?: string;

  /**
   * Time between flushes of buffered records to the destinations (`flush`),
   * whole seconds from 1 to 60.
   * @default Duration.seconds(1)
   */
  readonly flushInterval?: Duration;

  /**
   * Base of the exponential retry back-off (`scheduler.base`), whole seconds
   * up to an hour.
   * @default Duration.seconds(5)
   */
  readonly retryBackoffBase?: Duration;

  /**
   * Longest wait between two retries of a chunk (`scheduler.cap`), whole
   * seconds up to a day, at least `retryBackoffBase`. Bounds how long
   * shipping lags after a destination comes back.
   * @default Duration.minutes(5)
   */
  readonly retryBackoffCap?: Duration;

  /**
   * Create a ServiceMonitor for Fluent Bit's metrics
   * (`/api/v2/metrics/prometheus`), labelled for this Prometheus.
   * @default - no ServiceMonitor
   */
  readonly serviceMonitor?: PrometheusSelector;

  /**
   * Fields set on every record shipped, e.g. `{ team: 'security' }`, after
   * the records' own fields (a workload's log line cannot overwrite them).
   * The cluster identity (`cluster`, from a stack with a `cluster`) is added to these.
   * @default - none
   */
  readonly recordFields?: { [key: string]: string };
}

/**
 * Ships security logs to one or more SIEMs with Fluent Bit: a DaemonSet on
 * every node (taints tolerated, so control-plane nodes and their audit log
 * are covered), a least-privilege ClusterRole for pod metadata, the config in
 * a ConfigMap (YAML format) and a Service for health and metrics.
 *
 * Nothing is lost while a destination is down: records are buffered on the
 * node's disk and retried without limit by default, and file offsets survive
 * restarts.
 *
 * @example
 * new SiemPipeline(chart, 'siem', {
 *   destinations: [SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' } })],
 * });
 */
export class SiemPipeline extends Construct {
  /** Namespace the DaemonSet runs in. */
  public readonly namespace: string;
  /** Name of the Fluent Bit objects. */
  public readonly name: string;
  /** The rendered Fluent Bit configuration (`fluent-bit.yaml`). */
  public readonly config: string;
  /**
   * The Fluent Bit DaemonSet, the pipeline's primary object (`node.defaultChild`):
   * an escape hatch for a field the props do not model, e.g.
   * `pipeline.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'system-node-critical'))`.
   */
  public readonly workload: ApiObject;
  /** The ConfigMap holding `fluent-bit.yaml`. */
  public readonly configMap: ApiObject;
  /** The ServiceAccount Fluent Bit runs as. */
  public readonly serviceAccount: ApiObject;
  /** The ClusterRole that lets Fluent Bit read pod and namespace metadata. */
  public readonly clusterRole: ApiObject;
  /** The binding of `clusterRole` to `serviceAccount`. */
  public readonly clusterRoleBinding: ApiObject;
  /** The NetworkPolicy that admits ingress only on the health and metrics port. */
  public readonly networkPolicy: ApiObject;
  /** The Service of the health and metrics port. */
  public readonly service: ApiObject;
  /**
   * The ServiceMonitor that has Prometheus scrape Fluent Bit.
   * @default - none, when `serviceMonitor` is not set
   */
  public readonly serviceMonitor?: ApiObject;
  /** Log types the pipeline ships. */
  public readonly logTypes: string[];

  constructor(scope: Construct, id: string, props: SiemPipelineProps) {
    super(constructScope('SiemPipeline', scope, id), id);
    props = requiredArgument(this, 'props', props, '{ destinations: [SiemDestination.splunkHec({ ... })] }');
    const placement = placeAgent(this, props, { name: 'fluent-bit', image: DEFAULT_FLUENT_BIT_IMAGE, app: 'fluent-bit' });
    this.namespace = placement.namespace;
    this.name = placement.name;
    const service = {
      flushSeconds: validateWholeSeconds(this, 'flushInterval', props.flushInterval ?? Duration.seconds(1), 1, 60, 'Duration.seconds(1)'),
      retryBaseSeconds: validateWholeSeconds(this, 'retryBackoffBase', props.retryBackoffBase ?? Duration.seconds(5), 1, 3600, 'Duration.seconds(5)'),
      retryMaxSeconds: validateWholeSeconds(this, 'retryBackoffCap', props.retryBackoffCap ?? Duration.minutes(5), 1, 86400, 'Duration.minutes(5)'),
    };
    if (service.retryMaxSeconds < service.retryBaseSeconds) {
      throw validationError(this, 'retryBackoffCap is shorter than retryBackoffBase', `${service.retryMaxSeconds}s`,
        `use a retryBackoffCap of at least Duration.seconds(${service.retryBaseSeconds})`);
    }
    const destinations = validateInstanceList(this, 'destinations', props.destinations ?? [], SiemDestination,
      'build each destination with a SiemDestination factory, e.g. SiemDestination.splunkHec({ ... })');
    if (destinations.length === 0) {
      throw validationError(this, 'destinations is empty', props.destinations,
        'add at least one destination, e.g. SiemDestination.splunkHec({...}), or leave the SIEM pipeline out');
    }

    const sources = resolveSources(this, props.sources ?? defaultSources(), props);
    this.logTypes = sources.map((s) => s.logType);
    const rendered = destinations.map((d, i) => d._render({ where: this, logTypes: this.logTypes, envPrefix: `SIEM_DEST${i + 1}` }));
    const recordFields = { ...validateSignalFields(this, 'recordFields', props.recordFields ?? {}), ...(props.cluster && clusterIdentityLabels(this, props.cluster)) };
    this.config = toYaml(fluentBitConfig(service, sources, rendered.flatMap((d) => d.outputs), recordFields));

    const http = (path: string) => ({ httpGet: { path, port: k8s.IntOrString.fromString('http') }, periodSeconds: 10 });
    ({
      workload: this.workload, configMap: this.configMap, serviceAccount: this.serviceAccount,
      clusterRole: this.clusterRole, clusterRoleBinding: this.clusterRoleBinding, networkPolicy: this.networkPolicy,
    } = createAgentWorkload(this, {
      ...placement,
      containerName: 'fluent-bit',
      command: ['/fluent-bit/bin/fluent-bit'],
      args: ['--workdir=/fluent-bit/etc', `--config=${CONFIG_DIR}/${CONFIG_FILE}`],
      configFile: CONFIG_FILE,
      config: this.config,
      configDir: CONFIG_DIR,
      stateDir: FLUENT_BIT_STATE_DIR,
      hostStateDir: FLUENT_BIT_STATE_DIR,
      secretEnv: mergeSecretEnv(this, rendered.flatMap((d) => d.env)),
      serviceAccountAnnotations: mergeAnnotations(this, rendered.map((d) => d.serviceAccountAnnotations)),
      ports: [{ name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' }],
      // Liveness asks only whether the process answers: a SIEM outage makes /api/v2/health
      // unhealthy, and restarting Fluent Bit would not bring the SIEM back.
      livenessProbe: http('/'),
      readinessProbe: http('/api/v2/health'),
      // The kubernetes filter reads pod and namespace metadata; nothing else.
      readResources: ['namespaces', 'pods'],
    }));
    this.service = new k8s.KubeService(this, 'service', {
      metadata: { name: this.name, namespace: this.namespace, labels: placement.labels },
      spec: {
        selector: placement.selectorLabels,
        ports: [{ name: 'http', port: HTTP_PORT, targetPort: k8s.IntOrString.fromString('http') }],
        // Pods turn unready while a destination is down; their metrics must stay scrapable exactly then.
        publishNotReadyAddresses: true,
      },
    });
    if (props.serviceMonitor) {
      this.serviceMonitor = createServiceMonitor(this, 'service-monitor', {
        name: this.name,
        namespace: this.namespace,
        labels: placement.labels,
        serviceLabels: placement.selectorLabels,
        portName: 'http',
        path: '/api/v2/metrics/prometheus',
        selector: props.serviceMonitor,
      });
    }
  }
}

/**
 * One environment variable per name: destinations that read a fixed variable
 * (the AWS SDK's `AWS_ACCESS_KEY_ID`) may share it only with the same Secret key.
 */
function mergeSecretEnv(where: Construct, env: SecretEnv[]): SecretEnv[] {
  const byName = new Map<string, SecretEnv>();
  for (const entry of env) {
    const seen = byName.get(entry.name);
    if (seen && (seen.secret.secretName !== entry.secret.secretName || seen.secret.key !== entry.secret.key)) {
      throw validationError(where, `two destinations read ${entry.name} from different Secret keys`, [seen.secret, entry.secret],
        'use the same credentials for every S3 destination of a pipeline, or a role (SiemAwsCredentials.irsa) instead of keys');
    }
    if (!seen) byName.set(entry.name, entry);
  }
  return [...byName.values()];
}

/** The ServiceAccount has one value per annotation: destinations must agree (one IAM role per pipeline). */
function mergeAnnotations(where: Construct, all: Array<Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const annotations of all) {
    for (const [key, value] of Object.entries(annotations)) {
      if (merged[key] !== undefined && merged[key] !== value) {
        throw validationError(where, `two destinations need different values of the ServiceAccount annotation ${key}`, [merged[key], value],
          'use one IAM role for every S3 destination of a pipeline: the pipeline has one ServiceAccount');
      }
      merged[key] = value;
    }
  }
  return merged;
}
