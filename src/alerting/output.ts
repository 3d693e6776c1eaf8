import { optionalArgument } from '../common/arguments';
import { validateDnsLabel, validateLabels, validationError } from '../common/validation';

/**
 * How the Prometheus Operator scopes the routes and inhibition rules of an
 * AlertmanagerConfig: the value of `spec.alertmanagerConfigMatcherStrategy.type`
 * on the `Alertmanager` resource that loads it. The library cannot read it from
 * the cluster, so you state it.
 */
export enum AlertmanagerMatcherStrategy {
  /**
   * The operator's default: it adds a `namespace="<the AlertmanagerConfig's
   * namespace>"` matcher to the config's route and inhibition rules, so only
   * alerts carrying that `namespace` label are routed. The rules of a
   * `SecurityMonitoringStack` carry it (`PagerDutyAlerting.routedAlertLabels`,
   * the workload's namespace moved to `exported_namespace`); give your own
   * rules the same labels, or their alerts never reach PagerDuty.
   */
  ON_NAMESPACE = 'OnNamespace',
  /**
   * Like `ON_NAMESPACE`, except for AlertmanagerConfigs in the Alertmanager's
   * own namespace, which see every alert (prometheus-operator >= 0.84).
   */
  ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE = 'OnNamespaceExceptForAlertmanagerNamespace',
  /** No namespace matcher: the routes see every alert. */
  NONE = 'None',
}

/** Where the Prometheus Operator mounts `Alertmanager.spec.secrets`: one directory per Secret. */
const DEFAULT_SECRETS_MOUNT_DIR = '/etc/alertmanager/secrets';

/** Options of the AlertmanagerConfig output. */
export interface AlertmanagerConfigOutputOptions {
  /**
   * The matcher strategy of the Alertmanager that loads the config.
   * @default AlertmanagerMatcherStrategy.ON_NAMESPACE (the operator's default)
   */
  readonly matcherStrategy?: AlertmanagerMatcherStrategy;
  /**
   * Namespace of the Alertmanager; required with
   * `ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE`, where the config only sees
   * every alert if it lives there.
   * @default - not checked
   */
  readonly alertmanagerNamespace?: string;
  /**
   * Labels the Alertmanager's `alertmanagerConfigSelector` selects on.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/** Options of the `alertmanager.yaml` Secret output. */
export interface ConfigSecretOutputOptions {
  /**
   * Directory under which the credential Secrets are mounted into the
   * Alertmanager container, one directory per Secret and one file per key:
   * the routing key `{ secretName: 'pagerduty', key: 'routing-key' }` is read from
   * `<secretsMountDir>/pagerduty/routing-key`. The default is where the
   * Prometheus Operator mounts `Alertmanager.spec.secrets`; mount the Secrets
   * there yourself for an Alertmanager the operator does not manage.
   * @default '/etc/alertmanager/secrets'
   */
  readonly secretsMountDir?: string;
}

/**
 * Which object `PagerDutyAlerting` renders its routing into.
 */
export class AlertingOutput {
  /**
   * A `monitoring.coreos.com/v1alpha1 AlertmanagerConfig` for an Alertmanager
   * managed by the Prometheus Operator. Credentials are `SecretKeySelector`s,
   * resolved by the operator in the AlertmanagerConfig's namespace.
   */
  public static alertmanagerConfig(options: AlertmanagerConfigOutputOptions = {}): AlertingOutput {
    options = optionalArgument('AlertingOutput.alertmanagerConfig', 'options', options) ?? {};
    const where = 'AlertingOutput.alertmanagerConfig';
    const strategy = options.matcherStrategy ?? AlertmanagerMatcherStrategy.ON_NAMESPACE;
    if (strategy === AlertmanagerMatcherStrategy.ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE && options.alertmanagerNamespace === undefined) {
      throw validationError(where, 'alertmanagerNamespace is required with ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE', undefined,
        'pass the namespace of the Alertmanager: only AlertmanagerConfigs in it see alerts from every namespace');
    }
    const alertmanagerNamespace = options.alertmanagerNamespace === undefined
      ? undefined : validateDnsLabel(where, 'alertmanagerNamespace', options.alertmanagerNamespace);
    const labels = validateLabels(where, 'labels', options.labels ?? {});
    return new AlertingOutput('AlertmanagerConfig', strategy, alertmanagerNamespace, { ...labels }, DEFAULT_SECRETS_MOUNT_DIR);
  }

  /**
   * A Secret holding a complete `alertmanager.yaml`, for an Alertmanager that
   * the Prometheus Operator does not manage (or whose whole configuration you
   * own). Credentials are `*_file` paths: the Secret holds configuration only.
   */
  public static configSecret(options: ConfigSecretOutputOptions = {}): AlertingOutput {
    options = optionalArgument('AlertingOutput.configSecret', 'options', options) ?? {};
    const where = 'AlertingOutput.configSecret';
    const mountDir = options.secretsMountDir ?? DEFAULT_SECRETS_MOUNT_DIR;
    if (!/^\/[^\s]*[^/\s]$/.test(mountDir)) {
      throw validationError(where, 'secretsMountDir is not an absolute directory path', mountDir, 'use e.g. "/etc/alertmanager/secrets" (no trailing slash)');
    }
    return new AlertingOutput('Secret', AlertmanagerMatcherStrategy.NONE, undefined, {}, mountDir);
  }

  private constructor(
    /** @internal */ public readonly _kind: 'AlertmanagerConfig' | 'Secret',
    /** @internal */ public readonly _matcherStrategy: AlertmanagerMatcherStrategy,
    /** @internal */ public readonly _alertmanagerNamespace: string | undefined,
    /** @internal */ public readonly _labels: Record<string, string>,
    /** @internal */ public readonly _secretsMountDir: string,
  ) {}
}
