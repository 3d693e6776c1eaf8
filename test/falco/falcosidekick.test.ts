import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { FalcoDeployment, FalcoPriority, FalcosidekickOutput, PagerDutyRegion } from '../../src';
import { expectValidManifests, findObject, synth } from '../util';
import { falcoIn, falcoYaml } from './helpers';

const SECRET_VALUES = ['s3cr3t-token', 'hunter2'];

function withSidekick() {
  return falcoIn({
    jsonOutput: false,
    falcosidekick: {
      outputs: [
        FalcosidekickOutput.alertmanager({ url: 'http://alertmanager.monitoring:9093', minimumPriority: FalcoPriority.WARNING }),
        FalcosidekickOutput.splunk({ url: 'https://splunk:8088/services/collector/event', tokenSecret: { secretName: 'splunk-hec', key: 'token' } }),
        FalcosidekickOutput.elasticsearch({
          url: 'https://es:9200',
          index: 'security',
          usernameSecret: { secretName: 'es', key: 'username' },
          passwordSecret: { secretName: 'es', key: 'password' },
        }),
        FalcosidekickOutput.pagerDuty({ routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' }, region: PagerDutyRegion.EU, minimumPriority: FalcoPriority.CRITICAL }),
        FalcosidekickOutput.webhook({ url: 'http://hooks.internal/falco' }),
      ],
    },
  });
}

describe('falcosidekick', () => {
  const manifests = synth(withSidekick());
  const deployment = findObject(manifests, 'Deployment', 'falco-falcosidekick');
  const container = deployment.spec.template.spec.containers[0];
  const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

  test('every object validates', () => expectValidManifests(manifests));

  test('Falco posts JSON events to the sidekick Service on 2801', () => {
    const config = falcoYaml(manifests);
    expect(config.http_output).toEqual({ enabled: true, url: 'http://falco-falcosidekick.falco.svc:2801' });
    expect(config.json_output).toBe(true);
    const service = findObject(manifests, 'Service', 'falco-falcosidekick');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 2801, targetPort: 'http', protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  test('outputs become falcosidekick environment variables', () => {
    expect(env).toMatchObject({
      ALERTMANAGER_HOSTPORT: 'http://alertmanager.monitoring:9093',
      ALERTMANAGER_MINIMUMPRIORITY: 'warning',
      SPLUNK_HOST: 'https://splunk:8088/services/collector/event',
      SPLUNK_MINIMUMPRIORITY: 'debug',
      ELASTICSEARCH_HOSTPORT: 'https://es:9200',
      ELASTICSEARCH_INDEX: 'security',
      PAGERDUTY_REGION: 'eu',
      PAGERDUTY_MINIMUMPRIORITY: 'critical',
      WEBHOOK_ADDRESS: 'http://hooks.internal/falco',
    });
  });

  test('credentials come only from Secret references', () => {
    expect(env.SPLUNK_TOKEN).toEqual({ secretKeyRef: { name: 'splunk-hec', key: 'token' } });
    expect(env.ELASTICSEARCH_USERNAME).toEqual({ secretKeyRef: { name: 'es', key: 'username' } });
    expect(env.ELASTICSEARCH_PASSWORD).toEqual({ secretKeyRef: { name: 'es', key: 'password' } });
    expect(env.PAGERDUTY_ROUTINGKEY).toEqual({ secretKeyRef: { name: 'pagerduty', key: 'routing-key' } });
    const yaml = JSON.stringify(manifests);
    for (const value of SECRET_VALUES) expect(yaml).not.toContain(value);
    expect(manifests.find((m) => m.kind === 'Secret')).toBeUndefined();
  });

  test('a NetworkPolicy admits only the Falco pods, on 2801', () => {
    expect(findObject(manifests, 'NetworkPolicy', 'falco-falcosidekick').spec.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'falco' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': 'falco' } },
      }],
      ports: [{ port: 2801, protocol: 'TCP' }],
    }]);
  });

  test('secure pod defaults', () => {
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
    expect(container.image).toBe('docker.io/falcosecurity/falcosidekick:2.32.0');
    expect(deployment.spec.replicas).toBe(2);
    expect(container.livenessProbe.httpGet.path).toBe('/ping');
  });
});

describe('PagerDuty output', () => {
  const envOf = (output: FalcosidekickOutput) => findObject(synth(falcoIn({ falcosidekick: { outputs: [output] } })), 'Deployment', 'falco-falcosidekick')
    .spec.template.spec.containers[0].env;

  test('pages from CRITICAL by default (falcosidekick sends every PagerDuty event as critical), US region, key from a Secret', () => {
    expect(envOf(FalcosidekickOutput.pagerDuty({ routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } }))).toEqual(expect.arrayContaining([
      { name: 'PAGERDUTY_REGION', value: 'us' },
      { name: 'PAGERDUTY_ROUTINGKEY', valueFrom: { secretKeyRef: { name: 'pagerduty', key: 'routing-key' } } },
      { name: 'PAGERDUTY_MINIMUMPRIORITY', value: 'critical' },
    ]));
  });

  test('a lower minimum priority can be chosen', () => {
    const env = envOf(FalcosidekickOutput.pagerDuty({ routingKeySecret: { secretName: 'pd', key: 'k' }, minimumPriority: FalcoPriority.ERROR }));
    expect(env).toContainEqual({ name: 'PAGERDUTY_MINIMUMPRIORITY', value: 'error' });
  });

  test('a priority that is not a FalcoPriority is refused', () => {
    expect(() => FalcosidekickOutput.pagerDuty({ routingKeySecret: { secretName: 'pd', key: 'k' }, minimumPriority: 'urgent' as any }))
      .toThrow('FalcosidekickOutput.pagerDuty: minimumPriority is not a FalcoPriority (got "urgent"): use one of FalcoPriority.EMERGENCY');
  });
});

describe('forwardTo: a second Falco posting to an existing falcosidekick', () => {
  const outputs = [FalcosidekickOutput.webhook({ url: 'http://hooks.internal/falco' })];

  test('both set is an error that names them', () => {
    const chart = Testing.chart();
    const first = new FalcoDeployment(chart, 'first', { falcosidekick: { outputs } });
    expect(() => new FalcoDeployment(chart, 'second', { name: 'second', falcosidekick: { outputs }, forwardTo: first.falcosidekick }))
      .toThrow(/falcosidekick and forwardTo are both set.*not both/);
  });

  test('something else than a Falcosidekick is rejected with the way out', () => {
    expect(() => new FalcoDeployment(Testing.chart(), 'falco', { forwardTo: { url: 'http://x' } as any }))
      .toThrow(/forwardTo.*pass the falcosidekick of another FalcoDeployment/);
  });

  test('posts to the other falcosidekick in JSON, even when jsonOutput is false', () => {
    const chart = Testing.chart();
    const first = new FalcoDeployment(chart, 'first', { falcosidekick: { outputs } });
    const second = new FalcoDeployment(chart, 'second', { name: 'second', namespace: 'audit', jsonOutput: false, forwardTo: first.falcosidekick });
    expect(second.jsonOutput).toBe(true);
    const config = parse(findObject(synth(second), 'ConfigMap', 'second').data['falco.yaml']);
    expect(config.json_output).toBe(true);
    expect(config.http_output).toEqual({ enabled: true, url: first.falcosidekick!.url });
  });

  test('a sender is admitted once, whatever the number of calls', () => {
    const chart = Testing.chart();
    const first = new FalcoDeployment(chart, 'first', { falcosidekick: { outputs } });
    first.falcosidekick!.allowSender('audit', { app: 'receiver' });
    first.falcosidekick!.allowSender('audit', { app: 'receiver' });
    expect(findObject(synth(first), 'NetworkPolicy', 'falco-falcosidekick').spec.ingress[0].from).toHaveLength(2);
    expect(() => first.falcosidekick!.allowSender('Not_A_Namespace', {})).toThrow(/sender namespace/);
  });
});

describe('output URLs from Secrets: a URL that carries a credential never reaches the manifests', () => {
  const ref = (key: string) => ({ secretName: 'falcosidekick-urls', key });
  const outputs = [
    FalcosidekickOutput.alertmanager({ urlSecret: ref('alertmanager') }),
    FalcosidekickOutput.splunk({ urlSecret: ref('splunk'), tokenSecret: { secretName: 'splunk-hec', key: 'token' } }),
    FalcosidekickOutput.elasticsearch({ urlSecret: ref('elasticsearch') }),
    FalcosidekickOutput.talon({ urlSecret: ref('talon') }),
    FalcosidekickOutput.webhook({ urlSecret: ref('webhook') }),
  ];
  const manifests = synth(falcoIn({ falcosidekick: { outputs } }));
  const container = findObject(manifests, 'Deployment', 'falco-falcosidekick').spec.template.spec.containers[0];
  const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

  test('each URL is an env secretKeyRef, and the manifests stay valid', () => {
    expectValidManifests(manifests);
    expect(env).toMatchObject({
      ALERTMANAGER_HOSTPORT: { secretKeyRef: { name: 'falcosidekick-urls', key: 'alertmanager' } },
      SPLUNK_HOST: { secretKeyRef: { name: 'falcosidekick-urls', key: 'splunk' } },
      ELASTICSEARCH_HOSTPORT: { secretKeyRef: { name: 'falcosidekick-urls', key: 'elasticsearch' } },
      TALON_ADDRESS: { secretKeyRef: { name: 'falcosidekick-urls', key: 'talon' } },
      WEBHOOK_ADDRESS: { secretKeyRef: { name: 'falcosidekick-urls', key: 'webhook' } },
    });
  });

  test.each([
    ['user-info in a webhook address', () => FalcosidekickOutput.webhook({ url: 'https://falco:hunter2@hooks.example.com/falco' }),
      'FalcosidekickOutput.webhook: url contains user-info (user:password@), which would be written into the manifests (got "https://***@hooks.example.com/falco"): '
        + 'pass urlSecret: { secretName, key } of a Secret that holds the value instead'],
    ['an API key in an Elasticsearch URL', () => FalcosidekickOutput.elasticsearch({ url: 'https://es:9200/?api_key=hunter2' }),
      'FalcosidekickOutput.elasticsearch: url contains a credential query parameter, which would be written into the manifests (got "https://es:9200/?api_key=***"): '
        + 'pass urlSecret: { secretName, key } of a Secret that holds the value instead'],
    ['neither url nor urlSecret', () => FalcosidekickOutput.webhook({}),
      'FalcosidekickOutput.webhook: exactly one of url and urlSecret must be set (got []): '
        + 'set url to the URL, or urlSecret: { secretName, key } of a Secret that holds a URL carrying a credential'],
    ['both url and urlSecret', () => FalcosidekickOutput.alertmanager({ url: 'http://am:9093', urlSecret: ref('am') }),
      'FalcosidekickOutput.alertmanager: exactly one of url and urlSecret must be set (got ["url","urlSecret"]): '
        + 'set url to the URL, or urlSecret: { secretName, key } of a Secret that holds a URL carrying a credential'],
  ])('%s', (_what, build, message) => {
    expect(build).toThrow(message);
    expect(() => build()).not.toThrow(/hunter2/);
  });
});
