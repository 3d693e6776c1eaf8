import { SourceFormat, SourceSpec } from './internal';

/** Settings of Filebeat's Elasticsearch output, already validated. */
export interface FilebeatOutputSettings {
  readonly url: string;
  readonly indexPrefix: string;
  /** Filebeat (Java-style) date pattern, e.g. `yyyy.MM.dd`. */
  readonly datePattern: string;
  readonly indexPerLogType: boolean;
  /** `ssl.verification_mode`, or undefined without TLS. */
  readonly verificationMode?: string;
  readonly username?: string;
  readonly passwordEnv?: string;
}

/** strftime conversions (what `SiemElasticsearchOptions.dateFormat` takes) in Filebeat's date pattern syntax. */
const STRFTIME_TO_FILEBEAT: Record<string, string> = { '%Y': 'yyyy', '%y': 'yy', '%m': 'MM', '%d': 'dd', '%H': 'HH', '%j': 'DDD' };

/** Converts a validated numeric strftime format, or returns undefined if Filebeat has no equivalent. */
export function filebeatDatePattern(strftime: string): string | undefined {
  const unsupported = strftime.match(/%./g)?.some((c) => STRFTIME_TO_FILEBEAT[c] === undefined);
  return unsupported ? undefined : strftime.replace(/%./g, (c) => STRFTIME_TO_FILEBEAT[c]);
}

/** The regular expression Filebeat's `exclude_files` needs for a shell glob. */
function globToRegExp(glob: string): string {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return `^${escaped.replace(/\*/g, '[^/]*').replace(/\?+/g, (q) => (q.length === 1 ? '[^/]' : `[^/]{${q.length}}`))}$`;
}

/** Port of Filebeat's HTTP monitoring endpoint (`http.port`, Filebeat's default). */
export const FILEBEAT_HTTP_PORT = 5066;

/**
 * A complete `filebeat.yml`: one `filestream` input per source, each record
 * carrying `log_type` at the root, daily indices in Elasticsearch with the
 * matching index template settings.
 */
export function filebeatConfig(sources: SourceSpec[], recordFields: Record<string, string>, output: FilebeatOutputSettings): Record<string, unknown> {
  const index = (logType?: string) => `${output.indexPrefix}${logType ? `-${logType.replace(/_/g, '-')}` : ''}-%{+${output.datePattern}}`;
  return {
    'filebeat.inputs': sources.map((source) => filestreamInput(source, recordFields)),
    'output.elasticsearch': {
      hosts: [output.url],
      index: index(),
      ...(output.indexPerLogType ? { indices: sources.map((s) => ({ index: index(s.logType), when: { equals: { log_type: s.logType } } })) } : {}),
      ...(output.username ? { username: output.username, password: `\${${output.passwordEnv}}` } : {}),
      ...(output.verificationMode ? { 'ssl.verification_mode': output.verificationMode } : {}),
    },
    // A custom index needs its own template name and pattern; ILM would otherwise
    // redirect writes to Filebeat's default data stream and ignore them.
    'setup.ilm.enabled': false,
    'setup.template.name': output.indexPrefix,
    'setup.template.pattern': `${output.indexPrefix}-*`,
    // The monitoring endpoint, for the kubelet's probes (and a scraper of /stats).
    'http.enabled': true,
    'http.host': '0.0.0.0',
    'http.port': FILEBEAT_HTTP_PORT,
  };
}

function filestreamInput(source: SourceSpec, recordFields: Record<string, string>): Record<string, unknown> {
  const container = source.format === SourceFormat.CONTAINER;
  const parsers = [
    ...(container ? [{ container: { stream: 'all', format: 'auto' } }] : []),
    ...(source.format === SourceFormat.JSON || source.jsonMessages ? [{ ndjson: { target: '', add_error_key: true } }] : []),
  ];
  return {
    type: 'filestream',
    // The id keys the read offsets in the registry: it must stay stable.
    id: `siem-${source.logType}`,
    paths: [source.path],
    ...(container ? { 'prospector.scanner.symlinks': true } : {}),
    ...(source.excludedPaths.length > 0 ? { 'prospector.scanner.exclude_files': source.excludedPaths.map(globToRegExp) } : {}),
    ...(parsers.length > 0 ? { parsers } : {}),
    // At the root (fields_under_root), custom fields overwrite other fields of the same name.
    fields: { log_type: source.logType, ...recordFields },
    fields_under_root: true,
    ...(container ? {
      processors: [{
        add_kubernetes_metadata: { host: '${NODE_NAME}', matchers: [{ logs_path: { logs_path: '/var/log/containers/' } }] },
      }],
    } : {}),
  };
}
