import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Runs amtool on a config; throws (failing the test) if amtool is missing or rejects it. */
export function amtool(config: string, ...args: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amtool-'));
  const file = path.join(dir, 'alertmanager.yaml');
  fs.writeFileSync(file, config);
  try {
    return execFileSync('amtool', args.map((a) => a.replace('$CONFIG', file)), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e: any) {
    if (e.code === 'ENOENT') throw new Error('amtool not found: install prometheus-alertmanager (see .ci/run)');
    throw new Error(`amtool ${args.join(' ')} failed:\n${e.stdout}${e.stderr}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const checkConfig = (config: string) => amtool(config, 'check-config', '$CONFIG');

/** The receivers amtool's routing tree picks for an alert with these labels. */
export function routesTo(config: string, labels: Record<string, string>): string[] {
  const out = amtool(config, 'config', 'routes', 'test', '--config.file=$CONFIG', ...Object.entries(labels).map(([k, v]) => `${k}=${v}`));
  return out.trim().split(/[\s,]+/).filter(Boolean);
}
