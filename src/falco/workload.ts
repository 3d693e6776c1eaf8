import { optionalArgument } from '../common/arguments';
import { validationError } from '../common/validation';

/** The Kubernetes workload that runs Falco (the chart's `controller.kind`). */
export enum FalcoWorkloadKind {
  /** One Falco per node: required by a syscall driver. */
  DAEMON_SET = 'DaemonSet',
  /** A fixed number of replicas: for plugin-only sources (`FalcoDriver.none()`). */
  DEPLOYMENT = 'Deployment',
}

/** Options of `FalcoWorkload.deployment()`. */
export interface FalcoDeploymentWorkloadOptions {
  /**
   * Number of Falco replicas (the chart's `controller.deployment.replicas`).
   * More than one only suits push plugins behind a Service (e.g. k8saudit);
   * each replica of a pull plugin (cloudtrail, okta, github, ...) would fetch
   * and report every event.
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * How Falco is deployed (the chart's `controller.kind`): a DaemonSet for
 * syscall monitoring, or a Deployment for plugin-only sources such as the
 * k8saudit webhook or cloud audit plugins.
 *
 * @see https://github.com/falcosecurity/charts/tree/master/charts/falco#deploying-falco-in-kubernetes
 */
export class FalcoWorkload {
  /** A DaemonSet: one Falco per node, as a syscall driver needs. */
  public static daemonSet(): FalcoWorkload {
    return new FalcoWorkload(FalcoWorkloadKind.DAEMON_SET);
  }

  /** A Deployment, for plugin-only sources (use with `FalcoDriver.none()`, its default there). */
  public static deployment(options: FalcoDeploymentWorkloadOptions = {}): FalcoWorkload {
    options = optionalArgument('FalcoWorkload.deployment', 'options', options) ?? {};
    const replicas = options.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw validationError('FalcoWorkload.deployment', 'replicas must be a positive integer', replicas, 'use 1 (the chart default) or more');
    }
    return new FalcoWorkload(FalcoWorkloadKind.DEPLOYMENT, replicas);
  }

  private constructor(
    /** The workload kind. */
    public readonly kind: FalcoWorkloadKind,
    /** Replicas of a Deployment; undefined for a DaemonSet. */
    public readonly replicas?: number,
  ) {}
}
