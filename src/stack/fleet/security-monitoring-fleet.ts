import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, JsonPatch, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  addArgoCd, addFlux, ARGO_SYNC_OPTIONS, ARGO_SYNC_WAVE, BASE_DIR, ClusterOutput, CUSTOM_RESOURCE_WAVE, CUSTOM_RESOURCES_DIR,
  FluxOptionsResolved, NAMESPACE_WAVE, ResolvedRepository,
} from './gitops';
import { ArgoCdClusterSource, FleetArgoCdOptions, FleetFluxOptions, FleetRepository } from './gitops-options';
import { applyOverrides, describeOverrides, OverrideChange } from './overrides';
import { optionalArgument, requiredArgument } from '../../common/arguments';
import { clusterIdentityLabels } from '../../common/cluster-identity';
import { didYouMean } from '../../common/did-you-mean';
import { goDuration } from '../../common/duration';
import { validateDnsLabel, validateDnsSubdomain, validateLabels, ValidationError, validationError } from '../../common/validation';
import { SecurityMonitoringStack, SecurityMonitoringStackProps } from '../security-monitoring-stack';

/** One cluster of a `SecurityMonitoringFleet`. */
export interface FleetClusterProps {
  /**
   * Name of the cluster: its directory (`clusters/<name>`), its `cluster`
   * label on every signal and, with Argo CD's Git directory generator, the
   * name of its Argo CD cluster. A DNS-1123 label.
   */
  readonly name: string;

  /**
   * Identity labels set beside `cluster` on every signal, e.g.
   * `{ environment: 'prod', region: 'eu-west-1' }`.
   * @default {}
   */
  readonly labels?: { [key: string]: string };

  /**
   * What this cluster does differently, over the fleet's base: plain objects
   * merge key by key (`{ falco: { driver: FalcoDriver.kmod() } }` keeps the
   * base's other Falco settings), lists and the library's objects replace, a
   * key set to `undefined` removes the base's value.
   * @default - the base as it is
   */
  readonly overrides?: SecurityMonitoringStackProps;
}

/** Properties of a `SecurityMonitoringFleet`. */
export interface SecurityMonitoringFleetProps {
  /**
   * Name of the fleet: names the Argo CD ApplicationSet and AppProject and the
   * Flux source and Kustomizations. A DNS-1123 label.
   * @default 'security-monitoring'
   */
  readonly name?: string;

  /**
   * The definition every cluster starts from. Its `cluster` must be unset:
   * each cluster sets its own.
   * @default - the stack's defaults
   */
  readonly base?: SecurityMonitoringStackProps;

  /** The clusters, each with its name, identity labels and overrides. */
  readonly clusters: FleetClusterProps[];

  /**
   * Where the output is committed, for Argo CD and Flux. Required with
   * `argoCd` or `flux`.
   * @default - no GitOps objects
   */
  readonly repository?: FleetRepository;

  /**
   * Render an Argo CD ApplicationSet (and AppProject) into `argocd/`, and
   * sync waves on the cluster objects.
   * @default - no Argo CD objects
   */
  readonly argoCd?: FleetArgoCdOptions;

  /**
   * Render, for each cluster's Flux, a source and Kustomizations into
   * `flux/<cluster>/`.
   * @default - no Flux objects
   */
  readonly flux?: FleetFluxOptions;
}

/** A cluster of the fleet: its definition as built, for escape hatches (`stack.falco.addRule(...)`). */
export class FleetCluster {
  /** @internal */
  public static _create(name: string, app: App, stack: SecurityMonitoringStack, changes: OverrideChange[]): FleetCluster {
    return new FleetCluster(name, app, stack, changes);
  }

  private constructor(
    /** Name of the cluster. */
    public readonly name: string,
    /** The app holding the cluster's chart. */
    public readonly app: App,
    /** The cluster's stack. */
    public readonly stack: SecurityMonitoringStack,
    private readonly changes: OverrideChange[],
  ) {}

  /** How this cluster differs from the base, one line per prop. */
  public get differences(): string[] {
    return this.changes.map((c) => `${c.path}: ${c.base ?? 'unset'} -> ${c.value ?? 'removed'}`);
  }
}

/** The chart id of every cluster: the same in every cluster, so generated names do not differ between them. */
const CHART_ID = 'security-monitoring';
const FILE = `${CHART_ID}.k8s.yaml`;
const SUMMARY_FILE = 'fleet-summary.md';

/**
 * One security monitoring definition for many clusters: a base
 * `SecurityMonitoringStack` definition plus, per cluster, its name, identity
 * labels and overrides. `synth()` writes one directory per cluster
 * (`clusters/<name>/base` and `clusters/<name>/custom-resources`, the objects
 * of CRDs another installation provides), the GitOps objects that deliver
 * them (Argo CD, Flux) and `fleet-summary.md`, what each cluster changes.
 * Every signal of a cluster names it (see `SecurityMonitoringStackProps.cluster`).
 *
 * It is not a construct of an app: each cluster is an app of its own
 * (`clusters[i].app`), so that each synthesizes, validates and fails alone.
 *
 * @example
 * const fleet = new SecurityMonitoringFleet({
 *   base: { siem: { destinations: [splunk] } },
 *   clusters: [{ name: 'dev', overrides: { alerting: undefined } }, { name: 'prod', labels: { environment: 'prod' } }],
 *   repository: { url: 'https://git.example.com/platform/security.git', path: 'deploy/security' },
 *   argoCd: {},
 * });
 * fleet.synth('deploy/security');
 */
export class SecurityMonitoringFleet {
  /** Name of the fleet. */
  public readonly name: string;

  /** The clusters, in the order given. */
  public readonly clusters: FleetCluster[];

  private readonly props: SecurityMonitoringFleetProps;
  private readonly gitOpsPatches: Array<{ kind: string; patch: JsonPatch }> = [];
  private readonly repository?: ResolvedRepository;
  private readonly fluxOptions?: FluxOptionsResolved;

  constructor(props: SecurityMonitoringFleetProps) {
    props = requiredArgument('SecurityMonitoringFleet', 'props', props, '{ clusters: [{ name: "prod-eu-1" }] }');
    const where = 'SecurityMonitoringFleet';
    this.name = validateDnsLabel(where, 'name', props?.name ?? 'security-monitoring');
    const at = `${where} "${this.name}"`;
    this.props = props;
    if (!Array.isArray(props.clusters) || props.clusters.length === 0) {
      throw validationError(at, 'clusters is empty', props.clusters, 'list the clusters, e.g. clusters: [{ name: "prod-eu-1" }]');
    }
    if (props.base?.cluster !== undefined) {
      throw validationError(at, 'base sets cluster', props.base.cluster, 'leave cluster out of base: each cluster of the fleet names itself');
    }
    const seen = new Set<string>();
    for (const cluster of props.clusters) {
      const name = validateDnsLabel(at, 'cluster name', cluster?.name);
      if (seen.has(name)) throw validationError(at, `cluster "${name}" is listed twice`, name, 'give every cluster its own name (it names its directory)');
      seen.add(name);
    }
    this.repository = resolveRepository(at, props);
    this.fluxOptions = props.flux && resolveFlux(`${at}: flux`, props.flux, this.name, [...seen]);
    if (props.argoCd) validateArgoCd(`${at}: argoCd`, props.argoCd);
    this.clusters = props.clusters.map((cluster) => this.buildCluster(cluster));
  }

  /**
   * What differs between the clusters and the base, as Markdown: each
   * cluster's identity and overrides, with the base's value beside each.
   */
  public summary(): string {
    const lines = [`# Fleet "${this.name}": ${this.clusters.length} cluster${this.clusters.length === 1 ? '' : 's'}`, ''];
    for (const [i, cluster] of this.clusters.entries()) {
      const labels = Object.entries(cluster.stack.clusterLabels).map(([k, v]) => `${k}=${v}`).join(', ');
      lines.push(`## ${cluster.name}`, '', `- identity: ${labels}`);
      lines.push(...(cluster.differences.length === 0 ? ['- the base, unchanged'] : cluster.differences.map((d) => `- ${d}`)));
      if (i < this.clusters.length - 1) lines.push('');
    }
    return `${lines.join('\n')}\n`;
  }

  /**
   * The escape hatch of the GitOps objects, which the fleet builds at
   * `synth()` from what the clusters' output holds: a JSON patch applied to
   * every object of `kind` it writes (each cluster's, for Flux), e.g.
   * `JsonPatch.add('/spec/decryption', { provider: 'sops', secretRef: { name: 'sops-age' } })`
   * on `Kustomization`. The patched objects are checked against the CRDs'
   * schemas like the rest of the output.
   * @param kind `ApplicationSet` or `AppProject` (Argo CD), `GitRepository`, `OCIRepository` or `Kustomization` (Flux)
   * @param patch the patch, e.g. `JsonPatch.add('/spec/template/spec/syncPolicy/retry', { limit: 5 })`
   */
  public addGitOpsJsonPatch(kind: string, patch: JsonPatch): void {
    kind = requiredArgument(this.name, 'kind', kind, `one of ${GITOPS_KINDS.join(', ')}`);
    patch = requiredArgument(this.name, 'patch', patch, 'a cdk8s JsonPatch, e.g. JsonPatch.add("/metadata/annotations/team", "security")');
    if (!GITOPS_KINDS.includes(kind)) {
      throw validationError(`SecurityMonitoringFleet "${this.name}"`, `no GitOps object of kind "${kind}"${didYouMean(kind, GITOPS_KINDS)}`, kind,
        `patch one of the kinds the fleet writes: ${GITOPS_KINDS.join(', ')}; a cluster's own objects are patched through clusters[i].stack`);
    }
    this.gitOpsPatches.push({ kind, patch });
  }

  /**
   * Synthesizes every cluster into `<outdir>/clusters/<name>/`, the GitOps
   * objects into `<outdir>/argocd/` and `<outdir>/flux/<cluster>/`, and the
   * summary into `<outdir>/fleet-summary.md`. The `.k8s.yaml` files a fleet
   * writes there are removed first (and directories they leave empty, nothing
   * else), so a cluster removed from the fleet leaves no directory behind and
   * GitOps prunes it. Byte-identical for the same input.
   * @param outdir the output directory (default `dist`)
   * @returns the files written, relative to `outdir`, sorted
   */
  public synth(outdir: string = 'dist'): string[] {
    outdir = optionalArgument(this.name, 'outdir', outdir) ?? 'dist';
    const files = new Map<string, string>();
    const outputs = this.clusters.map((cluster) => this.synthCluster(cluster, files));
    this.addGitOps(outputs, files);
    files.set(SUMMARY_FILE, this.summary());

    removePreviousOutput(outdir);
    for (const [file, content] of files) {
      fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
      fs.writeFileSync(path.join(outdir, file), content);
    }
    return [...files.keys()].sort();
  }

  private buildCluster(cluster: FleetClusterProps): FleetCluster {
    const overrides = cluster.overrides ?? {};
    const props: SecurityMonitoringStackProps = {
      ...applyOverrides(this.props.base ?? {}, overrides),
      cluster: { name: cluster.name, labels: cluster.labels },
    };
    return inCluster(cluster.name, () => {
      if (overrides.cluster !== undefined) {
        throw validationError('overrides', 'overrides sets cluster', overrides.cluster, 'set the cluster\'s name and labels on the cluster itself');
      }
      clusterIdentityLabels('cluster', { name: cluster.name, labels: cluster.labels });
      const app = new App();
      const stack = new SecurityMonitoringStack(new Chart(app, CHART_ID), 'stack', props);
      return FleetCluster._create(cluster.name, app, stack, describeOverrides(this.props.base ?? {}, overrides));
    });
  }

  /** One cluster's objects, split into the two directories, with sync waves when Argo CD delivers them. */
  private synthCluster(cluster: FleetCluster, files: Map<string, string>): ClusterOutput {
    const manifests = inCluster(cluster.name, () => synthValidated(cluster.app));
    if (this.props.argoCd) manifests.forEach(addSyncWave);
    const custom = manifests.filter(isCustomResource);
    const base = manifests.filter((m) => !isCustomResource(m));
    files.set(`clusters/${cluster.name}/${BASE_DIR}/${FILE}`, Yaml.stringify(...base));
    if (custom.length > 0) files.set(`clusters/${cluster.name}/${CUSTOM_RESOURCES_DIR}/${FILE}`, Yaml.stringify(...custom));
    return {
      name: cluster.name,
      namespaces: [...new Set(manifests.map((m) => m.metadata?.namespace ?? (m.kind === 'Namespace' ? m.metadata.name : undefined)).filter(Boolean))] as string[],
      clusterScopedKinds: [...new Set(manifests.filter((m) => m.metadata?.namespace === undefined).map((m) => `${groupOf(m.apiVersion)}/${m.kind}`))],
      hasCustomResources: custom.length > 0,
    };
  }

  private addGitOps(outputs: ClusterOutput[], files: Map<string, string>): void {
    const repo = this.repository;
    const patched = new Set<string>();
    const render = (file: string, chartId: string, build: (chart: Chart) => void) => {
      const app = new App();
      const chart = new Chart(app, chartId);
      build(chart);
      for (const object of chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
        for (const { kind, patch } of this.gitOpsPatches.filter((p) => p.kind === object.kind)) {
          object.addJsonPatch(patch);
          patched.add(kind);
        }
      }
      files.set(file, Yaml.stringify(...synthValidated(app)));
    };
    if (repo !== undefined && this.props.argoCd) {
      const argoCd = this.props.argoCd;
      render(`argocd/${this.name}.k8s.yaml`, 'argocd', (chart) => addArgoCd(chart, this.name, repo, argoCd, outputs));
    }
    const options = this.fluxOptions;
    if (repo !== undefined && options) {
      for (const output of outputs) render(`flux/${output.name}/${this.name}.k8s.yaml`, 'flux', (chart) => addFlux(chart, this.name, repo, options, output));
    }
    const unused = [...new Set(this.gitOpsPatches.map((p) => p.kind))].filter((kind) => !patched.has(kind));
    if (unused.length > 0) {
      throw validationError(`SecurityMonitoringFleet "${this.name}"`, `a JSON patch of ${unused.join(', ')} patches nothing: the fleet writes no such object`, unused.join(', '),
        'set repository with argoCd (ApplicationSet, AppProject unless createProject is false) or flux (GitRepository or OCIRepository, Kustomization), or remove the patch');
    }
  }
}

/**
 * Removes what a fleet synth writes: `.k8s.yaml` files in the fleet's layout
 * and the summary, then the directories that leaves empty. Other files (a
 * Flux bootstrap under `clusters/<name>/flux-system`, a README) stay.
 */
function removePreviousOutput(outdir: string): void {
  const remove = (dir: string, depth: number): void => {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth > 0) remove(full, depth - 1);
      else if (entry.isFile() && depth === 0 && entry.name.endsWith('.k8s.yaml')) fs.rmSync(full);
    }
    if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  };
  // clusters/<cluster>/<part>/*.k8s.yaml, argocd/*.k8s.yaml, flux/<cluster>/*.k8s.yaml
  remove(path.join(outdir, 'clusters'), 2);
  remove(path.join(outdir, 'argocd'), 0);
  remove(path.join(outdir, 'flux'), 1);
  fs.rmSync(path.join(outdir, SUMMARY_FILE), { force: true });
}

/** The kinds of the GitOps objects a fleet writes, which `addGitOpsJsonPatch` patches. */
const GITOPS_KINDS = ['ApplicationSet', 'AppProject', 'GitRepository', 'OCIRepository', 'Kustomization'];

/** Runs `build`, and names the cluster in any error it throws. */
function inCluster<T>(cluster: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    const where = `cluster "${cluster}"`;
    if (error instanceof ValidationError) throw new ValidationError(`${where}: ${error.where}`, error.what, error.value, error.fix);
    if (error instanceof Error) {
      error.message = `${where}: ${error.message}`;
      throw error;
    }
    throw error;
  }
}

/** The objects of every chart of an app, after cdk8s' validations (as `app.synth()` runs them). */
function synthValidated(app: App): any[] {
  const errors = app.node.findAll().flatMap((c: IConstruct) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  return app.charts.flatMap((chart) => chart.toJson());
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** An object of a CRD another installation provides (Prometheus Operator, grafana-operator, Kuberhealthy), not of Kubernetes itself. */
function isCustomResource(manifest: any): boolean {
  const group = groupOf(manifest.apiVersion);
  return group.includes('.') && !group.endsWith('.k8s.io');
}

/**
 * Argo CD applies lower waves first and waits for them to be healthy: the
 * namespaces (the privileged Falco namespace among them) before anything in
 * them, the custom resources after everything else, and without a dry run
 * while their CRDs may still be missing.
 */
function addSyncWave(manifest: any): void {
  const wave = manifest.kind === 'Namespace' ? NAMESPACE_WAVE : isCustomResource(manifest) ? CUSTOM_RESOURCE_WAVE : undefined;
  if (wave === undefined) return;
  manifest.metadata.annotations = {
    ...manifest.metadata.annotations,
    [ARGO_SYNC_WAVE]: wave,
    ...(wave === CUSTOM_RESOURCE_WAVE ? { [ARGO_SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' } : {}),
  };
}

function resolveRepository(where: string, props: SecurityMonitoringFleetProps): ResolvedRepository | undefined {
  const repo = props.repository;
  if (repo === undefined) {
    if (props.argoCd || props.flux) {
      throw validationError(where, 'argoCd or flux needs the repository the output is committed to', undefined,
        'set repository: { url: "https://git.example.com/platform/security.git", path: "dist" }');
    }
    return undefined;
  }
  const url = String(repo.url ?? '');
  const oci = url.startsWith('oci://');
  if (!/^(https:\/\/|ssh:\/\/|oci:\/\/|git@)[^\s]+$/.test(url)) {
    throw validationError(where, 'repository.url is not a Git or OCI repository URL', repo.url,
      'use https://..., ssh://..., git@host:org/repo.git or oci://...');
  }
  if (oci && props.argoCd) {
    throw validationError(where, 'Argo CD reads the fleet from a Git repository here, but repository.url is an OCI artifact', url,
      'use a Git repository URL, or deliver the OCI artifact with flux');
  }
  const revision = repo.revision ?? (oci ? 'latest' : 'main');
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:]*$/.test(revision)) {
    throw validationError(where, 'repository.revision is not a branch, tag, commit or digest', revision, 'use e.g. "main", "v1.2.0" or a commit SHA');
  }
  const dir = (repo.path ?? 'dist').replace(/^\.\//, '').replace(/\/+$/, '');
  if (dir === '' || dir.split('/').some((part) => part === '' || part === '.' || part === '..') || !/^[A-Za-z0-9._\-/]+$/.test(dir)) {
    throw validationError(where, 'repository.path is not a relative directory in the repository', repo.path,
      'use the directory you commit the output to, e.g. "dist" or "deploy/security"');
  }
  return { url, oci, revision, path: dir };
}

function validateArgoCd(where: string, options: FleetArgoCdOptions): void {
  validateDnsLabel(where, 'namespace', options.namespace ?? 'argocd');
  if (options.project !== undefined) {
    if (options.createProject ?? true) {
      throw validationError(where, 'project is set, but createProject is on (the fleet\'s own project)', options.project, 'set createProject: false to use an existing project');
    }
    validateDnsSubdomain(where, 'project', options.project);
  }
  if (options.clusterSelector !== undefined) {
    if ((options.clusterSource ?? ArgoCdClusterSource.GIT_DIRECTORIES) !== ArgoCdClusterSource.CLUSTER_SECRETS) {
      throw validationError(where, 'clusterSelector is set, but the clusters come from the Git directories', options.clusterSelector,
        'set clusterSource: ArgoCdClusterSource.CLUSTER_SECRETS, or drop clusterSelector');
    }
    validateLabels(where, 'clusterSelector', options.clusterSelector);
  }
}

/** Flux labels every object it applies with the Kustomization's name (kustomize.toolkit.fluxcd.io/name): a label value. */
const LABEL_VALUE_MAX = 63;

function resolveFlux(where: string, options: FleetFluxOptions, fleet: string, clusters: string[]): FluxOptionsResolved {
  // Flux reads a Go duration (no "d" unit): Duration.days(1) is written 24h.
  const interval = goDuration(where, 'interval', options.interval ?? Duration.minutes(10), 'Duration.minutes(10)');
  const longest = clusters.map((c) => `${fleet}-${c}-${CUSTOM_RESOURCES_DIR}`).sort((a, b) => b.length - a.length)[0];
  if (longest.length > LABEL_VALUE_MAX) {
    throw validationError(where, `the Kustomization name "${longest}" is ${longest.length} characters long, more than the ${LABEL_VALUE_MAX} of the label Flux sets it in`,
      longest, 'shorten the fleet name or the cluster name');
  }
  return {
    namespace: validateDnsLabel(where, 'namespace', options.namespace ?? 'flux-system'),
    interval,
    dependsOn: (options.dependsOn ?? []).map((name, i) => validateDnsLabel(where, `dependsOn[${i}]`, name)),
    secretName: options.secretName,
  };
}
