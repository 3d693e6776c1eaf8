/**
 * PromQL with a `# comment` at every position of a set of expressions that
 * cover the grammar's constructs, and numbers written the ways Go allows:
 * Prometheus' lexer reads a comment wherever whitespace may stand, so most
 * of these are valid and some (inside a name, a duration, a string) are not.
 */
const BASES = [
  'sum by (job) (rate(http_requests_total{job="api",code=~"5.."}[5m] offset 1h))',
  'histogram_quantile(0.99, sum without (instance) (rate(x_bucket[5m:1m])))',
  'a / on (ns) group_left (team) b',
  'up == bool 1',
  '-x @ 100 > 5.',
  'topk(3, count_values("v", y))',
  'absent_over_time({__name__="m",a!~"b"}[1h])',
  'x and y or z unless w',
  'max(x) by (a) * ignoring (b) group_right y',
  'label_replace(x, "d", "$1", "s", "(.*)")',
  'clamp_max(x, .5e3) ^ 2',
  'x offset -5m',
  "x{a='b'} % 2",
  'avg_over_time((a - b)[10m:])',
];

const COMMENT = '# c\n';

/** Every base with the comment inserted at each offset (including both ends). */
export function commentedExpressions(): string[] {
  const result = new Set<string>();
  for (const base of BASES) {
    for (let i = 0; i <= base.length; i++) result.add(base.slice(0, i) + COMMENT + base.slice(i));
    result.add(`${base} #`);
  }
  return [...result];
}

/** Numbers in the forms Go's strconv and Prometheus' lexer accept or refuse. */
export const NUMBER_FORMS = ['5.', '5. + 1', '5.e3', '5.E-3', '-5.', '.5', '5.5.', '5..', 'x @ 5.', 'x offset 5.', 'x[5.m]', '5.m', 'x > 5.', '0x1F', '1e3', '5.0'];

/** Regex matchers whose empty-match verdict depends on Go's flag groups and assertions. */
export const EMPTY_MATCH_FORMS = ['{a=~"(?i:x)|"}', '{a=~"(?i:x)"}', '{a=~"(?i)|x"}', '{a=~"(?s:.)*"}', '{a=~"(?-s:x)?"}', '{a=~"\\\\bx?"}', '{a=~"\\\\B"}',
  '{a=~"\\\\Qx\\\\E|"}', '{a=~"\\\\Q\\\\E"}', '{a=~"x{0,2}"}', '{a=~"(x+)+"}', '{a!~"(?i:x)"}', '{a=~"[^x]*"}', '{a=~"^$"}', '{a=~"\\\\Ax\\\\z"}'];

/** Everything the differential test puts to promtool and to PromQL.validate. */
export function lexicalExpressions(): string[] {
  return [...commentedExpressions(), ...NUMBER_FORMS, ...EMPTY_MATCH_FORMS];
}
