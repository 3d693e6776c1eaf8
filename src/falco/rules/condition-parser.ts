import {
  ConditionNode, FieldNode, FieldOperand, ListNode, TransformerArgument, TransformerNode, ValueNode, ValueOperand,
} from './condition-ast';

/** A condition that Falco's parser would reject; `offset` points at the offending text. */
export class ConditionSyntaxError extends Error {
  constructor(public readonly offset: number, public readonly reason: string) {
    super(`${reason} at offset ${offset}`);
    this.name = 'ConditionSyntaxError';
  }
}

// Token shapes copied from libsinsp's parser so that what parses here parses in Falco.
// The hottest ones (identifiers, field names, transformers, bare strings) are
// scanned by hand below, which is several times faster than a sticky RegExp.
const FIELD_ARG_BARE = /[^\]["'\s]+/y;
const NUMBER = /(0[xX][0-9a-fA-F]+|[+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?)/y;
const NOT = /not\s+/y;
const TRANSFORMERS = new Set(['tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt']);
/** JavaScript's `\s` beyond ASCII, for bare strings (libsinsp's `[^()"'\s=,]+`). */
const NON_ASCII_SPACE = /\s/;
const UNARY_OPERATOR = /exists/y;
const NUMERIC_OPERATOR = /<=|<|>=|>/y;
// Word operators need a blank after them, as in libsinsp.
const STRING_OPERATOR = /==|=|!=|(glob|iglob|contains|icontains|bcontains|startswith|bstartswith|endswith|regex)(?=\s)/y;
const OPERATOR_MODIFIER = /(oneof|anyof|allof)(?=\s)/y;
const LIST_OPERATOR = /intersects|in|pmatch/y;
const BOOLEAN_KEYWORD = /(and|or|not)(?![a-zA-Z0-9_])/y;
const KEYWORDS = new Set(['and', 'or', 'not']);

/** The comparison operators Falco accepts, for error messages. */
export const CONDITION_OPERATORS = [
  '=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith',
  'endswith', 'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch', 'exists',
];

// libsinsp's unescape_str; `\ ` yields a backslash there, kept for old rules files.
const ESCAPES: Record<string, string> = {
  'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', ' ': '\\', '\\': '\\', '/': '/', '"': '"', "'": "'",
};

// Deep enough for any real condition, shallow enough that a hostile input cannot overflow the stack.
const MAX_DEPTH = 200;

/**
 * Parses a Falco condition (libsinsp filter grammar). Throws
 * `ConditionSyntaxError` for invalid input, never anything else.
 */
export function parseCondition(text: string): ConditionNode {
  return new Parser(text).parse();
}

/**
 * Parses a field reference as written in an output (`proc.aname[2]`,
 * `toupper(proc.name)`) starting at `offset`; returns it and the end offset.
 */
export function parseFieldOperand(text: string, offset: number): { operand: FieldOperand; end: number } {
  const parser = new Parser(text, offset);
  const operand = parser.fieldOrTransformer();
  return { operand, end: parser.position };
}

class Parser {
  private token = '';
  private depth = 0;

  constructor(private readonly text: string, public position = 0) {}

  public parse(): ConditionNode {
    const node = this.or();
    this.blank();
    if (this.position < this.text.length) {
      this.fail(`unexpected text "${this.text.slice(this.position, this.position + 20)}", expecting "and", "or" or the end of the condition`);
    }
    return node;
  }

  public fieldOrTransformer(): FieldOperand {
    const offset = this.position;
    if (this.fieldName()) return this.fieldRemainder(offset);
    if (this.transformer()) return this.transformerRemainder(offset);
    return this.fail('expected a field name such as "proc.name" or a transformer such as "tolower(proc.name)"');
  }

  private or(): ConditionNode {
    this.enter();
    const node = this.junction('or');
    this.depth--;
    return node;
  }

  private and(): ConditionNode {
    this.enter();
    const node = this.junction('and');
    this.depth--;
    return node;
  }

  private junction(keyword: 'and' | 'or'): ConditionNode {
    this.blank();
    const offset = this.position;
    const first = keyword === 'or' ? this.and() : this.not();
    this.blank();
    if (!this.text.startsWith(keyword, this.position)) return first;
    const children = [first];
    while (this.text.startsWith(keyword, this.position)) {
      this.position += keyword.length;
      if (this.blank()) {
        children.push(keyword === 'or' ? this.and() : this.not());
      } else if (this.literal('(')) {
        children.push(this.embedded());
      } else {
        this.fail(`expected a blank or "(" after "${keyword}"`);
      }
      this.blank();
    }
    return { kind: keyword, children, offset };
  }

  private not(): ConditionNode {
    this.blank();
    const offset = this.position;
    let negated = false;
    while (this.text.charCodeAt(this.position) === 110 /* n */ && this.lex(NOT)) negated = !negated;
    let child: ConditionNode;
    if (this.text.startsWith('not(', this.position)) {
      this.position += 4;
      negated = !negated;
      child = this.embedded();
    } else {
      child = this.check();
    }
    return negated ? { kind: 'not', child, offset } : child;
  }

  private embedded(): ConditionNode {
    const child = this.or();
    this.blank();
    if (!this.literal(')')) this.fail('expected ")" to close the parenthesis');
    return child;
  }

  private check(): ConditionNode {
    this.blank();
    const offset = this.position;
    if (this.literal('(')) {
      this.enter();
      const node = this.embedded();
      this.depth--;
      return node;
    }
    if (this.fieldName()) return this.condition(this.fieldRemainder(offset), offset);
    if (this.transformer()) return this.condition(this.transformerRemainder(offset), offset);
    if (this.identifier()) {
      // `a and and b`: libsinsp reads the keyword as a macro name and Falco then reports
      // an undefined macro "and"; the missing operand is the real mistake.
      if (KEYWORDS.has(this.token)) {
        this.position = offset;
        return this.fail(`expected a condition, found the keyword "${this.token}"`);
      }
      return { kind: 'macro', name: this.token, offset };
    }
    return this.fail('expected "(", a field check such as "proc.name = bash", or a macro name');
  }

  private condition(left: FieldOperand, offset: number): ConditionNode {
    this.blank();
    // Each operator pattern is tried only where its first character stands.
    const first = this.text.charCodeAt(this.position);
    if (first === 101 /* e */ && this.lex(UNARY_OPERATOR)) return { kind: 'check', left, operator: 'exists', offset };
    let right: ValueOperand;
    let operator: string;
    if ((first === 60 /* < */ || first === 62 /* > */) && this.lex(NUMERIC_OPERATOR)) {
      operator = this.token;
      right = this.numberOrTransformer();
    } else if (this.lex(STRING_OPERATOR)) {
      operator = this.token;
      const modifier = this.modifier();
      if (modifier) {
        operator = `${operator} ${modifier}`;
        right = this.listOrIdentifier();
      } else {
        right = this.stringOrTransformer();
      }
    } else if ((first === 105 /* i */ || first === 112 /* p */) && this.lex(LIST_OPERATOR)) {
      operator = this.token;
      right = this.list() ?? this.valTransformer() ?? this.identifierValue();
    } else {
      return this.fail(`expected an operator after the field: one of ${CONDITION_OPERATORS.join(', ')}`);
    }
    return { kind: 'check', left, operator, right, offset };
  }

  /** `= oneof (a, b)`: only a modifier when a list or list name follows, as in libsinsp. */
  private modifier(): string | undefined {
    const saved = this.position;
    // libsinsp: "=oneof (a)" is "=" and the value "oneof"; word operators already end in a blank.
    if (this.blank() && this.lex(OPERATOR_MODIFIER)) {
      const modifier = this.token;
      this.blank();
      const next = this.text[this.position];
      BOOLEAN_KEYWORD.lastIndex = this.position;
      if (next === '(' || (/[a-zA-Z]/.test(next ?? '') && !BOOLEAN_KEYWORD.test(this.text))) return modifier;
    }
    this.position = saved;
    return undefined;
  }

  private numberOrTransformer(): ValueOperand {
    this.blank();
    const offset = this.position;
    const transformer = this.valTransformer();
    if (transformer) return transformer;
    if (this.lex(NUMBER)) return { kind: 'value', value: this.token, quoted: false, offset };
    return this.fail('expected a number or a transformer such as "val(proc.pid)"');
  }

  private stringOrTransformer(): ValueOperand {
    this.blank();
    return this.valTransformer() ?? this.stringValue();
  }

  private stringValue(): ValueNode {
    this.blank();
    const offset = this.position;
    if (this.quoted()) return { kind: 'value', value: this.token, quoted: true, offset };
    if (this.bareString()) return { kind: 'value', value: this.token, quoted: false, offset };
    return this.fail('expected a value: a quoted string or a bare word');
  }

  private listOrIdentifier(): ValueOperand {
    return this.list() ?? this.identifierValue();
  }

  private identifierValue(): ValueNode {
    this.blank();
    const offset = this.position;
    if (this.identifier()) return { kind: 'value', value: this.token, quoted: false, offset };
    return this.fail('expected a list such as "(bash, sh)" or a list name');
  }

  private list(): ListNode | undefined {
    this.blank();
    const offset = this.position;
    if (!this.literal('(')) return undefined;
    const items: ValueNode[] = [];
    this.blank();
    if (!this.literal(')')) {
      items.push(this.stringValue());
      this.blank();
      while (this.literal(',')) {
        items.push(this.stringValue());
        this.blank();
      }
      if (!this.literal(')')) this.fail('expected "," or ")" in the list');
    }
    return { kind: 'list', items, offset };
  }

  /** `val(field)` or another transformer on the right-hand side of a comparison. */
  private valTransformer(): TransformerNode | undefined {
    this.blank();
    const offset = this.position;
    if (this.literal('val(')) {
      this.blank();
      const fieldOffset = this.position;
      if (!this.fieldName()) this.fail('expected a field inside "val(...)"');
      const field = this.fieldRemainder(fieldOffset);
      this.blank();
      if (!this.literal(')')) this.fail('expected ")" to close "val("');
      return { kind: 'transformer', name: 'val', args: [field], arg: this.fieldArg(), offset };
    }
    if (this.transformer()) return this.transformerRemainder(offset);
    return undefined;
  }

  private fieldRemainder(offset: number): FieldNode {
    const name = this.token;
    const arg = this.fieldArg();
    return arg === undefined ? { kind: 'field', name, offset } : { kind: 'field', name, arg, offset };
  }

  private fieldArg(): string | undefined {
    if (!this.literal('[')) return undefined;
    if (!this.quoted() && !this.lex(FIELD_ARG_BARE)) this.fail('expected a field argument: a quoted string or a bare word');
    const arg = this.token;
    if (!this.literal(']')) this.fail('expected "]" to close the field argument');
    return arg;
  }

  private transformerRemainder(offset: number): TransformerNode {
    this.enter();
    const name = this.token.slice(0, -1);
    const args: TransformerArgument[] = [];
    do {
      this.blank();
      args.push(this.transformerArgument());
      this.blank();
    } while (this.literal(','));
    if (!this.literal(')')) this.fail(`expected ")" to close "${name}("`);
    const arg = this.fieldArg();
    this.depth--;
    return arg === undefined ? { kind: 'transformer', name, args, offset } : { kind: 'transformer', name, args, arg, offset };
  }

  /** As libsinsp: a transformer list, `concat((a, b))`, holds no further lists. */
  private transformerArgument(listAllowed = true): TransformerArgument {
    const offset = this.position;
    if (this.lex(NUMBER) || this.quoted()) return { kind: 'value', value: this.token, quoted: this.text[offset] === '"' || this.text[offset] === "'", offset };
    if (listAllowed && this.literal('(')) return this.transformerList(offset);
    if (this.transformer()) return this.transformerRemainder(offset);
    if (this.fieldName()) return this.fieldRemainder(offset);
    return this.fail(listAllowed
      ? 'expected a transformer argument: a field, a transformer, a quoted string or a number'
      : 'expected a transformer list item: a field, a transformer, a quoted string or a number');
  }

  private transformerList(offset: number): TransformerArgument {
    const items: TransformerArgument[] = [];
    this.blank();
    if (!this.literal(')')) {
      do {
        this.blank();
        items.push(this.transformerArgument(false));
        this.blank();
      } while (this.literal(','));
      if (!this.literal(')')) this.fail('expected ")" to close the transformer list');
    }
    return { kind: 'transformer-list', items, offset };
  }

  /**
   * A single- or double-quoted string, lexed as libsinsp does: a quote right
   * after a backslash never closes the string, and only the escapes libsinsp's
   * `unescape_str` knows are accepted (Falco rejects the rule otherwise).
   */
  private quoted(): boolean {
    const quote = this.text[this.position];
    if (quote !== '"' && quote !== "'") return false;
    for (let i = this.text.indexOf(quote, this.position + 1); i >= 0; i = this.text.indexOf(quote, i + 1)) {
      if (this.text.charCodeAt(i - 1) !== 92 /* \\ */) {
        this.token = this.unescape(this.position + 1, i, quote);
        this.position = i + 1;
        return true;
      }
    }
    const hint = this.text.includes(`\\${quote}`, this.position + 1) ? ` (a ${quote} right after a backslash does not close the string)` : '';
    return this.fail(`unterminated string: add the closing ${quote}${hint}`);
  }

  private unescape(start: number, end: number, quote: string): string {
    const backslash = this.text.indexOf('\\', start);
    if (backslash < 0 || backslash >= end) return this.text.slice(start, end);
    let value = '';
    for (let i = start; i < end; i++) {
      const c = this.text[i];
      if (c !== '\\') {
        value += c;
        continue;
      }
      const escaped = this.text[++i];
      const known = ESCAPES[escaped];
      if (known === undefined || ((escaped === '"' || escaped === "'") && escaped !== quote)) {
        this.position = i - 1;
        this.fail(`unsupported escape sequence "\\${escaped}" in a ${quote}-quoted string: use \\\\, \\/, \\${quote}, \\b, \\f, \\n, \\r or \\t`);
      }
      value += known;
    }
    return value;
  }

  /**
   * Counts a nesting level; callers decrement when done. A failure throws out
   * of the whole parse, so the count needs no unwinding.
   */
  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
  }

  /** Skips blanks (libsinsp: space, tab, backspace, CR, LF); true when there were any. */
  private blank(): boolean {
    const start = this.position;
    let c = this.text.charCodeAt(this.position);
    while (c === 32 || c === 9 || c === 8 || c === 13 || c === 10) c = this.text.charCodeAt(++this.position);
    return this.position > start;
  }

  private literal(text: string): boolean {
    if (!this.text.startsWith(text, this.position)) return false;
    this.position += text.length;
    this.token = text;
    return true;
  }

  /** The end of the identifier `[a-zA-Z]+[a-zA-Z0-9_]*` at `start`, or `start` when none begins there. */
  private identifierEnd(start: number): number {
    if (!isLetter(this.text.charCodeAt(start))) return start;
    let end = start + 1;
    while (isWordChar(this.text.charCodeAt(end))) end++;
    return end;
  }

  /** An identifier: a macro or list name. */
  private identifier(): boolean {
    return this.take(this.identifierEnd(this.position));
  }

  /** A field name: identifiers joined by dots, at least two (`proc.name`, `evt.arg.flags`). */
  private fieldName(): boolean {
    let end = this.identifierEnd(this.position);
    if (end === this.position) return false;
    let parts = 1;
    while (this.text.charCodeAt(end) === 46 /* . */) {
      const next = this.identifierEnd(end + 1);
      if (next === end + 1) break;
      end = next;
      parts++;
    }
    return parts > 1 && this.take(end);
  }

  /** A transformer name and its opening parenthesis: `tolower(`. */
  private transformer(): boolean {
    let end = this.position;
    while (isWordChar(this.text.charCodeAt(end))) end++;
    return this.text.charCodeAt(end) === 40 /* ( */ && TRANSFORMERS.has(this.text.slice(this.position, end)) && this.take(end + 1);
  }

  /** An unquoted value: anything up to a blank, parenthesis, quote, `=` or `,`. */
  private bareString(): boolean {
    let end = this.position;
    for (; end < this.text.length; end++) {
      const c = this.text.charCodeAt(end);
      // ( ) " ' = , and JavaScript's ASCII white space (tab to carriage return, space).
      if (c === 40 || c === 41 || c === 34 || c === 39 || c === 61 || c === 44 || (c >= 9 && c <= 13) || c === 32) break;
      if (c >= 128 && NON_ASCII_SPACE.test(this.text[end])) break;
    }
    return this.take(end);
  }

  /** Consumes the text up to `end` as the token; false when that is empty. */
  private take(end: number): boolean {
    if (end === this.position) return false;
    this.token = this.text.slice(this.position, end);
    this.position = end;
    return true;
  }

  private lex(pattern: RegExp): boolean {
    pattern.lastIndex = this.position;
    // test() builds no match array: this runs for nearly every token.
    if (!pattern.test(this.text)) return false;
    this.token = this.text.slice(this.position, pattern.lastIndex);
    this.position = pattern.lastIndex;
    return true;
  }

  private fail(reason: string): never {
    throw new ConditionSyntaxError(this.position, reason);
  }
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isWordChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95;
}
