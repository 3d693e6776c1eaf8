import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, JsonPatch } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { buildFleet } from '../../examples/fleet/main';
import { ArgoCdClusterSource, FalcoPriority, SecurityMonitoringFleet, SecurityMonitoringFleetProps } from '../../src';
import { runCheck } from '../../src/cli/check';
import { expectPodSecurityAdmitted, expectValidManifests, Manifest } from '../util';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
const read = (dir: string, file: string): Manifest[] =>
  parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((d) => d.toJS()).filter(Boolean);
const REPO = { url: 'https://git.example.com/platform/security.git', path: 'deploy/security' };

describe('examples/fleet: dev, staging and prod from one definition', () => {
  const outdir = tmp();
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const files = buildFleet().synth(outdir);

  test('writes one directory per cluster, the Argo CD and Flux objects, and the summary', () => {
    expect(files).toEqual([
      'argocd/security-monitoring.k8s.yaml',
      ...['dev', 'prod-eu-1', 'staging'].flatMap((c) => [
        `clusters/${c}/base/security-monitoring.k8s.yaml`, `clusters/${c}/custom-resources/security-monitoring.k8s.yaml`,
      ]),
      'fleet-summary.md',
      'flux/dev/security-monitoring.k8s.yaml', 'flux/prod-eu-1/security-monitoring.k8s.yaml', 'flux/staging/security-monitoring.k8s.yaml',
    ]);
  });

  test('every object is schema-valid (Kubernetes, the operators\' CRDs, Argo CD v3.4 and Flux v1) and Pod Security admits each cluster', () => {
    for (const file of files.filter((f) => f.endsWith('.yaml'))) expectValidManifests(read(outdir, file));
    for (const cluster of ['dev', 'staging', 'prod-eu-1']) {
      expectPodSecurityAdmitted(['base', 'custom-resources'].flatMap((part) => read(outdir, `clusters/${cluster}/${part}/security-monitoring.k8s.yaml`)));
    }
  });

  test('the check CLI finds nothing wrong in the whole output (clusters, Argo CD, Flux)', () => {
    expect(runCheck([outdir], { tools: false })).toEqual({ diagnostics: [], notes: [], exitCode: 0 });
  });

  test('the base directory holds no object of an operator\'s CRD, the custom-resources directory only those', () => {
    for (const cluster of ['dev', 'staging', 'prod-eu-1']) {
      const base = read(outdir, `clusters/${cluster}/base/security-monitoring.k8s.yaml`);
      const custom = read(outdir, `clusters/${cluster}/custom-resources/security-monitoring.k8s.yaml`);
      expect(base.map((m) => m.apiVersion).filter((v) => /\.(com|org|io)\//.test(v) && !v.includes('k8s.io'))).toEqual([]);
      expect(new Set(custom.map((m) => m.apiVersion.split('/')[0]))).toEqual(new Set(
        ['monitoring.coreos.com', ...(custom.some((m) => m.kind === 'GrafanaDashboard') ? ['grafana.integreatly.org'] : [])]));
    }
  });

  test('every signal of a cluster names it: alert labels, Falco output fields, shipped records, the dashboard', () => {
    for (const [cluster, environment] of [['dev', 'dev'], ['staging', 'staging'], ['prod-eu-1', 'prod']]) {
      const objects = ['base', 'custom-resources'].flatMap((part) => read(outdir, `clusters/${cluster}/${part}/security-monitoring.k8s.yaml`));
      const alerts = objects.filter((m) => m.kind === 'PrometheusRule').flatMap((m) => m.spec.groups.flatMap((g: any) => g.rules)).filter((r) => r.alert);
      expect(alerts.length).toBeGreaterThan(10);
      for (const alert of alerts) expect(alert.labels).toMatchObject({ cluster, environment });
      const falco = parse(objects.find((m) => m.kind === 'ConfigMap' && m.data?.['falco.yaml'])!.data['falco.yaml']);
      expect(falco.append_output[0].extra_fields).toContainEqual({ cluster });
      const fluentBit = parse(objects.find((m) => m.kind === 'ConfigMap' && m.data?.['fluent-bit.yaml'])!.data['fluent-bit.yaml']);
      expect(fluentBit.pipeline.filters).toContainEqual({ name: 'modify', match: '*', set: `cluster ${cluster}` });
      const dashboard = JSON.parse(Object.values<string>(objects.find((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('security-overview'))!.data)[0]);
      expect(dashboard.templating.list.map((v: any) => v.name)).toContain('cluster');
    }
  });

  test('each cluster\'s overrides show in its manifests', () => {
    const objects = (cluster: string) => ['base', 'custom-resources'].flatMap((part) => read(outdir, `clusters/${cluster}/${part}/security-monitoring.k8s.yaml`));
    const kinds = (cluster: string) => objects(cluster).map((m) => `${m.kind}/${m.metadata.name}`);
    // dev pages nobody and ships to its own index; prod alone runs anomaly detection.
    expect(kinds('dev')).not.toContain('AlertmanagerConfig/security-alerting');
    expect(kinds('prod-eu-1')).toContain('Deployment/anomaly-detector');
    expect(kinds('staging')).not.toContain('Deployment/anomaly-detector');
    const splunkIndex = (cluster: string) => JSON.stringify(parse(objects(cluster).find((m) => m.data?.['fluent-bit.yaml'])!.data['fluent-bit.yaml'])
      .pipeline.outputs.filter((o: any) => o.name === 'splunk'));
    expect(splunkIndex('dev')).toContain('security-dev');
    expect(splunkIndex('prod-eu-1')).toContain('security-prod');
    // staging's nodes run the kernel module; the others the default modern eBPF probe.
    const driver = (cluster: string) => JSON.stringify(objects(cluster).find((m) => m.kind === 'DaemonSet' && m.metadata.name === 'falco'));
    expect(driver('staging')).toContain('kmod');
    expect(driver('dev')).not.toContain('kmod');
    // staging pages its own PagerDuty service.
    const pagerDuty = (cluster: string) => objects(cluster).find((m) => m.kind === 'AlertmanagerConfig')!.spec.receivers
      .find((r: any) => r.name === 'pagerduty').pagerdutyConfigs[0].routingKey.name;
    expect([pagerDuty('staging'), pagerDuty('prod-eu-1')]).toEqual(['pagerduty-staging', 'pagerduty']);
    // prod raises one alert's threshold; the others keep the catalogue's.
    const authFailures = (cluster: string) => objects(cluster).filter((m) => m.kind === 'PrometheusRule')
      .flatMap((m) => m.spec.groups.flatMap((g: any) => g.rules)).find((r) => r.alert === 'KubeApiServerAuthenticationFailures').expr;
    expect(authFailures('prod-eu-1')).toMatch(/> 5$/);
    expect(authFailures('staging')).toMatch(/> 1$/);
  });

  test('the summary says what each cluster changes against the base', () => {
    const summary = fs.readFileSync(path.join(outdir, 'fleet-summary.md'), 'utf8');
    expect(summary).toMatch(/^# Fleet "security-monitoring": 3 clusters/);
    expect(summary).toContain('## staging\n\n- identity: cluster=staging, environment=staging\n- falco.driver: unset -> FalcoDriver(kind: "kmod"');
    expect(summary).toContain('- alerting.pagerDuty.routingKeySecret.secretName: "pagerduty" -> "pagerduty-staging"');
    expect(summary).toMatch(/## dev\n\n- identity: cluster=dev, environment=dev\n- alerting: \{ pagerDuty: .* -> removed\n- alerts\.workloads: unset -> false/);
    expect(summary).toContain('index: "security-dev"');
    expect(summary).toContain('- alerts.alertOverrides.KubeApiServerAuthenticationFailures.threshold: unset -> 5');
  });

  test('Argo CD: an ApplicationSet over the cluster directories, a least-privilege AppProject, sync waves', () => {
    const [project, appSet] = read(outdir, 'argocd/security-monitoring.k8s.yaml');
    expect(appSet.spec.generators).toEqual([{
      git: {
        repoURL: 'https://git.example.com/platform/security-monitoring.git', revision: 'main', directories: [{ path: 'dist/fleet/clusters/*' }],
      },
    }]);
    expect(appSet.spec.template.spec).toMatchObject({
      project: 'security-monitoring',
      destination: { name: '{{.path.basename}}' },
      source: { path: '{{.path.path}}', directory: { recurse: true }, targetRevision: 'main' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    expect(project.spec.clusterResourceWhitelist.map((k: any) => k.kind)).toEqual(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
    expect(project.spec.destinations.map((d: any) => d.namespace)).toEqual(['falco', 'monitoring', 'security-logging', 'security-monitoring']);
    const base = read(outdir, 'clusters/prod-eu-1/base/security-monitoring.k8s.yaml');
    const custom = read(outdir, 'clusters/prod-eu-1/custom-resources/security-monitoring.k8s.yaml');
    // Namespaces (the privileged Falco one among them) first, custom resources last and without a dry run while CRDs may be missing.
    for (const ns of base.filter((m) => m.kind === 'Namespace')) expect(ns.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
    expect(base.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name)).toContain('falco');
    for (const cr of custom) {
      expect(cr.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-wave': '1', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });
    }
  });

  test('Flux: a source and, per cluster, a Kustomization of the base and one of the custom resources that depends on it and on the CRDs', () => {
    const [source, base, custom] = read(outdir, 'flux/prod-eu-1/security-monitoring.k8s.yaml');
    expect(source).toMatchObject({ kind: 'GitRepository', spec: { url: 'https://git.example.com/platform/security-monitoring.git', ref: { branch: 'main' } } });
    expect(base).toMatchObject({ kind: 'Kustomization', metadata: { name: 'security-monitoring-prod-eu-1' }, spec: { path: './dist/fleet/clusters/prod-eu-1/base', prune: true } });
    expect(custom.spec.path).toBe('./dist/fleet/clusters/prod-eu-1/custom-resources');
    expect(custom.spec.dependsOn).toEqual([{ name: 'security-monitoring-prod-eu-1' }, { name: 'kube-prometheus-stack' }]);
  });

  test('synthesizes byte-identical output twice', () => {
    const again = tmp();
    try {
      buildFleet().synth(again);
      for (const file of files) expect(fs.readFileSync(path.join(again, file), 'utf8')).toBe(fs.readFileSync(path.join(outdir, file), 'utf8'));
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });
});

describe('fleet options', () => {
  const fleet = (props: Partial<SecurityMonitoringFleetProps> = {}) => new SecurityMonitoringFleet({ clusters: [{ name: 'a' }, { name: 'b' }], ...props });

  test('a cluster removed from the fleet leaves no directory behind; files the fleet did not write stay', () => {
    const outdir = tmp();
    try {
      fleet().synth(outdir);
      // A Flux bootstrap and notes of the user's own in the same tree.
      fs.mkdirSync(path.join(outdir, 'clusters', 'a', 'flux-system'), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'clusters', 'a', 'flux-system', 'gotk-sync.yaml'), 'kind: Kustomization\n');
      fs.writeFileSync(path.join(outdir, 'README.md'), 'notes\n');
      new SecurityMonitoringFleet({ clusters: [{ name: 'a' }] }).synth(outdir);
      expect(fs.readdirSync(path.join(outdir, 'clusters'))).toEqual(['a']);
      expect(fs.readdirSync(path.join(outdir, 'clusters', 'a')).sort()).toEqual(['base', 'custom-resources', 'flux-system']);
      expect(fs.readFileSync(path.join(outdir, 'README.md'), 'utf8')).toBe('notes\n');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('Argo CD with the cluster generator selecting clusters by label, in an existing project, synced by hand', () => {
    const outdir = tmp();
    try {
      fleet({ repository: REPO, argoCd: { clusterSource: ArgoCdClusterSource.CLUSTER_SECRETS, clusterSelector: { fleet: 'security' }, createProject: false, project: 'platform', automatedSync: false } })
        .synth(outdir);
      const docs = read(outdir, 'argocd/security-monitoring.k8s.yaml');
      expectValidManifests(docs);
      expect(docs.map((d) => d.kind)).toEqual(['ApplicationSet']);
      expect(docs[0].spec.generators).toEqual([{ clusters: { selector: { matchLabels: { fleet: 'security' } } } }]);
      expect(docs[0].spec.template.spec).toMatchObject({ project: 'platform', destination: { server: '{{.server}}' }, source: { path: 'deploy/security/clusters/{{.name}}' } });
      expect(docs[0].spec.template.spec.syncPolicy.automated).toBeUndefined();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('Flux from an OCI artifact, pinned by digest, with repository credentials', () => {
    const outdir = tmp();
    try {
      const digest = `sha256:${'a'.repeat(64)}`;
      fleet({ repository: { url: 'oci://ghcr.io/example/security-fleet', revision: digest, path: 'out' }, flux: { secretName: 'ghcr', interval: Duration.days(1) } }).synth(outdir);
      const docs = read(outdir, 'flux/a/security-monitoring.k8s.yaml');
      expectValidManifests(docs);
      expect(docs[0]).toMatchObject({ kind: 'OCIRepository', spec: { url: 'oci://ghcr.io/example/security-fleet', ref: { digest }, secretRef: { name: 'ghcr' }, interval: '24h' } });
      expect(docs[1].spec.sourceRef).toEqual({ kind: 'OCIRepository', name: 'security-monitoring' });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a Duration among the overrides reads in the summary as written in code', () => {
    const f = fleet({ clusters: [{ name: 'a' }, { name: 'b', overrides: { alerts: { alertOverrides: { FalcoDown: { for: Duration.minutes(15) } } } } }] });
    expect(f.summary()).toContain('- alerts.alertOverrides.FalcoDown.for: unset -> Duration.minutes(15)');
  });

  test('an escape hatch per cluster: its stack, before synth', () => {
    const f = fleet();
    expect(f.clusters.map((c) => c.stack.clusterLabels.cluster)).toEqual(['a', 'b']);
    f.clusters[1].stack.falco!.addRule({ name: 'Only in b', description: 'd', condition: 'evt.type = execve', output: 'x %proc.name', priority: FalcoPriority.WARNING });
    expect(JSON.stringify(f.clusters[1].app.charts[0].toJson())).toContain('Only in b');
    expect(JSON.stringify(f.clusters[0].app.charts[0].toJson())).not.toContain('Only in b');
  });

  test('a field patched on one cluster\'s objects (its Falco DaemonSet) is in that cluster\'s output only', () => {
    const f = fleet();
    const toleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };
    f.clusters[1].stack.falco!.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations/-', toleration));
    const outdir = tmp();
    try {
      f.synth(outdir);
      const falcoOf = (cluster: string) => read(outdir, `clusters/${cluster}/base/security-monitoring.k8s.yaml`)
        .find((m) => m.kind === 'DaemonSet' && m.metadata.name === 'falco')!;
      expect(falcoOf('b').spec.template.spec.tolerations).toContainEqual(toleration);
      expect(falcoOf('a').spec.template.spec.tolerations).not.toContainEqual(toleration);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('the GitOps objects\' escape hatch: addGitOpsJsonPatch', () => {
  const fleet = (props: Partial<SecurityMonitoringFleetProps> = {}) => new SecurityMonitoringFleet({ clusters: [{ name: 'a' }, { name: 'b' }], ...props });

  test('a patch reaches every object of its kind, schema-valid: Flux decryption on each cluster\'s Kustomizations, an Argo CD retry', () => {
    const f = fleet({ repository: REPO, argoCd: {}, flux: {} });
    f.addGitOpsJsonPatch('Kustomization', JsonPatch.add('/spec/decryption', { provider: 'sops', secretRef: { name: 'sops-age' } }));
    f.addGitOpsJsonPatch('ApplicationSet', JsonPatch.add('/spec/template/spec/syncPolicy/retry', { limit: 5 }));
    const outdir = tmp();
    try {
      f.synth(outdir);
      const argo = read(outdir, 'argocd/security-monitoring.k8s.yaml');
      expectValidManifests(argo);
      expect(argo.find((d) => d.kind === 'ApplicationSet')!.spec.template.spec.syncPolicy.retry).toEqual({ limit: 5 });
      expect(argo.find((d) => d.kind === 'AppProject')).not.toHaveProperty('spec.syncPolicy');
      for (const cluster of ['a', 'b']) {
        const docs = read(outdir, `flux/${cluster}/security-monitoring.k8s.yaml`);
        expectValidManifests(docs);
        const kustomizations = docs.filter((d) => d.kind === 'Kustomization');
        expect(kustomizations.length).toBeGreaterThan(0);
        for (const k of kustomizations) expect(k.spec.decryption).toEqual({ provider: 'sops', secretRef: { name: 'sops-age' } });
        expect(docs.find((d) => d.kind === 'GitRepository')).not.toHaveProperty('spec.decryption');
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a kind the fleet never writes is an error with a did-you-mean, and so is a patch of a kind this fleet does not write', () => {
    const f = fleet({ repository: REPO, argoCd: {} });
    expect(() => f.addGitOpsJsonPatch('Kustomisation', JsonPatch.add('/x', 1))).toThrow(
      'SecurityMonitoringFleet "security-monitoring": no GitOps object of kind "Kustomisation" (did you mean "Kustomization"?) (got "Kustomisation"): '
      + 'patch one of the kinds the fleet writes: ApplicationSet, AppProject, GitRepository, OCIRepository, Kustomization; a cluster\'s own objects are patched through clusters[i].stack');
    f.addGitOpsJsonPatch('Kustomization', JsonPatch.add('/spec/suspend', true));
    const outdir = tmp();
    try {
      expect(() => f.synth(outdir)).toThrow('a JSON patch of Kustomization patches nothing: the fleet writes no such object');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('fleet validation: errors name the cluster', () => {
  test.each<[string, Partial<SecurityMonitoringFleetProps>, RegExp]>([
    ['an invalid override', { clusters: [{ name: 'dev' }, { name: 'staging', overrides: { namespace: 'Security' } }] },
      /^cluster "staging": security-monitoring\/stack: namespace is not a valid DNS-1123 label \(got "Security"\)/],
    ['an invalid identity label', { clusters: [{ name: 'prod', labels: { 'bad-key': 'x' } }] }, /^cluster "prod": cluster: cluster\.labels key is not a valid label name/],
    ['a cluster setting its cluster in overrides', { clusters: [{ name: 'prod', overrides: { cluster: { name: 'x' } } }] }, /^cluster "prod": overrides: overrides sets cluster/],
    ['two clusters of one name', { clusters: [{ name: 'a' }, { name: 'a' }] }, /cluster "a" is listed twice/],
    ['an invalid cluster name', { clusters: [{ name: 'Prod' }] }, /cluster name is not a valid DNS-1123 label \(got "Prod"\).*did you mean "prod"/],
    ['no clusters', { clusters: [] }, /clusters is empty/],
    ['base with a cluster', { base: { cluster: { name: 'x' } } }, /base sets cluster/],
    ['GitOps without a repository', { argoCd: {} }, /argoCd or flux needs the repository/],
    ['Argo CD from OCI', { repository: { url: 'oci://ghcr.io/x/y' }, argoCd: {} }, /Argo CD reads the fleet from a Git repository/],
    ['a bad repository URL', { repository: { url: 'git.example.com/x' }, flux: {} }, /repository\.url is not a Git or OCI repository URL/],
    ['a path leaving the repository', { repository: { url: 'https://g/x.git', path: '../x' }, flux: {} }, /repository\.path is not a relative directory/],
    ['a Flux interval as a string', { repository: REPO, flux: { interval: '1d' as any } }, /flux: interval is not a Duration \(got "1d"\): pass a cdk8s Duration: Duration.days\(1\)/],
    ['a Kustomization name too long for its label', { name: 'a'.repeat(30), clusters: [{ name: 'b'.repeat(20) }], repository: REPO, flux: {} },
      /is 68 characters long, more than the 63 of the label Flux sets it in/],
    ['a cluster selector without the cluster generator', { repository: REPO, argoCd: { clusterSelector: { a: 'b' } } }, /clusterSelector is set, but the clusters come from the Git directories/],
  ])('%s', (_, props, message) => {
    // Every one of these is found before anything is written.
    expect(() => new SecurityMonitoringFleet({ clusters: [{ name: 'a' }], ...props })).toThrow(message);
  });
});
