/**
 * Real programs the tests run: promtool, amtool, Prometheus, Alertmanager,
 * python3 with scikit-learn, fluent-bit, falco.
 *
 * A live suite runs whenever its program is on this machine; without it, the
 * suite is skipped and the recorded verdicts of that program (asserted always,
 * in other tests) hold the guarantee. `.ci/run` sets REQUIRE_LIVE_TOOLS=1, and
 * then a missing program is an error, never a skip, unless it is `builtLocally`
 * (no package CI could install).
 */
import { spawnSync } from 'child_process';
import { appendFileSync } from 'fs';

export interface LiveTool {
  /** What the suite is called in reports, e.g. "promtool". */
  readonly name: string;
  /** The command to run: an absolute path or a name looked up on PATH. */
  readonly command: string;
  /** Arguments that must exit 0 for the program to count as present, e.g. ['--version']. */
  readonly probe: readonly string[];
  /** An environment variable that points at the program (e.g. FLUENT_BIT_BIN); it wins over `command`. */
  readonly envVar?: string;
  /** How to install it, for the error when it is required and missing. */
  readonly install: string;
  /**
   * Built from source on an engineer's machine (Fluent Bit, Falco): no Debian
   * package, so .ci/run cannot install it and REQUIRE_LIVE_TOOLS=1 does not
   * require it; its recorded verdicts hold in CI.
   */
  readonly builtLocally?: boolean;
}

/** True when .ci/run asks every live suite to run. */
export const liveToolsRequired = (): boolean => process.env.REQUIRE_LIVE_TOOLS === '1';

const found = new Map<string, string | undefined>();

/** The command to run the program with, or undefined when it is not on this machine (an error under REQUIRE_LIVE_TOOLS=1). */
export function liveTool(tool: LiveTool): string | undefined {
  if (!found.has(tool.name)) {
    const command = (tool.envVar && process.env[tool.envVar]) || tool.command;
    const probe = spawnSync(command, [...tool.probe], { stdio: 'ignore', timeout: 60_000 });
    found.set(tool.name, probe.status === 0 ? command : undefined);
  }
  const command = found.get(tool.name);
  if (!command && liveToolsRequired() && !tool.builtLocally) {
    throw new Error(`${tool.name} is required (REQUIRE_LIVE_TOOLS=1) but "${tool.command}" did not run: ${tool.install}`);
  }
  return command;
}

/**
 * How a test file used a program: `live` ran it, `recorded` replayed its
 * recorded verdicts, `skipped` is a live suite skipped for want of it.
 */
export type LiveToolUse = 'live' | 'recorded' | 'skipped';

/**
 * Tells the end-of-run summary (test/util/live-tools-reporter.js, which sets
 * LIVE_TOOLS_LOG) how this test file used the program: one JSON line per use.
 */
export function logLiveToolUse(tool: LiveTool, use: LiveToolUse): void {
  const log = process.env.LIVE_TOOLS_LOG;
  if (!log) return;
  const testPath = expect.getState().testPath ?? 'unknown';
  appendFileSync(log, `${JSON.stringify({ tool: tool.name, use, testPath })}\n`);
}

/** `describe` when the program is present, `describe.skip` (reported as skipped, never as passed) when it is not. */
export function describeLive(tool: LiveTool, title: string, body: (command: string) => void): void {
  const command = liveTool(tool);
  logLiveToolUse(tool, command ? 'live' : 'skipped');
  if (command) describe(`live ${tool.name}: ${title}`, () => body(command));
  else describe.skip(`live ${tool.name} (not on this machine; recorded verdicts hold): ${title}`, () => body(''));
}

export const PROMTOOL: LiveTool = { name: 'promtool', command: 'promtool', probe: ['--version'], install: 'apt-get install prometheus' };
export const AMTOOL: LiveTool = { name: 'amtool', command: 'amtool', probe: ['--version'], install: 'apt-get install prometheus-alertmanager' };
export const PROMETHEUS: LiveTool = { name: 'prometheus', command: 'prometheus', probe: ['--version'], install: 'apt-get install prometheus' };
export const ALERTMANAGER: LiveTool = { name: 'alertmanager', command: 'prometheus-alertmanager', probe: ['--version'], install: 'apt-get install prometheus-alertmanager' };
export const SKLEARN: LiveTool = { name: 'scikit-learn', command: '/usr/bin/python3', probe: ['-c', 'import sklearn, numpy'], install: 'apt-get install python3-sklearn' };
export const FLUENT_BIT: LiveTool = { name: 'fluent-bit', command: 'fluent-bit', probe: ['--version'], envVar: 'FLUENT_BIT_BIN', install: 'build Fluent Bit and set FLUENT_BIT_BIN', builtLocally: true };
export const FALCO: LiveTool = { name: 'falco', command: 'falco', probe: ['--version'], envVar: 'FALCO_BIN', install: 'build Falco and set FALCO_BIN', builtLocally: true };
