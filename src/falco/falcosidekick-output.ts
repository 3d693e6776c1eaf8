import { k8s } from 'cdk8s-plus-28';
import { FalcoPriority } from './priority';
import { requiredArgument } from '../common/arguments';
import { validateElasticsearchIndex } from '../common/elasticsearch-index';
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

/** Alertmanager output: `hostPort` or `hostPortSecret`. */
export interface AlertmanagerOutputOptions extends FalcosidekickOutputOptions {
  /**
   * Alertmanager URL, e.g. `http://alertmanager-operated.monitoring:9093`,
   * rendered as written (URLs with user-info or a credential in the query
   * are refused: use `hostPortSecret`).
   * @default - `hostPortSecret`
   */
  readonly hostPort?: string;
  /**
   * Secret key holding the Alertmanager URL, for a URL that carries a
   * credential (`ALERTMANAGER_HOSTPORT` from a `secretKeyRef`).
   * @default - `hostPort`
   */
  readonly hostPortSecret?: SecretKeyReference;
}

/** Splunk HTTP Event Collector output: `host` or `hostSecret`. */
export interface SplunkOutputOptions extends FalcosidekickOutputOptions {
  /**
   * HEC endpoint, e.g. `https://splunk:8088/services/collector/event`,
   * rendered as written (URLs with user-info or a credential in the query
   * are refused: use `hostSecret`).
   * @default - `hostSecret`
   */
  readonly host?: string;
  /**
   * Secret key holding the HEC endpoint URL (`SPLUNK_HOST` from a `secretKeyRef`).
   * @default - `host`
   */
  readonly hostSecret?: SecretKeyReference;
  /** The HEC token. */
  readonly token: SecretKeyReference;
}

/** Elasticsearch output: `hostPort` or `hostPortSecret`. */
export interface ElasticsearchOutputOptions extends FalcosidekickOutputOptions {
  /**
   * Elasticsearch URL, e.g. `https://elasticsearch:9200`, rendered as written
   * (URLs with user-info or a credential in the query are refused: use
   * `username`/`password`, or `hostPortSecret`).
   * @default - `hostPortSecret`
   */
  readonly hostPort?: string;
  /**
   * Secret key holding the Elasticsearch URL (`ELASTICSEARCH_HOSTPORT` from a `secretKeyRef`).
   * @default - `hostPort`
   */
  readonly hostPortSecret?: SecretKeyReference;
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

/** Generic webhook output: `address` or `addressSecret`. */
export interface WebhookOutputOptions extends FalcosidekickOutputOptions {
  /**
   * URL the events are POSTed to, rendered as written (URLs with user-info or
   * a credential in the query are refused: use `addressSecret`).
   * @default - `addressSecret`
   */
  readonly address?: string;
  /**
   * Secret key holding the URL, for a URL that is or carries a credential
   * (`WEBHOOK_ADDRESS` from a `secretKeyRef`).
   * @default - `address`
   */
  readonly addressSecret?: SecretKeyReference;
}

/** Falco Talon output: `address` or `addressSecret`. */
export interface TalonOutputOptions extends FalcosidekickOutputOptions {
  /**
   * Talon's URL, e.g. `FalcoTalon.url` (`http://falco-talon.falco.svc:2803`).
   * @default - `addressSecret`
   */
  readonly address?: string;
  /**
   * Secret key holding Talon's URL (`TALON_ADDRESS` from a `secretKeyRef`).
   * @default - `address`
   */
  readonly addressSecret?: SecretKeyReference;
}

/** The option each secret environment variable comes from, for error messages. */
const SECRET_FIELDS: Record<string, string> = {
  TOKEN: 'token',
  USERNAME: 'username',
  PASSWORD: 'password',
  ROUTINGKEY: 'routingKey',
  HOSTPORT: 'hostPortSecret',
  HOST: 'hostSecret',
  ADDRESS: 'addressSecret',
};
const URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;

/**
 * A destination falcosidekick forwards Falco events to. Settings are passed as
 * falcosidekick's environment variables (`<OUTPUT>_<SETTING>`); credentials only
 * ever as references to Secrets, so no secret value is rendered into manifests.
 */
export class FalcosidekickOutput {
  /** Prometheus Alertmanager (`ALERTMANAGER_*`). */
  public static alertmanager(options: AlertmanagerOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.alertmanager', 'options', options, '{ hostPort: "http://alertmanager-operated.monitoring:9093" }', { secretAlternatives: { hostPort: 'hostPortSecret' } });
    // falcosidekick posts to <hostPort><endpoint> (endpoint /api/v1/alerts).
    const [settings, secrets] = urlOrSecret('alertmanager', 'hostPort', options.hostPort, options.hostPortSecret, 'HOSTPORT',
      { path: /\/api\/v[12](\/.*)?$/, what: 'the Alertmanager API path' });
    return new FalcosidekickOutput('ALERTMANAGER', 'alertmanager', options, settings, secrets);
  }

  /** Splunk HEC (`SPLUNK_*`). */
  public static splunk(options: SplunkOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.splunk', 'options', options, '{ host, token: { secretName, key } }', { secretAlternatives: { host: 'hostSecret' } });
    const [settings, secrets] = urlOrSecret('splunk', 'host', options.host, options.hostSecret, 'HOST');
    return new FalcosidekickOutput('SPLUNK', 'splunk', options, settings, { ...secrets, TOKEN: options.token });
  }

  /** Elasticsearch (`ELASTICSEARCH_*`). */
  public static elasticsearch(options: ElasticsearchOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.elasticsearch', 'options', options, '{ hostPort: "https://elasticsearch:9200" }', { secretAlternatives: { hostPort: 'hostPortSecret' } });
    if ((options.username === undefined) !== (options.password === undefined)) {
      throw validationError('FalcosidekickOutput.elasticsearch', 'username and password must be set together',
        { username: options.username, password: options.password }, 'set both (basic auth) or neither');
    }
    // falcosidekick posts to <hostPort>/<index>/_doc.
    const [settings, secrets] = urlOrSecret('elasticsearch', 'hostPort', options.hostPort, options.hostPortSecret, 'HOSTPORT',
      { path: /\/(_doc|_bulk|_create)(\/.*)?$|\/[^/]+\/_doc(\/.*)?$/, what: 'a document API path' });
    if (options.username && options.password) {
      secrets.USERNAME = options.username;
      secrets.PASSWORD = options.password;
    }
    const index = validateElasticsearchIndex('FalcosidekickOutput.elasticsearch', 'index', options.index ?? 'falco');
    return new FalcosidekickOutput('ELASTICSEARCH', 'elasticsearch', options, { ...settings, INDEX: index }, secrets);
  }

  /** PagerDuty Events API v2 (`PAGERDUTY_*`). */
  public static pagerDuty(options: PagerDutyOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.pagerDuty', 'options', options, '{ routingKey: { secretName, key } }');
    const region = options.region ?? 'us';
    if (region !== 'us' && region !== 'eu') {
      throw validationError('FalcosidekickOutput.pagerDuty', 'region is not a PagerDuty region', region, 'use "us" or "eu"');
    }
    return new FalcosidekickOutput('PAGERDUTY', 'pagerDuty', options, { REGION: region }, { ROUTINGKEY: options.routingKey });
  }

  /** Falco Talon, the response engine (`TALON_*`). */
  public static talon(options: TalonOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.talon', 'options', options, '{ address: FalcoTalon.url }', { secretAlternatives: { address: 'addressSecret' } });
    const [settings, secrets] = urlOrSecret('talon', 'address', options.address, options.addressSecret, 'ADDRESS');
    return new FalcosidekickOutput('TALON', 'talon', options, settings, secrets);
  }

  /** Any HTTP endpoint (`WEBHOOK_*`). */
  public static webhook(options: WebhookOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.webhook', 'options', options, '{ address: "http://hooks.internal/falco" }', { secretAlternatives: { address: 'addressSecret' } });
    const [settings, secrets] = urlOrSecret('webhook', 'address', options.address, options.addressSecret, 'ADDRESS');
    return new FalcosidekickOutput('WEBHOOK', 'webhook', options, settings, secrets);
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

/**
 * A URL setting given either as the URL (an env value) or as a Secret key
 * (an env `secretKeyRef`): exactly one of them.
 * @param apiPath the path falcosidekick appends to the URL, which it must not already end in
 * @returns the settings and the secrets of the output's environment
 */
function urlOrSecret(output: string, field: string, value: string | undefined, secret: SecretKeyReference | undefined, envKey: string,
  apiPath?: { readonly path: RegExp; readonly what: string }): [Record<string, string>, Record<string, SecretKeyReference>] {
  if ((value === undefined) === (secret === undefined)) {
    throw validationError(`FalcosidekickOutput.${output}`, `exactly one of ${field} and ${field}Secret must be set`,
      value === undefined ? [] : [field, `${field}Secret`],
      `set ${field} to the URL, or ${field}Secret: { secretName, key } of a Secret that holds a URL carrying a credential`);
  }
  if (secret !== undefined) return [{}, { [envKey]: secret }];
  return [{ [envKey]: apiPath ? baseUrl(output, field, value!, apiPath.path, apiPath.what) : url(output, field, value!) }, {}];
}

/**
 * A URL falcosidekick appends its own path to: besides being an http(s) URL, it
 * must not already end in that path, nor carry a query or fragment the appended
 * path would land in.
 */
function baseUrl(output: string, field: string, value: string, apiPath: RegExp, what: string): string {
  url(output, field, value);
  const parsed = new globalThis.URL(value);
  const api = apiPath.exec(parsed.pathname);
  if (parsed.search || parsed.hash || api) {
    const base = `${parsed.origin}${parsed.pathname.slice(0, api?.index ?? parsed.pathname.length).replace(/\/+$/, '')}`;
    throw validationError(`FalcosidekickOutput.${output}`, `${field} ${api ? `ends in ${what}` : 'has a query or fragment'}, but falcosidekick appends its own path to it`,
      value, `give the base URL, "http(s)://host:port" (a proxy's path prefix stays): did you mean "${base}"?`);
  }
  return value;
}

function url(output: string, field: string, value: string): string {
  if (typeof value !== 'string' || !URL.test(value)) {
    throw validationError(`FalcosidekickOutput.${output}`, `${field} is not an http(s) URL`, value, 'use a URL such as "http://host:port"');
  }
  return value;
}
