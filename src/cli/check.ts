import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { alertmanagerFiles, checkAlertmanagerConfig, checkAlertmanagerFile, isAlertmanagerConfig } from './alertmanager-check';
import { checkAuditPolicies } from './audit-check';
import { CheckDiagnostic, Finding } from './diagnostic';
import { embeddedFiles } from './embedded';
import { checkFalcoRules, checkFalcoRulesFiles, FalcoCheckOptions, falcoLoadOrders, isFalcoRulesFile, loadedPlugins } from './falco-check';
import { findManifestFiles, kustomizePatches, ManifestObject, readManifests, skipReason } from './manifests';
import { checkPrometheusRule, checkPrometheusRuleFile, isPrometheusRule, isPrometheusRuleFile } from './prometheus-check';
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

/**
 * Checks every object of the YAML files under `paths`: the `check` command
 * without its printing. It reads any YAML a repository holds: what it checks
 * (Kubernetes objects, Falco rules files, Prometheus rule files) is checked, and
 * what it does not understand (Helm templates, Kustomize patches, other config
 * files) is skipped with a note, never reported as an error.
 */
export function runCheck(paths: string[], options: CheckOptions = {}): CheckResult {
  const { files, missing } = findManifestFiles(paths);
  const diagnostics: CheckDiagnostic[] = missing.map((file) => runError(file, 'no such file or directory'));
  const manifests: ManifestObject[] = [];
  const rulesFiles: ManifestObject[] = [];
  const skipped = new Map<string, string[]>();
  const skip = (reason: string, file: string) => skipped.set(reason, [...skipped.get(reason) ?? [], file]);
  const patches = kustomizePatches(files);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const reason = skipReason(file, text, patches);
    if (reason) {
      skip(reason, file);
      continue;
    }
    const { objects, errors } = readManifests(file, text);
    diagnostics.push(...errors);
    const understood = objects.filter((o) => o.kind !== '' || isPrometheusRuleFile(o) || isFalcoRulesFile({ parsed: o.object }));
    manifests.push(...understood.filter((o) => !Array.isArray(o.object)));
    rulesFiles.push(...understood.filter((o) => Array.isArray(o.object)));
    if (understood.length === 0 && errors.length === 0) skip('files with no Kubernetes object, Falco rules or Prometheus rules', file);
  }
  if (files.length === 0 && missing.length === 0) diagnostics.push(runError(paths.join(' '), 'no *.yaml or *.yml files found'));
  const upstreamFile = options.falcoUpstream ?? rulesFiles.find((f) => path.basename(f.file) === UPSTREAM_RULES_FILE)?.file;
  const falco: FalcoCheckOptions = {
    upstream: upstreamFile === undefined ? undefined : FalcoRules.fromYaml(fs.readFileSync(upstreamFile, 'utf8')),
    plugins: [...new Set(manifests.flatMap(loadedPlugins))],
  };
  const tools = options.tools === false ? undefined : new ToolRunner();
  const skippedTools = new Set<ToolName>();
  const runTool = (tool: ToolName, fileName: string, content: string, at: Finding['path'], item?: string): Finding[] => {
    if (!tools) return [];
    if (!tools.has(tool)) {
      skippedTools.add(tool);
      return [];
    }
    const complaint = tools.check(tool, fileName, content);
    return complaint === undefined ? [] : [{ path: at, item, severity: 'error', message: complaint, tool }];
  };

  // Rules ConfigMaps a falco.yaml lists are checked in its rules_files order, across ConfigMaps;
  // a ConfigMap with a rules file no falco.yaml lists is checked on its own, in key order.
  const loadOrders = falcoLoadOrders(manifests);
  const listed = new Map<ManifestObject, Set<string>>();
  loadOrders.flat().forEach((r) => listed.set(r.manifest, new Set([...listed.get(r.manifest) ?? [], r.file.key])));
  const checkedInOrder = new Set(manifests.filter((m) => embeddedFiles(m).filter(isFalcoRulesFile).every((f) => listed.get(m)?.has(f.key))));
  for (const order of loadOrders.filter((o) => o.every((r) => checkedInOrder.has(r.manifest)))) {
    const findings = checkFalcoRulesFiles(order.map((r) => ({ key: r.file.key, text: r.file.text, pathOf: () => r.file.path })), falco);
    diagnostics.push(...findings.map((finding) => place(order.find((r) => finding.item?.startsWith(`${r.file.key}: `) || finding.item === r.file.key)!.manifest, finding)));
  }
  for (const manifest of manifests) {
    const findings: Finding[] = [...(checkedInOrder.has(manifest) ? [] : checkFalcoRules(manifest, falco)), ...checkAuditPolicies(manifest)];
    if (isPrometheusRule(manifest)) {
      findings.push(...checkPrometheusRule(manifest));
      findings.push(...runTool('promtool', 'rules.yaml', stringify({ groups: manifest.object.spec?.groups ?? [] }), ['spec', 'groups']));
    }
    if (isPrometheusRuleFile(manifest)) {
      findings.push(...checkPrometheusRuleFile(manifest));
      findings.push(...runTool('promtool', 'rules.yaml', stringify({ groups: manifest.object.groups }), ['groups']));
    }
    if (isAlertmanagerConfig(manifest)) findings.push(...checkAlertmanagerConfig(manifest));
    for (const file of alertmanagerFiles(manifest)) {
      findings.push(...checkAlertmanagerFile(file), ...runTool('amtool', file.key, file.text, file.path, file.key));
    }
    diagnostics.push(...findings.map((f) => place(manifest, f)));
  }
  for (const group of rulesDirectories(rulesFiles)) {
    const texts = group.map((f) => ({ key: path.basename(f.file), text: fs.readFileSync(f.file, 'utf8'), pathOf: (index: number) => (index < 0 ? [] : [index]) }));
    // The directory of the upstream file loads it first itself.
    const holdsUpstream = group.some((f) => upstreamFile !== undefined && path.resolve(f.file) === path.resolve(upstreamFile));
    const findings = checkFalcoRulesFiles(texts, holdsUpstream ? { ...falco, upstream: undefined } : falco);
    diagnostics.push(...findings.map((finding) => place(group.find((f) => finding.item?.startsWith(`${path.basename(f.file)}: `)) ?? group[0], finding)));
  }
  const notes = [
    ...[...skippedTools].map((tool) => `${tool} is not on PATH: its checks were skipped (install it, or pass --no-tools to silence this note)`),
    ...[...skipped].map(([reason, skippedFiles]) => `skipped ${skippedFiles.length} file(s), ${reason}: ${
      skippedFiles.slice(0, 3).join(', ')}${skippedFiles.length > 3 ? `, and ${skippedFiles.length - 3} more` : ''}`),
  ];
  const failing = diagnostics.some((d) => d.severity === 'error' || (options.strict && d.severity === 'warning'));
  return { diagnostics, notes, exitCode: failing ? 1 : 0 };
}

/** The upstream ruleset's file name: Falco loads it first. */
const UPSTREAM_RULES_FILE = 'falco_rules.yaml';

/**
 * Falco rules files found on disk, grouped as Falco would load them: the files of
 * one directory in sequence (falco_rules.yaml, then falco_rules.local.yaml, then
 * the rest by name, as Falco's default rules_files and a rules.d directory read),
 * each group after the upstream ruleset (the group holding it loads it first).
 */
function rulesDirectories(files: ManifestObject[]): ManifestObject[][] {
  const first = ['falco_rules.yaml', 'falco_rules.local.yaml'];
  const rank = (file: string) => (first.includes(path.basename(file)) ? first.indexOf(path.basename(file)) : first.length);
  const byDirectory = new Map<string, ManifestObject[]>();
  for (const file of files) {
    const dir = path.dirname(file.file);
    byDirectory.set(dir, [...byDirectory.get(dir) ?? [], file]);
  }
  // Files are found in sorted order, and the sort is stable: only the ranks move files.
  return [...byDirectory.values()].map((group) => group.sort((a, b) => rank(a.file) - rank(b.file)));
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
