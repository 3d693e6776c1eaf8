import { ConditionNode, FieldNode, forEachCheck, forEachField, ValueNode } from './condition-ast';
import { ConditionSyntaxError, parseCondition } from './condition-parser';
import { FieldCatalogue, FieldType } from './field-catalogue';
import { exceptionCondition, ExceptionShape, LIST_COMPS } from './pasted-values';
import { didYouMean } from '../../common/did-you-mean';
import { re2Problem } from '../../common/re2-syntax';

/**
 * Checks of rule `exceptions` as Falco's loader reads them
 * (rule_loader_reader.cpp read_rule_exceptions, rule_loader_collector.cpp
 * define/append and validate_exception_info), and of the condition text Falco
 * compiles each value into (see pasted-values.ts).
 */

/** What the exception checks need from the validator that runs them. */
export interface ExceptionCheckContext {
  report(severity: 'error' | 'warning', what: string, value: unknown, fix: string): void;
  /** The field catalogues of a source; undefined where there are none to check against. */
  catalogue(source: string | undefined): FieldCatalogue[] | undefined;
  checkField(field: FieldNode, catalogues: FieldCatalogue[], where: string): void;
  /** The type of a syscall field; undefined when unknown. */
  typeOf(field: FieldNode): FieldType | undefined;
  /** Whether `name` is a list of any loaded rules file. */
  isList(name: string): boolean;
  /** Reports the operator and values (a list's items too) that a field of `type` does not allow. */
  checkTypedComparison(where: string, at: string, operator: string, values: ValueNode[], type: FieldType, subject: string): void;
}

/**
 * Operators an exception may use in `comps` (Falco 0.44 rule_loader_collector.cpp
 * validate_exception_info: libsinsp's `supported_operators()` and, since 0.44, a
 * string operator with a list modifier such as `startswith oneof`). `exists` is
 * one of them; it takes no value, so values for it fail where the compiled
 * condition is checked.
 */
const EXCEPTION_COMPS = new Set([
  '=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects', 'pmatch', 'exists', 'contains', 'icontains', 'bcontains',
  'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex',
]);
/** Operators that accept the `oneof`/`anyof`/`allof` modifiers (libs filter_compare: cmpop_supports_modifier). */
const MODIFIABLE_COMPS = ['=', '==', '!=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex'];
const COMP_MODIFIERS = ['oneof', 'anyof', 'allof'];
/** With a single field, Falco compares it against the whole values list: only list operators can. */
const SINGLE_FIELD_COMPS = [...LIST_COMPS];

const NO_EXCEPTIONS: ReadonlyMap<string, ExceptionShape> = new Map();

/** Falco trims a comp, then splits an operator from its modifier at the first space. */
function isModifiedComp(comp: string): boolean {
  const [op, modifier, ...rest] = comp.split(' ');
  return rest.length === 0 && MODIFIABLE_COMPS.includes(op) && COMP_MODIFIERS.includes(modifier);
}

/** Checks the exceptions of the rules in one validation run, reporting through the validator. */
export class ExceptionChecks {
  constructor(private readonly context: ExceptionCheckContext) {}

  /**
   * Checks `exceptions` as Falco's loader does (rule_loader_reader.cpp read_rule_exceptions,
   * rule_loader_collector.cpp define/append and validate_exception_info).
   * @param earlier exception names of the rule an override appends to; undefined for a rule definition
   */
  public check(exceptions: unknown, source: string, earlier?: ReadonlyMap<string, ExceptionShape>): ReadonlyMap<string, ExceptionShape> {
    // Most rules have none: one shared empty map rather than one per rule.
    if (exceptions === undefined || exceptions === null) return NO_EXCEPTIONS;
    if (!Array.isArray(exceptions)) {
      this.context.report('error', 'exceptions must be a list', exceptions, 'write exceptions: [{ name, fields, comps, values }]');
      return NO_EXCEPTIONS;
    }
    const shapes = new Map<string, ExceptionShape>();
    const names = new Set<string>();
    for (const exception of exceptions as Record<string, unknown>[]) {
      const name = exception?.name;
      if (typeof name !== 'string' || name === '') {
        this.context.report('error', 'exception has no name', exception, 'give every exception a unique name');
        continue;
      }
      // Falco only warns (LOAD_EXCEPTION_NAME_NOT_UNIQUE) and applies both.
      if (names.has(name)) this.context.report('warning', `exception "${name}" is defined twice`, name, 'give every exception a unique name');
      names.add(name);
      const existing = earlier?.get(name);
      if (existing) {
        this.checkExceptionAppend(name, exception, existing, source);
      } else {
        if (earlier && exception.values === undefined) {
          this.context.report('error', `exception "${name}" is new to the rule but has no values`, exception, 'give it values, or name an exception the rule already has');
        }
        const shape = this.checkException(name, exception, source);
        if (shape) shapes.set(name, shape);
      }
    }
    return shapes;
  }

  /** Appending to an exception the rule has: values only. */
  private checkExceptionAppend(name: string, exception: Record<string, unknown>, shape: ExceptionShape, source: string): void {
    const locked = ['fields', 'comps'].filter((k) => exception[k] !== undefined);
    if (locked.length > 0) {
      this.context.report('error', `exception "${name}" already exists, so only values can be appended to it`, locked,
        `drop ${locked.join(' and ')}, or give the exception a new name`);
    }
    this.checkValues(name, exception.values, shape, source);
  }

  private checkException(name: string, exception: Record<string, unknown>, source: string): ExceptionShape | undefined {
    const { fields, comps, values } = exception;
    // A single field compares each value on its own; a list of fields compares rows (tuples).
    const tuple = Array.isArray(fields);
    const fieldList = tuple ? fields as unknown[] : [fields];
    if (fields === undefined || fieldList.length === 0 || fieldList.some((f) => typeof f !== 'string' || f === '')) {
      this.context.report('error', `exception "${name}" fields must be a field name or a list of field names`, fields, 'write fields: [proc.name, fd.name]');
      return undefined;
    }
    const catalogue = this.context.catalogue(source);
    let fieldsParse = true;
    for (const field of fieldList as string[]) {
      try {
        const parsed = parseCondition(`${field} exists`);
        if (catalogue) forEachField(parsed, (f) => this.context.checkField(f, catalogue, `exception "${name}"`));
      } catch {
        this.context.report('error', `exception "${name}" has an invalid field`, field, 'write a field name such as proc.name');
        fieldsParse = false;
      }
    }
    const usableComps = comps === undefined || this.checkComps(name, comps, fieldList.length, tuple);
    const compList = comps === undefined ? (tuple ? fieldList.map(() => '=') : ['in']) : (Array.isArray(comps) ? comps : [comps]).map((c) => String(c).trim());
    const shape: ExceptionShape = { fields: fieldList as string[], tuple, comps: compList };
    // The values are checked in the condition Falco builds, which only exists with valid fields and operators.
    this.checkValues(name, values, shape, fieldsParse && usableComps ? source : undefined);
    return shape;
  }

  /** comps defaults to `=` per field of a list, and to `in` for a single field; false when they are unusable. */
  private checkComps(name: string, comps: unknown, fieldCount: number, tuple: boolean): boolean {
    const compList = Array.isArray(comps) ? comps : [comps];
    if (tuple !== Array.isArray(comps) || compList.length !== fieldCount) {
      this.context.report('error', `exception "${name}" has ${compList.length} comps for ${fieldCount} fields`, comps,
        'give one operator per field, in the same form (a list when fields is a list)');
      return false;
    }
    let usable = true;
    for (const raw of compList) {
      const comp = typeof raw === 'string' ? raw.trim() : raw;
      if (typeof comp !== 'string' || comp === '') {
        this.context.report('error', `exception "${name}" has an empty comp`, raw, 'write an operator such as = or startswith');
        usable = false;
      } else if (!tuple && !SINGLE_FIELD_COMPS.includes(comp) && !isModifiedComp(comp)) {
        this.context.report('error', `exception "${name}" compares its single field with "${comp}", which takes one value, not the values list`, comp,
          `use one of ${SINGLE_FIELD_COMPS.join(', ')} or a modified operator such as "startswith oneof" (or make fields a list)`);
        usable = false;
      } else if (tuple && !EXCEPTION_COMPS.has(comp) && !isModifiedComp(comp)) {
        this.context.report('error', `exception "${name}" uses unknown operator "${comp}"${didYouMean(comp, EXCEPTION_COMPS)}`, comp,
          `use one of ${[...EXCEPTION_COMPS].join(', ')}, or one of ${MODIFIABLE_COMPS.join(', ')} followed by oneof, anyof or allof`);
        usable = false;
      }
    }
    return usable;
  }

  /**
   * values: rows of one value per field when fields is a list (a value may itself be a
   * list, for list operators); plain values when fields is a single field. Falco rejects
   * an empty value anywhere.
   */
  private checkValues(name: string, values: unknown, shape: ExceptionShape, source: string | undefined): void {
    if (values === undefined || values === null) return;
    if (!Array.isArray(values)) {
      this.context.report('error', `exception "${name}" values must be a list`, values, 'write values: [[a, b]]');
      return;
    }
    const empty = (v: unknown): boolean => (Array.isArray(v) ? v.some(empty) : v === '');
    values.forEach((row, i) => {
      if (empty(row)) {
        this.context.report('error', `exception "${name}" values[${i}] contains an empty value`, row, 'remove it, or quote the text it should match');
      } else if (shape.tuple && (!Array.isArray(row) || row.length !== shape.fields.length)) {
        this.context.report('error', `exception "${name}" values[${i}] has ${Array.isArray(row) ? row.length : 1} values for ${shape.fields.length} fields`, row,
          `give one value per field: [${shape.fields.join(', ')}]`);
      } else if (!shape.tuple && Array.isArray(row)) {
        this.context.report('error', `exception "${name}" values[${i}] is a list, but fields is a single field`, row,
          'list plain values (values: [a, b]), or make fields a list with one value per field in each row');
      } else if (source !== undefined) {
        this.checkExceptionCondition(`exception "${name}" values[${i}]`, row, shape, source === 'syscall');
      }
    });
  }

  /**
   * Parses the condition Falco builds from one value or row, and checks what
   * Falco's compiler checks on it: regexes, and values and operators for typed fields.
   */
  private checkExceptionCondition(where: string, value: unknown, shape: ExceptionShape, typed: boolean): void {
    const takesNoValue = shape.comps.findIndex((comp) => comp === 'exists');
    if (takesNoValue >= 0) {
      this.context.report('error', `${where} gives a value for field "${shape.fields[takesNoValue]}", whose comp "exists" takes none`, value,
        'use an operator that compares with a value, such as =, or leave values out');
      return;
    }
    const text = exceptionCondition(shape, value);
    let parsed: ConditionNode;
    try {
      parsed = parseCondition(text);
    } catch (e) {
      const error = e as ConditionSyntaxError;
      this.context.report('error', `${where} does not compile: Falco pastes it into the condition ${JSON.stringify(text)}, which has a syntax error at offset ${error.offset}: ${error.reason}`,
        value, 'Falco adds quotes only around a value with a space: put a value with (, ), a comma, = or a quote in double quotes yourself, e.g. \'"--config=/etc/app"\'');
      return;
    }
    // The checks come in field order; a value that is not a list yet parses as several items was split by Falco.
    const written = shape.tuple ? value as unknown[] : [value];
    let k = 0;
    forEachCheck(parsed, (check) => {
      const own = written[k++];
      if (!Array.isArray(own) && check.right?.kind === 'list' && check.right.items.length > 1) {
        this.context.report('warning', `${where} has "${own}", which Falco splits at its commas into ${check.right.items.length} values`, own,
          'write each value on its own, or put the value in double quotes yourself if the comma belongs to it');
      }
      if (check.left.kind !== 'field') return;
      const space = check.operator.indexOf(' ');
      const operator = space < 0 ? check.operator : check.operator.slice(0, space);
      const values = check.right?.kind === 'value' ? [check.right] : check.right?.kind === 'list' ? check.right.items : [];
      if (operator === 'regex') {
        for (const v of values) {
          const regexProblem = !v.quoted && this.context.isList(v.value) ? undefined : re2Problem(v.value, 'posix');
          if (regexProblem) {
            this.context.report('error', `${where} has the regex "${v.value}", which Falco's RE2 rejects: ${regexProblem}`, v.value, 'fix the pattern');
          }
        }
      }
      const type = typed ? this.context.typeOf(check.left) : undefined;
      if (type !== undefined) this.context.checkTypedComparison(where, '', operator, values, type, `${type} field "${check.left.name}"`);
    });
  }
}
