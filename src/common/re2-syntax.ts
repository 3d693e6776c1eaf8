/**
 * The regular-expression syntax of the two RE2 front ends the library writes
 * patterns for. A pattern either rejects makes the whole file fail to load
 * (a Falco rules file, a Prometheus rule group, an Alertmanager config), so
 * the checks follow the parsers themselves (re2/parse.cc, Go's regexp/syntax):
 * - `posix`: libsinsp (Falco's `regex` operator) compiles with RE2's
 *   `posix_syntax`, so Perl's additions are errors: `\d`, `\w`, `\s`, `\b`,
 *   `\A`, `\z`, back-references and every `(?...)` group. Checked against Falco 0.44.1.
 * - `go`: Go's regexp (Prometheus label matchers, Alertmanager matchers) reads
 *   RE2's Perl syntax: flags `(?i)`, `(?:...)`, named groups, Perl classes,
 *   `\b`, `\A`, `\z`, `\pL` and `\Q...\E`, but no lookaround or back-references,
 *   and a repetition of a repetition (`a**`) is an error. Checked against promtool.
 */
export type Re2Dialect = 'posix' | 'go';

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

/** Why RE2 (as `dialect` reads it) would reject `pattern`, in RE2's words; undefined when it compiles. */
export function re2Problem(pattern: string, dialect: Re2Dialect): string | undefined {
  const go = dialect === 'go';
  let open = 0;
  // Where a repetition operator would have nothing to repeat: the start, after "(" or "|".
  let nothingToRepeat = true;
  // Right after a repetition, where Go's parser rejects another one (RE2 in C++ merges them).
  let repeated = false;
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    const repetition = c === '*' || c === '+' || c === '?' || (c === '{' && (REPEAT.lastIndex = i, REPEAT.test(pattern)));
    if (repetition) {
      const end = c === '{' ? REPEAT.lastIndex : i + 1;
      const operator = pattern.slice(i, end);
      if (nothingToRepeat) return `no argument for repetition operator ${operator} at position ${i} of the pattern`;
      if (go && repeated) return `invalid nested repetition operator ${operator} at position ${i} of the pattern: repeat a group instead, e.g. (a*)+`;
      if (c === '{') {
        const [min, max] = operator.slice(1, -1).split(',');
        const tooBig = Number(min) > MAX_REPEAT || (max !== undefined && max !== '' && (Number(max) > MAX_REPEAT || Number(max) < Number(min)));
        if (tooBig) return `invalid repetition size ${operator} at position ${i} of the pattern (at most ${MAX_REPEAT}, and the minimum first)`;
      }
      // A "?" right after a repetition makes it non-greedy (Perl syntax).
      i = go && pattern[end] === '?' ? end + 1 : end;
      repeated = true;
      continue;
    }
    repeated = false;
    if (c === '(') {
      if (pattern[i + 1] === '?') {
        if (!go) return 'RE2 in POSIX mode has no "(?" groups (non-capturing, named, flags or lookaround): use plain ( ) groups';
        const group = readGoGroup(pattern, i);
        if (typeof group === 'string') return group;
        if (group.opens) open++;
        i = group.end;
      } else {
        open++;
        i++;
      }
      nothingToRepeat = true;
    } else if (c === ')') {
      if (open === 0) return `unexpected ) at position ${i} of the pattern`;
      open--;
      i++;
      nothingToRepeat = false;
    } else if (c === '|') {
      i++;
      nothingToRepeat = true;
    } else if (c === '\\' && go && pattern[i + 1] === 'Q') {
      // \Q...\E: the text in between is literal. Without \E it would run to the end, and
      // Prometheus and Alertmanager anchor a pattern as ^(?:...)$, whose ")" it would swallow.
      const close = pattern.indexOf('\\E', i + 2);
      if (close < 0) return `\\Q at position ${i} of the pattern has no \\E: close the literal text with \\E`;
      i = close + 2;
      nothingToRepeat = false;
    } else if (c === '\\') {
      const escape = readEscape(pattern, i, dialect, false);
      if (typeof escape === 'string') return escape;
      i = escape.end;
      nothingToRepeat = false;
    } else if (c === '[') {
      const end = readClass(pattern, i, dialect);
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

/** Go's flag letters: case-insensitive, multi-line, dot matches newline, ungreedy. */
const GO_FLAGS = /^-?[imsU]+$|^[imsU]+-[imsU]+$/;
const CAPTURE_NAME = /^[A-Za-z0-9_]+$/;

/**
 * A `(?` group as Go's regexp reads it: `(?:`, `(?P<name>`, `(?<name>`, or flags
 * `(?i)` / `(?i:`. Returns where the group's content starts and whether it opens a group.
 */
function readGoGroup(pattern: string, start: number): { end: number; opens: boolean } | string {
  const rest = pattern.slice(start + 2);
  if (/^(?:=|!|<=|<!)/.test(rest)) {
    return `Go's RE2 has no lookaround ("${pattern.slice(start, start + (rest[0] === '<' ? 4 : 3))}" at position ${start} of the pattern): match the text itself, or use a second matcher with !~`;
  }
  const named = /^P?<([^>]*)>/.exec(rest);
  if (named) {
    if (!CAPTURE_NAME.test(named[1])) return `invalid named capture "${pattern.slice(start, start + 2 + named[0].length)}" at position ${start} of the pattern: use letters, digits and _`;
    return { end: start + 2 + named[0].length, opens: true };
  }
  const flags = /^([^:)]*)([:)])/.exec(rest);
  if (flags && (flags[1] === '' || GO_FLAGS.test(flags[1]))) {
    return { end: start + 2 + flags[0].length, opens: flags[2] === ':' };
  }
  return `invalid or unsupported Perl syntax "${pattern.slice(start, start + 3)}" at position ${start} of the pattern: Go's RE2 knows (?:…), (?P<name>…), (?<name>…) and the flags i, m, s and U`;
}

interface Escape {
  /** The code point the escape stands for, or NOT_A_CHARACTER for a class such as \d. */
  readonly code: number;
  readonly end: number;
}

/** Escapes of Go's Perl syntax that stand for a class rather than one character. */
const GO_CLASS_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W']);
/** Go's empty-width escapes, which a bracket class cannot hold. */
const GO_ASSERTIONS = new Set(['b', 'B', 'A', 'z']);
/** `\pL`, `\p{Greek}`, `\PN`, `\P{^Lu}`: a Unicode class. */
const UNICODE_CLASS = /[pP](?:[CLMNPSZ]|\{\^?[A-Za-z_]+\})/y;
/** What a class escape stands for: no single character, so no end of a range. */
const NOT_A_CHARACTER = -1;

/** A backslash escape at `start`, as `dialect` reads it; a string says why it is invalid. */
function readEscape(pattern: string, start: number, dialect: Re2Dialect, inClass: boolean): Escape | string {
  const e = pattern[start + 1];
  if (e === undefined) return 'trailing \\ at the end of the pattern';
  // Any ASCII punctuation (and anything beyond ASCII) stands for itself.
  if (!ASCII_WORD.test(e)) return { code: pattern.codePointAt(start + 1)!, end: start + 1 + (pattern.codePointAt(start + 1)! > 0xffff ? 2 : 1) };
  if (e in CONTROL_ESCAPES) return { code: CONTROL_ESCAPES[e], end: start + 2 };
  if (dialect === 'go') {
    if (GO_CLASS_ESCAPES.has(e) || (GO_ASSERTIONS.has(e) && !inClass)) return { code: NOT_A_CHARACTER, end: start + 2 };
    UNICODE_CLASS.lastIndex = start + 1;
    if (UNICODE_CLASS.test(pattern)) return { code: NOT_A_CHARACTER, end: UNICODE_CLASS.lastIndex };
  }
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
  if (dialect === 'go') {
    return `invalid escape sequence \\${e} at position ${start} of the pattern: Go's RE2 knows \\d \\s \\w, \\b \\A \\z (not in [...]), \\pL and \\Q…\\E, `
      + 'and no back-references; write a literal backslash as \\\\';
  }
  return `invalid escape sequence \\${e} at position ${start} of the pattern: RE2 in POSIX mode has no Perl classes or assertions (\\d, \\w, \\s, \\b, \\A, \\z) and no back-references; `
    + 'use [0-9], [[:alnum:]_], [[:space:]], ^ and $';
}

/** A bracket class at `start`; returns the offset after it, or why it is invalid. */
function readClass(pattern: string, start: number, dialect: Re2Dialect): number | string {
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
    const low = readClassChar(pattern, i, dialect);
    if (typeof low === 'string') return low;
    i = low.end;
    // After a class such as \d (Go), a "-" is a literal character, not a range.
    if (pattern[i] === '-' && i + 1 < pattern.length && pattern[i + 1] !== ']' && low.code !== NOT_A_CHARACTER) {
      const high = readClassChar(pattern, i + 1, dialect);
      if (typeof high === 'string') return high;
      if (high.code === NOT_A_CHARACTER) {
        return `invalid character class range ${pattern.slice(lowStart, high.end)} at position ${lowStart} of the pattern: a class such as \\d cannot end a range`;
      }
      if (high.code < low.code) {
        return `invalid character class range ${pattern.slice(lowStart, high.end)} at position ${lowStart} of the pattern: write the lower character first`;
      }
      i = high.end;
    }
  }
}

function readClassChar(pattern: string, at: number, dialect: Re2Dialect): Escape | string {
  if (pattern[at] === '\\') return readEscape(pattern, at, dialect, true);
  const code = pattern.codePointAt(at)!;
  return { code, end: at + (code > 0xffff ? 2 : 1) };
}

/**
 * Whether a pattern that `re2Problem(pattern, 'go')` accepts matches the empty
 * string as a whole (Prometheus anchors it as `^(?:pattern)$`). Worked out on the
 * pattern's structure, so flags in any form (`(?i)`, `(?i:…)`, `(?-s)`) and Go's
 * other additions need no translation: flags never change whether "" matches.
 */
export function re2MatchesEmpty(pattern: string): boolean {
  let i = 0;
  // alternation := concatenation ('|' concatenation)*; a group ends at its ")".
  const alternation = (): boolean => {
    let nullable = concatenation();
    while (pattern[i] === '|') {
      i++;
      nullable = concatenation() || nullable;
    }
    return nullable;
  };
  const concatenation = (): boolean => {
    let nullable = true;
    while (i < pattern.length && pattern[i] !== '|' && pattern[i] !== ')') {
      let atomNullable = atom();
      // Repetitions that allow zero occurrences make the atom optional.
      for (;;) {
        const c = pattern[i];
        REPEAT.lastIndex = i;
        const braces = c === '{' && REPEAT.exec(pattern);
        if (braces) {
          if (Number(braces[1]) === 0) atomNullable = true;
          i = REPEAT.lastIndex;
        } else if (c === '*' || c === '?') {
          atomNullable = true;
          i++;
        } else if (c === '+') {
          i++;
        } else {
          break;
        }
        if (pattern[i] === '?') i++;
      }
      nullable = nullable && atomNullable;
    }
    return nullable;
  };
  const atom = (): boolean => {
    const c = pattern[i];
    if (c === '(') {
      if (pattern[i + 1] === '?') {
        const group = readGoGroup(pattern, i) as { end: number; opens: boolean };
        i = group.end;
        // "(?i)" sets flags and matches nothing itself.
        if (!group.opens) return true;
      } else {
        i++;
      }
      const nullable = alternation();
      i++; // ")"
      return nullable;
    }
    if (c === '\\' && pattern[i + 1] === 'Q') {
      const close = pattern.indexOf('\\E', i + 2);
      const empty = close === i + 2;
      i = close + 2;
      return empty;
    }
    if (c === '\\') {
      const e = pattern[i + 1];
      i = (readEscape(pattern, i, 'go', false) as Escape).end;
      // Empty-width: \A and \z hold on "", \B too (no word character around), \b does not.
      return e === 'A' || e === 'z' || e === 'B';
    }
    if (c === '[') {
      i = readClass(pattern, i, 'go') as number;
      return false;
    }
    i += pattern.codePointAt(i)! > 0xffff ? 2 : 1;
    return c === '^' || c === '$';
  };
  return alternation();
}
