import { Chart } from 'cdk8s';
import { ArgoCdClusterSource, FleetArgoCdOptions } from './gitops-options';
import type * as applicationSets from '../../imports/applicationsets-argoproj.io';
import type * as appProjects from '../../imports/appprojects-argoproj.io';
import type * as gitRepositories from '../../imports/gitrepositories-source.toolkit.fluxcd.io';
import type * as kustomizations from '../../imports/kustomizations-kustomize.toolkit.fluxcd.io';
import type * as ociRepositories from '../../imports/ocirepositories-source.toolkit.fluxcd.io';

/*
 * The generated Argo CD and Flux classes (the ApplicationSet's alone is 3 MB of
 * code) are loaded when a fleet renders them, not with the library.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const argo = () => ({
  ApplicationSet: (require('../../imports/applicationsets-argoproj.io') as typeof applicationSets).ApplicationSet,
  AppProject: (require('../../imports/appprojects-argoproj.io') as typeof appProjects).AppProject,
});
const flux = () => ({
  GitRepository: (require('../../imports/gitrepositories-source.toolkit.fluxcd.io') as typeof gitRepositories).GitRepository,
  OciRepository: (require('../../imports/ocirepositories-source.toolkit.fluxcd.io') as typeof ociRepositories).OciRepository,
  kustomize: require('../../imports/kustomizations-kustomize.toolkit.fluxcd.io') as typeof kustomizations,
});
/* eslint-enable @typescript-eslint/no-require-imports */

/** Where the fleet's output is, resolved. */
export interface ResolvedRepository {
  readonly url: string;
  readonly oci: boolean;
  readonly revision: string;
  /** Path of the output directory in the repository, without leading `./` or trailing `/`. */
  readonly path: string;
}

/** What the GitOps objects need to know of one cluster's output. */
export interface ClusterOutput {
  readonly name: string;
  /** Namespaces its objects are in. */
  readonly namespaces: string[];
  /** `group/kind` of its cluster-scoped objects (group empty for the core group). */
  readonly clusterScopedKinds: string[];
  /** Whether it has objects of CRDs that another installation provides (the `custom-resources` directory). */
  readonly hasCustomResources: boolean;
}

/** The two parts of a cluster's directory: what needs no CRD, and what does. */
export const BASE_DIR = 'base';
export const CUSTOM_RESOURCES_DIR = 'custom-resources';

/** Argo CD sync waves: namespaces (with their Pod Security labels) first, custom resources last. */
export const ARGO_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const ARGO_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const NAMESPACE_WAVE = '-1';
export const CUSTOM_RESOURCE_WAVE = '1';

/** The default label the cluster generator selects Argo CD clusters by. */
export const FLEET_LABEL = 'security-monitoring.io/fleet';

const clusterDir = (repo: ResolvedRepository, cluster: string) => `${repo.path}/clusters/${cluster}`;

/** Argo CD: an AppProject (unless turned off) and an ApplicationSet with one Application per cluster. */
export function addArgoCd(chart: Chart, fleet: string, repo: ResolvedRepository, options: FleetArgoCdOptions, clusters: ClusterOutput[]): void {
  const { ApplicationSet, AppProject } = argo();
  const namespace = options.namespace ?? 'argocd';
  const createProject = options.createProject ?? true;
  const project = createProject ? fleet : options.project ?? 'default';
  if (createProject) {
    const namespaces = [...new Set(clusters.flatMap((c) => c.namespaces))].sort();
    const kinds = [...new Set(clusters.flatMap((c) => c.clusterScopedKinds))].sort();
    new AppProject(chart, 'project', {
      metadata: { name: fleet, namespace },
      spec: {
        description: `Security monitoring fleet "${fleet}": only its repository, its namespaces and its cluster-scoped kinds`,
        sourceRepos: [repo.url],
        // Any cluster (by server or by name, as the Applications name theirs), only the fleet's namespaces.
        destinations: namespaces.map((ns) => ({ server: '*', name: '*', namespace: ns })),
        clusterResourceWhitelist: kinds.map((kind) => ({ group: kind.split('/')[0], kind: kind.split('/')[1] })),
      },
    });
  }
  const byDirectory = (options.clusterSource ?? ArgoCdClusterSource.GIT_DIRECTORIES) === ArgoCdClusterSource.GIT_DIRECTORIES;
  const automated = options.automatedSync ?? true;
  new ApplicationSet(chart, 'applicationset', {
    metadata: { name: fleet, namespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [byDirectory
        ? { git: { repoUrl: repo.url, revision: repo.revision, directories: [{ path: `${repo.path}/clusters/*` }] } }
        : { clusters: { selector: { matchLabels: options.clusterSelector ?? { [FLEET_LABEL]: fleet } } } }],
      template: {
        metadata: {
          name: `${fleet}-${byDirectory ? '{{.path.basename}}' : '{{.name}}'}`,
          labels: { [FLEET_LABEL]: fleet },
        },
        spec: {
          project,
          source: {
            repoUrl: repo.url,
            targetRevision: repo.revision,
            path: byDirectory ? '{{.path.path}}' : `${repo.path}/clusters/{{.name}}`,
            // Both parts of the cluster's directory; sync waves order them.
            directory: { recurse: true },
          },
          destination: byDirectory ? { name: '{{.path.basename}}' } : { server: '{{.server}}' },
          syncPolicy: {
            ...(automated ? { automated: { prune: true, selfHeal: true } } : {}),
            // The stack renders its namespaces (with Pod Security labels) itself; server-side apply
            // takes ConfigMaps over the 256 KiB that client-side apply's annotation allows.
            syncOptions: ['CreateNamespace=false', 'ServerSideApply=true', 'PruneLast=true'],
          },
        },
      },
    },
  });
}

/**
 * Flux, for the cluster's own Flux: the source, a Kustomization of the
 * cluster's base, and one of its custom resources that waits for the base and
 * for the Kustomizations installing their CRDs.
 */
export function addFlux(chart: Chart, fleet: string, repo: ResolvedRepository, options: FluxOptionsResolved, cluster: ClusterOutput): void {
  const { GitRepository, OciRepository, kustomize } = flux();
  const metadata = (name: string) => ({ name, namespace: options.namespace });
  const secretRef = options.secretName === undefined ? undefined : { name: options.secretName };
  if (repo.oci) {
    const digest = repo.revision.startsWith('sha256:');
    new OciRepository(chart, 'source', {
      metadata: metadata(fleet),
      spec: { url: repo.url, interval: options.interval, ref: digest ? { digest: repo.revision } : { tag: repo.revision }, secretRef },
    });
  } else {
    const commit = /^[0-9a-f]{40}$/.test(repo.revision);
    new GitRepository(chart, 'source', {
      metadata: metadata(fleet),
      spec: { url: repo.url, interval: options.interval, ref: commit ? { commit: repo.revision } : { branch: repo.revision }, secretRef },
    });
  }
  const sourceRef = {
    kind: repo.oci ? kustomize.KustomizationSpecSourceRefKind.OCI_REPOSITORY : kustomize.KustomizationSpecSourceRefKind.GIT_REPOSITORY,
    name: fleet,
  };
  const base = `${fleet}-${cluster.name}`;
  const common = { interval: options.interval, sourceRef, prune: true, wait: true, timeout: '5m' };
  new kustomize.Kustomization(chart, 'base', {
    metadata: metadata(base),
    spec: { ...common, path: `./${clusterDir(repo, cluster.name)}/${BASE_DIR}` },
  });
  if (cluster.hasCustomResources) {
    new kustomize.Kustomization(chart, 'custom-resources', {
      metadata: metadata(`${base}-${CUSTOM_RESOURCES_DIR}`),
      spec: {
        ...common,
        path: `./${clusterDir(repo, cluster.name)}/${CUSTOM_RESOURCES_DIR}`,
        dependsOn: [{ name: base }, ...options.dependsOn.map((name) => ({ name }))],
      },
    });
  }
}

/** `FleetFluxOptions` with its defaults. */
export interface FluxOptionsResolved {
  readonly namespace: string;
  readonly interval: string;
  readonly dependsOn: string[];
  readonly secretName?: string;
}
