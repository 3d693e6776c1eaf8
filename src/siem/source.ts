import { SourceContext, SourceFormat, SourceSpec } from './internal';
import { validateInteger, validateLogPath, validateLogType } from './siem-validation';
import { optionalArgument, requiredArgument } from '../common/arguments';
import { DEFAULT_AUDIT_LOG_PATH, DEFAULT_AUDIT_MAX_EVENT_BYTES, validateAuditMaxEventBytes } from '../common/audit-log';
import { ErrorLocation, validateDnsLabel, validationError } from '../common/validation';

/** A container id in a kubelet log file name: 64 hex digits (containerd, CRI-O and Docker alike). */
const CONTAINER_ID_GLOB = '?'.repeat(64);

/** The kubelet's symlinks to every container's log file (CRI: `<pod>_<namespace>_<container>-<id>.log`). */
const CONTAINER_LOG_DIR = '/var/log/containers';

/** Where containerd (`max_container_log_line_size`) and Docker split a long line into partial lines. */
const DEFAULT_RUNTIME_MAX_LINE_BYTES = 16 * 1024;
/**
 * A container log line on disk around `n` bytes of output: CRI adds a timestamp,
 * the stream and the partial flag; Docker's json-file escapes the output, up to
 * 6 bytes per byte (`\u0001`), and adds the stream and time fields.
 */
const containerLineOnDisk = (n: number) => 6 * n + 256;
/** Plain host files (auditd, syslog) have short lines; longer ones are skipped and counted. */
const DEFAULT_HOST_MAX_LINE_BYTES = 64 * 1024;

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

/** Options of the sources that read container log files. */
export interface SiemContainerLogOptions extends SiemSourceOptions {
  /**
   * Bytes of output after which the container runtime splits a line into
   * partial lines (containerd's `max_container_log_line_size`, Docker's 16 KiB).
   * Fluent Bit joins the partial lines again; its read buffer is sized for
   * one such line in either file format, so no line is skipped.
   *
   * @default 16384 (containerd's and Docker's default)
   */
  readonly maxLineBytes?: number;
}

/** Options of `SiemSource.auditLog`. */
export interface SiemAuditLogOptions extends SiemSourceOptions {
  /**
   * The API server's `--audit-log-path`, below `/var/log`.
   * @default '/var/log/kubernetes/audit/audit.log' (DEFAULT_AUDIT_LOG_PATH)
   */
  readonly path?: string;

  /**
   * Largest audit event the API server writes (its
   * `--audit-log-truncate-max-event-size`): Fluent Bit reads lines this long
   * whole. Inside a `SecurityMonitoringStack` it defaults to, and may not be
   * smaller than, the audit policy's `maxEventBytes`.
   *
   * @default - the stack's `auditPolicy.maxEventBytes`, else 1048576 (1 MiB)
   */
  readonly maxEventBytes?: number;
}

/** Options of `SiemSource.falcoEvents`. */
export interface SiemFalcoEventsOptions extends SiemContainerLogOptions {
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

  /**
   * Longest line of the files, in bytes. A longer line is skipped and counted
   * (`fluentbit_input_long_line_skipped_total`, alert `FluentBitSkippingLongLines`).
   * @default 65536
   */
  readonly maxLineBytes?: number;
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
  public static containerLogs(options: SiemContainerLogOptions = {}): SiemSource {
    options = optionalArgument('SiemSource.containerLogs', 'options', options) ?? {};
    return new SiemSource(options.logType ?? 'container', true, (context) => ({
      path: `${CONTAINER_LOG_DIR}/*.log`,
      format: SourceFormat.CONTAINER,
      jsonMessages: false,
      maxLineBytes: containerLineOnDisk(runtimeMaxLineBytes(context.where, 'containerLogs', options)),
    }));
  }

  /**
   * The API server audit log (JSON lines). The file exists only on
   * control-plane nodes; the DaemonSet tolerates their taints so it runs there,
   * and on other nodes the input simply finds no file.
   */
  public static auditLog(options: SiemAuditLogOptions = {}): SiemSource {
    options = optionalArgument('SiemSource.auditLog', 'options', options) ?? {};
    return new SiemSource(options.logType ?? 'security_audit', false, (context) => ({
      path: validateLogPath(context.where, 'auditLog path', options.path ?? DEFAULT_AUDIT_LOG_PATH),
      format: SourceFormat.JSON,
      jsonMessages: false,
      maxLineBytes: auditMaxEventBytes(context, options.maxEventBytes),
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
    options = optionalArgument('SiemSource.falcoEvents', 'options', options) ?? {};
    return new SiemSource(options.logType ?? 'falco', false, (context) => {
      const namespace = validateDnsLabel(context.where, 'falcoEvents namespace', options.namespace ?? context.falcoNamespace);
      const container = validateDnsLabel(context.where, 'falcoEvents containerName', options.containerName ?? 'falco');
      // `<pod>_<namespace>_<container>-<64-hex container id>.log`: matching the id by
      // length keeps other containers whose name starts the same (falco-driver-loader) out.
      const files = `${CONTAINER_LOG_DIR}/*_${namespace}_${container}-${CONTAINER_ID_GLOB}.log`;
      return {
        path: files,
        format: SourceFormat.CONTAINER,
        jsonMessages: true,
        maxLineBytes: containerLineOnDisk(runtimeMaxLineBytes(context.where, 'falcoEvents', options)),
        claimedContainerLogs: files,
      };
    });
  }

  /** Plain-text files of the host, e.g. auditd's `/var/log/audit/*.log`. */
  public static hostFiles(options: SiemHostFilesOptions): SiemSource {
    options = requiredArgument('SiemSource.hostFiles', 'options', options, '{ glob: "/var/log/app/*.log", logType: "app" }');
    return new SiemSource(options.logType ?? 'host', false, (context) => ({
      path: validateLogPath(context.where, 'hostFiles glob', options.glob),
      format: SourceFormat.PLAIN,
      jsonMessages: false,
      maxLineBytes: validateInteger(context.where, 'hostFiles maxLineBytes', options.maxLineBytes ?? DEFAULT_HOST_MAX_LINE_BYTES, 1024, 16 * 1024 * 1024),
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

function runtimeMaxLineBytes(where: ErrorLocation, factory: string, options: SiemContainerLogOptions): number {
  // containerd's -1 (never split) cannot be honoured: no read buffer is sure to hold an unbounded line.
  return validateInteger(where, `${factory} maxLineBytes`, options.maxLineBytes ?? DEFAULT_RUNTIME_MAX_LINE_BYTES, 1024, 1024 * 1024);
}

/**
 * The audit source reads lines as long as the largest event the API server
 * writes: by default the stack's own truncation limit, and never less.
 */
function auditMaxEventBytes(context: SourceContext, given: number | undefined): number {
  const written = context.auditMaxEventBytes;
  if (given === undefined) return written ?? DEFAULT_AUDIT_MAX_EVENT_BYTES;
  const read = validateAuditMaxEventBytes(context.where, 'auditLog maxEventBytes', given);
  if (written !== undefined && read < written) {
    throw validationError(context.where, `auditLog maxEventBytes is smaller than the audit policy's maxEventBytes (${written}), so larger events would be skipped`, read,
      `leave auditLog maxEventBytes unset to follow the audit policy, or lower auditPolicy.maxEventBytes to ${read}`);
  }
  return read;
}
