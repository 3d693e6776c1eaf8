import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { DaemonSetHealthCheck } from '../../src';
import { findObject, synth } from '../util';

// A stand-in for curl: GETs answer the API server's compact JSON for the
// DaemonSet named in the URL (from $FAKE_DIR/<name>.json, else a failure);
// the POST to Kuberhealthy records its headers, body and URL.
const FAKE_CURL = `#!/bin/sh
url=""; data=""; headers=""; post=0
while [ $# -gt 0 ]; do
  case "$1" in
    -X) shift; [ "$1" = POST ] && post=1 ;;
    --data) shift; data="$1" ;;
    -H) shift; headers="$headers$1;" ;;
    --cacert|--max-time) shift ;;
    -*) ;;
    *) url="$1" ;;
  esac
  shift
done
if [ $post = 1 ]; then printf '%s\\n%s\\n%s\\n' "$url" "$headers" "$data" > "$FAKE_DIR/report"; exit 0; fi
name=\${url##*/}
[ -f "$FAKE_DIR/$name.json" ] || { echo "curl: (22) 404" >&2; exit 22; }
cat "$FAKE_DIR/$name.json"
`;

const script = findObject(synth(new DaemonSetHealthCheck(Testing.chart(), 'hc', {
  namespace: 'checks', daemonSets: [{ namespace: 'falco', name: 'falco' }],
})), 'ConfigMap').data['check.sh'];

function run(daemonSets: string, statuses: Record<string, object>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-check-'));
  try {
    fs.writeFileSync(path.join(dir, 'curl'), FAKE_CURL, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'check.sh'), script);
    for (const [name, status] of Object.entries(statuses)) {
      fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ kind: 'DaemonSet', spec: { template: {} }, status }));
    }
    execFileSync('sh', [path.join(dir, 'check.sh')], {
      env: { PATH: `${dir}:${process.env.PATH}`, FAKE_DIR: dir, DAEMONSETS: daemonSets, KH_REPORTING_URL: 'http://kuberhealthy.kh.svc/check', KH_RUN_UUID: 'run-1' },
      stdio: 'pipe',
    });
    return fs.readFileSync(path.join(dir, 'report'), 'utf8').trimEnd().split('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the DaemonSet check script, run by sh', () => {
  test('reports ok when every DaemonSet is fully ready and updated', () => {
    const [url, headers, body] = run('falco/falco', { falco: { desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 3 } });
    expect(url).toBe('http://kuberhealthy.kh.svc/check');
    expect(headers).toBe('Content-Type: application/json;kh-run-uuid: run-1;');
    expect(JSON.parse(body)).toEqual({ ok: true, errors: [] });
  });

  test('reports each problem: not ready, not updated, scheduled nowhere, unreadable', () => {
    const [, , body] = run('falco/falco logging/fluent-bit falco/empty falco/missing', {
      'falco': { desiredNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3 },
      'fluent-bit': { desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 1 },
      'empty': { desiredNumberScheduled: 0 },
    });
    expect(JSON.parse(body)).toEqual({
      ok: false,
      errors: [
        'DaemonSet falco/falco has 2 of 3 pods ready',
        'DaemonSet logging/fluent-bit has 1 of 3 pods updated',
        'DaemonSet falco/empty is scheduled on no node',
        'DaemonSet falco/missing cannot be read',
      ],
    });
  });
});
