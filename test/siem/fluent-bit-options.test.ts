import { parse } from 'yaml';
import { DESTINATION_MATRIX, fluentBitConfigs } from './fluent-bit-matrix';
import { undocumentedKeys } from './fluent-bit-options';

const CONFIGS = fluentBitConfigs();

describe('every generated Fluent Bit config uses only documented option names (fluent-bit --dry-run rejects others)', () => {
  test('the configs cover the examples and every destination plugin', () => {
    expect(CONFIGS.map(([name]) => name)).toContain('example splunk');
    const plugins = new Set(CONFIGS.flatMap(([, config]) => parse(config).pipeline.outputs.map((o: any) => o.name)));
    expect([...plugins].sort()).toEqual([
      'cloudwatch_logs', 'datadog', 'es', 'forward', 'http', 'influxdb', 'kafka', 'loki', 'opensearch', 's3', 'splunk', 'stdout', 'syslog',
    ]);
    expect(Object.keys(DESTINATION_MATRIX).length).toBeGreaterThanOrEqual(20);
  });

  // A custom output of a plugin outside the table is passed through: only the real Fluent Bit checks it (fluent-bit-dry-run.test.ts).
  test.each(CONFIGS.filter(([name]) => !name.includes('passthrough')))('%s', (_, config) => {
    expect(undocumentedKeys(parse(config))).toEqual([]);
  });
});

describe('the option-name check catches planted defects', () => {
  const valid = () => parse(CONFIGS.find(([name]) => name === 'destination kafka-sasl-insecure')![1]);

  test('a valid config passes', () => {
    expect(undocumentedKeys(valid())).toEqual([]);
  });

  test('misspelled keys in each section', () => {
    const config = valid();
    config.service.schedular_cap = 300;
    config.pipeline.inputs[0].exclude_paths = '/x';
    config.pipeline.filters[0].merge_logs = 'on';
    config.pipeline.outputs[0].tls_verify = 'on';
    config.pipeline.outputs[0]['rdkafka.ssl.verify'] = 'false';
    expect(undocumentedKeys(config)).toEqual([
      'service: schedular_cap',
      'input tail: exclude_paths',
      'filter kubernetes: merge_logs',
      'output kafka: tls_verify',
      'output kafka: rdkafka.ssl.verify',
    ]);
  });

  test('unknown plugins, processors and sections', () => {
    const config = valid();
    config.pipeline.outputs.push({ name: 'splunk_hec', match: '*' });
    config.pipeline.outputs[0].processors = { logs: [{ name: 'lua', call: 'f', source: 'x' }], traces: [] };
    config.pipeline.routes = {};
    expect(undocumentedKeys(config)).toEqual([
      'pipeline: routes',
      'output kafka processor lua: source',
      'output kafka processors: traces',
      'output splunk_hec: plugin is not in the table of documented plugins',
    ]);
  });
});
