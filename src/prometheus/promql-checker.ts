import type { LRParser } from '@lezer/lr';
import { AGGREGATIONS, EXPERIMENTAL, FUNCTIONS, REMOVED, Signature, ValueType } from './promql-signatures';
import { closest } from '../common/did-you-mean';
import { re2MatchesEmpty, re2Problem } from '../common/re2-syntax';
import { validatePrometheusDuration, validationError, ValidationError } from '../common/validation';

let loadedParser: LRParser | undefined;

/**
 * The PromQL grammar, loaded on first use: a stack of built-in rules and panels
 * parses no PromQL at synth, and loading the grammar takes about 13 ms.
 */
function promqlParser(): LRParser {
  // The package is an ES module with a CommonJS build but ESM-only typings: load the
  // CommonJS build and type it with @lezer/lr's CommonJS typings.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadedParser ??= (require('@prometheus-io/lezer-promql') as { parser: LRParser }).parser;
  return loadedParser;
}

/** A node of lezer's syntax tree; private to this module so no lezer type leaks into the API. */
type Node = ReturnType<LRParser['parse']>['topNode'];

const COMPARISON = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPERATORS = new Set(['and', 'or', 'unless']);
/** Words that may stand before "(" without being a function name. */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'start', 'end']);
/** The only nodes an `offset` or `@` modifier may follow, as in Prometheus' own parser. */
const SELECTORS = new Set(['VectorSelector', 'MatrixSelector', 'SubqueryExpr', 'OffsetExpr', 'StepInvariantExpr']);
const NUMBER = /^[-+]?\s*(?:(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|0x[0-9a-f]+|inf|nan)$/i;
const GO_ESCAPES: Record<string, string> = { 'a': '\x07', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\' };

/** "a scalar", "an instant vector". */
function article(type: ValueType): string {
  return `${type === ValueType.VECTOR ? 'an' : 'a'} ${type}`;
}

/**
 * Type-checks one PromQL expression on lezer's syntax tree, with the checks
 * Prometheus' own parser makes after parsing (argument types, vector
 * matching, selectors that match everything, durations, string escapes).
 * Every failure is a `ValidationError` that points at the offending column.
 */
export class PromQLChecker {
  constructor(private readonly expr: string, private readonly where: string) {}

  /** @returns the type of the whole expression */
  public check(): ValueType {
    const { source, commentAfterBracket } = lezerSource(this.expr);
    if (commentAfterBracket !== undefined) {
      this.fail(commentAfterBracket, 'a comment cannot stand right after "["',
        'Prometheus reads the range or subquery duration there: move the comment after the duration, e.g. x[5m # comment');
    }
    if (source.trim() === '') {
      throw validationError(this.where, 'PromQL expression is empty', this.expr, 'write an expression such as "up == 0"');
    }
    const tree = promqlParser().parse(source);
    let syntaxError: Node | undefined;
    tree.iterate({
      enter: (ref) => {
        if (syntaxError) return false;
        if (ref.type.isError) syntaxError = ref.node;
        return undefined;
      },
    });
    if (syntaxError) this.failSyntax(syntaxError.from);
    return this.typeOf(tree.topNode.firstChild!);
  }

  private failSyntax(at: number): never {
    const rest = this.expr.slice(at).trimStart();
    if (rest === '') {
      this.fail(this.expr.length, 'unexpected end of expression', 'complete it: look for an unclosed "(", "{" or "[", or an operator without a right-hand side');
    }
    const before = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(this.expr.slice(0, at));
    if (rest.startsWith('(') && before) {
      // A name the grammar does not know as a function, right before "(".
      const [text, name] = before;
      const removed = REMOVED.get(name);
      if (removed) this.fail(at - text.length, `function "${name}" no longer exists`, removed);
      this.checkExperimental(at - text.length, name, 'function');
      if (!KEYWORDS.has(name) && !FUNCTIONS.has(name) && !AGGREGATIONS.has(name)) {
        const suggestion = closest(name, [...FUNCTIONS.keys(), ...AGGREGATIONS.keys()], functionTypoDistance(name));
        this.fail(at - text.length, `unknown function "${name}"`,
          suggestion ? `did you mean "${suggestion}"?` : 'use a function from https://prometheus.io/docs/prometheus/latest/querying/functions/');
      }
    }
    const token = /^(\w+|"[^"]*"?|'[^']*'?|\S)/.exec(rest)![0];
    this.fail(this.expr.length - rest.length, `unexpected "${token}"`, 'fix the syntax at the marked position');
  }

  /** Throws the standard error, with the position and a caret under it. */
  private fail(at: number, what: string, fix: string): never {
    const lineStart = this.expr.lastIndexOf('\n', at - 1) + 1;
    const lineEnd = this.expr.indexOf('\n', at);
    const line = this.expr.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
    const lineNumber = this.expr.slice(0, lineStart).split('\n').length;
    const position = this.expr.includes('\n') ? `line ${lineNumber}, column ${at - lineStart + 1}` : `column ${at - lineStart + 1}`;
    throw validationError(this.where, `${what} at ${position}`, this.expr, `${fix}\n    ${line}\n    ${' '.repeat(at - lineStart)}^`);
  }

  private text(node: Node): string {
    return this.expr.slice(node.from, node.to);
  }

  private children(node: Node): Node[] {
    const result: Node[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) result.push(child);
    return result;
  }

  private typeOf(node: Node): ValueType {
    switch (node.name) {
      case 'ParenExpr':
        return this.typeOf(node.firstChild!);
      case 'NumberDurationLiteral':
        this.checkNumber(node);
        return ValueType.SCALAR;
      case 'StringLiteral':
        this.unquote(node);
        return ValueType.STRING;
      case 'VectorSelector':
        this.checkSelector(node);
        return ValueType.VECTOR;
      case 'MatrixSelector':
        this.failOnRangeInsideOperator(node.firstChild!);
        if (node.firstChild!.name !== 'VectorSelector') {
          this.fail(node.lastChild!.from, 'a range can only follow a metric selector (modifiers go after the range)', 'write selector[range], e.g. x[5m] offset 1h; for expressions use a subquery, e.g. (expr)[5m:1m]');
        }
        this.checkSelector(node.firstChild!);
        this.checkDuration(node.lastChild!, 'range', true);
        return ValueType.MATRIX;
      case 'SubqueryExpr':
        return this.checkSubquery(node);
      case 'OffsetExpr':
      case 'StepInvariantExpr':
        return this.checkModified(node);
      case 'UnaryExpr':
        return this.expectArithmetic(node.lastChild!, `unary "${this.text(node.firstChild!)}"`);
      case 'BinaryExpr':
        return this.checkBinary(node);
      case 'FunctionCall':
        return this.checkCall(node);
      case 'AggregateExpr':
        return this.checkAggregation(node);
      case 'SmoothedExpr':
      case 'AnchoredExpr':
        return this.fail(node.lastChild!.from, `"${this.text(node.lastChild!)}" is an experimental range selector modifier, which Prometheus rejects (and the whole rule group with it) unless started with --enable-feature=promql-extended-range-selectors`,
          'remove it: rate(), increase() and delta() extrapolate at the range boundaries without it');
      default:
        return this.fail(node.from, `"${this.text(node)}" (${node.name}) is not supported by this validator`, 'rewrite the expression with standard PromQL');
    }
  }

  /** lezer also reads durations as numbers (a Prometheus 3 extension); promtool 2.x rejects them. */
  private checkNumber(node: Node): void {
    if (!NUMBER.test(this.text(node))) {
      this.fail(node.from, `"${this.text(node)}" is a duration where a number is expected`, 'write the number of seconds, e.g. 3600 for 1h');
    }
  }

  private expectArithmetic(node: Node, context: string): ValueType {
    const type = this.typeOf(node);
    if (type !== ValueType.SCALAR && type !== ValueType.VECTOR) {
      this.fail(node.from, `${context} needs a scalar or an instant vector, not ${article(type)}`,
        type === ValueType.MATRIX ? 'wrap the range vector in a function such as rate(...) or avg_over_time(...)' : 'use a number or a vector here');
    }
    return type;
  }

  private checkSubquery(node: Node): ValueType {
    const [inner, range, step] = this.children(node);
    this.failOnRangeInsideOperator(inner);
    const type = this.typeOf(inner);
    if (type !== ValueType.VECTOR) {
      this.fail(inner.from, `a subquery needs an instant vector, not ${article(type)}`, 'use an instant-vector expression before [range:step]');
    }
    this.checkDuration(range, 'subquery range', true);
    if (step) this.checkDuration(step, 'subquery step', false);
    return ValueType.MATRIX;
  }

  /**
   * lezer wraps `a + b[5m]` as (a + b)[5m]; Prometheus binds the range (or
   * subquery) to b, which leaves a range vector inside the operator.
   */
  private failOnRangeInsideOperator(inner: Node): void {
    let operator = inner;
    while (operator.name === 'OffsetExpr' || operator.name === 'StepInvariantExpr') operator = operator.firstChild!;
    if (operator.name !== 'BinaryExpr' && operator.name !== 'UnaryExpr') return;
    while (operator.lastChild!.name === 'BinaryExpr' || operator.lastChild!.name === 'UnaryExpr') operator = operator.lastChild!;
    const op = this.text(operator.name === 'UnaryExpr' ? operator.firstChild! : this.children(operator)[1]);
    this.fail(operator.lastChild!.from, `operator "${op}" needs a scalar or an instant vector, not a range vector`,
      'a range applies to the selector right before it: wrap the operand in a function such as rate(...), or use (a + b)[1h:5m]');
  }

  private checkModified(node: Node): ValueType {
    const [operand, modifier, value] = this.children(node);
    // lezer wraps `a + b offset 5m` as (a + b) offset 5m; Prometheus binds the
    // modifier to the right-most operand, so that is the one to check.
    let target = operand;
    while (target.name === 'BinaryExpr' || target.name === 'UnaryExpr') target = target.lastChild!;
    if (!SELECTORS.has(target.name)) {
      this.fail(modifier.from, `"${this.text(modifier)}" must follow a selector or a subquery`, 'move the modifier directly after the metric selector, e.g. rate(x[5m] offset 1w)');
    }
    for (let inner = target; inner.name === 'OffsetExpr' || inner.name === 'StepInvariantExpr'; inner = inner.firstChild!) {
      if (inner.name === node.name) this.fail(modifier.from, `"${this.text(modifier)}" is set twice on the same selector`, 'keep one');
    }
    if (node.name === 'OffsetExpr') this.checkOffset(value);
    else if (value.name === 'NumberDurationLiteral') this.checkNumber(value);
    return this.typeOf(operand);
  }

  private checkOffset(node: Node): void {
    const inner = node.lastChild!;
    if (inner.name === 'OffsetDurationExpr') return this.checkOffset(inner);
    this.checkDuration(node, 'offset', false);
  }

  /** Range, step and offset durations: one literal with a unit (promtool 2.x and Prometheus 3 agree on these). */
  private checkDuration(node: Node, field: string, positive: boolean): void {
    const literal = node.firstChild;
    if (!literal || literal.nextSibling || literal.name !== 'NumberDurationLiteralInDurationContext') {
      this.fail(node.from, `${field} "${this.text(node)}" is a duration expression`,
        'use one duration literal such as "5m": duration arithmetic needs the experimental promql-duration-expr feature');
    }
    const text = this.text(literal);
    let ms: number;
    try {
      ms = validatePrometheusDuration(this.where, field, text);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return this.fail(literal.from, `${field} "${text}" is not a valid duration`, e.fix);
    }
    if (positive && ms === 0) this.fail(literal.from, `${field} must be greater than zero`, 'use a duration such as "5m"');
  }

  private checkBinary(node: Node): ValueType {
    const parts = this.children(node);
    const [lhs, operator, rhs] = [parts[0], parts[1], parts[parts.length - 1]];
    const op = this.text(operator).toLowerCase();
    const bool = parts.find((p) => p.name === 'BoolModifier');
    const matching = parts.find((p) => p.name === 'MatchingModifierClause');
    const context = `operator "${op}"`;
    let types: ValueType[];
    if (SET_OPERATORS.has(op)) {
      types = [lhs, rhs].map((side) => {
        const type = this.typeOf(side);
        if (type !== ValueType.VECTOR) this.fail(side.from, `${context} needs instant vectors on both sides, not ${article(type)}`, 'compare with "==" or ">" for scalars, or use vector(...)');
        return type;
      });
    } else {
      types = [this.expectArithmetic(lhs, context), this.expectArithmetic(rhs, context)];
      if (COMPARISON.has(op) && !bool && types.every((t) => t === ValueType.SCALAR)) {
        this.fail(operator.from, 'a comparison of two scalars needs "bool"', `write "${op} bool"`);
      }
      if (matching && types.includes(ValueType.SCALAR)) {
        this.fail(matching.from, 'vector matching (on/ignoring) is only allowed between two instant vectors', 'remove the matching clause');
      }
    }
    const fill = parts.find((p) => p.name === 'FillModifier');
    if (fill) {
      this.fail(fill.from, `"${this.text(fill)}" is an experimental fill modifier, which Prometheus rejects (and the whole rule group with it) unless started with --enable-feature=promql-binop-fill-modifiers`,
        'remove it; to keep the series that have no match, add them with "or", e.g. (a + b) or a');
    }
    if (bool && !COMPARISON.has(op)) this.fail(bool.from, `"bool" is only allowed after a comparison, not after ${context}`, 'remove "bool"');
    if (matching) this.checkMatching(matching, op);
    return types.every((t) => t === ValueType.SCALAR) ? ValueType.SCALAR : ValueType.VECTOR;
  }

  private checkMatching(clause: Node, op: string): void {
    const parts = this.children(clause);
    const grouping = parts.findIndex((p) => p.name === 'GroupLeft' || p.name === 'GroupRight');
    if (grouping < 0) return;
    if (SET_OPERATORS.has(op)) {
      this.fail(parts[grouping].from, `"${this.text(parts[grouping])}" is not allowed with operator "${op}"`, 'set operators match many-to-many already: remove it');
    }
    const onLabels = new Set(this.labelNames(parts[1]));
    const groupLabels = parts[grouping + 1] ? this.labelNames(parts[grouping + 1]) : [];
    const both = groupLabels.find((l) => onLabels.has(l));
    if (both && this.text(parts[0]).toLowerCase() === 'on') {
      this.fail(parts[grouping + 1].from, `label "${both}" must not be in both on(...) and ${this.text(parts[grouping])}(...)`, 'keep it in one of the two lists');
    }
  }

  private labelNames(grouping: Node): string[] {
    return this.children(grouping).map((label) => (label.name === 'StringLiteral' ? this.unquote(label) : this.text(label)));
  }

  private checkCall(node: Node): ValueType {
    const name = this.text(node.firstChild!);
    this.checkExperimental(node.from, name, 'function');
    const signature = FUNCTIONS.get(name);
    if (!signature) {
      const suggestion = closest(name, FUNCTIONS.keys(), functionTypoDistance(name));
      return this.fail(node.from, `unknown function "${name}"`, suggestion ? `did you mean "${suggestion}"?` : 'use a standard PromQL function');
    }
    this.checkArguments(node, this.children(node.lastChild!), signature, `function "${name}"`);
    return signature.returns;
  }

  private checkAggregation(node: Node): ValueType {
    const parts = this.children(node);
    const name = this.text(parts[0]);
    const body = parts.find((p) => p.name === 'FunctionCallBody')!;
    this.checkExperimental(node.from, name, 'aggregation');
    const signature = AGGREGATIONS.get(name);
    if (!signature) return this.fail(node.from, `unknown aggregation "${name}"`, 'use sum, avg, min, max, count, topk, ...');
    // The grammar admits only valid label names; quoted ones still need their escapes checked.
    for (const modifier of parts.filter((p) => p.name === 'AggregateModifier')) this.labelNames(modifier.lastChild!);
    this.checkArguments(node, this.children(body), signature, `aggregation "${name}"`);
    return ValueType.VECTOR;
  }

  private checkExperimental(at: number, name: string, kind: string): void {
    if (EXPERIMENTAL.has(name)) {
      this.fail(at, `${kind} "${name}" is experimental: Prometheus rejects it (and the whole rule group with it) unless started with --enable-feature=promql-experimental-functions`,
        name === 'limitk' || name === 'limit_ratio' ? 'use topk or bottomk' : 'use a stable function instead (https://prometheus.io/docs/prometheus/latest/querying/functions/)');
    }
  }

  private checkArguments(node: Node, args: Node[], signature: Signature, context: string): void {
    const min = signature.args.length - (signature.optional || signature.variadic ? 1 : 0);
    const max = signature.variadic ? Infinity : signature.args.length;
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      this.fail(node.from, `${context} takes ${expected} argument(s), got ${args.length}`, `expected (${signature.args.join(', ') || 'no arguments'})`);
    }
    args.forEach((arg, i) => {
      const expected = signature.args[Math.min(i, signature.args.length - 1)];
      const actual = this.typeOf(arg);
      if (actual !== expected) {
        const hint = expected === ValueType.MATRIX && actual === ValueType.VECTOR ? 'add a range such as [5m] to the selector'
          : expected === ValueType.VECTOR && actual === ValueType.MATRIX ? 'remove the [range], or wrap it in a *_over_time function'
            : `pass ${article(expected)}`;
        this.fail(arg.from, `argument ${i + 1} of ${context} must be ${article(expected)}, not ${article(actual)}`, hint);
      }
    });
  }

  /** Prometheus refuses selectors that would match every series, and metric names given twice. */
  private checkSelector(node: Node): void {
    let metricName = node.firstChild?.name === 'Identifier' ? this.text(node.firstChild) : undefined;
    let selective = metricName !== undefined;
    const matchers = node.lastChild?.name === 'LabelMatchers' ? this.children(node.lastChild) : [];
    for (const matcher of matchers) {
      if (matcher.name === 'QuotedLabelName') {
        // A bare quoted name in braces is the metric name (Prometheus 3 UTF-8 names).
        if (metricName !== undefined) this.fail(matcher.from, 'the metric name is given twice', 'keep one metric name');
        metricName = this.unquote(matcher.firstChild!);
        selective = true;
        continue;
      }
      const [labelNode, opNode, valueNode] = this.children(matcher);
      const label = labelNode.name === 'QuotedLabelName' ? this.unquote(labelNode.firstChild!) : this.text(labelNode);
      const op = this.text(opNode);
      const value = this.unquote(valueNode);
      if (label === '__name__' && op === '=') {
        if (metricName !== undefined) this.fail(matcher.from, 'the metric name is given twice', 'keep one metric name');
        metricName = value;
      }
      // Evaluated for every matcher: it also validates the regular expression.
      const matchesEmpty = this.matchesEmpty(op, value, valueNode);
      selective = selective || !matchesEmpty;
    }
    if (!selective) {
      this.fail(node.from, 'selector matches every series: it needs a metric name or a matcher that does not match the empty string',
        'add a metric name, or a matcher such as job="falco"');
    }
  }

  private matchesEmpty(op: string, value: string, node: Node): boolean {
    if (op === '=') return value === '';
    if (op === '!=') return value !== '';
    const problem = re2Problem(value, 'go');
    if (problem) return this.fail(node.from, `invalid regular expression ${JSON.stringify(value)}: ${problem}`, 'fix the RE2 regular expression');
    return re2MatchesEmpty(value) === (op === '=~');
  }

  /** Decodes a PromQL string literal with Go's escape rules. */
  private unquote(node: Node): string {
    const raw = this.text(node);
    const quote = raw[0];
    const body = raw.slice(1, -1);
    if (quote === '`') return body;
    return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/gs, (escape, code: string, offset: number) => {
      if (GO_ESCAPES[code] !== undefined) return GO_ESCAPES[code];
      if (code === quote) return quote;
      if (/^[xuU]/.test(code) && code.length > 1) return String.fromCodePoint(parseInt(code.slice(1), 16));
      if (/^[0-7]{3}$/.test(code)) return String.fromCharCode(parseInt(code, 8));
      return this.fail(node.from + 1 + offset, `unknown escape sequence "${escape}" in string`,
        `write "\\\\${code}" for a literal backslash (e.g. "foo\\\\.bar" in a regex), or use a \`raw\` string`);
    });
  }
}

/**
 * The expression as lezer should read it to agree with Prometheus' own lexer,
 * with every character at its offset so errors point at the user's text:
 * - `# comments` (to the end of the line, wherever whitespace may stand, strings
 *   aside) become spaces: lezer keeps them as nodes amid the operands;
 * - except right after "[", where Prometheus 2 reads a duration and fails on "#";
 * - a number with a trailing dot (`5.`, `5.e3`), which Go's number syntax allows,
 *   becomes `50`: lezer stops at the dot; only the number's kind matters to the checks.
 */
function lezerSource(expr: string): { source: string; commentAfterBracket?: number } {
  let out = '';
  let commentAfterBracket: number | undefined;
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    let end = i + 1;
    let text: string | undefined;
    if (c === '"' || c === "'" || c === '`') {
      end = stringEnd(expr, i);
    } else if (c === '#') {
      end = expr.indexOf('\n', i);
      if (end < 0) end = expr.length;
      text = ' '.repeat(end - i);
      if (out.trimEnd().endsWith('[')) commentAfterBracket ??= i;
    } else if (/[A-Za-z_:]/.test(c)) {
      IDENTIFIER.lastIndex = i;
      IDENTIFIER.test(expr);
      end = IDENTIFIER.lastIndex;
    } else if (/[0-9]/.test(c)) {
      TRAILING_DOT_NUMBER.lastIndex = i;
      const number = TRAILING_DOT_NUMBER.exec(expr);
      if (number) {
        end = i + number[0].length;
        text = `${number[1]}0${number[2] ?? ''}`;
      } else {
        NUMBER_TOKEN.lastIndex = i;
        NUMBER_TOKEN.test(expr);
        end = NUMBER_TOKEN.lastIndex;
      }
    }
    out += text ?? expr.slice(i, end);
    i = end;
  }
  return { source: out, commentAfterBracket };
}

const IDENTIFIER = /[A-Za-z0-9_:]*/y;
/** A decimal number such as 5. or 5.e3 (not 5.m, a bad duration Prometheus refuses too). */
const TRAILING_DOT_NUMBER = /([0-9]+)\.((?:[eE][-+]?[0-9]+)?)(?![A-Za-z0-9_.])/y;
const NUMBER_TOKEN = /[0-9A-Za-z_.]*/y;

/** The offset after the string literal opening at `start` (or the end of the text, unclosed). */
function stringEnd(expr: string, start: number): number {
  const quote = expr[start];
  for (let i = start + 1; i < expr.length; i++) {
    if (expr[i] === '\\' && quote !== '`') i++;
    else if (expr[i] === quote) return i + 1;
  }
  return expr.length;
}

/** Function names are short: allow a third of the name (at least 2 edits) before giving up on a suggestion. */
function functionTypoDistance(name: string): number {
  return Math.max(2, Math.floor(name.length / 3));
}
