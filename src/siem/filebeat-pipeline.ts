import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SiemAgentContextProps } from './agent-context';
import { AgentPlacement, createAgentWorkload, placeAgent } from './agent-workload';
import { BEAT_EXPORTER_PORT, beatExporterContainer, DEFAULT_BEAT_EXPORTER_IMAGE, METRICS_PORT_NAME } from './beat-exporter';
import { SiemDestination } from './destination';
import { resolveElasticIndex, resolveTls, resolveUsername } from './destination-settings';
import { SiemElasticsearchOptions } from './destinations/elasticsearch';
import { FILEBEAT_HTTP_PORT, filebeatConfig, filebeatDatePattern } from './filebeat-config';
import { defaultSources, resolveSources } from './resolve-sources';
import { SiemSource } from './source';
import { constructScope, requiredArgument } from '../common/arguments';
import { clusterIdentityLabels, validateSignalFields } from '../common/cluster-identity';
import { validateProgramImage } from '../common/image';
import { PrometheusSelector } from '../common/prometheus-selector';
import { validateSecretKeyReference } from '../common/secret-key-reference';
import { createServiceMonitor } from '../common/service-monitor';
import { validationError } from '../common/validation';
import { toYaml } from '../common/yaml';

/** Filebeat release the pipeline runs. */
export const DEFAULT_FILEBEAT_IMAGE = 'docker.elastic.co/beats/filebeat:9.5.3';
const CONFIG_DIR = '/etc/filebeat';
const CONFIG_FILE = 'filebeat.yml';
const PASSWORD_ENV = 'SIEM_ES_PASSWORD';

/** Properties of a `FilebeatPipeline`. */
export interface FilebeatPipelineProps extends SiemAgentContextProps {
  /**
   * The Elasticsearch cluster to ship to. `logTypes`, `retryLimit` and
   * `bufferLimit` are Fluent Bit settings and are rejected here: Filebeat ships
   * every source and retries without limit, re-reading from the files.
   * Filebeat ships to Elasticsearch only: other destinations, including
   * `SiemDestination.custom` outputs, are Fluent Bit's (`SiemPipeline`).
   */
  readonly elasticsearch: SiemElasticsearchOptions;

  /**
   * What is shipped. Each source needs its own `logType`.
   * @default - container logs, the API server audit log and Falco events
   */
  readonly sources?: SiemSource[];

  /**
   * Namespace of the Filebeat DaemonSet; see `SiemPipelineProps.namespace`
   * for why it must allow `hostPath` volumes.
   * @default 'security-logging'
   */
  readonly namespace?: string;

  /**
   * Name of the Filebeat objects; also names its host directory
   * (`/var/lib/filebeat-data/<namespace>-<name>`).
   * @default 'filebeat'
   */
  readonly name?: string;

  /**
   * Filebeat image. Pin a tag or a digest.
   * @default DEFAULT_FILEBEAT_IMAGE
   */
  readonly image?: string;

  /**
   * Fields set on every record shipped, e.g. `{ team: 'security' }`, after
   * the records' own fields (a workload's log line cannot overwrite them).
   * The cluster identity (`cluster`, from a stack with a `cluster`) is added to these.
   * @default - none
   */
  readonly recordFields?: { [key: string]: string };

  /**
   * Serve Filebeat's metrics to Prometheus: a beat-exporter sidecar turns
   * Filebeat's `/stats` into the `filebeat_*` metrics the catalogue's Filebeat
   * alerts read (`FilebeatOutputErrors`, `FilebeatDroppingEvents`, ...), on the
   * `metrics` port of a Service named like the pipeline.
   * @default true
   */
  readonly metrics?: boolean;

  /**
   * Image of the beat-exporter sidecar. Pin a tag or a digest. The upstream
   * image is built for linux/amd64 only: on arm64 nodes use a build of your
   * own, or `metrics: false`.
   * @default DEFAULT_BEAT_EXPORTER_IMAGE
   */
  readonly metricsExporterImage?: string;

  /**
   * Create a ServiceMonitor for the exporter's metrics, labelled for this
   * Prometheus. In a `SecurityMonitoringStack`, the stack's `prometheus`
   * integration. Needs `metrics`.
   * @default - no ServiceMonitor
   */
  readonly serviceMonitor?: PrometheusSelector;
}

/**
 * Ships security logs to Elasticsearch with Filebeat, for teams that run the
 * Elastic stack: `filestream` inputs with `log_type` on every record,
 * `add_kubernetes_metadata` for container logs, and daily indices
 * (`security-logs-%{+yyyy.MM.dd}`) with the matching index template settings.
 *
 * Filebeat guarantees at-least-once delivery: it records a file offset in its
 * registry (on the host, so it survives restarts) only after Elasticsearch
 * acknowledged the events, and retries without limit. Logs rotated away during
 * a long outage are lost, and events may be sent twice after a restart.
 */
export class FilebeatPipeline extends Construct {
  /** Namespace the DaemonSet runs in. */
  public readonly namespace: string;
  /** Name of the DaemonSet and the other objects. */
  public readonly name: string;
  /** The rendered `filebeat.yml`. */
  public readonly config: string;
  /**
   * The Filebeat DaemonSet, the pipeline's primary object (`node.defaultChild`):
   * an escape hatch for a field the props do not model, e.g.
   * `pipeline.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'system-node-critical'))`.
   */
  public readonly workload: ApiObject;
  /** The ConfigMap holding `filebeat.yml`. */
  public readonly configMap: ApiObject;
  /** The ServiceAccount Filebeat runs as. */
  public readonly serviceAccount: ApiObject;
  /** The ClusterRole that lets Filebeat read pod, namespace and node metadata. */
  public readonly clusterRole: ApiObject;
  /** The binding of `clusterRole` to `serviceAccount`. */
  public readonly clusterRoleBinding: ApiObject;
  /** The NetworkPolicy that admits ingress only on the HTTP endpoint's port and the metrics port. */
  public readonly networkPolicy: ApiObject;
  /** The Service of the metrics port, when `metrics` is on. */
  public readonly service?: ApiObject;
  /** The ServiceMonitor of the metrics, when `serviceMonitor` is set. */
  public readonly serviceMonitor?: ApiObject;

  constructor(scope: Construct, id: string, props: FilebeatPipelineProps) {
    super(constructScope('FilebeatPipeline', scope, id), id);
    props = requiredArgument(this, 'props', props, '{ elasticsearch: { host: "elasticsearch.example.com" } }');
    const placement = placeAgent(this, props, { name: 'filebeat', image: DEFAULT_FILEBEAT_IMAGE, app: 'filebeat' });
    const metrics = props.metrics ?? true;
    if (!metrics && props.serviceMonitor) {
      throw validationError(this, 'serviceMonitor is set but metrics is false, so there is nothing to scrape', false,
        'drop metrics: false, or leave serviceMonitor out');
    }
    const exporterImage = metrics ? validateProgramImage(this, 'metricsExporterImage', props.metricsExporterImage ?? DEFAULT_BEAT_EXPORTER_IMAGE,
      DEFAULT_BEAT_EXPORTER_IMAGE) : undefined;
    this.namespace = placement.namespace;
    this.name = placement.name;
    const es = props.elasticsearch ?? {};
    if (es instanceof SiemDestination) {
      throw validationError(this, 'elasticsearch is a SiemDestination, a Fluent Bit output', 'a SiemDestination',
        'pass the Elasticsearch options themselves ({ host, ... }): Filebeat ships to Elasticsearch only; ship to other destinations, custom ones included, with SiemPipeline');
    }
    for (const field of ['logTypes', 'retryLimit', 'bufferLimit'] as const) {
      if (es[field] !== undefined) {
        throw validationError(this, `elasticsearch ${field} is a Fluent Bit setting that Filebeat does not support`, es[field],
          `remove ${field}, or ship with SiemPipeline`);
      }
    }
    const index = resolveElasticIndex(this, 'elasticsearch', es);
    const datePattern = filebeatDatePattern(index.dateFormat);
    if (datePattern === undefined) {
      throw validationError(this, 'elasticsearch dateFormat has no Filebeat equivalent', index.dateFormat, 'use only %Y, %y, %m, %d, %H and %j');
    }
    const { tls, verify } = resolveTls(this, 'elasticsearch', es);
    const username = resolveUsername(this, 'elasticsearch', es);
    const password = es.passwordSecret && validateSecretKeyReference(this, 'elasticsearch passwordSecret', es.passwordSecret);

    const sources = resolveSources(this, props.sources ?? defaultSources(), props);
    const recordFields = { ...validateSignalFields(this, 'recordFields', props.recordFields ?? {}), ...(props.cluster && clusterIdentityLabels(this, props.cluster)) };
    this.config = toYaml(filebeatConfig(sources, recordFields, {
      url: `${tls ? 'https' : 'http'}://${index.host}:${index.port}`,
      indexPrefix: index.indexPrefix,
      datePattern,
      indexPerLogType: index.indexPerLogType,
      verificationMode: tls ? (verify ? 'full' : 'none') : undefined,
      username,
      passwordEnv: PASSWORD_ENV,
    }));

    ({
      workload: this.workload, configMap: this.configMap, serviceAccount: this.serviceAccount,
      clusterRole: this.clusterRole, clusterRoleBinding: this.clusterRoleBinding, networkPolicy: this.networkPolicy,
    } = createAgentWorkload(this, {
      ...placement,
      containerName: 'filebeat',
      // Log to stderr (-e), so nothing is written to the read-only root filesystem.
      args: ['-c', `${CONFIG_DIR}/${CONFIG_FILE}`, '-e'],
      configFile: CONFIG_FILE,
      config: this.config,
      configDir: CONFIG_DIR,
      // Filebeat's registry of read offsets.
      stateDir: '/usr/share/filebeat/data',
      hostStateDir: '/var/lib/filebeat-data',
      secretEnv: password ? [{ name: PASSWORD_ENV, secret: password }] : [],
      env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
      ports: [{ name: 'http', containerPort: FILEBEAT_HTTP_PORT, protocol: 'TCP' }],
      livenessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10 },
      // /stats answers once the publishing pipeline is up.
      readinessProbe: { httpGet: { path: '/stats', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10 },
      // add_kubernetes_metadata reads pods, their namespaces and their node.
      readResources: ['namespaces', 'nodes', 'pods'],
      sidecars: metrics ? [beatExporterContainer(exporterImage!, FILEBEAT_HTTP_PORT)] : [],
    }));
    if (metrics) ({ service: this.service, serviceMonitor: this.serviceMonitor } = this.addMetricsService(placement, props.serviceMonitor));
  }

  private addMetricsService(placement: AgentPlacement, selector: PrometheusSelector | undefined): { service: ApiObject; serviceMonitor?: ApiObject } {
    const service = new k8s.KubeService(this, 'service', {
      metadata: { name: placement.name, namespace: placement.namespace, labels: placement.labels },
      spec: {
        selector: placement.selectorLabels,
        ports: [{ name: METRICS_PORT_NAME, port: BEAT_EXPORTER_PORT, targetPort: k8s.IntOrString.fromString(METRICS_PORT_NAME) }],
        // Pods turn unready while Elasticsearch is unreachable; their metrics must stay scrapable exactly then.
        publishNotReadyAddresses: true,
      },
    });
    const serviceMonitor = selector && createServiceMonitor(this, 'service-monitor', {
      name: placement.name,
      namespace: placement.namespace,
      labels: placement.labels,
      serviceLabels: placement.selectorLabels,
      portName: METRICS_PORT_NAME,
      path: '/metrics',
      selector,
    });
    return { service, serviceMonitor };
  }
}
