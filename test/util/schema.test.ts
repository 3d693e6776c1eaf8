import { expectValidManifests, loadCrdSchemas, schemaErrors } from './schema';

/** The schema helper is what every other test trusts: prove it catches what the API server rejects. */
describe('schema validation helper', () => {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'falco' } };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rules', namespace: 'falco' }, data: { 'a.yaml': 'x' } };
  const rule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'security', namespace: 'monitoring' },
    spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: '5m', labels: { severity: 'critical' } }] }] },
  };

  test('accepts valid core objects and custom resources', () => {
    expectValidManifests([namespace, configMap, rule]);
  });

  test.each<[string, any, string]>([
    ['unknown core field', { ...configMap, datum: {} }, '.datum: unknown field (not in V1ConfigMap)'],
    ['unknown nested core field', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'falco', namespace: 'falco' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'falco', image: 'x', securityContext: { privilegd: true } }] } } },
    }, '.spec.template.spec.containers[0].securityContext.privilegd: unknown field'],
    ['wrong core type', { ...configMap, data: { a: 1 } }, 'schema:'],
    ['missing required core field', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x', namespace: 'y' }, spec: {} }, 'schema:'],
    ['namespace on a cluster-scoped object', { ...namespace, metadata: { name: 'falco', namespace: 'default' } }, 'cluster-scoped Namespace must not set metadata.namespace'],
    ['missing namespace on a namespaced object', { ...configMap, metadata: { name: 'rules' } }, 'namespaced ConfigMap needs an explicit, valid metadata.namespace'],
    ['invalid name', { ...configMap, metadata: { name: 'Rules', namespace: 'falco' } }, 'metadata.name "Rules" is not a DNS-1123 subdomain'],
    ['unknown custom resource field', { ...rule, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up', severity: 'x' }] }] } }, 'must NOT have additional properties "severity"'],
    ['wrong custom resource type', { ...rule, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up', labels: { severity: 1 } }] }] } }, 'must be string'],
    ['unknown custom resource kind', { apiVersion: 'falco.security.dev/v1beta1', kind: 'FalcoRule', metadata: { name: 'x', namespace: 'y' } }, 'no CRD in'],
    ['unknown core kind', { apiVersion: 'v1', kind: 'Widget', metadata: { name: 'x' } }, 'no Kubernetes schema for v1 Widget'],
  ])('rejects %s', (_what, manifest, expected) => {
    expect(schemaErrors(manifest).join('\n')).toContain(expected);
    expect(() => expectValidManifests([manifest])).toThrow(expected);
  });

  test('compiles the schema of every served version of every CRD in shared/crds', () => {
    const kinds = [...loadCrdSchemas().keys()];
    expect(kinds).toEqual(expect.arrayContaining([
      'monitoring.coreos.com/v1/PrometheusRule', 'monitoring.coreos.com/v1alpha1/AlertmanagerConfig',
      'monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/PodMonitor',
      'grafana.integreatly.org/v1beta1/GrafanaDashboard', 'comcast.github.io/v1/KuberhealthyCheck',
      'kuberhealthy.github.io/v2/HealthCheck',
    ]));
    for (const kind of kinds) expect(typeof loadCrdSchemas().get(kind)!.validate()).toBe('function');
  });
});
