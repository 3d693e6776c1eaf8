/**
 * Real-program checks that hold on a machine without the program.
 *
 * `runRecorded` runs a program (promtool, amtool, python3 with scikit-learn) on
 * input files in a temporary directory. Its verdicts are recorded, per test
 * file, in `__verdicts__/<test file>.json` beside it:
 * - the program is on this machine: it runs, and what it says must be what is
 *   recorded for the same input (a missing or different record fails the test,
 *   so CI, which has every program, keeps the records true);
 * - it is not (a fresh clone with only Node.js and npm): the recorded verdict
 *   for the same input is replayed, and a missing one fails the test;
 * - RECORD_VERDICTS=1 (`npx projen verdicts <test files>`): it runs, and the file is rewritten
 *   with the verdicts this run used.
 *
 * An input is its arguments and the files' contents, so a change to what the
 * library writes needs its verdicts recorded again, as a snapshot would.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LiveTool, liveTool, logLiveToolUse } from './live-tools';

export interface ToolRun {
  /** The program exited 0. */
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

interface Verdict extends ToolRun {
  readonly tool: string;
  readonly args: readonly string[];
}

const recording = (): boolean => process.env.RECORD_VERDICTS === '1';

/** Verdicts of this test file: those on disk, and (when recording) those this run used. */
const files = new Map<string, { readonly recorded: Record<string, Verdict>; readonly used: Record<string, Verdict> }>();

function verdictFile(): string {
  const testPath = expect.getState().testPath;
  if (!testPath) throw new Error('runRecorded must run inside a jest test file');
  return path.join(path.dirname(testPath), '__verdicts__', `${path.basename(testPath)}.json`);
}

function verdictsOf(file: string) {
  let verdicts = files.get(file);
  if (!verdicts) {
    verdicts = { recorded: fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}, used: {} };
    files.set(file, verdicts);
  }
  return verdicts;
}

const rerecord = (file: string) => `record them again on a machine with the program: npx projen verdicts ${path.relative(process.cwd(), file).replace(/__verdicts__\/(.*)\.json$/, '$1')}`;

/**
 * What `tool` says when run with `args` in a directory holding `inputs` (file
 * name → content; arguments name them relative to it): run live, or replayed
 * from the recorded verdicts when the program is not on this machine.
 */
export function runRecorded(tool: LiveTool, args: readonly string[], inputs: Readonly<Record<string, string>> = {}): ToolRun {
  const file = verdictFile();
  const verdicts = verdictsOf(file);
  const key = createHash('sha256').update(JSON.stringify([tool.name, args, Object.entries(inputs).sort()])).digest('hex').slice(0, 16);
  const command = liveTool(tool);
  if (!command) {
    logLiveToolUse(tool, 'recorded');
    const recorded = verdicts.recorded[key];
    if (!recorded) {
      throw new Error(`${tool.name} is not on this machine and has no recorded verdict for ${tool.name} ${args.join(' ')} on this input (${key} in ${path.relative(process.cwd(), file)}): the input changed since they were recorded; ${rerecord(file)} (${tool.name}: ${tool.install})`);
    }
    // Recording without this program keeps its verdicts as they were, so they are not lost from the file.
    if (recording()) keep(file, key, recorded);
    return { ok: recorded.ok, stdout: recorded.stdout, stderr: recorded.stderr };
  }

  logLiveToolUse(tool, 'live');
  const run = runIn(command, args, inputs);
  const verdict: Verdict = { tool: tool.name, args, ...run };
  if (recording()) {
    keep(file, key, verdict);
  } else {
    const recorded = verdicts.recorded[key];
    if (!recorded || recorded.ok !== run.ok || recorded.stdout !== run.stdout || recorded.stderr !== run.stderr) {
      throw new Error(`${tool.name} ${args.join(' ')} said something ${recorded ? 'other than' : 'not in'} its recorded verdicts (${key} in ${path.relative(process.cwd(), file)}), which a machine without ${tool.name} replays: ${rerecord(file)}\n${tool.name} said (exit ${run.ok ? 0 : 'non-zero'}):\n${run.stdout}${run.stderr}`);
    }
  }
  return run;
}

/** Records the verdict as used by this run and rewrites the file with every verdict used so far. */
function keep(file: string, key: string, verdict: Verdict): void {
  const verdicts = verdictsOf(file);
  verdicts.used[key] = verdict;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sorted = Object.fromEntries(Object.entries(verdicts.used).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(file, `${JSON.stringify(sorted, undefined, 1)}\n`);
}

function runIn(command: string, args: readonly string[], inputs: Readonly<Record<string, string>>): ToolRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recorded-tool-'));
  try {
    for (const [name, content] of Object.entries(inputs)) fs.writeFileSync(path.join(dir, name), content);
    const result = spawnSync(command, [...args], { cwd: dir, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw result.error;
    return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
