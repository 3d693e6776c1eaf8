import { re2Problem } from '../../../src/falco/rules/re2-syntax';

/**
 * Patterns as Falco 0.44.1 (RE2 in POSIX mode) judged them with `falco -V`,
 * after the condition's own escapes were undone: true where Falco accepted
 * the rule, false where it reported "invalid regex pattern" or an invalid escape.
 */
const FALCO_VERDICTS: Array<[string, boolean]> = [
  // What rules really use.
  ['^/usr/(s)?bin/(ba|z)?sh$', true], ['^/proc/[0-9]+/(environ|cmdline)$', true], ['.*\\.ssh/.*', true], ['^(curl|wget)$', true],
  ['^[a-zA-Z0-9_.-]+\\.(sh|py)$', true], ['/tmp/[^/]+', true], ['(a|b|)c', true], ['[.]', true], ['((a))', true], ['(a)(b)(c)+', true], ['ä+', true],
  // Repetition.
  ['a++', true], ['a**', true], ['x*?', true], ['^*', true], ['$+', true], ['a{3}', true], ['a{1000}', true], ['a{2,1000}', true], ['a{0}', true],
  ['a{0,0}', true], ['x{2}{3}', true], ['a{,3}', true], ['a{3,2', true], ['{', true], ['a{', true],
  ['a{2,1}', false], ['a{1001}', false], ['a{1000,1001}', false], ['a{1001,}', false], ['{2}', false],
  ['*a', false], ['+a', false], ['?a', false], ['a|?', false], ['a|*', false], ['(*a)', false],
  // Groups.
  ['a|', true], ['|a', true], ['()', true],
  ['(a', false], ['a)', false], ['a(', false], ['(?:a)', false], ['(?P<n>a)', false], ['(?i)bash', false], ['(?=a)b', false], ['(?<n>a)', false],
  // Classes.
  ['[[:alpha:]]', true], ['[[:^alpha:]]', true], ['[[:word:]]', true], ['[[:space:][:digit:]]', true], [']', true], ['[]a]', true], ['[\\]]', true],
  ['[a-]', true], ['[-a]', true], ['[\\x00-\\x1f]', true],
  ['[', false], ['[]', false], ['[^]', false], ['[^a', false], ['[[:alpha:]', false], ['[[:foo:]]', false], ['[z-a]', false], ['[a-\\]]', false],
  ['[\\d]', false],
  // Escapes.
  ['\\.', true], ['\\_', true], ['\\-', true], ['\\/', true], ['\\v', true], ['\\a', true], ['\\0', true], ['\\08', true], ['\\12', true],
  ['\\x41', true], ['\\x{41}', true],
  ['\\d', false], ['\\b', false], ['\\w', false], ['\\1', false], ['\\7', false], ['\\x4', false], ['\\xZZ', false], ['\\x{110000}', false],
  ['\\Q', false], ['\\C', false], ['\\z', false], ['\\A', false], ['\\pL', false], ['\\E', false], ['\\P', false],
];

describe('re2Problem agrees with Falco 0.44.1', () => {
  test.each(FALCO_VERDICTS)('%s accepted: %s', (pattern, accepted) => {
    expect(re2Problem(pattern) === undefined).toBe(accepted);
  });
});

describe('re2Problem explains', () => {
  test.each([
    ['^bash\\d$', 'invalid escape sequence \\d at position 5 of the pattern: RE2 in POSIX mode has no Perl classes'],
    ['(?:a|b)', 'RE2 in POSIX mode has no "(?" groups'],
    ['a{5,2}', 'invalid repetition size {5,2} at position 1 of the pattern'],
    ['[z-a]', 'invalid character class range z-a at position 1 of the pattern: write the lower character first'],
    ['[[:letters:]]', 'invalid character class [:letters:] at position 1 of the pattern: use one of alnum, alpha'],
    ['(a', 'missing ) to close a group'],
    ['|*', 'no argument for repetition operator * at position 1 of the pattern'],
    // Not writable in a quoted Falco string (a quote after a backslash never closes it), but RE2's rule all the same.
    ['a\\', 'trailing \\ at the end of the pattern'],
  ])('%s', (pattern, reason) => {
    expect(re2Problem(pattern)).toContain(reason);
  });
});
