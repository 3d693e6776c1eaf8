import { parse } from 'yaml';
import { secretMaterial, tlsVerificationOff } from './output-scan';
import { SCENARIOS, TEST_SECRETS } from './scenarios';
import { containerViolations, expectSecureDefaults, networkPolicyViolations, rbacViolations, secureDefaultsViolations } from './secure-defaults';
import { expectValidManifests, findObject, Manifest, synth, synthYaml } from '../util';

describe.each(SCENARIOS)('$name', ({ build }) => {
  const chart = build();
  const manifests = synth(chart);
  const yaml = synthYaml(chart);

  test('validates and keeps every secure default', () => {
    expectValidManifests(manifests);
    expectSecureDefaults(manifests);
  });

  test('renders no secret material, only references', () => {
    expect(secretMaterial(yaml)).toEqual([]);
  });

  test('verifies TLS certificates on every outbound connection', () => {
    expect(tlsVerificationOff(yaml, manifests)).toEqual([]);
  });

  test('is byte-identical across two synths', () => {
    expect(synthYaml(build())).toEqual(yaml);
  });
});

describe('the full stack connects out over verified TLS by default', () => {
  const manifests = synth(SCENARIOS.find((s) => s.name === 'stack with every component')!.build());

  test('every Fluent Bit output', () => {
    const outputs = parse(findObject(manifests, 'ConfigMap', 'fluent-bit').data['fluent-bit.yaml']).pipeline.outputs;
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      // Kafka speaks TLS through librdkafka's settings, every other plugin through Fluent Bit's.
      expect(output).toMatchObject(output.name === 'kafka'
        ? { 'rdkafka.security.protocol': 'sasl_ssl', 'rdkafka.enable.ssl.certificate.verification': 'true' }
        : { 'tls': 'on', 'tls.verify': 'on' });
    }
  });

  test('every falcosidekick output leaving the cluster uses https', () => {
    const env = findObject(manifests, 'Deployment', 'falco-falcosidekick').spec.template.spec.containers[0].env;
    const urls: string[] = env.filter((e: any) => /_(HOST|HOSTPORT|ADDRESS)$/.test(e.name)).map((e: any) => e.value);
    // Talon is the stack's own in-cluster Service and serves plain HTTP only; its
    // NetworkPolicy admits only falcosidekick.
    const external = urls.filter((url) => url !== 'http://falco-talon.security-monitoring.svc:2803');
    expect(external.length).toBe(urls.length - 1);
    for (const url of external) expect(url).toMatch(/^https:\/\//);
  });
});

test('the full stack renders every test secret as a reference', () => {
  const yaml = synthYaml(SCENARIOS.find((s) => s.name === 'stack with every component')!.build());
  for (const ref of Object.values(TEST_SECRETS)) {
    expect(yaml).toContain(ref.secretName);
  }
});

// The checks themselves must be able to fail: each catches a planted defect.
describe('the checks catch planted defects', () => {
  const deployment = (container: Record<string, any>, pod: Record<string, any> = {}): Manifest => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x', namespace: 'ns' },
    spec: { template: { metadata: { labels: { 'app.kubernetes.io/name': 'x' } }, spec: { containers: [{ name: 'c', ...container }], ...pod } } },
  });

  test('containers', () => {
    expect(containerViolations([deployment({ image: 'nginx:latest' })])).toEqual([
      'Deployment ns/x containers[c]: needs cpu and memory requests and limits',
      'Deployment ns/x containers[c]: root filesystem is writable',
      'Deployment ns/x containers[c]: does not drop ALL capabilities',
      'Deployment ns/x containers[c]: seccomp profile is unset, not RuntimeDefault',
      'Deployment ns/x containers[c]: image nginx:latest is not pinned',
      'Deployment ns/x containers[c]: long-running container without liveness and readiness probes',
    ]);
    const falco = deployment({ name: 'falco', image: 'falco:1', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } });
    falco.spec.template.metadata.labels['app.kubernetes.io/name'] = 'falco';
    expect(containerViolations([falco])).toContain('Deployment ns/x containers[falco]: adds ["SYS_ADMIN"], not exactly ["BPF","SYS_RESOURCE","PERFMON","SYS_PTRACE"]');
  });

  test('RBAC and tokens', () => {
    const manifests: Manifest[] = [
      { kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ apiGroups: ['*'], resources: ['secrets'], verbs: ['*'] }] },
      { kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'r' }, subjects: [{ kind: 'ServiceAccount', namespace: 'ns', name: 'sa' }] },
      { kind: 'ClusterRoleBinding', metadata: { name: 'admin' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [] },
      { kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'ns' } },
      deployment({}),
    ];
    expect(rbacViolations(manifests)).toEqual([
      'ClusterRole r: wildcard in verbs',
      'ClusterRole r: wildcard in apiGroups',
      'ClusterRoleBinding b: lets ServiceAccount ns/sa read Secrets',
      'ClusterRoleBinding admin: binds cluster-admin',
      'ServiceAccount ns/sa: automountServiceAccountToken is not false',
      'Deployment ns/x: pod automountServiceAccountToken is not false, but "x" does not use the API',
    ]);
  });

  test('NetworkPolicies and privileged namespaces', () => {
    const ns: Manifest = { kind: 'Namespace', metadata: { name: 'ns', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } };
    const open: Manifest = { kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'ns' }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] } };
    expect(networkPolicyViolations([deployment({}, { hostNetwork: true }), open])).toEqual([
      'Deployment ns/x: no NetworkPolicy restricts ingress to named ports',
      'Deployment ns/x: uses hostNetwork, which NetworkPolicies do not cover',
    ]);
    expect(secureDefaultsViolations([ns, deployment({})])).toContain('Deployment ns/x: runs in privileged namespace but "x" is not allow-listed');
  });

  test('secret material and TLS', () => {
    expect(secretMaterial([
      'routing_key: 0123456789abcdef0123456789abcdef',
      'authorization: Bearer abcdefgh12345',
      'password: hunter2',
      'token: 12345678-1234-1234-1234-123456789abc',
    ].join('\n'))).toEqual([
      'PagerDuty integration/routing key: "0123456789abcdef0123456789abcdef"',
      'Splunk HEC token (GUID): "12345678-1234-1234-1234-123456789abc"',
      'Bearer token: "Bearer abcdefgh12345"',
      'literal credential: routing_key: 0123456789abcdef0123456789abcdef',
      'literal credential: password: hunter2',
      'literal credential: token: 12345678-1234-1234-1234-123456789abc',
    ]);
    expect(tlsVerificationOff('tls.verify: off\n', [])).toEqual(['Fluent Bit tls.verify off']);
  });
});
