import { Duration, Testing } from 'cdk8s';
import {
  AlertingOutput, AlertMatcher, AlertmanagerMatcherStrategy, AlertReceiver, AlertSeverity, PagerDutyAlerting, PagerDutyAlertingProps,
  SecurityMonitoringStack,
} from '../../src';
import { expectDeterministic, expectValidManifests, findObject, synth } from '../util';
import { checkConfig, routesTo } from './amtool';

const routingKey = { secretName: 'pagerduty', key: 'routing-key' };
const slack = () => AlertReceiver.slack('security-slack', { urlSecret: { secretName: 'slack', key: 'webhook-url' }, channel: '#security' });
const deadMansSwitch = () => AlertReceiver.webhook('deadmansswitch', { url: 'https://deadman.example.com/ping' });

function alertingIn(props: Partial<PagerDutyAlertingProps> = {}): PagerDutyAlerting {
  const stack = new SecurityMonitoringStack(Testing.chart(), 'stack');
  // The namespace and labels the stack gives its own alerting.
  return new PagerDutyAlerting(stack, 'alerting', { pagerDuty: { routingKeySecret: routingKey }, namespace: stack.namespace, labels: stack.labelsFor('alerting'), ...props });
}

function fullSetup(output: AlertingOutput): PagerDutyAlerting {
  const alerting = alertingIn({ output, warningReceiver: slack(), deadMansSwitch: deadMansSwitch() });
  alerting.routeTeam('payments', AlertReceiver.pagerDuty('payments-pager', { routingKeySecret: { secretName: 'payments-pagerduty', key: 'routing-key' } }));
  return alerting;
}

describe('alertmanager.yaml Secret output', () => {
  const alerting = fullSetup(AlertingOutput.configSecret());
  const manifests = synth(alerting);
  const secret = findObject(manifests, 'Secret');
  const config: string = secret.stringData['alertmanager.yaml'];

  test('the Secret holds the rendered alertmanager.yaml and validates', () => {
    expect(config).toEqual(alerting.toAlertmanagerYaml());
    expect(secret.metadata).toMatchObject({ name: 'security-alerting', namespace: 'security-monitoring' });
    expectValidManifests(manifests);
  });

  test('amtool check-config accepts it', () => {
    expect(checkConfig(config)).toContain('SUCCESS');
  });

  test('reads every credential from a mounted Secret file, never a literal', () => {
    expect(config).toContain('routing_key_file: /etc/alertmanager/secrets/pagerduty/routing-key');
    expect(config).toContain('api_url_file: /etc/alertmanager/secrets/slack/webhook-url');
    expect(config).not.toMatch(/routing_key:|service_key|api_url:/);
    expect(alerting.requiredSecrets).toEqual([
      { secretName: 'pagerduty', key: 'routing-key' }, { secretName: 'payments-pagerduty', key: 'routing-key' }, { secretName: 'slack', key: 'webhook-url' },
    ]);
  });

  const cases = alerting.routingExpectations();
  test.each(cases.map((c) => [JSON.stringify(c.labels), c.receiver, c.labels] as const))('amtool routes %s to %s', (_l, receiver, labels) => {
    expect(routesTo(config, labels)).toEqual([receiver]);
  });

  test('the routing table covers critical -> PagerDuty, warning -> not PagerDuty, info -> null', () => {
    const bySeverity = Object.fromEntries(cases.filter((c) => c.labels.alertname === 'SecurityTestAlert' && !c.labels.team).map((c) => [c.labels.severity, c.receiver]));
    expect(bySeverity).toEqual({ critical: 'pagerduty', warning: 'security-slack', info: 'null' });
    expect(routesTo(config, { alertname: 'X', severity: 'warning' })).not.toContain('pagerduty');
    expect(routesTo(config, { alertname: 'X' })).toEqual(['null']);
    expect(routesTo(config, { alertname: 'X', severity: 'critical', team: 'other' })).toEqual(['pagerduty']);
  });

  test('custom secrets mount directory', () => {
    const custom = alertingIn({ output: AlertingOutput.configSecret({ secretsMountDir: '/run/secrets' }) });
    expect(custom.toAlertmanagerYaml()).toContain('routing_key_file: /run/secrets/pagerduty/routing-key');
  });

  test('snapshot', () => {
    expect(config).toMatchSnapshot();
  });
});

describe('inhibition', () => {
  // amtool has no command that evaluates inhibit_rules (`config routes test` only walks the routing
  // tree), so the rules' structure is tested here and their syntax by `amtool check-config` above.
  test('critical silences warning and info, warning silences info, on the same alertname and namespace', () => {
    // With the AlertmanagerConfig output every alert's namespace is the config's (routedAlertLabels):
    // the namespace the alert is about is exported_namespace.
    const spec = findObject(synth(alertingIn()), 'AlertmanagerConfig').spec;
    const equal = ['alertname', 'namespace', 'exported_namespace'];
    expect(spec.inhibitRules).toEqual([
      { sourceMatch: [{ name: 'severity', value: 'critical', matchType: '=' }], targetMatch: [{ name: 'severity', value: 'warning|info', matchType: '=~' }], equal },
      { sourceMatch: [{ name: 'severity', value: 'warning', matchType: '=' }], targetMatch: [{ name: 'severity', value: 'info', matchType: '=' }], equal },
    ]);
    const secret = alertingIn({ output: AlertingOutput.configSecret() });
    expect(secret.toAlertmanagerYaml()).toContain('inhibit_rules:\n  - source_matchers:\n      - severity="critical"\n    target_matchers:\n      - severity=~"warning|info"\n    equal:\n      - alertname\n      - namespace\n');
  });

  test('routedAlertLabels: the AlertmanagerConfig\'s namespace on every alert, the expression\'s own kept aside; nothing for the Secret output', () => {
    expect(alertingIn().routedAlertLabels).toEqual({ namespace: 'security-monitoring', exported_namespace: '{{ $labels.namespace }}' });
    expect(alertingIn({ namespace: 'alerting' }).routedAlertLabels.namespace).toBe('alerting');
    expect(alertingIn({ output: AlertingOutput.configSecret() }).routedAlertLabels).toEqual({});
  });

  test('can be turned off', () => {
    expect(findObject(synth(alertingIn({ inhibit: false })), 'AlertmanagerConfig').spec.inhibitRules).toBeUndefined();
    expect(alertingIn({ inhibit: false }).toAlertmanagerYaml()).not.toContain('inhibit_rules');
  });
});

describe('AlertmanagerConfig output', () => {
  const alerting = fullSetup(AlertingOutput.alertmanagerConfig({ labels: { alertmanagerConfig: 'security' } }));
  const manifests = synth(alerting);
  const amc = findObject(manifests, 'AlertmanagerConfig');

  test('validates against the AlertmanagerConfig CRD', () => {
    expectValidManifests(manifests);
    expect(amc.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(amc.metadata.labels).toMatchObject({ 'alertmanagerConfig': 'security', 'app.kubernetes.io/component': 'alerting' });
  });

  test('PagerDuty uses the Events API v2 routing key as a SecretKeySelector', () => {
    const pd = amc.spec.receivers.find((r: any) => r.name === 'pagerduty').pagerdutyConfigs[0];
    expect(pd).toMatchObject({ routingKey: { name: routingKey.secretName, key: routingKey.key }, sendResolved: true, class: 'security', description: '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}' });
    expect(pd.serviceKey).toBeUndefined();
  });

  test('routes with structured matchers and timing', () => {
    expect(amc.spec.route).toMatchObject({ receiver: 'null', groupBy: ['alertname', 'namespace', 'exported_namespace'], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' });
    expect(amc.spec.route.routes.map((r: any) => r.receiver)).toEqual(['deadmansswitch', 'payments-pager', 'pagerduty', 'security-slack']);
    expect(amc.spec.route.routes[2].matchers).toEqual([{ name: 'severity', value: 'critical', matchType: '=' }]);
  });

  test('the equivalent alertmanager.yaml passes amtool check-config', () => {
    expect(checkConfig(alerting.toAlertmanagerYaml())).toContain('SUCCESS');
  });

  test('details are sorted key/value pairs', () => {
    const a = alertingIn({ pagerDuty: { routingKeySecret: routingKey, details: { runbook: '{{ .CommonAnnotations.runbook_url }}', cluster: 'prod' } } });
    const pd = findObject(synth(a), 'AlertmanagerConfig').spec.receivers[1].pagerdutyConfigs[0];
    expect(pd.details).toEqual([{ key: 'cluster', value: 'prod' }, { key: 'runbook', value: '{{ .CommonAnnotations.runbook_url }}' }]);
    expect(checkConfig(a.toAlertmanagerYaml())).toContain('SUCCESS');
  });

  test('matcher strategy: a config outside the Alertmanager namespace is refused with ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE', () => {
    const output = AlertingOutput.alertmanagerConfig({ matcherStrategy: AlertmanagerMatcherStrategy.ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE, alertmanagerNamespace: 'monitoring' });
    expect(() => alertingIn({ output })).toThrow(
      'test/stack/alerting: the AlertmanagerConfig is in namespace "security-monitoring", not in the Alertmanager\'s namespace (got "monitoring"): with ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE only configs in "monitoring" see every alert: set namespace: "monitoring"');
    expect(() => alertingIn({ output, namespace: 'monitoring' })).not.toThrow();
    expect(() => AlertingOutput.alertmanagerConfig({ matcherStrategy: AlertmanagerMatcherStrategy.ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE }))
      .toThrow('AlertingOutput.alertmanagerConfig: alertmanagerNamespace is required with ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE');
  });

  test('synthesizes byte-identical YAML twice', () => {
    expectDeterministic(() => fullSetup(AlertingOutput.alertmanagerConfig()));
  });

  test('snapshot', () => {
    expect(amc).toMatchSnapshot();
  });
});

describe('routing mutators', () => {
  test('routeSeverity replaces a severity\'s receiver; routeTeam can take warnings on another label', () => {
    const a = alertingIn({ output: AlertingOutput.configSecret() });
    a.routeSeverity(AlertSeverity.WARNING, deadMansSwitch());
    a.routeTeam('identity', slack(), { label: 'owner', severity: AlertSeverity.WARNING });
    const config = a.toAlertmanagerYaml();
    expect(checkConfig(config)).toContain('SUCCESS');
    expect(routesTo(config, { severity: 'warning' })).toEqual(['deadmansswitch']);
    expect(routesTo(config, { severity: 'warning', owner: 'identity' })).toEqual(['security-slack']);
  });

  test('routes keep what was validated: a later change to the caller\'s objects does not reach alertmanager.yaml', () => {
    const a = alertingIn();
    a.addReceiver(slack());
    const groupBy = ['alertname'];
    const matchers = [AlertMatcher.equal('team', 'payments')];
    a.addRoute({ matchers, receiver: 'security-slack', groupBy });
    groupBy.push('not a label');
    matchers.length = 0;
    const config = a.toAlertmanagerYaml();
    expect(checkConfig(config)).toContain('SUCCESS');
    expect(routesTo(config, { team: 'payments', severity: 'critical' })).toEqual(['security-slack']);
    expect(config).not.toContain('not a label');
  });

  test('Go regexp syntax in a matcher ((?i), named groups, \\d) is accepted and routes as amtool reads it', () => {
    const a = alertingIn();
    a.addReceiver(slack());
    a.addRoute({ matchers: [AlertMatcher.parse('alertname=~"(?i)falco(?P<rule>[a-z]+)\\\\d*"')], receiver: 'security-slack' });
    const config = a.toAlertmanagerYaml();
    expect(checkConfig(config)).toContain('SUCCESS');
    expect(routesTo(config, { alertname: 'FALCOshell2', severity: 'critical' })).toEqual(['security-slack']);
    expect(routesTo(config, { alertname: 'KubeApiDown', severity: 'critical' })).toEqual(['pagerduty']);
  });

  test('addRoute with continue delivers to both receivers', () => {
    const a = alertingIn();
    a.addReceiver(slack());
    a.addRoute({ matchers: [AlertMatcher.parse('category=~"runtime|network"')], receiver: 'security-slack', continue: true, groupWait: Duration.seconds(10) });
    expect(routesTo(a.toAlertmanagerYaml(), { category: 'runtime', severity: 'critical' })).toEqual(['security-slack', 'pagerduty']);
  });
});

describe('a webhook URL from a Secret (the dead man\'s switch)', () => {
  const urlSecret = { secretName: 'deadman', key: 'url' };
  const withSecretUrl = (output: AlertingOutput) => alertingIn({ output, deadMansSwitch: AlertReceiver.webhook('deadmansswitch', { urlSecret }) });

  test('AlertmanagerConfig: urlSecret is a SecretKeySelector, and the manifests stay valid', () => {
    const manifests = synth(withSecretUrl(AlertingOutput.alertmanagerConfig()));
    expectValidManifests(manifests);
    const receiver = findObject(manifests, 'AlertmanagerConfig').spec.receivers.find((r: any) => r.name === 'deadmansswitch');
    expect(receiver.webhookConfigs).toEqual([{ urlSecret: { name: 'deadman', key: 'url' }, sendResolved: true }]);
  });

  test('alertmanager.yaml: url_file under the mounted Secret, listed with the Secrets to mount', () => {
    const alerting = withSecretUrl(AlertingOutput.configSecret());
    expect(alerting.toAlertmanagerYaml()).toContain('url_file: /etc/alertmanager/secrets/deadman/url');
    expect(alerting.toAlertmanagerYaml()).not.toMatch(/^\s*url:/m);
    expect(alerting.requiredSecrets).toEqual(expect.arrayContaining([urlSecret]));
  });
});

describe('bad input', () => {
  test.each<[string, () => unknown, string]>([
    ['missing pagerDuty', () => alertingIn({ pagerDuty: undefined }),
      'test/stack/alerting: pagerDuty is missing (got undefined): pass pagerDuty: { routingKeySecret: { secretName: "<secret>", key: "<key>" } } naming the Secret that holds the Events API v2 routing key'],
    ['missing routing key reference', () => alertingIn({ pagerDuty: {} as any }),
      'AlertReceiver.pagerDuty("pagerduty"): routingKeySecret is missing (got undefined): reference the Secret that holds it, e.g. { secretName: "pagerduty", key: "routing-key" }; never put the value itself in the manifest'],
    ['invalid secret key', () => alertingIn({ pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing key' } } }),
      'AlertReceiver.pagerDuty("pagerduty"): routingKeySecret.key is not a valid Secret key (got "routing key"): use letters, digits, \'-\', \'_\' or \'.\''],
    ['duration as a string', () => alertingIn({ groupWait: '30s' as any }),
      'test/stack/alerting: groupWait is not a Duration (got "30s"): pass a cdk8s Duration: Duration.seconds(30)'],
    // amtool check-config: "group_interval cannot be zero", "repeat_interval cannot be zero".
    ['zero group interval', () => alertingIn({ groupInterval: Duration.seconds(0) }),
      'test/stack/alerting: groupInterval is zero, which Alertmanager refuses (got "0s"): use at least Duration.seconds(1), e.g. Duration.minutes(5)'],
    ['zero repeat interval on a route', () => alertingIn().addRoute({ matchers: [AlertMatcher.equal('team', 'db')], receiver: 'null', repeatInterval: Duration.millis(0) }),
      'repeatInterval is zero, which Alertmanager refuses (got "0s")'],
    ['sub-millisecond group wait', () => alertingIn({ groupWait: Duration.millis(0.25) }),
      'test/stack/alerting: groupWait is not a whole number of milliseconds (got "0.25ms")'],
    ['invalid groupBy label', () => alertingIn({ groupBy: ['alert-name'] }),
      'test/stack/alerting: groupBy is not a valid Prometheus label name (got "alert-name")'],
    ['unbalanced template', () => alertingIn({ pagerDuty: { routingKeySecret: routingKey, description: '{{ .CommonLabels.alertname ' } }),
      'AlertReceiver.pagerDuty("pagerduty"): description is not a valid Go template: "{{" without a closing "}}" (got "{{ .CommonLabels.alertname "): write actions as {{ ... }} and close every if/range/with with {{ end }}'],
    ['if without end', () => alertingIn({ pagerDuty: { routingKeySecret: routingKey, severity: '{{ if .CommonLabels.x }}critical' } }),
      'severity is not a valid Go template: "if" without "end"'],
    // Alertmanager would fail every page with these (amtool template render: function "..." not defined, undefined variable).
    ['unknown template function', () => alertingIn({ pagerDuty: { routingKeySecret: routingKey, details: { team: '{{ .CommonLabels.team | toupper }}' } } }),
      'details["team"] is not a valid Go template: it calls "toupper", which is not a template function (got "{{ .CommonLabels.team | toupper }}"): did you mean "toUpper"?'],
    ['undefined template variable', () => alertingIn({ pagerDuty: { routingKeySecret: routingKey, component: '{{ $labels.namespace }}' } }),
      'component is not a valid Go template: it reads "$labels", which is not defined (got "{{ $labels.namespace }}"): declare it first with {{ $labels := ... }}'],
    ['webhook with credentials', () => AlertReceiver.webhook('w', { url: 'https://user:pw@example.com/x' }),
      'AlertReceiver.webhook("w"): url contains user-info (user:password@), which would be written into the manifests (got "https://***@example.com/x"): '
        + 'pass urlSecret: { secretName, key } of a Secret that holds the value instead'],
    ['webhook with a token in its query', () => AlertReceiver.webhook('w', { url: 'https://deadman.example.com/ping?token=s3cr3t' }),
      'AlertReceiver.webhook("w"): url contains a credential query parameter, which would be written into the manifests (got "https://deadman.example.com/ping?token=***"): '
        + 'pass urlSecret: { secretName, key } of a Secret that holds the value instead'],
    ['webhook with both url and urlSecret', () => AlertReceiver.webhook('w', { url: 'https://example.com/x', urlSecret: { secretName: 'deadman', key: 'url' } }),
      'AlertReceiver.webhook("w"): exactly one of url and urlSecret must be set (got ["url","urlSecret"]): set url to the URL, or urlSecret: { secretName, key } of a Secret that holds a URL carrying a credential'],
    ['webhook URL Secret as a string', () => AlertReceiver.webhook('w', { urlSecret: 'https://hooks.example.com/T0/B0/abc' as any }),
      'AlertReceiver.webhook("w"): urlSecret is a string, not a reference to a Secret (got "a string of 35 characters, not shown"): pass { secretName, key } of the Secret that holds the value'],
    ['receiver name', () => AlertReceiver.none('Null'), 'AlertReceiver: receiver name is not a valid DNS-1123 label (got "Null")'],
  ])('%s', (_what, build, message) => {
    expect(build).toThrow(message);
  });

  test('duplicate receiver names', () => {
    const a = alertingIn();
    a.addReceiver(slack());
    expect(() => a.addReceiver(slack())).toThrow(
      'test/stack/alerting: receiver "security-slack" is already defined (got "security-slack"): give each receiver a unique name, or pass the same AlertReceiver object again');
    expect(() => a.routeTeam('x', AlertReceiver.none())).toThrow('receiver "null" is already defined');
  });

  test('unknown receiver in a route', () => {
    const a = alertingIn();
    a.addRoute({ matchers: [AlertMatcher.equal('team', 'payments')], receiver: 'payments-pager' });
    expect(() => synth(a)).toThrow(
      'test/stack/alerting: route refers to an unknown receiver (got "payments-pager"): add it with addReceiver() first; known receivers: null, pagerduty');
  });

  test('route without matchers', () => {
    expect(() => alertingIn().addRoute({ matchers: [], receiver: 'null' })).toThrow('test/stack/alerting: route needs at least one AlertMatcher (got []):');
  });

  test('namespace is required (a stack passes its own; see test/stack/context-flows-down.test.ts)', () => {
    expect(() => new PagerDutyAlerting(Testing.chart(), 'a', { pagerDuty: { routingKeySecret: routingKey } })).toThrow('a: namespace is missing (got undefined): pass the namespace the alerting config goes to');
    expect(synth(new PagerDutyAlerting(Testing.chart(), 'a', { pagerDuty: { routingKeySecret: routingKey }, namespace: 'monitoring' }))[0].metadata.namespace).toBe('monitoring');
  });
});
