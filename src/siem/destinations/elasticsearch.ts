import { basicAuth, FluentBitOutputSpec, passwordCredential } from './output-spec';
import { requiredArgument } from '../../common/arguments';
import { SiemBasicAuthOptions, SiemDestinationOptions } from '../destination-options';
import { resolveElasticIndex } from '../destination-settings';

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

/** The `es` output of `SiemDestination.elasticsearch`. */
export function elasticsearchOutput(options: SiemElasticsearchOptions): FluentBitOutputSpec {
  options = requiredArgument('SiemDestination.elasticsearch', 'options', options, '{ host }');
  return elasticCompatibleOutput('es', 'elasticsearch', options);
}

/** The `opensearch` output of `SiemDestination.openSearch`. */
export function openSearchOutput(options: SiemElasticsearchOptions): FluentBitOutputSpec {
  options = requiredArgument('SiemDestination.openSearch', 'options', options, '{ host }');
  return elasticCompatibleOutput('opensearch', 'openSearch', options);
}

function elasticCompatibleOutput(plugin: string, factory: string, options: SiemElasticsearchOptions): FluentBitOutputSpec {
  return {
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
  };
}
