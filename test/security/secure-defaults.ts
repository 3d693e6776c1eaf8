/**
 * Secure-defaults checks over synthesized manifests (issue 12). Each check
 * returns human-readable violations; `expectSecureDefaults` fails on any.
 *
 * Exceptions are allow-lists keyed by the workload's `app.kubernetes.io/name`
 * (and container name), each with the reason it is needed. A new component
 * that needs an exception must add an entry here, with its reason.
 */
import { expectPodSecurityAdmitted, Manifest, namespaceLevels, podTemplateOf } from '../util';

type Reasons = Record<string, string>;

/** Workloads allowed in a namespace that enforces `privileged`. */
export const PRIVILEGED_NAMESPACE_WORKLOADS: Reasons = {
  'falco': 'loads eBPF programs or a kernel module and reads host /proc, /etc and the container runtime sockets',
  'fluent-bit': 'reads container and audit logs from hostPath /var/log and keeps its offsets in a hostPath',
  'filebeat': 'reads container and audit logs from hostPath /var/log and keeps its offsets in a hostPath',
  'kube-bench': 'checks the flags of host processes (hostPID) and the permissions of host files (read-only hostPath mounts)',
};

/** Containers (`<app>/<container>`) whose root filesystem may stay writable. */
export const WRITABLE_ROOT_FILESYSTEM: Reasons = {
  'falco/falco': 'as in the upstream chart: Falco and its plugins write to paths in the image at start-up',
  'falco/falco-driver-loader': 'builds or downloads the kernel module into the image before inserting it',
  'kube-bench/kube-bench': 'as in the upstream job; not verified read-only on a real cluster',
};

/** Containers that do not drop ALL capabilities, and exactly what they get instead. */
export const CAPABILITY_EXCEPTIONS: Record<string, { readonly add: string[] | 'privileged'; readonly reason: string }> = {
  'falco/falco': {
    add: ['BPF', 'SYS_RESOURCE', 'PERFMON', 'SYS_PTRACE'],
    reason: 'the least-privileged modern eBPF set of the upstream chart (load the probe, read its ring buffers, lock memory, read /proc/<pid>)',
  },
  'falco/falco-driver-loader': { add: 'privileged', reason: 'inserts the kernel module (kmod/auto drivers)' },
  'kube-bench/kube-bench': {
    add: [],
    reason: 'runs as root with the runtime\'s default capabilities, as the upstream job does: CIS checks stat and read host files owned by other users (etcd data, kubelet PKI)',
  },
};

/** Falco container with the kmod or non-least-privileged driver: privileged, as upstream requires. */
const PRIVILEGED_FALCO = 'falco/falco';

/** Containers without RuntimeDefault seccomp. */
export const SECCOMP_EXCEPTIONS: Reasons = {
  'falco/falco': 'RuntimeDefault may refuse bpf() and perf_event_open() without CAP_SYS_ADMIN; a privileged Falco ignores seccomp anyway',
  'falco/falco-driver-loader': 'privileged: seccomp does not apply',
};

/** Long-running containers without probes. */
export const PROBE_EXCEPTIONS: Reasons = {
  'falco/falcoctl-artifact-follow': 'falcoctl serves no health endpoint; the kubelet restarts it when it exits',
};

/** Workloads whose pods call the Kubernetes API, so they keep a service account token. */
export const API_CLIENTS: Reasons = {
  'fluent-bit': 'the kubernetes filter reads pod and namespace metadata to enrich logs',
  'filebeat': 'add_kubernetes_metadata reads pod, namespace and node metadata to enrich logs',
  'falco-talon': 'its actionners label, isolate and terminate pods through the API',
  'kube-bench': 'the policies target lists RBAC objects, service accounts and pods',
  'security-daemonsets': 'the health check reads the status of the watched DaemonSets',
};

/** Subjects (`<namespace>/<serviceaccount>`) allowed to read Secrets. None today. */
export const SECRET_READERS: Reasons = {};

function appOf(metadata: Record<string, any> | undefined): string {
  return metadata?.labels?.['app.kubernetes.io/name'] ?? '<unnamed>';
}

function idOf(m: Manifest): string {
  return `${m.kind} ${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata?.name}`;
}

/** Pod Security: every namespace labelled, only allow-listed workloads in privileged namespaces. */
export function podSecurityPlacementViolations(manifests: Manifest[]): string[] {
  const out: string[] = [];
  const levels = namespaceLevels(manifests);
  for (const [name, level] of levels) {
    if (!['privileged', 'baseline', 'restricted'].includes(level)) out.push(`Namespace ${name}: no valid pod-security.kubernetes.io/enforce label (${level})`);
  }
  for (const m of manifests) {
    const template = podTemplateOf(m);
    if (template && levels.get(m.metadata?.namespace) === 'privileged' && !(appOf(template.metadata) in PRIVILEGED_NAMESPACE_WORKLOADS)) {
      out.push(`${idOf(m)}: runs in privileged namespace but "${appOf(template.metadata)}" is not allow-listed`);
    }
  }
  return out;
}

function quantitiesSet(resources: any): boolean {
  return ['requests', 'limits'].every((k) => resources?.[k]?.cpu !== undefined && resources?.[k]?.memory !== undefined);
}

function imageTag(image: string): string | undefined {
  if (image.includes('@sha256:')) return 'digest';
  const last = image.split('/').pop() ?? '';
  return last.includes(':') ? last.split(':').pop() : undefined;
}

/** Every container: resources, read-only root, capabilities, seccomp, pinned image, probes. */
export function containerViolations(manifests: Manifest[]): string[] {
  const out: string[] = [];
  for (const m of manifests) {
    const template = podTemplateOf(m);
    if (!template) continue;
    const app = appOf(template.metadata);
    const pod = template.spec;
    // Jobs and Kuberhealthy check pods run to completion: probes would only get in the way.
    const longRunning = !['Job', 'CronJob', 'KuberhealthyCheck', 'HealthCheck'].includes(m.kind);
    const groups: Array<[string, any[]]> = [['initContainers', pod.initContainers ?? []], ['containers', pod.containers ?? []]];
    for (const [field, containers] of groups) {
      for (const c of containers) {
        const key = `${app}/${c.name}`;
        const where = `${idOf(m)} ${field}[${c.name}]`;
        const sc = c.securityContext ?? {};
        if (!quantitiesSet(c.resources)) out.push(`${where}: needs cpu and memory requests and limits`);
        if (sc.readOnlyRootFilesystem !== true && !(key in WRITABLE_ROOT_FILESYSTEM)) out.push(`${where}: root filesystem is writable`);
        const exception = CAPABILITY_EXCEPTIONS[key];
        // An exception permits, it does not require: plugin-only Falco drops ALL like any other container.
        const hardened = (sc.capabilities?.drop ?? []).includes('ALL') && (sc.capabilities?.add ?? []).length === 0;
        if (sc.privileged) {
          if (exception?.add !== 'privileged' && key !== PRIVILEGED_FALCO) out.push(`${where}: is privileged`);
        } else if (exception && exception.add !== 'privileged' && !hardened) {
          const added = [...(sc.capabilities?.add ?? [])].sort();
          if (JSON.stringify(added) !== JSON.stringify([...exception.add].sort())) out.push(`${where}: adds ${JSON.stringify(added)}, not exactly ${JSON.stringify(exception.add)}`);
        } else {
          if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${where}: does not drop ALL capabilities`);
          if ((sc.capabilities?.add ?? []).length > 0) out.push(`${where}: adds capabilities ${JSON.stringify(sc.capabilities.add)}`);
        }
        const seccomp = sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
        if (seccomp !== 'RuntimeDefault' && !sc.privileged && !(key in SECCOMP_EXCEPTIONS)) out.push(`${where}: seccomp profile is ${seccomp ?? 'unset'}, not RuntimeDefault`);
        const tag = typeof c.image === 'string' ? imageTag(c.image) : undefined;
        if (tag === undefined || tag === 'latest') out.push(`${where}: image ${c.image} is not pinned`);
        const probed = c.livenessProbe !== undefined && c.readinessProbe !== undefined;
        if (field === 'containers' && longRunning && !probed && !(key in PROBE_EXCEPTIONS)) out.push(`${where}: long-running container without liveness and readiness probes`);
      }
    }
  }
  return out;
}

/** RBAC: no wildcards, no cluster-admin, no Secret reads; tokens only for API clients. */
export function rbacViolations(manifests: Manifest[]): string[] {
  const out: string[] = [];
  const roles = new Map<string, any[]>();
  for (const m of manifests.filter((x) => x.kind === 'Role' || x.kind === 'ClusterRole')) {
    roles.set(`${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`, m.rules ?? []);
    for (const rule of m.rules ?? []) {
      for (const field of ['verbs', 'resources', 'apiGroups']) {
        if ((rule[field] ?? []).includes('*')) out.push(`${idOf(m)}: wildcard in ${field}`);
      }
      if ((rule.nonResourceURLs ?? []).some((u: string) => u.includes('*'))) out.push(`${idOf(m)}: wildcard nonResourceURLs`);
    }
  }
  for (const m of manifests.filter((x) => x.kind === 'RoleBinding' || x.kind === 'ClusterRoleBinding')) {
    if (['cluster-admin', 'admin', 'edit'].includes(m.roleRef?.name)) out.push(`${idOf(m)}: binds ${m.roleRef.name}`);
    const rules = roles.get(`${m.roleRef?.kind}/${m.roleRef?.kind === 'Role' ? m.metadata.namespace : ''}/${m.roleRef?.name}`) ?? [];
    const readsSecrets = rules.some((r) => (r.resources ?? []).includes('secrets'));
    for (const s of m.subjects ?? []) {
      if (readsSecrets && !(`${s.namespace}/${s.name}` in SECRET_READERS)) out.push(`${idOf(m)}: lets ${s.kind} ${s.namespace}/${s.name} read Secrets`);
    }
  }
  for (const m of manifests) {
    const template = podTemplateOf(m);
    if (m.kind === 'ServiceAccount') {
      const users = manifests.map(podTemplateOf)
        .filter((t) => t !== undefined && t.spec.serviceAccountName === m.metadata.name && API_CLIENTS[appOf(t.metadata)]);
      if (users.length === 0 && m.automountServiceAccountToken !== false) out.push(`${idOf(m)}: automountServiceAccountToken is not false`);
    } else if (template && !(appOf(template.metadata) in API_CLIENTS) && template.spec.automountServiceAccountToken !== false) {
      out.push(`${idOf(m)}: pod automountServiceAccountToken is not false, but "${appOf(template.metadata)}" does not use the API`);
    }
  }
  return out;
}

/** NetworkPolicy: every workload's pods are selected by a policy that restricts ingress. */
export function networkPolicyViolations(manifests: Manifest[]): string[] {
  const policies = manifests.filter((m) => m.kind === 'NetworkPolicy' && (m.spec.policyTypes ?? []).includes('Ingress'));
  const out: string[] = [];
  for (const m of manifests) {
    const template = podTemplateOf(m);
    if (!template) continue;
    const labels = template.metadata.labels ?? {};
    const covered = policies.some((p) => p.metadata.namespace === m.metadata.namespace
      && Object.entries(p.spec.podSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v)
      && (p.spec.ingress ?? []).every((rule: any) => (rule.ports ?? []).length > 0));
    if (!covered) out.push(`${idOf(m)}: no NetworkPolicy restricts ingress to named ports`);
    if (template.spec.hostNetwork) out.push(`${idOf(m)}: uses hostNetwork, which NetworkPolicies do not cover`);
  }
  return out;
}

/** All secure-defaults violations of a set of manifests. */
export function secureDefaultsViolations(manifests: Manifest[]): string[] {
  return [
    ...podSecurityPlacementViolations(manifests),
    ...containerViolations(manifests),
    ...rbacViolations(manifests),
    ...networkPolicyViolations(manifests),
  ];
}

/** Asserts Pod Security admission and every secure default. */
export function expectSecureDefaults(manifests: Manifest[]): void {
  expectPodSecurityAdmitted(manifests);
  const violations = secureDefaultsViolations(manifests);
  if (violations.length > 0) throw new Error(`secure defaults violated:\n  ${violations.join('\n  ')}`);
}
