import { JSON_PARSER, RenderedSource, STATE_DIR } from './internal';

/** Port of Fluent Bit's built-in HTTP server (health, metrics). */
export const HTTP_PORT = 2020;

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
 * a workload cannot claim another log type.
 */
export function fluentBitConfig(service: ServiceSettings, sources: RenderedSource[], outputs: Record<string, unknown>[]): Record<string, unknown> {
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
      'storage.path': `${STATE_DIR}/storage/`,
      'storage.sync': 'normal',
      'storage.checksum': 'off',
      'storage.max_chunks_up': 128,
      'storage.backlog.mem_limit': '16M',
      // Retries back off exponentially up to scheduler.cap (Fluent Bit's default, 2000 s, delays catch-up after an outage by half an hour).
      'scheduler.base': service.retryBaseSeconds,
      'scheduler.cap': service.retryMaxSeconds,
    },
    parsers: [{ name: JSON_PARSER, format: 'json' }],
    pipeline: {
      inputs: sources.map((s) => s.input),
      filters: sources.flatMap((s) => [
        ...s.filters,
        { name: 'modify', match: `${s.logType}.*`, set: `log_type ${s.logType}` },
      ]),
      outputs,
    },
  };
}
