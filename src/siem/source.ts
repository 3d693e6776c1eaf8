import { SourceContext, SourceFormat, SourceSpec } from './internal';
import { validateLogPath, validateLogType } from './siem-validation';
import { DEFAULT_AUDIT_LOG_PATH } from '../common/audit-log';
import { validateDnsLabel } from '../common/validation';

/** A container id in a kubelet log file name: 64 hex digits (containerd, CRI-O and Docker alike). */
const CONTAINER_ID_GLOB = '?'.repeat(64);

/** The kubelet's symlinks to every container's log file (CRI: `<pod>_<namespace>_<container>-<id>.log`). */
const CONTAINER_LOG_DIR = '/var/log/containers';

/** Options shared by every source. */
export interface SiemSourceOptions {
  /**
   * Value of the `log_type` field added to every record of this source. It
   * also names the source: destinations route and index by it, so each
   * source of a pipeline needs its own.
   *
   * @default - per source: `container`, `security_audit`, `falco`, `host`
   */
  readonly logType?: string;
}

/** Options of `SiemSource.auditLog`. */
export interface SiemAuditLogOptions extends SiemSourceOptions {
  /**
   * The API server's `--audit-log-path`, below `/var/log`.
   * @default '/var/log/kubernetes/audit/audit.log' (DEFAULT_AUDIT_LOG_PATH)
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

type Resolver = (context: SourceContext) => Omit<SourceSpec, 'logType' | 'excludedPaths'>;

/**
 * A kind of log the pipeline ships. Every record gets a `log_type` field, so
 * destinations can route and index each source separately.
 *
 * Security sources cannot be silenced by a workload: annotations such as
 * `fluentbit.io/exclude` are ignored.
 */
export class SiemSource {
  /**
   * Every container's stdout/stderr (`/var/log/containers/*.log`), CRI or
   * Docker format, enriched with pod metadata and JSON messages merged.
   * Falco's own log files are skipped when `falcoEvents` is also a source.
   */
  public static containerLogs(options: SiemSourceOptions = {}): SiemSource {
    return new SiemSource(options.logType ?? 'container', true, () => ({
      path: `${CONTAINER_LOG_DIR}/*.log`, format: SourceFormat.CONTAINER, jsonMessages: false, readFromHead: false,
    }));
  }

  /**
   * The API server audit log (JSON lines). The file exists only on
   * control-plane nodes; the DaemonSet tolerates their taints so it runs there,
   * and on other nodes the input simply finds no file.
   */
  public static auditLog(options: SiemAuditLogOptions = {}): SiemSource {
    return new SiemSource(options.logType ?? 'security_audit', false, (context) => ({
      path: validateLogPath(context.where, 'auditLog path', options.path ?? DEFAULT_AUDIT_LOG_PATH),
      format: SourceFormat.JSON,
      jsonMessages: false,
      // Audit events written before the agent first started are still security evidence.
      readFromHead: true,
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
    return new SiemSource(options.logType ?? 'falco', false, (context) => {
      const namespace = validateDnsLabel(context.where, 'falcoEvents namespace', options.namespace ?? context.falcoNamespace);
      const container = validateDnsLabel(context.where, 'falcoEvents containerName', options.containerName ?? 'falco');
      // `<pod>_<namespace>_<container>-<64-hex container id>.log`: matching the id by
      // length keeps other containers whose name starts the same (falco-driver-loader) out.
      const files = `${CONTAINER_LOG_DIR}/*_${namespace}_${container}-${CONTAINER_ID_GLOB}.log`;
      return { path: files, format: SourceFormat.CONTAINER, jsonMessages: true, readFromHead: true, claimedContainerLogs: files };
    });
  }

  /** Plain-text files of the host, e.g. auditd's `/var/log/audit/*.log`. */
  public static hostFiles(options: SiemHostFilesOptions): SiemSource {
    return new SiemSource(options.logType ?? 'host', false, (context) => ({
      path: validateLogPath(context.where, 'hostFiles glob', options.glob),
      format: SourceFormat.PLAIN,
      jsonMessages: false,
      readFromHead: false,
    }));
  }

  private constructor(
    private readonly logType: string,
    /** Whether it reads every container log, and so must skip files other sources ship. */
    private readonly allContainers: boolean,
    private readonly resolve: Resolver,
  ) {}

  /** @internal */
  public _spec(context: SourceContext): SourceSpec {
    const logType = validateLogType(context.where, 'source logType', this.logType);
    return { logType, ...this.resolve(context), excludedPaths: this.allContainers ? context.excludedContainerLogs : [] };
  }
}
