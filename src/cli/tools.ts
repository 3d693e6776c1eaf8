import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The external checkers the CLI runs when they are on PATH. */
export type ToolName = 'promtool' | 'amtool';

/** What the CLI runs each tool for; the config file's path is appended. */
const COMMANDS: Record<ToolName, string[]> = {
  promtool: ['check', 'rules'],
  amtool: ['check-config'],
};

/**
 * Runs tools on extracted config files; remembers which tools are missing so
 * that each is probed once per run.
 */
export class ToolRunner {
  private readonly available = new Map<ToolName, boolean>();

  /** Whether the tool can be started. */
  public has(tool: ToolName): boolean {
    let found = this.available.get(tool);
    if (found === undefined) {
      found = spawnSync(tool, ['--version'], { stdio: 'ignore' }).error === undefined;
      this.available.set(tool, found);
    }
    return found;
  }

  /**
   * Writes `content` to a temporary file and checks it; returns the tool's
   * complaint, or undefined when it accepts the file. The progress text
   * ("Checking ...", "FAILED:", summaries) is dropped so that only the reason remains.
   */
  public check(tool: ToolName, fileName: string, content: string): string | undefined {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-sm-${tool}-`));
    try {
      const file = path.join(dir, fileName);
      fs.writeFileSync(file, content);
      const result = spawnSync(tool, [...COMMANDS[tool], file], { encoding: 'utf8', cwd: dir });
      if (result.status === 0) return undefined;
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.split(file).join(fileName).split('\n')
        .map((line) => line.replace(/^Checking '?[^\s']+'?\s*/, '').replace(/^\s*FAILED:\s*/, '').trim())
        .filter((line) => line !== '' && !/^(SUCCESS|Found:|- |amtool: error: failed to validate)/.test(line))
        .join('\n');
      return output || `${tool} exited with status ${result.status}`;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
