import * as fs from 'fs';
import * as path from 'path';
import { Document, isNode, LineCounter, parseAllDocuments } from 'yaml';
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
 * The objects of a multi-document YAML file. YAML syntax errors become
 * diagnostics (the documents that parsed are still checked).
 */
export function readManifests(file: string): { objects: ManifestObject[]; errors: CheckDiagnostic[] } {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(fs.readFileSync(file, 'utf8'), { lineCounter });
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
    if (object === null || typeof object !== 'object' || Array.isArray(object)) continue;
    const lineAt = (offset: number) => lineCounter.linePos(offset).line;
    const start = lineAt(document.contents?.range?.[0] ?? 0);
    objects.push({
      file,
      line: start,
      kind: String(object.kind ?? ''),
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
