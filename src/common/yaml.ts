import { stringify } from 'yaml';

/**
 * Serializes a document for a config file the library renders (Falco rules,
 * audit policy, Prometheus rule files, Fluent Bit config): keys in insertion
 * order, no line folding, no anchors/aliases, so the same input always gives
 * byte-identical, diff-friendly output.
 */
export function toYaml(document: unknown): string {
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}
