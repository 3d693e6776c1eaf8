/**
 * The option names Fluent Bit 5.1 documents for every section and plugin the
 * library renders: facts taken from upstream (the `struct flb_config_map`
 * arrays in fluent/fluent-bit v5.1.1 `plugins/<plugin>/*.c`, the properties
 * `src/flb_input.c`, `src/flb_filter.c`, `src/flb_output.c` and
 * `src/flb_upstream.c` accept for every plugin, the `service` keys of
 * `include/fluent-bit/flb_config.h`, and docs.fluentbit.io). Names only, no
 * code. Since 4.2, `fluent-bit --dry-run` rejects any other name, so CI
 * (which has no Fluent Bit binary) checks generated configs against this.
 *
 * Only the plugins the library emits are listed; add a plugin's names here
 * when the library starts to emit it (outputs: in
 * src/siem/destinations/fluent-bit-outputs.ts, which the library checks
 * `SiemDestination.custom` against). Fluent Bit matches names case-insensitively.
 */
import { OUTPUT_OPTIONS } from '../../src/siem/destinations/fluent-bit-outputs';

/** `service` section keys. */
export const SERVICE_KEYS = [
  'flush', 'grace', 'daemon', 'log_file', 'log_level', 'parsers_file', 'plugins_file', 'streams_file',
  'http_server', 'http_listen', 'http_port', 'health_check', 'hc_errors_count', 'hc_retry_failure_count', 'hc_period',
  'hot_reload', 'coro_stack_size', 'scheduler.cap', 'scheduler.base',
  'storage.path', 'storage.sync', 'storage.metrics', 'storage.checksum', 'storage.backlog.mem_limit', 'storage.max_chunks_up',
  'storage.delete_irrecoverable_chunks', 'storage.trim_files', 'storage.type', 'storage.inherit',
  'storage.keep.rejected', 'storage.rejected.path', 'storage.rejected.limit',
];

/** Keys of an entry of the YAML `parsers` section. */
export const PARSER_KEYS = ['name', 'format', 'regex', 'time_key', 'time_format', 'time_keep', 'time_offset', 'types', 'decode_field', 'decode_field_as', 'skip_empty_values'];

/** Properties every input accepts (`flb_input_set_property`, input config map). */
const INPUT_COMMON = [
  'name', 'tag', 'alias', 'log_level', 'log_suppress_interval', 'routable', 'mem_buf_limit', 'storage.type',
  'storage.pause_on_chunks_overlimit', 'threaded', 'processors',
];

/** Properties every filter accepts (`flb_filter_set_property`). */
const FILTER_COMMON = ['name', 'match', 'match_regex', 'alias', 'log_level', 'log_suppress_interval'];

/** Plugin-specific option names, per plugin. */
export const INPUT_KEYS: Record<string, string[]> = {
  tail: [...INPUT_COMMON,
    'path', 'exclude_path', 'key', 'read_from_head', 'refresh_interval', 'watcher_interval', 'rotate_wait', 'path_key', 'offset_key',
    'ignore_older', 'buffer_chunk_size', 'buffer_max_size', 'skip_long_lines', 'skip_empty_lines', 'truncate_long_lines', 'exit_on_eof',
    'inotify_watcher', 'parser', 'tag_regex', 'db', 'db.sync', 'db.locking', 'db.journal_mode', 'db.compare_filename',
    'multiline', 'multiline_flush', 'parser_firstline', 'multiline.parser', 'docker_mode', 'docker_mode_flush', 'docker_mode_parser'],
};

export const FILTER_KEYS: Record<string, string[]> = {
  kubernetes: [...FILTER_COMMON,
    'buffer_size', 'tls.debug', 'tls.verify', 'tls.vhost', 'merge_log', 'merge_parser', 'merge_log_key', 'merge_log_trim', 'keep_log',
    'kube_url', 'kube_meta_preload_cache_dir', 'kube_ca_file', 'kube_ca_path', 'kube_tag_prefix', 'kube_namespace_file', 'kube_token_file',
    'kube_token_command', 'labels', 'annotations', 'owner_references', 'namespace_labels', 'namespace_annotations', 'namespace_metadata_only',
    'k8s-logging.parser', 'k8s-logging.exclude', 'use_journal', 'regex_parser', 'dummy_meta', 'dns_retries', 'dns_wait_time',
    'cache_use_docker_id', 'use_tag_for_meta', 'use_kubelet', 'kubelet_host', 'kubelet_port', 'kube_token_ttl', 'kube_meta_cache_ttl'],
  modify: [...FILTER_COMMON, 'set', 'add', 'remove', 'remove_wildcard', 'remove_regex', 'move_to_start', 'move_to_end', 'rename', 'hard_rename', 'copy', 'hard_copy', 'condition'],
};

/** Processors the library attaches to outputs (any filter can run as a processor). */
export const PROCESSOR_KEYS: Record<string, string[]> = {
  lua: [...FILTER_COMMON, 'script', 'code', 'call', 'type_int_key', 'type_array_key', 'protected_mode', 'time_as_table', 'enable_flb_null'],
};

/** Output plugins: the library's own table, which `SiemDestination.custom` checks options against at synth. */
export const OUTPUT_KEYS = OUTPUT_OPTIONS;

/**
 * The kafka output passes `rdkafka.<name>` to librdkafka, which rejects
 * unknown names at start-up: these are librdkafka's documented names
 * (CONFIGURATION.md) that the library sets.
 */
export const RDKAFKA_KEYS = [
  'security.protocol', 'sasl.mechanisms', 'sasl.username', 'sasl.password', 'enable.ssl.certificate.verification',
  'ssl.ca.location', 'ssl.endpoint.identification.algorithm', 'client.id', 'request.required.acks', 'compression.codec',
];

/** A generated config's keys that are not documented names: `<section> <plugin>: <key>`. */
export function undocumentedKeys(config: any): string[] {
  const problems: string[] = [];
  const check = (where: string, keys: string[] | undefined, entry: Record<string, unknown>, allowPrefix?: [string, string[]]) => {
    if (keys === undefined) {
      problems.push(`${where}: plugin is not in the table of documented plugins`);
      return;
    }
    const known = new Set(keys.map((k) => k.toLowerCase()));
    for (const key of Object.keys(entry)) {
      const lower = key.toLowerCase();
      if (allowPrefix && lower.startsWith(allowPrefix[0])) {
        if (!allowPrefix[1].includes(lower.slice(allowPrefix[0].length))) problems.push(`${where}: ${key}`);
        continue;
      }
      if (!known.has(lower)) problems.push(`${where}: ${key}`);
    }
  };
  for (const section of Object.keys(config)) {
    if (!['service', 'parsers', 'pipeline'].includes(section)) problems.push(`top level: ${section}`);
  }
  check('service', SERVICE_KEYS, config.service ?? {});
  for (const parser of config.parsers ?? []) check('parsers', PARSER_KEYS, parser);
  const pipeline = config.pipeline ?? {};
  for (const section of Object.keys(pipeline)) {
    if (!['inputs', 'filters', 'outputs'].includes(section)) problems.push(`pipeline: ${section}`);
  }
  const plugins = (section: string, table: Record<string, string[]>, entries: any[] = [], prefix?: [string, string[]]) => {
    for (const entry of entries) {
      const where = `${section} ${entry.name}`;
      check(where, table[String(entry.name).toLowerCase()], entry, String(entry.name) === 'kafka' ? prefix : undefined);
      for (const [signal, list] of Object.entries<any[]>(entry.processors ?? {})) {
        if (signal !== 'logs') problems.push(`${where} processors: ${signal}`);
        for (const processor of list) check(`${where} processor ${processor.name}`, PROCESSOR_KEYS[String(processor.name).toLowerCase()], processor);
      }
    }
  };
  plugins('input', INPUT_KEYS, pipeline.inputs);
  plugins('filter', FILTER_KEYS, pipeline.filters);
  plugins('output', OUTPUT_KEYS, pipeline.outputs, ['rdkafka.', RDKAFKA_KEYS]);
  return problems;
}
