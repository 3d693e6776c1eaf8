import { k8s } from 'cdk8s-plus-28';
import { FalcoPriority } from './priority';
import { PagerDutyRegion } from '../alerting/pagerduty-region';
import { requiredArgument } from '../common/arguments';
import { validateElasticsearchIndex } from '../common/elasticsearch-index';
import { SecretKeyReference, secretKeySelector } from '../common/secret-key-reference';
import { validationError } from '../common/validation';

/** Options every falcosidekick output takes. */
export interface FalcosidekickOutputOptions {
  /**
   * Least severe priority forwarded to this output (`<OUTPUT>_MINIMUMPRIORITY`).
   * @default FalcoPriority.DEBUG - every event (`FalcoPriority.CRITICAL` for PagerDuty)
   */
  readonly minimumPriority?: FalcoPriority;
}

/** Alertmanager output: `url` or `urlSecret`. */
export interface AlertmanagerOutputOptions extends FalcosidekickOutputOptions {
  /**
   * Alertmanager URL, e.g. `http://alertmanager-operated.monitoring:9093`
   * (`ALERTMANAGER_HOSTPORT`), rendered as written (URLs with user-info or a
   * credential in the query are refused: use `urlSecret`).
   * @default - `urlSecret`
   */
  readonly url?: string;
  /**
   * Secret key holding the Alertmanager URL, for a URL that carries a
   * credential (`ALERTMANAGER_HOSTPORT` from a `secretKeyRef`).
   * @default - `url`
   */
  readonly urlSecret?: SecretKeyReference;
}

/** Splunk HTTP Event Collector output: `url` or `urlSecret`. */
export interface SplunkOutputOptions extends FalcosidekickOutputOptions {
  /**
   * HEC endpoint, e.g. `https://splunk:8088/services/collector/event`
   * (`SPLUNK_HOST`), rendered as written (URLs with user-info or a credential
   * in the query are refused: use `urlSecret`).
   * @default - `urlSecret`
   */
  readonly url?: string;
  /**
   * Secret key holding the HEC endpoint URL (`SPLUNK_HOST` from a `secretKeyRef`).
   * @default - `url`
   */
  readonly urlSecret?: SecretKeyReference;
  /** Secret key holding the HEC token (`SPLUNK_TOKEN`). */
  readonly tokenSecret: SecretKeyReference;
}

/** Elasticsearch output: `url` or `urlSecret`. */
export interface ElasticsearchOutputOptions extends FalcosidekickOutputOptions {
  /**
   * Elasticsearch URL, e.g. `https://elasticsearch:9200` (`ELASTICSEARCH_HOSTPORT`),
   * rendered as written (URLs with user-info or a credential in the query are
   * refused: use `usernameSecret`/`passwordSecret`, or `urlSecret`).
   * @default - `urlSecret`
   */
  readonly url?: string;
  /**
   * Secret key holding the Elasticsearch URL (`ELASTICSEARCH_HOSTPORT` from a `secretKeyRef`).
   * @default - `url`
   */
  readonly urlSecret?: SecretKeyReference;
  /** Index name. @default 'falco' */
  readonly index?: string;
  /**
   * Secret key holding the basic-auth user; requires `passwordSecret`.
   * @default - no authentication
   */
  readonly usernameSecret?: SecretKeyReference;
  /**
   * Secret key holding the basic-auth password; requires `usernameSecret`.
   * @default - no authentication
   */
  readonly passwordSecret?: SecretKeyReference;
}

/**
 * PagerDuty Events v2 output: the path for Falco events that should page
 * directly, without Prometheus and Alertmanager. It has no grouping,
 * inhibition or routing by team, so keep it for the few rules whose every
 * match is an incident. falcosidekick creates every PagerDuty event with
 * severity critical whatever the Falco priority, so `minimumPriority` (by
 * default `FalcoPriority.CRITICAL` here) is the only filter between a noisy
 * rule and a page.
 */
export interface PagerDutyOutputOptions extends FalcosidekickOutputOptions {
  /** Secret key holding the integration's Events API v2 routing key (`PAGERDUTY_ROUTINGKEY`). */
  readonly routingKeySecret: SecretKeyReference;
  /**
   * PagerDuty service region (`PAGERDUTY_REGION`).
   * @default PagerDutyRegion.US
   */
  readonly region?: PagerDutyRegion;
}

/** Generic webhook output: `url` or `urlSecret`. */
export interface WebhookOutputOptions extends FalcosidekickOutputOptions {
  /**
   * URL the events are POSTed to (`WEBHOOK_ADDRESS`), rendered as written
   * (URLs with user-info or a credential in the query are refused: use `urlSecret`).
   * @default - `urlSecret`
   */
  readonly url?: string;
  /**
   * Secret key holding the URL, for a URL that is or carries a credential
   * (`WEBHOOK_ADDRESS` from a `secretKeyRef`).
   * @default - `url`
   */
  readonly urlSecret?: SecretKeyReference;
}

/** Falco Talon output: `url` or `urlSecret`. */
export interface TalonOutputOptions extends FalcosidekickOutputOptions {
  /**
   * Talon's URL (`TALON_ADDRESS`), e.g. `FalcoTalon.url` (`http://falco-talon.falco.svc:2803`).
   * @default - `urlSecret`
   */
  readonly url?: string;
  /**
   * Secret key holding Talon's URL (`TALON_ADDRESS` from a `secretKeyRef`).
   * @default - `url`
   */
  readonly urlSecret?: SecretKeyReference;
}

/** A setting read from a Secret, with the option it was given as (for error messages). */
interface SecretSetting {
  readonly field: string;
  readonly ref: SecretKeyReference;
}

const URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;
const URL_SECRET = { secretAlternatives: { url: 'urlSecret' } };

/**
 * A destination falcosidekick forwards Falco events to. Settings are passed as
 * falcosidekick's environment variables (`<OUTPUT>_<SETTING>`); credentials only
 * ever as references to Secrets, so no secret value is rendered into manifests.
 */
export class FalcosidekickOutput {
  /** Prometheus Alertmanager (`ALERTMANAGER_*`). */
  public static alertmanager(options: AlertmanagerOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.alertmanager', 'options', options, '{ url: "http://alertmanager-operated.monitoring:9093" }', URL_SECRET);
    // falcosidekick posts to <hostport><endpoint> (endpoint /api/v1/alerts).
    const [settings, secrets] = urlOrSecret('alertmanager', options, 'HOSTPORT', { path: /\/api\/v[12](\/.*)?$/, what: 'the Alertmanager API path' });
    return new FalcosidekickOutput('ALERTMANAGER', 'alertmanager', options, settings, secrets);
  }

  /** Splunk HEC (`SPLUNK_*`). */
  public static splunk(options: SplunkOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.splunk', 'options', options, '{ url, tokenSecret: { secretName, key } }', URL_SECRET);
    const [settings, secrets] = urlOrSecret('splunk', options, 'HOST');
    return new FalcosidekickOutput('SPLUNK', 'splunk', options, settings, { ...secrets, TOKEN: { field: 'tokenSecret', ref: options.tokenSecret } });
  }

  /** Elasticsearch (`ELASTICSEARCH_*`). */
  public static elasticsearch(options: ElasticsearchOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.elasticsearch', 'options', options, '{ url: "https://elasticsearch:9200" }', URL_SECRET);
    if ((options.usernameSecret === undefined) !== (options.passwordSecret === undefined)) {
      throw validationError('FalcosidekickOutput.elasticsearch', 'usernameSecret and passwordSecret must be set together',
        { usernameSecret: options.usernameSecret, passwordSecret: options.passwordSecret }, 'set both (basic auth) or neither');
    }
    // falcosidekick posts to <hostport>/<index>/_doc.
    const [settings, secrets] = urlOrSecret('elasticsearch', options, 'HOSTPORT',
      { path: /\/(_doc|_bulk|_create)(\/.*)?$|\/[^/]+\/_doc(\/.*)?$/, what: 'a document API path' });
    if (options.usernameSecret && options.passwordSecret) {
      secrets.USERNAME = { field: 'usernameSecret', ref: options.usernameSecret };
      secrets.PASSWORD = { field: 'passwordSecret', ref: options.passwordSecret };
    }
    const index = validateElasticsearchIndex('FalcosidekickOutput.elasticsearch', 'index', options.index ?? 'falco');
    return new FalcosidekickOutput('ELASTICSEARCH', 'elasticsearch', options, { ...settings, INDEX: index }, secrets);
  }

  /** PagerDuty Events API v2 (`PAGERDUTY_*`); pages from `FalcoPriority.CRITICAL` up unless `minimumPriority` says otherwise. */
  public static pagerDuty(options: PagerDutyOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.pagerDuty', 'options', options, '{ routingKeySecret: { secretName, key } }');
    const region = options.region ?? PagerDutyRegion.US;
    if (!Object.values(PagerDutyRegion).includes(region)) {
      throw validationError('FalcosidekickOutput.pagerDuty', 'region is not a PagerDutyRegion', region, 'use PagerDutyRegion.US or PagerDutyRegion.EU');
    }
    return new FalcosidekickOutput('PAGERDUTY', 'pagerDuty', { ...options, minimumPriority: options.minimumPriority ?? FalcoPriority.CRITICAL }, { REGION: region },
      { ROUTINGKEY: { field: 'routingKeySecret', ref: options.routingKeySecret } });
  }

  /** Falco Talon, the response engine (`TALON_*`). */
  public static talon(options: TalonOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.talon', 'options', options, '{ url: FalcoTalon.url }', URL_SECRET);
    const [settings, secrets] = urlOrSecret('talon', options, 'ADDRESS');
    return new FalcosidekickOutput('TALON', 'talon', options, settings, secrets);
  }

  /** Any HTTP endpoint (`WEBHOOK_*`). */
  public static webhook(options: WebhookOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.webhook', 'options', options, '{ url: "http://hooks.internal/falco" }', URL_SECRET);
    const [settings, secrets] = urlOrSecret('webhook', options, 'ADDRESS');
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
    secrets: Record<string, SecretSetting> = {},
  ) {
    const where = `FalcosidekickOutput.${factory}`;
    const priority = options.minimumPriority ?? FalcoPriority.DEBUG;
    if (!Object.values(FalcoPriority).includes(priority)) {
      throw validationError(where, 'minimumPriority is not a FalcoPriority', priority, `use one of ${Object.values(FalcoPriority).map((p) => `FalcoPriority.${p}`).join(', ')}`);
    }
    this._env = [
      ...Object.entries(settings).map(([key, value]) => ({ name: `${name}_${key}`, value })),
      ...Object.entries(secrets).map(([key, { field, ref }]) => ({ name: `${name}_${key}`, valueFrom: { secretKeyRef: secretKeySelector(where, field, ref) } })),
      // falcosidekick spells priorities in lower case.
      { name: `${name}_MINIMUMPRIORITY`, value: priority.toLowerCase() },
    ];
  }
}

/**
 * The output's URL given either as the URL (an env value) or as a Secret key
 * (an env `secretKeyRef`): exactly one of `url` and `urlSecret`.
 * @param apiPath the path falcosidekick appends to the URL, which it must not already end in
 * @returns the settings and the secrets of the output's environment
 */
function urlOrSecret(output: string, options: { readonly url?: string; readonly urlSecret?: SecretKeyReference }, envKey: string,
  apiPath?: { readonly path: RegExp; readonly what: string }): [Record<string, string>, Record<string, SecretSetting>] {
  const { url: value, urlSecret: secret } = options;
  if ((value === undefined) === (secret === undefined)) {
    throw validationError(`FalcosidekickOutput.${output}`, 'exactly one of url and urlSecret must be set',
      value === undefined ? [] : ['url', 'urlSecret'],
      'set url to the URL, or urlSecret: { secretName, key } of a Secret that holds a URL carrying a credential');
  }
  if (secret !== undefined) return [{}, { [envKey]: { field: 'urlSecret', ref: secret } }];
  return [{ [envKey]: apiPath ? baseUrl(output, 'url', value!, apiPath.path, apiPath.what) : url(output, 'url', value!) }, {}];
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
