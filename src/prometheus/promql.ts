import { PromQLChecker } from './promql-checker';
import { optionalArgument, requiredArgument } from '../common/arguments';

/**
 * PromQL helpers. Expressions are parsed with the Prometheus project's own
 * grammar (`@prometheus-io/lezer-promql`) and then type-checked the way
 * Prometheus does after parsing, so a rule that would block a reload of every
 * rule file fails at synth time instead.
 */
export class PromQL {
  /**
   * Throws a `ValidationError` naming the position, with a caret under it,
   * if `expr` is not a valid PromQL expression: syntax errors, unknown
   * functions, wrong argument types (e.g. `rate()` of an instant vector),
   * invalid vector matching, durations, regular expressions, string escapes,
   * selectors that would match every series, and functions and modifiers that
   * Prometheus 3 removed or gates behind a feature flag (such as `holt_winters`,
   * `mad_over_time`, `limitk` or `fill(0)`), which would stop the whole rule group from loading.
   *
   * @param expr the expression
   * @param where what the expression belongs to, for the error message
   */
  public static validate(expr: string, where?: string): void {
    expr = requiredArgument('PromQL.validate', 'expr', expr, 'a PromQL expression, e.g. "sum(up)"');
    where = optionalArgument('PromQL.validate', 'where', where);
    PromQL.typeOf(expr, where);
  }

  /**
   * The type of a valid expression: `scalar`, `instant vector`, `range vector`
   * or `string`. Alerting and recording rules need an instant vector or a scalar.
   * @throws like `validate`
   */
  public static typeOf(expr: string, where?: string): string {
    expr = requiredArgument('PromQL.typeOf', 'expr', expr, 'a PromQL expression, e.g. "sum(up)"');
    where = optionalArgument('PromQL.typeOf', 'where', where);
    return new PromQLChecker(String(expr ?? ''), where ?? 'PromQL').check();
  }

  private constructor() {}
}
