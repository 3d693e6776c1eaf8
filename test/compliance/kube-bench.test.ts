import { Testing } from 'cdk8s';
import { KubeBenchCronJob, KubeBenchCronJobProps, KubeBenchTarget } from '../../src';
import { expectDeterministic, expectValidManifests, findObject, Manifest, synth } from '../util';

function synthKubeBench(props: Partial<KubeBenchCronJobProps> = {}): Manifest[] {
  return synth(new KubeBenchCronJob(Testing.chart(), 'kube-bench', { namespace: 'security-compliance', ...props }));
}
const podOf = (manifests: Manifest[]) => findObject(manifests, 'CronJob').spec.jobTemplate.spec.template.spec;

describe('KubeBenchCronJob', () => {
  test('defaults: nightly node and policies scan, JSON to the log', () => {
    const manifests = synthKubeBench();
    expectValidManifests(manifests);
    const cronJob = findObject(manifests, 'CronJob', 'kube-bench');
    expect(cronJob.spec.schedule).toBe('0 3 * * *');
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    const pod = podOf(manifests);
    expect(pod.hostPID).toBe(true);
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.containers[0].image).toBe('docker.io/aquasec/kube-bench:v0.15.6');
    expect(pod.containers[0].command).toEqual(['kube-bench']);
    expect(pod.containers[0].args).toEqual(['run', '--targets=node,policies', '--json']);
  });

  test('mounts exactly the host paths kube-bench inspects, all read-only', () => {
    const pod = podOf(synthKubeBench());
    const mounts = pod.containers[0].volumeMounts;
    expect(mounts.every((m: any) => m.readOnly === true)).toBe(true);
    const hostPathOf = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v.hostPath.path]));
    expect(Object.fromEntries(mounts.map((m: any) => [hostPathOf[m.name], m.mountPath]))).toEqual({
      '/var/lib/cni': '/var/lib/cni',
      '/var/lib/etcd': '/var/lib/etcd',
      '/var/lib/kubelet': '/var/lib/kubelet',
      '/var/lib/kube-scheduler': '/var/lib/kube-scheduler',
      '/var/lib/kube-controller-manager': '/var/lib/kube-controller-manager',
      '/etc/systemd': '/etc/systemd',
      '/lib/systemd': '/lib/systemd',
      '/srv/kubernetes': '/srv/kubernetes',
      '/etc/kubernetes': '/etc/kubernetes',
      '/usr/bin': '/usr/local/mount-from-host/bin',
      '/etc/cni/net.d': '/etc/cni/net.d',
      '/opt/cni/bin': '/opt/cni/bin',
    });
  });

  test('benchmark, targets and control-plane placement reach the job', () => {
    const manifests = synthKubeBench({
      schedule: '30 1 * * 0',
      benchmark: 'cis-1.10',
      targets: [KubeBenchTarget.MASTER, KubeBenchTarget.ETCD, KubeBenchTarget.CONTROLPLANE],
      runOnControlPlane: true,
    });
    expectValidManifests(manifests);
    expect(findObject(manifests, 'CronJob').spec.schedule).toBe('30 1 * * 0');
    const pod = podOf(manifests);
    expect(pod.containers[0].args).toEqual(['run', '--targets=master,etcd,controlplane', '--benchmark=cis-1.10', '--json']);
    expect(pod.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
    expect(pod.tolerations.map((t: any) => t.key)).toEqual(['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master']);
    // No policies target and a fixed benchmark: no API access at all.
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(manifests.filter((m) => m.kind === 'ClusterRole')).toEqual([]);
  });

  test('the policies target gets read-only RBAC, without wildcards or impersonation', () => {
    const manifests = synthKubeBench();
    const role = findObject(manifests, 'ClusterRole', 'security-compliance-kube-bench');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'serviceaccounts'], verbs: ['get', 'list'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings', 'clusterroles', 'roles'], verbs: ['get', 'list'] },
    ]);
    expect(findObject(manifests, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'kube-bench', namespace: 'security-compliance' }]);
    expect(podOf(manifests).automountServiceAccountToken).toBe(true);
  });

  test('its ClusterRole and binding are named after the namespace, or clusterRoleName', () => {
    expect(synthKubeBench().filter((m) => m.kind.startsWith('Cluster')).map((m) => m.metadata.name)).toEqual(['security-compliance-kube-bench', 'security-compliance-kube-bench']);
    expect(synthKubeBench({ clusterRoleName: 'blue-kube-bench' }).filter((m) => m.kind.startsWith('Cluster')).map((m) => m.metadata.name)).toEqual(['blue-kube-bench', 'blue-kube-bench']);
    expect(() => synthKubeBench({ clusterRoleName: 'Blue' })).toThrow('test/kube-bench: clusterRoleName is not a valid DNS-1123 subdomain (got "Blue")');
  });

  test('is deterministic and matches the snapshot', () => {
    expect(expectDeterministic(() => new KubeBenchCronJob(Testing.chart(), 'kube-bench', { namespace: 'security-compliance' }))).toMatchSnapshot();
  });
});
