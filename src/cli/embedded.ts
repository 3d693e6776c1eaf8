import { parse } from 'yaml';
import { ManifestObject } from './manifests';

/** A config file carried in a ConfigMap or Secret: its key, text, and parsed YAML (undefined when it does not parse). */
export interface EmbeddedFile {
  /** The path of the key in the object, for line numbers: `['data', 'rules.yaml']`. */
  readonly path: [string, string];
  readonly key: string;
  readonly text: string;
  readonly parsed: unknown;
}

/**
 * The files of a ConfigMap (`data`) or Secret (`stringData`, or base64 `data`),
 * in key order: the order in which Kubernetes mounts them and Falco reads a
 * rules directory.
 */
export function embeddedFiles(manifest: ManifestObject): EmbeddedFile[] {
  const { kind, object } = manifest;
  if (kind !== 'ConfigMap' && kind !== 'Secret') return [];
  const sources: Array<[string, boolean]> = kind === 'Secret' ? [['stringData', false], ['data', true]] : [['data', false]];
  const files: EmbeddedFile[] = [];
  for (const [field, base64] of sources) {
    const data = object[field];
    if (data === null || typeof data !== 'object') continue;
    for (const key of Object.keys(data).sort()) {
      if (typeof data[key] !== 'string') continue;
      const text = base64 ? Buffer.from(data[key], 'base64').toString('utf8') : data[key];
      files.push({ path: [field, key], key, text, parsed: parseQuietly(text) });
    }
  }
  return files;
}

function parseQuietly(text: string): unknown {
  try {
    return parse(text);
  } catch {
    // Not YAML: not a file any checker recognizes.
    return undefined;
  }
}
