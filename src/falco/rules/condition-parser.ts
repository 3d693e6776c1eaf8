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
const FIELD_NAME = /[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+/y;
const IDENTIFIER = /[a-zA-Z]+[a-zA-Z0-9_]*/y;
const FIELD_ARG_BARE = /[^\]["'\s]+/y;
const NUMBER = /(0[xX][0-9a-fA-F]+|[+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?)/y;
const BARE_STRING = /[^()"'\s=,]+/y;
const NOT = /not\s+/y;
const BLANK = /[ \t\b\r\n]+/y;
const TRANSFORMER = /(tolower|toupper|b64|basename|len|join|concat|getopt)\(/y;
const VAL_TRANSFORMER = /val\(/y;
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
    if (this.lex(FIELD_NAME)) return this.fieldRemainder(offset);
    if (this.lex(TRANSFORMER)) return this.transformerRemainder(offset);
    return this.fail('expected a field name such as "proc.name" or a transformer such as "tolower(proc.name)"');
  }

  private or(): ConditionNode {
    return this.nested(() => this.junction('or', () => this.and()));
  }

  private and(): ConditionNode {
    return this.nested(() => this.junction('and', () => this.not()));
  }

  private junction(keyword: 'and' | 'or', operand: () => ConditionNode): ConditionNode {
    this.blank();
    const offset = this.position;
    const children = [operand()];
    this.blank();
    while (this.text.startsWith(keyword, this.position)) {
      this.position += keyword.length;
      if (this.blank()) {
        children.push(operand());
      } else if (this.literal('(')) {
        children.push(this.embedded());
      } else {
        this.fail(`expected a blank or "(" after "${keyword}"`);
      }
      this.blank();
    }
    return children.length > 1 ? { kind: keyword, children, offset } : children[0];
  }

  private not(): ConditionNode {
    this.blank();
    const offset = this.position;
    let negated = false;
    while (this.lex(NOT)) negated = !negated;
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
    if (this.literal('(')) return this.nested(() => this.embedded());
    if (this.lex(FIELD_NAME)) return this.condition(this.fieldRemainder(offset), offset);
    if (this.lex(TRANSFORMER)) return this.condition(this.transformerRemainder(offset), offset);
    if (this.lex(IDENTIFIER)) {
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
    if (this.lex(UNARY_OPERATOR)) return { kind: 'check', left, operator: 'exists', offset };
    let right: ValueOperand;
    let operator: string;
    if (this.lex(NUMERIC_OPERATOR)) {
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
    } else if (this.lex(LIST_OPERATOR)) {
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
    if (this.lex(BARE_STRING)) return { kind: 'value', value: this.token, quoted: false, offset };
    return this.fail('expected a value: a quoted string or a bare word');
  }

  private listOrIdentifier(): ValueOperand {
    return this.list() ?? this.identifierValue();
  }

  private identifierValue(): ValueNode {
    this.blank();
    const offset = this.position;
    if (this.lex(IDENTIFIER)) return { kind: 'value', value: this.token, quoted: false, offset };
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
    if (this.lex(VAL_TRANSFORMER)) {
      this.blank();
      const fieldOffset = this.position;
      if (!this.lex(FIELD_NAME)) this.fail('expected a field inside "val(...)"');
      const field = this.fieldRemainder(fieldOffset);
      this.blank();
      if (!this.literal(')')) this.fail('expected ")" to close "val("');
      return { kind: 'transformer', name: 'val', args: [field], arg: this.fieldArg(), offset };
    }
    if (this.lex(TRANSFORMER)) return this.transformerRemainder(offset);
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
    return this.nested(() => {
      const name = this.token.slice(0, -1);
      const args: TransformerArgument[] = [];
      do {
        this.blank();
        args.push(this.transformerArgument());
        this.blank();
      } while (this.literal(','));
      if (!this.literal(')')) this.fail(`expected ")" to close "${name}("`);
      const arg = this.fieldArg();
      return arg === undefined ? { kind: 'transformer', name, args, offset } : { kind: 'transformer', name, args, arg, offset };
    });
  }

  /** As libsinsp: a transformer list, `concat((a, b))`, holds no further lists. */
  private transformerArgument(listAllowed = true): TransformerArgument {
    const offset = this.position;
    if (this.lex(NUMBER) || this.quoted()) return { kind: 'value', value: this.token, quoted: this.text[offset] === '"' || this.text[offset] === "'", offset };
    if (listAllowed && this.literal('(')) return this.transformerList(offset);
    if (this.lex(TRANSFORMER)) return this.transformerRemainder(offset);
    if (this.lex(FIELD_NAME)) return this.fieldRemainder(offset);
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
    for (let i = this.position + 1; i < this.text.length; i++) {
      if (this.text[i] === quote && this.text[i - 1] !== '\\') {
        this.token = this.unescape(this.position + 1, i, quote);
        this.position = i + 1;
        return true;
      }
    }
    const hint = this.text.includes(`\\${quote}`, this.position + 1) ? ` (a ${quote} right after a backslash does not close the string)` : '';
    return this.fail(`unterminated string: add the closing ${quote}${hint}`);
  }

  private unescape(start: number, end: number, quote: string): string {
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

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private blank(): boolean {
    return this.lex(BLANK);
  }

  private literal(text: string): boolean {
    if (!this.text.startsWith(text, this.position)) return false;
    this.position += text.length;
    this.token = text;
    return true;
  }

  private lex(pattern: RegExp): boolean {
    pattern.lastIndex = this.position;
    const match = pattern.exec(this.text);
    if (!match) return false;
    this.token = match[0];
    this.position += match[0].length;
    return true;
  }

  private fail(reason: string): never {
    throw new ConditionSyntaxError(this.position, reason);
  }
}
