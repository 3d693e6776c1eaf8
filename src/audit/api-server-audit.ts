import * as path from 'path';
import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AuditDiagnosticSeverity } from './audit-diagnostic';
import { AuditPolicy } from './audit-policy';
import { FalcoAuditWebhook } from './falco-audit-webhook';
import { constructScope, optionalArgument } from '../common/arguments';
import { DEFAULT_AUDIT_LOG_PATH, DEFAULT_AUDIT_MAX_EVENT_BYTES, validateAuditMaxEventBytes } from '../common/audit-log';
import { durationMillis, goDuration } from '../common/duration';
import { validateDnsLabel, validateDnsSubdomain, validateInstance, validationError } from '../common/validation';
import { toYaml } from '../common/yaml';

/**
 * Options for wiring an audit policy into kube-apiserver.
 */
export interface ApiServerAuditOptions {
  /**
   * Where the policy file lives on control-plane nodes (`--audit-policy-file`).
   * @default '/etc/kubernetes/audit/policy.yaml'
   */
  readonly policyFilePath?: string;

  /**
   * Where the API server writes the audit log (`--audit-log-path`); the SIEM
   * pipeline tails the same path.
   * @default DEFAULT_AUDIT_LOG_PATH ('/var/log/kubernetes/audit/audit.log')
   */
  readonly logPath?: string;

  /**
   * How long to keep rotated audit logs (`--audit-log-maxage`, in whole
   * days); CIS 1.2.17 requires at least 30 days.
   * @default Duration.days(30)
   */
  readonly logMaxAge?: Duration;

  /**
   * Rotated audit log files to keep (`--audit-log-maxbackup`); CIS 1.2.18 requires at least 10.
   * @default 10
   */
  readonly logMaxBackup?: number;

  /**
   * Size in megabytes at which the audit log rotates (`--audit-log-maxsize`); CIS 1.2.19 requires at least 100.
   * @default 100
   */
  readonly logMaxSize?: number;

  /**
   * Largest audit event, in bytes, written to the log
   * (`--audit-log-truncate-enabled` with `--audit-log-truncate-max-event-size`).
   * A larger event loses its request and response objects (annotated
   * `audit.k8s.io/truncated`); one still larger is dropped by the API server
   * and counted in `apiserver_audit_error_total{plugin="truncate"}`. The SIEM
   * pipeline of a `SecurityMonitoringStack` reads lines up to this size, so
   * every logged event is shipped whole.
   *
   * @default 1048576 (1 MiB)
   */
  readonly maxEventBytes?: number;

  /**
   * Send audit events to Falco's k8saudit plugin as well (`--audit-webhook-*`).
   * @default - no webhook
   */
  readonly falcoWebhook?: FalcoAuditWebhook;

  /**
   * Where the webhook kubeconfig lives on control-plane nodes (`--audit-webhook-config-file`).
   * @default 'webhook-kubeconfig.yaml' next to the policy file
   */
  readonly webhookConfigPath?: string;

  /**
   * Most events in one webhook batch (`--audit-webhook-batch-max-size`).
   * @default 400 (the API server's default)
   */
  readonly webhookBatchMaxSize?: number;

  /**
   * Longest wait before a partial webhook batch is sent (`--audit-webhook-batch-max-wait`).
   * Shorter than the API server's 30s so Falco alerts arrive promptly.
   * @default Duration.seconds(5)
   */
  readonly webhookBatchMaxWait?: Duration;

  /**
   * Severity of the linter's secret-leak finding. Errors fail synth; warnings are
   * recorded as construct metadata of type `warning`.
   * @default AuditDiagnosticSeverity.ERROR
   */
  readonly secretLeakSeverity?: AuditDiagnosticSeverity;

  /**
   * Fail synth on every linter warning, not only on errors.
   * @default false
   */
  readonly failOnLintWarnings?: boolean;

  /**
   * Name of the ConfigMap that holds a copy of the policy.
   * @default 'audit-policy'
   */
  readonly configMapName?: string;
}

/**
 * Properties of an `ApiServerAudit`.
 */
export interface ApiServerAuditProps extends ApiServerAuditOptions {
  /**
   * The audit policy.
   * @default AuditPolicy.production()
   */
  readonly policy?: AuditPolicy;

  /**
   * Namespace of the ConfigMap copy of the policy.
   * @default 'kube-system'
   */
  readonly namespace?: string;

  /**
   * Labels of the ConfigMap.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

const CIS_MINIMUMS: ReadonlyArray<['logMaxBackup' | 'logMaxSize', number, string, string]> = [
  ['logMaxBackup', 10, 'CIS 1.2.18', 'files'],
  ['logMaxSize', 100, 'CIS 1.2.19', 'MB'],
];

/** `--audit-log-maxage` counts whole days; CIS 1.2.17 asks for at least 30. */
function validateLogMaxAge(scope: Construct, value: Duration): number {
  const ms = durationMillis(scope, 'logMaxAge', value, 'Duration.days(30)');
  const day = 24 * 3600 * 1000;
  if (ms % day !== 0) {
    throw validationError(scope, 'logMaxAge is not a whole number of days', value.toHumanString(), 'the API server keeps logs for whole days: use e.g. Duration.days(30)');
  }
  if (ms < 30 * day) {
    throw validationError(scope, 'logMaxAge is below the 30 days CIS 1.2.17 requires', value.toHumanString(), 'set logMaxAge to at least Duration.days(30)');
  }
  return ms / day;
}

function absolutePath(scope: Construct, field: string, value: string): string {
  if (!path.posix.isAbsolute(value) || value.endsWith('/')) {
    throw validationError(scope, `${field} is not an absolute file path`, value, 'use a path such as "/etc/kubernetes/audit/policy.yaml"');
  }
  return value;
}

/**
 * An audit policy wired into kube-apiserver. The policy is a file on
 * control-plane nodes, not a Kubernetes object: this construct renders its
 * content, a ConfigMap copy for GitOps visibility, the API server flags, and
 * ready-to-use kubeadm and kind snippets; it lints the policy at synth.
 */
export class ApiServerAudit extends Construct {
  /** The policy. */
  public readonly policy: AuditPolicy;

  /** Content of the policy file (`--audit-policy-file`). */
  public readonly policyFileContent: string;

  /** Path of the policy file on control-plane nodes. */
  public readonly policyFilePath: string;

  /** Path of the audit log on control-plane nodes: the file the SIEM pipeline ships. */
  public readonly logPath: string;

  /** Largest audit event written to the log (`--audit-log-truncate-max-event-size`); the SIEM pipeline reads lines this long. */
  public readonly maxEventBytes: number;

  /**
   * kube-apiserver arguments without the leading `--`, in a fixed order.
   */
  public readonly apiServerArgs: { [name: string]: string };

  /**
   * Content of the webhook kubeconfig (`--audit-webhook-config-file`).
   * @default - no webhook
   */
  public readonly webhookConfigContent?: string;

  /**
   * The ConfigMap copy of the policy (and of the webhook kubeconfig, if any),
   * the primary object (`node.defaultChild`): an escape hatch for a field the
   * props do not model, e.g. `audit.configMap.addJsonPatch(JsonPatch.add('/metadata/annotations/owner', 'security'))`.
   */
  public readonly configMap: ApiObject;

  private readonly webhookConfigPath?: string;

  constructor(scope: Construct, id: string, props: ApiServerAuditProps = {}) {
    super(constructScope('ApiServerAudit', scope, id), id);
    props = optionalArgument(this, 'props', props) ?? {};
    this.policy = validateInstance(this, 'policy', props.policy ?? AuditPolicy.production(), AuditPolicy,
      'use an AuditPolicy factory, e.g. AuditPolicy.production() or AuditPolicy.fromYaml(text)');
    this.policyFilePath = absolutePath(this, 'policyFilePath', props.policyFilePath ?? '/etc/kubernetes/audit/policy.yaml');
    this.logPath = absolutePath(this, 'logPath', props.logPath ?? DEFAULT_AUDIT_LOG_PATH);
    const logMaxAgeDays = validateLogMaxAge(this, props.logMaxAge ?? Duration.days(30));
    for (const [field, minimum, control, unit] of CIS_MINIMUMS) {
      const value = props[field] ?? minimum;
      if (!Number.isInteger(value) || (value as number) < minimum) {
        throw validationError(this, `${field} is below the ${minimum} ${unit} ${control} requires`, value, `set ${field} to an integer of at least ${minimum}`);
      }
    }
    this.maxEventBytes = validateAuditMaxEventBytes(this, 'maxEventBytes', props.maxEventBytes ?? DEFAULT_AUDIT_MAX_EVENT_BYTES);
    this.policyFileContent = this.policy.toYaml();

    this.apiServerArgs = {
      'audit-policy-file': this.policyFilePath,
      'audit-log-path': this.logPath,
      'audit-log-format': 'json',
      'audit-log-maxage': String(logMaxAgeDays),
      'audit-log-maxbackup': String(props.logMaxBackup ?? 10),
      'audit-log-maxsize': String(props.logMaxSize ?? 100),
      // Without truncation an event is as large as the objects it records: no reader's buffer is sure to hold it.
      'audit-log-truncate-enabled': 'true',
      'audit-log-truncate-max-event-size': String(this.maxEventBytes),
    };
    const webhookOnly = (['webhookConfigPath', 'webhookBatchMaxSize', 'webhookBatchMaxWait'] as const).filter((f) => props[f] !== undefined);
    if (!props.falcoWebhook && webhookOnly.length > 0) {
      // Silently ignoring them would leave the user believing the batch settings apply.
      throw validationError(this, 'audit webhook settings are set but falcoWebhook is not', webhookOnly,
        'set falcoWebhook, or drop the webhook settings');
    }
    if (props.falcoWebhook) {
      this.webhookConfigPath = absolutePath(this, 'webhookConfigPath',
        props.webhookConfigPath ?? path.posix.join(path.posix.dirname(this.policyFilePath), 'webhook-kubeconfig.yaml'));
      this.webhookConfigContent = props.falcoWebhook.kubeconfig();
      const batchMaxSize = props.webhookBatchMaxSize ?? 400;
      if (!Number.isInteger(batchMaxSize) || batchMaxSize < 1) {
        throw validationError(this, 'webhookBatchMaxSize must be a positive integer', batchMaxSize, 'use e.g. 400 (the API server default)');
      }
      // A Go duration flag: Duration.minutes(1) is written 1m.
      const batchMaxWait = goDuration(this, 'webhookBatchMaxWait', props.webhookBatchMaxWait ?? Duration.seconds(5), 'Duration.seconds(5)');
      Object.assign(this.apiServerArgs, {
        'audit-webhook-config-file': this.webhookConfigPath,
        'audit-webhook-mode': 'batch',
        'audit-webhook-batch-max-size': String(batchMaxSize),
        'audit-webhook-batch-max-wait': batchMaxWait,
      });
    }

    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: validateDnsSubdomain(this, 'configMapName', props.configMapName ?? 'audit-policy'),
        namespace: validateDnsLabel(this, 'namespace', props.namespace ?? 'kube-system'),
        labels: props.labels,
        annotations: { 'security-monitoring/audit-policy-file': this.policyFilePath },
      },
      data: {
        'policy.yaml': this.policyFileContent,
        ...(this.webhookConfigContent ? { 'webhook-kubeconfig.yaml': this.webhookConfigContent } : {}),
      },
    });

    this.lintAtSynth(props);
  }

  /** kube-apiserver command-line flags, e.g. `--audit-log-maxage=30`. */
  public apiServerFlags(): string[] {
    return Object.entries(this.apiServerArgs).map(([name, value]) => `--${name}=${value}`);
  }

  /**
   * A kubeadm `ClusterConfiguration` (kubeadm.k8s.io/v1beta4, where `extraArgs` is a
   * list of name/value pairs) adding the flags and mounting the policy and log
   * directories into the API server pod. Merge it into your kubeadm config, and put
   * the policy file (and webhook kubeconfig) on every control-plane node.
   */
  public kubeadmClusterConfiguration(): string {
    return toYaml({ apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration', apiServer: this.kubeadmApiServer() });
  }

  /**
   * A kind cluster config whose control-plane node mounts `audit-policy.yaml` (and
   * `webhook-kubeconfig.yaml`) from the directory kind runs in and patches the
   * kubeadm config. The patch uses kubeadm v1beta4, which kind generates for recent
   * node images (Kubernetes 1.31 and later).
   */
  public kindClusterConfig(): string {
    const files: Array<[string, string | undefined]> = [['./audit-policy.yaml', this.policyFilePath], ['./webhook-kubeconfig.yaml', this.webhookConfigPath]];
    return toYaml({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      nodes: [{
        role: 'control-plane',
        kubeadmConfigPatches: [toYaml({ kind: 'ClusterConfiguration', apiServer: this.kubeadmApiServer() })],
        extraMounts: files.filter(([, target]) => target).map(([hostPath, containerPath]) => ({ hostPath, containerPath, readOnly: true })),
      }],
    });
  }

  private kubeadmApiServer() {
    // One hostPath volume per directory; the log directory must be writable.
    const directories = new Map<string, { name: string; readOnly: boolean }>();
    const files: Array<[string, string | undefined]> = [['audit-policy', this.policyFilePath], ['audit-webhook', this.webhookConfigPath]];
    for (const [name, file] of files) {
      if (file && !directories.has(path.posix.dirname(file))) directories.set(path.posix.dirname(file), { name, readOnly: true });
    }
    directories.set(path.posix.dirname(this.logPath), { name: 'audit-log', readOnly: false });
    return {
      extraArgs: Object.entries(this.apiServerArgs).map(([name, value]) => ({ name, value })),
      extraVolumes: [...directories.entries()].map(([dir, { name, readOnly }]) => ({
        name, hostPath: dir, mountPath: dir, readOnly, pathType: 'DirectoryOrCreate',
      })),
    };
  }

  /** Lint errors fail synth through `addValidation`; warnings become `warning` metadata, like cdk's Annotations. */
  private lintAtSynth(props: ApiServerAuditOptions): void {
    const diagnostics = this.policy.lint({ secretLeakSeverity: props.secretLeakSeverity });
    const failing = diagnostics.filter((d) => props.failOnLintWarnings || d.severity === AuditDiagnosticSeverity.ERROR);
    for (const d of diagnostics.filter((x) => !failing.includes(x))) {
      this.node.addMetadata('warning', `AuditPolicy ${d.check}: ${d.message}`);
    }
    this.node.addValidation({
      validate: () => failing.map((d) => validationError(this, `the audit policy fails the ${d.check} check`,
        d.ruleIndex === undefined ? 'the policy' : `rules[${d.ruleIndex}]`, d.message).message),
    });
  }
}
