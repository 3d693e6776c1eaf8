/**
 * Pattern matching as libsinsp does it for `glob`, `iglob` and `pmatch`
 * (libs `userspace/libsinsp/utils.cpp` sinsp_utils::glob_match, which is
 * glibc `fnmatch(pattern, string, 0)`, and `prefix_search.h` path_prefix_map).
 */

/** The POSIX character classes of bracket expressions, as ranges. */
export const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '\\x21-\\x7e',
  lower: 'a-z',
  print: '\\x20-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();

/**
 * fnmatch with no flags: `*` and `?` also match `/` and a leading `.`;
 * `[...]` and `[!...]` are bracket expressions with POSIX classes; a
 * backslash quotes the next character; an unclosed `[` is literal.
 */
export function globMatches(pattern: string, text: string, caseInsensitive = false): boolean {
  // FNM_CASEFOLD in the C locale folds ASCII letters only.
  const p = caseInsensitive ? asciiLower(pattern) : pattern;
  let regex = cache.get(p);
  if (!regex) {
    regex = new RegExp(`^${globToRegex(p)}$`, 's');
    cache.set(p, regex);
  }
  return regex.test(caseInsensitive ? asciiLower(text) : text);
}

/** ASCII-only case folding, as strcasestr and fnmatch's FNM_CASEFOLD do in the C locale. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function globToRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {out += '[\\s\\S]*';} else if (c === '?') {out += '[\\s\\S]';} else if (c === '\\' && i + 1 < pattern.length) {out += escapeChar(pattern[++i]);} else if (c === '[') {
      const bracket = readBracket(pattern, i);
      if (bracket) {
        out += bracket.regex;
        i = bracket.end;
      } else {
        out += '\\[';
      }
    } else {
      out += escapeChar(c);
    }
  }
  return out;
}

/** A bracket expression starting at `start`, or undefined when it is not closed (then `[` is literal). */
function readBracket(pattern: string, start: number): { regex: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  // A `]` right after the opening (or its negation) is a member, not the end.
  for (let first = true; i < pattern.length; first = false, i++) {
    const c = pattern[i];
    if (c === ']' && !first) return { regex: `[${negate ? '^' : ''}${body}]`, end: i };
    if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const cls = close > 0 ? POSIX_CLASSES[pattern.slice(i + 2, close)] : undefined;
      if (cls !== undefined) {
        body += cls;
        i = close + 1;
        continue;
      }
    }
    if (c === '\\' && i + 1 < pattern.length) {
      body += escapeChar(pattern[++i]);
    } else if (c === '-' && !first && pattern[i + 1] !== ']') {
      body += '-';
    } else {
      body += escapeChar(c);
    }
  }
  return undefined;
}

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** A path's components, as libsinsp splits them: at `/`, empty components dropped. */
function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}

/**
 * `pmatch`: whether one of `prefixes` is a whole-component prefix of `path`
 * (`/var/run` matches `/var/run/docker.sock` and `/var/run`, not `/var/running`
 * or `/var`). A prefix component with `?`, `*` or `[` is a glob matched
 * against one component.
 */
export function pathPrefixMatches(prefixes: readonly string[], path: string): boolean {
  const parts = components(path);
  return prefixes.some((prefix) => {
    const wanted = components(prefix);
    if (wanted.length > parts.length) return false;
    return wanted.every((w, k) => (/[?*[]/.test(w) ? globMatches(w, parts[k]) : w === parts[k]));
  });
}
