import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { SiemDestination, SiemPipeline, SiemSource } from '../../src';
import { findObject, Manifest, synth } from '../util';

const API_KEY = { secretName: 'datadog', key: 'api-key' };
const datadog = (extra: Partial<Parameters<typeof SiemDestination.custom>[0]> = {}) => SiemDestination.custom({
  plugin: 'datadog',
  options: { host: 'http-intake.logs.datadoghq.eu', dd_source: 'kubernetes', dd_tags: 'team:security', compress: 'gzip' },
  optionSecrets: { apikey: API_KEY },
  ...extra,
});

function pipelineWith(...destinations: SiemDestination[]): SiemPipeline {
  return new SiemPipeline(Testing.chart(), 'siem', { destinations, sources: [SiemSource.containerLogs(), SiemSource.falcoEvents()] });
}

const configOf = (manifests: Manifest[]) => parse(findObject(manifests, 'ConfigMap', 'fluent-bit').data['fluent-bit.yaml']);
const containerOf = (manifests: Manifest[]) => findObject(manifests, 'DaemonSet', 'fluent-bit').spec.template.spec.containers[0];

describe('SiemDestination.custom: any Fluent Bit output, with the guarantees of the built-in ones', () => {
  const manifests = synth(pipelineWith(datadog()));
  const outputs = configOf(manifests).pipeline.outputs;

  test('one output per log type, with the options as written, TLS verified, unlimited retries and a disk buffer', () => {
    expect(outputs).toEqual(['container', 'falco'].map((logType) => ({
      'name': 'datadog',
      'match': `${logType}.*`,
      'host': 'http-intake.logs.datadoghq.eu',
      'dd_source': 'kubernetes',
      'dd_tags': 'team:security',
      'compress': 'gzip',
      'apikey': '${SIEM_DEST1_APIKEY}',
      'tls': 'on',
      'tls.verify': 'on',
      'retry_limit': 'no_limits',
      'storage.total_limit_size': '1G',
    })));
  });

  test('a credential option is a variable set from the Secret, never the value', () => {
    expect(containerOf(manifests).env).toContainEqual({ name: 'SIEM_DEST1_APIKEY', valueFrom: { secretKeyRef: { name: 'datadog', key: 'api-key' } } });
  });

  test('logTypes, tls, insecureSkipTlsVerify, retryLimit and bufferLimit apply as on every destination', () => {
    const config = configOf(synth(pipelineWith(datadog({ logTypes: ['falco'], insecureSkipTlsVerify: true, retryLimit: 3, bufferLimit: '50M' }))));
    expect(config.pipeline.outputs).toEqual([expect.objectContaining({
      'match': 'falco.*', 'tls': 'on', 'tls.verify': 'off', 'retry_limit': 3, 'storage.total_limit_size': '50M',
    })]);
    const plain = configOf(synth(pipelineWith(SiemDestination.custom({ plugin: 'forward', options: { host: 'fluentd.logging', port: '24224' }, tls: false }))));
    expect(plain.pipeline.outputs[0]).toMatchObject({ name: 'forward', tls: 'off', port: '24224' });
    expect(plain.pipeline.outputs[0]['tls.verify']).toBeUndefined();
  });

  test('envSecrets set fixed variables for plugins that read the environment (the AWS SDK)', () => {
    const destination = SiemDestination.custom({
      plugin: 'cloudwatch_logs',
      options: { region: 'eu-west-1', log_group_name: 'security', log_stream_prefix: 'node-', auto_create_group: 'on' },
      envSecrets: { AWS_ACCESS_KEY_ID: { secretName: 'aws', key: 'id' }, AWS_SECRET_ACCESS_KEY: { secretName: 'aws', key: 'secret' } },
    });
    const built = synth(pipelineWith(destination));
    expect(containerOf(built).env).toEqual(expect.arrayContaining([
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'aws', key: 'id' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'aws', key: 'secret' } } },
    ]));
    expect(configOf(built).pipeline.outputs[0]).toMatchObject({ name: 'cloudwatch_logs', log_group_name: 'security' });
  });

  test('librdkafka settings pass through the kafka output as rdkafka.*', () => {
    const kafka = SiemDestination.custom({ plugin: 'kafka', options: { 'brokers': 'kafka:9093', 'topics': 'siem', 'rdkafka.compression.codec': 'zstd' } });
    expect(configOf(synth(pipelineWith(kafka))).pipeline.outputs[0]['rdkafka.compression.codec']).toBe('zstd');
  });

  test('a plugin whose option names the library does not know passes through, with a warning on the pipeline', () => {
    const pipeline = pipelineWith(SiemDestination.custom({ plugin: 'nats', options: { host: 'nats.messaging', port: '4222' }, tls: false }));
    expect(configOf(synth(pipeline)).pipeline.outputs[0]).toMatchObject({ name: 'nats', host: 'nats.messaging' });
    expect(pipeline.node.metadata.filter((m) => m.type === 'warning').map((m) => m.data)).toEqual([
      'test/siem: SiemDestination.custom plugin "nats" is not among the plugins whose option names the library knows: '
      + 'its options are passed through unchecked (fluent-bit --dry-run rejects unknown names)',
    ]);
    expect(pipelineWith(datadog()).node.metadata.filter((m) => m.type === 'warning')).toEqual([]);
  });
});

describe('TLS where the plugin has it, and never silently without it', () => {
  const outputOf = (destination: SiemDestination) => configOf(synth(pipelineWith(destination))).pipeline.outputs[0];

  test('kafka: TLS and SASL are librdkafka settings', () => {
    expect(outputOf(SiemDestination.custom({ plugin: 'kafka', options: { brokers: 'kafka:9093' } }))).toMatchObject({
      'rdkafka.security.protocol': 'ssl', 'rdkafka.enable.ssl.certificate.verification': 'true',
    });
    const sasl = outputOf(SiemDestination.custom({
      plugin: 'kafka', options: { 'brokers': 'kafka:9093', 'rdkafka.sasl.mechanisms': 'PLAIN' }, optionSecrets: { 'rdkafka.sasl.password': API_KEY },
    }));
    expect(sasl).toMatchObject({ 'rdkafka.security.protocol': 'sasl_ssl', 'rdkafka.sasl.password': '${SIEM_DEST1_RDKAFKA_SASL_PASSWORD}' });
    expect(sasl.tls).toBeUndefined();
    expect(() => pipelineWith(SiemDestination.custom({ plugin: 'kafka', options: { 'rdkafka.security.protocol': 'plaintext' } })))
      .toThrow('custom kafka option "rdkafka.security.protocol" is set by the pipeline (got "rdkafka.security.protocol"): use the destination\'s tls instead');
  });

  test('the AWS outputs always use HTTPS of their own: no tls keys (Fluent Bit refuses them), and no way to turn it off', () => {
    const output = outputOf(SiemDestination.custom({ plugin: 'kinesis_firehose', options: { region: 'eu-west-1', delivery_stream: 'siem' } }));
    expect(output).toMatchObject({ name: 'kinesis_firehose', delivery_stream: 'siem', retry_limit: 'no_limits' });
    expect(output.tls).toBeUndefined();
    expect(() => pipelineWith(SiemDestination.custom({ plugin: 'cloudwatch_logs', tls: false })))
      .toThrow('custom cloudwatch_logs always connects over HTTPS with verified certificates (got "tls: false"): remove tls and insecureSkipTlsVerify');
  });

  test('plain-text-only outputs need tls: false said out loud; local outputs take no TLS setting', () => {
    expect(() => pipelineWith(SiemDestination.custom({ plugin: 'udp', options: { host: 'collector' } })))
      .toThrow('custom udp cannot use TLS (got undefined): set tls: false to send in plain text (the udp output has no TLS), or use an output that has');
    expect(outputOf(SiemDestination.custom({ plugin: 'udp', options: { host: 'collector', port: '5170' }, tls: false })).tls).toBeUndefined();
    expect(outputOf(SiemDestination.custom({ plugin: 'stdout', options: { format: 'json_lines' } }))).toMatchObject({ name: 'stdout', format: 'json_lines' });
    expect(() => pipelineWith(SiemDestination.custom({ plugin: 'stdout', insecureSkipTlsVerify: true })))
      .toThrow('custom stdout writes locally and has no connection to secure (got true): remove tls and insecureSkipTlsVerify');
  });
});

describe('SiemDestination.custom refuses what would be wrong or leak, at synth', () => {
  const refuse = (destination: () => SiemDestination) => expect(() => pipelineWith(destination()));

  test('a plugin Fluent Bit does not have, with a did-you-mean', () => {
    refuse(() => SiemDestination.custom({ plugin: 'datadogg' }))
      .toThrow('test/siem: custom plugin is not a Fluent Bit 5.1 output plugin (got "datadogg"): use the name `fluent-bit --help` lists under Outputs, e.g. "datadog" or "cloudwatch_logs" (did you mean "datadog"?)');
    expect(() => SiemDestination.custom({} as any)).toThrow('SiemDestination.custom: options.plugin is missing');
  });

  test('an option the plugin does not document, with a did-you-mean', () => {
    refuse(() => datadog({ options: { dd_sourc: 'kubernetes' } }))
      .toThrow('test/siem: custom datadog option "dd_sourc" is not an option of the datadog output (got "dd_sourc"): use an option Fluent Bit documents for datadog (did you mean "dd_source"?)');
    refuse(() => datadog({ optionSecrets: { api_key: API_KEY } })).toThrow('custom datadog option "api_key" is not an option of the datadog output');
  });

  test('an option the pipeline sets from a typed option', () => {
    refuse(() => datadog({ options: { 'tls.verify': 'off' } }))
      .toThrow('custom datadog option "tls.verify" is set by the pipeline (got "tls.verify"): use the destination\'s insecureSkipTlsVerify instead');
    refuse(() => datadog({ options: { Retry_Limit: '3' } })).toThrow('use the destination\'s retryLimit instead');
    refuse(() => datadog({ options: { match: '*' } })).toThrow('use the destination\'s logTypes instead');
    refuse(() => datadog({ options: { alias: 'datadog' } })).toThrow('custom datadog option "alias" is set by the pipeline (got "alias"): leave it out: the pipeline writes one output per log type');
  });

  test('a credential typed into options, by its name or its shape, without echoing it', () => {
    refuse(() => datadog({ optionSecrets: {}, options: { apikey: 'c0ffee1234567890' } }))
      .toThrow('custom datadog option "apikey" holds a credential, which would be written into the ConfigMap (got "a value, not shown"): move it to optionSecrets');
    refuse(() => SiemDestination.custom({ plugin: 'http', options: { host: 'collector', http_passwd: 'hunter2' } })).toThrow('option "http_passwd" holds a credential');
    expect(() => datadog({ options: { header: 'Authorization Bearer abcdefgh12345678' } }))
      .toThrow('SiemDestination.custom: options.header contains an Authorization header value, which would be written into the manifests');
    expect(() => datadog({ optionSecrets: { apikey: 'c0ffee1234567890' as any } })).not.toThrow();
    refuse(() => datadog({ optionSecrets: { apikey: 'c0ffee1234567890' as any } }))
      .toThrow('custom datadog optionSecrets["apikey"] is a string, not a reference to a Secret (got "a string of 16 characters, not shown")');
  });

  test('a host with a scheme or port, and a port that is not a port, which fluent-bit --dry-run would let through', () => {
    refuse(() => datadog({ options: { host: 'https://http-intake.logs.datadoghq.eu' } }))
      .toThrow('custom datadog option "host" is not a host name or IPv4 address (got "https://http-intake.logs.datadoghq.eu")');
    refuse(() => datadog({ options: { port: '443x' } }))
      .toThrow('custom datadog option "port" is not a port number (got "443x"): use a whole number from 1 to 65535, as a string, e.g. "443"');
    refuse(() => datadog({ options: { Port: '70000' } })).toThrow('custom datadog option "port" is not a port number (got "70000")');
  });

  test('values that are not one plain line, and variables the pod does not set', () => {
    refuse(() => datadog({ options: { dd_tags: '${TAGS}' } })).toThrow('custom datadog option "dd_tags" is not a single-line value (got "${TAGS}")');
    refuse(() => datadog({ options: { dd_tags: 'a\nb' } })).toThrow('is not a single-line value');
    refuse(() => datadog({ options: { dd_tags: 3 as any } })).toThrow('is not a single-line value (got 3)');
  });

  test('an option both plain and secret, two secret options sharing a variable, a bad variable name', () => {
    refuse(() => datadog({ options: { apikey_x: 'x' } as any })).toThrow('is not an option of the datadog output');
    refuse(() => SiemDestination.custom({ plugin: 'influxdb', options: { http_token: 'x' }, optionSecrets: { http_token: API_KEY } }))
      .toThrow('custom influxdb option "http_token" is in both options and optionSecrets');
    refuse(() => SiemDestination.custom({ plugin: 'influxdb', optionSecrets: { 'a.b': API_KEY, 'a_b': API_KEY } }))
      .toThrow('custom influxdb optionSecrets has two options that differ only in case or punctuation (got ["a.b","a_b"])');
    refuse(() => datadog({ envSecrets: { SIEM_DEST1_APIKEY: API_KEY } })).toThrow('custom datadog envSecrets name is not an environment variable name of its own');
    refuse(() => datadog({ envSecrets: { '1X': API_KEY } })).toThrow('envSecrets name is not an environment variable name');
  });
});
