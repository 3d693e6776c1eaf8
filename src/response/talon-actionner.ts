import { Duration } from 'cdk8s';
import { RbacRule, rbacRulesOf, TalonPolicyRule } from './rbac';
import { KUBERNETES_API_CATEGORIES, TALON_ACTIONNERS, TalonRuleEnd } from './talon-catalogue';
import { optionalArgument, requiredArgument } from '../common/arguments';
import { didYouMean } from '../common/did-you-mean';
import { validateWholeSeconds } from '../common/duration';
import { validatePinnedImage } from '../common/image';
import { ErrorLocation, validateDnsLabel, validateLabelKey, validateLabelValue, validationError } from '../common/validation';

/** Parameters of `TalonActionner.networkPolicy`. */
export interface TalonNetworkPolicyOptions {
  /** CIDRs the isolated pod may still reach (`allow_cidr`). @default - none: all egress denied */
  readonly allowCidrs?: string[];
  /** Namespaces the isolated pod may still reach (`allow_namespaces`). @default - none */
  readonly allowNamespaces?: string[];
}

/** Parameters of `TalonActionner.terminate`. */
export interface TalonTerminateOptions {
  /**
   * Grace period before the pod is killed (`grace_period_seconds`), in whole seconds.
   * @default - Talon's default, 0: the pod is killed at once
   */
  readonly gracePeriod?: Duration;
  /** Leave pods of DaemonSets alone (`ignore_daemonsets`). @default true */
  readonly ignoreDaemonsets?: boolean;
  /** Leave pods of StatefulSets alone (`ignore_statefulsets`). @default true */
  readonly ignoreStatefulsets?: boolean;
  /** Leave pods without a controller alone (`ignore_standalone_pods`). @default false */
  readonly ignoreStandalonePods?: boolean;
  /**
   * Only terminate when the ReplicaSet keeps at least this many healthy pods,
   * a number or a percentage (`min_healthy_replicas`), e.g. `"2"` or `"50%"`.
   * @default - no minimum
   */
  readonly minHealthyReplicas?: string;
}

/** Where an actionner's result goes in the `FalcoTalon`'s `evidenceStore`. */
export interface TalonEvidenceOptions {
  /**
   * Bucket of the `FalcoTalon`'s `evidenceStore` the result is uploaded to
   * (the action's `output`).
   * @default - no upload; required by the actionners that always upload
   */
  readonly evidenceBucket?: string;
  /** Key prefix in the bucket. @default - none */
  readonly evidencePrefix?: string;
}

/** Parameters of `TalonActionner.log`. */
export interface TalonLogOptions extends TalonEvidenceOptions {
  /** Lines from the end of the log (`tail_lines`). @default 20 - Talon's default */
  readonly tailLines?: number;
}

/** Parameters of `TalonActionner.download`. */
export interface TalonDownloadOptions {
  /** Bucket of the `FalcoTalon`'s `evidenceStore` the file is uploaded to: Talon fails the action without one. */
  readonly evidenceBucket: string;
  /** Key prefix in the bucket. @default - none */
  readonly evidencePrefix?: string;
  /**
   * Absolute path of the file in the pod's container (`file`), or a Falco
   * output field that Talon expands, e.g. `${FD_NAME}` for `fd.name`
   * (upper case, `.` as `_`).
   */
  readonly file: string;
}

/** Parameters of `TalonActionner.tcpdump`. */
export interface TalonTcpdumpOptions {
  /** Bucket of the `FalcoTalon`'s `evidenceStore` the capture is uploaded to: Talon fails the action without one. */
  readonly evidenceBucket: string;
  /** Key prefix in the bucket. @default - none */
  readonly evidencePrefix?: string;
  /**
   * How long to capture (`duration`), in whole seconds, at most 50: Talon's
   * capture container lives 60 seconds, and the capture is read after it ends.
   * @default Duration.seconds(5) - Talon's default
   */
  readonly duration?: Duration;
  /** Bytes kept of each packet (`snaplen`, tcpdump's `-s`), 1 to 262144. @default 4096 - Talon's documented default */
  readonly snaplen?: number;
  /**
   * Image of the ephemeral container that runs tcpdump (`image`); it needs
   * `tcpdump`, `timeout`, `sh`, `tee` and `cat`. Must be pinned.
   * @default - Talon's default, `issif/tcpdump:latest` (a floating tag: pin your own for production)
   */
  readonly image?: string;
}

/** A Falco Talon actionner the library has no factory for, see `TalonActionner.custom`. */
export interface TalonCustomActionnerOptions extends TalonEvidenceOptions {
  /** Talon's name of the actionner, `<category>:<name>`, e.g. `kubernetes:annotation` or `aws:lambda`. */
  readonly actionner: string;
  /**
   * The action's `parameters`, keys and values as Talon reads them, e.g.
   * `{ annotations: { 'security.quarantine': 'true' } }`.
   * @default - none
   */
  readonly parameters?: { [key: string]: any };
  /**
   * What the actionner does through the Kubernetes API, added to Talon's
   * ClusterRole. Required for the `kubernetes`, `calico` and `cilium`
   * categories; no wildcards.
   * @default - none: for actionners that do not call the Kubernetes API (`aws:lambda`, `gcp:function`)
   */
  readonly permissions?: TalonPolicyRule[];
}

/** Every Kubernetes actionner first gets the event's pod (its `Checks`, then `Run`); none lists pods. */
const POD_READ: RbacRule = { apiGroup: '', resource: 'pods', verbs: ['get'] };
/** Talon's exec client posts to the exec subresource (an SPDY upgrade), which RBAC authorizes as `create`. */
const POD_EXEC: RbacRule = { apiGroup: '', resource: 'pods/exec', verbs: ['create'] };
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d|[12]\d|3[0-2])$/;
const MIN_HEALTHY = /^(\d+|\d+%)$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ACTIONNER_NAME = /^[a-z0-9]+:[a-z0-9_-]+$/;
/** An absolute path, or one that starts with an environment variable Talon sets from the event (`${FD_NAME}`, `$FD_DIRECTORY/x`). */
const DOWNLOAD_PATH = /^(\/|\$\{[A-Z0-9_]+\}|\$[A-Z0-9_]+)/;
/** tcpdump's largest snapshot length (MAXIMUM_SNAPLEN). */
const MAX_SNAPLEN = 262144;
/** Talon's capture container runs `sleep 60`; the capture and the read of its file must end before. */
const MAX_CAPTURE_SECONDS = 50;

/**
 * What a Falco Talon action does: one actionner and its parameters. Each
 * actionner carries exactly the Kubernetes permissions that Talon 0.3.0's
 * code calls for it (`actionners/kubernetes/<name>` and the client it uses,
 * which need less than their declared `Permissions`: no `list`), and
 * `FalcoTalon` grants the union of the actionners its rules use, nothing more.
 */
export class TalonActionner {
  /**
   * `kubernetes:label`: sets labels on the pod, e.g. `security.quarantine=true`
   * so that a `QuarantineNetworkPolicy` isolates it.
   */
  public static label(labels: { [key: string]: string }): TalonActionner {
    labels = requiredArgument('TalonActionner.label', 'labels', labels, 'the labels to set, e.g. { quarantine: "true" }');
    const where = 'TalonActionner.label';
    if (labels === null || typeof labels !== 'object' || Object.keys(labels).length === 0) {
      throw validationError(where, 'labels is empty', labels, 'pass at least one label, e.g. { "security.quarantine": "true" }');
    }
    for (const [key, value] of Object.entries(labels)) {
      validateLabelKey(where, 'label key', key);
      validateLabelValue(where, `labels["${key}"]`, value);
    }
    // Patched with a JSON patch; a pod without any label is updated first to give it a labels map.
    return new TalonActionner('kubernetes:label', { labels: { ...labels } }, [{ apiGroup: '', resource: 'pods', verbs: ['get', 'patch', 'update'] }]);
  }

  /**
   * `kubernetes:networkpolicy`: creates or updates a NetworkPolicy that denies
   * the pod's workload all traffic but the allowed CIDRs and namespaces.
   */
  public static networkPolicy(options: TalonNetworkPolicyOptions = {}): TalonActionner {
    options = optionalArgument('TalonActionner.networkPolicy', 'options', options) ?? {};
    const where = 'TalonActionner.networkPolicy';
    for (const cidr of options.allowCidrs ?? []) {
      const m = CIDR.exec(cidr);
      if (!m || m.slice(1, 5).some((octet) => Number(octet) > 255)) {
        throw validationError(where, 'allowCidrs contains an invalid IPv4 CIDR', cidr, 'use a CIDR such as "10.0.0.0/8"');
      }
    }
    (options.allowNamespaces ?? []).forEach((namespace) => validateDnsLabel(where, 'allowNamespaces entry', namespace));
    return new TalonActionner('kubernetes:networkpolicy', {
      ...(options.allowCidrs?.length ? { allow_cidr: [...options.allowCidrs] } : {}),
      ...(options.allowNamespaces?.length ? { allow_namespaces: [...options.allowNamespaces] } : {}),
    }, [
      POD_READ,
      { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: ['create', 'get', 'update'] },
      // Talon reads the pod's owner (the first owner reference) to select all of its workload's pods.
      ...['daemonsets', 'replicasets', 'statefulsets'].map((resource) => ({ apiGroup: 'apps', resource, verbs: ['get'] })),
    ]);
  }

  /** `kubernetes:terminate`: deletes the pod. */
  public static terminate(options: TalonTerminateOptions = {}): TalonActionner {
    options = optionalArgument('TalonActionner.terminate', 'options', options) ?? {};
    const where = 'TalonActionner.terminate';
    const grace = options.gracePeriod === undefined ? undefined
      : validateWholeSeconds(where, 'gracePeriod', options.gracePeriod, 0, Infinity, 'Duration.seconds(10)');
    if (options.minHealthyReplicas !== undefined && !MIN_HEALTHY.test(options.minHealthyReplicas)) {
      throw validationError(where, 'minHealthyReplicas is not a number or percentage', options.minHealthyReplicas, 'use e.g. "2" or "50%"');
    }
    return new TalonActionner('kubernetes:terminate', {
      ignore_daemonsets: options.ignoreDaemonsets ?? true,
      ignore_statefulsets: options.ignoreStatefulsets ?? true,
      ignore_standalone_pods: options.ignoreStandalonePods ?? false,
      ...(grace !== undefined ? { grace_period_seconds: grace } : {}),
      ...(options.minHealthyReplicas !== undefined ? { min_healthy_replicas: options.minHealthyReplicas } : {}),
    }, [
      { apiGroup: '', resource: 'pods', verbs: ['delete', 'get'] },
      // For minHealthyReplicas: the pod's ReplicaSet's ready replicas.
      { apiGroup: 'apps', resource: 'replicasets', verbs: ['get'] },
    ]);
  }

  /** `kubernetes:log`: collects the pod's logs as evidence, optionally into the evidence store. */
  public static log(options: TalonLogOptions = {}): TalonActionner {
    options = optionalArgument('TalonActionner.log', 'options', options) ?? {};
    const where = 'TalonActionner.log';
    const tail = options.tailLines;
    if (tail !== undefined && (!Number.isInteger(tail) || tail < 1)) {
      throw validationError(where, 'tailLines must be a positive integer', tail, 'use 1 or more lines');
    }
    return new TalonActionner('kubernetes:log', tail !== undefined ? { tail_lines: tail } : {},
      [POD_READ, { apiGroup: '', resource: 'pods/log', verbs: ['get'] }], evidenceOutput(where, options, false));
  }

  /**
   * `kubernetes:download`: copies a file out of the pod (`cat` in each of its
   * containers until one succeeds) into the evidence store. Grants Talon exec
   * into every pod; the container image must have `cat`.
   */
  public static download(options: TalonDownloadOptions): TalonActionner {
    options = requiredArgument('TalonActionner.download', 'options', options, '{ file: "/etc/passwd", evidenceBucket: "falco-evidence" }');
    const where = 'TalonActionner.download';
    const file = options.file;
    if (typeof file !== 'string' || !DOWNLOAD_PATH.test(file) || /[\0\n\r]/.test(file)) {
      throw validationError(where, 'file is not an absolute path', file,
        'use an absolute path in the container, e.g. "/tmp/payload.sh", or an event field Talon expands, e.g. "${FD_NAME}"');
    }
    return new TalonActionner('kubernetes:download', { file }, [POD_READ, POD_EXEC],
      evidenceOutput(where, options, true));
  }

  /**
   * `kubernetes:tcpdump`: captures the pod's traffic from an ephemeral
   * container and uploads the pcap to the evidence store. Talon's capture
   * container is privileged and runs as root, so the pod's namespace must
   * admit it (Pod Security `privileged`); grants Talon exec into every pod
   * and adding ephemeral containers to it.
   */
  public static tcpdump(options: TalonTcpdumpOptions): TalonActionner {
    options = requiredArgument('TalonActionner.tcpdump', 'options', options, '{ evidenceBucket: "falco-evidence" }');
    const where = 'TalonActionner.tcpdump';
    const duration = validateWholeSeconds(where, 'duration', options.duration ?? Duration.seconds(5), 1, MAX_CAPTURE_SECONDS,
      `Duration.seconds(10); Talon's capture container lives 60 seconds, so at most ${MAX_CAPTURE_SECONDS} seconds`);
    const snaplen = options.snaplen ?? 4096;
    if (!Number.isInteger(snaplen) || snaplen < 1 || snaplen > MAX_SNAPLEN) {
      throw validationError(where, `snaplen must be an integer from 1 to ${MAX_SNAPLEN}`, snaplen, 'use e.g. 4096 for headers and the start of payloads');
    }
    const image = options.image === undefined ? undefined : validatePinnedImage(where, 'image', options.image, 'registry.example.com/tools/tcpdump:4.99.5');
    return new TalonActionner('kubernetes:tcpdump', { duration, snaplen, ...(image ? { image } : {}) }, [
      POD_READ,
      { apiGroup: '', resource: 'pods/ephemeralcontainers', verbs: ['patch'] },
      POD_EXEC,
    ], evidenceOutput(where, options, true));
  }

  /**
   * Any other Falco Talon actionner, with the parameters and the Kubernetes
   * permissions you state. For an actionner of Talon 0.3.0 the parameter keys
   * are checked against those it reads, and whether it uploads; another name
   * (an actionner of a newer image) is passed through unchecked.
   */
  public static custom(options: TalonCustomActionnerOptions): TalonActionner {
    const where = 'TalonActionner.custom';
    options = requiredArgument(where, 'options', options, '{ actionner: "kubernetes:annotation", parameters: { ... }, permissions: [...] }');
    const name = options.actionner;
    if (typeof name !== 'string' || !ACTIONNER_NAME.test(name)) {
      throw validationError(where, 'actionner is not <category>:<name>', name, 'use Talon\'s name of the actionner, e.g. "kubernetes:annotation" or "aws:lambda"');
    }
    const parameters = customParameters(where, name, options.parameters);
    const permissions = options.permissions === undefined ? [] : rbacRulesOf(where, 'permissions', options.permissions);
    const spec = TALON_ACTIONNERS[name];
    if (permissions.length === 0 && (spec?.kubernetesApi ?? KUBERNETES_API_CATEGORIES.includes(name.split(':')[0]))) {
      throw validationError(where, `${name} acts through the Kubernetes API but permissions is empty`, options.permissions,
        'state the verbs and resources it calls, e.g. [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "patch"] }] (`falco-talon actionners list` prints what each actionner needs)');
    }
    const evidence = evidenceOutput(where, options, spec?.output === 'required');
    if (evidence && spec?.output === 'none') {
      throw validationError(where, `${name} produces nothing to upload, so evidenceBucket would be ignored`, evidence.bucket, 'drop evidenceBucket');
    }
    return new TalonActionner(name, parameters, permissions, evidence);
  }

  /** @internal Why Talon runs no further action of the rule after this one, if it does not. */
  public readonly _endsRule?: TalonRuleEnd;

  private constructor(
    /** Talon's name of the actionner, `<category>:<name>`. */
    public readonly name: string,
    /** @internal The action's `parameters`. */
    public readonly _parameters: Record<string, unknown>,
    /** @internal The permissions the actionner needs. */
    public readonly _rbac: RbacRule[],
    /** @internal The evidence output's parameters, for actionners that upload. */
    public readonly _evidence?: Record<string, string>,
  ) {
    this._endsRule = TALON_ACTIONNERS[name]?.endsRule;
  }
}

/**
 * The `output` parameters of an actionner that uploads to the evidence store.
 * @param required the actionner fails without an output (Talon's `RequireOutput`)
 */
function evidenceOutput(where: ErrorLocation, options: TalonEvidenceOptions, required: boolean): Record<string, string> | undefined {
  const { evidenceBucket: bucket, evidencePrefix: prefix } = options;
  if (bucket === undefined) {
    if (required) throw validationError(where, 'evidenceBucket is missing, and Talon fails this action without an output', bucket, 'set evidenceBucket to a bucket of the FalcoTalon\'s evidenceStore');
    if (prefix !== undefined) throw validationError(where, 'evidencePrefix needs evidenceBucket', prefix, 'set evidenceBucket too, or drop evidencePrefix');
    return undefined;
  }
  if (typeof bucket !== 'string' || !BUCKET.test(bucket)) {
    throw validationError(where, 'evidenceBucket is not a valid bucket name', bucket, 'use 3-63 lowercase letters, digits, "." or "-"');
  }
  if (prefix !== undefined && (typeof prefix !== 'string' || /[\0-\x1f]/.test(prefix))) {
    throw validationError(where, 'evidencePrefix is not a key prefix', prefix, 'use a path-like prefix such as "captures/"');
  }
  return { bucket, ...(prefix ? { prefix } : {}) };
}

/**
 * A custom actionner's parameters: a map of YAML values, with the keys Talon
 * 0.3.0 reads for one of its actionners (a near miss of one of their names is
 * a typo; another name is passed through).
 */
function customParameters(where: string, name: string, parameters: unknown): Record<string, unknown> {
  if (parameters === undefined) parameters = {};
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw validationError(where, 'parameters is not a map', parameters, 'pass the keys Talon reads, e.g. { annotations: { "security.quarantine": "true" } }');
  }
  checkYamlValue(where, 'parameters', parameters);
  const given = Object.keys(parameters).filter((key) => (parameters as Record<string, unknown>)[key] !== undefined);
  const spec = TALON_ACTIONNERS[name];
  const near = spec ? '' : didYouMean(name, Object.keys(TALON_ACTIONNERS));
  if (near) throw validationError(where, 'actionner is not one of Falco Talon 0.3.0', name, `use Talon's name of the actionner${near}`);
  for (const key of spec ? given : []) {
    if (!spec.parameters.includes(key)) {
      const known = spec.parameters.length ? `it reads ${spec.parameters.join(', ')}` : 'it takes no parameters';
      throw validationError(where, `${name} has no parameter "${key}", so Talon would ignore it`, key, `${known}${didYouMean(key, spec.parameters)}`);
    }
  }
  const missing = (spec?.required ?? []).filter((key) => !given.includes(key));
  if (missing.length) {
    throw validationError(where, `${name} needs parameters ${missing.join(', ')}, and Talon refuses the rules file without them`, given,
      `set ${missing.map((key) => `parameters.${key}`).join(' and ')}`);
  }
  // A copy: a later change to the caller's object cannot reach the manifests unvalidated.
  return JSON.parse(JSON.stringify(parameters));
}

/** Values Talon can read from its YAML rules file: strings, finite numbers, booleans, and lists and maps of them. */
function checkYamlValue(where: string, path: string, value: unknown): void {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return;
  if (Array.isArray(value)) return value.forEach((item, i) => checkYamlValue(where, `${path}[${i}]`, item));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    // An undefined entry is left out, as a null one is (jsii languages pass null).
    return Object.entries(value).forEach(([key, item]) => item !== undefined && checkYamlValue(where, `${path}.${key}`, item));
  }
  throw validationError(where, `${path} is not a string, number, boolean, list or map`, value,
    'pass values as they appear in Talon\'s rules file');
}
