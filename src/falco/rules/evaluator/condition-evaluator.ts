import { CheckNode, ConditionNode, FieldNode, FieldOperand, TransformerArgument, ValueNode } from '../condition-ast';
import { ConditionSyntaxError, parseCondition } from '../condition-parser';
import { FieldCatalogue, FieldType } from '../field-catalogue';
import { pastedListItem } from '../pasted-values';
import { Comparator, compareList, compareValue } from './comparisons';
import { EventFields, Extracted, FieldReference, isListField, MISSING, resolveField, UnknownFieldError, valueType } from './field-values';
import { describeCheck, describeOperand } from './render';
import { applyTransformer, getopt, transformedType } from './transformers';
import { parseConstant, parseHexBytes, showValue, TypedValue, ValueError } from './typed-values';

/** Kleene's three values: true, false, and unknown (only where an analysis leaves fields unknown). */
export type Truth = 'true' | 'false' | 'unknown';

/** A result and the part of the condition that decided it. */
export interface Verdict {
  readonly truth: Truth;
  readonly why: string;
}

/** A condition that cannot be evaluated: a macro whose content is not at hand, a constant Falco would refuse. */
export class EvaluationError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'EvaluationError';
  }
}

/** A list whose items are not at hand, in an analysis: the check is unknown. */
class NotAtHand extends Error {}

/** What the evaluator resolves names against: the loaded lists and macros, and the fields of the rule's source. */
export interface EvaluationScope {
  readonly lists: ReadonlyMap<string, string[]>;
  readonly macros: ReadonlyMap<string, string>;
  /** Macros known by name only (a rules file loaded earlier whose content is not at hand). */
  readonly externalMacros?: ReadonlySet<string>;
  /** Lists known by name only, likewise. */
  readonly externalLists?: ReadonlySet<string>;
  /**
   * Whether a macro or list whose content is not at hand makes its part of the
   * condition unknown (for analyses) rather than an error (for tests).
   * @default false
   */
  readonly unknownWhenNotAtHand?: boolean;
  readonly catalogues: readonly FieldCatalogue[];
}

/** A typed operand's values, or why there are none. */
interface Operand {
  readonly extracted: Extracted;
  readonly type: FieldType;
  /** A list field or list transformer: `in` and `intersects` compare sets. */
  readonly list: boolean;
  /** `proc.aname` without an index: true when any ancestor matches. */
  readonly any: boolean;
}

/** Endpoint fields libsinsp compares on both ends of a socket (sinsp_filtercheck_fd.cpp compare_ip/net/port). */
const ENDPOINT_FIELDS: Readonly<Record<string, readonly [string, string]>> = {
  'fd.ip': ['fd.cip', 'fd.sip'],
  'fd.net': ['fd.cip', 'fd.sip'],
  'fd.port': ['fd.cport', 'fd.sport'],
  // fd.proto is a port too (PT_PORT, compared by compare_port).
  'fd.proto': ['fd.cport', 'fd.sport'],
};
const ANY_ANCESTOR = new Set(['proc.aname', 'proc.apid', 'proc.aexe', 'proc.aexepath', 'proc.acmdline', 'proc.aenv']);
const MAX_MACRO_DEPTH = 100;

/** A list's items as Falco reads them once pasted into a condition, per loaded list. */
const PASTED = new WeakMap<readonly string[], string[]>();

const NOT: Record<Truth, Truth> = { true: 'false', false: 'true', unknown: 'unknown' };

/**
 * Evaluates Falco conditions over the field values of one event, as libsinsp
 * does: macros expand to their conditions, list names to their items, and a
 * check on a field the event cannot give is false whatever its operator
 * (sinsp_filter_check::compare_nocache), so `not` of it is true.
 */
export class ConditionEvaluator {
  /**
   * @param parsed conditions parsed so far, by text: evaluators of one set of
   * rules share it, so that each macro is parsed once, not once per event
   */
  constructor(
    private readonly scope: EvaluationScope,
    private readonly event: EventFields,
    private readonly parsed = new Map<string, ConditionNode>(),
  ) {}

  /** Evaluates condition text; throws EvaluationError when it cannot be evaluated. */
  public evaluateText(condition: string): Verdict {
    return this.evaluate(this.parse(condition, 'the condition'), 0);
  }

  public evaluate(node: ConditionNode, depth: number): Verdict {
    switch (node.kind) {
      case 'and':
      case 'or':
        return this.junction(node.kind, node.children, depth);
      case 'not': {
        const child = this.evaluate(node.child, depth);
        return { truth: NOT[child.truth], why: `not (${child.why})` };
      }
      case 'macro':
        return this.macro(node.name, depth);
      case 'check':
        return this.check(node);
    }
  }

  private junction(kind: 'and' | 'or', children: ConditionNode[], depth: number): Verdict {
    const decisive: Truth = kind === 'and' ? 'false' : 'true';
    const verdicts: Verdict[] = [];
    for (const child of children) {
      const verdict = this.evaluate(child, depth);
      // libsinsp stops at the first decisive child; so does the explanation.
      if (verdict.truth === decisive) return verdict;
      verdicts.push(verdict);
    }
    const truth: Truth = verdicts.some((v) => v.truth === 'unknown') ? 'unknown' : (kind === 'and' ? 'true' : 'false');
    return { truth, why: verdicts.map((v) => v.why).join(kind === 'and' ? ' and ' : '; nor ') };
  }

  private macro(name: string, depth: number): Verdict {
    const condition = this.scope.macros.get(name);
    if (condition === undefined && this.scope.unknownWhenNotAtHand) return { truth: 'unknown', why: `${name} is not at hand` };
    if (condition === undefined) {
      throw new EvaluationError(this.scope.externalMacros?.has(name)
        ? `macro "${name}" is defined in a rules file whose content is not at hand (such as the upstream ruleset loaded by falcoctl): load that file with FalcoRules.fromYaml() and pass it in "after"`
        : `macro "${name}" is not defined`);
    }
    if (depth > MAX_MACRO_DEPTH) throw new EvaluationError(`macro "${name}" expands into itself`);
    const verdict = this.evaluate(this.parse(condition, `macro "${name}"`), depth + 1);
    return { truth: verdict.truth, why: `${name} [${verdict.why}]` };
  }

  private parse(condition: string, what: string): ConditionNode {
    let node = this.parsed.get(condition);
    if (!node) {
      try {
        node = parseCondition(condition);
      } catch (e) {
        throw new EvaluationError(`${what} does not parse: ${(e as ConditionSyntaxError).message}`);
      }
      this.parsed.set(condition, node);
    }
    return node;
  }

  private check(check: CheckNode): Verdict {
    const text = describeCheck(check);
    const space = check.operator.indexOf(' ');
    const cmp: Comparator = space < 0 ? { op: check.operator === '==' ? '=' : check.operator }
      : { op: check.operator.slice(0, space) === '==' ? '=' : check.operator.slice(0, space), modifier: check.operator.slice(space + 1) as Comparator['modifier'] };
    if (check.left.kind === 'field' && ENDPOINT_FIELDS[check.left.name] && this.lacks(check.left)) {
      return this.endpointCheck(check, cmp, text);
    }
    const left = this.operand(check.left);
    const shown = describeOperand(check.left);
    if (left.extracted.state === 'missing') return { truth: 'false', why: `${text} is false: the event has no ${shown}` };
    if (left.extracted.state === 'unknown') return { truth: 'unknown', why: `${text} depends on ${shown}, not known` };
    let constants;
    try {
      constants = this.constants(check, cmp, left.type);
    } catch (e) {
      if (e instanceof NotAtHand) return { truth: 'unknown', why: `${text} depends on a list not at hand` };
      throw e;
    }
    if (constants === undefined) return { truth: 'false', why: `${text} is false: the event has no ${describeOperand(check.right as FieldOperand)}` };
    if (constants === 'unknown') return { truth: 'unknown', why: `${text} depends on a value not known` };
    const values = left.extracted.values;
    const holds = left.list ? compareList(cmp.op, values, constants)
      : left.any ? values.some((v) => compareValue(cmp, v, constants))
        : compareValue(cmp, values[0], constants);
    const seen = left.list || left.any ? `[${values.map(showValue).join(', ')}]` : showValue(values[0]);
    return { truth: holds ? 'true' : 'false', why: `${text} is ${holds}: ${shown} is ${seen}` };
  }

  /** Whether the event lacks the endpoint field itself, so that it is computed from both ends. */
  private lacks(field: FieldNode): boolean {
    return this.event.get(this.reference(field)).state === 'missing';
  }

  /** fd.ip, fd.net, fd.port, fd.proto: `=`/`in` (and orderings) hold for either end, `!=` for both. */
  private endpointCheck(check: CheckNode, cmp: Comparator, text: string): Verdict {
    const field = check.left as FieldNode;
    const [client, server] = ENDPOINT_FIELDS[field.name];
    const ends = [client, server].map((name) => this.event.get(this.reference({ ...field, name })));
    if (ends.some((e) => e.state === 'missing')) return { truth: 'false', why: `${text} is false: the event has no ${client} and ${server}` };
    if (ends.some((e) => e.state === 'unknown')) return { truth: 'unknown', why: `${text} depends on ${client} and ${server}, not known` };
    // Typed as the ends are, but fd.net's constants are networks.
    const type = field.name === 'fd.net' ? FieldType.IPNET : valueType(this.reference({ ...field, name: client }));
    const constants = this.constants(check, cmp, type);
    if (constants === undefined || constants === 'unknown') return { truth: 'false', why: `${text} is false` };
    const results = ends.map((e) => compareValue(cmp, (e as { values: TypedValue[] }).values[0], constants));
    const holds = cmp.op === '!=' ? results.every(Boolean) : results.some(Boolean);
    const seen = ends.map((e, k) => `${[client, server][k]} is ${showValue((e as { values: TypedValue[] }).values[0])}`).join(', ');
    return { truth: holds ? 'true' : 'false', why: `${text} is ${holds}: ${seen}` };
  }

  private reference(field: FieldNode): FieldReference {
    try {
      return resolveField(field, this.scope.catalogues);
    } catch (e) {
      // Falco refuses to load such a condition.
      if (e instanceof UnknownFieldError) throw new EvaluationError(`the condition uses ${e.message}, which Falco refuses`);
      throw e;
    }
  }

  /** A field or a transformer's result, typed. */
  private operand(operand: FieldOperand | TransformerArgument): Operand {
    if (operand.kind === 'field') {
      const ref = this.reference(operand);
      return {
        extracted: this.event.get(ref),
        type: valueType(ref),
        list: isListField(ref.name),
        any: ANY_ANCESTOR.has(ref.name) && ref.arg === undefined,
      };
    }
    if (operand.kind === 'value') return { extracted: { state: 'values', values: [operand.value] }, type: FieldType.STRING, list: false, any: false };
    if (operand.kind === 'transformer-list') return this.listOperand(operand.items);
    const args = operand.args;
    switch (operand.name) {
      case 'val':
        return this.operand(args[0]);
      case 'join': {
        const [separator, list] = [this.operand(args[0]), this.operand(args[1])];
        return this.combine([separator, list], FieldType.STRING, false,
          ([sep, items]) => [items.map((i) => showText(i)).join(showText(sep[0]))]);
      }
      case 'concat':
        return this.combine(args.map((a) => this.operand(a)), FieldType.STRING, false, (parts) => [parts.map((p) => showText(p[0])).join('')]);
      case 'getopt': {
        const [list, optstring] = [this.operand(args[0]), this.operand(args[1])];
        return this.combine([list, optstring], FieldType.STRING, operand.arg === undefined,
          ([items, opts]) => getopt(items.map(showText), showText(opts[0]), operand.arg));
      }
      default: {
        const inner = this.operand(args[0]);
        if (inner.extracted.state !== 'values') return inner;
        const values = applyTransformer(operand.name, inner.extracted.values, inner.list);
        return {
          extracted: values === undefined ? MISSING : { state: 'values', values },
          type: transformedType(operand.name, inner.type),
          list: inner.list && operand.name !== 'len',
          any: inner.any,
        };
      }
    }
  }

  private listOperand(items: TransformerArgument[]): Operand {
    return this.combine(items.map((i) => this.operand(i)), FieldType.STRING, true, (parts) => parts.flat());
  }

  /** A multi-value transformer: any argument missing (or unknown) makes the result so. */
  private combine(parts: Operand[], type: FieldType, list: boolean, f: (values: TypedValue[][]) => TypedValue[] | undefined): Operand {
    const failed = parts.find((p) => p.extracted.state !== 'values');
    if (failed) return { extracted: failed.extracted, type, list, any: false };
    const values = f(parts.map((p) => (p.extracted as { values: TypedValue[] }).values));
    return { extracted: values === undefined ? MISSING : { state: 'values', values }, type, list, any: false };
  }

  /** The constants of a check, typed like its field; undefined when a val() field is missing. */
  private constants(check: CheckNode, cmp: Comparator, type: FieldType): TypedValue[] | undefined | 'unknown' {
    const right = check.right;
    if (right === undefined) return [];
    if (right.kind === 'transformer') {
      const operand = this.operand(right);
      if (operand.extracted.state === 'missing') return undefined;
      if (operand.extracted.state === 'unknown') return 'unknown';
      return operand.extracted.values;
    }
    const texts = right.kind === 'list' ? right.items.flatMap((v) => this.listValues(v)) : [right.value];
    try {
      if (cmp.op === 'bcontains' || cmp.op === 'bstartswith') return texts.map(parseHexBytes);
      // pmatch, glob and regex patterns stay text; so does everything compared with a string.
      if (cmp.op === 'pmatch' || cmp.op === 'regex' || cmp.op === 'glob' || cmp.op === 'iglob') return texts;
      return texts.map((t) => parseConstant(type, t));
    } catch (e) {
      throw new EvaluationError(`${describeCheck(check)}: Falco refuses the constant ${(e as ValueError).reason}`);
    }
  }

  /** A list item: a list name stands for its items, as Falco pastes them into the condition. */
  private listValues(value: ValueNode): string[] {
    const items = value.quoted ? undefined : this.scope.lists.get(value.value);
    if (!items && !value.quoted && this.scope.externalLists?.has(value.value)) {
      if (this.scope.unknownWhenNotAtHand) throw new NotAtHand();
      throw new EvaluationError(`list "${value.value}" is defined in a rules file whose content is not at hand: load that file with FalcoRules.fromYaml() and pass it in "after"`);
    }
    if (!items) return [value.value];
    let pasted = PASTED.get(items);
    if (!pasted) {
      pasted = items.flatMap((item) => pastedListItem(item).values);
      PASTED.set(items, pasted);
    }
    return pasted;
  }
}

function showText(v: TypedValue): string {
  return typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : showValue(v);
}

