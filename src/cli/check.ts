import * as fs from 'fs';
import { stringify } from 'yaml';
import { alertmanagerFiles, checkAlertmanagerConfig, checkAlertmanagerFile, isAlertmanagerConfig } from './alertmanager-check';
import { checkAuditPolicies } from './audit-check';
import { CheckDiagnostic, Finding } from './diagnostic';
import { checkFalcoRules, FalcoCheckOptions, loadedPlugins } from './falco-check';
import { findManifestFiles, ManifestObject, readManifests } from './manifests';
import { checkPrometheusRule, isPrometheusRule } from './prometheus-check';
import { ToolName, ToolRunner } from './tools';
import { FalcoRules } from '../falco/rules/falco-rules';

/** Options of `runCheck`, one per command-line flag. */
export interface CheckOptions {
  /** Also run promtool and amtool when they are on PATH. @default true */
  readonly tools?: boolean;
  /** Warnings fail the check too. @default false */
  readonly strict?: boolean;
  /** The upstream Falco ruleset, loaded before every rules file found. @default - unresolved references are warnings */
  readonly falcoUpstream?: string;
}

export interface CheckResult {
  readonly diagnostics: CheckDiagnostic[];
  /** Remarks about the run itself (a tool not found), for stderr. */
  readonly notes: string[];
  /** 1 when there are errors (or warnings with `strict`), else 0. */
  readonly exitCode: number;
}

/** Checks every object of the YAML files under `paths`: the `check` command without its printing. */
export function runCheck(paths: string[], options: CheckOptions = {}): CheckResult {
  const { files, missing } = findManifestFiles(paths);
  const diagnostics: CheckDiagnostic[] = missing.map((file) => runError(file, 'no such file or directory'));
  const manifests: ManifestObject[] = [];
  for (const file of files) {
    const { objects, errors } = readManifests(file);
    manifests.push(...objects);
    diagnostics.push(...errors);
  }
  if (files.length === 0 && missing.length === 0) diagnostics.push(runError(paths.join(' '), 'no *.yaml or *.yml files found'));
  const falco: FalcoCheckOptions = {
    upstream: options.falcoUpstream === undefined ? undefined : FalcoRules.fromYaml(fs.readFileSync(options.falcoUpstream, 'utf8')),
    plugins: [...new Set(manifests.flatMap(loadedPlugins))],
  };
  const tools = options.tools === false ? undefined : new ToolRunner();
  const skipped = new Set<ToolName>();
  const runTool = (tool: ToolName, fileName: string, content: string, path: Finding['path'], item?: string): Finding[] => {
    if (!tools) return [];
    if (!tools.has(tool)) {
      skipped.add(tool);
      return [];
    }
    const complaint = tools.check(tool, fileName, content);
    return complaint === undefined ? [] : [{ path, item, severity: 'error', message: complaint, tool }];
  };

  for (const manifest of manifests) {
    const findings: Finding[] = [...checkFalcoRules(manifest, falco), ...checkAuditPolicies(manifest)];
    if (isPrometheusRule(manifest)) {
      findings.push(...checkPrometheusRule(manifest));
      findings.push(...runTool('promtool', 'rules.yaml', stringify({ groups: manifest.object.spec?.groups ?? [] }), ['spec', 'groups']));
    }
    if (isAlertmanagerConfig(manifest)) findings.push(...checkAlertmanagerConfig(manifest));
    for (const file of alertmanagerFiles(manifest)) {
      findings.push(...checkAlertmanagerFile(file), ...runTool('amtool', file.key, file.text, file.path, file.key));
    }
    diagnostics.push(...findings.map((f) => place(manifest, f)));
  }
  const notes = [...skipped].map((tool) => `${tool} is not on PATH: its checks were skipped (install it, or pass --no-tools to silence this note)`);
  const failing = diagnostics.some((d) => d.severity === 'error' || (options.strict && d.severity === 'warning'));
  return { diagnostics, notes, exitCode: failing ? 1 : 0 };
}

/** A problem with the input as a whole rather than with an object. */
function runError(file: string, message: string): CheckDiagnostic {
  return { file, line: 0, kind: '', namespace: '', name: '', item: null, severity: 'error', message, tool: null };
}

function place(manifest: ManifestObject, finding: Finding): CheckDiagnostic {
  return {
    file: manifest.file,
    line: manifest.lineOf(finding.path),
    kind: manifest.kind,
    namespace: manifest.namespace,
    name: manifest.name,
    item: finding.item ?? null,
    severity: finding.severity,
    message: finding.message,
    tool: finding.tool ?? null,
  };
}
