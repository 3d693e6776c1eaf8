/**
 * Fluent Bit 5.1's output plugins and the option names each documents: facts
 * from upstream (the `struct flb_config_map` of each `plugins/out_*` in
 * fluent/fluent-bit v5.1.1, as `fluent-bit -o <plugin> -h` lists them, plus the
 * properties `src/flb_output.c` and `src/flb_upstream.c` accept for every
 * output). Names only, no code. `fluent-bit --dry-run` rejects any other name,
 * so the library checks a destination's options at synth against these.
 *
 * Only the plugins the library renders and those most used to ship to a SIEM
 * are listed; a destination built on another plugin is passed through with a
 * note. Fluent Bit matches names case-insensitively.
 */

/** Every output plugin of Fluent Bit 5.1 (`fluent-bit --help`). */
export const FLUENT_BIT_OUTPUT_PLUGINS = [
  'azure', 'azure_blob', 'azure_logs_ingestion', 'azure_kusto', 'bigquery', 'counter', 'datadog', 'es', 'exit', 'file', 'forward',
  'http', 'influxdb', 'logdna', 'loki', 'kafka', 'kafka-rest', 'nats', 'nrlogs', 'null', 'opensearch', 'oracle_log_analytics', 'plot',
  'skywalking', 'slack', 'splunk', 'stackdriver', 'stdout', 'syslog', 'tcp', 'udp', 'td', 'flowcounter', 'gcs', 'gelf', 'websocket',
  'cloudwatch_logs', 'kinesis_firehose', 'kinesis_streams', 'opentelemetry', 'prometheus_exporter', 'prometheus_remote_write', 's3',
  'vivo_exporter', 'chronicle',
];

/** Properties every output accepts (`flb_output_set_property`, `flb_upstream` net.* keys, the TLS keys). */
export const OUTPUT_COMMON = [
  'name', 'match', 'match_regex', 'alias', 'log_level', 'log_suppress_interval', 'host', 'port', 'ipv6', 'retry_limit',
  'tls', 'tls.verify', 'tls.verify_hostname', 'tls.debug', 'tls.vhost', 'tls.ca_path', 'tls.ca_file', 'tls.crt_file',
  'tls.key_file', 'tls.key_passwd', 'tls.min_version', 'tls.max_version', 'tls.ciphers', 'tls.verify_client_cert',
  'tls.proxy.ca_file', 'tls.proxy.ca_path', 'tls.proxy.verify', 'tls.proxy.verify_hostname',
  'storage.total_limit_size', 'workers', 'processors',
  'net.dns.mode', 'net.dns.resolver', 'net.dns.prefer_ipv4', 'net.dns.prefer_ipv6', 'net.keepalive', 'net.keepalive_idle_timeout',
  'net.tcp_keepalive', 'net.tcp_keepalive_time', 'net.tcp_keepalive_interval', 'net.tcp_keepalive_probes', 'net.io_timeout', 'net.connect_timeout', 'net.connect_timeout_log_error', 'net.source_address',
  'net.keepalive_max_recycle', 'net.max_worker_connections', 'net.proxy_env_ignore',
];

/** Option names per output plugin, the common properties included. */
export const OUTPUT_OPTIONS: Record<string, string[]> = {
  splunk: [...OUTPUT_COMMON,
    'compress', 'http_user', 'http_passwd', 'http_buffer_size', 'http_debug_bad_request', 'event_key', 'event_host',
    'event_source', 'event_sourcetype', 'event_sourcetype_key', 'event_index', 'event_index_key', 'event_field', 'splunk_token',
    'splunk_send_raw', 'auto_extract_timestamp', 'channel'],
  es: [...OUTPUT_COMMON,
    'index', 'type', 'suppress_type_name', 'http_user', 'http_passwd', 'http_api_key', 'compress', 'cloud_id', 'cloud_auth',
    'upstream', 'aws_auth', 'aws_region', 'aws_sts_endpoint', 'aws_role_arn', 'aws_external_id', 'aws_service_name',
    'aws_profile', 'logstash_format', 'logstash_prefix', 'logstash_prefix_separator', 'logstash_prefix_key',
    'logstash_dateformat', 'time_key', 'time_key_format', 'time_key_nanos', 'include_tag_key', 'tag_key', 'buffer_size', 'path',
    'pipeline', 'generate_id', 'write_operation', 'id_key', 'replace_dots', 'current_time_index', 'trace_output', 'trace_error'],
  opensearch: [...OUTPUT_COMMON,
    'index', 'type', 'suppress_type_name', 'http_user', 'http_passwd', 'aws_auth', 'aws_region', 'aws_profile',
    'aws_sts_endpoint', 'aws_role_arn', 'aws_external_id', 'aws_service_name', 'logstash_format', 'logstash_prefix',
    'logstash_prefix_separator', 'logstash_prefix_key', 'logstash_dateformat', 'time_key', 'time_key_format', 'time_key_nanos',
    'include_tag_key', 'tag_key', 'buffer_size', 'path', 'pipeline', 'generate_id', 'write_operation', 'id_key', 'replace_dots',
    'current_time_index', 'trace_output', 'trace_error', 'compress'],
  http: [...OUTPUT_COMMON,
    'proxy', 'allow_duplicated_headers', 'log_response_payload', 'http.response_timeout', 'http.read_idle_timeout', 'http_user',
    'http_passwd', 'oauth2.enable', 'oauth2.token_url', 'oauth2.client_id', 'oauth2.client_secret', 'oauth2.user_agent',
    'oauth2.scope', 'oauth2.audience', 'oauth2.resource', 'oauth2.auth_method', 'oauth2.jwt_key_file', 'oauth2.jwt_cert_file',
    'oauth2.jwt_aud', 'oauth2.jwt_header', 'oauth2.jwt_ttl_seconds', 'oauth2.refresh_skew_seconds', 'oauth2.timeout',
    'oauth2.connect_timeout', 'aws_auth', 'aws_service', 'aws_region', 'aws_sts_endpoint', 'aws_role_arn', 'aws_external_id',
    'aws_profile', 'header_tag', 'format', 'json_date_format', 'json_date_key', 'compress', 'header', 'uri', 'http_method',
    'gelf_timestamp_key', 'gelf_host_key', 'gelf_short_message_key', 'gelf_full_message_key', 'gelf_level_key', 'body_key',
    'headers_key'],
  loki: [...OUTPUT_COMMON,
    'uri', 'tenant_id', 'tenant_id_key', 'tenant_id_key_error_handling', 'labels', 'structured_metadata',
    'structured_metadata_map_keys', 'auto_kubernetes_labels', 'drop_single_key', 'label_keys', 'remove_keys', 'line_format',
    'label_map_path', 'http_user', 'http_passwd', 'buffer_size', 'bearer_token', 'header', 'compress'],
  kafka: [...OUTPUT_COMMON,
    'topic_key', 'dynamic_topic', 'format', 'otlp_logs_partition_by_resource', 'message_key', 'message_key_field',
    'timestamp_key', 'timestamp_format', 'queue_full_retries', 'gelf_timestamp_key', 'gelf_host_key', 'gelf_short_message_key',
    'gelf_full_message_key', 'gelf_level_key', 'topics', 'brokers', 'client_id', 'group_id', 'raw_log_key',
    'aws_msk_iam_cluster_arn', 'aws_msk_iam'],
  syslog: [...OUTPUT_COMMON,
    'mode', 'syslog_format', 'syslog_maxsize', 'syslog_severity_key', 'syslog_severity_preset', 'syslog_facility_key',
    'syslog_facility_preset', 'syslog_hostname_key', 'syslog_hostname_preset', 'syslog_appname_key', 'syslog_appname_preset',
    'syslog_procid_key', 'syslog_procid_preset', 'syslog_msgid_key', 'syslog_msgid_preset', 'syslog_sd_key',
    'syslog_message_key', 'allow_longer_sd_id'],
  s3: [...OUTPUT_COMMON,
    'format', 'json_date_format', 'json_date_key', 'total_file_size', 'upload_chunk_size', 'upload_timeout', 'bucket', 'region',
    'role_arn', 'endpoint', 'sts_endpoint', 'canned_acl', 'compression', 'content_type', 'store_dir', 'store_dir_limit_size',
    'quarantine_dir_limit_size', 's3_key_format', 's3_key_format_tag_delimiters', 'auto_retry_requests', 'use_put_object',
    'send_content_md5', 'preserve_data_ordering', 'retry_exhausted_action', 'log_key', 'external_id', 'static_file_path',
    'storage_class', 'profile', 'blob_database_file', 'part_size', 'file_delivery_attempt_limit', 'part_delivery_attempt_limit',
    'upload_parts_timeout', 'upload_part_freshness_limit', 'authorization_endpoint_url', 'authorization_endpoint_username',
    'authorization_endpoint_password', 'authorization_endpoint_bearer_token'],
  datadog: [...OUTPUT_COMMON,
    'compress', 'header', 'apikey', 'dd_service', 'dd_source', 'dd_tags', 'dd_hostname', 'proxy', 'include_tag_key', 'tag_key',
    'dd_message_key', 'provider', 'json_date_key'],
  forward: [...OUTPUT_COMMON,
    'time_as_integer', 'retain_metadata_in_forward_mode', 'shared_key', 'self_hostname', 'empty_shared_key', 'send_options',
    'require_ack_response', 'username', 'password', 'unix_path', 'upstream', 'tag', 'compress', 'fluentd_compat', 'add_option'],
  cloudwatch_logs: [...OUTPUT_COMMON,
    'region', 'log_group_name', 'log_stream_name', 'log_stream_prefix', 'log_group_template', 'log_stream_template', 'log_key',
    'extra_user_agent', 'log_format', 'role_arn', 'auto_create_group', 'auto_retry_requests', 'log_retention_days', 'endpoint',
    'sts_endpoint', 'external_id', 'metric_namespace', 'metric_dimensions', 'profile', 'log_group_class', 'add_entity'],
  kinesis_firehose: [...OUTPUT_COMMON,
    'region', 'delivery_stream', 'time_key', 'time_key_format', 'role_arn', 'endpoint', 'sts_endpoint', 'external_id',
    'compression', 'log_key', 'auto_retry_requests', 'profile', 'simple_aggregation'],
  kinesis_streams: [...OUTPUT_COMMON,
    'region', 'stream', 'time_key', 'time_key_format', 'role_arn', 'endpoint', 'sts_endpoint', 'external_id', 'log_key',
    'auto_retry_requests', 'profile', 'simple_aggregation', 'compression'],
  azure: [...OUTPUT_COMMON,
    'customer_id', 'shared_key', 'log_type', 'log_type_key', 'time_key', 'time_generated'],
  azure_logs_ingestion: [...OUTPUT_COMMON,
    'tenant_id', 'client_id', 'client_secret', 'auth_url', 'dce_url', 'dcr_id', 'table_name', 'time_key', 'time_generated',
    'compress'],
  azure_blob: [...OUTPUT_COMMON,
    'account_name', 'container_name', 'auto_create_container', 'blob_type', 'compress', 'compress_blob', 'emulator_mode',
    'shared_key', 'endpoint', 'path', 'date_key', 'auth_type', 'sas_token', 'database_file', 'part_size',
    'file_delivery_attempt_limit', 'part_delivery_attempt_limit', 'upload_parts_timeout', 'upload_part_freshness_limit',
    'configuration_endpoint_url', 'configuration_endpoint_username', 'configuration_endpoint_password',
    'configuration_endpoint_bearer_token', 'buffering_enabled', 'buffer_dir', 'upload_timeout', 'upload_file_size',
    'azure_blob_buffer_key', 'store_dir_limit_size', 'buffer_file_delete_early', 'blob_uri_length', 'unify_tag',
    'scheduler_max_retries', 'delete_on_max_upload_error', 'io_timeout'],
  stackdriver: [...OUTPUT_COMMON,
    'google_service_credentials', 'metadata_server', 'service_account_email', 'service_account_secret', 'export_to_project_id',
    'project_id_key', 'resource', 'severity_key', 'autoformat_stackdriver_trace', 'trace_key', 'span_id_key',
    'trace_sampled_key', 'log_name_key', 'http_request_key', 'k8s_cluster_name', 'k8s_cluster_location', 'location', 'namespace',
    'node_id', 'job', 'task_id', 'compress', 'labels', 'labels_key', 'tag_prefix', 'stackdriver_agent', 'custom_k8s_regex',
    'resource_labels', 'text_payload_key', 'test_log_entry_format', 'cloud_logging_base_url'],
  chronicle: [...OUTPUT_COMMON,
    'google_service_credentials', 'service_account_email', 'service_account_secret', 'project_id', 'customer_id', 'log_type',
    'region', 'log_key', 'namespace', 'namespace_key', 'label'],
  opentelemetry: [...OUTPUT_COMMON,
    'add_label', 'http2', 'grpc', 'proxy', 'http_user', 'http_passwd', 'aws_auth', 'aws_service', 'aws_region',
    'aws_sts_endpoint', 'aws_role_arn', 'aws_external_id', 'aws_profile', 'header', 'metrics_uri', 'grpc_metrics_uri',
    'batch_size', 'compress', 'logs_max_resources', 'logs_max_scopes', 'logs_uri', 'grpc_logs_uri', 'logs_body_key',
    'logs_body_key_attributes', 'traces_uri', 'grpc_traces_uri', 'profiles_uri', 'grpc_profiles_uri', 'log_response_payload',
    'logs_metadata_key', 'logs_observed_timestamp_metadata_key', 'logs_timestamp_metadata_key',
    'logs_severity_text_metadata_key', 'logs_severity_number_metadata_key', 'logs_trace_flags_metadata_key',
    'logs_span_id_metadata_key', 'logs_trace_id_metadata_key', 'logs_attributes_metadata_key',
    'logs_instrumentation_scope_metadata_key', 'logs_resource_metadata_key', 'logs_span_id_message_key',
    'logs_trace_id_message_key', 'logs_severity_text_message_key', 'logs_severity_number_message_key'],
  nrlogs: [...OUTPUT_COMMON,
    'base_uri', 'api_key', 'license_key', 'compress'],
  logdna: [...OUTPUT_COMMON,
    'logdna_host', 'logdna_port', 'logdna_endpoint', 'api_key', 'hostname', 'mac', 'ip', 'tags', 'file', 'app',
    'exclude_promoted_keys'],
  gelf: [...OUTPUT_COMMON,
    'mode', 'gelf_tag_key', 'gelf_short_message_key', 'gelf_timestamp_key', 'gelf_host_key', 'gelf_full_message_key',
    'gelf_level_key', 'packet_size', 'compress'],
  tcp: [...OUTPUT_COMMON,
    'format', 'json_date_format', 'json_date_key', 'raw_message_key'],
  udp: [...OUTPUT_COMMON,
    'format', 'json_date_format', 'json_date_key', 'raw_message_key'],
  gcs: [...OUTPUT_COMMON,
    'bucket', 'gcs_key_format', 'gcs_key_format_tag_delimiters', 'static_file_path', 'canned_acl', 'upload_timeout',
    'send_content_md5', 'preserve_data_ordering', 'store_chunk_limit', 'store_dir_limit_size', 'content_type',
    'google_service_credentials', 'store_dir', 'compression'],
  // Local outputs, for trying a pipeline out: records on the container's log, or in a file.
  stdout: [...OUTPUT_COMMON, 'format', 'json_date_format', 'json_date_key'],
  file: [...OUTPUT_COMMON,
    'path', 'file', 'enable_strftime', 'max_dynamic_files', 'on_missing_field', 'on_limit_reached', 'fallback_path', 'fallback_file', 'format',
    'delimiter', 'label_delimiter', 'template', 'csv_column_names', 'mkdir', 'rotate', 'rotate_max_size', 'rotate_max_files', 'rotate_gzip'],
};

/**
 * Prefixes under which a plugin passes any name on to a library it links:
 * the kafka output hands `rdkafka.<name>` to librdkafka, which checks the name at start-up.
 */
export const OUTPUT_OPTION_PREFIXES: Record<string, string[]> = {
  kafka: ['rdkafka.'],
};

/**
 * Outputs that refuse the `tls` property ("does not support TLS", seen with
 * `fluent-bit --dry-run` 5.1.1), by how they connect: in plain text only,
 * always over HTTPS of their own (the AWS SDK), or nowhere (local outputs).
 * Every other output takes Fluent Bit's `tls` and `tls.verify`.
 */
export const OUTPUTS_PLAINTEXT_ONLY = ['nats', 'udp'];
export const OUTPUTS_ALWAYS_TLS = ['cloudwatch_logs', 'kinesis_firehose', 'kinesis_streams'];
export const OUTPUTS_LOCAL = ['counter', 'exit', 'file', 'flowcounter', 'null', 'plot', 'prometheus_exporter', 'stdout', 'vivo_exporter'];
