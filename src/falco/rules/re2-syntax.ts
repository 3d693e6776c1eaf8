/**
 * The pattern syntax of Falco's `regex` operator: libsinsp compiles the
 * pattern with RE2 in POSIX mode (`posix_syntax`), so Perl's additions are
 * errors there: `\d`, `\w`, `\s`, `\b`, `\A`, `\z`, back-references and
 * every `(?...)` group (non-capturing, named, flags, lookaround). Falco then
 * rejects the whole rules file. The rules below follow RE2's parser
 * (re2/parse.cc) and were checked against Falco 0.44.1.
 */

/** Named classes RE2 accepts inside brackets, as `[:name:]` or `[:^name:]`. */
const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);
const CONTROL_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
/** RE2's largest repetition count. */
const MAX_REPEAT = 1000;
const REPEAT = /\{(\d+)(,(\d*))?\}/y;
const ASCII_WORD = /[A-Za-z0-9]/;
const OCTAL = /[0-7]/;
const HEX2 = /[0-9A-Fa-f]{2}/y;
const HEX_BRACED = /\{([0-9A-Fa-f]+)\}/y;

/** Why Falco's RE2 would reject `pattern`, in RE2's words; undefined when it compiles. */
export function re2Problem(pattern: string): string | undefined {
  let open = 0;
  // Where a repetition operator would have nothing to repeat: the start, after "(" or "|".
  let nothingToRepeat = true;
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === '(') {
      if (pattern[i + 1] === '?') {
        return 'RE2 in POSIX mode has no "(?" groups (non-capturing, named, flags or lookaround): use plain ( ) groups';
      }
      open++;
      i++;
      nothingToRepeat = true;
    } else if (c === ')') {
      if (open === 0) return `unexpected ) at position ${i} of the pattern`;
      open--;
      i++;
      nothingToRepeat = false;
    } else if (c === '|') {
      i++;
      nothingToRepeat = true;
    } else if (c === '*' || c === '+' || c === '?') {
      if (nothingToRepeat) return `no argument for repetition operator ${c} at position ${i} of the pattern`;
      i++;
    } else if (c === '{' && (REPEAT.lastIndex = i, REPEAT.test(pattern))) {
      const repeat = pattern.slice(i, REPEAT.lastIndex);
      if (nothingToRepeat) return `no argument for repetition operator ${repeat} at position ${i} of the pattern`;
      const [min, max] = repeat.slice(1, -1).split(',');
      const tooBig = Number(min) > MAX_REPEAT || (max !== undefined && max !== '' && (Number(max) > MAX_REPEAT || Number(max) < Number(min)));
      if (tooBig) return `invalid repetition size ${repeat} at position ${i} of the pattern (at most ${MAX_REPEAT}, and the minimum first)`;
      i = REPEAT.lastIndex;
    } else if (c === '\\') {
      const escape = readEscape(pattern, i);
      if (typeof escape === 'string') return escape;
      i = escape.end;
      nothingToRepeat = false;
    } else if (c === '[') {
      const end = readClass(pattern, i);
      if (typeof end === 'string') return end;
      i = end;
      nothingToRepeat = false;
    } else {
      // A literal, ".", "^" or "$" (RE2 lets an empty-width assertion be repeated), or a "{" that starts no repetition.
      i++;
      nothingToRepeat = false;
    }
  }
  return open > 0 ? 'missing ) to close a group' : undefined;
}

interface Escape {
  /** The code point the escape stands for. */
  readonly code: number;
  readonly end: number;
}

/** A backslash escape at `start`, as RE2 reads it without Perl classes; a string says why it is invalid. */
function readEscape(pattern: string, start: number): Escape | string {
  const e = pattern[start + 1];
  if (e === undefined) return 'trailing \\ at the end of the pattern';
  // Any ASCII punctuation (and anything beyond ASCII) stands for itself.
  if (!ASCII_WORD.test(e)) return { code: pattern.codePointAt(start + 1)!, end: start + 1 + (pattern.codePointAt(start + 1)! > 0xffff ? 2 : 1) };
  if (e in CONTROL_ESCAPES) return { code: CONTROL_ESCAPES[e], end: start + 2 };
  // Octal: \0 plus up to two octal digits, or \1-\7 when another octal digit follows (alone, it would be a back-reference).
  if (e === '0' || (OCTAL.test(e) && OCTAL.test(pattern[start + 2] ?? ''))) {
    let end = start + 2;
    while (end < start + 4 && OCTAL.test(pattern[end] ?? '')) end++;
    return { code: parseInt(pattern.slice(start + 1, end), 8), end };
  }
  if (e === 'x') {
    HEX_BRACED.lastIndex = start + 2;
    if (HEX_BRACED.test(pattern)) {
      const code = parseInt(pattern.slice(start + 3, HEX_BRACED.lastIndex - 1), 16);
      if (code <= 0x10ffff) return { code, end: HEX_BRACED.lastIndex };
    } else {
      HEX2.lastIndex = start + 2;
      if (HEX2.test(pattern)) return { code: parseInt(pattern.slice(start + 2, start + 4), 16), end: start + 4 };
    }
    return `invalid escape sequence \\x at position ${start} of the pattern: write \\x41 or \\x{41}`;
  }
  return `invalid escape sequence \\${e} at position ${start} of the pattern: RE2 in POSIX mode has no Perl classes or assertions (\\d, \\w, \\s, \\b, \\A, \\z) and no back-references; `
    + 'use [0-9], [[:alnum:]_], [[:space:]], ^ and $';
}

/** A bracket class at `start`; returns the offset after it, or why it is invalid. */
function readClass(pattern: string, start: number): number | string {
  let i = pattern[start + 1] === '^' ? start + 2 : start + 1;
  // A "]" right after "[" or "[^" is a literal.
  for (let first = true; ; first = false) {
    if (i >= pattern.length) return `missing ] to close the class at position ${start} of the pattern`;
    if (pattern[i] === ']' && !first) return i + 1;
    if (pattern.startsWith('[:', i)) {
      const close = pattern.indexOf(':]', i + 2);
      if (close >= 0) {
        const name = pattern.slice(i + 2, close).replace(/^\^/, '');
        if (!POSIX_CLASSES.has(name)) return `invalid character class ${pattern.slice(i, close + 2)} at position ${i} of the pattern: use one of ${[...POSIX_CLASSES].join(', ')}`;
        i = close + 2;
        continue;
      }
    }
    const lowStart = i;
    const low = readClassChar(pattern, i);
    if (typeof low === 'string') return low;
    i = low.end;
    if (pattern[i] === '-' && i + 1 < pattern.length && pattern[i + 1] !== ']') {
      const high = readClassChar(pattern, i + 1);
      if (typeof high === 'string') return high;
      if (high.code < low.code) {
        return `invalid character class range ${pattern.slice(lowStart, high.end)} at position ${lowStart} of the pattern: write the lower character first`;
      }
      i = high.end;
    }
  }
}

function readClassChar(pattern: string, at: number): Escape | string {
  if (pattern[at] === '\\') return readEscape(pattern, at);
  const code = pattern.codePointAt(at)!;
  return { code, end: at + (code > 0xffff ? 2 : 1) };
}
