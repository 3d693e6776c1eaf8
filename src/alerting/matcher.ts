import { requiredArgument } from '../common/arguments';
import { re2Problem } from '../common/re2-syntax';
import { ErrorLocation, validatePrometheusLabelName, validationError } from '../common/validation';

/** The four matcher operators Alertmanager (>= 0.22) understands. */
const OPERATORS = ['=~', '!~', '!=', '='] as const;
type Operator = typeof OPERATORS[number];

/** `name op "value"` or `name op value`, as in Alertmanager's `matchers` lists. */
const MATCHER_TEXT = /^\s*([^\s=!~"]*)\s*([=!~]{1,2})\s*(.*?)\s*$/;

/**
 * A label matcher of an Alertmanager route or inhibition rule.
 *
 * @example
 * AlertMatcher.equal('severity', 'critical')
 * AlertMatcher.parse('team=~"payments|billing"')
 */
export class AlertMatcher {
  /** Alerts whose label `name` is exactly `value`. */
  public static equal(name: string, value: string): AlertMatcher {
    name = requiredArgument('AlertMatcher.equal', 'name', name, 'a label name, e.g. "team"');
    value = requiredArgument('AlertMatcher.equal', 'value', value, 'the label value, e.g. "db"');
    return AlertMatcher.of('AlertMatcher.equal', name, '=', value);
  }

  /** Alerts whose label `name` is not `value` (also alerts without the label). */
  public static notEqual(name: string, value: string): AlertMatcher {
    name = requiredArgument('AlertMatcher.notEqual', 'name', name, 'a label name, e.g. "team"');
    value = requiredArgument('AlertMatcher.notEqual', 'value', value, 'the label value, e.g. "db"');
    return AlertMatcher.of('AlertMatcher.notEqual', name, '!=', value);
  }

  /** Alerts whose label `name` fully matches the RE2 regular expression `regex`. */
  public static regex(name: string, regex: string): AlertMatcher {
    name = requiredArgument('AlertMatcher.regex', 'name', name, 'a label name, e.g. "team"');
    regex = requiredArgument('AlertMatcher.regex', 'regex', regex, 'a regular expression, e.g. "db|web"');
    return AlertMatcher.of('AlertMatcher.regex', name, '=~', regex);
  }

  /** Alerts whose label `name` does not fully match the RE2 regular expression `regex`. */
  public static notRegex(name: string, regex: string): AlertMatcher {
    name = requiredArgument('AlertMatcher.notRegex', 'name', name, 'a label name, e.g. "team"');
    regex = requiredArgument('AlertMatcher.notRegex', 'regex', regex, 'a regular expression, e.g. "db|web"');
    return AlertMatcher.of('AlertMatcher.notRegex', name, '!~', regex);
  }

  /**
   * Parses a matcher in Alertmanager's text form, e.g. `severity="critical"`
   * or `team=~"payments|billing"`.
   */
  public static parse(text: string): AlertMatcher {
    text = requiredArgument('AlertMatcher.parse', 'text', text, 'a matcher such as severity="critical"');
    const where = `AlertMatcher.parse(${JSON.stringify(text)})`;
    const match = MATCHER_TEXT.exec(String(text));
    if (!match) {
      throw validationError(where, 'matcher is not of the form name<op>"value"', text, 'write e.g. severity="critical"; operators are =, !=, =~ and !~');
    }
    const [, name, operator, rawValue] = match;
    if (!(OPERATORS as readonly string[]).includes(operator)) {
      throw validationError(where, 'matcher operator is not one of =, !=, =~, !~', operator,
        operator === '==' ? 'use "=" for equality' : 'use =, !=, =~ or !~');
    }
    return AlertMatcher.of(where, name, operator as Operator, unquote(where, rawValue));
  }

  private static of(where: ErrorLocation, name: string, operator: Operator, value: string): AlertMatcher {
    validatePrometheusLabelName(where, 'matcher label name', name);
    if (typeof value !== 'string') {
      throw validationError(where, `matcher value for "${name}" must be a string`, value, 'pass the label value or regular expression as a string');
    }
    // Alertmanager compiles the expression with Go's regexp, anchored as ^(?:...)$.
    const problem = operator.endsWith('~') ? re2Problem(value, 'go') : undefined;
    if (problem) {
      throw validationError(where, `matcher regular expression for "${name}" does not compile: ${problem}`, value, 'fix the expression (Go RE2 syntax)');
    }
    return new AlertMatcher(name, operator, value);
  }

  private constructor(
    /** The label the matcher looks at. */
    public readonly name: string,
    /** The operator: `=`, `!=`, `=~` or `!~`. */
    public readonly operator: string,
    /** The value, or the regular expression for `=~` and `!~`. */
    public readonly value: string,
  ) {}

  /** Alertmanager's text form, e.g. `severity="critical"`, as used in `alertmanager.yaml`. */
  public toString(): string {
    // A JSON string is a valid Alertmanager quoted matcher value (same escapes for ", \ and control characters).
    return `${this.name}${this.operator}${JSON.stringify(this.value)}`;
  }
}

function unquote(where: string, raw: string): string {
  if (!raw.startsWith('"')) return raw;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'string') return value;
  } catch {
    // reported below
  }
  throw validationError(where, 'matcher value has unbalanced or invalid quotes', raw, 'quote the value as "value", escaping " and \\ with a backslash');
}
