import { nonEmpty, resolveElasticIndex, resolveTls, resolveUsername } from './destination-settings';
import { DestinationContext, RenderedDestination } from './internal';
import {
  validateHost, validateInteger, validateLogType, validateSplunkIndex, validateUnitSize,
} from './siem-validation';
import { SecretKeyReference, validateSecretKeyReference } from '../common/secret-key-reference';
import { validatePort, validationError, ErrorLocation } from '../common/validation';

/** Options every destination accepts. */
export interface SiemDestinationOptions {
  /**
   * Log types (see `SiemSourceOptions.logType`) shipped to this destination.
   * @default - every source of the pipeline
   */
  readonly logTypes?: string[];

  /**
   * Whether to connect over TLS.
   * @default true
   */
  readonly tls?: boolean;

  /**
   * Accept any server certificate (`tls.verify: off`). This makes the
   * connection open to interception: only for test endpoints with
   * self-signed certificates. Requires `tls`.
   * @default false - the certificate and host name are verified
   */
  readonly insecureSkipTlsVerify?: boolean;

  /**
   * How often Fluent Bit retries a chunk the destination did not accept before
   * dropping it (`retry_limit`). Fluent Bit's own default is a single retry,
   * which loses data in any outage longer than a minute or so.
   * @default - retry without limit (`no_limits`)
   */
  readonly retryLimit?: number;

  /**
   * Disk space for chunks waiting for this destination, per log type
   * (`storage.total_limit_size`). When full, the oldest chunks are dropped.
   * A Fluent Bit unit size such as `500M` or `2G`.
   * @default '1G'
   */
  readonly bufferLimit?: string;
}

/** Options shared by the HTTP-based destinations that take a user and a password. */
export interface SiemBasicAuthOptions {
  /**
   * User for HTTP basic authentication. Requires `passwordSecret`.
   * @default - no authentication
   */
  readonly username?: string;
  /**
   * Secret key holding the password of `username`.
   * @default - no authentication
   */
  readonly passwordSecret?: SecretKeyReference;
}

/** Options of `SiemDestination.splunkHec`. */
export interface SiemSplunkHecOptions extends SiemDestinationOptions {
  /** Host of the HTTP Event Collector, without scheme or port. */
  readonly host: string;
  /**
   * Port of the HTTP Event Collector.
   * @default 8088
   */
  readonly port?: number;
  /** Secret key holding the HEC token. */
  readonly tokenSecret: SecretKeyReference;
  /**
   * Index for every event (`event_index`).
   * @default - the token's default index
   */
  readonly index?: string;
  /**
   * Index per log type, overriding `index`, e.g. `{ security_audit: 'k8s_audit' }`.
   * @default - `index` for every log type
   */
  readonly indexByLogType?: { [logType: string]: string };
  /**
   * Sourcetype for every event (`event_sourcetype`).
   * @default - the record's `log_type` (`event_sourcetype_key`)
   */
  readonly sourcetype?: string;
}

/** Options of `SiemDestination.elasticsearch` and `SiemDestination.openSearch`. */
export interface SiemElasticsearchOptions extends SiemDestinationOptions, SiemBasicAuthOptions {
  /** Host of the cluster, without scheme or port. */
  readonly host: string;
  /**
   * Port of the cluster.
   * @default 9200
   */
  readonly port?: number;
  /**
   * Prefix of the daily indices (`logstash_prefix`): `<prefix>-<date>`.
   * @default 'security-logs'
   */
  readonly indexPrefix?: string;
  /**
   * Date part of the index name (`logstash_dateformat`), strftime with numeric conversions.
   * @default '%Y.%m.%d'
   */
  readonly dateFormat?: string;
  /**
   * Whether each log type gets its own indices, `<prefix>-<log_type>-<date>`.
   * @default false
   */
  readonly indexPerLogType?: boolean;
}

/** Options of `SiemDestination.http`. */
export interface SiemHttpOptions extends SiemDestinationOptions, SiemBasicAuthOptions {
  /** Host of the endpoint, without scheme or port. */
  readonly host: string;
  /**
   * Port of the endpoint.
   * @default 443
   */
  readonly port?: number;
  /**
   * Path of the endpoint.
   * @default '/'
   */
  readonly uri?: string;
}

/** Options of `SiemDestination.loki`. */
export interface SiemLokiOptions extends SiemDestinationOptions, SiemBasicAuthOptions {
  /** Host of Loki (or its gateway), without scheme or port. */
  readonly host: string;
  /**
   * Port of Loki.
   * @default 3100
   */
  readonly port?: number;
  /**
   * Tenant (`X-Scope-OrgID`) for multi-tenant Loki.
   * @default - none
   */
  readonly tenantId?: string;
}


/** Options of `SiemDestination.kafka`. */
export interface SiemKafkaOptions extends SiemDestinationOptions {
  /** Bootstrap brokers as `host:port`. */
  readonly brokers: string[];
  /**
   * Topic for every record.
   * @default 'security-logs'
   */
  readonly topic?: string;
  /**
   * SASL user (SCRAM-SHA-512). Requires `passwordSecret`.
   * @default - no SASL authentication
   */
  readonly username?: string;
  /**
   * Secret key holding the SASL password of `username`.
   * @default - no SASL authentication
   */
  readonly passwordSecret?: SecretKeyReference;
}

/** Keys of one output for one log type. */
type OutputRenderer = (logType: string) => Record<string, unknown>;

interface Credential {
  /** Suffix of the environment variable. */
  readonly suffix: string;
  /** The option it comes from, for error messages. */
  readonly field: string;
  readonly ref?: SecretKeyReference;
}

interface Plugin {
  /** The Fluent Bit output plugin. */
  readonly name: string;
  /** The factory method, for error messages. */
  readonly factory: string;
  readonly options: SiemDestinationOptions;
  readonly secrets: Credential[];
  /** Renders the plugin's own keys; `env(suffix)` is the `${VAR}` reference of a credential. */
  readonly render: (where: ErrorLocation, env: (suffix: string) => string) => OutputRenderer;
  /**
   * The plugin's TLS keys.
   * @default - Fluent Bit's common `tls` and `tls.verify`
   */
  readonly tlsKeys?: (tls: boolean, verify: boolean) => Record<string, unknown>;
}

function commonTlsKeys(tls: boolean, verify: boolean): Record<string, unknown> {
  return { tls: tls ? 'on' : 'off', ...(tls ? { 'tls.verify': verify ? 'on' : 'off' } : {}) };
}

const HTTP_PATH = /^\/[^\s]*$/;
const KAFKA_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Where the pipeline ships logs. Each destination gets one Fluent Bit output
 * per log type it receives, so each log type has its own retry state and its
 * own disk buffer (`bufferLimit`).
 *
 * Credentials come from Secrets through environment variables and never
 * appear in the rendered config.
 */
export class SiemDestination {
  /**
   * Splunk HTTP Event Collector (`splunk` output).
   *
   * Beware: when HEC answers with a 4xx status other than 408 or 429 (for
   * example 401 for a wrong or revoked token, 400 for a bad index), Fluent Bit
   * drops the chunk without retrying, whatever `retryLimit` says. Alert on the
   * output's `fluentbit_output_dropped_records_total` metric.
   */
  public static splunkHec(options: SiemSplunkHecOptions): SiemDestination {
    return new SiemDestination({
      name: 'splunk',
      factory: 'splunkHec',
      options,
      secrets: [{ suffix: 'SPLUNK_TOKEN', field: 'tokenSecret', ref: options.tokenSecret }],
      render: (where, env) => {
        const host = validateHost(where, 'splunkHec host', options.host);
        const port = validatePort(where, 'splunkHec port', options.port ?? 8088);
        validateSecretKeyReference(where, 'splunkHec tokenSecret', options.tokenSecret);
        const index = options.index === undefined ? undefined : validateSplunkIndex(where, 'splunkHec index', options.index);
        const byLogType = options.indexByLogType ?? {};
        for (const [logType, value] of Object.entries(byLogType)) {
          validateLogType(where, 'splunkHec indexByLogType key', logType);
          validateSplunkIndex(where, `splunkHec indexByLogType["${logType}"]`, value);
        }
        const sourcetype = options.sourcetype === undefined ? { event_sourcetype_key: 'log_type' }
          : { event_sourcetype: nonEmpty(where, 'splunkHec sourcetype', options.sourcetype) };
        return (logType) => {
          const eventIndex = byLogType[logType] ?? index;
          return {
            host,
            port,
            splunk_token: env('SPLUNK_TOKEN'),
            ...(eventIndex === undefined ? {} : { event_index: eventIndex }),
            ...sourcetype,
          };
        };
      },
    });
  }

  /**
   * Elasticsearch (`es` output) into daily indices, `security-logs-2024.01.31`
   * by default. Each record gets an `_id` from its content (`generate_id`), so
   * chunks re-sent after a restart do not create duplicates.
   */
  public static elasticsearch(options: SiemElasticsearchOptions): SiemDestination {
    return SiemDestination.elasticCompatible('es', 'elasticsearch', options);
  }

  /** OpenSearch (`opensearch` output), with the same index layout as `elasticsearch`. */
  public static openSearch(options: SiemElasticsearchOptions): SiemDestination {
    return SiemDestination.elasticCompatible('opensearch', 'openSearch', options);
  }

  /** Any HTTP endpoint that accepts JSON arrays of records by POST (`http` output). */
  public static http(options: SiemHttpOptions): SiemDestination {
    return new SiemDestination({
      name: 'http',
      factory: 'http',
      options,
      secrets: [passwordCredential(options)],
      render: (where, env) => {
        const host = validateHost(where, 'http host', options.host);
        const port = validatePort(where, 'http port', options.port ?? 443);
        const uri = options.uri ?? '/';
        if (!HTTP_PATH.test(uri)) throw validationError(where, 'http uri is not an absolute path', uri, 'start it with "/", e.g. "/ingest"');
        const auth = basicAuth(where, 'http', options, env);
        return () => ({ host, port, uri, format: 'json', json_date_key: 'timestamp', json_date_format: 'iso8601', ...auth });
      },
    });
  }

  /** Grafana Loki (`loki` output); every stream is labelled with `log_type`. */
  public static loki(options: SiemLokiOptions): SiemDestination {
    return new SiemDestination({
      name: 'loki',
      factory: 'loki',
      options,
      secrets: [passwordCredential(options)],
      render: (where, env) => {
        const host = validateHost(where, 'loki host', options.host);
        const port = validatePort(where, 'loki port', options.port ?? 3100);
        const tenant = options.tenantId === undefined ? {} : { tenant_id: nonEmpty(where, 'loki tenantId', options.tenantId) };
        const auth = basicAuth(where, 'loki', options, env);
        return (logType) => ({ host, port, labels: `job=fluent-bit, log_type=${logType}`, line_format: 'json', ...tenant, ...auth });
      },
    });
  }

  /**
   * Apache Kafka (`kafka` output, librdkafka), as JSON messages. TLS and SASL
   * are librdkafka settings (`rdkafka.*`), not Fluent Bit's `tls` keys.
   */
  public static kafka(options: SiemKafkaOptions): SiemDestination {
    const sasl = options.username !== undefined || options.passwordSecret !== undefined;
    return new SiemDestination({
      name: 'kafka',
      factory: 'kafka',
      options,
      secrets: [passwordCredential(options)],
      render: (where, env) => {
        if (!Array.isArray(options.brokers) || options.brokers.length === 0) {
          throw validationError(where, 'kafka brokers is empty', options.brokers, 'list at least one broker as "host:port"');
        }
        const brokers = options.brokers.map((broker) => {
          const [host, port, extra] = String(broker).split(':');
          if (extra !== undefined || port === undefined) {
            throw validationError(where, 'kafka broker is not "host:port"', broker, 'write each broker as "host:port", e.g. "kafka-0.example.com:9093"');
          }
          validateHost(where, 'kafka broker host', host);
          validatePort(where, 'kafka broker port', Number(port));
          return broker;
        });
        const topic = options.topic ?? 'security-logs';
        if (!KAFKA_TOPIC.test(topic)) {
          throw validationError(where, 'kafka topic is not a valid topic name', topic, "use 1-249 letters, digits, '.', '_' or '-'");
        }
        const username = resolveUsername(where, 'kafka', options);
        const saslKeys = username === undefined ? {} : {
          'rdkafka.sasl.mechanisms': 'SCRAM-SHA-512', 'rdkafka.sasl.username': username, 'rdkafka.sasl.password': env('PASSWORD'),
        };
        return () => ({ brokers: brokers.join(','), topics: topic, format: 'json', ...saslKeys });
      },
      tlsKeys: (tls, verify) => ({
        'rdkafka.security.protocol': `${sasl ? 'sasl_' : ''}${tls ? 'ssl' : 'plaintext'}`,
        ...(tls ? { 'rdkafka.enable.ssl.certificate.verification': verify ? 'true' : 'false' } : {}),
      }),
    });
  }

  private static elasticCompatible(plugin: string, factory: string, options: SiemElasticsearchOptions): SiemDestination {
    return new SiemDestination({
      name: plugin,
      factory,
      options,
      secrets: [passwordCredential(options)],
      render: (where, env) => {
        const { host, port, indexPrefix: prefix, dateFormat, indexPerLogType } = resolveElasticIndex(where, factory, options);
        const auth = basicAuth(where, factory, options, env);
        return (logType) => ({
          host,
          port,
          logstash_format: 'on',
          logstash_prefix: indexPerLogType ? `${prefix}-${logType.replace(/_/g, '-')}` : prefix,
          logstash_dateformat: dateFormat,
          // Mapping types are gone since Elasticsearch 8 and OpenSearch 2.
          suppress_type_name: 'on',
          generate_id: 'on',
          ...auth,
        });
      },
    });
  }

  private constructor(private readonly plugin: Plugin) {}

  /** @internal */
  public _render(context: DestinationContext): RenderedDestination {
    const { where } = context;
    const { options, factory } = this.plugin;
    const env = (suffix: string) => `\${${context.envPrefix}_${suffix}}`;
    const renderOutput = this.plugin.render(where, env);
    const routed = this.routedLogTypes(context);
    const { tls, verify } = resolveTls(where, factory, options);
    const retryLimit = options.retryLimit === undefined ? 'no_limits'
      : validateInteger(where, `${factory} retryLimit`, options.retryLimit, 1, 1_000_000);
    const bufferLimit = validateUnitSize(where, `${factory} bufferLimit`, options.bufferLimit ?? '1G');
    const outputs = routed.map((logType) => ({
      'name': this.plugin.name,
      'match': `${logType}.*`,
      ...renderOutput(logType),
      ...(this.plugin.tlsKeys ?? commonTlsKeys)(tls, verify),
      'retry_limit': retryLimit,
      'storage.total_limit_size': bufferLimit,
    }));
    const secretEnv = this.plugin.secrets
      .filter((credential) => credential.ref !== undefined)
      .map((credential) => ({
        name: `${context.envPrefix}_${credential.suffix}`,
        secret: validateSecretKeyReference(where, `${factory} ${credential.field}`, credential.ref),
      }));
    return { outputs, env: secretEnv };
  }

  private routedLogTypes(context: DestinationContext): string[] {
    const requested = this.plugin.options.logTypes;
    if (requested === undefined) return context.logTypes;
    if (requested.length === 0) {
      throw validationError(context.where, `${this.plugin.factory} logTypes is empty`, requested,
        'list at least one log type, or leave logTypes unset to ship every source');
    }
    for (const logType of requested) {
      if (!context.logTypes.includes(logType)) {
        throw validationError(context.where, `${this.plugin.factory} logTypes names a log type no source produces`, logType,
          `use one of ${context.logTypes.map((t) => `"${t}"`).join(', ')}, or add a source with that logType`);
      }
    }
    return context.logTypes.filter((t) => requested.includes(t));
  }
}

function passwordCredential(options: SiemBasicAuthOptions): Credential {
  return { suffix: 'PASSWORD', field: 'passwordSecret', ref: options.passwordSecret };
}

function basicAuth(where: ErrorLocation, factory: string, options: SiemBasicAuthOptions, env: (suffix: string) => string): Record<string, string> {
  const username = resolveUsername(where, factory, options);
  return username === undefined ? {} : { http_user: username, http_passwd: env('PASSWORD') };
}
