import { validationMessage } from '../common/validation';
import { FalcoDeployment } from '../falco/falco-deployment';
import { SecurityPrometheusRule } from '../prometheus/security-prometheus-rule';

/** A `rule_name` matcher of `=` or `=~` with a double-quoted value. */
const RULE_NAME_MATCHER = /\brule_name\s*(=~|=)\s*"((?:[^"\\]|\\.)*)"/g;
/** A regex alternative that is a literal name once `\(`-style escapes are undone. */
const LITERAL_ALTERNATIVE = /^(?:[^\\.*+?[\]{}()^$|]|\\[\\.*+?[\]{}()^$|])+$/;

/**
 * The Falco rule names an expression selects by literal `rule_name` matchers
 * (`rule_name="X"`, `rule_name=~"X|Y"`); regex alternatives that are patterns
 * rather than names are skipped.
 */
export function watchedFalcoRules(expr: string): string[] {
  const names = new Set<string>();
  for (const [, operator, quoted] of expr.matchAll(RULE_NAME_MATCHER)) {
    const value = unquote(quoted);
    if (value === undefined) continue;
    const alternatives = operator === '=' ? [value] : value.split('|').filter((a) => LITERAL_ALTERNATIVE.test(a)).map((a) => a.replace(/\\(.)/g, '$1'));
    for (const name of alternatives) names.add(name);
  }
  return [...names];
}

/** A PromQL double-quoted string's content; undefined for escapes JSON does not share (not a plain name anyway). */
function unquote(quoted: string): string | undefined {
  try {
    return JSON.parse(`"${quoted}"`) as string;
  } catch {
    return undefined;
  }
}

/**
 * Errors for alerts that watch a Falco rule none of `falcos` loads: such an
 * alert can never fire for it.
 */
export function unloadedFalcoRuleErrors(rules: SecurityPrometheusRule, falcos: FalcoDeployment[]): string[] {
  if (falcos.length === 0) return [];
  return rules.groups.flatMap((group) => group._alertExpressions().flatMap(({ alert, expr }) => watchedFalcoRules(expr).flatMap((rule) => {
    const reasons = falcos.map((falco) => falco._ruleNotLoaded(rule));
    const reason = reasons.every((r) => r !== undefined) ? reasons[0] : undefined;
    return reason === undefined ? [] : [
      validationMessage(rules, `alert "${alert}" watches a Falco rule that ${reason.problem}, so the alert can never fire for it`, rule, reason.fix),
    ];
  })));
}
