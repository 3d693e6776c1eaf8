import { k8s } from 'cdk8s-plus-28';
import { FalcoPriority } from './priority';
import { SecretKeyReference, secretKeySelector } from '../common/secret-key-reference';
import { validationError } from '../common/validation';

/** Options every falcosidekick output takes. */
export interface FalcosidekickOutputOptions {
  /**
   * Least severe priority forwarded to this output (`<OUTPUT>_MINIMUMPRIORITY`).
   * @default FalcoPriority.DEBUG - every event
   */
  readonly minimumPriority?: FalcoPriority;
}

/** Alertmanager output. */
export interface AlertmanagerOutputOptions extends FalcosidekickOutputOptions {
  /** Alertmanager URL, e.g. `http://alertmanager-operated.monitoring:9093`. */
  readonly hostPort: string;
}

/** Splunk HTTP Event Collector output. */
export interface SplunkOutputOptions extends FalcosidekickOutputOptions {
  /** HEC endpoint, e.g. `https://splunk:8088/services/collector/event`. */
  readonly host: string;
  /** The HEC token. */
  readonly token: SecretKeyReference;
}

/** Elasticsearch output. */
export interface ElasticsearchOutputOptions extends FalcosidekickOutputOptions {
  /** Elasticsearch URL, e.g. `https://elasticsearch:9200`. */
  readonly hostPort: string;
  /** Index name. @default 'falco' */
  readonly index?: string;
  /** Basic-auth user. @default - no authentication */
  readonly username?: SecretKeyReference;
  /** Basic-auth password; required with `username`. @default - no authentication */
  readonly password?: SecretKeyReference;
}

/** PagerDuty Events v2 output. */
export interface PagerDutyOutputOptions extends FalcosidekickOutputOptions {
  /** The integration's routing key. */
  readonly routingKey: SecretKeyReference;
  /** PagerDuty service region, `us` or `eu`. @default 'us' */
  readonly region?: string;
}

/** Generic webhook output. */
export interface WebhookOutputOptions extends FalcosidekickOutputOptions {
  /** URL the events are POSTed to. */
  readonly address: string;
}

/** Falco Talon output. */
export interface TalonOutputOptions extends FalcosidekickOutputOptions {
  /** Talon's URL, e.g. `FalcoTalon.url` (`http://falco-talon.falco.svc:2803`). */
  readonly address: string;
}

/** The option each secret environment variable comes from, for error messages. */
const SECRET_FIELDS: Record<string, string> = { TOKEN: 'token', USERNAME: 'username', PASSWORD: 'password', ROUTINGKEY: 'routingKey' };
const URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;

/**
 * A destination falcosidekick forwards Falco events to. Settings are passed as
 * falcosidekick's environment variables (`<OUTPUT>_<SETTING>`); credentials only
 * ever as references to Secrets, so no secret value is rendered into manifests.
 */
export class FalcosidekickOutput {
  /** Prometheus Alertmanager (`ALERTMANAGER_*`). */
  public static alertmanager(options: AlertmanagerOutputOptions): FalcosidekickOutput {
    return new FalcosidekickOutput('ALERTMANAGER', 'alertmanager', options, { HOSTPORT: url('alertmanager', 'hostPort', options.hostPort) });
  }

  /** Splunk HEC (`SPLUNK_*`). */
  public static splunk(options: SplunkOutputOptions): FalcosidekickOutput {
    return new FalcosidekickOutput('SPLUNK', 'splunk', options, { HOST: url('splunk', 'host', options.host) }, { TOKEN: options.token });
  }

  /** Elasticsearch (`ELASTICSEARCH_*`). */
  public static elasticsearch(options: ElasticsearchOutputOptions): FalcosidekickOutput {
    if ((options.username === undefined) !== (options.password === undefined)) {
      throw validationError('FalcosidekickOutput.elasticsearch', 'username and password must be set together',
        { username: options.username, password: options.password }, 'set both (basic auth) or neither');
    }
    const secrets: Record<string, SecretKeyReference> = {};
    if (options.username && options.password) {
      secrets.USERNAME = options.username;
      secrets.PASSWORD = options.password;
    }
    return new FalcosidekickOutput('ELASTICSEARCH', 'elasticsearch', options,
      { HOSTPORT: url('elasticsearch', 'hostPort', options.hostPort), INDEX: options.index ?? 'falco' }, secrets);
  }

  /** PagerDuty Events API v2 (`PAGERDUTY_*`). */
  public static pagerDuty(options: PagerDutyOutputOptions): FalcosidekickOutput {
    const region = options.region ?? 'us';
    if (region !== 'us' && region !== 'eu') {
      throw validationError('FalcosidekickOutput.pagerDuty', 'region is not a PagerDuty region', region, 'use "us" or "eu"');
    }
    return new FalcosidekickOutput('PAGERDUTY', 'pagerDuty', options, { REGION: region }, { ROUTINGKEY: options.routingKey });
  }

  /** Falco Talon, the response engine (`TALON_*`). */
  public static talon(options: TalonOutputOptions): FalcosidekickOutput {
    return new FalcosidekickOutput('TALON', 'talon', options, { ADDRESS: url('talon', 'address', options.address) });
  }

  /** Any HTTP endpoint (`WEBHOOK_*`). */
  public static webhook(options: WebhookOutputOptions): FalcosidekickOutput {
    return new FalcosidekickOutput('WEBHOOK', 'webhook', options, { ADDRESS: url('webhook', 'address', options.address) });
  }

  /** @internal The environment of the falcosidekick container for this output. */
  public readonly _env: k8s.EnvVar[];

  private constructor(
    /** falcosidekick's name of the output: the prefix of its environment variables. */
    public readonly name: string,
    factory: string,
    options: FalcosidekickOutputOptions,
    settings: Record<string, string>,
    secrets: Record<string, SecretKeyReference> = {},
  ) {
    const where = `FalcosidekickOutput.${factory}`;
    this._env = [
      ...Object.entries(settings).map(([key, value]) => ({ name: `${name}_${key}`, value })),
      ...Object.entries(secrets).map(([key, ref]) => ({ name: `${name}_${key}`, valueFrom: { secretKeyRef: secretKeySelector(where, SECRET_FIELDS[key], ref) } })),
      { name: `${name}_MINIMUMPRIORITY`, value: (options.minimumPriority ?? FalcoPriority.DEBUG).toLowerCase() },
    ];
  }
}

function url(output: string, field: string, value: string): string {
  if (typeof value !== 'string' || !URL.test(value)) {
    throw validationError(`FalcosidekickOutput.${output}`, `${field} is not an http(s) URL`, value, 'use a URL such as "http://host:port"');
  }
  return value;
}
