import { k8s } from 'cdk8s-plus-28';
import { FALCOSIDEKICK_OUTPUTS, FALCOSIDEKICK_SHARED_SETTINGS, KnownFalcosidekickOutput } from './falcosidekick-output-keys';
import { FalcoPriority } from './priority';
import { PagerDutyRegion } from '../alerting/pagerduty-region';
import { requiredArgument } from '../common/arguments';
import { closest } from '../common/did-you-mean';
import { validateElasticsearchIndex } from '../common/elasticsearch-index';
import { SecretKeyReference, secretKeySelector } from '../common/secret-key-reference';
import { validationError, validationMessage } from '../common/validation';

/** Options every falcosidekick output takes. */
export interface FalcosidekickOutputOptions {
  /**
   * Least severe priority forwarded to this output (`<OUTPUT>_MINIMUMPRIORITY`).
   * @default FalcoPriority.DEBUG - every event (`FalcoPriority.CRITICAL` for PagerDuty)
   */
  readonly minimumPriority?: FalcoPriority;
  /**
   * Accept any server certificate (`<OUTPUT>_CHECKCERT=false`). This makes the
   * connection open to interception: only for test endpoints with
   * self-signed certificates.
   * @default false - the certificate is verified
   */
  readonly insecureSkipTlsVerify?: boolean;
}

/**
 * Any of falcosidekick's outputs, configured with the settings falcosidekick
 * documents for it (its `config.yaml` keys), e.g. Slack:
 *
 * ```ts
 * FalcosidekickOutput.custom({
 *   output: 'slack',
 *   settings: { channel: '#falco', outputformat: 'text' },
 *   settingSecrets: { webhookurl: { secretName: 'slack', key: 'webhook-url' } },
 *   minimumPriority: FalcoPriority.WARNING,
 * })
 * ```
 */
export interface CustomFalcosidekickOutputOptions extends FalcosidekickOutputOptions {
  /**
   * The output's key in falcosidekick's `config.yaml`, e.g. `slack`, `loki`,
   * `webhook`, `kafka`; an output of a cloud by its dotted path, e.g.
   * `aws.s3`, `gcp.pubsub`. Its settings become the environment variables
   * falcosidekick reads: `<OUTPUT>_<SETTING>` in upper case, dots as
   * underscores (`aws.s3` + `bucket` is `AWS_S3_BUCKET`). An output the
   * library does not know is passed through with a warning (`FalcoDeployment.warnings`).
   */
  readonly output: string;
  /**
   * Settings by their `config.yaml` key under the output, e.g.
   * `{ channel: '#falco' }` or `{ 'batching.enabled': 'true' }`, rendered as
   * environment values. For an output of a cloud, the settings its outputs
   * share (`region` and `rolearn` of `aws`) are rendered under the cloud
   * (`AWS_REGION`). For the outputs the library knows (falcosidekick
   * 2.32.0's), a name falcosidekick does not read is an error with a
   * did-you-mean, or a warning when it resembles none. Credentials (API keys,
   * passwords, tokens, webhook URLs) are refused here: use `settingSecrets`.
   * `minimumpriority`, `checkcert` and `tls` come from the typed options.
   * @default - none
   */
  readonly settings?: { [key: string]: string };
  /**
   * Settings whose values are read from Secret keys (an env `secretKeyRef`),
   * e.g. `{ webhookurl: { secretName: 'slack', key: 'webhook-url' } }` for
   * `SLACK_WEBHOOKURL`: the value is never in the manifests.
   * @default - none
   */
  readonly settingSecrets?: { [key: string]: SecretKeyReference };
  /**
   * Whether to connect over TLS, for the outputs with a `tls` setting
   * (`kafka`, `smtp`); for the others the URL's scheme decides.
   * @default true
   */
  readonly tls?: boolean;
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

/**
 * What every output is built from, built-in or custom: its config key, and
 * its settings by their full config path (`aws.s3.bucket`, `aws.region`).
 */
interface OutputSpec {
  readonly where: string;
  readonly output: string;
  readonly options: FalcosidekickOutputOptions & { readonly tls?: boolean };
  readonly settings: Record<string, string>;
  readonly secrets: Record<string, SecretSetting>;
  readonly notes?: string[];
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
    const [settings, secrets] = urlOrSecret('alertmanager', options, 'hostport', { path: /\/api\/v[12](\/.*)?$/, what: 'the Alertmanager API path' });
    return FalcosidekickOutput.builtIn('alertmanager', 'alertmanager', options, settings, secrets);
  }

  /** Splunk HEC (`SPLUNK_*`). */
  public static splunk(options: SplunkOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.splunk', 'options', options, '{ url, tokenSecret: { secretName, key } }', URL_SECRET);
    const [settings, secrets] = urlOrSecret('splunk', options, 'host');
    return FalcosidekickOutput.builtIn('splunk', 'splunk', options, settings, { ...secrets, token: { field: 'tokenSecret', ref: options.tokenSecret } });
  }

  /** Elasticsearch (`ELASTICSEARCH_*`). */
  public static elasticsearch(options: ElasticsearchOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.elasticsearch', 'options', options, '{ url: "https://elasticsearch:9200" }', URL_SECRET);
    if ((options.usernameSecret === undefined) !== (options.passwordSecret === undefined)) {
      throw validationError('FalcosidekickOutput.elasticsearch', 'usernameSecret and passwordSecret must be set together',
        { usernameSecret: options.usernameSecret, passwordSecret: options.passwordSecret }, 'set both (basic auth) or neither');
    }
    // falcosidekick posts to <hostport>/<index>/_doc.
    const [settings, secrets] = urlOrSecret('elasticsearch', options, 'hostport',
      { path: /\/(_doc|_bulk|_create)(\/.*)?$|\/[^/]+\/_doc(\/.*)?$/, what: 'a document API path' });
    if (options.usernameSecret && options.passwordSecret) {
      secrets.username = { field: 'usernameSecret', ref: options.usernameSecret };
      secrets.password = { field: 'passwordSecret', ref: options.passwordSecret };
    }
    const index = validateElasticsearchIndex('FalcosidekickOutput.elasticsearch', 'index', options.index ?? 'falco');
    return FalcosidekickOutput.builtIn('elasticsearch', 'elasticsearch', options, { ...settings, index }, secrets);
  }

  /** PagerDuty Events API v2 (`PAGERDUTY_*`); pages from `FalcoPriority.CRITICAL` up unless `minimumPriority` says otherwise. */
  public static pagerDuty(options: PagerDutyOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.pagerDuty', 'options', options, '{ routingKeySecret: { secretName, key } }');
    const region = options.region ?? PagerDutyRegion.US;
    if (!Object.values(PagerDutyRegion).includes(region)) {
      throw validationError('FalcosidekickOutput.pagerDuty', 'region is not a PagerDutyRegion', region, 'use PagerDutyRegion.US or PagerDutyRegion.EU');
    }
    return FalcosidekickOutput.builtIn('pagerduty', 'pagerDuty', { ...options, minimumPriority: options.minimumPriority ?? FalcoPriority.CRITICAL }, { region },
      { routingkey: { field: 'routingKeySecret', ref: options.routingKeySecret } });
  }

  /** Falco Talon, the response engine (`TALON_*`). */
  public static talon(options: TalonOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.talon', 'options', options, '{ url: FalcoTalon.url }', URL_SECRET);
    const [settings, secrets] = urlOrSecret('talon', options, 'address');
    return FalcosidekickOutput.builtIn('talon', 'talon', options, settings, secrets);
  }

  /** Any HTTP endpoint (`WEBHOOK_*`). */
  public static webhook(options: WebhookOutputOptions): FalcosidekickOutput {
    options = requiredArgument('FalcosidekickOutput.webhook', 'options', options, '{ url: "http://hooks.internal/falco" }', URL_SECRET);
    const [settings, secrets] = urlOrSecret('webhook', options, 'address');
    return FalcosidekickOutput.builtIn('webhook', 'webhook', options, settings, secrets);
  }

  /**
   * Any other of falcosidekick's outputs (it has about seventy: chat, paging,
   * log stores, queues, clouds, functions), with the guarantees of the
   * built-in ones: setting names checked against those falcosidekick reads,
   * credentials only from Secrets, certificates verified, `minimumPriority`.
   */
  public static custom(options: CustomFalcosidekickOutputOptions): FalcosidekickOutput {
    return new FalcosidekickOutput(customSpec(options));
  }

  /** A built-in output: its settings are keys of the output itself. */
  private static builtIn(output: string, factory: string, options: FalcosidekickOutputOptions,
    settings: Record<string, string>, secrets: Record<string, SecretSetting> = {}): FalcosidekickOutput {
    const under = <T>(entries: Record<string, T>) => Object.fromEntries(Object.entries(entries).map(([key, value]) => [`${output}.${key}`, value]));
    return new FalcosidekickOutput({ where: `FalcosidekickOutput.${factory}`, output, options, settings: under(settings), secrets: under(secrets) });
  }

  /** falcosidekick's name of the output: the prefix of its environment variables (`SLACK`, `AWS_S3`). */
  public readonly name: string;
  /** What was passed through unchecked (an output or a setting the library does not know), for `FalcoDeployment.warnings`. */
  public readonly notes: string[];
  /** @internal The environment of the falcosidekick container for this output. */
  public readonly _env: k8s.EnvVar[];

  private constructor(spec: OutputSpec) {
    const known = FALCOSIDEKICK_OUTPUTS[spec.output];
    this.name = envName(spec.output);
    this.notes = [...spec.notes ?? []];
    const priority = minimumPriority(spec, known, this.notes);
    this._env = [
      ...Object.entries(spec.settings).map(([path, value]) => ({ name: envName(path), value })),
      ...tlsEnv(spec, known),
      ...Object.entries(spec.secrets).map(([path, { field, ref }]) =>
        ({ name: envName(path), valueFrom: { secretKeyRef: secretKeySelector(spec.where, field, ref) } })),
      // falcosidekick spells priorities in lower case.
      ...(priority ? [{ name: `${this.name}_MINIMUMPRIORITY`, value: priority.toLowerCase() }] : []),
    ];
  }
}

/** Output keys as config.yaml writes them: `slack`, `aws.s3`. */
const OUTPUT_KEY = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9]*)*$/;
/** Setting keys as config.yaml writes them: `webhookurl`, `batching.enabled`. */
const SETTING_KEY = /^[a-z0-9]+(\.[a-z0-9]+)*$/;
/** Settings whose values are credentials, whatever the output: a literal would be in the manifests. */
const CREDENTIAL_SETTING = /(password|passwd|token|apikey|secret\w*|credentials?|jwt|webhookurl|receiverurl|routingkey|accesskeyid|headerauthvalue)$/;
/** Settings the typed options render, and the option for each. */
const TYPED_SETTINGS: Record<string, string> = { minimumpriority: 'minimumPriority', checkcert: 'insecureSkipTlsVerify', tls: 'tls' };

/** The spec of `FalcosidekickOutput.custom`: the output and its settings, checked against what falcosidekick reads. */
function customSpec(options: CustomFalcosidekickOutputOptions): OutputSpec {
  const plainKeys = typeof options?.settings === 'object' && options.settings !== null ? Object.keys(options.settings) : [];
  options = requiredArgument('FalcosidekickOutput.custom', 'options', options, '{ output: "slack", settingSecrets: { webhookurl: { secretName, key } } }',
    { requiredProps: ['output'], secretAlternatives: Object.fromEntries(plainKeys.map((key) => [key.slice(key.lastIndexOf('.') + 1), `settingSecrets.${key}`])) });
  const notes: string[] = [];
  const output = outputKey(options.output, notes);
  const where = `FalcosidekickOutput.custom("${output}")`;
  for (const field of ['settings', 'settingSecrets'] as const) {
    const map = options[field];
    if (map !== undefined && (typeof map !== 'object' || Array.isArray(map))) {
      throw validationError(where, `${field} is not a map of setting names to ${field === 'settings' ? 'values' : 'Secret references'}`, map,
        field === 'settings' ? 'pass e.g. { channel: "#falco" }' : 'pass e.g. { webhookurl: { secretName, key } }');
    }
  }
  const settings: Record<string, string> = {};
  const secrets: Record<string, SecretSetting> = {};
  for (const [key, value] of Object.entries(options.settings ?? {})) {
    const path = settingPath(where, output, 'settings', key, notes);
    if (path in settings) throw validationError(where, `settings.${key} is given twice`, key, 'falcosidekick\'s setting names ignore case: keep one');
    if (CREDENTIAL_SETTING.test(path)) {
      throw validationError(where, `settings.${key} is a credential, which would be written into the manifests`, 'a value, not shown',
        `pass settingSecrets: { ${key}: { secretName, key } } of a Secret that holds it instead`);
    }
    if (typeof value !== 'string') throw validationError(where, `settings.${key} is not a string`, value, 'give every setting as a string, e.g. "true" or "10"');
    if (FALCOSIDEKICK_OUTPUTS[output]?.urls?.split(' ').some((name) => path === `${output}.${name}`)) {
      value.split(',').forEach((part) => url(where, `settings.${key}`, part.trim()));
    }
    settings[path] = value;
  }
  for (const [key, ref] of Object.entries(options.settingSecrets ?? {})) {
    const path = settingPath(where, output, 'settingSecrets', key, notes);
    if (path in secrets) throw validationError(where, `settingSecrets.${key} is given twice`, key, 'falcosidekick\'s setting names ignore case: keep one');
    if (path in settings) {
      throw validationError(where, `${key} is in both settings and settingSecrets`, key, 'keep it in one: settingSecrets for a credential');
    }
    secrets[path] = { field: `settingSecrets.${key}`, ref };
  }
  checkEnabled(where, output, settings, secrets);
  return { where, output, options, settings, secrets, notes };
}

/** The output's config key, lower case; a note when the library does not know it. */
function outputKey(value: string, notes: string[]): string {
  const where = 'FalcosidekickOutput.custom';
  const output = typeof value === 'string' ? value.toLowerCase() : value;
  if (typeof output !== 'string' || !OUTPUT_KEY.test(output)) {
    // aws_s3, aws-s3, AWS_S3: the output's path spelled as its environment variable or with dashes.
    const suggestion = typeof output === 'string' ? closest(output.replace(/[-_\s]+/g, '.'), Object.keys(FALCOSIDEKICK_OUTPUTS)) : undefined;
    throw validationError(where, `output is not a falcosidekick output key${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, value,
      'use the key of the output in falcosidekick\'s config.yaml, e.g. "slack", "loki" or "aws.s3"');
  }
  if (output in FALCOSIDEKICK_SHARED_SETTINGS) {
    const outputs = Object.keys(FALCOSIDEKICK_OUTPUTS).filter((key) => key.startsWith(`${output}.`));
    throw validationError(where, `"${output}" holds the settings its outputs share, it is not an output`, value,
      `use one of its outputs (${outputs.map((key) => `"${key}"`).join(', ')}) and set the shared settings (${FALCOSIDEKICK_SHARED_SETTINGS[output].split(' ').join(', ')}) there`);
  }
  if (FALCOSIDEKICK_OUTPUTS[output]) return output;
  const suggestion = closest(output, Object.keys(FALCOSIDEKICK_OUTPUTS));
  if (suggestion) {
    throw validationError(where, `output "${output}" is not one of falcosidekick's outputs (did you mean "${suggestion}"?)`, value, `use "${suggestion}"`);
  }
  notes.push(validationMessage(where, `output "${output}" is not one of falcosidekick 2.32.0's outputs, so its settings are passed through unchecked as ${envName(output)}_* variables`,
    value, 'check the output name and its settings against the documentation of the falcosidekick image you run'));
  return output;
}

/**
 * The full config path of a setting of the output: under the output, or under
 * its cloud for a setting the cloud's outputs share (`aws.region`).
 */
function settingPath(where: string, output: string, field: string, key: string, notes: string[]): string {
  const setting = typeof key === 'string' ? key.toLowerCase() : key;
  if (typeof setting !== 'string' || !SETTING_KEY.test(setting)) {
    // webhook_url, webhook-url: falcosidekick's keys are single words.
    const known = FALCOSIDEKICK_OUTPUTS[output];
    const suggestion = known && typeof setting === 'string' ? closest(setting.replace(/[-_\s]+/g, ''), keysOf(known)) : undefined;
    throw validationError(where, `${field} has a key that is not a falcosidekick setting name${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, key,
      'use the setting\'s key in falcosidekick\'s config.yaml, e.g. "webhookurl" or "batching.enabled"');
  }
  if (setting in TYPED_SETTINGS) {
    throw validationError(where, `${field}.${key} is rendered from the typed option ${TYPED_SETTINGS[setting]}`, key, `remove it and set ${TYPED_SETTINGS[setting]}`);
  }
  const known = FALCOSIDEKICK_OUTPUTS[output];
  if (!known || keysOf(known).includes(setting)) return `${output}.${setting}`;
  const cloud = output.split('.')[0];
  const shared = FALCOSIDEKICK_SHARED_SETTINGS[cloud]?.split(' ') ?? [];
  if (shared.includes(setting)) return `${cloud}.${setting}`;
  const readable = [...keysOf(known), ...shared].filter((name) => !(name in TYPED_SETTINGS));
  const suggestion = closest(setting, readable);
  if (suggestion) {
    throw validationError(where, `${field}.${key} is not a setting of falcosidekick's ${output} output (did you mean "${suggestion}"?)`, key, `use "${suggestion}"`);
  }
  notes.push(validationMessage(where, `${field}.${key} is not a setting falcosidekick 2.32.0 reads for ${output}, so ${envName(`${output}.${setting}`)} is passed through unchecked`,
    key, `falcosidekick 2.32.0 reads: ${readable.join(', ')}`));
  return `${output}.${setting}`;
}

/** falcosidekick leaves an output off unless the settings that enable it are all set: a silent no-op, so an error here. */
function checkEnabled(where: string, output: string, settings: Record<string, string>, secrets: Record<string, SecretSetting>): void {
  const known = FALCOSIDEKICK_OUTPUTS[output];
  if (!known) return;
  const enabledBy = known.enabledBy.split(' ');
  const missing = enabledBy.filter((key) => !settings[`${output}.${key}`] && !secrets[`${output}.${key}`]);
  if (missing.length === 0) return;
  const place = (key: string) => (CREDENTIAL_SETTING.test(key) ? `settingSecrets.${key}` : `settings.${key}`);
  // Shared settings (aws.region) keep their cloud's prefix.
  const relative = (path: string) => (path.startsWith(`${output}.`) ? path.slice(output.length + 1) : path);
  throw validationError(where, `falcosidekick enables its ${output} output only when ${enabledBy.join(', ')} ${enabledBy.length === 1 ? 'is' : 'are'} set`,
    { settings: Object.keys(settings).map(relative), settingSecrets: Object.keys(secrets).map(relative) }, `set ${missing.map(place).join(', ')}`);
}

/** falcosidekick's environment variable for a config path: `aws.s3.bucket` is `AWS_S3_BUCKET` (viper's key replacer). */
function envName(path: string): string {
  return path.toUpperCase().replace(/\./g, '_');
}

/**
 * The minimum priority to render, if any: always for the outputs that read
 * one (and for outputs the library does not know, as for the built-ins); for
 * a known output that reads none from its environment, only when set, with a note.
 */
function minimumPriority(spec: OutputSpec, known: KnownFalcosidekickOutput | undefined, notes: string[]): FalcoPriority | undefined {
  const priority = spec.options.minimumPriority ?? FalcoPriority.DEBUG;
  if (!Object.values(FalcoPriority).includes(priority)) {
    throw validationError(spec.where, 'minimumPriority is not a FalcoPriority', priority, `use one of ${Object.values(FalcoPriority).map((p) => `FalcoPriority.${p}`).join(', ')}`);
  }
  if (!known || keysOf(known).includes('minimumpriority')) return priority;
  if (spec.options.minimumPriority === undefined) return undefined;
  notes.push(validationMessage(spec.where, `falcosidekick 2.32.0 reads no minimumpriority for ${spec.output} from its environment, so ${envName(spec.output)}_MINIMUMPRIORITY may be ignored`,
    spec.options.minimumPriority, 'leave minimumPriority unset unless the image you run reads it'));
  return priority;
}

/**
 * Certificate checking and TLS, on unless turned off by the typed options:
 * `<OUTPUT>_CHECKCERT` is rendered where it is off (by the user's choice, or
 * by falcosidekick's default, as for logstash), `<OUTPUT>_TLS` where the output has it.
 */
function tlsEnv(spec: OutputSpec, known: KnownFalcosidekickOutput | undefined): k8s.EnvVar[] {
  const prefix = envName(spec.output);
  const keys = known ? keysOf(known) : undefined;
  const env: k8s.EnvVar[] = [];
  const insecure = spec.options.insecureSkipTlsVerify ?? false;
  const tls = spec.options.tls;
  for (const [field, value] of [['insecureSkipTlsVerify', insecure], ['tls', tls ?? true]] as const) {
    if (typeof value !== 'boolean') throw validationError(spec.where, `${field} is not a boolean`, value, 'use true or false');
  }
  if (insecure && keys && !keys.includes('checkcert')) {
    throw validationError(spec.where, `insecureSkipTlsVerify is set, but falcosidekick's ${spec.output} output has no certificate check to turn off`, insecure,
      'remove insecureSkipTlsVerify');
  }
  if (insecure || known?.checkCertOff) env.push({ name: `${prefix}_CHECKCERT`, value: String(!insecure) });
  if (keys?.includes('tls')) {
    env.push({ name: `${prefix}_TLS`, value: String(tls ?? true) });
  } else if (tls !== undefined) {
    if (keys) {
      throw validationError(spec.where, `tls is set, but falcosidekick's ${spec.output} output has no tls setting`, tls,
        'remove tls: the scheme of the output\'s URL (https://) decides');
    }
    env.push({ name: `${prefix}_TLS`, value: String(tls) });
  }
  return env;
}

function keysOf(known: KnownFalcosidekickOutput): string[] {
  return known.keys.split(' ');
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
  return [{ [envKey]: apiPath ? baseUrl(output, 'url', value!, apiPath.path, apiPath.what) : url(`FalcosidekickOutput.${output}`, 'url', value!) }, {}];
}

/**
 * A URL falcosidekick appends its own path to: besides being an http(s) URL, it
 * must not already end in that path, nor carry a query or fragment the appended
 * path would land in.
 */
function baseUrl(output: string, field: string, value: string, apiPath: RegExp, what: string): string {
  url(`FalcosidekickOutput.${output}`, field, value);
  const parsed = new globalThis.URL(value);
  const api = apiPath.exec(parsed.pathname);
  if (parsed.search || parsed.hash || api) {
    const base = `${parsed.origin}${parsed.pathname.slice(0, api?.index ?? parsed.pathname.length).replace(/\/+$/, '')}`;
    throw validationError(`FalcosidekickOutput.${output}`, `${field} ${api ? `ends in ${what}` : 'has a query or fragment'}, but falcosidekick appends its own path to it`,
      value, `give the base URL, "http(s)://host:port" (a proxy's path prefix stays): did you mean "${base}"?`);
  }
  return value;
}

function url(where: string, field: string, value: string): string {
  if (typeof value !== 'string' || !URL.test(value)) {
    throw validationError(where, `${field} is not an http(s) URL`, value, 'use a URL such as "http://host:port"');
  }
  return value;
}
