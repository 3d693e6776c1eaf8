import { Duration, Testing } from 'cdk8s';
import { DaemonSetHealthCheck, KuberhealthyApi, KuberhealthyCheck, KuberhealthyCheckProps, SecurityMonitoringStack } from '../../src';
import { expectDeterministic, expectValidManifests, findObject, Manifest, podSecurityViolations, synth } from '../util';

const base: KuberhealthyCheckProps = { name: 'probe', namespace: 'checks', image: 'docker.io/curlimages/curl:8.11.1' };

function synthCheck(props: Partial<KuberhealthyCheckProps> = {}): Manifest[] {
  return synth(new KuberhealthyCheck(Testing.chart(), 'check', { ...base, ...props }));
}

describe('KuberhealthyCheck', () => {
  test('v3 (default): kuberhealthy.github.io/v2 HealthCheck with podSpec {metadata, spec}', () => {
    const manifests = synthCheck({ runInterval: Duration.minutes(90), timeout: Duration.seconds(45), labels: { team: 'sec' } });
    expectValidManifests(manifests);
    const check = findObject(manifests, 'HealthCheck', 'probe');
    expect(check.apiVersion).toBe('kuberhealthy.github.io/v2');
    expect(check.spec.runInterval).toBe('1h30m');
    expect(check.spec.timeout).toBe('45s');
    expect(check.spec.podSpec.metadata).toEqual({ labels: { 'team': 'sec', 'app.kubernetes.io/name': 'probe' } });
    expect(findObject(manifests, 'NetworkPolicy', 'probe').spec).toMatchObject({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'probe' } }, ingress: [] });
    expect(check.spec.podSpec.spec.containers[0].image).toBe('docker.io/curlimages/curl:8.11.1');
  });

  test('v2Legacy: comcast.github.io/v1 KuberhealthyCheck with a plain PodSpec', () => {
    const manifests = synthCheck({ api: KuberhealthyApi.v2Legacy() });
    expectValidManifests(manifests);
    const check = findObject(manifests, 'KuberhealthyCheck', 'probe');
    expect(check.apiVersion).toBe('comcast.github.io/v1');
    expect(check.spec).toMatchObject({ runInterval: '10m', timeout: '5m' });
    expect(check.spec.podSpec.containers[0].name).toBe('check');
    expect(KuberhealthyApi.v2Legacy().apiVersion).toBe('comcast.github.io/v1');
  });

  test.each([['v3', KuberhealthyApi.v3(), (s: any) => s.spec.podSpec.spec], ['v2Legacy', KuberhealthyApi.v2Legacy(), (s: any) => s.spec.podSpec]])(
    '%s pod passes the restricted Pod Security Standard', (_, api, podSpecOf) => {
      const manifests = synthCheck({ api, scripts: { 'check.sh': 'exit 0' }, command: ['/bin/sh', '/scripts/check.sh'] });
      const check = manifests.find((m) => m.spec?.podSpec)!;
      expect(podSecurityViolations({ metadata: {}, spec: podSpecOf(check) }, 'restricted')).toEqual([]);
      const container = podSpecOf(check).containers[0];
      expect(container.resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } });
      expect(container.volumeMounts).toEqual([{ name: 'scripts', mountPath: '/scripts', readOnly: true }]);
      expect(findObject(manifests, 'ConfigMap', 'probe').data).toEqual({ 'check.sh': 'exit 0' });
    });

  test('without a ServiceAccount the pod gets no API token', () => {
    const check = findObject(synthCheck(), 'HealthCheck');
    expect(check.spec.podSpec.spec.automountServiceAccountToken).toBe(false);
  });

  test('a :latest image only with allowLatestImage', () => {
    expect(() => synthCheck({ image: 'kuberhealthy/deployment-check:latest' })).toThrow(
      'test/check: image is not pinned to a version (got "kuberhealthy/deployment-check:latest"): use a pinned reference such as "docker.io/curlimages/curl:8.11.1" or one with an @sha256: digest');
    const check = findObject(synthCheck({ image: 'kuberhealthy/deployment-check:latest', allowLatestImage: true }), 'HealthCheck');
    expect(check.spec.podSpec.spec.containers[0].image).toBe('kuberhealthy/deployment-check:latest');
  });
});

describe('KuberhealthyCheck beside the stack', () => {
  test('a check added to a SecurityMonitoringStack gets its namespace and labels, as the stack\'s own checks do', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { labels: { team: 'security' } });
    const manifests = synth(stack.addHealthCheck('dns', { name: 'dns', image: base.image, labels: { check: 'dns' } }));
    const check = findObject(manifests, 'HealthCheck', 'dns');
    expect(check.metadata.namespace).toBe('security-monitoring');
    expect(check.metadata.labels).toMatchObject({
      'team': 'security', 'check': 'dns', 'app.kubernetes.io/part-of': 'security-monitoring', 'app.kubernetes.io/component': 'health-check',
    });
    expect(stack.describe()).toContain('HealthCheck security-monitoring/dns');
  });

  test('built directly, the namespace is required, inside a stack or not (context flows down, never up)', () => {
    expect(() => new KuberhealthyCheck(Testing.chart(), 'check', { name: 'probe', image: base.image })).toThrow(
      'test/check: namespace is missing (got undefined): pass the namespace the check runs in');
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack');
    expect(() => new KuberhealthyCheck(stack, 'check', { name: 'probe', image: base.image })).toThrow('test/stack/check: namespace is missing');
  });
});

describe('DaemonSetHealthCheck', () => {
  const build = () => new DaemonSetHealthCheck(Testing.chart(), 'ds', {
    namespace: 'security-monitoring',
    daemonSets: [{ namespace: 'falco', name: 'falco' }, { namespace: 'logging', name: 'fluent-bit' }],
  });

  test('reads only the listed DaemonSets, by name, in their namespaces', () => {
    const manifests = synth(build());
    expectValidManifests(manifests);
    const roles = manifests.filter((m) => m.kind === 'Role');
    expect(roles.map((r) => [r.metadata.namespace, r.rules])).toEqual([
      ['falco', [{ apiGroups: ['apps'], resources: ['daemonsets'], resourceNames: ['falco'], verbs: ['get'] }]],
      ['logging', [{ apiGroups: ['apps'], resources: ['daemonsets'], resourceNames: ['fluent-bit'], verbs: ['get'] }]],
    ]);
    for (const binding of manifests.filter((m) => m.kind === 'RoleBinding')) {
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'security-daemonsets', namespace: 'security-monitoring' }]);
    }
    expect(manifests.filter((m) => m.kind === 'ClusterRole')).toEqual([]);
  });

  test('runs the script with the targets and reports to KH_REPORTING_URL', () => {
    const manifests = synth(build());
    const pod = findObject(manifests, 'HealthCheck').spec.podSpec.spec;
    expect(pod.serviceAccountName).toBe('security-daemonsets');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.containers[0].command).toEqual(['/bin/sh', '/scripts/check.sh']);
    expect(pod.containers[0].env).toEqual([{ name: 'DAEMONSETS', value: 'falco/falco logging/fluent-bit' }]);
    const script = findObject(manifests, 'ConfigMap', 'security-daemonsets').data['check.sh'];
    expect(script).toContain('"$KH_REPORTING_URL"');
    expect(script).toContain('kh-run-uuid: ${KH_RUN_UUID:-}');
    expect(script).toContain('/apis/apps/v1/namespaces/$NS/daemonsets/$NAME');
    expect(script).toContain('{"ok":true,"errors":[]}');
  });

  test('is deterministic and matches the snapshot', () => {
    expect(expectDeterministic(build)).toMatchSnapshot();
  });
});
