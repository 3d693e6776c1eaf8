import { JSON_PARSER, RenderedSource, SourceContext, STATE_DIR } from './internal';
import { validateLogPath, validateLogType } from './siem-validation';
import { DEFAULT_AUDIT_LOG_PATH } from '../common/audit-log';
import { validateDnsLabel } from '../common/validation';


/** The kubelet's symlinks to every container's log file (CRI: `<pod>_<namespace>_<container>-<id>.log`). */
const CONTAINER_LOG_DIR = '/var/log/containers';

/** Options shared by every source. */
export interface SiemSourceOptions {
  /**
   * Value of the `log_type` field added to every record of this source. It
   * also names the source: destinations route and index by it, so each
   * source of a pipeline needs its own.
   *
   * @default - per source: `container`, `security_audit`, `falco`
   */
  readonly logType?: string;
}

/** Options of `SiemSource.auditLog`. */
export interface SiemAuditLogOptions extends SiemSourceOptions {
  /**
   * The API server's `--audit-log-path`, below `/var/log`.
   * @default DEFAULT_AUDIT_LOG_PATH ('/var/log/kubernetes/audit/audit.log')
   */
  readonly path?: string;
}

/** Options of `SiemSource.falcoEvents`. */
export interface SiemFalcoEventsOptions extends SiemSourceOptions {
  /**
   * Namespace Falco runs in.
   * @default - the stack's `falcoNamespace` inside a SecurityMonitoringStack, else 'falco'
   */
  readonly namespace?: string;
  /**
   * Name of the Falco container in the Falco pods.
   * @default 'falco'
   */
  readonly containerName?: string;
}

/** Options of `SiemSource.hostFiles`. */
export interface SiemHostFilesOptions extends SiemSourceOptions {
  /** Path or glob of the files to ship, below `/var/log`, e.g. `/var/log/audit/*.log`. */
  readonly glob: string;
}


type Renderer = (logType: string, context: SourceContext) => Omit<RenderedSource, 'logType'>;

/**
 * A kind of log the pipeline ships. Every record gets a `log_type` field, and
 * its Fluent Bit tag starts with the log type, so destinations can route and
 * index each source separately.
 *
 * Security sources cannot be silenced by a workload: the `kubernetes` filter's
 * `k8s-logging.exclude` (the `fluentbit.io/exclude` annotation) stays off.
 */
export class SiemSource {
  /**
   * Every container's stdout/stderr (`/var/log/containers/*.log`), CRI or
   * Docker format, enriched with pod metadata and JSON messages merged.
   * Falco's own log files are skipped when `falcoEvents` is also a source.
   */
  public static containerLogs(options: SiemSourceOptions = {}): SiemSource {
    return new SiemSource(options.logType ?? 'container', (logType, context) => ({
      input: {
        ...tail(logType, `${CONTAINER_LOG_DIR}/*.log`),
        ...(context.excludedContainerLogs.length > 0 ? { exclude_path: context.excludedContainerLogs.join(',') } : {}),
        'multiline.parser': 'cri, docker',
      },
      filters: [kubernetesFilter(logType)],
    }));
  }

  /**
   * The API server audit log (JSON lines). The file exists only on
   * control-plane nodes; the DaemonSet tolerates their taints so it runs there,
   * and on other nodes the input simply finds no file.
   */
  public static auditLog(options: SiemAuditLogOptions = {}): SiemSource {
    const path = options.path ?? DEFAULT_AUDIT_LOG_PATH;
    return new SiemSource(options.logType ?? 'security_audit', (logType, context) => ({
      input: {
        ...tail(logType, validateLogPath(context.where, 'auditLog path', path)),
        parser: JSON_PARSER,
        // Audit events written before the agent first started are still security evidence.
        read_from_head: 'on',
      },
      filters: [],
    }));
  }

  /**
   * Falco alerts, read from the Falco containers' log files: Falco writes one
   * JSON object per alert to stdout when `json_output` is on (as
   * `FalcoDeployment` configures it). Reading the container logs needs nothing
   * from the Falco deployment; the JSON is merged into the record, so `rule`,
   * `priority` and `output_fields` are searchable at the SIEM.
   */
  public static falcoEvents(options: SiemFalcoEventsOptions = {}): SiemSource {
    return new SiemSource(options.logType ?? 'falco', (logType, context) => {
      const namespace = validateDnsLabel(context.where, 'falcoEvents namespace', options.namespace ?? context.falcoNamespace);
      const container = validateDnsLabel(context.where, 'falcoEvents containerName', options.containerName ?? 'falco');
      const files = `${CONTAINER_LOG_DIR}/*_${namespace}_${container}-*.log`;
      return {
        input: { ...tail(logType, files), 'multiline.parser': 'cri, docker', 'read_from_head': 'on' },
        filters: [kubernetesFilter(logType)],
        claimedContainerLogs: files,
      };
    });
  }

  /** Plain-text files of the host, e.g. auditd's `/var/log/audit/*.log`. */
  public static hostFiles(options: SiemHostFilesOptions): SiemSource {
    return new SiemSource(options.logType ?? 'host', (logType, context) => ({
      input: tail(logType, validateLogPath(context.where, 'hostFiles glob', options.glob)),
      filters: [],
    }));
  }

  private constructor(private readonly logType: string, private readonly renderer: Renderer) {}

  /** @internal */
  public _render(context: SourceContext): RenderedSource {
    const logType = validateLogType(context.where, 'source logType', this.logType);
    return { logType, ...this.renderer(logType, context) };
  }
}

/**
 * A `tail` input with the reliability settings every source shares: offsets
 * in a database on the host (restarts neither re-ship nor skip) and chunks
 * buffered on the host's disk (an outage of the SIEM loses nothing).
 */
function tail(logType: string, path: string): Record<string, unknown> {
  return {
    'name': 'tail',
    'tag': `${logType}.*`,
    path,
    'db': `${STATE_DIR}/tail-${logType}.db`,
    'db.locking': 'on',
    'storage.type': 'filesystem',
    'skip_long_lines': 'on',
    'refresh_interval': 10,
  };
}

/** Pod metadata for records read from /var/log/containers; the tag carries the file name. */
function kubernetesFilter(logType: string): Record<string, unknown> {
  return {
    'name': 'kubernetes',
    'match': `${logType}.*`,
    'kube_tag_prefix': `${logType}.var.log.containers.`,
    'merge_log': 'on',
    'keep_log': 'off',
    'labels': 'on',
    // Annotations often carry configuration blobs; labels identify the workload.
    'annotations': 'off',
    // A workload must not be able to hide its logs or choose how they are parsed.
    'k8s-logging.exclude': 'off',
    'k8s-logging.parser': 'off',
  };
}
