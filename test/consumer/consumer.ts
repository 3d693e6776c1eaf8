/**
 * The consumer test: the npm package as users get it, outside this repository.
 *
 * From the tarball `npx projen package:js` wrote to dist/js, for each Node.js
 * version (this one, and 22 and 24 from the registry's node-linux-<arch>
 * packages), in a temporary app holding only the registry's cdk8s, constructs
 * and cdk8s-plus-28 at our peer-dependency ranges and the tarball:
 * - every example, type-checked against the installed typings and compiled,
 *   synthesizes with the installed package;
 * - the installed `check` CLI passes the output (exit 0) and fails a broken
 *   PrometheusRule with a PromQL error (exit 1, no crash);
 * - the output passes the schema checks of test/util/schema.ts.
 * Then, in an app laid out as `cdk8s init typescript-app` makes one (its template,
 * with cdk8s-plus-33 and the registry's cdk8s-cli), `npm install <tarball>
 * cdk8s-plus-28` must install cleanly beside cdk8s-plus-33, and the real
 * `cdk8s synth` must run our validation plugin (SecurityMonitoringValidation,
 * named in cdk8s.yaml by the local path of the installed package, as the CLI
 * installs registry plugins only from the registry): success on the stack,
 * failure (exit 2) with our finding on a broken PrometheusRule.
 *
 * Every Node.js process of the apps runs with a guard (NODE_OPTIONS=--require)
 * that fails as soon as a module resolves into this repository, so nothing
 * works only because the repo's node_modules or src is there.
 *
 * Run: `npx projen consumer` (after `npx projen compile && npx projen package:js`).
 * One npm install per app, all from the shared npm cache.
 */
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { expectValidManifests } from '../util/schema';

const REPO = fs.realpathSync(path.join(__dirname, '..', '..'));
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const NODE_MAJORS = ['22', '24'];

interface NodeRuntime {
  readonly name: string;
  /** The directory of its `node` binary, put first on PATH. */
  readonly binDir: string;
}

function log(message: string): void {
  console.log(`consumer: ${message}`);
}

/** Runs a command; throws with its output unless it exits with `expectStatus`. */
function run(command: string, args: readonly string[], options: SpawnSyncOptions & { expectStatus?: number } = {}): string {
  const result = spawnSync(command, [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== (options.expectStatus ?? 0)) {
    throw new Error(`${command} ${args.join(' ')} (in ${options.cwd ?? process.cwd()}) exited with ${result.status}, expected ${options.expectStatus ?? 0}:\n${output}`);
  }
  return output;
}

/** The environment of an app's processes: its Node.js first on PATH, and the guard. */
function appEnv(node: NodeRuntime, guard: string): NodeJS.ProcessEnv {
  const { NODE_PATH: _ignored, ...env } = process.env;
  return { ...env, PATH: `${node.binDir}${path.delimiter}${env.PATH}`, NODE_OPTIONS: `--require ${guard}`, npm_config_update_notifier: 'false' };
}

function findTarball(): string {
  const dir = path.join(REPO, 'dist', 'js');
  const tarballs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
  if (tarballs.length !== 1) throw new Error(`expected one tarball in ${dir} (got ${tarballs.length}): run npx projen compile && npx projen package:js`);
  return path.join(dir, tarballs[0]);
}

/** A module that throws when anything resolves into the repository. */
function writeGuard(work: string): string {
  const guard = path.join(work, 'no-repo-modules.js');
  fs.writeFileSync(guard, `// Fails any module resolution into the repository under test (${REPO}).
const Module = require('module');
const path = require('path');
const repo = ${JSON.stringify(REPO)};
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const file = resolveFilename.call(this, request, ...rest);
  if (path.isAbsolute(file) && (file === repo || file.startsWith(repo + path.sep))) {
    throw new Error('consumer test: "' + request + '" resolved into the repository (' + file + '): the package must work from its tarball alone');
  }
  return file;
};
`);
  return guard;
}

/** This Node.js, and the others from the registry's node-linux-<arch> packages (one npm install). */
function nodeRuntimes(work: string): NodeRuntime[] {
  const dir = path.join(work, 'node-runtimes');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'node-runtimes', private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', ...NODE_MAJORS.map((v) => `node${v}@npm:node-linux-${process.arch}@${v}`)], { cwd: dir });
  return [
    { name: `Node.js ${process.version}`, binDir: path.dirname(process.execPath) },
    ...NODE_MAJORS.map((v) => {
      const binDir = path.join(dir, 'node_modules', `node${v}`, 'bin');
      return { name: `Node.js ${run(path.join(binDir, 'node'), ['--version']).trim()}`, binDir };
    }),
  ];
}

/** The examples as a user writes them: importing the package by name. */
function copyExamples(app: string): string[] {
  const names: string[] = [];
  const copy = (from: string, to: string) => {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        copy(path.join(from, entry.name), path.join(to, entry.name));
        if (fs.existsSync(path.join(from, entry.name, 'main.ts'))) names.push(entry.name);
      } else if (entry.name.endsWith('.ts')) {
        const source = fs.readFileSync(path.join(from, entry.name), 'utf8').replace(/from '(\.\.\/)+src'/g, `from '${PACKAGE.name}'`);
        if (/from '(\.\.\/)+(src|test)\//.test(source)) throw new Error(`${entry.name} imports from the repository's src or test: examples must use the package's exports`);
        fs.writeFileSync(path.join(to, entry.name), source);
      }
    }
  };
  copy(path.join(REPO, 'examples'), path.join(app, 'examples'));
  return names.sort();
}

/** Type-checks the examples against the installed typings and compiles them next to their sources. */
function compileExamples(app: string): void {
  const files = ts.sys.readDirectory(path.join(app, 'examples'), ['.ts']);
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    strict: true,
    esModuleInterop: false,
    // @types/node is the one type package the app does not install: the examples use path, fs and process.
    typeRoots: [path.join(REPO, 'node_modules', '@types')],
    types: ['node'],
  });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  if (diagnostics.length > 0) {
    throw new Error(`the examples do not compile against the installed package:\n${ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f, getCurrentDirectory: () => app, getNewLine: () => '\n',
    })}`);
  }
}

function manifestsIn(dir: string): Record<string, any>[] {
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.k8s.yaml'));
  if (files.length === 0) throw new Error(`no manifests in ${dir}`);
  return files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()).filter(Boolean));
}

const BROKEN_RULE = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: broken
  namespace: monitoring
spec:
  groups:
    - name: broken
      rules:
        - alert: Broken
          expr: rate(http_requests_total[5m] > 1
`;

/** The installed package in an app of its own, on one Node.js. */
function consumerApp(work: string, tarball: string, node: NodeRuntime, guard: string, compiledExamples?: string): string {
  const app = path.join(work, `app-node${node.name.replace(/^Node\.js v(\d+).*/, '$1')}`);
  fs.mkdirSync(app);
  const peers: Record<string, string> = PACKAGE.peerDependencies;
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
    name: 'consumer-app',
    version: '1.0.0',
    private: true,
    dependencies: { ...peers, [PACKAGE.name]: `file:${tarball}` },
  }, undefined, 2));
  const env = appEnv(node, guard);
  log(`${node.name}: npm install ${Object.entries(peers).map(([n, v]) => `${n}@${v}`).join(' ')} ${path.basename(tarball)}`);
  run('npm', ['install', '--no-audit', '--no-fund'], { cwd: app, env });

  let examples: string[];
  if (compiledExamples) {
    fs.cpSync(compiledExamples, path.join(app, 'examples'), { recursive: true });
    examples = fs.readdirSync(path.join(app, 'examples')).filter((e) => fs.existsSync(path.join(app, 'examples', e, 'main.js'))).sort();
  } else {
    examples = copyExamples(app);
    log(`${node.name}: type-checking and compiling ${examples.length} examples against the installed typings`);
    compileExamples(app);
  }

  for (const example of examples) {
    log(`${node.name}: synthesizing examples/${example}`);
    run('node', [path.join('examples', example, 'main.js')], { cwd: app, env });
  }
  const dist = path.join(app, 'dist');
  const check = path.join(app, 'node_modules', '.bin', PACKAGE.name);
  log(`${node.name}: ${PACKAGE.name} check dist/`);
  const checked = run(check, ['check', 'dist'], { cwd: app, env });
  if (!/^0 error\(s\)/m.test(checked)) throw new Error(`check found errors in the examples' output:\n${checked}`);
  fs.mkdirSync(path.join(app, 'broken'));
  fs.writeFileSync(path.join(app, 'broken', 'rule.yaml'), BROKEN_RULE);
  const broken = run(check, ['check', 'broken', '--no-tools'], { cwd: app, env, expectStatus: 1 });
  if (!/rule\.yaml:\d+ error PrometheusRule\/monitoring\/broken/.test(broken)) throw new Error(`check did not report the broken PromQL expression:\n${broken}`);

  expectValidManifests(manifestsIn(dist));
  log(`${node.name}: ${examples.length} examples synthesized, checked and schema-valid`);
  return app;
}

/** The guard itself: a require of the repository's own copy of a dependency must fail. */
function guardWorks(node: NodeRuntime, guard: string, cwd: string): void {
  const request = path.join(REPO, 'node_modules', 'yaml');
  const out = run('node', ['-e', `require(${JSON.stringify(request)})`], { cwd, env: appEnv(node, guard), expectStatus: 1 });
  if (!out.includes('resolved into the repository')) throw new Error(`the guard let a module of the repository load:\n${out}`);
}

/** `cdk8s init typescript-app`'s files, rendered as the CLI renders them (its `npm run import` needs GitHub, which is not needed here). */
function initTemplate(app: string): void {
  const cli = path.dirname(require.resolve('cdk8s-cli/package.json'));
  const template = path.join(cli, 'templates', 'typescript-app');
  const versionOf = (name: string) => JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`, { paths: [cli] }), 'utf8')).version;
  const values: Record<string, string> = {
    $base: 'init-app',
    cdk8s_core_version: versionOf('cdk8s'),
    cdk8s_plus_version: versionOf('cdk8s-plus-33'),
    constructs_version: versionOf('constructs'),
    cdk8s_cli_spec: `^${versionOf('cdk8s-cli')}`,
  };
  fs.mkdirSync(app);
  for (const file of ['package.json', 'tsconfig.json', 'cdk8s.yaml']) {
    const text = fs.readFileSync(path.join(template, file), 'utf8').replace(/\{\{ *([$\w]+) *\}\}/g, (_, key) => {
      if (!(key in values)) throw new Error(`unknown template value ${key} in ${file}`);
      return values[key];
    });
    fs.writeFileSync(path.join(app, file), text);
  }
}

const INIT_APP_MAIN = `import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { AlertSeverity, SecurityMonitoringStack, SecurityPrometheusRule } from '${PACKAGE.name}';

const app = new App();
const chart = new Chart(app, 'init-app');
// The user's own cdk8s-plus-33 code, beside the library's cdk8s-plus-28 constructs.
new kplus.ConfigMap(chart, 'settings', { data: { mode: 'audit' } });
new SecurityMonitoringStack(chart, 'stack');
const rules = new SecurityPrometheusRule(chart, 'team-rules', { namespace: 'security-monitoring' });
rules.addAlert({ alert: 'TooManyShells', expr: 'sum(rate(falco_events{rule="Terminal shell in container"}[5m])) > 1', severity: AlertSeverity.WARNING, summary: 'Shells', description: 'Many shells' });
if (process.env.BROKEN_RULE === '1') {
  new ApiObject(chart, 'broken', { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'broken-rules', namespace: 'security-monitoring' },
    spec: { groups: [{ name: 'g', rules: [{ alert: 'Broken', expr: 'rate(x[5m] > 1', labels: { severity: 'warning' } }] }] } });
}
app.synth();
`;

/** An app as `cdk8s init typescript-app` makes one, then the README's install command and `cdk8s synth` with the plugin. */
function initApp(work: string, tarball: string, node: NodeRuntime, guard: string): void {
  const app = path.join(work, 'init-app');
  initTemplate(app);
  const env = appEnv(node, guard);
  log('cdk8s init typescript-app layout: npm install (cdk8s-plus-33, cdk8s-cli, typescript, ts-node, jest)');
  run('npm', ['install', '--no-audit', '--no-fund'], { cwd: app, env });
  log(`cdk8s init typescript-app layout: npm install ${path.basename(tarball)} cdk8s-plus-28`);
  const installed = run('npm', ['install', '--no-audit', '--no-fund', tarball, 'cdk8s-plus-28'], { cwd: app, env });
  if (/ERESOLVE|peer dep|conflicting/i.test(installed)) throw new Error(`npm install of the package beside cdk8s-plus-33 was not clean:\n${installed}`);
  run('npm', ['ls', PACKAGE.name, 'cdk8s-plus-28', 'cdk8s-plus-33', 'cdk8s', 'constructs'], { cwd: app, env });

  fs.writeFileSync(path.join(app, 'main.ts'), INIT_APP_MAIN);
  fs.appendFileSync(path.join(app, 'cdk8s.yaml'), [
    'validations:',
    `  - package: ./node_modules/${PACKAGE.name}`,
    `    version: ${PACKAGE.version}`,
    '    class: SecurityMonitoringValidation',
    '',
  ].join('\n'));
  const cdk8s = path.join(app, 'node_modules', '.bin', 'cdk8s');
  log('cdk8s init typescript-app layout: cdk8s synth with the validation plugin');
  const synth = run(cdk8s, ['synth'], { cwd: app, env });
  if (!/Validation Report \(/.test(synth) || !/Status\s*│\s*success/.test(synth)) throw new Error(`cdk8s synth did not report a successful validation by the plugin:\n${synth}`);
  const failed = run(cdk8s, ['synth'], { cwd: app, env: { ...env, BROKEN_RULE: '1' }, expectStatus: 2 });
  if (!/PrometheusRule error/.test(failed) || !/broken-rules/.test(failed) || !/Status\s*│\s*failure/.test(failed)) {
    throw new Error(`cdk8s synth did not fail with the plugin's finding on the broken PrometheusRule:\n${failed}`);
  }
  log('cdk8s init typescript-app layout: installed beside cdk8s-plus-33, cdk8s synth validated by the plugin (pass, and fail on a broken rule)');
}

function main(): void {
  const tarball = findTarball();
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-security-monitoring-consumer-')));
  if (work.startsWith(REPO + path.sep)) throw new Error(`the consumer apps must live outside the repository (got ${work})`);
  const started = Date.now();
  try {
    const guard = writeGuard(work);
    const nodes = nodeRuntimes(work);
    guardWorks(nodes[0], guard, work);
    const first = consumerApp(work, tarball, nodes[0], guard);
    for (const node of nodes.slice(1)) consumerApp(work, tarball, node, guard, path.join(first, 'examples'));
    initApp(work, tarball, nodes[0], guard);
    log(`passed on ${nodes.map((n) => n.name).join(', ')} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    if (process.env.CONSUMER_KEEP !== '1') fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
