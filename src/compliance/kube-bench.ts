import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { constructScope, requiredArgument } from '../common/arguments';
import { clusterScoped } from '../common/cluster-scoped';
import { validateCronSchedule } from '../common/cron';
import { validateProgramImage } from '../common/image';
import { createNetworkPolicy } from '../common/network-policy';
import { validateDnsLabel, validateDnsSubdomain, validateLabels, validationError } from '../common/validation';

/** kube-bench release; the image tag of upstream's job.yaml. */
const KUBE_BENCH_IMAGE = 'docker.io/aquasec/kube-bench:v0.15.6';

/** Benchmark sections kube-bench runs (`run --targets`); the file names in `cfg/<benchmark>/`. */
export enum KubeBenchTarget {
  /** API server, controller manager and scheduler files and flags (control-plane nodes). */
  MASTER = 'master',
  /** Control-plane configuration: authentication, logging (audit policy). */
  CONTROLPLANE = 'controlplane',
  /** etcd files and flags (control-plane nodes). */
  ETCD = 'etcd',
  /** Kubelet files and flags of the node the job runs on. */
  NODE = 'node',
  /** RBAC, Pod Security, secrets and network policies, read through the API. */
  POLICIES = 'policies',
}

/** What kube-bench scans and when; shared by `KubeBenchCronJob` and `SecurityMonitoringStack`. */
export interface KubeBenchOptions {
  /** When the scan runs: five cron fields, a macro such as `@daily`, or `@every 6h` (UTC unless the cluster sets a time zone). @default '0 3 * * *' */
  readonly schedule?: string;
  /**
   * Benchmark version (`--benchmark`), a directory of kube-bench's `cfg/`,
   * e.g. `cis-1.10`, `eks-1.7.0`, `gke-1.9.0`.
   * @default - detected from the cluster's Kubernetes version
   */
  readonly benchmark?: string;
  /** Sections to run. @default [KubeBenchTarget.NODE, KubeBenchTarget.POLICIES] */
  readonly targets?: KubeBenchTarget[];
  /**
   * Run on a control-plane node (nodeSelector and tolerations), which the
   * `master`, `controlplane` and `etcd` targets need. Managed clusters (EKS,
   * GKE, AKS) give no access to control-plane nodes.
   * @default false
   */
  readonly runOnControlPlane?: boolean;
  /** Pinned image. @default 'docker.io/aquasec/kube-bench:v0.15.6' */
  readonly image?: string;
}

/** Properties of a `KubeBenchCronJob`. */
export interface KubeBenchCronJobProps extends KubeBenchOptions {
  /**
   * Namespace; must enforce the `privileged` Pod Security Standard, because
   * kube-bench reads the host's process table (`hostPID`) and files (`hostPath`).
   */
  readonly namespace: string;
  /** Object name. @default 'kube-bench' */
  readonly name?: string;
  /** Labels of every object. @default - none */
  readonly labels?: { [key: string]: string };
  /**
   * Name of the ClusterRole and ClusterRoleBinding of the `policies` target.
   * Their names are shared by every installation in the cluster, so each
   * kube-bench needs its own.
   * @default - `<namespace>-<name>`
   */
  readonly clusterRoleName?: string;
}

/** Benchmarks in kube-bench v0.15.6 `cfg/`. */
const BENCHMARKS = new Set([
  'ack-1.0', 'aks-1.0', 'aks-1.7', 'aks-1.8', 'cis-1.5', 'cis-1.6', 'cis-1.6-k3s', 'cis-1.7', 'cis-1.8', 'cis-1.9', 'cis-1.10',
  'cis-1.11', 'cis-1.12', 'cis-1.20', 'cis-1.23', 'cis-1.24', 'cis-1.24-microk8s', 'eks-1.0.1', 'eks-1.1.0', 'eks-1.2.0',
  'eks-1.5.0', 'eks-1.7.0', 'eks-1.8.0', 'eks-stig-kubernetes-v1r6', 'gke-1.0', 'gke-1.2.0', 'gke-1.6.0', 'gke-1.8.0',
  'gke-1.9.0', 'k3s-cis-1.23', 'k3s-cis-1.24', 'k3s-cis-1.7', 'k3s-cis-1.8', 'k3s-cis-1.9', 'rh-0.7', 'rh-1.0', 'rh-1.4',
  'rh-1.8', 'rke-cis-1.23', 'rke-cis-1.24', 'rke-cis-1.7', 'rke2-cis-1.23', 'rke2-cis-1.24', 'rke2-cis-1.7', 'rke2-cis-1.8',
  'tkgi-1.2.53',
]);
const CONTROL_PLANE_TARGETS = [KubeBenchTarget.MASTER, KubeBenchTarget.CONTROLPLANE, KubeBenchTarget.ETCD];
const CONTROL_PLANE_TAINTS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/**
 * Host paths kube-bench inspects (upstream job.yaml), all mounted read-only:
 * it only stats and reads configuration, and reads the binaries' versions
 * from `/usr/bin` mounted where it looks for them.
 */
const HOST_PATHS: ReadonlyArray<[string, string, string]> = [
  ['var-lib-cni', '/var/lib/cni', '/var/lib/cni'],
  ['var-lib-etcd', '/var/lib/etcd', '/var/lib/etcd'],
  ['var-lib-kubelet', '/var/lib/kubelet', '/var/lib/kubelet'],
  ['var-lib-kube-scheduler', '/var/lib/kube-scheduler', '/var/lib/kube-scheduler'],
  ['var-lib-kube-controller-manager', '/var/lib/kube-controller-manager', '/var/lib/kube-controller-manager'],
  ['etc-systemd', '/etc/systemd', '/etc/systemd'],
  ['lib-systemd', '/lib/systemd', '/lib/systemd'],
  ['srv-kubernetes', '/srv/kubernetes', '/srv/kubernetes'],
  ['etc-kubernetes', '/etc/kubernetes', '/etc/kubernetes'],
  ['usr-bin', '/usr/bin', '/usr/local/mount-from-host/bin'],
  ['etc-cni-netd', '/etc/cni/net.d', '/etc/cni/net.d'],
  ['opt-cni-bin', '/opt/cni/bin', '/opt/cni/bin'],
];

/**
 * Read access the `policies` target's `kubectl` audits use (policies.yaml of each CIS benchmark in cfg/).
 * Two of its checks ask `kubectl auth can-i --as=system:authenticated`, which
 * needs impersonation; that is not granted, so they report as failed/manual.
 */
const POLICIES_READ = [
  { apiGroups: [''], resources: ['pods', 'serviceaccounts'], verbs: ['get', 'list'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings', 'clusterroles', 'roles'], verbs: ['get', 'list'] },
];

/**
 * A CronJob that runs kube-bench (CIS Kubernetes Benchmark) on a schedule and
 * prints the results as JSON (`--json`) to its log, where the SIEM pipeline's
 * log shipper picks them up like any container log. One run scans the node
 * it lands on.
 */
export class KubeBenchCronJob extends Construct {
  /** Object name. */
  public readonly name: string;
  /**
   * The kube-bench CronJob, the primary object (`node.defaultChild`): an escape
   * hatch for a field the props do not model, e.g. a toleration:
   * `kubeBench.workload.addJsonPatch(JsonPatch.add('/spec/jobTemplate/spec/template/spec/tolerations', [...]))`.
   */
  public readonly workload: ApiObject;
  /** The ServiceAccount the job runs as. */
  public readonly serviceAccount: ApiObject;
  /** The NetworkPolicy that denies all ingress to the job's pods. */
  public readonly networkPolicy: ApiObject;
  /**
   * The ClusterRole the `policies` target's audits read RBAC and pods with.
   * @default - none, when `targets` leaves out `KubeBenchTarget.POLICIES`
   */
  public readonly clusterRole?: ApiObject;
  /**
   * The binding of `clusterRole` to `serviceAccount`.
   * @default - none, when `targets` leaves out `KubeBenchTarget.POLICIES`
   */
  public readonly clusterRoleBinding?: ApiObject;

  constructor(scope: Construct, id: string, props: KubeBenchCronJobProps) {
    super(constructScope('KubeBenchCronJob', scope, id), id);
    props = requiredArgument(this, 'props', props, '{ namespace: "security-monitoring" }');
    this.name = validateDnsLabel(this, 'name', props.name ?? 'kube-bench');
    const namespace = validateDnsLabel(this, 'namespace', props.namespace);
    const labels = validateLabels(this, 'labels', props.labels ?? {});
    const schedule = validateCronSchedule(this, 'schedule', props.schedule ?? '0 3 * * *');
    const image = validateProgramImage(this, 'image', props.image ?? KUBE_BENCH_IMAGE, KUBE_BENCH_IMAGE);
    if (props.benchmark !== undefined && !BENCHMARKS.has(props.benchmark)) {
      throw validationError(this, 'benchmark is not one kube-bench ships', props.benchmark,
        `use one of ${[...BENCHMARKS].join(', ')}, or leave it unset to detect it`);
    }
    const targets = props.targets ?? [KubeBenchTarget.NODE, KubeBenchTarget.POLICIES];
    if (targets.length === 0 || new Set(targets).size !== targets.length) {
      throw validationError(this, 'targets must be non-empty and without duplicates', targets, 'list each KubeBenchTarget once');
    }
    const runOnControlPlane = props.runOnControlPlane ?? false;
    const needsControlPlane = targets.filter((t) => CONTROL_PLANE_TARGETS.includes(t));
    if (needsControlPlane.length && !runOnControlPlane) {
      throw validationError(this, 'targets inspect control-plane files but the job runs on worker nodes', needsControlPlane,
        'set runOnControlPlane: true, or drop the master, controlplane and etcd targets');
    }
    const policies = targets.includes(KubeBenchTarget.POLICIES);

    const metadata = { name: this.name, namespace, labels };
    const podSelector = { 'app.kubernetes.io/name': 'kube-bench', 'app.kubernetes.io/instance': this.name };
    // kube-bench serves nothing: deny all ingress to its pods.
    this.networkPolicy = createNetworkPolicy(this, 'network-policy', { metadata, podSelector, ingress: [] });
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'service-account', { metadata, automountServiceAccountToken: false });
    const clusterRoleName = validateDnsSubdomain(this, 'clusterRoleName', props.clusterRoleName ?? `${namespace}-${this.name}`);
    if (policies) {
      this.clusterRole = clusterScoped(new k8s.KubeClusterRole(this, 'cluster-role', { metadata: { name: clusterRoleName, labels }, rules: POLICIES_READ }));
      this.clusterRoleBinding = clusterScoped(new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
        metadata: { name: clusterRoleName, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole.name },
        subjects: [{ kind: 'ServiceAccount', name: this.name, namespace }],
      }));
    }

    this.workload = new k8s.KubeCronJob(this, 'Resource', {
      metadata,
      spec: {
        schedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: 600,
            template: {
              metadata: { labels: { ...labels, ...podSelector } },
              spec: {
                serviceAccountName: this.name,
                // The token is needed to read the API: the policies audits, and the
                // cluster version when no benchmark is given (/version is public).
                automountServiceAccountToken: policies || props.benchmark === undefined,
                // kube-bench checks the flags of the running kubelet/apiserver/etcd processes.
                hostPid: true,
                restartPolicy: 'Never',
                nodeSelector: runOnControlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : undefined,
                tolerations: runOnControlPlane ? CONTROL_PLANE_TAINTS.map((key) => ({ key, operator: 'Exists', effect: 'NoSchedule' })) : undefined,
                containers: [{
                  name: 'kube-bench',
                  image,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['kube-bench'],
                  args: [
                    'run',
                    `--targets=${targets.join(',')}`,
                    ...(props.benchmark ? [`--benchmark=${props.benchmark}`] : []),
                    '--json',
                  ],
                  // Runs as root to read root-only files (PKI keys' permissions, kubelet config);
                  // it never needs more privileges than it starts with.
                  securityContext: { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } },
                  resources: {
                    requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
                    limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') },
                  },
                  volumeMounts: HOST_PATHS.map(([name, , mountPath]) => ({ name, mountPath, readOnly: true })),
                }],
                volumes: HOST_PATHS.map(([name, path]) => ({ name, hostPath: { path } })),
              },
            },
          },
        },
      },
    });
  }
}
