import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  FalcoAuditWebhook, FalcoDeployment, FalcoDriver, FalcoPlugin, FalcoPriority, FalcosidekickOutput, FalcoWorkload, FalcoWorkloadKind,
  PodSecurityLevel, SecurityMonitoringStack, SiemDestination,
} from '../../src';
import { expectPodSecurityAdmitted, expectValidManifests, findObject, podSecurityViolations, podTemplateOf, synth } from '../util';

describe('SecurityMonitoringStack deploys Falco', () => {
  test('by default, in the privileged Falco namespace, with the stack labels', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { falcoNamespace: 'runtime', labels: { team: 'sec' } });
    expect(stack.falco).toBeInstanceOf(FalcoDeployment);
    expect(stack.falco!.namespace).toBe('runtime');
    const manifests = synth(stack);
    expectValidManifests(manifests);
    const daemonSet = findObject(manifests, 'DaemonSet', 'falco');
    expect(daemonSet.metadata.namespace).toBe('runtime');
    expect(daemonSet.metadata.labels).toMatchObject({ 'team': 'sec', 'app.kubernetes.io/component': 'falco', 'app.kubernetes.io/part-of': 'security-monitoring' });
  });

  test('falcosidekick runs in the stack\'s restricted namespace, not next to privileged Falco', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', {
      falco: { falcosidekick: { outputs: [FalcosidekickOutput.webhook({ url: 'http://hooks.internal/falco' })] } },
    });
    const manifests = synth(stack);
    expectValidManifests(manifests);
    expect(findObject(manifests, 'Deployment', 'falco-falcosidekick').metadata.namespace).toBe('security-monitoring');
    expect(findObject(manifests, 'ConfigMap', 'falco').data['falco.yaml']).toContain('url: http://falco-falcosidekick.security-monitoring.svc:2801');
    const from = findObject(manifests, 'NetworkPolicy', 'falco-falcosidekick').spec.ingress[0].from;
    expect(from[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'falco' } });
  });

  test('passes the Falco settings through and exposes addRule', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { falco: { driver: FalcoDriver.kmod() } });
    stack.falco!.addRule({ name: 'R', description: 'd', condition: 'evt.type = open', output: 'o', priority: FalcoPriority.NOTICE });
    const manifests = synth(stack);
    expect(findObject(manifests, 'ConfigMap', 'falco-rules').data['custom-rules.yaml']).toContain('rule: R');
    expect(findObject(manifests, 'ConfigMap', 'falco').data['falco.yaml']).toContain('kind: kmod');
  });

  test('falco.enabled: false deploys no Falco', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { falco: { enabled: false } });
    expect(stack.falco).toBeUndefined();
    const manifests = synth(stack);
    expect(manifests.filter((m) => m.metadata.labels?.['app.kubernetes.io/component'] === 'falco')).toEqual([]);
    expect(manifests.filter((m) => ['DaemonSet', 'Deployment'].includes(m.kind))).toEqual([]);
  });
});

describe('SecurityMonitoringStack receives the audit webhook it configures', () => {
  const receivers = (manifests: any[]) => manifests.filter((m) => m.kind === 'Deployment' && m.metadata.name === 'falco-k8saudit');

  test('by default there is no webhook and no receiver (the default output is unchanged)', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack');
    expect(stack.falcoAuditReceiver).toBeUndefined();
    expect(receivers(synth(stack))).toEqual([]);
  });

  test('falcoWebhook: a plugin-only k8saudit Falco behind the Service the API server posts to', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { auditPolicy: { falcoWebhook: new FalcoAuditWebhook() } });
    const manifests = synth(stack);
    expectValidManifests(manifests);
    expectPodSecurityAdmitted(manifests);
    expect(stack.falcoAuditReceiver!.workloadKind).toBe(FalcoWorkloadKind.DEPLOYMENT);
    const [deployment] = receivers(manifests);
    expect(deployment.metadata.namespace).toBe('falco');
    expect(podSecurityViolations(podTemplateOf(deployment)!, 'restricted')).toEqual([]);
    const service = findObject(manifests, 'Service', 'falco-k8saudit');
    expect(stack.auditPolicy!.webhookConfigContent).toContain(`http://${service.metadata.name}.${service.metadata.namespace}.svc:${service.spec.ports[0].port}/k8s-audit`);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    // Its events and metrics reach the same places as the syscall Falco's.
    expect(findObject(manifests, 'ServiceMonitor', 'falco-k8saudit').metadata.namespace).toBe('falco');
    expect(findObject(manifests, 'ConfigMap', 'falco-k8saudit').data['falco.yaml']).toContain('json_output: true');
  });

  test('with falcosidekick, audit detections are forwarded to the same falcosidekick, which admits the receiver', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', {
      auditPolicy: { falcoWebhook: new FalcoAuditWebhook({ namespace: 'audit-sink' }) },
      falco: { falcosidekick: { outputs: [FalcosidekickOutput.webhook({ url: 'http://hooks.internal/falco' })] } },
    });
    const manifests = synth(stack);
    expectValidManifests(manifests);
    const receiverConfig = parse(findObject(manifests, 'ConfigMap', 'falco-k8saudit').data['falco.yaml']);
    expect(receiverConfig.http_output).toEqual({ enabled: true, url: stack.falco!.falcosidekick!.url });
    expect(receiverConfig.json_output).toBe(true);
    // One falcosidekick only, and its NetworkPolicy admits both Falcos' pods, each by namespace and labels.
    expect(manifests.filter((m) => m.kind === 'Deployment' && m.metadata.name.endsWith('falcosidekick')).map((m) => m.metadata.name)).toEqual(['falco-falcosidekick']);
    const receiverLabels = findObject(manifests, 'Deployment', 'falco-k8saudit').spec.selector.matchLabels;
    expect(findObject(manifests, 'NetworkPolicy', 'falco-falcosidekick').spec.ingress).toEqual([{
      from: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'falco' } }, podSelector: { matchLabels: findObject(manifests, 'DaemonSet', 'falco').spec.selector.matchLabels } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'audit-sink' } }, podSelector: { matchLabels: receiverLabels } },
      ],
      ports: [{ port: 2801, protocol: 'TCP' }],
    }]);
  });

  test('without falcosidekick, the receiver forwards nowhere', () => {
    const manifests = synth(new SecurityMonitoringStack(Testing.chart(), 'stack', { auditPolicy: { falcoWebhook: new FalcoAuditWebhook() } }));
    expect(parse(findObject(manifests, 'ConfigMap', 'falco-k8saudit').data['falco.yaml']).http_output).toBeUndefined();
  });

  test('a webhook into the stack\'s restricted namespace runs the receiver there', () => {
    const webhook = new FalcoAuditWebhook({ namespace: 'security-monitoring' });
    const manifests = synth(new SecurityMonitoringStack(Testing.chart(), 'stack', { auditPolicy: { falcoWebhook: webhook } }));
    expect(receivers(manifests)[0].metadata.namespace).toBe('security-monitoring');
    expectPodSecurityAdmitted(manifests);
  });

  test('the SIEM ships the receiver\'s events: with Falco\'s in Falco\'s namespace, as falco_k8saudit in a namespace of its own', () => {
    const splunk = SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'hec', key: 'token' } });
    const shared = new SecurityMonitoringStack(Testing.chart(), 'stack', { auditPolicy: { falcoWebhook: new FalcoAuditWebhook() }, siem: { destinations: [splunk] } });
    expect(shared.siem!.logTypes).toEqual(['container', 'security_audit', 'falco']);
    const own = new SecurityMonitoringStack(Testing.chart(), 'stack', {
      auditPolicy: { falcoWebhook: new FalcoAuditWebhook({ namespace: 'audit-sink' }) }, siem: { destinations: [splunk] },
    });
    expect(own.siem!.logTypes).toEqual(['container', 'security_audit', 'falco', 'falco_k8saudit']);
    const config = synth(own).find((o: any) => o.kind === 'ConfigMap' && typeof o.data?.['fluent-bit.yaml'] === 'string')!.data['fluent-bit.yaml'];
    expect(config).toContain('/var/log/containers/*_audit-sink_falco-');
  });

  test('a webhook into a namespace of its own gets a restricted Namespace', () => {
    const webhook = new FalcoAuditWebhook({ namespace: 'audit-sink' });
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { auditPolicy: { falcoWebhook: webhook } });
    expect(stack.podSecurityLevelOf('audit-sink')).toBe(PodSecurityLevel.RESTRICTED);
    expectPodSecurityAdmitted(synth(stack));
  });

  test('no second receiver when the stack\'s Falco loads k8saudit itself (syscall + k8saudit DaemonSet)', () => {
    const webhook = new FalcoAuditWebhook();
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', {
      auditPolicy: { falcoWebhook: webhook }, falco: { plugins: [FalcoPlugin.k8sAudit({ webhook })] },
    });
    const manifests = synth(stack);
    expect(stack.falcoAuditReceiver).toBeUndefined();
    expect(findObject(manifests, 'Service', 'falco-k8saudit').spec.selector['app.kubernetes.io/instance']).toBe('falco');
  });

  test('the stack\'s Falco can itself be plugin-only', () => {
    const manifests = synth(new SecurityMonitoringStack(Testing.chart(), 'stack', {
      falco: { workload: FalcoWorkload.deployment(), plugins: [FalcoPlugin.k8sAudit()] },
    }));
    expectValidManifests(manifests);
    expect(findObject(manifests, 'Deployment', 'falco').metadata.namespace).toBe('falco');
    expect(manifests.filter((m) => m.kind === 'DaemonSet' && m.metadata.name === 'falco')).toEqual([]);
  });

  test('no Falco, no receiver', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { falco: { enabled: false }, auditPolicy: { falcoWebhook: new FalcoAuditWebhook() } });
    expect(stack.falcoAuditReceiver).toBeUndefined();
  });
});
