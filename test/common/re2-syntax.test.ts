import { re2Problem } from '../../src/common/re2-syntax';

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
    expect(re2Problem(pattern, 'posix') === undefined).toBe(accepted);
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
    expect(re2Problem(pattern, 'posix')).toContain(reason);
  });
});

/**
 * Patterns as Go's regexp judged them in a Prometheus label matcher (`promtool check rules`,
 * Prometheus 2.42), which anchors them as ^(?:...)$ the way Alertmanager does too.
 */
const GO_VERDICTS: Array<[string, boolean]> = [
  ['^/usr/(s)?bin/(ba|z)?sh$', true], ['.*\\.ssh/.*', true], ['(a|b|)c', true], ['[.]', true], ['ä+', true], ['a++', false],
  ['a**', false], ['x*?', true], ['x+?', true], ['x??', true], ['x*??', false], ['a{2}{3}', false], ['a{2}*', false], ['a*{2}', false],
  ['^*', true], ['$+', true], ['a{3}', true], ['a{1000}', true], ['a{1001}', false], ['a{2,1}', false], ['a{,3}', true], ['{', true],
  ['a{', true], ['{2}', false], ['*a', false], ['a|?', false], ['(*a)', false], ['a|', true], ['|a', true], ['()', true], ['(a', false],
  ['a)', false], ['(?:a)', true], ['(?P<n>a)', true], ['(?P<n>a)(?P<n>b)', true], ['(?P<>a)', false], ['(?P<a-b>a)', false],
  ['(?P=n)', false], ['(?i)bash', true], ['(?i:bash)', true], ['(?is)a', true], ['(?-i)a', true], ['(?i-s)a', true], ['(?i-)a', false],
  ['(?-)a', false], ['(?)a', true], ['(?:)', true], ['(?x)a', false], ['(?U)a+', true], ['(?i)*', false], ['(?=a)b', false],
  ['(?!a)b', false], ['(?<=a)b', false], ['(?<!a)b', false], ['(?#c)a', false], ['[[:alpha:]]', true], ['[[:^alpha:]]', true],
  ['[[:foo:]]', false], [']', true], ['[]a]', true], ['[a-]', true], ['[z-a]', false], ['[\\d]', true], ['[\\d-z]', true],
  ['[a-\\d]', false], ['[\\b]', false], ['[\\pL]', true], ['[\\Q]\\E]', false], ['\\.', true], ['\\_', true], ['\\-', true], ['\\v', true],
  ['\\a', true], ['\\0', true], ['\\08', true], ['\\12', true], ['\\x41', true], ['\\x{41}', true], ['\\d', true], ['\\D', true],
  ['\\s', true], ['\\S', true], ['\\w', true], ['\\W', true], ['\\b', true], ['\\B', true], ['\\A', true], ['\\z', true], ['\\Z', false],
  ['\\1', false], ['\\7', false], ['\\x4', false], ['\\xZZ', false], ['\\x{110000}', false], ['\\Qa.b\\E', true], ['\\Qa.b', false],
  ['\\Q', false], ['\\C', false], ['\\pL', true], ['\\p{Greek}', true], ['\\p{^Greek}', true], ['\\PL', true], ['\\p', false],
  ['\\pX', false], ['\\E', false], ['\\e', false], ['\\cA', false], ['\\u0041', false], ['\\N', false], ['\\K', false], ['\\G', false],
  ['\\h', false],
  // Go 1.22 added (?<name>...), which Prometheus 3 and current Alertmanagers are built with (promtool 2.42 predates it).
  ['(?<n>a)', true],
];

describe('re2Problem agrees with Go\'s regexp (promtool)', () => {
  test.each(GO_VERDICTS)('%s accepted: %s', (pattern, accepted) => {
    expect(re2Problem(pattern, 'go') === undefined).toBe(accepted);
  });

  test.each([
    ['(?=a)b', 'Go\'s RE2 has no lookaround ("(?=" at position 0 of the pattern)'],
    ['a**', 'invalid nested repetition operator * at position 2 of the pattern'],
    ['\\Z', 'invalid escape sequence \\Z at position 0 of the pattern: Go\'s RE2 knows'],
    ['\\Qa.b', '\\Q at position 0 of the pattern has no \\E'],
    ['(?x)a', 'invalid or unsupported Perl syntax "(?x" at position 0'],
  ])('%s is explained', (pattern, reason) => {
    expect(re2Problem(pattern, 'go')).toContain(reason);
  });
});
