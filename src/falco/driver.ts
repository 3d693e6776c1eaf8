import { optionalArgument } from '../common/arguments';
/** Options of the modern eBPF driver. */
export interface ModernEbpfOptions {
  /**
   * Run Falco with the few capabilities the modern eBPF probe needs instead of
   * a privileged container. Needs a kernel with `CAP_BPF`/`CAP_PERFMON` (5.8+,
   * which modern eBPF requires anyway).
   *
   * @default true
   */
  readonly leastPrivileged?: boolean;
}

/** The kinds of Falco's `engine.kind` setting this library offers. */
export enum FalcoDriverKind {
  /** CO-RE eBPF probe bundled in the Falco binary. */
  MODERN_EBPF = 'modern_ebpf',
  /** Kernel module, built or downloaded by the driver loader. */
  KMOD = 'kmod',
  /** The driver loader picks modern eBPF when the kernel supports it, the kernel module otherwise. */
  AUTO = 'auto',
  /** No syscall driver: Falco runs with `--disable-source syscall` and only plugin sources. */
  NONE = 'none',
}

/**
 * How Falco collects syscalls (`engine.kind`). The legacy eBPF probe and gVisor
 * engines were removed from Falco and are not offered.
 *
 * @see https://falco.org/docs/concepts/event-sources/kernel/
 */
export class FalcoDriver {
  /**
   * The modern eBPF probe (recommended): nothing to build or load on the host.
   */
  public static modernEbpf(options: ModernEbpfOptions = {}): FalcoDriver {
    options = optionalArgument('FalcoDriver.modernEbpf', 'options', options) ?? {};
    return new FalcoDriver(FalcoDriverKind.MODERN_EBPF, options.leastPrivileged ?? true);
  }

  /** The kernel module: needs a privileged container and a driver loader init container. */
  public static kmod(): FalcoDriver {
    return new FalcoDriver(FalcoDriverKind.KMOD, false);
  }

  /** Let the driver loader choose between modern eBPF and the kernel module on each node (privileged). */
  public static auto(): FalcoDriver {
    return new FalcoDriver(FalcoDriverKind.AUTO, false);
  }

  /**
   * No syscall driver (the chart's `driver.enabled: false`): Falco only reads
   * plugin event sources, e.g. the k8saudit webhook or cloud audit logs. It
   * needs no host access and no privilege, so it can run as a Deployment
   * (`FalcoWorkload.deployment()`) under the `restricted` Pod Security Standard.
   */
  public static none(): FalcoDriver {
    return new FalcoDriver(FalcoDriverKind.NONE, true);
  }

  private constructor(
    /** The driver kind. */
    public readonly kind: FalcoDriverKind,
    /** Whether Falco runs with capabilities instead of a privileged container. */
    public readonly leastPrivileged: boolean,
  ) {}

  /** Whether a driver loader init container prepares the host before Falco starts. */
  public get needsLoader(): boolean {
    return this.kind !== FalcoDriverKind.MODERN_EBPF && this.kind !== FalcoDriverKind.NONE;
  }

  /** Whether Falco captures syscalls (the `syscall` event source is on). */
  public get capturesSyscalls(): boolean {
    return this.kind !== FalcoDriverKind.NONE;
  }
}
