import { expectPodSecurityAdmitted, PodTemplate, podSecurityViolations, podTemplateOf } from './pod-security';

/** A pod that passes `restricted`; each case below breaks one rule of the published profiles. */
function restrictedPod(): PodTemplate {
  return {
    metadata: {},
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'app',
        image: 'x:1',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
      }],
      volumes: [{ name: 'config', configMap: { name: 'c' } }],
    },
  };
}

function mutate(change: (t: PodTemplate) => void): PodTemplate {
  const t = restrictedPod();
  change(t);
  return t;
}

describe('Pod Security Standards checks', () => {
  test('a hardened pod passes every profile', () => {
    for (const level of ['privileged', 'baseline', 'restricted'] as const) expect(podSecurityViolations(restrictedPod(), level)).toEqual([]);
  });

  test.each<[string, (t: PodTemplate) => void, string]>([
    ['hostNetwork', (t) => { t.spec.hostNetwork = true; }, 'Host Namespaces: hostNetwork is true'],
    ['hostPID', (t) => { t.spec.hostPID = true; }, 'Host Namespaces: hostPID is true'],
    ['privileged', (t) => { t.spec.containers[0].securityContext.privileged = true; }, 'Privileged Containers: containers[app] is privileged'],
    ['SYS_ADMIN', (t) => { t.spec.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']; }, 'Capabilities: containers[app] adds SYS_ADMIN'],
    ['hostPath', (t) => { t.spec.volumes.push({ name: 'proc', hostPath: { path: '/proc' } }); }, 'HostPath Volumes: volume "proc" is a hostPath (/proc)'],
    ['hostPort', (t) => { t.spec.containers[0].ports = [{ containerPort: 80, hostPort: 80 }]; }, 'Host Ports: containers[app] uses hostPort 80'],
    ['unconfined seccomp', (t) => { t.spec.securityContext.seccompProfile.type = 'Unconfined'; }, 'Seccomp: pod seccompProfile is Unconfined'],
    ['unsafe sysctl', (t) => { t.spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]; }, 'Sysctls: kernel.msgmax is not in the safe set'],
    ['procMount', (t) => { t.spec.containers[0].securityContext.procMount = 'Unmasked'; }, '/proc Mount Type: containers[app] uses Unmasked'],
    ['AppArmor unconfined', (t) => { t.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }; }, 'AppArmor: annotation'],
    ['SELinux type', (t) => { t.spec.securityContext.seLinuxOptions = { type: 'spc_t' }; }, 'SELinux: pod sets seLinuxOptions'],
  ])('baseline rejects %s', (_name, change, expected) => {
    const violations = podSecurityViolations(mutate(change), 'baseline');
    expect(violations.join('\n')).toContain(expected);
    expect(podSecurityViolations(mutate(change), 'privileged')).toEqual([]);
  });

  test.each<[string, (t: PodTemplate) => void, string]>([
    ['privilege escalation', (t) => { delete t.spec.containers[0].securityContext.allowPrivilegeEscalation; }, 'Privilege Escalation: containers[app]'],
    ['root', (t) => { delete t.spec.securityContext.runAsNonRoot; }, 'Running as Non-root: containers[app]'],
    ['uid 0', (t) => { t.spec.containers[0].securityContext.runAsUser = 0; }, 'Running as Non-root user: containers[app] runAsUser is 0'],
    ['no seccomp', (t) => { delete t.spec.securityContext.seccompProfile; }, 'Seccomp: containers[app] has no RuntimeDefault'],
    ['capabilities kept', (t) => { t.spec.containers[0].securityContext.capabilities = {}; }, 'Capabilities: containers[app] does not drop ALL'],
    ['extra capability', (t) => { t.spec.containers[0].securityContext.capabilities.add = ['CHOWN']; }, 'Capabilities: containers[app] adds CHOWN (restricted allows only NET_BIND_SERVICE)'],
    ['volume type', (t) => { t.spec.volumes.push({ name: 'n', nfs: { server: 's', path: '/' } }); }, 'Volume Types: volume "n" is nfs'],
  ])('restricted rejects %s that baseline admits', (_name, change, expected) => {
    expect(podSecurityViolations(mutate(change), 'restricted').join('\n')).toContain(expected);
    expect(podSecurityViolations(mutate(change), 'baseline')).toEqual([]);
  });

  test('checks init containers and container-level overrides', () => {
    const t = mutate((p) => { p.spec.initContainers = [{ name: 'init', image: 'x:1', securityContext: { runAsNonRoot: false } }]; });
    expect(podSecurityViolations(t, 'restricted').join('\n')).toContain('Running as Non-root: initContainers[init]');
  });

  test('reads pod templates of workloads and checks them against their namespace level', () => {
    const ns = (name: string, level: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': level } } });
    const ds = (namespace: string, template: PodTemplate) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd', namespace }, spec: { template } });
    const privileged = mutate((p) => { p.spec.containers[0].securityContext.privileged = true; });
    expect(podTemplateOf(ds('x', privileged))).toEqual(privileged);
    expect(() => expectPodSecurityAdmitted([ns('falco', 'privileged'), ds('falco', privileged)])).not.toThrow();
    expect(() => expectPodSecurityAdmitted([ns('sec', 'restricted'), ds('sec', privileged)])).toThrow('DaemonSet sec/d (restricted): Privileged Containers: containers[app] is privileged');
    expect(() => expectPodSecurityAdmitted([ds('elsewhere', restrictedPod())])).toThrow('DaemonSet elsewhere/d: namespace has no pod-security.kubernetes.io/enforce label');
  });
});
