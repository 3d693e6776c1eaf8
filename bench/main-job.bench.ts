/**
 * The README's main job, `npm run synth` (the default stack into dist/), as a
 * whole process against a bare cdk8s app that synthesizes one ConfigMap, side
 * by side: the processes run by turns, so a shared machine's drift hits both.
 * Both are measured as their users start them (through `npm run`) and as bare
 * `node` processes. The first `npm run synth` (which may transpile) is not
 * measured: the target is the second run on a fresh clone, ≤ ×3 the floor.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatMs, median, printTable, QUICK, ratio, writeResults } from './lib/harness';

const ROOT = path.join(__dirname, '..');

interface Command {
  readonly what: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

/** CPU time (user + system) of this process' finished children so far, in ms (Linux: /proc/self/stat). */
function childrenCpuMs(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // cutime and cstime are fields 16 and 17 of stat(5), in clock ticks (100 a second).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function runOnce(c: Command): { wallMs: number; cpuMs: number } {
  const cpu = childrenCpuMs();
  const start = process.hrtime.bigint();
  const result = spawnSync(c.command, [...c.args], { cwd: c.cwd, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${c.what} failed:\n${result.stdout}${result.stderr}`);
  return { wallMs, cpuMs: childrenCpuMs() - cpu };
}

/** A bare cdk8s app: one Chart, one ConfigMap, synthesized to its own dist/, startable with `npm run synth`. */
function bareCdk8sApp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bare-cdk8s-'));
  fs.writeFileSync(path.join(dir, 'main.js'), [
    `const { ApiObject, App, Chart } = require(${JSON.stringify(require.resolve('cdk8s'))});`,
    `const app = new App({ outdir: ${JSON.stringify(path.join(dir, 'dist'))} });`,
    "new ApiObject(new Chart(app, 'bare'), 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' }, data: { key: 'value' } });",
    'app.synth();',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bare-cdk8s', private: true, scripts: { synth: 'node main.js' } }));
  return dir;
}

function mainJob(): void {
  const bare = bareCdk8sApp();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const commands: Command[] = [
    { what: 'bare cdk8s app: npm run synth', command: npm, args: ['run', '--silent', 'synth'], cwd: bare },
    { what: 'ours: npm run synth (the main job)', command: npm, args: ['run', '--silent', 'synth'], cwd: ROOT },
    { what: 'bare cdk8s app: node main.js', command: process.execPath, args: ['main.js'], cwd: bare },
    { what: 'ours: node -r ./examples/ts-cache.js examples/default/main.ts', command: process.execPath, args: ['-r', './examples/ts-cache.js', 'examples/default/main.ts'], cwd: ROOT },
  ];
  try {
    // The first run of the main job after a clone may transpile: not measured, as in the target.
    for (const c of commands) runOnce(c);
    const runs = QUICK ? 2 : 9;
    const samples = commands.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
    for (let i = 0; i < runs; i++) {
      commands.forEach((c, k) => {
        const { wallMs, cpuMs } = runOnce(c);
        samples[k].wall.push(wallMs);
        samples[k].cpu.push(cpuMs);
      });
    }
    const m = samples.map((s) => ({ wall: median(s.wall), cpu: median(s.cpu) }));
    const row = (k: number, floor: number) => ({
      'process': commands[k].what,
      'wall': formatMs(m[k].wall),
      'CPU': formatMs(m[k].cpu),
      'wall vs floor': ratio(m[k].wall, m[floor].wall),
      'CPU vs floor': ratio(m[k].cpu, m[floor].cpu),
    });
    printTable(`Main job as a whole process vs a bare cdk8s app (floor), by turns, medians of ${runs} (target: ours ≤ ×3)`, [
      row(0, 0), row(1, 0), row(2, 2), row(3, 2),
    ]);
  } finally {
    fs.rmSync(bare, { recursive: true, force: true });
  }
}

mainJob();
console.log(`\nresults: ${path.relative(ROOT, writeResults('main-job'))}`);
