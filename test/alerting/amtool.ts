import { AMTOOL } from '../util/live-tools';
import { runRecorded } from '../util/recorded-tool';

/** amtool on a config, live or from its recorded verdicts; throws (failing the test) if it rejects the config. */
export function amtool(config: string, ...args: string[]): string {
  const run = runRecorded(AMTOOL, args, { 'alertmanager.yaml': config });
  if (!run.ok) throw new Error(`amtool ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
  return run.stdout;
}

export const checkConfig = (config: string) => amtool(config, 'check-config', 'alertmanager.yaml');

/** The receivers amtool's routing tree picks for an alert with these labels. */
export function routesTo(config: string, labels: Record<string, string>): string[] {
  const out = amtool(config, 'config', 'routes', 'test', '--config.file=alertmanager.yaml', ...Object.entries(labels).map(([k, v]) => `${k}=${v}`));
  return out.trim().split(/[\s,]+/).filter(Boolean);
}
