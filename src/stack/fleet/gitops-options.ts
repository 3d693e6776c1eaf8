import { Duration } from 'cdk8s';

/**
 * Where the fleet's synthesized manifests are committed: Argo CD and Flux
 * read them from there.
 */
export interface FleetRepository {
  /**
   * URL of the repository: `https://...` or `ssh://...` for a Git repository,
   * `oci://...` for an OCI artifact (Flux only: an `OCIRepository` source).
   */
  readonly url: string;

  /**
   * What to deploy: a branch (or a 40-character commit SHA) of a Git
   * repository; a tag (or a `sha256:` digest) of an OCI artifact.
   * @default 'main' (Git), 'latest' (OCI)
   */
  readonly revision?: string;

  /**
   * The directory in the repository holding the fleet's output (what
   * `synth()` wrote into its `outdir`): the cluster directories are
   * `<path>/clusters/<cluster>`.
   * @default 'dist'
   */
  readonly path?: string;
}

/** Which clusters the Argo CD `ApplicationSet` deploys to. */
export enum ArgoCdClusterSource {
  /**
   * A Git directory generator over `<path>/clusters/*`: one Application per
   * cluster directory, deployed to the Argo CD cluster of the same name. A
   * cluster joins the fleet when its directory is committed.
   */
  GIT_DIRECTORIES = 'git-directories',
  /**
   * A cluster generator: one Application per Argo CD cluster whose Secret
   * carries `clusterSelector`'s labels, reading `<path>/clusters/<cluster name>`.
   */
  CLUSTER_SECRETS = 'cluster-secrets',
}

/** Delivery of the fleet by Argo CD (in the cluster that runs Argo CD). */
export interface FleetArgoCdOptions {
  /**
   * Namespace Argo CD runs in, and of the ApplicationSet and AppProject.
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * How the ApplicationSet finds the clusters.
   * @default ArgoCdClusterSource.GIT_DIRECTORIES
   */
  readonly clusterSource?: ArgoCdClusterSource;

  /**
   * Labels of the Argo CD cluster Secrets to deploy to, with
   * `ArgoCdClusterSource.CLUSTER_SECRETS`.
   * @default { 'security-monitoring.io/fleet': <fleet name> }
   */
  readonly clusterSelector?: { [key: string]: string };

  /**
   * An `AppProject` for the fleet's Applications, allowing only the fleet's
   * repository, namespaces and cluster-scoped kinds. Off: the Applications
   * use `project`.
   * @default true
   */
  readonly createProject?: boolean;

  /**
   * The project of the Applications when `createProject` is off.
   * @default 'default'
   */
  readonly project?: string;

  /**
   * Sync automatically, pruning what the fleet no longer renders and
   * reverting drift (`automated: { prune, selfHeal }`).
   * @default true
   */
  readonly automatedSync?: boolean;
}

/** Delivery of the fleet by Flux (each cluster's Flux reads `<outdir>/flux/<cluster>`). */
export interface FleetFluxOptions {
  /**
   * Namespace of the Flux objects.
   * @default 'flux-system'
   */
  readonly namespace?: string;

  /**
   * How often Flux checks the source and re-applies (`spec.interval`,
   * written as a Go duration: `Duration.days(1)` is `24h`).
   * @default Duration.minutes(10)
   */
  readonly interval?: Duration;

  /**
   * Flux Kustomizations (in `namespace`) that install the CRDs the fleet's
   * custom resources need (PrometheusRule, ServiceMonitor,
   * AlertmanagerConfig, GrafanaDashboard), e.g. `['kube-prometheus-stack']`:
   * the custom resources wait for them.
   * @default - the custom resources wait only for the cluster's base
   */
  readonly dependsOn?: string[];

  /**
   * Secret (in `namespace`) with the credentials of the repository.
   * @default - a public repository
   */
  readonly secretName?: string;
}
