import { Testing } from 'cdk8s';
import { FalcoDeployment, FalcoDriver, FalcoPriority, FalcosidekickOutput, SecurityMonitoringStack } from '../../src';
import { expectValidManifests, findObject, synth } from '../util';

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
      falco: { falcosidekick: { outputs: [FalcosidekickOutput.webhook({ address: 'http://hooks.internal/falco' })] } },
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
