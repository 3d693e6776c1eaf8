import { Testing } from 'cdk8s';
import { QuarantineNetworkPolicy } from '../../src';
import { expectValidManifests, Manifest, synth } from '../util';

describe('QuarantineNetworkPolicy', () => {
  test('one deny-all policy per namespace, selecting security.quarantine=true', () => {
    const manifests = synth(new QuarantineNetworkPolicy(Testing.chart(), 'q', { namespaces: ['shop', 'payments'] }));
    expectValidManifests(manifests);
    expect(manifests.map((m: Manifest) => [m.kind, m.metadata.namespace, m.metadata.name])).toEqual([
      ['NetworkPolicy', 'shop', 'security-quarantine'],
      ['NetworkPolicy', 'payments', 'security-quarantine'],
    ]);
    expect(manifests[0].spec).toEqual({
      podSelector: { matchLabels: { 'security.quarantine': 'true' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [],
    });
  });

  test('allowDns lets quarantined pods reach kube-dns on port 53 only', () => {
    const [policy] = synth(new QuarantineNetworkPolicy(Testing.chart(), 'q', { namespaces: ['shop'], allowDns: true, labelKey: 'quarantine', labelValue: 'yes' }));
    expect(policy.spec.podSelector).toEqual({ matchLabels: { quarantine: 'yes' } });
    expect(policy.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
  });
});
