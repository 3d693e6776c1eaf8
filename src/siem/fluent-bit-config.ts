import { SourceFormat, SourceSpec } from './internal';

/** Port of Fluent Bit's built-in HTTP server (health, metrics). */
export const HTTP_PORT = 2020;
/** Where Fluent Bit keeps its tail databases and buffered chunks inside the container. */
export const FLUENT_BIT_STATE_DIR = '/var/lib/fluent-bit';
/** Name of the parser the config declares for sources that are JSON lines (the audit log). */
const JSON_PARSER = 'siem_json';
/**
 * The record time of an audit event is when the API server finished the stage
 * (`stageTimestamp`, RFC 3339 with microseconds), not when Fluent Bit read it:
 * events shipped after downtime keep their time, and a line read twice gives
 * the same record (and so the same Elasticsearch `_id`).
 */
const JSON_PARSER_TIME = { time_key: 'stageTimestamp', time_format: '%Y-%m-%dT%H:%M:%S.%LZ', time_keep: 'on' };
/** Fluent Bit's default `buffer_chunk_size`: `buffer_max_size` may not be smaller. */
const TAIL_CHUNK_BYTES = 32 * 1024;

/** Settings of the `service` section that the pipeline exposes. */
export interface ServiceSettings {
  readonly flushSeconds: number;
  readonly retryBaseSeconds: number;
  readonly retryMaxSeconds: number;
}

/**
 * The complete Fluent Bit configuration in its YAML format. Filters run in
 * the order given, so each source's enrichment (kubernetes metadata, which may
 * merge a workload's JSON into the record) comes before `log_type` is set:
 * a workload cannot claim another log type, nor another cluster.
 */
export function fluentBitConfig(service: ServiceSettings, sources: SourceSpec[], outputs: Record<string, unknown>[],
  recordFields: Record<string, string> = {}): Record<string, unknown> {
  return {
    service: {
      'flush': service.flushSeconds,
      'log_level': 'info',
      'http_server': 'on',
      'http_listen': '0.0.0.0',
      'http_port': HTTP_PORT,
      // /api/v2/health reports unhealthy after repeated output errors; the readiness probe reads it.
      'health_check': 'on',
      'hc_errors_count': 5,
      'hc_retry_failure_count': 5,
      'hc_period': 60,
      'storage.path': `${FLUENT_BIT_STATE_DIR}/storage/`,
      'storage.sync': 'normal',
      'storage.checksum': 'off',
      'storage.max_chunks_up': 128,
      'storage.backlog.mem_limit': '16M',
      // Retries back off exponentially up to scheduler.cap; Fluent Bit's default cap
      // (2000 s) would delay catching up after an outage by half an hour.
      'scheduler.base': service.retryBaseSeconds,
      'scheduler.cap': service.retryMaxSeconds,
    },
    parsers: [{ name: JSON_PARSER, format: 'json', ...JSON_PARSER_TIME }],
    pipeline: {
      inputs: sources.map(tailInput),
      filters: [
        ...sources.flatMap((s) => [
          ...(s.format === SourceFormat.CONTAINER ? [kubernetesFilter(s.logType)] : []),
          { name: 'modify', match: `${s.logType}.*`, set: `log_type ${s.logType}` },
        ]),
        // Last, so that no merged workload field overwrites them; one filter per field, each
        // a single `set` (the values are label values: no spaces for Fluent Bit to split on).
        ...Object.entries(recordFields).map(([key, value]) => ({ name: 'modify', match: '*', set: `${key} ${value}` })),
      ],
      outputs,
    },
  };
}

/**
 * A `tail` input with the reliability settings every source shares: offsets
 * in a database on the host (restarts neither re-ship nor skip), chunks
 * buffered on the host's disk (an outage of the SIEM loses nothing), files
 * the database has no offset for read from their head (a pod that started
 * while the agent was down loses nothing) and a read buffer that holds the
 * source's longest line.
 */
function tailInput(source: SourceSpec): Record<string, unknown> {
  return {
    'name': 'tail',
    // Fluent Bit names the input's metrics (`name` label) by its alias: the dashboard's
    // "audit events read" series is then `name="security_audit"` instead of `tail.1`.
    'alias': source.logType,
    // The tag is the log type plus the file path; outputs match on the log type.
    'tag': `${source.logType}.*`,
    'path': source.path,
    ...(source.excludedPaths.length > 0 ? { exclude_path: source.excludedPaths.join(',') } : {}),
    ...(source.format === SourceFormat.CONTAINER ? { 'multiline.parser': 'cri, docker' } : {}),
    ...(source.format === SourceFormat.JSON ? { parser: JSON_PARSER } : {}),
    // With the database, this applies only to files it has no offset for: new files, and
    // files first seen at start-up (read from their end otherwise, and then recorded as read).
    'read_from_head': 'on',
    'db': `${FLUENT_BIT_STATE_DIR}/tail-${source.logType}.db`,
    'db.locking': 'on',
    'storage.type': 'filesystem',
    'buffer_max_size': tailBufferSize(source.maxLineBytes),
    // A line longer than the buffer would otherwise stop the whole file; skipped lines are
    // counted (fluentbit_input_long_line_skipped_total) and the FluentBitSkippingLongLines alert fires.
    'skip_long_lines': 'on',
    'refresh_interval': 10,
  };
}

/** Pod metadata for records read from /var/log/containers; the tag carries the file name. */
function kubernetesFilter(logType: string): Record<string, unknown> {
  return {
    'name': 'kubernetes',
    'match': `${logType}.*`,
    'kube_tag_prefix': `${logType}.var.log.containers.`,
    'merge_log': 'on',
    'keep_log': 'off',
    'labels': 'on',
    // Annotations often carry configuration blobs; labels identify the workload.
    'annotations': 'off',
    // A workload must not be able to hide its logs or choose how they are parsed.
    'k8s-logging.exclude': 'off',
    'k8s-logging.parser': 'off',
  };
}

/**
 * `buffer_max_size` for lines of up to `maxLineBytes`: Fluent Bit needs room for
 * the newline and a terminating NUL besides the line. A plain byte count, because
 * Fluent Bit reads `K` and `M` as powers of 1000 (`1025K` is 1,025,000 bytes, too
 * small for a 1 MiB line).
 */
export function tailBufferSize(maxLineBytes: number): number {
  return Math.max(maxLineBytes + 2, TAIL_CHUNK_BYTES);
}
