import { execFileSync } from 'child_process';
import * as path from 'path';

describe('loading the library', () => {
  test('leaves the largest generated CRD classes unloaded until a construct needs them', () => {
    const index = path.join(__dirname, '..', '..', 'src', 'index.ts');
    const script = `require(${JSON.stringify(index)});`
      + 'console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes("/src/imports/")).map((f) => f.split("/").pop()).sort()))';
    const loaded = JSON.parse(execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { encoding: 'utf8' }));
    // AlertmanagerConfig and the Kuberhealthy checks (2 MB of code) load with PagerDutyAlerting and KuberhealthyCheck.
    expect(loaded).toEqual([
      'grafanadashboards-grafana.integreatly.org.ts',
      'prometheusrules-monitoring.coreos.com.ts',
      'servicemonitors-monitoring.coreos.com.ts',
    ]);
  }, 60_000);
});
