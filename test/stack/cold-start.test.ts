import { execFileSync } from 'child_process';
import * as path from 'path';

/** The modules a fresh Node.js process has loaded after running `script` on the library (`lib` is its index). */
function modulesLoadedBy(script: string): string[] {
  const index = JSON.stringify(path.join(__dirname, '..', '..', 'src', 'index.ts'));
  const code = `const lib = require(${index}); ${script}; console.log(JSON.stringify(Object.keys(require.cache)))`;
  return JSON.parse(execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', code], { encoding: 'utf8' }));
}

const generatedImports = (modules: string[]) => modules.filter((f) => f.includes('/src/imports/')).map((f) => f.split('/').pop()).sort();
const promqlGrammar = (modules: string[]) => modules.filter((f) => f.includes('/@prometheus-io/lezer-promql/'));

describe('loading the library', () => {
  test('leaves the largest generated CRD classes and the PromQL grammar unloaded until needed', () => {
    const loaded = modulesLoadedBy('');
    // AlertmanagerConfig and the Kuberhealthy checks (2 MB of code) load with PagerDutyAlerting and KuberhealthyCheck,
    // the Argo CD and Flux classes (3.4 MB) when a SecurityMonitoringFleet writes its GitOps objects.
    expect(generatedImports(loaded)).toEqual([
      'grafanadashboards-grafana.integreatly.org.ts',
      'prometheusrules-monitoring.coreos.com.ts',
      'servicemonitors-monitoring.coreos.com.ts',
    ]);
    expect(promqlGrammar(loaded)).toEqual([]);
  }, 60_000);

  test('the default stack parses no PromQL at synth (its rules and panels are checked by the tests); a PromQL check loads the grammar', () => {
    const synth = 'const { App, Chart } = require("cdk8s"); const app = new App({ outdir: "/nonexistent" });'
      + 'new lib.SecurityMonitoringStack(new Chart(app, "c"), "stack"); app.synthYaml()';
    expect(promqlGrammar(modulesLoadedBy(synth))).toEqual([]);
    expect(promqlGrammar(modulesLoadedBy('lib.PromQL.validate("up == 0")')).length).toBeGreaterThan(0);
  }, 60_000);
});
