import * as fs from 'fs';
import * as path from 'path';
import { Document, isNode, LineCounter, parse, parseAllDocuments } from 'yaml';
import { CheckDiagnostic, ObjectPath } from './diagnostic';

/** One Kubernetes object of a manifest file, with a way back to its lines. */
export interface ManifestObject {
  readonly file: string;
  /** 1-based line where the object starts. */
  readonly line: number;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly object: Record<string, any>;
  /** The line of the node at `path`, or of its nearest ancestor that exists. */
  lineOf(path: ObjectPath): number;
}

/**
 * The YAML files under the given files and directories (recursively), sorted
 * so output is stable, and the given paths that do not exist.
 */
export function findManifestFiles(paths: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing = paths.filter((p) => !fs.existsSync(p));
  const visit = (p: string, explicit: boolean) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      fs.readdirSync(p).sort().forEach((entry) => visit(path.join(p, entry), false));
    } else if (explicit || /\.ya?ml$/.test(p)) {
      files.push(p);
    }
  };
  paths.filter((p) => !missing.includes(p)).forEach((p) => visit(p, true));
  return { files, missing };
}

/**
 * The documents of a multi-document YAML file that are mappings (Kubernetes
 * objects, or config files without a `kind`) or lists (Falco rules files). YAML
 * syntax errors become diagnostics (the documents that parsed are still checked).
 */
export function readManifests(file: string, text = fs.readFileSync(file, 'utf8')): { objects: ManifestObject[]; errors: CheckDiagnostic[] } {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  const objects: ManifestObject[] = [];
  const errors: CheckDiagnostic[] = [];
  for (const document of Array.isArray(documents) ? documents : []) {
    if (document.errors.length > 0) {
      const error = document.errors[0];
      errors.push({
        file,
        line: error.linePos?.[0].line ?? 1,
        kind: '',
        namespace: '',
        name: '',
        item: null,
        severity: 'error',
        message: `not valid YAML: ${error.message.split('\n')[0]}`,
        tool: null,
      });
      continue;
    }
    const object = document.toJS();
    if (object === null || typeof object !== 'object') continue;
    const lineAt = (offset: number) => lineCounter.linePos(offset).line;
    const start = lineAt(document.contents?.range?.[0] ?? 0);
    objects.push({
      file,
      line: start,
      kind: Array.isArray(object) ? '' : String(object.kind ?? ''),
      namespace: String(object.metadata?.namespace ?? ''),
      name: String(object.metadata?.name ?? ''),
      object,
      lineOf: (p) => nodeLine(document, p, lineAt) ?? start,
    });
  }
  return { objects, errors };
}

function nodeLine(document: Document, p: ObjectPath, lineAt: (offset: number) => number): number | undefined {
  for (let length = p.length; length > 0; length--) {
    const node = document.getIn(p.slice(0, length), true);
    if (isNode(node) && node.range) return lineAt(node.range[0]);
  }
  return undefined;
}

/**
 * Why a file is not checked, or undefined: a Helm chart template (Go template
 * text that Helm renders into manifests, not a manifest itself), or a patch a
 * kustomization applies (a partial object). Their owning tool reads them, and
 * what it renders is what to check.
 * @param patches the files kustomizations name as patches
 */
export function skipReason(file: string, text: string, patches: ReadonlySet<string>): string | undefined {
  if (patches.has(path.resolve(file))) return 'Kustomize patches (check the output of kustomize build)';
  const parts = path.resolve(file).split(path.sep);
  const templates = parts.lastIndexOf('templates');
  const inChart = templates > 0 && ['Chart.yaml', 'Chart.yml'].some((chart) => fs.existsSync([...parts.slice(0, templates), chart].join(path.sep)));
  if (inChart || (TEMPLATE_ACTION.test(text) && !parsesAsYaml(text))) return 'templates (Helm, Jinja or Liquid): check what they render, e.g. the output of helm template';
  return undefined;
}

/**
 * A template action as Helm (`{{ .Values.x }}`, `{{- include ... }}`), Jinja or
 * Liquid (`{% for ... %}`) write them; Prometheus' own `{{ $labels.x }}` is not one.
 */
const TEMPLATE_ACTION = /\{%-?\s*[a-z]|\{\{-?\s*(?:\.|\$\.|\$[A-Za-z_]+\s*:=|(?:include|template|if|range|with|define|toYaml|tpl|end)\b)/;

function parsesAsYaml(text: string): boolean {
  return parseAllDocuments(text).every((d) => d.errors.length === 0);
}

/** The files the kustomizations among `files` apply as patches, as absolute paths. */
export function kustomizePatches(files: string[]): Set<string> {
  const patches = new Set<string>();
  for (const file of files.filter((f) => /^kustomization\.ya?ml$/i.test(path.basename(f)))) {
    let kustomization: any;
    try {
      kustomization = parse(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const entries: unknown[] = [
      ...asList(kustomization?.patchesStrategicMerge),
      ...asList(kustomization?.patches).map((p: any) => p?.path),
      ...asList(kustomization?.patchesJson6902).map((p: any) => p?.path),
    ];
    for (const entry of entries) {
      if (typeof entry === 'string' && !entry.includes('\n')) patches.add(path.resolve(path.dirname(file), entry));
    }
  }
  return patches;
}

function asList(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}
