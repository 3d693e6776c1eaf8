import { Testing } from 'cdk8s';
import { FalcoDeployment, FalcoPriority, FalcosidekickOutput, SecurityMonitoringStack } from '../../src';
import { FALCOSIDEKICK_OUTPUTS, FALCOSIDEKICK_SHARED_SETTINGS } from '../../src/falco/falcosidekick-output-keys';
import { expectValidManifests, findObject, Manifest, synth } from '../util';
import { falcoIn } from './helpers';

const SLACK_WEBHOOK = { secretName: 'slack', key: 'webhook-url' };

function sidekickEnv(manifests: Manifest[]): any[] {
  return findObject(manifests, 'Deployment', 'falco-falcosidekick').spec.template.spec.containers[0].env;
}

/**
 * The configuration falcosidekick reads from its environment, modelled on
 * what it does: viper maps a config path to a variable by upper-casing it and
 * replacing dots with underscores, and reads only the paths it has a default
 * for (the table), so any other variable is ignored.
 */
function readBySidekick(env: any[]): Record<string, unknown> {
  const paths = [
    ...Object.entries(FALCOSIDEKICK_OUTPUTS).flatMap(([output, known]) => known.keys.split(' ').map((key) => `${output}.${key}`)),
    ...Object.entries(FALCOSIDEKICK_SHARED_SETTINGS).flatMap(([cloud, keys]) => keys.split(' ').map((key) => `${cloud}.${key}`)),
  ];
  const byVariable = new Map(paths.map((path) => [path.toUpperCase().split('.').join('_'), path]));
  const config: Record<string, unknown> = {};
  for (const variable of env) {
    const path = byVariable.get(variable.name);
    if (path) config[path] = variable.value ?? variable.valueFrom;
  }
  return config;
}

describe('FalcosidekickOutput.custom: any falcosidekick output, end to end', () => {
  test('Slack: the webhook URL from a Secret, plain settings as values, the minimum priority: what falcosidekick reads to enable Slack', () => {
    const manifests = synth(falcoIn({
      falcosidekick: {
        outputs: [FalcosidekickOutput.custom({
          output: 'slack',
          settings: { channel: '#falco', outputformat: 'text' },
          settingSecrets: { webhookurl: SLACK_WEBHOOK },
          minimumPriority: FalcoPriority.WARNING,
        })],
      },
    }));
    expectValidManifests(manifests);
    expect(sidekickEnv(manifests).slice(1)).toEqual([
      { name: 'SLACK_CHANNEL', value: '#falco' },
      { name: 'SLACK_OUTPUTFORMAT', value: 'text' },
      { name: 'SLACK_WEBHOOKURL', valueFrom: { secretKeyRef: { name: 'slack', key: 'webhook-url' } } },
      { name: 'SLACK_MINIMUMPRIORITY', value: 'warning' },
    ]);
    expect(readBySidekick(sidekickEnv(manifests))).toEqual({
      'slack.channel': '#falco',
      'slack.outputformat': 'text',
      // falcosidekick enables Slack when slack.webhookurl is set (main.go).
      'slack.webhookurl': { secretKeyRef: { name: 'slack', key: 'webhook-url' } },
      'slack.minimumpriority': 'warning',
    });
    expect(manifests.find((m) => m.kind === 'Secret')).toBeUndefined();
  });

  test('a generic webhook: the same environment as the built-in webhook output, which is built on the same mechanism', () => {
    const custom = FalcosidekickOutput.custom({ output: 'webhook', settings: { address: 'http://hooks.internal/falco', method: 'PUT' } });
    const env = sidekickEnv(synth(falcoIn({ falcosidekick: { outputs: [custom] } })));
    expect(readBySidekick(env)).toEqual({ 'webhook.address': 'http://hooks.internal/falco', 'webhook.method': 'PUT', 'webhook.minimumpriority': 'debug' });
    const builtIn = FalcosidekickOutput.webhook({ url: 'http://hooks.internal/falco' });
    const plain = FalcosidekickOutput.custom({ output: 'webhook', settings: { address: 'http://hooks.internal/falco' } });
    expect(plain._env).toEqual(builtIn._env);
    expect(plain.name).toBe(builtIn.name);
  });

  test('host:port settings that are not URLs stay as written (kafka, nats, redis)', () => {
    expect(FalcosidekickOutput.custom({ output: 'redis', settings: { address: 'redis:6379' } })._env).toContainEqual({ name: 'REDIS_ADDRESS', value: 'redis:6379' });
    expect(FalcosidekickOutput.custom({ output: 'alertmanager', settings: { hostport: 'http://am-0:9093,http://am-1:9093' } })._env)
      .toContainEqual({ name: 'ALERTMANAGER_HOSTPORT', value: 'http://am-0:9093,http://am-1:9093' });
  });

  test('keys as falcosidekick spells them in any case, nested keys with dots', () => {
    const output = FalcosidekickOutput.custom({ output: 'Elasticsearch', settings: { 'hostPort': 'https://es:9200', 'batching.enabled': 'true' } });
    expect(output._env).toEqual([
      { name: 'ELASTICSEARCH_HOSTPORT', value: 'https://es:9200' },
      { name: 'ELASTICSEARCH_BATCHING_ENABLED', value: 'true' },
      { name: 'ELASTICSEARCH_MINIMUMPRIORITY', value: 'debug' },
    ]);
  });

  test('an output of a cloud: its own settings under it, the settings its cloud shares under the cloud, rendered once for two outputs', () => {
    const s3 = FalcosidekickOutput.custom({ output: 'aws.s3', settings: { bucket: 'falco-events', region: 'eu-west-1' } });
    const sqs = FalcosidekickOutput.custom({ output: 'aws.sqs', settings: { url: 'https://sqs.eu-west-1.amazonaws.com/1/falco', region: 'eu-west-1' } });
    const env = sidekickEnv(synth(falcoIn({ falcosidekick: { outputs: [s3, sqs] } })));
    expect(env.filter((v: any) => v.name === 'AWS_REGION')).toEqual([{ name: 'AWS_REGION', value: 'eu-west-1' }]);
    expect(readBySidekick(env)).toMatchObject({ 'aws.s3.bucket': 'falco-events', 'aws.region': 'eu-west-1', 'aws.sqs.url': 'https://sqs.eu-west-1.amazonaws.com/1/falco' });
    const otherRegion = FalcosidekickOutput.custom({ output: 'aws.sqs', settings: { url: 'https://sqs.us-east-1.amazonaws.com/1/falco', region: 'us-east-1' } });
    expect(() => falcoIn({ falcosidekick: { outputs: [s3, otherRegion] } }))
      .toThrow('falco/falcosidekick: two falcosidekick outputs set AWS_REGION differently (got "AWS_REGION"): falcosidekick reads one value');
  });

  test('an output the library does not know is passed through, with a warning on the deployment', () => {
    const falco = falcoIn({ falcosidekick: { outputs: [FalcosidekickOutput.custom({ output: 'sentinelone', settings: { endpoint: 'https://s1.example.com' } })] } });
    expect(sidekickEnv(synth(falco)).slice(1)).toEqual([
      { name: 'SENTINELONE_ENDPOINT', value: 'https://s1.example.com' },
      { name: 'SENTINELONE_MINIMUMPRIORITY', value: 'debug' },
    ]);
    expect(falco.warnings).toEqual([
      'test/falco/falcosidekick: FalcosidekickOutput.custom: output "sentinelone" is not one of falcosidekick 2.32.0\'s outputs, so its settings are passed through unchecked as SENTINELONE_* variables (got "sentinelone"): '
        + 'check the output name and its settings against the documentation of the falcosidekick image you run',
    ]);
  });

  test('in a stack, the warning is among the stack\'s warnings and in its description', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', {
      falco: { falcosidekick: { outputs: [FalcosidekickOutput.custom({ output: 'sentinelone', settings: { endpoint: 'https://s1.example.com' } })] } },
    });
    const warning = expect.stringContaining('output "sentinelone" is not one of falcosidekick 2.32.0\'s outputs');
    expect(stack.warnings).toContainEqual(warning);
    expect(stack.describe()).toContain('output "sentinelone" is not one of falcosidekick 2.32.0\'s outputs');
  });

  test('a setting of a known output that resembles none falcosidekick reads is passed through with a warning listing those it reads', () => {
    const falco = falcoIn({ falcosidekick: { outputs: [FalcosidekickOutput.custom({ output: 'talon', settings: { address: 'http://talon:2803', xyzzy: '1' } })] } });
    expect(sidekickEnv(synth(falco))).toContainEqual({ name: 'TALON_XYZZY', value: '1' });
    expect(falco.warnings).toEqual(['test/falco/falcosidekick: FalcosidekickOutput.custom("talon"): settings.xyzzy is not a setting falcosidekick 2.32.0 reads for talon, '
      + 'so TALON_XYZZY is passed through unchecked (got "xyzzy"): falcosidekick 2.32.0 reads: address']);
  });

  test('two outputs of the same kind, custom or built-in, are refused as for the built-ins', () => {
    const custom = FalcosidekickOutput.custom({ output: 'webhook', settings: { address: 'http://a.internal' } });
    expect(() => falcoIn({ falcosidekick: { outputs: [custom, FalcosidekickOutput.webhook({ url: 'http://b.internal' })] } }))
      .toThrow('falco/falcosidekick: falcosidekick output configured twice (got "webhook")');
  });
});

describe('TLS: certificates verified unless turned off by name', () => {
  test('logstash, whose certificate check falcosidekick leaves off, gets it on', () => {
    expect(FalcosidekickOutput.custom({ output: 'logstash', settings: { address: 'logstash.example.com' } })._env)
      .toContainEqual({ name: 'LOGSTASH_CHECKCERT', value: 'true' });
  });

  test('insecureSkipTlsVerify turns it off, on a custom and a built-in output alike', () => {
    expect(FalcosidekickOutput.custom({ output: 'loki', settings: { hostport: 'https://loki:3100' }, insecureSkipTlsVerify: true })._env)
      .toContainEqual({ name: 'LOKI_CHECKCERT', value: 'false' });
    expect(FalcosidekickOutput.webhook({ url: 'https://hooks.internal', insecureSkipTlsVerify: true })._env)
      .toContainEqual({ name: 'WEBHOOK_CHECKCERT', value: 'false' });
  });

  test('the outputs with a tls setting connect over TLS unless tls is false', () => {
    const kafka = (tls?: boolean) => FalcosidekickOutput.custom({ output: 'kafka', settings: { hostport: 'kafka:9093', topic: 'falco' }, tls })._env;
    expect(kafka()).toContainEqual({ name: 'KAFKA_TLS', value: 'true' });
    expect(kafka(false)).toContainEqual({ name: 'KAFKA_TLS', value: 'false' });
  });

  test.each([
    ['insecureSkipTlsVerify where there is no certificate check', () => FalcosidekickOutput.custom({ output: 'syslog', settings: { host: 'syslog' }, insecureSkipTlsVerify: true }),
      'FalcosidekickOutput.custom("syslog"): insecureSkipTlsVerify is set, but falcosidekick\'s syslog output has no certificate check to turn off (got true): remove insecureSkipTlsVerify'],
    ['tls where the URL decides', () => FalcosidekickOutput.custom({ output: 'slack', settingSecrets: { webhookurl: SLACK_WEBHOOK }, tls: false }),
      'FalcosidekickOutput.custom("slack"): tls is set, but falcosidekick\'s slack output has no tls setting (got false): remove tls: the scheme of the output\'s URL (https://) decides'],
  ])('%s is an error', (_what, build, message) => expect(build).toThrow(message));
});

describe('minimum priority as for the built-ins', () => {
  test('DEBUG by default, for known and unknown outputs', () => {
    expect(FalcosidekickOutput.custom({ output: 'discord', settingSecrets: { webhookurl: SLACK_WEBHOOK } })._env)
      .toContainEqual({ name: 'DISCORD_MINIMUMPRIORITY', value: 'debug' });
  });

  test('an output whose minimum priority falcosidekick 2.32.0 does not read from its environment gets none, or a warning when set', () => {
    const nats = (minimumPriority?: FalcoPriority) => FalcosidekickOutput.custom({ output: 'nats', settings: { hostport: 'nats://nats:4222' }, minimumPriority });
    expect(nats()._env.map((v) => v.name)).toEqual(['NATS_HOSTPORT']);
    expect(nats(FalcoPriority.ERROR)._env).toContainEqual({ name: 'NATS_MINIMUMPRIORITY', value: 'error' });
    expect(nats(FalcoPriority.ERROR).notes).toEqual([expect.stringContaining('falcosidekick 2.32.0 reads no minimumpriority for nats from its environment')]);
  });
});

describe('mistakes are errors in the library\'s style', () => {
  test.each([
    ['a typo in a setting', () => FalcosidekickOutput.custom({ output: 'slack', settings: { chanel: '#falco' }, settingSecrets: { webhookurl: SLACK_WEBHOOK } }),
      'FalcosidekickOutput.custom("slack"): settings.chanel is not a setting of falcosidekick\'s slack output (did you mean "channel"?) (got "chanel"): use "channel"'],
    ['a typo in the output', () => FalcosidekickOutput.custom({ output: 'slak', settingSecrets: { webhookurl: SLACK_WEBHOOK } }),
      'FalcosidekickOutput.custom: output "slak" is not one of falcosidekick\'s outputs (did you mean "slack"?) (got "slak"): use "slack"'],
    ['a cloud instead of its output', () => FalcosidekickOutput.custom({ output: 'aws', settings: { region: 'eu-west-1' } }),
      'FalcosidekickOutput.custom: "aws" holds the settings its outputs share, it is not an output (got "aws"): use one of its outputs ("aws.cloudwatchlogs", "aws.kinesis", "aws.lambda", "aws.s3", "aws.securitylake", "aws.sns", "aws.sqs") '
        + 'and set the shared settings (accesskeyid, checkidentity, externalid, region, rolearn, secretaccesskey) there'],
    ['the setting that enables the output missing', () => FalcosidekickOutput.custom({ output: 'slack', settings: { channel: '#falco' } }),
      'FalcosidekickOutput.custom("slack"): falcosidekick enables its slack output only when webhookurl is set (got {"settings":["channel"],"settingSecrets":[]}): set settingSecrets.webhookurl'],
    ['a credential as a plain setting', () => FalcosidekickOutput.custom({ output: 'datadog', settings: { apikey: 'abcdef0123456789' } }),
      'FalcosidekickOutput.custom("datadog"): settings.apikey is a credential, which would be written into the manifests (got "a value, not shown"): pass settingSecrets: { apikey: { secretName, key } } of a Secret that holds it instead'],
    ['a Slack webhook URL as a plain setting', () => FalcosidekickOutput.custom({ output: 'slack', settings: { webhookurl: 'https://hooks.slack.com/services/T000/B000/hunter2' } }),
      'FalcosidekickOutput.custom: settings.webhookurl contains a Slack webhook path, which would be written into the manifests (got "https://hooks.slack.com/services/***"): '
        + 'pass settingSecrets.webhookurl: { secretName, key } of a Secret that holds the value instead'],
    ['a credential in a header', () => FalcosidekickOutput.custom({ output: 'loki', settings: { hostport: 'https://loki:3100', customheaders: 'Authorization:Bearer hunter2hunter2' } }),
      'FalcosidekickOutput.custom: settings.customheaders contains an Authorization header value'],
    ['a typed setting among the settings', () => FalcosidekickOutput.custom({ output: 'loki', settings: { hostport: 'https://loki:3100', checkcert: 'false' } }),
      'FalcosidekickOutput.custom("loki"): settings.checkcert is rendered from the typed option insecureSkipTlsVerify (got "checkcert"): remove it and set insecureSkipTlsVerify'],
    ['a URL setting without a scheme', () => FalcosidekickOutput.custom({ output: 'loki', settings: { hostport: 'loki:3100' } }),
      'FalcosidekickOutput.custom("loki"): settings.hostport is not an http(s) URL (got "loki:3100"): use a URL such as "http://host:port"'],
    ['one of several Alertmanager URLs without a scheme', () => FalcosidekickOutput.custom({ output: 'alertmanager', settings: { hostport: 'http://am-0:9093,am-1:9093' } }),
      'FalcosidekickOutput.custom("alertmanager"): settings.hostport is not an http(s) URL (got "am-1:9093")'],
    ['a setting given twice in different cases', () => FalcosidekickOutput.custom({ output: 'loki', settings: { hostport: 'https://loki:3100', HostPort: 'https://other:3100' } }),
      'FalcosidekickOutput.custom("loki"): settings.HostPort is given twice (got "HostPort"): falcosidekick\'s setting names ignore case: keep one'],
    ['a setting given twice', () => FalcosidekickOutput.custom({ output: 'loki', settings: { hostport: 'https://loki:3100' }, settingSecrets: { hostport: SLACK_WEBHOOK } }),
      'FalcosidekickOutput.custom("loki"): hostport is in both settings and settingSecrets (got "hostport"): keep it in one'],
    ['a setting name falcosidekick cannot have', () => FalcosidekickOutput.custom({ output: 'loki', settings: { 'host port': 'x' } }),
      'FalcosidekickOutput.custom("loki"): settings has a key that is not a falcosidekick setting name (did you mean "hostport"?) (got "host port")'],
    ['an output spelled as its environment variable', () => FalcosidekickOutput.custom({ output: 'AWS_S3', settings: { bucket: 'falco' } }),
      'FalcosidekickOutput.custom: output is not a falcosidekick output key (did you mean "aws.s3"?) (got "AWS_S3")'],
    ['a setting spelled with an underscore', () => FalcosidekickOutput.custom({ output: 'slack', settingSecrets: { webhook_url: SLACK_WEBHOOK } }),
      'FalcosidekickOutput.custom("slack"): settingSecrets has a key that is not a falcosidekick setting name (did you mean "webhookurl"?) (got "webhook_url")'],
    ['an output name falcosidekick cannot have', () => FalcosidekickOutput.custom({ output: 'my-output' }),
      'FalcosidekickOutput.custom: output is not a falcosidekick output key (got "my-output"): use the key of the output in falcosidekick\'s config.yaml'],
    ['a malformed Secret reference', () => FalcosidekickOutput.custom({ output: 'slack', settingSecrets: { webhookurl: { secretName: 'Slack', key: 'url' } } }),
      'FalcosidekickOutput.custom("slack"): settingSecrets.webhookurl.secretName is not a valid DNS-1123 subdomain (got "Slack")'],
    ['settings that are not a map', () => FalcosidekickOutput.custom({ output: 'loki', settings: 'hostport=https://loki:3100' as any }),
      'FalcosidekickOutput.custom("loki"): settings is not a map of setting names to values (got "hostport=https://loki:3100"): pass e.g. { channel: "#falco" }'],
    ['insecureSkipTlsVerify as a string', () => FalcosidekickOutput.custom({ output: 'loki', settings: { hostport: 'https://loki:3100' }, insecureSkipTlsVerify: 'yes' as any }),
      'FalcosidekickOutput.custom("loki"): insecureSkipTlsVerify is not a boolean (got "yes"): use true or false'],
    ['no output', () => FalcosidekickOutput.custom({} as any),
      'FalcosidekickOutput.custom: options.output is missing (got undefined): pass { output: "slack", settingSecrets: { webhookurl: { secretName, key } } }'],
  ])('%s', (_what, build, message) => {
    expect(build).toThrow(message);
    expect(() => build()).not.toThrow(/hunter2|abcdef0123456789/);
  });
});

test('the library knows falcosidekick 2.32.0\'s outputs, with the facts recorded from upstream', () => {
  expect(Object.keys(FALCOSIDEKICK_OUTPUTS).length).toBeGreaterThanOrEqual(65);
  expect(FALCOSIDEKICK_OUTPUTS.slack).toMatchObject({ enabledBy: 'webhookurl' });
  expect(FALCOSIDEKICK_OUTPUTS['aws.securitylake'].enabledBy.split(' ').sort()).toEqual(['accountid', 'bucket', 'prefix', 'region']);
  // Every built-in factory renders only settings falcosidekick reads.
  const chart = Testing.chart();
  new FalcoDeployment(chart, 'falco', {
    falcosidekick: {
      outputs: [
        FalcosidekickOutput.alertmanager({ url: 'http://am:9093' }),
        FalcosidekickOutput.splunk({ url: 'https://splunk:8088', tokenSecret: SLACK_WEBHOOK }),
        FalcosidekickOutput.elasticsearch({ url: 'https://es:9200', usernameSecret: SLACK_WEBHOOK, passwordSecret: SLACK_WEBHOOK }),
        FalcosidekickOutput.pagerDuty({ routingKeySecret: SLACK_WEBHOOK }),
        FalcosidekickOutput.talon({ url: 'http://talon:2803' }),
        FalcosidekickOutput.webhook({ url: 'http://hooks.internal' }),
      ],
    },
  });
  const env = sidekickEnv(synth(chart)).slice(1);
  expect(Object.keys(readBySidekick(env))).toHaveLength(env.length);
});
