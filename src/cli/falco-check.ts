import { parse } from 'yaml';
import { Finding, ObjectPath, Severity } from './diagnostic';
import { EmbeddedFile, embeddedFiles } from './embedded';
import { ManifestObject } from './manifests';
import { FalcoRules } from '../falco/rules/falco-rules';

/** How Falco rules found in the manifests are checked. */
export interface FalcoCheckOptions {
  /**
   * The upstream ruleset (`falco_rules.yaml`), loaded before every rules file.
   * Without it, references the rules files cannot resolve are reported as
   * warnings, because Falco deployments load the upstream ruleset first and
   * it is not part of the manifests.
   */
  readonly upstream?: FalcoRules;
  /** Plugins loaded by the Falco configuration (`load_plugins` of any `falco.yaml` in the manifests). */
  readonly plugins: string[];
}

/**
 * A Falco rules file: a YAML list with at least one `rule:`, `macro:` or
 * `list:` entry. No other common config file has that shape, and it does not
 * depend on how the ConfigMap is mounted (which may be in another file, or
 * another repository). One bad entry does not hide the file: the loader
 * reports it.
 */
export function isFalcoRulesFile(file: Pick<EmbeddedFile, 'parsed'>): boolean {
  if (!Array.isArray(file.parsed)) return false;
  const entries = file.parsed.filter((entry) => entry !== null && typeof entry === 'object');
  // Falco Talon's rules files are lists of `- action:` and `- rule:` entries too, with `match` and `actions`.
  if (entries.some((entry) => 'action' in entry || 'match' in entry || 'actions' in entry)) return false;
  return entries.some((entry) => ['rule', 'macro', 'list'].some((kind) => kind in entry));
}

/** `load_plugins` of a `falco.yaml` held in a ConfigMap, so rules may use those plugins' fields. */
export function loadedPlugins(manifest: ManifestObject): string[] {
  return embeddedFiles(manifest)
    .filter((f) => f.key === 'falco.yaml' && f.parsed !== null && typeof f.parsed === 'object')
    .flatMap((f) => (f.parsed as Record<string, unknown>).load_plugins)
    .filter((name): name is string => typeof name === 'string');
}

/**
 * Messages of references to a macro, list or rule that nothing loaded so far
 * defines, when the validator found no similar name (a near miss is a typo
 * and stays an error).
 */
const UNRESOLVED = /(references (macro|list) "[^"]+" at offset \d+, which is not defined|overrides (rule|macro|list) "[^"]+" which is not defined earlier)/;
const UPSTREAM_NOTE = ' [not checked against the upstream ruleset, which is not in the manifests: pass --falco-upstream <falco_rules.yaml>]';

/**
 * Checks the rules files of a ConfigMap in key order, each loaded after the
 * upstream ruleset (when given) and the files before it. Files of different
 * ConfigMaps are checked independently: their relative load order is not in
 * the manifests.
 */
export function checkFalcoRules(manifest: ManifestObject, options: FalcoCheckOptions): Finding[] {
  const files = embeddedFiles(manifest).filter(isFalcoRulesFile);
  return checkFalcoRulesFiles(files.map((f) => ({ key: f.key, text: f.text, pathOf: () => f.path })), options);
}

/** A rules file embedded in a ConfigMap, with the object that carries it. */
export interface EmbeddedRulesFile {
  readonly manifest: ManifestObject;
  readonly file: EmbeddedFile;
}

/**
 * The rules files of ConfigMaps that a falco.yaml of the same namespace lists in
 * `rules_files`, in that order: the order Falco loads them in, across ConfigMaps
 * (a large rules file is split over several) and whatever their key order.
 * One list per falco.yaml that names at least one.
 */
export function falcoLoadOrders(manifests: ManifestObject[]): EmbeddedRulesFile[][] {
  const rulesFiles = manifests.flatMap((manifest) => embeddedFiles(manifest).filter(isFalcoRulesFile).map((file) => ({ manifest, file })));
  return manifests.flatMap((manifest) => embeddedFiles(manifest)
    .filter((f) => f.key === 'falco.yaml' && f.parsed !== null && typeof f.parsed === 'object')
    .map((f) => (f.parsed as Record<string, unknown>).rules_files)
    .filter((paths): paths is unknown[] => Array.isArray(paths))
    .map((paths) => paths.filter((p): p is string => typeof p === 'string')
      .map((p) => rulesFiles.find((r) => r.file.key === p.split('/').pop() && r.manifest.namespace === manifest.namespace))
      .filter((r): r is EmbeddedRulesFile => r !== undefined)))
    .filter((order) => order.length > 0);
}

/** A rules file: its name for messages, its text, and where each item's finding points. */
export interface RulesFileText {
  readonly key: string;
  readonly text: string;
  /** The path of the finding about the item at `index` of the file (or about the whole file, index -1). */
  readonly pathOf: (index: number) => ObjectPath;
}

/** Checks rules files loaded in the given order, each after the upstream ruleset (when given) and the files before it. */
export function checkFalcoRulesFiles(files: RulesFileText[], options: FalcoCheckOptions): Finding[] {
  const findings: Finding[] = [];
  const loaded: FalcoRules[] = options.upstream ? [options.upstream] : [];
  for (const file of files) {
    let rules: FalcoRules;
    try {
      rules = FalcoRules.fromYaml(file.text, { after: [...loaded], plugins: options.plugins });
    } catch (e) {
      findings.push({ path: file.pathOf(-1), item: file.key, severity: 'error', message: (e as Error).message });
      continue;
    }
    const positions = itemPositions(file.text);
    for (const diagnostic of rules.validate()) {
      const unresolved = !options.upstream && UNRESOLVED.test(diagnostic.message) && !diagnostic.message.includes('did you mean');
      findings.push({
        path: file.pathOf(positions.get(diagnostic.item) ?? -1),
        item: `${file.key}: ${diagnostic.item}`,
        severity: unresolved ? 'warning' : diagnostic.severity as Severity,
        message: unresolved ? diagnostic.message + UPSTREAM_NOTE : diagnostic.message,
      });
    }
    loaded.push(rules);
  }
  return findings;
}

/** Where each named item first appears in a rules file. */
function itemPositions(text: string): Map<string, number> {
  const positions = new Map<string, number>();
  const entries: unknown = parseQuietly(text);
  if (!Array.isArray(entries)) return positions;
  entries.forEach((entry, index) => {
    const name = entry?.rule ?? entry?.macro ?? entry?.list;
    if (typeof name === 'string' && !positions.has(name)) positions.set(name, index);
  });
  return positions;
}

function parseQuietly(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}
