import { ApiObject, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AuditPolicy, FalcoAuditWebhook, FalcosidekickOutput, KuberhealthyApi, PodSecurityLevel, PrometheusSelector, SecurityMonitoringStack,
  SecurityMonitoringStackProps, SiemDestination, TalonActionner,
} from '../../src';
import { expectDeterministic, expectValidManifests, findObject, synth } from '../util';

function stackIn(props?: SecurityMonitoringStackProps, chart: Chart = Testing.chart()) {
  return new SecurityMonitoringStack(chart, 'stack', props);
}

describe('SecurityMonitoringStack defaults', () => {
  const stack = stackIn();
  const manifests = synth(stack);

  test('creates a restricted namespace for the stack and a privileged one for Falco', () => {
    const main = findObject(manifests, 'Namespace', 'security-monitoring');
    const falco = findObject(manifests, 'Namespace', 'falco');
    expect(main.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(falco.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(manifests.filter((m) => m.metadata.labels?.['pod-security.kubernetes.io/enforce'] === 'privileged')).toEqual([falco]);
  });

  test('labels every object with part-of and managed-by', () => {
    for (const m of manifests) {
      expect(m.metadata.labels).toMatchObject({
        'app.kubernetes.io/part-of': 'security-monitoring',
        'app.kubernetes.io/managed-by': 'cdk8s-security-monitoring',
      });
    }
  });

  test('cluster-scoped objects carry no namespace', () => {
    for (const m of manifests.filter((o) => o.kind === 'Namespace')) {
      expect(m.metadata.namespace).toBeUndefined();
    }
  });

  test('every object validates against the Kubernetes schema', () => {
    expectValidManifests(manifests);
  });

  test('exposes its namespaces and their Pod Security levels', () => {
    expect(stack.namespace).toBe('security-monitoring');
    expect(stack.falcoNamespace).toBe('falco');
    expect(stack.podSecurityLevelOf('security-monitoring')).toBe(PodSecurityLevel.RESTRICTED);
    expect(stack.podSecurityLevelOf('falco')).toBe(PodSecurityLevel.PRIVILEGED);
    expect(stack.podSecurityLevelOf('kube-system')).toBeUndefined();
  });

  test('synthesizes byte-identical YAML twice', () => {
    expectDeterministic(() => stackIn());
  });

  test('matches the snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });
});

describe('SecurityMonitoringStack options', () => {
  test('name, namespaces, labels and Pod Security version show up in the manifests', () => {
    const stack = stackIn({ name: 'prod-sec', namespace: 'sec', falcoNamespace: 'runtime', labels: { team: 'security' }, podSecurityVersion: 'v1.30' });
    const manifests = synth(stack);
    expect(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name).sort()).toEqual(['runtime', 'sec']);
    const sec = findObject(manifests, 'Namespace', 'sec');
    expect(sec.metadata.labels).toMatchObject({
      'team': 'security',
      'app.kubernetes.io/part-of': 'prod-sec',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
    });
    expectValidManifests(manifests);
  });

  test('works in a chart that has a default namespace, without namespacing Namespaces', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'apps', { namespace: 'apps' });
    const manifests = synth(stackIn({}, chart));
    const namespaces = manifests.filter((m) => m.kind === 'Namespace');
    expect(namespaces).toHaveLength(2);
    for (const m of namespaces) expect(m.metadata.namespace).toBeUndefined();
    expectValidManifests(manifests);
  });

  test('createNamespaces: false creates none but still knows their levels', () => {
    const stack = stackIn({ createNamespaces: false });
    expect(synth(stack).filter((m) => m.kind === 'Namespace')).toEqual([]);
    expect(stack.podSecurityLevelOf('falco')).toBe(PodSecurityLevel.PRIVILEGED);
  });

  test('labelsFor and metadataFor give components their labels and namespace', () => {
    const stack = stackIn({ labels: { team: 'sec' } });
    expect(stack.labelsFor('falco')).toEqual({
      'team': 'sec',
      'app.kubernetes.io/part-of': 'security-monitoring',
      'app.kubernetes.io/managed-by': 'cdk8s-security-monitoring',
      'app.kubernetes.io/component': 'falco',
    });
    expect(stack.metadataFor('siem', 'fluent-bit')).toEqual({ name: 'fluent-bit', namespace: 'security-monitoring', labels: stack.labelsFor('siem') });
    expect(stack.metadataFor('falco', 'falco', stack.falcoNamespace).namespace).toBe('falco');
  });

  test('addNamespace is idempotent per level and refuses a second level', () => {
    const stack = stackIn();
    stack.addNamespace('siem', PodSecurityLevel.BASELINE);
    stack.addNamespace('siem', PodSecurityLevel.BASELINE);
    expect(synth(stack).filter((m) => m.metadata.name === 'siem')).toHaveLength(1);
    expect(() => stack.addNamespace('falco', PodSecurityLevel.RESTRICTED)).toThrow(
      'test/stack: namespace "falco" is already declared with Pod Security level "privileged" (got "restricted"): run components that need different Pod Security levels in different namespaces',
    );
  });

  test('SecurityMonitoringStack.of finds the stack of a nested construct', () => {
    const stack = stackIn();
    const nested = new Construct(new Construct(stack, 'component'), 'rules');
    expect(SecurityMonitoringStack.of(nested)).toBe(stack);
    expect(() => SecurityMonitoringStack.of(new Construct(Testing.chart(), 'loose')))
      .toThrow('test/loose: construct is not part of a SecurityMonitoringStack (got "test/loose")');
  });
});

describe('SecurityMonitoringStack audit policy', () => {
  test('the production preset by default, as a ConfigMap in the stack namespace with the stack labels', () => {
    const stack = stackIn();
    const configMap = findObject(synth(stack), 'ConfigMap', 'audit-policy');
    expect(configMap.metadata.namespace).toBe('security-monitoring');
    expect(configMap.metadata.labels['app.kubernetes.io/component']).toBe('audit-policy');
    expect(stack.auditPolicy!.policyFileContent).toBe(AuditPolicy.production().toYaml());
    expect(stack.auditPolicy!.logPath).toBe('/var/log/kubernetes/audit/audit.log');
  });

  test('options reach the wiring; enabled: false renders none', () => {
    const stack = stackIn({ auditPolicy: { policy: AuditPolicy.cisMinimal(), logMaxAge: Duration.days(90), falcoWebhook: new FalcoAuditWebhook() } });
    expect(stack.auditPolicy!.policy.rules).toEqual(AuditPolicy.cisMinimal().rules);
    expect(stack.auditPolicy!.apiServerFlags()).toContain('--audit-log-maxage=90');
    expect(stack.auditPolicy!.webhookConfigContent).toContain('http://falco-k8saudit.falco.svc:9765/k8s-audit');
    const disabled = stackIn({ auditPolicy: { enabled: false }, falco: { enabled: false } });
    expect(disabled.auditPolicy).toBeUndefined();
    // The dashboard ConfigMap is not part of the audit or Falco wiring.
    const configMaps = synth(disabled).filter((m) => m.kind === 'ConfigMap' && m.metadata.labels['app.kubernetes.io/component'] !== 'dashboard');
    expect(configMaps).toEqual([]);
  });
});

describe('SecurityMonitoringStack rejects bad input with the standard error', () => {
  test.each<[SecurityMonitoringStackProps, string]>([
    [{ name: 'Security_Monitoring' }, 'test/stack: name is not a valid DNS-1123 label (got "Security_Monitoring"): use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit (did you mean "security-monitoring"?)'],
    [{ namespace: 'Security' }, 'test/stack: namespace is not a valid DNS-1123 label (got "Security"): use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit (did you mean "security"?)'],
    [{ namespace: '' }, 'test/stack: namespace is not a valid DNS-1123 label (got "")'],
    [{ falcoNamespace: 'falco.system' }, 'test/stack: falcoNamespace is not a valid DNS-1123 label (got "falco.system")'],
    [{ namespace: 'sec', falcoNamespace: 'sec' }, 'test/stack: falcoNamespace must differ from namespace (got "sec"): Falco needs a privileged namespace'],
    [{ labels: { team: 'Security Team' } }, 'test/stack: labels["team"] is not a valid label value (got "Security Team")'],
    [{ labels: { 'bad key!': 'x' } }, 'test/stack: labels key is not a valid label key (got "bad key!")'],
    [{ podSecurityVersion: '1.30' }, 'test/stack: podSecurityVersion is not a Kubernetes minor version (got "1.30"): use "latest" or a version such as "v1.30"'],
  ])('%j', (props, message) => {
    expect(() => stackIn(props)).toThrow(message);
  });
});

describe('SecurityMonitoringStack alerting', () => {
  test('no alerting unless a PagerDuty key reference is given', () => {
    const stack = stackIn();
    expect(stack.alerting).toBeUndefined();
    expect(synth(stack).filter((m) => m.kind === 'AlertmanagerConfig')).toEqual([]);
  });

  test('routes critical alerts to PagerDuty from the stack namespace, with the stack labels', () => {
    const stack = stackIn({ namespace: 'sec', alerting: { pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } } } });
    const manifests = synth(stack);
    const config = findObject(manifests, 'AlertmanagerConfig', 'security-alerting');
    expect(config.metadata.namespace).toBe('sec');
    expect(config.metadata.labels['app.kubernetes.io/component']).toBe('alerting');
    expect(stack.alerting!.routingExpectations().find((c) => c.labels.severity === 'critical')!.receiver).toBe('pagerduty');
    expectValidManifests(manifests);
  });

  test('a missing routing key reference is a clear error', () => {
    expect(() => stackIn({ alerting: { pagerDuty: {} as any } })).toThrow('AlertReceiver.pagerDuty("pagerduty"): routingKeySecret is missing (got undefined)');
  });
});

describe('SecurityMonitoringStack alerts', () => {
  test('ships the security alert catalogue in the stack namespace by default', () => {
    const stack = stackIn({ namespace: 'sec' });
    const rule = findObject(synth(stack), 'PrometheusRule');
    expect(rule.metadata).toEqual({ name: 'security-monitoring-security-alerts', namespace: 'sec', labels: stack.labelsFor('alerts') });
    expect(stack.alerts!.groups.map((g) => g.name)).toEqual(['security.apiserver', 'security.falco', 'security.workloads', 'security.pipeline']);
  });

  test('groups, selector preset and the Falco group follow the options', () => {
    const stack = stackIn({ alerts: { selector: PrometheusSelector.kubePrometheusStack('kps'), falco: false, workloads: false } });
    const rule = findObject(synth(stack), 'PrometheusRule');
    expect(rule.metadata.labels.release).toBe('kps');
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['security.apiserver', 'security.pipeline']);
    expectValidManifests(synth(stack));
  });

  test('can be turned off', () => {
    const stack = stackIn({ alerts: { enabled: false } });
    expect(stack.alerts).toBeUndefined();
    expect(synth(stack).filter((m) => m.kind === 'PrometheusRule')).toEqual([]);
  });
});

describe('SecurityMonitoringStack escape hatches', () => {
  /** Every part the stack can create, with each option that turns one on. */
  const everything: SecurityMonitoringStackProps = {
    auditPolicy: { falcoWebhook: new FalcoAuditWebhook({ namespace: 'falco-audit' }) },
    falco: { falcosidekick: { outputs: [FalcosidekickOutput.webhook({ url: 'http://hooks.internal/falco' })] } },
    siem: { destinations: [SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' } })] },
    alerting: { pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } } },
    anomalyDetection: {},
    response: {
      talon: {
        rules: [{
          name: 'Label shells',
          match: { rules: ['Terminal shell in container'] },
          actions: [{ name: 'label', actionner: TalonActionner.label({ 'security.quarantine': 'true' }) }],
        }],
      },
      quarantineNamespaces: ['shop'],
      kuberhealthy: KuberhealthyApi.v2Legacy(),
    },
    compliance: {},
  };

  test('a toleration added to Falco\'s DaemonSet through stack.falco.workload is in the stack\'s manifests', () => {
    const stack = stackIn();
    const gpu = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };
    ApiObject.of(stack.falco!.workload).addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations/-', gpu));
    expect(findObject(synth(stack), 'DaemonSet', 'falco').spec.template.spec.tolerations).toContainEqual(gpu);
  });

  test('every object the stack renders belongs to a component it exposes, or is one of its namespaces', () => {
    const stack = stackIn(everything);
    const components: Array<[string, Construct | undefined]> = [
      ['alerting', stack.alerting], ['auditPolicy', stack.auditPolicy], ['falco', stack.falco], ['falcoAuditReceiver', stack.falcoAuditReceiver],
      ['siem', stack.siem], ['anomalyDetector', stack.anomalyDetector], ['alerts', stack.alerts], ['dashboard', stack.dashboard],
      ['talon', stack.talon], ['healthCheck', stack.healthCheck], ['quarantine', stack.quarantine], ['kubeBench', stack.kubeBench],
      ['kpiRules', stack.kpiRules],
    ];
    expect(components.filter(([, c]) => c === undefined).map(([name]) => name)).toEqual([]);
    const owner = (o: ApiObject) => {
      const component = components.find(([, c]) => o.node.scopes.includes(c!));
      if (component) return component[0];
      const namespace = Object.entries(stack.namespaces).find(([, ns]) => ns === o);
      return namespace ? `namespaces.${namespace[0]}` : `nothing: ${o.node.path}`;
    };
    const objects = stack.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    expect(new Set(objects.map(owner))).toEqual(new Set([
      ...components.map(([name]) => name),
      ...['falco', 'falco-audit', 'security-compliance', 'security-logging', 'security-monitoring'].map((ns) => `namespaces.${ns}`),
    ]));
    expect(synth(stack)).toHaveLength(objects.length);
  });

  test('namespaces: the Namespace objects by name, each patchable; none when the stack does not create them', () => {
    const stack = stackIn();
    expect(Object.entries(stack.namespaces).map(([name, ns]) => `${name}: ${ns.kind}/${ns.name} (${ns.node.id})`)).toEqual([
      'security-monitoring: Namespace/security-monitoring (security-monitoring-namespace)',
      'falco: Namespace/falco (falco-namespace)',
    ]);
    stack.namespaces.falco.metadata.addAnnotation('scheduler.alpha.kubernetes.io/node-selector', 'pool=security');
    stack.addFilebeatPipeline('filebeat', { elasticsearch: { host: 'elasticsearch.example.com' } });
    expect(Object.keys(stack.namespaces)).toEqual(['security-monitoring', 'falco', 'security-logging']);
    expect(findObject(synth(stack), 'Namespace', 'falco').metadata.annotations).toEqual({ 'scheduler.alpha.kubernetes.io/node-selector': 'pool=security' });
    expect(stackIn({ createNamespaces: false }).namespaces).toEqual({});
  });
});
