/**
 * Serializes a document for a config file the library renders (Falco rules,
 * audit policy, Prometheus rule files, Fluent Bit config): keys in insertion
 * order, no line folding, no anchors/aliases, so the same input always gives
 * byte-identical, diff-friendly output.
 *
 * A purpose-built emitter for JSON-shaped data rather than the `yaml`
 * library's stringify, which dominated synth time for large rules files
 * (10,000 Falco rules: about 400 ms there, about 35 ms here). Its output reads the
 * same under YAML 1.2 and YAML 1.1, because several consumers (Alertmanager,
 * the API server, Filebeat) parse with YAML 1.1 rules: a string that either
 * version would read as something else (`on`, `0755`, `12:30`, `2024-01-01`)
 * is quoted.
 */
export function toYaml(document: unknown): string {
  if (!isBlockCollection(document)) return `${scalar(document, indentation(1))}\n`;
  const out: Output = { text: '' };
  writeCollection(out, document, 0, '');
  return out.text;
}

/** The text written so far: appending to one string is cheaper than joining many lines. */
interface Output { text: string }

type Collection = readonly unknown[] | Readonly<Record<string, unknown>>;

/** A non-empty list or map: written as an indented block; everything else fits on one line. */
function isBlockCollection(value: unknown): value is Collection {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  for (const key in value) {
    if ((value as Record<string, unknown>)[key] !== undefined) return true;
  }
  return false;
}

const INDENTATIONS = [''];
/** Two spaces per level. */
function indentation(depth: number): string {
  while (INDENTATIONS.length <= depth) INDENTATIONS.push(`${INDENTATIONS[INDENTATIONS.length - 1]}  `);
  return INDENTATIONS[depth];
}

/**
 * Writes a block collection whose lines are indented to `depth`; the first
 * line starts with `first` instead, so a collection inside a list item shares
 * the item's `- ` line.
 */
function writeCollection(out: Output, collection: Collection, depth: number, first: string): void {
  let lead = first;
  if (Array.isArray(collection)) {
    for (const item of collection) {
      // As in JSON, a missing list item is null.
      writeEntry(out, `${lead}-`, item === undefined ? null : item, depth);
      lead = indentation(depth);
    }
    return;
  }
  const map = collection as Readonly<Record<string, unknown>>;
  for (const key in map) {
    const value = map[key];
    if (value === undefined) continue;
    writeEntry(out, `${lead}${inlineString(key)}:`, value, depth);
    lead = indentation(depth);
  }
}

/** Writes the value of `head` (a `key:` or a `-`), nested one level below `depth`. */
function writeEntry(out: Output, head: string, value: unknown, depth: number): void {
  if (!isBlockCollection(value)) {
    out.text += `${head} ${scalar(value, indentation(depth + 1))}\n`;
  } else if (head.endsWith('-')) {
    writeCollection(out, value, depth + 1, `${head} `);
  } else {
    out.text += `${head}\n`;
    writeCollection(out, value, depth + 1, indentation(depth + 1));
  }
}

/** One value that is not a block collection; a multi-line string becomes a literal block indented by `indent`. */
function scalar(value: unknown, indent: string): string {
  switch (typeof value) {
    case 'string':
      // Most strings are plain: one scan settles them (a line break is never plain).
      if (isPlainSafe(value)) return value;
      return value.includes('\n') ? literalBlock(value, indent) ?? doubleQuoted(value) : inlineString(value);
    case 'number':
      if (Number.isFinite(value)) return formatNumber(value);
      return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
    case 'boolean':
      return String(value);
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? '[]' : '{}';
    default:
      throw new Error(`toYaml: a ${typeof value} cannot be written to YAML (got ${String(value)})`);
  }
}

/** JavaScript's number text, except where YAML reads it differently: `-0`, and exponents without a fraction (YAML 1.1 needs the dot). */
function formatNumber(value: number): string {
  if (Object.is(value, -0)) return '-0';
  const text = String(value);
  return text.includes('e') && !text.includes('.') ? text.replace('e', '.0e') : text;
}

function inlineString(value: string): string {
  if (isPlainSafe(value)) return value;
  // Single quotes read better for text with double quotes in it (Go templates, Falco conditions).
  const singleQuotable = value.includes('"') && !value.includes("'") && !value.includes('\n') && !CONTROL.test(value);
  return singleQuotable ? `'${value}'` : doubleQuoted(value);
}

/** Characters other than tab and line feed that YAML text cannot hold as they are: only a double-quoted escape can. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]/;

/** First characters that make a plain scalar something else: YAML indicators, and `+`/`~` for numbers and null. */
const INDICATOR_START = new Set('-?:,[]{}#&*!|>\'"%@`+~ '.split('').map((c) => c.charCodeAt(0)));
const [SPACE, COLON, DOT, DIGIT_0, DIGIT_9, LOWER_E, UPPER_E] = [' ', ':', '.', '0', '9', 'e', 'E'].map((c) => c.charCodeAt(0));

const NOT_PRINTABLE_ASCII = /[^ -~]/;

/** Words YAML 1.1 or 1.2 reads as booleans or null, in any case; `<<` and `=` are YAML 1.1 key types. */
const SPECIAL_WORD = /^(?:y|yes|n|no|true|false|on|off|null|\.inf|\.nan|<<|=)$/i;
/** Numbers (decimal, hex, octal, binary, exponent, YAML 1.1 base 60) and dates. */
const NUMBER_OR_DATE = /^(?:[\d_]*(?:\.[\d._]*)?(?:[eE][-+]?\d+)?|0[xXoObB][\dA-Fa-f_]+|\d[\d_]*(?::[0-5]?\d)+(?:\.[\d_]*)?|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?)$/;

/**
 * A string that reads back as the same string, unquoted, under both YAML 1.1
 * and 1.2: printable ASCII, no leading indicator or surrounding space, no `: `
 * or ` #`, and not a number, date, boolean or null. This runs for every key
 * and value of every rules file.
 */
function isPlainSafe(value: string): boolean {
  const length = value.length;
  if (length === 0 || INDICATOR_START.has(value.charCodeAt(0))) return false;
  const last = value.charCodeAt(length - 1);
  if (last === SPACE || last === COLON) return false;
  if (NOT_PRINTABLE_ASCII.test(value) || value.includes(': ') || value.includes(' #')) return false;
  if (length <= 5 && SPECIAL_WORD.test(value)) return false;
  // `.5`, and `e1`, which some YAML 1.1 readers take for a float.
  const first = value.charCodeAt(0);
  return !(((first >= DIGIT_0 && first <= DIGIT_9) || first === DOT || first === LOWER_E || first === UPPER_E) && NUMBER_OR_DATE.test(value));
}

/**
 * A double-quoted scalar. JSON's string syntax is valid YAML; YAML also
 * forbids raw DEL, C1 controls and the byte order mark, which JSON leaves as they are.
 */
function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(/[\x7f-\x9f\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A literal block (`|`), which keeps every line as written, or undefined when
 * the text has characters or a shape a literal block cannot carry: CR and
 * other control characters, lines of only spaces, or a first non-empty line that starts
 * with white space (its indentation would be taken for the block's).
 */
function literalBlock(value: string, indent: string): string | undefined {
  if (CONTROL.test(value)) return undefined;
  const body = value.replace(/\n+$/, '');
  const trailing = value.length - body.length;
  const lines = body.split('\n');
  if (/^\n*[ \t]/.test(body) || body === '' || lines.some((l) => l !== '' && l.trim() === '')) return undefined;
  const chomping = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const kept = trailing > 1 ? Array<string>(trailing - 1).fill('') : [];
  return [`|${chomping}`, ...lines.map((l) => (l === '' ? '' : indent + l)), ...kept].join('\n');
}

/**
 * Parses a YAML document (rules files and policies given as text). The
 * `yaml` library is loaded on first use: a synth from typed props never
 * parses YAML, and loading the library would add about 50 ms to every
 * `require` of this one.
 */
export function parseYaml(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml: typeof import('yaml') = require('yaml');
  return yaml.parse(text);
}
