import { MAX_ANNOTATION_BYTES } from '../common/object-size';

/**
 * JSON bytes of rules text one ConfigMap carries. Client-side `kubectl apply`
 * (and GitOps tools that apply that way) copies the whole object as JSON into
 * an annotation limited to 256 KiB, so a ConfigMap that stays below it can be
 * applied every way; 16 KiB are left for the object's metadata and keys.
 */
export const RULES_CONFIG_MAP_BUDGET = MAX_ANNOTATION_BYTES - 16 * 1024;

/** One file Falco loads from the rules directory: a rules file, or one part of a large one. */
export interface RulesFilePart {
  /** The rules file (`addRules` name) it belongs to. */
  readonly file: string;
  /** Its key in the ConfigMap, the file name in the rules directory. */
  readonly key: string;
  readonly text: string;
  /** JSON bytes of the text (what a ConfigMap's apply annotation and request carry). */
  readonly bytes: number;
  /** The largest entry of the part, for errors about an entry no split can help. */
  readonly largestEntry: { readonly head: string; readonly bytes: number };
}

/** The rules files spread over ConfigMaps, in Falco's load order. */
export interface RulesLayout {
  /** Parts in load order (the `rules_files` order). */
  readonly parts: RulesFilePart[];
  /** The parts of each ConfigMap, in order; the first ConfigMap always exists. */
  readonly configMaps: RulesFilePart[][];
}

const jsonBytes = (text: string) => Buffer.byteLength(JSON.stringify(text)) - 2;

/**
 * The entries of a rules file as rendered by `toYaml`: every top-level list
 * entry starts a line with "- " (nested lines are indented), so the file splits
 * between entries without parsing it, and the pieces concatenate back to it.
 */
function entries(text: string): string[] {
  return text.split(/^(?=- )/m).filter((entry) => entry.length > 0);
}

/** The first line of an entry, e.g. `- rule: Shell in container`. */
function head(entry: string): string {
  return entry.slice(0, entry.indexOf('\n') >= 0 ? entry.indexOf('\n') : undefined);
}

/**
 * Spreads rules files over ConfigMaps that each stay within `budget` JSON
 * bytes. A file that fits in a ConfigMap is never split; a larger one is split
 * between entries into parts (`name.01.yaml`, `name.02.yaml`, ...) that Falco
 * loads in turn, which it reads like the whole file: the loader keeps its
 * macros, lists and rules from one file to the next. An entry larger than the
 * budget gets a part of its own; the caller reports it.
 */
export function layoutRulesFiles(files: ReadonlyArray<readonly [string, string]>, budget = RULES_CONFIG_MAP_BUDGET): RulesLayout {
  const configMaps: RulesFilePart[][] = [[]];
  const parts: RulesFilePart[] = [];
  let used = 0;
  const place = (part: RulesFilePart) => {
    if (used + part.bytes > budget && configMaps[configMaps.length - 1].length > 0) {
      configMaps.push([]);
      used = 0;
    }
    configMaps[configMaps.length - 1].push(part);
    parts.push(part);
    used += part.bytes;
  };
  for (const [file, text] of files) {
    const bytes = jsonBytes(text);
    if (bytes <= budget) {
      place({ file, key: `${file}.yaml`, text, bytes, largestEntry: { head: '', bytes: 0 } });
      continue;
    }
    // Split between entries: fill the current ConfigMap, then one ConfigMap per part.
    const pieces: Array<{ text: string; bytes: number; largestEntry: RulesFilePart['largestEntry'] }> = [];
    let room = budget - used;
    let current = { text: '', bytes: 0, largestEntry: { head: '', bytes: 0 } };
    for (const entry of entries(text)) {
      const entryBytes = jsonBytes(entry);
      // An entry that does not fit beside what the current ConfigMap holds starts the next one.
      if (current.bytes === 0 && entryBytes > room) room = budget;
      if (current.bytes > 0 && current.bytes + entryBytes > room) {
        pieces.push(current);
        current = { text: '', bytes: 0, largestEntry: { head: '', bytes: 0 } };
        room = budget;
      }
      current.text += entry;
      current.bytes += entryBytes;
      if (entryBytes > current.largestEntry.bytes) current.largestEntry = { head: head(entry), bytes: entryBytes };
    }
    if (current.bytes > 0) pieces.push(current);
    const width = String(pieces.length).length;
    pieces.forEach((piece, i) => place({ file, key: `${file}.${String(i + 1).padStart(Math.max(width, 2), '0')}.yaml`, ...piece }));
  }
  return { parts, configMaps };
}
