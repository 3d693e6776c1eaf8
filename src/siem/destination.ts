import { resolveTls } from './destination-settings';
import { customOutput, SiemCustomDestinationOptions } from './destinations/custom';
import { elasticsearchOutput, openSearchOutput, SiemElasticsearchOptions } from './destinations/elasticsearch';
import { httpOutput, SiemHttpOptions } from './destinations/http';
import { kafkaOutput, SiemKafkaOptions } from './destinations/kafka';
import { lokiOutput, SiemLokiOptions } from './destinations/loki';
import { commonReliabilityKeys, commonTlsKeys, Credential, FluentBitOutputSpec } from './destinations/output-spec';
import { s3Output, SiemS3Options } from './destinations/s3';
import { SiemSplunkHecOptions, splunkHecOutput } from './destinations/splunk-hec';
import { SiemSyslogOptions, syslogOutput } from './destinations/syslog';
import { DestinationContext, RenderedDestination } from './internal';
import { didYouMean } from '../common/did-you-mean';
import { validateSecretKeyReference } from '../common/secret-key-reference';
import { validationError } from '../common/validation';

/**
 * Where the pipeline ships logs. Each destination gets one Fluent Bit output
 * per log type it receives, so each log type has its own retry state and its
 * own disk buffer (`bufferLimit`).
 *
 * Credentials come from Secrets through environment variables and never
 * appear in the rendered config.
 *
 * Every destination, `custom` included, is one Fluent Bit output plugin
 * described in its own file under `siem/destinations/`; this class adds what
 * they share (routing by log type, TLS, retries and buffering, Secret-backed
 * variables).
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
    return new SiemDestination(splunkHecOutput(options));
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
    return new SiemDestination(elasticsearchOutput(options));
  }

  /** OpenSearch (`opensearch` output), with the same index layout as `elasticsearch`. */
  public static openSearch(options: SiemElasticsearchOptions): SiemDestination {
    return new SiemDestination(openSearchOutput(options));
  }

  /** Any HTTP endpoint that accepts JSON arrays of records by POST (`http` output). */
  public static http(options: SiemHttpOptions): SiemDestination {
    return new SiemDestination(httpOutput(options));
  }

  /** Grafana Loki (`loki` output); every stream is labelled with `log_type`. */
  public static loki(options: SiemLokiOptions): SiemDestination {
    return new SiemDestination(lokiOutput(options));
  }

  /**
   * Apache Kafka (`kafka` output, librdkafka), as JSON messages. TLS and SASL
   * are librdkafka settings (`rdkafka.*`), not Fluent Bit's `tls` keys.
   */
  public static kafka(options: SiemKafkaOptions): SiemDestination {
    return new SiemDestination(kafkaOutput(options));
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
    return new SiemDestination(syslogOutput(options));
  }

  /**
   * An archive in Amazon S3 (`s3` output): JSON lines, one object per node,
   * log type and `uploadTimeout` (or `totalFileSize`), compressed.
   * Records wait in the node's state directory until uploaded, so a restart
   * loses nothing. Uploads are retried `retryLimit` times (5 by default;
   * Fluent Bit caps S3 retries and does not retry without limit); chunks that
   * exhaust them are kept in a quarantine directory on the node, not deleted.
   */
  public static s3(options: SiemS3Options): SiemDestination {
    return new SiemDestination(s3Output(options));
  }

  /**
   * Any other Fluent Bit output plugin (`datadog`, `cloudwatch_logs`,
   * `azure_logs_ingestion`, `forward`, ...), with the guarantees of the
   * built-in destinations: one output per log type it receives (`logTypes`),
   * TLS on and verified unless turned off, unlimited retries with a disk
   * buffer, and credentials only from Secrets (`optionSecrets`,
   * `envSecrets`), never in the config.
   *
   * Option names are checked at synth against the plugin's documented options
   * where the library knows them (with a did-you-mean); for other plugins they
   * are passed through and a warning is recorded on the pipeline. A custom
   * destination is a Fluent Bit output: `SiemPipeline` ships it;
   * `FilebeatPipeline` ships to Elasticsearch only.
   *
   * @example
   * SiemDestination.custom({
   *   plugin: 'datadog',
   *   options: { host: 'http-intake.logs.datadoghq.eu', dd_source: 'kubernetes', dd_tags: 'team:security' },
   *   optionSecrets: { apikey: { secretName: 'datadog', key: 'api-key' } },
   * });
   */
  public static custom(options: SiemCustomDestinationOptions): SiemDestination {
    return new SiemDestination(customOutput(options));
  }

  private constructor(private readonly plugin: FluentBitOutputSpec) {}

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
