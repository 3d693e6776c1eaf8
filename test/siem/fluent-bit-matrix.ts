/**
 * Fluent Bit configs that together use every source, every destination and
 * every destination option the library renders, plus those of the examples:
 * what the option-name test and the recorded `fluent-bit --dry-run` verdicts (fluent-bit-dry-run.test.ts) check.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import { buildCustomRulesApp } from '../../examples/custom-rules/main';
import { buildDefaultApp } from '../../examples/default/main';
import { buildElasticApp } from '../../examples/elastic/main';
import { buildFleet } from '../../examples/fleet/main';
import { buildKubePrometheusStackApp } from '../../examples/kube-prometheus-stack/main';
import { buildSplunkApp } from '../../examples/splunk/main';
import {
  SecurityMonitoringStack, SiemAwsCredentials, SiemDestination, SiemPipeline, SiemS3Compression, SiemSource, SiemSyslogFormat, SiemSyslogTransport,
} from '../../src';

const secret = (secretName: string) => ({ secretName, key: 'value' });

/** Every destination factory with its defaults and with every option set (loopback hosts: nothing leaves the machine if run). */
export const DESTINATION_MATRIX: Record<string, () => SiemDestination[]> = {
  'splunk': () => [SiemDestination.splunkHec({ host: '127.0.0.1', tokenSecret: secret('splunk') })],
  'splunk-options': () => [SiemDestination.splunkHec({
    host: '127.0.0.1',
    port: 18088,
    tokenSecret: secret('splunk'),
    index: 'security',
    indexByLogType: { falco: 'falco' },
    sourcetype: 'kubernetes',
    tls: false,
    retryLimit: 3,
    bufferLimit: '5M',
    logTypes: ['falco', 'container'],
  })],
  'splunk-insecure': () => [SiemDestination.splunkHec({ host: '127.0.0.1', tokenSecret: secret('splunk'), insecureSkipTlsVerify: true })],
  'elasticsearch': () => [SiemDestination.elasticsearch({ host: '127.0.0.1' })],
  'elasticsearch-options': () => [SiemDestination.elasticsearch({
    host: '127.0.0.1',
    port: 19200,
    username: 'shipper',
    passwordSecret: secret('es'),
    indexPerLogType: true,
    indexPrefix: 'siem',
    dateFormat: '%Y-%m',
    tls: false,
  })],
  'opensearch': () => [SiemDestination.openSearch({ host: '127.0.0.1', username: 'shipper', passwordSecret: secret('os'), insecureSkipTlsVerify: true })],
  'http': () => [SiemDestination.http({ host: '127.0.0.1' })],
  'http-options': () => [SiemDestination.http({ host: '127.0.0.1', port: 18080, path: '/ingest', username: 'shipper', passwordSecret: secret('http'), tls: false })],
  'loki': () => [SiemDestination.loki({ host: '127.0.0.1' })],
  'loki-options': () => [SiemDestination.loki({ host: '127.0.0.1', tenantId: 'security', username: 'shipper', passwordSecret: secret('loki'), tls: false })],
  'kafka': () => [SiemDestination.kafka({ brokers: ['127.0.0.1:9093'] })],
  'kafka-options': () => [SiemDestination.kafka({ brokers: ['127.0.0.1:9092', '127.0.0.2:9092'], topic: 'siem', username: 'shipper', passwordSecret: secret('kafka'), tls: false })],
  'kafka-sasl-insecure': () => [SiemDestination.kafka({ brokers: ['127.0.0.1:9093'], username: 'shipper', passwordSecret: secret('kafka'), insecureSkipTlsVerify: true })],
  'syslog': () => [SiemDestination.syslog({ host: '127.0.0.1' })],
  'syslog-options': () => [SiemDestination.syslog({
    host: '127.0.0.1', port: 15514, tls: false, format: SiemSyslogFormat.RFC3164, maxMessageBytes: 65536, retryLimit: 2, bufferLimit: '10M',
  })],
  'syslog-udp': () => [SiemDestination.syslog({ host: '127.0.0.1', transport: SiemSyslogTransport.UDP, tls: false })],
  'syslog-insecure': () => [SiemDestination.syslog({ host: '127.0.0.1', insecureSkipTlsVerify: true })],
  's3-irsa': () => [SiemDestination.s3({ bucket: 'siem-archive', region: 'eu-west-1', credentials: SiemAwsCredentials.irsa('arn:aws:iam::123456789012:role/siem-archive') })],
  's3-options': () => [SiemDestination.s3({
    bucket: 'siem-archive',
    region: 'eu-west-1',
    credentials: SiemAwsCredentials.fromSecret(secret('aws'), secret('aws-secret')),
    compression: SiemS3Compression.ZSTD,
    totalFileSize: '5M',
    uploadTimeout: Duration.minutes(1),
    retryLimit: 3,
    bufferLimit: '200M',
    keyFormat: '/archive/$LOG_TYPE/%Y/%m/%d/$UUID.jsonl.zst',
  })],
  's3-pod-identity': () => [SiemDestination.s3({
    bucket: 'siem-archive',
    region: 'us-east-1',
    credentials: SiemAwsCredentials.podIdentity(),
    compression: SiemS3Compression.NONE,
    insecureSkipTlsVerify: true,
  })],
  // Custom outputs: plugins with documented option names (checked at synth), TLS, Secret-backed options and variables.
  'custom-datadog': () => [SiemDestination.custom({
    plugin: 'datadog',
    options: { host: '127.0.0.1', port: '18443', dd_source: 'kubernetes', dd_service: 'security', dd_tags: 'team:security', compress: 'gzip' },
    optionSecrets: { apikey: secret('datadog') },
    logTypes: ['falco', 'security_audit'],
    retryLimit: 4,
    bufferLimit: '20M',
  })],
  'custom-forward-plain': () => [SiemDestination.custom({
    plugin: 'forward', options: { host: '127.0.0.1', port: '24224', self_hostname: 'fluent-bit' }, optionSecrets: { shared_key: secret('fluentd') }, tls: false,
  })],
  'custom-cloudwatch': () => [SiemDestination.custom({
    plugin: 'cloudwatch_logs',
    options: { region: 'eu-west-1', log_group_name: 'security', log_stream_prefix: 'node-', auto_create_group: 'on' },
    envSecrets: { AWS_ACCESS_KEY_ID: secret('aws'), AWS_SECRET_ACCESS_KEY: secret('aws-secret') },
  })],
  'custom-kafka-rdkafka': () => [SiemDestination.custom({
    plugin: 'kafka',
    options: { 'brokers': '127.0.0.1:9093', 'topics': 'siem', 'format': 'json', 'rdkafka.compression.codec': 'zstd', 'rdkafka.sasl.mechanisms': 'PLAIN', 'rdkafka.sasl.username': 'shipper' },
    optionSecrets: { 'rdkafka.sasl.password': secret('kafka') },
    insecureSkipTlsVerify: true,
  })],
  'custom-http-insecure': () => [SiemDestination.custom({
    plugin: 'http',
    options: { host: '127.0.0.1', uri: '/ingest', format: 'json_lines', http_user: 'shipper' },
    optionSecrets: { http_passwd: secret('http') },
    insecureSkipTlsVerify: true,
  })],
  // A plugin whose option names the library does not know: passed through, checked only by the real Fluent Bit.
  'custom-passthrough-influxdb': () => [SiemDestination.custom({ plugin: 'influxdb', options: { host: '127.0.0.1', port: '18086', database: 'security' } })],
  'custom-stdout': () => [SiemDestination.custom({ plugin: 'stdout', options: { format: 'json_lines' } })],
};

const ALL_SOURCES = () => [
  SiemSource.containerLogs(), SiemSource.auditLog(), SiemSource.falcoEvents(), SiemSource.hostFiles({ glob: '/var/log/audit/*.log' }),
];

function pipelineConfig(destinations: SiemDestination[], props: { sources?: SiemSource[]; flush?: boolean } = {}): string {
  const chart = Testing.chart();
  return new SiemPipeline(chart, 'siem', {
    destinations,
    sources: props.sources ?? ALL_SOURCES(),
    ...(props.flush ? { flushInterval: Duration.seconds(5), retryBackoffBase: Duration.seconds(2), retryBackoffCap: Duration.minutes(1) } : {}),
  }).config;
}

/** A stack's pipeline with a cluster identity and record fields of its own: one `modify` filter per field. */
function clusterIdentityConfig(): string {
  const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', {
    cluster: { name: 'prod-eu-1', labels: { environment: 'prod' } },
    siem: { destinations: [SiemDestination.http({ host: '127.0.0.1' })], recordFields: { team: 'security' } },
  });
  return stack.siem!.config;
}

/** The fluent-bit.yaml files an app renders, from its ConfigMaps. */
function fluentBitConfigsOf(app: App): string[] {
  return app.charts.flatMap((chart: Chart) => chart.toJson())
    .filter((o: any) => o.kind === 'ConfigMap' && typeof o.data?.['fluent-bit.yaml'] === 'string')
    .map((o: any) => o.data['fluent-bit.yaml']);
}

/** `[name, fluent-bit.yaml]` for every example and every matrix entry. */
export function fluentBitConfigs(): Array<[string, string]> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluent-bit-matrix-'));
  try {
    const examples: Array<[string, (dir: string) => App]> = [
      ['default', buildDefaultApp], ['splunk', buildSplunkApp], ['elastic', buildElasticApp],
      ['kube-prometheus-stack', buildKubePrometheusStackApp], ['custom-rules', buildCustomRulesApp],
    ];
    const fromExamples = examples.flatMap(([name, build]) =>
      fluentBitConfigsOf(build(outdir)).map((config, i): [string, string] => [`example ${name}${i ? ` #${i + 1}` : ''}`, config]));
    const fromFleet = buildFleet().clusters.flatMap((cluster) =>
      fluentBitConfigsOf(cluster.app).map((config): [string, string] => [`example fleet, cluster ${cluster.name}`, config]));
    const fromMatrix = Object.entries(DESTINATION_MATRIX).map(([name, build]): [string, string] => [`destination ${name}`, pipelineConfig(build())]);
    return [
      ...fromExamples,
      ...fromFleet,
      ...fromMatrix,
      ['every destination at once, custom retry timing', pipelineConfig(Object.values(DESTINATION_MATRIX).filter((_, i) => i % 3 === 0).flatMap((b) => b()), { flush: true })],
      ['default sources', pipelineConfig([SiemDestination.http({ host: '127.0.0.1' })], { sources: undefined })],
      ['cluster identity and record fields on every record', clusterIdentityConfig()],
    ];
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
