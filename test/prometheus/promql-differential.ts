import * as fc from 'fast-check';

/**
 * Random PromQL built from valid and invalid pieces: well-formed syntax with
 * arbitrary types, so most expressions parse and many fail the type checks.
 */
export const promqlExpressions: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y{a="b"}', '{a=~".*"}', '1', '2.5', '"s"', 'x[5m]', 'x[5m:1m]', 'time()', 'x @ 10', 'x offset 1h', 'label_join(x, "d", ",")', 'y{a=~"(?!b)c"}', 'y{a=~"(?i)b\\\\d"}'),
    fc.tuple(fc.constantFrom('rate', 'abs', 'sum', 'vector', 'scalar', 'count_over_time', 'absent', 'sort', 'mad_over_time', '-'), tie('expr'))
      .map(([f, e]) => (f === '-' ? `-${e}` : `${f}(${e})`)),
    fc.tuple(fc.constantFrom('topk', 'histogram_quantile', 'round', 'clamp_max', 'quantile_over_time', 'predict_linear', 'count_values', 'limitk'), tie('expr'), tie('expr'))
      .map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(tie('expr'), fc.constantFrom(' + ', ' > ', ' == bool ', ' and ', ' unless ', ' * on(a) ', ' / ignoring(a) group_left(b) ', ' or ', ' - on(a) group_right(a) ', ' / fill(0) '), tie('expr'))
      .map(([a, op, b]) => `${a}${op}${b}`),
    fc.tuple(tie('expr'), fc.constantFrom(' offset 5m', '[5m:]', ' @ 10', '[5m]')).map(([a, m]) => `${a}${m}`),
    tie('expr').map((e) => `(${e})`),
    fc.tuple(fc.constantFrom('sum by (a) ', 'count without (b) ', 'max '), tie('expr')).map(([a, e]) => `${a}(${e})`),
  ),
})).expr;
