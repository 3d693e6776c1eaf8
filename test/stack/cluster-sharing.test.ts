/**
 * What the stack shares with the rest of the cluster: cluster-scoped names
 * (two installations side by side) and the namespaces every cluster has.
 */
import { Chart, Testing } from 'cdk8s';
import {
  FalcoPriority, SecurityMonitoringStack, SecurityMonitoringStackProps, SiemDestination, TalonActionner,
} from '../../src';
import { Manifest, synth } from '../util';

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

/** Every part that creates cluster-scoped objects: namespaces, Talon's, Fluent Bit's and kube-bench's RBAC. */
const everything = (name: string, suffix: string): SecurityMonitoringStackProps => ({
  name,
  namespace: `security-${suffix}`,
  falcoNamespace: `falco-${suffix}`,
  falco: { falcosidekick: { outputs: [] } },
  siem: { namespace: `logging-${suffix}`, destinations: [SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'splunk', key: 'token' } })] },
  response: {
    enabled: true,
    talon: {
      rules: [{
        name: 'Label shells',
        match: { rules: ['Terminal shell in container'], minimumPriority: FalcoPriority.NOTICE },
        actions: [{ name: 'label', actionner: TalonActionner.label({ 'security.quarantine': 'true' }) }],
      }],
    },
  },
  compliance: { enabled: true, namespace: `compliance-${suffix}` },
});

const clusterScoped = (manifests: Manifest[]) => manifests.filter((m) => CLUSTER_SCOPED.has(m.kind)).map((m) => `${m.kind}/${m.metadata.name}`);

describe('two stacks in one cluster', () => {
  const app = Testing.app();
  const blue = new SecurityMonitoringStack(new Chart(app, 'blue'), 'stack', everything('blue', 'blue'));
  const green = new SecurityMonitoringStack(new Chart(app, 'green'), 'stack', everything('green', 'green'));
  const blueObjects = synth(blue);
  const greenObjects = synth(green);

  test('share no cluster-scoped name', () => {
    const names = [...clusterScoped(blueObjects), ...clusterScoped(greenObjects)];
    expect(names.length).toBeGreaterThan(10);
    expect(new Set(names).size).toBe(names.length);
  });

  test('name every ClusterRole and ClusterRoleBinding after the stack, bound to its own ServiceAccounts', () => {
    for (const [stack, manifests] of [[blue, blueObjects], [green, greenObjects]] as const) {
      const rbac = manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding');
      expect(rbac.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
        `ClusterRole/${stack.name}-falco-talon`, `ClusterRole/${stack.name}-fluent-bit`, `ClusterRole/${stack.name}-kube-bench`,
        `ClusterRoleBinding/${stack.name}-falco-talon`, `ClusterRoleBinding/${stack.name}-fluent-bit`, `ClusterRoleBinding/${stack.name}-kube-bench`,
      ]);
      const namespaces = manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name);
      for (const binding of rbac.filter((m) => m.kind === 'ClusterRoleBinding')) {
        expect(binding.roleRef.name).toBe(binding.metadata.name);
        for (const subject of binding.subjects) expect(namespaces).toContain(subject.namespace);
      }
    }
  });
});

describe('stacks of one app that would take objects from each other', () => {
  test('the same name: the later stack names the ClusterRole and the earlier stack', () => {
    const app = Testing.app();
    new SecurityMonitoringStack(new Chart(app, 'blue'), 'stack', everything('shared', 'blue'));
    const green = new SecurityMonitoringStack(new Chart(app, 'green'), 'stack', everything('shared', 'green'));
    expect(() => synth(green)).toThrow('[green/stack] green/stack: ClusterRole "shared-fluent-bit" is also created by the stack at blue/stack, '
      + 'so each apply would take it from the other (got "shared-fluent-bit"): give each SecurityMonitoringStack in a cluster its own name');
  });

  test('the same namespace: the later stack names the Namespace', () => {
    const app = Testing.app();
    new SecurityMonitoringStack(new Chart(app, 'blue'), 'stack', { name: 'blue', namespace: 'security-blue' });
    const green = new SecurityMonitoringStack(new Chart(app, 'green'), 'stack', { name: 'green', namespace: 'security-green' });
    expect(() => synth(green)).toThrow('[green/stack] green/stack: Namespace "falco" is also created by the stack at blue/stack, '
      + 'so each apply would take it from the other (got "falco"): give each stack namespaces of its own, or set createNamespaces: false on all but one stack');
  });

  test('with namespaces of their own, or namespaces managed elsewhere, they do not collide', () => {
    const app = Testing.app();
    new SecurityMonitoringStack(new Chart(app, 'blue'), 'stack', { name: 'blue', namespace: 'security-blue' });
    const green = new SecurityMonitoringStack(new Chart(app, 'green'), 'stack', { name: 'green', namespace: 'security-green', falcoNamespace: 'falco-green' });
    expect(() => synth(green)).not.toThrow();
    const unmanaged = Testing.app();
    new SecurityMonitoringStack(new Chart(unmanaged, 'blue'), 'stack', { name: 'blue', createNamespaces: false });
    const other = new SecurityMonitoringStack(new Chart(unmanaged, 'green'), 'stack', { name: 'green', namespace: 'security-green', createNamespaces: false });
    expect(() => synth(other)).not.toThrow();
  });
});

describe('namespaces every cluster has', () => {
  const stack = (props: SecurityMonitoringStackProps) => synth(new SecurityMonitoringStack(Testing.chart(), 'stack', props));

  test.each([
    ['namespace', 'default', 'restricted'],
    ['falcoNamespace', 'kube-system', 'privileged'],
    ['namespace', 'kube-public', 'restricted'],
    ['falcoNamespace', 'kube-node-lease', 'privileged'],
  ])('%s: %s is never created or relabelled', (field, name, level) => {
    expect(() => stack({ [field]: name })).toThrow(`test/stack: namespace "${name}" is shared with the cluster's own workloads, and the stack would label it `
      + `with Pod Security level "${level}" (got "${name}"): give the stack's components namespaces of their own (e.g. "security-monitoring", "falco"), `
      + `or set createNamespaces: false to run in "${name}" without creating or relabelling it`);
  });

  test('the SIEM and compliance namespaces too', () => {
    expect(() => stack({ siem: { namespace: 'kube-system', destinations: [SiemDestination.http({ host: 'collector' })] } })).toThrow(/namespace "kube-system" is shared/);
    expect(() => stack({ compliance: { enabled: true, namespace: 'default' } })).toThrow(/namespace "default" is shared/);
  });

  test('with createNamespaces: false the stack may run there, and leaves it alone', () => {
    const manifests = stack({ namespace: 'default', createNamespaces: false });
    expect(manifests.filter((m) => m.kind === 'Namespace')).toEqual([]);
    expect(manifests.some((m) => m.metadata.namespace === 'default')).toBe(true);
  });
});
