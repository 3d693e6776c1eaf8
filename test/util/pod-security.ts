/**
 * Pod Security Standards checks, written from the published profile definitions
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/), so tests
 * can assert what Pod Security admission would do with our workloads.
 */
import { Manifest } from './synth';

export type PodSecurityProfile = 'privileged' | 'baseline' | 'restricted';

const BASELINE_ALLOWED_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** The pod template of a workload object: its metadata (annotations) and spec. */
export interface PodTemplate {
  readonly metadata: Record<string, any>;
  readonly spec: Record<string, any>;
}

/** Extracts the pod template of Pods, Deployments, DaemonSets, StatefulSets, ReplicaSets, Jobs, CronJobs and Kuberhealthy checks. */
export function podTemplateOf(manifest: Manifest): PodTemplate | undefined {
  switch (manifest.kind) {
    case 'Pod': return { metadata: manifest.metadata ?? {}, spec: manifest.spec ?? {} };
    case 'Deployment': case 'DaemonSet': case 'StatefulSet': case 'ReplicaSet': case 'Job':
      return { metadata: manifest.spec?.template?.metadata ?? {}, spec: manifest.spec?.template?.spec ?? {} };
    case 'CronJob':
      return { metadata: manifest.spec?.jobTemplate?.spec?.template?.metadata ?? {}, spec: manifest.spec?.jobTemplate?.spec?.template?.spec ?? {} };
    // Kuberhealthy runs these pods itself: the legacy API nests a bare PodSpec (pods get `extraLabels`), v3 a {metadata, spec} pair.
    case 'KuberhealthyCheck': return { metadata: { labels: manifest.spec?.extraLabels }, spec: manifest.spec?.podSpec ?? {} };
    case 'HealthCheck': return { metadata: manifest.spec?.podSpec?.metadata ?? {}, spec: manifest.spec?.podSpec?.spec ?? {} };
    default: return undefined;
  }
}

function allContainers(spec: Record<string, any>): Array<{ where: string; container: Record<string, any> }> {
  return (['initContainers', 'containers', 'ephemeralContainers'] as const).flatMap((field) =>
    (spec[field] ?? []).map((container: any) => ({ where: `${field}[${container.name}]`, container })));
}

function baselineViolations(template: PodTemplate): string[] {
  const { spec, metadata } = template;
  const out: string[] = [];
  const pod = spec.securityContext ?? {};
  const containers = allContainers(spec);
  if (pod.windowsOptions?.hostProcess) out.push('HostProcess: pod sets windowsOptions.hostProcess');
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[field]) out.push(`Host Namespaces: ${field} is true`);
  for (const v of spec.volumes ?? []) if (v.hostPath) out.push(`HostPath Volumes: volume "${v.name}" is a hostPath (${v.hostPath.path})`);
  if (pod.seccompProfile?.type === 'Unconfined') out.push('Seccomp: pod seccompProfile is Unconfined');
  for (const s of pod.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) out.push(`Sysctls: ${s.name} is not in the safe set`);
  const checkSeLinux = (where: string, o: any) => {
    if (o && (!SELINUX_TYPES.has(o.type ?? '') || o.user || o.role)) out.push(`SELinux: ${where} sets seLinuxOptions ${JSON.stringify(o)}`);
  };
  checkSeLinux('pod', pod.seLinuxOptions);
  const checkAppArmor = (where: string, type: string | undefined) => {
    if (type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost') out.push(`AppArmor: ${where} profile is ${type}`);
  };
  checkAppArmor('pod', pod.appArmorProfile?.type);
  for (const [key, value] of Object.entries(metadata.annotations ?? {})) {
    if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && value !== 'runtime/default' && !String(value).startsWith('localhost/')) {
      out.push(`AppArmor: annotation ${key} is ${value}`);
    }
  }
  for (const { where, container } of containers) {
    const sc = container.securityContext ?? {};
    if (sc.windowsOptions?.hostProcess) out.push(`HostProcess: ${where} sets windowsOptions.hostProcess`);
    if (sc.privileged) out.push(`Privileged Containers: ${where} is privileged`);
    for (const cap of sc.capabilities?.add ?? []) if (!BASELINE_ALLOWED_CAPABILITIES.has(cap)) out.push(`Capabilities: ${where} adds ${cap}`);
    for (const port of container.ports ?? []) if (port.hostPort) out.push(`Host Ports: ${where} uses hostPort ${port.hostPort}`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') out.push(`/proc Mount Type: ${where} uses ${sc.procMount}`);
    if (sc.seccompProfile?.type === 'Unconfined') out.push(`Seccomp: ${where} seccompProfile is Unconfined`);
    checkSeLinux(where, sc.seLinuxOptions);
    checkAppArmor(where, sc.appArmorProfile?.type);
  }
  return out;
}

function restrictedViolations(template: PodTemplate): string[] {
  const { spec } = template;
  const out: string[] = [];
  const pod = spec.securityContext ?? {};
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUME_TYPES.has(type)) out.push(`Volume Types: volume "${v.name}" is ${type}`);
  }
  if (pod.runAsUser === 0) out.push('Running as Non-root user: pod runAsUser is 0');
  for (const { where, container } of allContainers(spec)) {
    const sc = container.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) out.push(`Privilege Escalation: ${where} does not set allowPrivilegeEscalation: false`);
    const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (nonRoot !== true) out.push(`Running as Non-root: ${where} does not set runAsNonRoot: true (nor does the pod)`);
    if (sc.runAsUser === 0) out.push(`Running as Non-root user: ${where} runAsUser is 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`Seccomp: ${where} has no RuntimeDefault or Localhost seccomp profile (nor does the pod)`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`Capabilities: ${where} does not drop ALL`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`Capabilities: ${where} adds ${cap} (restricted allows only NET_BIND_SERVICE)`);
  }
  return out;
}

/** The Pod Security Standard violations of a pod template at a profile (empty: admitted). */
export function podSecurityViolations(template: PodTemplate, profile: PodSecurityProfile): string[] {
  if (profile === 'privileged') return [];
  const baseline = baselineViolations(template);
  return profile === 'baseline' ? baseline : [...baseline, ...restrictedViolations(template)];
}

/** The `pod-security.kubernetes.io/enforce` level of each Namespace among the manifests. */
export function namespaceLevels(manifests: Manifest[]): Map<string, PodSecurityProfile> {
  return new Map(manifests
    .filter((m) => m.kind === 'Namespace')
    .map((m) => [m.metadata.name, m.metadata.labels?.['pod-security.kubernetes.io/enforce']]));
}

/**
 * Asserts that every workload would be admitted by Pod Security admission in its
 * namespace, whose level is read from the Namespace objects among the manifests.
 */
export function expectPodSecurityAdmitted(manifests: Manifest[]): void {
  const levels = namespaceLevels(manifests);
  const problems: string[] = [];
  for (const m of manifests) {
    const template = podTemplateOf(m);
    if (!template) continue;
    const id = `${m.kind} ${m.metadata?.namespace}/${m.metadata?.name}`;
    const level = levels.get(m.metadata?.namespace);
    if (!level) {
      problems.push(`${id}: namespace has no pod-security.kubernetes.io/enforce label among the manifests`);
      continue;
    }
    problems.push(...podSecurityViolations(template, level).map((v) => `${id} (${level}): ${v}`));
  }
  if (problems.length > 0) throw new Error(`Pod Security admission would reject:\n  ${problems.join('\n  ')}`);
}
