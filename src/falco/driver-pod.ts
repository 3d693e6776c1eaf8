import { k8s } from 'cdk8s-plus-28';
import { FalcoDriver, FalcoDriverKind } from './driver';
import { hardenedContainerSecurityContext } from '../common/container-hardening';

/** Where Falco and the driver loader see the host's root (`HOST_ROOT`). */
export const HOST_ROOT = '/host';
/** Drop-in directory the driver loader writes the engine it picked into (Falco's `config_files`). */
export const CONFIG_D = '/etc/falco/config.d';

/** The volume holding falco.yaml, declared by the Falco pod. */
export const FALCO_YAML_VOLUME = 'falco-yaml';

/** The parts of the Falco pod that depend on the driver. */
export interface DriverPodParts {
  readonly securityContext: k8s.SecurityContext;
  /** The pod's security context; undefined leaves each container's own. */
  readonly podSecurityContext?: k8s.PodSecurityContext;
  readonly podAnnotations: Record<string, string>;
  readonly volumes: k8s.Volume[];
  readonly mounts: k8s.VolumeMount[];
  readonly initContainers: k8s.Container[];
  /** The `engine` section of falco.yaml; undefined without a syscall driver. */
  readonly engine?: Record<string, unknown>;
  /** Extra arguments of the Falco command. */
  readonly args: string[];
}

/**
 * Without a driver Falco only reads plugin sources over the network or from
 * cloud APIs: nothing on the host, no capability, no root. The UID is
 * arbitrary (the image has no non-root user); fsGroup lets it and falcoctl
 * share the emptyDirs.
 */
const NO_DRIVER_UID = 1000;
const NO_DRIVER_PARTS: DriverPodParts = {
  securityContext: { ...hardenedContainerSecurityContext(), seccompProfile: { type: 'RuntimeDefault' } },
  podSecurityContext: {
    runAsNonRoot: true,
    runAsUser: NO_DRIVER_UID,
    runAsGroup: NO_DRIVER_UID,
    fsGroup: NO_DRIVER_UID,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  podAnnotations: {},
  volumes: [],
  mounts: [],
  initContainers: [],
  // Falco enables the syscall source unless told otherwise, and would then fail to
  // open a driver (charts/falco _helpers.tpl falco.configSyscallSource).
  args: ['--disable-source', 'syscall'],
};

// The chart's driver defaults (charts/falco/values.yaml driver.*): 4 = 8 MiB ring buffers,
// one buffer for every 2 CPUs with modern eBPF.
const MODERN_EBPF_ENGINE = { buf_size_preset: 4, drop_failed_exit: false, cpus_for_each_buffer: 2, disable_iterators: false };
const KMOD_ENGINE = { buf_size_preset: 4, drop_failed_exit: false };

/**
 * Exactly the capabilities the modern eBPF probe needs when not privileged
 * (charts/falco pod-template.tpl, leastPrivileged):
 * BPF loads the probe and its maps; PERFMON attaches it to tracepoints and reads
 * the ring buffers; SYS_RESOURCE raises the locked-memory limit for the maps;
 * SYS_PTRACE lets Falco read /proc/<pid> of every process for its initial
 * process table.
 */
export const LEAST_PRIVILEGED_CAPABILITIES = ['BPF', 'SYS_RESOURCE', 'PERFMON', 'SYS_PTRACE'];

function hostPath(name: string, path: string, mountPath: string, readOnly: boolean): { volume: k8s.Volume; mount: k8s.VolumeMount } {
  return { volume: { name, hostPath: { path } }, mount: { name, mountPath, readOnly: readOnly || undefined } };
}

export function driverPodParts(driver: FalcoDriver, containerName: string, loaderImage: string): DriverPodParts {
  if (!driver.capturesSyscalls) return NO_DRIVER_PARTS;
  // Every driver: /proc for the process table (rw when a loader runs, as in the chart,
  // because the loader's helpers probe it), /etc for the host's OS release and hostname.
  const host = [
    hostPath('proc-fs', '/proc', `${HOST_ROOT}/proc`, !driver.needsLoader),
    hostPath('etc-fs', '/etc', `${HOST_ROOT}/etc`, true),
  ];
  if (driver.kind !== FalcoDriverKind.KMOD) {
    // BTF (/sys/kernel/btf/vmlinux) lets the CO-RE probe adapt to the running kernel.
    host.push(hostPath('sys-fs', '/sys/kernel', '/sys/kernel', true));
  }
  if (driver.needsLoader) {
    // The kernel module exposes its ring buffers as /dev/falco* and its parameters in /sys/module.
    host.push(hostPath('dev-fs', '/dev', `${HOST_ROOT}/dev`, true), hostPath('sys-module-fs', '/sys/module', '/sys/module', false));
  }
  const volumes = host.map((h) => h.volume);
  const mounts = host.map((h) => h.mount);

  const initContainers: k8s.Container[] = [];
  if (driver.needsLoader) {
    // The loader builds or downloads the module for the running kernel: it needs the
    // kernel headers (/usr, /lib/modules, /boot) and, to insert the module, privileges.
    const loaderHost = [
      hostPath('boot-fs', '/boot', `${HOST_ROOT}/boot`, true),
      hostPath('lib-modules', '/lib/modules', `${HOST_ROOT}/lib/modules`, false),
      hostPath('usr-fs', '/usr', `${HOST_ROOT}/usr`, true),
    ];
    volumes.push(...loaderHost.map((h) => h.volume), { name: 'specialized-falco-configs', emptyDir: {} });
    const configD = { name: 'specialized-falco-configs', mountPath: CONFIG_D };
    mounts.push(configD);
    initContainers.push({
      name: `${containerName}-driver-loader`,
      image: loaderImage,
      imagePullPolicy: 'IfNotPresent',
      args: [driver.kind],
      securityContext: { privileged: true, allowPrivilegeEscalation: true },
      // Bounded like every container; building a module with DKMS needs the memory headroom.
      resources: {
        requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
        limits: { cpu: k8s.Quantity.fromString('1000m'), memory: k8s.Quantity.fromString('1Gi') },
      },
      volumeMounts: [
        { name: 'root-falco-fs', mountPath: '/root/.falco' },
        { name: 'proc-fs', mountPath: `${HOST_ROOT}/proc`, readOnly: true },
        ...loaderHost.map((h) => h.mount),
        { name: 'etc-fs', mountPath: `${HOST_ROOT}/etc`, readOnly: true },
        configD,
        // auto, without a ConfigMap to update, makes falcoctl check engine.kind in the
        // local falco.yaml (falcoctl cmd/driver/config) before writing its drop-in.
        ...(driver.kind === FalcoDriverKind.AUTO ? [{ name: FALCO_YAML_VOLUME, mountPath: '/etc/falco/falco.yaml', subPath: 'falco.yaml', readOnly: true }] : []),
      ],
      // kmod: the engine is fixed in falco.yaml, so the loader must not rewrite it.
      // auto: the loader writes the engine it picked into config.d/engine-kind-falcoctl.yaml,
      // which Falco reads after falco.yaml; no ConfigMap update, so no API token or Role.
      env: [
        { name: 'HOST_ROOT', value: HOST_ROOT },
        ...(driver.kind === FalcoDriverKind.KMOD ? [{ name: 'FALCOCTL_DRIVER_CONFIG_UPDATE_FALCO', value: 'false' }] : []),
      ],
    });
  }

  const engine: Record<string, unknown> = { kind: driver.kind === FalcoDriverKind.AUTO ? FalcoDriverKind.MODERN_EBPF : driver.kind };
  if (driver.kind !== FalcoDriverKind.MODERN_EBPF) engine.kmod = KMOD_ENGINE;
  if (driver.kind !== FalcoDriverKind.KMOD) engine.modern_ebpf = MODERN_EBPF_ENGINE;

  return {
    securityContext: driver.leastPrivileged
      ? {
        capabilities: { add: LEAST_PRIVILEGED_CAPABILITIES },
        // The runtime's default seccomp profile may refuse bpf() and perf_event_open()
        // to a container without CAP_SYS_ADMIN; a privileged container ignores seccomp.
        seccompProfile: { type: 'Unconfined' },
      }
      // The API server rejects privileged: true with allowPrivilegeEscalation: false.
      : { privileged: true, allowPrivilegeEscalation: true },
    // Default AppArmor profiles deny loading BPF programs; privileged containers run unconfined anyway.
    podAnnotations: driver.leastPrivileged ? { [`container.apparmor.security.beta.kubernetes.io/${containerName}`]: 'unconfined' } : {},
    volumes,
    mounts,
    initContainers,
    engine,
    args: [],
  };
}
