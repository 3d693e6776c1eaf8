import { RbacRule } from './rbac';
import { optionalArgument, requiredArgument } from '../common/arguments';
import { validateDnsLabel, validateLabelKey, validateLabelValue, validationError } from '../common/validation';

/** Parameters of `TalonActionner.networkPolicy`. */
export interface TalonNetworkPolicyOptions {
  /** CIDRs the isolated pod may still reach (`allow_cidr`). @default - none: all egress denied */
  readonly allowCidrs?: string[];
  /** Namespaces the isolated pod may still reach (`allow_namespaces`). @default - none */
  readonly allowNamespaces?: string[];
}

/** Parameters of `TalonActionner.terminate`. */
export interface TalonTerminateOptions {
  /** Grace period before the pod is killed (`grace_period_seconds`). @default 0 - Talon's default */
  readonly gracePeriodSeconds?: number;
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

/** Parameters of `TalonActionner.log`. */
export interface TalonLogOptions {
  /** Lines from the end of the log (`tail_lines`). @default 20 - Talon's default */
  readonly tailLines?: number;
  /**
   * Bucket of the `FalcoTalon`'s `evidenceStore` the logs are uploaded to.
   * @default - the logs go to Talon's notifiers only
   */
  readonly evidenceBucket?: string;
  /** Key prefix in the bucket. @default - none */
  readonly evidencePrefix?: string;
}

const POD_READ: RbacRule = { apiGroup: '', resource: 'pods', verbs: ['get', 'list'] };
const POD_UPDATE: RbacRule = { apiGroup: '', resource: 'pods', verbs: ['get', 'list', 'patch', 'update'] };
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d|[12]\d|3[0-2])$/;
const MIN_HEALTHY = /^(\d+|\d+%)$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * What a Falco Talon action does: one actionner and its parameters. Each
 * actionner carries exactly the Kubernetes permissions that falco-talon
 * declares for it (`Permissions` in `actionners/kubernetes/<name>`), and
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
    return new TalonActionner('kubernetes:label', { labels: { ...labels } }, [POD_UPDATE]);
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
      { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', verbs: ['create', 'get', 'patch', 'update'] },
      // Talon reads the pod's owner to select all of its workload's pods.
      ...['daemonsets', 'deployments', 'replicasets', 'statefulsets'].map((resource) => ({ apiGroup: 'apps', resource, verbs: ['get'] })),
    ]);
  }

  /** `kubernetes:terminate`: deletes the pod. */
  public static terminate(options: TalonTerminateOptions = {}): TalonActionner {
    options = optionalArgument('TalonActionner.terminate', 'options', options) ?? {};
    const where = 'TalonActionner.terminate';
    const grace = options.gracePeriodSeconds;
    if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
      throw validationError(where, 'gracePeriodSeconds must be a non-negative integer', grace, 'use 0 or more seconds');
    }
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
      { apiGroup: '', resource: 'pods', verbs: ['delete', 'get', 'list'] },
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
    if (options.evidenceBucket !== undefined && !BUCKET.test(options.evidenceBucket)) {
      throw validationError(where, 'evidenceBucket is not a valid bucket name', options.evidenceBucket, 'use 3-63 lowercase letters, digits, "." or "-"');
    }
    if (options.evidencePrefix !== undefined && options.evidenceBucket === undefined) {
      throw validationError(where, 'evidencePrefix needs evidenceBucket', options.evidencePrefix, 'set evidenceBucket too, or drop evidencePrefix');
    }
    const bucket = options.evidenceBucket === undefined ? undefined
      : { bucket: options.evidenceBucket, ...(options.evidencePrefix ? { prefix: options.evidencePrefix } : {}) };
    return new TalonActionner('kubernetes:log', tail !== undefined ? { tail_lines: tail } : {},
      [POD_READ, { apiGroup: '', resource: 'pods/log', verbs: ['get'] }], bucket);
  }

  private constructor(
    /** Talon's name of the actionner, `<category>:<name>`. */
    public readonly name: string,
    /** @internal The action's `parameters`. */
    public readonly _parameters: Record<string, unknown>,
    /** @internal The permissions the actionner needs. */
    public readonly _rbac: RbacRule[],
    /** @internal The evidence output's parameters, for actionners that upload. */
    public readonly _evidence?: Record<string, string>,
  ) {}
}
