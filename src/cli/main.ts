#!/usr/bin/env node
/**
 * The `cdk8s-security-monitoring` command. Only parses argv and prints: the
 * checks are `runCheck`, which the tests call directly.
 */
import { CheckOptions, runCheck } from './check';
import { formatDiagnostic } from './diagnostic';

const USAGE = `usage: cdk8s-security-monitoring check <dir|file>... [--json] [--no-tools] [--strict] [--falco-upstream <falco_rules.yaml>]

Validates synthesized Kubernetes manifests (*.yaml, *.yml, multi-document):
Falco rules in ConfigMaps, PrometheusRules, alertmanager.yaml Secrets,
AlertmanagerConfigs and audit policies; runs promtool and amtool when on PATH.

  --json            print the diagnostics as a JSON array
  --no-tools        do not run promtool or amtool
  --strict          warnings fail the check too
  --falco-upstream  the upstream Falco ruleset that rules files load after;
                    without it, names they cannot resolve are warnings

Exit status: 0 when no errors, 1 when errors (or warnings with --strict), 2 on usage errors.`;

interface Command {
  readonly paths: string[];
  readonly options: CheckOptions;
  readonly json: boolean;
}

/** The command line after the program name; throws a usage message. */
export function parseArgs(argv: string[]): Command {
  const [command, ...rest] = argv;
  if (command !== 'check') throw new Error(command === undefined || command === '--help' || command === '-h' ? '' : `unknown command "${command}"`);
  const paths: string[] = [];
  let json = false;
  let options: CheckOptions = {};
  for (let i = 0; i < rest.length; i++) {
    const [arg, inline] = rest[i].startsWith('--falco-upstream=') ? ['--falco-upstream', rest[i].slice('--falco-upstream='.length)] : [rest[i]];
    switch (arg) {
      case '--json':
        json = true;
        break;
      case '--no-tools':
        options = { ...options, tools: false };
        break;
      case '--strict':
        options = { ...options, strict: true };
        break;
      case '--falco-upstream': {
        const value = inline ?? rest[++i];
        if (!value) throw new Error('--falco-upstream needs a file');
        options = { ...options, falcoUpstream: value };
        break;
      }
      case '--help':
      case '-h':
        throw new Error('');
      default:
        if (arg.startsWith('-')) throw new Error(`unknown option "${arg}"`);
        paths.push(arg);
    }
  }
  if (paths.length === 0) throw new Error('give at least one directory or file');
  return { paths, options, json };
}

function main(argv: string[]): number {
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (e) {
    const reason = (e as Error).message;
    process.stderr.write(`${reason ? `${reason}\n` : ''}${USAGE}\n`);
    return reason ? 2 : 0;
  }
  const result = runCheck(command.paths, command.options);
  result.notes.forEach((note) => process.stderr.write(`note: ${note}\n`));
  if (command.json) {
    process.stdout.write(`${JSON.stringify(result.diagnostics, undefined, 2)}\n`);
  } else {
    result.diagnostics.forEach((d) => process.stdout.write(`${formatDiagnostic(d)}\n`));
    const count = (severity: string) => result.diagnostics.filter((d) => d.severity === severity).length;
    process.stdout.write(`${count('error')} error(s), ${count('warning')} warning(s), ${count('note')} note(s)\n`);
  }
  return result.exitCode;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
