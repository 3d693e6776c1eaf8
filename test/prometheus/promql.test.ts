import * as fc from 'fast-check';
import { PromQL } from '../../src';
import { ValidationError } from '../../src/common/validation';

/** Runs validate and returns the error message ('' when valid). */
function errorOf(expr: string): string {
  try {
    PromQL.validate(expr);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as Error).message;
  }
}

describe('PromQL.validate accepts valid expressions', () => {
  test.each([
    'up == 0',
    'sum by (rule_name, priority) (rate(falcosecurity_falco_rules_matches_total{priority=~"0|1|2"}[5m] offset 1w)) > 3',
    'histogram_quantile(0.99, sum by (le) (rate(apiserver_request_duration_seconds_bucket[5m])))',
    'label_replace(up, "host", "$1", "instance", "(.*):.*")',
    'a unless b offset 5m',
    'max_over_time(rate(x[5m])[1h:1m])',
    'x @ start()',
    'topk(3, sum without (pod) (x))',
    'a * on(job) group_left(version) b',
    'x > bool 1',
    'time() - 1',
    'vector(1)',
    '-x',
    'count_values("version", build_info)',
    'x{a=~"(?i)foo"}',
    'x{a=~`foo\\.bar`}',
    'x{a=~"(?P<app>[a-z]+)-\\\\d+"}',
    'x{a=~"(?is)foo.bar"}',
    '{__name__=~"(?i)KUBE_.+"}',
    'x{a="tab\\tnewline\\n"}',
    '{__name__=~"kube_.+"}',
    'sum(x) by (a)',
    'x offset -1w',
    'label_join(up, "dst", ",")',
    'label_join(up, "dst", ",", "a", "b")',
  ])('%s', (expr) => {
    expect(errorOf(expr)).toBe('');
  });

  test('reports the type of an expression', () => {
    expect(PromQL.typeOf('rate(x[5m])')).toBe('instant vector');
    expect(PromQL.typeOf('x[5m]')).toBe('range vector');
    expect(PromQL.typeOf('1 + 2')).toBe('scalar');
    expect(PromQL.typeOf('"s"')).toBe('string');
  });
});

describe('PromQL.validate rejects invalid expressions with a clear error', () => {
  test.each<[string, string]>([
    ['', 'PromQL expression is empty'],
    ['   ', 'PromQL expression is empty'],
    ['sum(', 'unexpected end of expression at column 5'],
    ['rate(x[5m]', 'unexpected end of expression at column 11'],
    ['up ==', 'unexpected end of expression'],
    ['bogus_fn(x)', 'unknown function "bogus_fn" at column 1'],
    ['rat(x[5m])', 'unknown function "rat" at column 1 (got "rat(x[5m])"): did you mean "rate"?'],
    ['foo bool', 'unexpected "bool" at column 5'],
    ['x[5x]', 'unexpected "x" at column 4'],
    ['rate(x)', 'argument 1 of function "rate" must be a range vector, not an instant vector at column 6 (got "rate(x)"): add a range such as [5m] to the selector'],
    ['abs(x[5m])', 'argument 1 of function "abs" must be an instant vector, not a range vector'],
    ['sum(x[5m])', 'argument 1 of aggregation "sum" must be an instant vector, not a range vector'],
    ['topk(x, 3)', 'argument 1 of aggregation "topk" must be a scalar, not an instant vector'],
    ['round(x, 1, 2)', 'function "round" takes 1 to 2 argument(s), got 3'],
    ['histogram_quantile(x)', 'function "histogram_quantile" takes 2 argument(s), got 1'],
    ['x[0s]', 'range must be greater than zero at column 3'],
    ['x[5m*2]', 'range "5m*2" is a duration expression'],
    ['x[5]', 'range "5" is not a valid duration'],
    ['x[99999999999y]', 'range "99999999999y" is not a valid duration at column 3 (got "x[99999999999y]"): use at most 292y (106751d)'],
    ['x[293y]', 'range "293y" is not a valid duration at column 3 (got "x[293y]"): use at most 292y (106751d): Prometheus and Alertmanager hold durations in nanoseconds'],
    ['abs(x) offset 5m', '"offset" must follow a selector or a subquery'],
    ['x[5m] + 1', 'operator "+" needs a scalar or an instant vector, not a range vector'],
    ['"s" + 1', 'operator "+" needs a scalar or an instant vector, not a string'],
    ['1 > 2', 'a comparison of two scalars needs "bool"'],
    ['x and 1', 'operator "and" needs instant vectors on both sides, not a scalar'],
    ['x and bool y', '"bool" is only allowed after a comparison, not after operator "and"'],
    ['x + on(a) 1', 'vector matching (on/ignoring) is only allowed between two instant vectors'],
    ['a and on(x) group_left b', '"group_left" is not allowed with operator "and"'],
    ['a * on(x) group_left(x) b', 'label "x" must not be in both on(...) and group_left(...)'],
    ['{a=""}', 'selector matches every series'],
    ['{a=~".*"}', 'selector matches every series'],
    ['foo{__name__="bar"}', 'the metric name is given twice'],
    ['foo{a=~"(("}', 'invalid regular expression "((": missing ) to close a group'],
    // JavaScript runs these; Prometheus' Go regexp refuses them, and the rule group with them.
    ['foo{a=~"(?!bar).*"}', 'invalid regular expression "(?!bar).*": Go\'s RE2 has no lookaround ("(?!" at position 0 of the pattern)'],
    ['foo{a!~"(a)\\\\1"}', 'invalid regular expression "(a)\\\\1": invalid escape sequence \\1 at position 3 of the pattern'],
    ['foo{a=~"a{1001}"}', 'invalid regular expression "a{1001}": invalid repetition size {1001}'],
    ['foo{a="\\."}', 'unknown escape sequence "\\." in string at column 8'],
    ['(x[5m])[1h:1m]', 'a subquery needs an instant vector, not a range vector'],
    ['x[1h:5x]', 'unexpected "x"'],
    ['-x[5m]', 'operator "-" needs a scalar or an instant vector, not a range vector at column 2'],
    ['a > x[5m]', 'operator ">" needs a scalar or an instant vector, not a range vector at column 5'],
    ['a + b[1h:5m]', 'operator "+" needs a scalar or an instant vector, not a range vector'],
    ['abs(x)[5m]', 'a range can only follow a metric selector (modifiers go after the range)'],
    ['x @ 10[5m]', 'a range can only follow a metric selector'],
    ['x offset 5m offset 1m', '"offset" is set twice on the same selector'],
    ['x @ 1y', '"1y" is a duration where a number is expected'],
    ['1h + 1', '"1h" is a duration where a number is expected at column 1'],
    // Experimental in Prometheus 3: off by default, and a rule group with one does not load.
    ['mad_over_time(x[5m])', 'function "mad_over_time" is experimental: Prometheus rejects it (and the whole rule group with it) unless started with --enable-feature=promql-experimental-functions'],
    ['sort_by_label(x, "a")', 'function "sort_by_label" is experimental'],
    ['limitk(2, x)', 'aggregation "limitk" is experimental: Prometheus rejects it (and the whole rule group with it) unless started with --enable-feature=promql-experimental-functions at column 1 (got "limitk(2, x)"): use topk or bottomk'],
    ['a / on(b) fill_left(0) c', '"fill_left(0)" is an experimental fill modifier, which Prometheus rejects (and the whole rule group with it) unless started with --enable-feature=promql-binop-fill-modifiers at column 11'],
    ['first_over_time(x[5m])', 'function "first_over_time" is experimental'],
    ['integral(x[5m])', 'function "integral" is experimental'],
    ['holt_winters(x[5m], 0.5, 0.5)', 'function "holt_winters" no longer exists at column 1 (got "holt_winters(x[5m], 0.5, 0.5)"): Prometheus 3.0 removed it'],
    ['rate(x[5m] anchored)', '"anchored" is an experimental range selector modifier, which Prometheus rejects (and the whole rule group with it) unless started with --enable-feature=promql-extended-range-selectors at column 12'],
  ])('%s', (expr, message) => {
    expect(errorOf(expr)).toContain(message);
  });

  test('points at the position with a caret, also on later lines', () => {
    expect(errorOf('sum(rate(x[5m])) by (job)\n  > on() rate(y)')).toBe(
      'PromQL: argument 1 of function "rate" must be a range vector, not an instant vector at line 2, column 15 '
      + '(got "sum(rate(x[5m])) by (job)\\n  > on() rate(y)"): add a range such as [5m] to the selector\n'
      + '      > on() rate(y)\n'
      + '                  ^',
    );
  });

  test('names the caller in the message', () => {
    expect(() => PromQL.validate('rate(x)', 'alert "A"')).toThrow(/^alert "A": argument 1/);
  });
});

describe('PromQL.validate never crashes', () => {
  const tokens = fc.constantFrom('rate', 'sum', '(', ')', '[5m]', '{a="b"}', 'x', ' ', 'by', 'offset 5m', '+', '>', 'bool', '"s"', '1', ',', ':', '@', 'on()', 'group_left', '=~', '"(("', '\\', '`');

  test('arbitrary strings are valid or give a ValidationError', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.fullUnicodeString()), (s) => {
      errorOf(s);
    }), { numRuns: 500 });
  });

  test('arbitrary token soups are valid or give a ValidationError', () => {
    fc.assert(fc.property(fc.array(tokens, { maxLength: 12 }), (parts) => {
      errorOf(parts.join(''));
    }), { numRuns: 1000 });
  });
});
