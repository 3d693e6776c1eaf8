import { cdk8s, javascript, JsonFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

/** Where the upstream CRDs live: next to the project root, shared by every checkout. */
const CRD_DIR = '../shared/crds';

/**
 * The CRDs whose classes `cdk8s import` generates into src/imports/, by module
 * name: one module per CRD (`<name>-<group>.ts`), so that a construct loads only
 * the classes it uses. The largest (AlertmanagerConfig and the two Kuberhealthy
 * checks, 2 MB of code together) are loaded when first used, not with the library.
 */
const CRD_IMPORTS: Record<string, string> = {
  prometheusrules: 'monitoring.coreos.com_prometheusrules.yaml',
  servicemonitors: 'monitoring.coreos.com_servicemonitors.yaml',
  alertmanagerconfigs: 'monitoring.coreos.com_alertmanagerconfigs.yaml',
  grafanadashboards: 'grafana.integreatly.org_grafanadashboards.yaml',
  khchecks: 'comcast.github.io_khchecks.yaml',
  healthchecks: 'kuberhealthy.github.io_healthchecks.yaml',
  // GitOps delivery of a SecurityMonitoringFleet: loaded only when a fleet renders them.
  applicationsets: 'argoproj.io_applicationsets.yaml',
  appprojects: 'argoproj.io_appprojects.yaml',
  gitrepositories: 'source.toolkit.fluxcd.io_gitrepositories.yaml',
  ocirepositories: 'source.toolkit.fluxcd.io_ocirepositories.yaml',
  kustomizations: 'kustomize.toolkit.fluxcd.io_kustomizations.yaml',
};

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-security-monitoring',
  description:
    'cdk8s constructs for Kubernetes security monitoring: Falco, audit policy, security alerts, SIEM shipping and PagerDuty routing, validated at synth time.',
  keywords: ['cdk8s', 'kubernetes', 'security', 'falco', 'audit', 'prometheus', 'siem', 'fluent-bit', 'pagerduty'],
  author: 'cdk8s-security-monitoring maintainers',
  authorAddress: 'security-monitoring@example.com',
  repositoryUrl: 'https://github.com/cdk8s-security-monitoring/cdk8s-security-monitoring.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // The validation CLI for CI (src/cli/main.ts): `npx cdk8s-security-monitoring check dist/`.
  bin: { 'cdk8s-security-monitoring': 'lib/cli/main.js' },
  license: 'Apache-2.0',
  // engines: the consumer test (test/consumer/consumer.ts) runs the package on Node.js 20, 22 and 24.
  minNodeVersion: '20.0.0',

  // cdk8s 2.x on constructs 10.x; cdk8s-plus needs constructs >= 10.3.
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  // Non-jsii runtime dependencies are bundled, with every module they need at run time
  // (lezer-promql's peer dependencies @lezer/lr and @lezer/highlight included), so the
  // tarball works where users install it; their types never appear in the public API.
  bundledDeps: ['yaml@^2.6.0', '@prometheus-io/lezer-promql@^0.315.0', '@lezer/lr@^1.4.0', '@lezer/highlight@^1.1.2'],
  // TypeScript 7 (the npm "latest") breaks ts-node and ts-jest: stay on 5.9 for dev tooling.
  devDeps: [
    'typescript@~5.9.0',
    '@types/node@^20',
    'cdk8s-cli@^2.207.0',
    'ajv@^8.17.0',
    'kubernetes-models@^4.5.0',
    '@kubernetes/client-node@^0.22.3',
    'fast-check@^3.23.0',
  ],

  // Every jsii language stays usable: the targets are declared even though only
  // the npm package is built in CI.
  publishToPypi: {
    distName: 'cdk8s-security-monitoring',
    module: 'cdk8s_security_monitoring',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdk8s_security_monitoring',
    mavenGroupId: 'io.github.cdk8s-security-monitoring',
    mavenArtifactId: 'cdk8s-security-monitoring',
  },
  publishToNuget: {
    dotNetNamespace: 'Cdk8sSecurityMonitoring',
    packageId: 'Cdk8sSecurityMonitoring',
  },
  publishToGo: {
    moduleName: 'github.com/cdk8s-security-monitoring/cdk8s-security-monitoring-go',
  },

  // No hosted CI or release automation here: `.ci/run` is the CI entry point.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  tsconfigDev: {
    include: ['../examples/**/*.ts', '../bench/**/*.ts'],
    compilerOptions: {},
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench'],
    ignorePatterns: ['src/imports/**', '*.js', '*.d.ts', 'node_modules/', 'dist/', 'lib/', 'coverage/'],
  },
  jestOptions: {
    jestVersion: '^29',
    // Snapshots are assertions: never rewrite them during a test run, and a run with no test fails.
    updateSnapshot: UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      // Coverage made the suite four times slower and gates nothing: it is a
      // report on demand (`npm run test:coverage`), not part of every run.
      collectCoverage: false,
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/'],
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/dist/'],
    },
  },
  gitignore: ['/dist/', '/.tmp/', '/bench/results/'],
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/bench/', '/.ci/'] },
});

// Regenerate the typed CRD classes in src/imports/ from the upstream CRDs.
const importTask = project.addTask('import', {
  description: `Regenerate src/imports/ from the CRDs in ${CRD_DIR}`,
});
importTask.exec('rm -rf src/imports');
for (const [name, file] of Object.entries(CRD_IMPORTS)) {
  importTask.exec(`cdk8s import --no-save --language typescript --output src/imports ${name}:=${CRD_DIR}/${file}`, { name: `import ${name}` });
}

// eslint's project service type-checks each file with the nearest tsconfig.json; give the
// examples and benchmarks the test configuration (which includes them) instead of the
// library's src-only one.
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'] },
  });
}

// ts-jest only transpiles (isolatedModules), so type errors in tests, examples and
// benchmarks would go unnoticed: type-check them all once before jest runs.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json --isolatedModules false', { name: 'typecheck tests, examples, benchmarks' });

// The end of every jest run says which live real-tool suites ran and which were
// held by recorded verdicts (test/util/live-tools.ts).
project.jest!.addReporter(new javascript.JestReporter('<rootDir>/test/util/live-tools-reporter.js'));

// Real-program verdicts replayed where the program is missing (test/util/recorded-tool.ts):
// `npx projen verdicts test/<file>.test.ts` runs the program and records them again.
project.addTask('verdicts', {
  description: 'Record again the verdicts of promtool, amtool and scikit-learn that the given test files replay without them',
  env: { RECORD_VERDICTS: '1' },
  exec: 'jest --maxWorkers=1',
  receiveArgs: true,
});

project.addTask('test:coverage', { description: 'Run jest with a coverage report in coverage/', exec: 'jest --coverage' });

// The main job: synthesize the default example stack into dist/*.k8s.yaml. Neither projen
// nor ts-node starts: examples/ts-cache.js runs the TypeScript sources through a persistent
// transpile cache, so a second run costs what compiled JavaScript does (bench/main-job.bench.ts).
const SYNTH = 'node -r ./examples/ts-cache.js examples/default/main.ts';
project.addTask('synth', { description: 'Synthesize examples/default into dist/', exec: SYNTH });
project.package.setScript('synth', SYNTH);

// The package as users get it: the tarball in fresh apps outside the repo, on Node.js 20, 22
// and 24 (test/consumer/consumer.ts). Needs `compile` and `package:js` first; .ci/run runs it.
project.addTask('consumer', {
  description: 'Install the packed tarball (dist/js) in fresh apps on Node.js 20, 22 and 24 and run the examples, check CLI and validation plugin',
  exec: 'ts-node --transpile-only test/consumer/consumer.ts',
});

// Benchmarks print tables with ratios against baselines measured in the same run;
// `bench:quick` (smallest sizes, few runs) keeps the harness working in CI.
const bench = project.addTask('bench', { description: 'Run every benchmark in bench/ (needs the compiled library)' });
bench.spawn(project.compileTask);
bench.exec('ts-node --transpile-only bench/run.ts');
const benchQuick = project.addTask('bench:quick', { description: 'Smallest sizes and few runs of every benchmark, for CI', env: { BENCH_QUICK: '1' } });
benchQuick.spawn(bench);

project.synth();
