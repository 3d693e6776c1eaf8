import { SiemAwsCredentials } from './aws-credentials';
import { nonEmpty, resolveElasticIndex, resolveTls, resolveUsername } from './destination-settings';
import { FLUENT_BIT_STATE_DIR } from './fluent-bit-config';
import { DestinationContext, RenderedDestination } from './internal';
import {
  validateHost, validateInteger, validateLogType, validateSplunkIndex, validateUnitSize,
} from './siem-validation';
import { SYSLOG_HOSTNAME_KEY, SYSLOG_LUA, SYSLOG_LUA_FUNCTION, SYSLOG_MESSAGE_KEY, SYSLOG_SEVERITY_KEY } from './syslog-record';
import { requiredArgument } from '../common/arguments';
import { didYouMean } from '../common/did-you-mean';
import { SecretKeyReference, validateSecretKeyReference } from '../common/secret-key-reference';
import { validateInstance, validatePort, validationError, ErrorLocation } from '../common/validation';

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
   * Path of the endpoint, rendered as written: a path with a credential in
   * its query (`?token=...`) is refused, use `uriSecret` for it.
   * @default '/'
   */
  readonly uri?: string;
  /**
   * Secret key holding the path (and query) of the endpoint, for an endpoint
   * whose URL carries its credential: rendered as a `${VARIABLE}` that Fluent
   * Bit fills from the environment, set from the Secret.
   * @default - `uri`
   */
  readonly uriSecret?: SecretKeyReference;
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

/** Transport of `SiemDestination.syslog`. */
export enum SiemSyslogTransport {
  /** TCP, with TLS unless `tls` is false (RFC 5425 / RFC 6587 framing by newline). */
  TCP = 'tcp',
  /**
   * UDP: no TLS, no delivery guarantee, and messages beyond a datagram are
   * truncated. Needs `tls: false`.
   */
  UDP = 'udp',
}

/** Message format of `SiemDestination.syslog`. */
export enum SiemSyslogFormat {
  /** RFC 5424: ISO timestamps with time zone, structured header. */
  RFC5424 = 'rfc5424',
  /** RFC 3164 (BSD syslog), for receivers that understand nothing newer. */
  RFC3164 = 'rfc3164',
}

/** Options of `SiemDestination.syslog`. */
export interface SiemSyslogOptions extends SiemDestinationOptions {
  /** Host of the syslog receiver, without scheme or port. */
  readonly host: string;
  /**
   * Port of the receiver.
   * @default - 6514 (syslog over TLS) with TLS, else 514
   */
  readonly port?: number;
  /**
   * Transport. `tls` (on by default) applies to TCP.
   * @default SiemSyslogTransport.TCP
   */
  readonly transport?: SiemSyslogTransport;
  /**
   * Message format (`syslog_format`).
   * @default SiemSyslogFormat.RFC5424
   */
  readonly format?: SiemSyslogFormat;
  /**
   * Longest message in bytes (`syslog_maxsize`); longer messages are cut,
   * which leaves their JSON incomplete. RFC 5425 receivers accept at least 8192.
   * @default - 8192 over TCP, 2048 over UDP
   */
  readonly maxMessageBytes?: number;
}

/** Compression of the objects `SiemDestination.s3` writes. */
export enum SiemS3Compression {
  /** gzip (`.gz` objects, readable by Athena and most SIEM importers). */
  GZIP = 'gzip',
  /** zstd: smaller and faster than gzip. */
  ZSTD = 'zstd',
  /** Uncompressed JSON lines. */
  NONE = 'none',
}

/** Options of `SiemDestination.s3`. */
export interface SiemS3Options extends SiemDestinationOptions {
  /** Name of the bucket. */
  readonly bucket: string;
  /** AWS region of the bucket, e.g. `eu-west-1`. */
  readonly region: string;
  /** How Fluent Bit authenticates to AWS. */
  readonly credentials: SiemAwsCredentials;
  /**
   * Object key (`s3_key_format`): starts with `/`; strftime conversions,
   * `$TAG`, `$UUID` and `$INDEX` are expanded. `$LOG_TYPE` is replaced with the
   * log type. A `$UUID` keeps two nodes from writing the same key.
   * @default '/security-logs/$LOG_TYPE/%Y/%m/%d/%H/%M-$UUID.jsonl' (plus `.gz`/`.zst` when compressed)
   */
  readonly keyFormat?: string;
  /**
   * Object compression.
   * @default SiemS3Compression.GZIP
   */
  readonly compression?: SiemS3Compression;
  /**
   * Size at which an object is completed and a new one started
   * (`total_file_size`), a Fluent Bit unit size from `1M` to `50G`.
   * @default '100M'
   */
  readonly totalFileSize?: string;
  /**
   * Longest time an object stays open before it is uploaded
   * (`upload_timeout`), in minutes. Bounds how late logs arrive in the archive.
   * @default 10
   */
  readonly uploadTimeoutMinutes?: number;
}

/** Keys of one output for one log type. */
type OutputRenderer = (logType: string) => Record<string, unknown>;

interface Credential {
  /** Suffix of the environment variable. */
  readonly suffix: string;
  /**
   * The variable's full name, for credentials a library reads from a fixed
   * variable (the AWS SDK's `AWS_ACCESS_KEY_ID`).
   * @default - `<envPrefix>_<suffix>`
   */
  readonly envName?: string;
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
  /**
   * Renders the plugin's own keys; `env(suffix)` is the `${VAR}` reference of a
   * credential, `instance` is unique per destination of the pipeline.
   */
  readonly render: (where: ErrorLocation, env: (suffix: string) => string, instance: string) => OutputRenderer;
  /**
   * The plugin's TLS keys.
   * @default - Fluent Bit's common `tls` and `tls.verify`
   */
  readonly tlsKeys?: (tls: boolean, verify: boolean) => Record<string, unknown>;
  /**
   * The plugin's retry and buffer keys.
   * @default - `retry_limit` (unlimited unless `retryLimit`) and `storage.total_limit_size`
   */
  readonly reliabilityKeys?: (where: ErrorLocation, factory: string, options: SiemDestinationOptions) => Record<string, unknown>;
  /**
   * Annotations the pipeline's ServiceAccount needs (a cloud role).
   * @default - none
   */
  readonly serviceAccountAnnotations?: (where: ErrorLocation) => Record<string, string>;
}

function commonTlsKeys(tls: boolean, verify: boolean): Record<string, unknown> {
  return { tls: tls ? 'on' : 'off', ...(tls ? { 'tls.verify': verify ? 'on' : 'off' } : {}) };
}

function retryLimitOf(where: ErrorLocation, factory: string, options: SiemDestinationOptions, unlimited: string | number): string | number {
  return options.retryLimit === undefined ? unlimited : validateInteger(where, `${factory} retryLimit`, options.retryLimit, 1, 1_000_000);
}

/** Retry without limit (unless `retryLimit`), buffer on disk up to `bufferLimit`. */
function commonReliabilityKeys(where: ErrorLocation, factory: string, options: SiemDestinationOptions): Record<string, unknown> {
  return {
    'retry_limit': retryLimitOf(where, factory, options, 'no_limits'),
    'storage.total_limit_size': bufferLimitOf(where, factory, options),
  };
}

function bufferLimitOf(where: ErrorLocation, factory: string, options: SiemDestinationOptions): string {
  return validateUnitSize(where, `${factory} bufferLimit`, options.bufferLimit ?? '1G');
}

const HTTP_PATH = /^\/[^\s]*$/;
const KAFKA_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;
/** S3 bucket names (general purpose buckets). */
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;
/** Fluent Bit's own cap for S3 retries (`MAX_UPLOAD_ERRORS`); it refuses `no_limits` for S3. */
const S3_DEFAULT_RETRIES = 5;

const UNIT_BYTES: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };
/** Bytes of a validated Fluent Bit unit size (`512K`, `5M`, `1GB`). */
function unitBytes(size: string): number {
  const match = /^(\d+)([KMG])B?$/i.exec(size)!;
  return Number(match[1]) * UNIT_BYTES[match[2].toUpperCase()];
}

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
   * drops the chunk without retrying, whatever `retryLimit` says. The
   * `FluentBitDroppingLogs` alert of `SecurityAlerts` watches for this
   * (`fluentbit_output_dropped_records_total`).
   */
  public static splunkHec(options: SiemSplunkHecOptions): SiemDestination {
    options = requiredArgument('SiemDestination.splunkHec', 'options', options, '{ host, tokenSecret: { secretName, key } }');
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
        // A record accessor: without the `$`, Fluent Bit sends the text "log_type" as every event's sourcetype.
        const sourcetype = options.sourcetype === undefined ? { event_sourcetype_key: '$log_type' }
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
   * by default. Writes are idempotent: each record gets an `_id` from its
   * content and time (`generate_id`) and is written with the `index`
   * operation, so a chunk re-sent after a restart or a lost response
   * overwrites the same documents (200) instead of duplicating them, or
   * failing with 409 forever as `create` would. Indices must be regular
   * indices (data streams accept only `create`).
   */
  public static elasticsearch(options: SiemElasticsearchOptions): SiemDestination {
    options = requiredArgument('SiemDestination.elasticsearch', 'options', options, '{ host }');
    return SiemDestination.elasticCompatible('es', 'elasticsearch', options);
  }

  /** OpenSearch (`opensearch` output), with the same index layout as `elasticsearch`. */
  public static openSearch(options: SiemElasticsearchOptions): SiemDestination {
    options = requiredArgument('SiemDestination.openSearch', 'options', options, '{ host }');
    return SiemDestination.elasticCompatible('opensearch', 'openSearch', options);
  }

  /** Any HTTP endpoint that accepts JSON arrays of records by POST (`http` output). */
  public static http(options: SiemHttpOptions): SiemDestination {
    options = requiredArgument('SiemDestination.http', 'options', options, '{ host }', { secretAlternatives: { uri: 'uriSecret' } });
    return new SiemDestination({
      name: 'http',
      factory: 'http',
      options,
      secrets: [passwordCredential(options), { suffix: 'URI', field: 'uriSecret', ref: options.uriSecret }],
      render: (where, env) => {
        const host = validateHost(where, 'http host', options.host);
        const port = validatePort(where, 'http port', options.port ?? 443);
        if (options.uri !== undefined && options.uriSecret !== undefined) {
          throw validationError(where, 'http uri and uriSecret are both set', ['uri', 'uriSecret'],
            'set uri to the path, or uriSecret: { secretName, key } of a Secret that holds a path carrying a credential');
        }
        const uri = options.uriSecret === undefined ? options.uri ?? '/' : env('URI');
        if (options.uriSecret === undefined && !HTTP_PATH.test(uri)) {
          throw validationError(where, 'http uri is not an absolute path', uri, 'start it with "/", e.g. "/ingest"');
        }
        const auth = basicAuth(where, 'http', options, env);
        return () => ({ host, port, uri, format: 'json', json_date_key: 'timestamp', json_date_format: 'iso8601', ...auth });
      },
    });
  }

  /** Grafana Loki (`loki` output); every stream is labelled with `log_type`. */
  public static loki(options: SiemLokiOptions): SiemDestination {
    options = requiredArgument('SiemDestination.loki', 'options', options, '{ host }');
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
    options = requiredArgument('SiemDestination.kafka', 'options', options, '{ brokers: ["kafka-0.example.com:9093"] }');
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

  /**
   * A syslog receiver (`syslog` output), over TCP with TLS by default.
   *
   * Each record is sent as one syslog message whose text is the record as
   * JSON, the same fields the other destinations receive (container log
   * lines with pod metadata, whole audit events, Falco alerts), so the SIEM
   * parses one format for every source. The APP-NAME is the log type, the
   * HOSTNAME the node for container records, and Falco's `priority` sets the
   * syslog severity (others are `info`). The JSON is built by a Lua processor
   * on this output only: other destinations get the records unchanged.
   */
  public static syslog(options: SiemSyslogOptions): SiemDestination {
    options = requiredArgument('SiemDestination.syslog', 'options', options, '{ host }');
    return new SiemDestination({
      name: 'syslog',
      factory: 'syslog',
      options,
      secrets: [],
      render: (where) => {
        const host = validateHost(where, 'syslog host', options.host);
        const transport = options.transport ?? SiemSyslogTransport.TCP;
        if (!Object.values(SiemSyslogTransport).includes(transport)) {
          throw validationError(where, 'syslog transport is not a SiemSyslogTransport', transport, 'use SiemSyslogTransport.TCP or SiemSyslogTransport.UDP');
        }
        const format = options.format ?? SiemSyslogFormat.RFC5424;
        if (!Object.values(SiemSyslogFormat).includes(format)) {
          throw validationError(where, 'syslog format is not a SiemSyslogFormat', format, 'use SiemSyslogFormat.RFC5424 or SiemSyslogFormat.RFC3164');
        }
        const tls = options.tls ?? true;
        if (transport === SiemSyslogTransport.UDP && tls) {
          throw validationError(where, 'syslog over UDP cannot use TLS', options.tls,
            'set tls: false to send plain-text UDP (no delivery guarantee), or use SiemSyslogTransport.TCP with TLS');
        }
        const port = validatePort(where, 'syslog port', options.port ?? (tls ? 6514 : 514));
        const udp = transport === SiemSyslogTransport.UDP;
        const maxSize = validateInteger(where, 'syslog maxMessageBytes', options.maxMessageBytes ?? (udp ? 2048 : 8192), 480, udp ? 65_000 : 1_048_576);
        const mode = udp ? 'udp' : tls ? 'tls' : 'tcp';
        return (logType) => ({
          host,
          port,
          mode,
          syslog_format: format,
          syslog_maxsize: maxSize,
          syslog_message_key: SYSLOG_MESSAGE_KEY,
          syslog_severity_key: SYSLOG_SEVERITY_KEY,
          syslog_hostname_key: SYSLOG_HOSTNAME_KEY,
          syslog_appname_preset: logType,
          processors: { logs: [{ name: 'lua', call: SYSLOG_LUA_FUNCTION, code: SYSLOG_LUA }] },
        });
      },
    });
  }

  /**
   * An archive in Amazon S3 (`s3` output): JSON lines, one object per node,
   * log type and `uploadTimeoutMinutes` (or `totalFileSize`), compressed.
   * Records wait in the node's state directory until uploaded, so a restart
   * loses nothing. Uploads are retried `retryLimit` times (5 by default;
   * Fluent Bit caps S3 retries and does not retry without limit); chunks that
   * exhaust them are kept in a quarantine directory on the node, not deleted.
   */
  public static s3(options: SiemS3Options): SiemDestination {
    options = requiredArgument('SiemDestination.s3', 'options', options, '{ bucket, region, credentials }', { requiredProps: ['bucket'] });
    const credentials = options.credentials;
    const staticKeys = credentials instanceof SiemAwsCredentials && credentials._kind === 'fromSecret';
    return new SiemDestination({
      name: 's3',
      factory: 's3',
      options,
      secrets: staticKeys ? [
        { suffix: 'AWS_ACCESS_KEY_ID', envName: 'AWS_ACCESS_KEY_ID', field: 'credentials accessKeyIdSecret', ref: credentials._accessKeyId },
        { suffix: 'AWS_SECRET_ACCESS_KEY', envName: 'AWS_SECRET_ACCESS_KEY', field: 'credentials secretAccessKeySecret', ref: credentials._secretAccessKey },
      ] : [],
      render: (where, _env, instance) => {
        validateInstance(where, 's3 credentials', credentials, SiemAwsCredentials,
          'use SiemAwsCredentials.irsa(roleArn), SiemAwsCredentials.podIdentity() or SiemAwsCredentials.fromSecret(...)');
        if (!S3_BUCKET.test(String(options.bucket)) || String(options.bucket).includes('..')) {
          throw validationError(where, 's3 bucket is not a valid bucket name', options.bucket,
            "use 3-63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit, without the s3:// scheme");
        }
        if (!AWS_REGION.test(String(options.region))) {
          throw validationError(where, 's3 region is not an AWS region', options.region, 'use a region code such as "eu-west-1"');
        }
        if (options.tls === false) {
          throw validationError(where, 's3 tls cannot be turned off', options.tls, 'remove tls: S3 is always reached over HTTPS');
        }
        const compression = options.compression ?? SiemS3Compression.GZIP;
        if (!Object.values(SiemS3Compression).includes(compression)) {
          throw validationError(where, 's3 compression is not a SiemS3Compression', compression, 'use SiemS3Compression.GZIP, ZSTD or NONE');
        }
        const extension = { gzip: '.gz', zstd: '.zst', none: '' }[compression];
        const keyFormat = options.keyFormat ?? `/security-logs/$LOG_TYPE/%Y/%m/%d/%H/%M-$UUID.jsonl${extension}`;
        if (typeof keyFormat !== 'string' || !keyFormat.startsWith('/') || /[\s{}]/.test(keyFormat)) {
          throw validationError(where, 's3 keyFormat is not an object key format', keyFormat,
            'start it with "/" and use no spaces or braces, e.g. "/security-logs/$LOG_TYPE/%Y/%m/%d/$UUID.jsonl.gz"');
        }
        const totalFileSize = validateUnitSize(where, 's3 totalFileSize', options.totalFileSize ?? '100M');
        if (unitBytes(totalFileSize) < 1024 ** 2 || unitBytes(totalFileSize) > 50 * 1024 ** 3) {
          throw validationError(where, 's3 totalFileSize is out of range', totalFileSize, 'use a size from "1M" to "50G"');
        }
        const uploadTimeout = validateInteger(where, 's3 uploadTimeoutMinutes', options.uploadTimeoutMinutes ?? 10, 1, 1440);
        return (logType) => ({
          bucket: options.bucket,
          region: options.region,
          s3_key_format: keyFormat.split('$LOG_TYPE').join(logType),
          ...(compression === SiemS3Compression.NONE ? {} : { compression }),
          total_file_size: totalFileSize,
          upload_timeout: `${uploadTimeout}m`,
          // Below 2 x 5 MB Fluent Bit cannot use multipart uploads.
          ...(unitBytes(totalFileSize) < 10 * 1024 ** 2 ? { use_put_object: 'on' } : {}),
          // The root filesystem is read-only; the state directory is on the node and survives restarts.
          store_dir: `${FLUENT_BIT_STATE_DIR}/s3/${instance}-${logType.replace(/_/g, '-')}`,
        });
      },
      // S3 buffers in its own store_dir and retries a bounded number of times.
      reliabilityKeys: (where, factory, opts) => {
        const bufferLimit = bufferLimitOf(where, factory, opts);
        return {
          retry_limit: retryLimitOf(where, factory, opts, S3_DEFAULT_RETRIES),
          retry_exhausted_action: 'quarantine',
          store_dir_limit_size: bufferLimit,
          quarantine_dir_limit_size: bufferLimit,
        };
      },
      serviceAccountAnnotations: (where): Record<string, string> => {
        if (!(credentials instanceof SiemAwsCredentials) || credentials._kind !== 'irsa') return {};
        if (!IAM_ROLE_ARN.test(String(credentials._roleArn))) {
          throw validationError(where, 's3 credentials role ARN is not an IAM role ARN', credentials._roleArn,
            'use "arn:aws:iam::<12-digit account>:role/<name>", e.g. "arn:aws:iam::123456789012:role/siem-archive"');
        }
        return { 'eks.amazonaws.com/role-arn': credentials._roleArn! };
      },
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
          // A re-sent record has the same _id; `index` then overwrites it (200). With the plugin's default
          // `create` it comes back 409, which Fluent Bit 5.1 does not count as success: retried forever.
          generate_id: 'on',
          write_operation: 'index',
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
    const envName = (credential: Credential) => credential.envName ?? `${context.envPrefix}_${credential.suffix}`;
    const env = (suffix: string) => {
      const credential = this.plugin.secrets.find((c) => c.suffix === suffix);
      return `\${${credential ? envName(credential) : `${context.envPrefix}_${suffix}`}}`;
    };
    const renderOutput = this.plugin.render(where, env, context.envPrefix.toLowerCase().replace(/_/g, '-'));
    const routed = this.routedLogTypes(context);
    // An index for a log type this destination never receives is a typo: its events go to the default index.
    const indexByLogType = (options as { indexByLogType?: Record<string, string> }).indexByLogType ?? {};
    for (const logType of Object.keys(indexByLogType).filter((t) => !routed.includes(t))) {
      throw validationError(where, `${factory} indexByLogType names a log type this destination does not ship`, logType,
        `use one of ${routed.map((t) => `"${t}"`).join(', ')}${didYouMean(logType, routed)}, or add a source with that logType (and to logTypes, if set)`);
    }
    const { tls, verify } = resolveTls(where, factory, options);
    const reliability = (this.plugin.reliabilityKeys ?? commonReliabilityKeys)(where, factory, options);
    const outputs = routed.map((logType) => {
      const { processors, ...keys } = renderOutput(logType);
      return {
        name: this.plugin.name,
        match: `${logType}.*`,
        ...keys,
        ...(this.plugin.tlsKeys ?? commonTlsKeys)(tls, verify),
        ...reliability,
        // Per-output processors run on this output's copy of the records only.
        ...(processors === undefined ? {} : { processors }),
      };
    });
    const secretEnv = this.plugin.secrets
      .filter((credential) => credential.ref !== undefined)
      .map((credential) => ({
        name: envName(credential),
        secret: validateSecretKeyReference(where, `${factory} ${credential.field}`, credential.ref),
      }));
    const annotations = this.plugin.serviceAccountAnnotations?.(where) ?? {};
    return { outputs, env: secretEnv, serviceAccountAnnotations: annotations };
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
