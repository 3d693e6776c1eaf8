import { validationError } from '../../common/validation';
import { FalcoPriority } from '../priority';
import { ConditionNode, FieldNode, forEachField } from './condition-ast';
import { ConditionSyntaxError, parseCondition } from './condition-parser';
import { FalcoDiagnostic } from './falco-items';
import { CONTAINER_PLUGIN_FIELDS, FieldArgument, FieldCatalogue, K8S_AUDIT_FIELDS, SYSCALL_FIELDS } from './field-catalogue';
import { parseOutput } from './output-format';
import { describeItem, RulesItem } from './rules-item';
import { didYouMean } from '../../common/did-you-mean';

/**
 * Operators an exception may use in `comps` (Falco 0.44 rule_loader_collector.cpp
 * validate_exception_info: libsinsp's `supported_operators()` and, since 0.44, a
 * string operator with a list modifier such as `startswith oneof`). `exists` is
 * left out: it takes no value, so the compiled exception would not parse.
 */
const EXCEPTION_COMPS = new Set([
  '=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects', 'pmatch', 'contains', 'icontains', 'bcontains',
  'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex',
]);
/** Operators that accept the `oneof`/`anyof`/`allof` modifiers (libs filter_compare: cmpop_supports_modifier). */
const MODIFIABLE_COMPS = ['=', '==', '!=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex'];
const COMP_MODIFIERS = ['oneof', 'anyof', 'allof'];
/** With a single field, Falco compares it against the whole values list. */
const SINGLE_FIELD_COMPS = ['in', 'pmatch', 'intersects'];

/** Falco trims a comp, then splits an operator from its modifier at the first space. */
function isModifiedComp(comp: string): boolean {
  const [op, modifier, ...rest] = comp.split(' ');
  return rest.length === 0 && MODIFIABLE_COMPS.includes(op) && COMP_MODIFIERS.includes(modifier);
}

const PRIORITIES = new Set<string>([...Object.values(FalcoPriority), 'INFO']);
const RULE_REQUIRED_KEYS = ['desc', 'condition', 'output', 'priority'];
const NONE_SEEN: ReadonlySet<string> = new Set();
const KNOWN_KEYS: Record<string, string[]> = {
  rule: ['rule', 'desc', 'condition', 'output', 'priority', 'tags', 'source', 'enabled', 'exceptions', 'override', 'append', 'warn_evttypes', 'skip-if-unknown-filter', 'capture', 'capture_duration'],
  macro: ['macro', 'condition', 'override', 'append'],
  list: ['list', 'items', 'override', 'append'],
  required_engine_version: ['required_engine_version'],
  required_plugin_versions: ['required_plugin_versions'],
};

/** Settings that widen what the validator accepts. */
export interface ValidatorOptions {
  /** Plugins loaded in addition to those the files declare. */
  readonly plugins: string[];
  /** Macros defined by files loaded earlier whose content is not at hand (e.g. the upstream ruleset). */
  readonly externalMacros?: readonly string[];
  /** Lists defined by files loaded earlier whose content is not at hand. */
  readonly externalLists?: readonly string[];
  /** The event sources of the loading Falco; undefined accepts any. */
  readonly sources?: readonly string[];
}

/** An exception's fields: the list, or 'single' for one field compared against the whole values list. */
type ExceptionShape = string[] | 'single';

interface Defined {
  readonly index: number;
  condition?: string;
  source?: string;
  /** The rule's exceptions by name. */
  exceptions?: Map<string, ExceptionShape>;
}

/** Parses a condition once per distinct text: upstream macros are reused by many rules and runs. */
const parseCache = new Map<string, ConditionNode | ConditionSyntaxError>();
function parseCached(text: string): ConditionNode | ConditionSyntaxError {
  let parsed = parseCache.get(text);
  if (!parsed) {
    try {
      parsed = parseCondition(text);
    } catch (e) {
      parsed = e as ConditionSyntaxError;
    }
    parseCache.set(text, parsed);
  }
  return parsed;
}

/**
 * Checks rules files the way Falco's loader reads them: in order, each item
 * seeing only the items before it. `dependencies` are checked for context
 * only; diagnostics concern `items`.
 */
export function validateItems(dependencies: RulesItem[], items: RulesItem[], options: ValidatorOptions): FalcoDiagnostic[] {
  return new Validator(options).run(dependencies, items);
}

class Validator {
  private readonly diagnostics: FalcoDiagnostic[] = [];
  private readonly macros = new Map<string, Defined>();
  private readonly lists = new Map<string, Defined>();
  private readonly rules = new Map<string, Defined>();
  private readonly laterMacros = new Map<string, number>();
  private readonly plugins: Set<string>;
  private readonly sources?: ReadonlySet<string>;
  private reporting = false;
  private current!: RulesItem;

  constructor(options: ValidatorOptions) {
    this.plugins = new Set(options.plugins);
    this.sources = options.sources ? new Set(options.sources) : undefined;
    // Known by name only: references resolve, and an external macro counts as
    // restricting evt.type (its content cannot be inspected).
    (options.externalMacros ?? []).forEach((name) => this.macros.set(name, { index: -1 }));
    (options.externalLists ?? []).forEach((name) => this.lists.set(name, { index: -1 }));
  }

  public run(dependencies: RulesItem[], items: RulesItem[]): FalcoDiagnostic[] {
    const all = [...dependencies, ...items];
    // Plugins are loaded before any rules file, so a declaration anywhere counts.
    all.filter((i) => i.kind === 'required_plugin_versions').forEach((i) => this.declarePlugins(i));
    all.forEach((item, index) => {
      if (item.kind === 'macro' && !this.laterMacros.has(item.name)) this.laterMacros.set(item.name, index);
    });
    all.forEach((item, index) => {
      this.reporting = index >= dependencies.length;
      this.current = item;
      this.checkKeys(item);
      if (item.kind === 'list') this.checkList(item, index);
      else if (item.kind === 'macro') this.checkMacro(item, index);
      else if (item.kind === 'rule') this.checkRule(item, index);
    });
    return this.diagnostics;
  }

  private report(severity: 'error' | 'warning', what: string, value: unknown, fix: string): void {
    if (!this.reporting) return;
    const message = validationError(describeItem(this.current), what, value, fix).message;
    this.diagnostics.push({ severity, item: this.current.name, message });
  }

  private declarePlugins(item: RulesItem): void {
    const plugins = item.fields.required_plugin_versions;
    if (!Array.isArray(plugins)) return;
    for (const plugin of plugins) {
      const p = plugin as Record<string, unknown>;
      if (typeof p?.name === 'string') this.plugins.add(p.name);
      if (Array.isArray(p?.alternatives)) p.alternatives.forEach((a) => typeof a?.name === 'string' && this.plugins.add(a.name));
    }
  }

  private checkKeys(item: RulesItem): void {
    const known = KNOWN_KEYS[item.kind];
    for (const key of Object.keys(item.fields)) {
      if (!known.includes(key)) {
        this.report('warning', `has unknown key "${key}"${didYouMean(key, known)}`, key, `remove it or use one of: ${known.join(', ')}`);
      }
    }
  }

  /** The `override:` mode of a key, or 'append' for the legacy `append: true`. */
  private overrideOf(item: RulesItem, key: string): string | undefined {
    const override = item.fields.override;
    if (override !== undefined) {
      if (override === null || typeof override !== 'object' || Array.isArray(override)) {
        this.report('error', 'override must map keys to "append" or "replace"', override, 'write e.g. override: { condition: append }');
        return undefined;
      }
      const mode = (override as Record<string, unknown>)[key];
      if (mode !== undefined && mode !== 'append' && mode !== 'replace') {
        this.report('error', `override of "${key}" must be "append" or "replace"`, mode, 'use append or replace');
        return undefined;
      }
      return mode as string | undefined;
    }
    return item.fields.append === true ? 'append' : undefined;
  }

  private isOverride(item: RulesItem): boolean {
    return item.fields.override !== undefined || item.fields.append === true;
  }

  /** An override entry must follow the item it changes. */
  private requireEarlier(defined: Map<string, Defined>, kind: string): Defined | undefined {
    const earlier = defined.get(this.current.name);
    if (!earlier) {
      this.report('error', `overrides ${kind} "${this.current.name}" which is not defined earlier`, this.current.name,
        `define the ${kind} first (in this file above, or in a file loaded before it), or remove "override"/"append"${didYouMean(this.current.name, defined.keys())}`);
    }
    return earlier;
  }

  private checkList(item: RulesItem, index: number): void {
    const items = item.fields.items;
    if (!Array.isArray(items) || items.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
      this.report('error', 'items must be a list of strings', items, 'write items: [a, b] (an empty list is [])');
    }
    if (this.isOverride(item)) {
      this.requireEarlier(this.lists, 'list');
      this.overrideOf(item, 'items');
      return;
    }
    this.lists.set(item.name, { index });
  }

  private checkMacro(item: RulesItem, index: number): void {
    const condition = this.requireString(item, 'condition');
    if (condition === undefined) return;
    if (this.isOverride(item)) {
      const earlier = this.requireEarlier(this.macros, 'macro');
      const mode = this.overrideOf(item, 'condition');
      if (earlier) earlier.condition = mode === 'append' ? `${earlier.condition} ${condition}` : condition;
      if (earlier?.condition !== undefined) this.checkCondition(earlier.condition, undefined, index);
      return;
    }
    this.macros.set(item.name, { index, condition });
    this.checkCondition(condition, undefined, index);
  }

  private checkRule(item: RulesItem, index: number): void {
    if (this.isOverride(item) || this.isEnableOnly(item)) {
      this.checkRuleOverride(item, index);
      return;
    }
    const f = item.fields;
    if (f.desc === undefined || f.condition === undefined || f.output === undefined || f.priority === undefined) {
      const missing = RULE_REQUIRED_KEYS.filter((k) => item.fields[k] === undefined);
      this.report('error', `is missing ${missing.map((k) => `"${k}"`).join(', ')}`, Object.keys(item.fields),
        'a new rule needs desc, condition, output and priority (to change an existing rule, add "override")');
      return;
    }
    const source = this.requireString(item, 'source') ?? 'syscall';
    this.checkSource(source);
    const condition = this.requireString(item, 'condition');
    const defined: Defined = { index, condition, source };
    this.rules.set(item.name, defined);
    this.checkPriority(item.fields.priority);
    this.requireString(item, 'desc');
    this.checkTags(item.fields.tags);
    if (condition !== undefined) {
      const parsed = this.checkCondition(condition, source, index);
      if (parsed && source === 'syscall' && item.fields.enabled !== false && !this.restrictsEventType(parsed)) {
        this.report('warning', 'condition does not restrict evt.type, so Falco evaluates it for every event', condition,
          'start the condition with a check such as "evt.type in (open, openat)" or a macro like spawned_process');
      }
    }
    const output = this.requireString(item, 'output');
    if (output !== undefined) this.checkOutput(output, source);
    defined.exceptions = this.checkExceptions(item.fields.exceptions, source);
  }

  /** Falco skips the rules of a source it does not have, with only a warning in its log. */
  private checkSource(source: string): void {
    if (!this.sources || this.sources.has(source)) return;
    const have = [...this.sources].join(', ');
    const fix = source === 'syscall'
      ? 'a syscall rule needs a syscall driver: use a FalcoDriver other than none() (in a DaemonSet), or set the rule\'s source to one of: ' + have
      : `load a plugin of that source (e.g. FalcoPlugin.k8sAudit() for k8s_audit), or set the rule's source to one of: ${have || 'none'}`;
    this.report('error', `source "${source}" is not an event source of this Falco, so Falco would skip the rule`, source, fix);
  }

  private isEnableOnly(item: RulesItem): boolean {
    return Object.keys(item.fields).every((k) => k === 'rule' || k === 'enabled');
  }

  private checkRuleOverride(item: RulesItem, index: number): void {
    const earlier = this.requireEarlier(this.rules, 'rule');
    const source = earlier?.source ?? 'syscall';
    const modes = new Map<string, string | undefined>();
    for (const key of Object.keys(item.fields).filter((k) => !['rule', 'override', 'append'].includes(k))) {
      const mode = this.overrideOf(item, key);
      modes.set(key, mode);
      if (mode === 'append' && (key === 'priority' || key === 'enabled')) {
        this.report('error', `cannot append to "${key}"`, 'append', `use override: { ${key}: replace }`);
      }
    }
    const condition = modes.has('condition') ? this.requireString(item, 'condition') : undefined;
    if (condition !== undefined && earlier) {
      earlier.condition = modes.get('condition') === 'append' ? `${earlier.condition} ${condition}` : condition;
      this.checkCondition(earlier.condition, source, index);
    }
    if (item.fields.priority !== undefined) this.checkPriority(item.fields.priority);
    if (item.fields.tags !== undefined) this.checkTags(item.fields.tags);
    const output = item.fields.output === undefined ? undefined : this.requireString(item, 'output');
    if (output !== undefined) this.checkOutput(output, source);
    if (item.fields.exceptions !== undefined) {
      // Appended exceptions add values to those of the same name; replaced ones start over.
      const appending = modes.get('exceptions') === 'append';
      const added = this.checkExceptions(item.fields.exceptions, source, appending ? earlier?.exceptions ?? new Map() : undefined);
      if (earlier) earlier.exceptions = appending ? new Map([...earlier.exceptions ?? [], ...added]) : added;
    }
  }

  private requireString(item: RulesItem, key: string): string | undefined {
    const value = item.fields[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      this.report('error', `${key} must be a non-empty string`, value, `write ${key}: followed by text`);
      return undefined;
    }
    return value;
  }

  private checkPriority(priority: unknown): void {
    if (typeof priority !== 'string' || !PRIORITIES.has(priority.toUpperCase())) {
      this.report('error', 'priority is not a Falco priority', priority,
        `use one of ${Object.values(FalcoPriority).join(', ')}${didYouMean(String(priority).toUpperCase(), PRIORITIES)}`);
    }
  }

  private checkTags(tags: unknown): void {
    if (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string'))) {
      this.report('error', 'tags must be a list of strings', tags, 'write tags: [container, mitre_execution]');
    }
  }

  /** Parses and checks references and fields; returns the tree when it parsed. */
  private checkCondition(condition: string, source: string | undefined, index: number): ConditionNode | undefined {
    const parsed = parseCached(condition);
    if (parsed instanceof ConditionSyntaxError) {
      this.report('error', `condition has a syntax error at offset ${parsed.offset}: ${parsed.reason}`,
        excerpt(condition, parsed.offset), 'fix the condition near that offset');
      return undefined;
    }
    this.checkReferences(parsed, index);
    const catalogue = this.catalogue(source);
    if (catalogue) forEachField(parsed, (field) => this.checkField(field, catalogue, 'condition'));
    return parsed;
  }

  private checkReferences(node: ConditionNode, index: number): void {
    switch (node.kind) {
      case 'and':
      case 'or':
        node.children.forEach((c) => this.checkReferences(c, index));
        return;
      case 'not':
        this.checkReferences(node.child, index);
        return;
      case 'macro':
        this.checkMacroRef(node.name, node.offset, index);
        return;
      case 'check':
        if (node.right?.kind === 'value' && !node.right.quoted && ['in', 'intersects', 'pmatch'].includes(node.operator)) {
          this.checkListRef(node.right.value, node.right.offset, true);
        } else if (node.right?.kind === 'list') {
          node.right.items.filter((v) => !v.quoted).forEach((v) => this.checkListRef(v.value, v.offset, false));
        }
        return;
    }
  }

  private checkMacroRef(name: string, offset: number, index: number): void {
    if (this.macros.has(name)) return;
    const later = this.laterMacros.get(name);
    // Falco compiles rules after loading every file, so a rule sees all macros (the
    // upstream ruleset relies on this); a macro sees only the macros before it.
    if (later !== undefined && this.current.kind === 'rule') return;
    if (later !== undefined && later > index) {
      this.report('error', `condition references macro "${name}" at offset ${offset}, which is defined later in the file`, name,
        'Falco resolves macros in load order: move the macro above this item');
      return;
    }
    this.report('error', `condition references macro "${name}" at offset ${offset}, which is not defined${didYouMean(name, this.macros.keys())}`, name,
      'define the macro before this item (or in a rules file loaded earlier), or fix the name');
  }

  /**
   * A bare word inside `(...)` is a list name when such a list exists, else a
   * literal: a near miss of a list name is almost certainly a typo.
   */
  private checkListRef(name: string, offset: number, mustExist: boolean): void {
    if (this.lists.has(name)) return;
    if (mustExist) {
      this.report('error', `condition references list "${name}" at offset ${offset}, which is not defined${didYouMean(name, this.lists.keys())}`, name,
        'define the list before this item, or write the values in parentheses');
      return;
    }
    // Values are literals far more often than misspelt lists: look for a near
    // list name only where list names have their tell-tale underscore.
    const hint = name.includes('_') ? didYouMean(name, this.lists.keys()) : '';
    if (hint) {
      this.report('warning', `condition value "${name}" at offset ${offset} is not a list, so it matches only the literal text${hint}`, name,
        'fix the list name, or quote the value if it is meant literally');
    }
  }

  private catalogue(source: string | undefined): FieldCatalogue[] | undefined {
    if (source === 'syscall') return this.plugins.has('container') ? [SYSCALL_FIELDS, CONTAINER_PLUGIN_FIELDS] : [SYSCALL_FIELDS];
    if (source === 'k8s_audit') return [K8S_AUDIT_FIELDS];
    // A macro may serve rules of any source; other plugin sources have no catalogue here.
    return source === undefined ? [...this.catalogue('syscall')!, K8S_AUDIT_FIELDS] : undefined;
  }

  private checkField(field: FieldNode, catalogues: FieldCatalogue[], where: string): void {
    let name = field.name;
    let arg = field.arg;
    let kind = lookup(catalogues, name);
    if (kind === undefined) {
      // `evt.arg.flags`, `container.label.app`: the argument follows a dot.
      for (let dot = name.lastIndexOf('.'); dot > 0 && kind === undefined; dot = name.lastIndexOf('.', dot - 1)) {
        const base = lookup(catalogues, name.slice(0, dot));
        if (base !== undefined && base !== FieldArgument.NONE && arg === undefined) {
          kind = base;
          arg = name.slice(dot + 1);
          name = name.slice(0, dot);
        }
      }
    }
    if (kind === undefined) {
      const all = catalogues.flatMap((c) => [...c.keys()]);
      const pluginHint = CONTAINER_PLUGIN_FIELDS.has(field.name) || CONTAINER_PLUGIN_FIELDS.has(field.name.replace(/\.[^.]*$/, ''))
        ? 'declare the container plugin (required_plugin_versions: [{ name: container, version: 0.4.0 }])'
        : 'use a field of this source (see `falco --list`)';
      this.report('error', `${where} uses unknown field "${field.name}" at offset ${field.offset}${didYouMean(field.name, all)}`, field.name, pluginHint);
    } else if (kind === FieldArgument.REQUIRED && arg === undefined) {
      this.report('error', `${where} uses field "${name}" at offset ${field.offset} without the argument it requires`, name,
        `add an argument, e.g. ${name}[name] or ${name}.name`);
    } else if (kind === FieldArgument.NONE && arg !== undefined) {
      this.report('error', `${where} passes an argument to field "${name}" at offset ${field.offset}, which takes none`, `${name}[${arg}]`,
        `remove "[${arg}]"`);
    }
  }

  private checkOutput(output: string, source: string): void {
    let placeholders;
    try {
      placeholders = parseOutput(output);
    } catch (e) {
      const error = e as ConditionSyntaxError;
      this.report('error', `output has a malformed placeholder at offset ${error.offset}: ${error.reason}`, excerpt(output, error.offset),
        'write placeholders as %field or %field[arg]');
      return;
    }
    const catalogue = this.catalogue(source);
    if (!catalogue) return;
    for (const placeholder of placeholders) {
      forEachField({ kind: 'check', left: placeholder.operand, operator: 'exists', offset: 0 }, (f) => this.checkField(f, catalogue, 'output'));
    }
  }

  /**
   * Checks `exceptions` as Falco's loader does (rule_loader_reader.cpp read_rule_exceptions,
   * rule_loader_collector.cpp define/append and validate_exception_info).
   * @param earlier exception names of the rule an override appends to; undefined for a rule definition
   */
  private checkExceptions(exceptions: unknown, source: string, earlier?: Map<string, ExceptionShape>): Map<string, ExceptionShape> {
    const shapes = new Map<string, ExceptionShape>();
    if (exceptions === undefined || exceptions === null) return shapes;
    if (!Array.isArray(exceptions)) {
      this.report('error', 'exceptions must be a list', exceptions, 'write exceptions: [{ name, fields, comps, values }]');
      return shapes;
    }
    const names = new Set<string>();
    for (const exception of exceptions as Record<string, unknown>[]) {
      const name = exception?.name;
      if (typeof name !== 'string' || name === '') {
        this.report('error', 'exception has no name', exception, 'give every exception a unique name');
        continue;
      }
      // Falco only warns (LOAD_EXCEPTION_NAME_NOT_UNIQUE) and applies both.
      if (names.has(name)) this.report('warning', `exception "${name}" is defined twice`, name, 'give every exception a unique name');
      names.add(name);
      const existing = earlier?.get(name);
      if (existing) {
        this.checkExceptionAppend(name, exception, existing);
      } else {
        if (earlier && exception.values === undefined) {
          this.report('error', `exception "${name}" is new to the rule but has no values`, exception, 'give it values, or name an exception the rule already has');
        }
        const shape = this.checkException(name, exception, source);
        if (shape) shapes.set(name, shape);
      }
    }
    return shapes;
  }

  /** Appending to an exception the rule has: values only. */
  private checkExceptionAppend(name: string, exception: Record<string, unknown>, shape: ExceptionShape): void {
    const locked = ['fields', 'comps'].filter((k) => exception[k] !== undefined);
    if (locked.length > 0) {
      this.report('error', `exception "${name}" already exists, so only values can be appended to it`, locked,
        `drop ${locked.join(' and ')}, or give the exception a new name`);
    }
    this.checkValues(name, exception.values, shape);
  }

  private checkException(name: string, exception: Record<string, unknown>, source: string): ExceptionShape | undefined {
    const { fields, comps, values } = exception;
    // A single field compares each value on its own; a list of fields compares rows (tuples).
    const tuple = Array.isArray(fields);
    const fieldList = tuple ? fields as unknown[] : [fields];
    if (fields === undefined || fieldList.length === 0 || fieldList.some((f) => typeof f !== 'string' || f === '')) {
      this.report('error', `exception "${name}" fields must be a field name or a list of field names`, fields, 'write fields: [proc.name, fd.name]');
      return undefined;
    }
    const catalogue = this.catalogue(source);
    for (const field of fieldList as string[]) {
      if (!catalogue) break;
      try {
        const parsed = parseCondition(`${field} exists`);
        forEachField(parsed, (f) => this.checkField(f, catalogue, `exception "${name}"`));
      } catch {
        this.report('error', `exception "${name}" has an invalid field`, field, 'write a field name such as proc.name');
      }
    }
    if (comps !== undefined) this.checkComps(name, comps, fieldList.length, tuple);
    const shape: ExceptionShape = tuple ? fieldList as string[] : 'single';
    this.checkValues(name, values, shape);
    return shape;
  }

  /** comps defaults to `=` per field of a list, and to `in` for a single field. */
  private checkComps(name: string, comps: unknown, fieldCount: number, tuple: boolean): void {
    const compList = Array.isArray(comps) ? comps : [comps];
    if (tuple !== Array.isArray(comps) || compList.length !== fieldCount) {
      this.report('error', `exception "${name}" has ${compList.length} comps for ${fieldCount} fields`, comps,
        'give one operator per field, in the same form (a list when fields is a list)');
      return;
    }
    for (const raw of compList) {
      const comp = typeof raw === 'string' ? raw.trim() : raw;
      if (typeof comp !== 'string' || comp === '') {
        this.report('error', `exception "${name}" has an empty comp`, raw, 'write an operator such as = or startswith');
      } else if (!tuple && !SINGLE_FIELD_COMPS.includes(comp) && !isModifiedComp(comp)) {
        this.report('error', `exception "${name}" compares its single field with "${comp}", which takes one value, not the values list`, comp,
          `use one of ${SINGLE_FIELD_COMPS.join(', ')} or a modified operator such as "startswith oneof" (or make fields a list)`);
      } else if (tuple && !EXCEPTION_COMPS.has(comp) && !isModifiedComp(comp)) {
        this.report('error', `exception "${name}" uses unknown operator "${comp}"${didYouMean(comp, EXCEPTION_COMPS)}`, comp,
          `use one of ${[...EXCEPTION_COMPS].join(', ')}, or one of ${MODIFIABLE_COMPS.join(', ')} followed by oneof, anyof or allof`);
      }
    }
  }

  /**
   * values: rows of one value per field when fields is a list (a value may itself be a
   * list, for list operators); plain values when fields is a single field. Falco rejects
   * an empty value anywhere.
   */
  private checkValues(name: string, values: unknown, shape: ExceptionShape): void {
    if (values === undefined || values === null) return;
    if (!Array.isArray(values)) {
      this.report('error', `exception "${name}" values must be a list`, values, 'write values: [[a, b]]');
      return;
    }
    const empty = (v: unknown): boolean => (Array.isArray(v) ? v.some(empty) : v === '');
    values.forEach((row, i) => {
      if (empty(row)) {
        this.report('error', `exception "${name}" values[${i}] contains an empty value`, row, 'remove it, or quote the text it should match');
      } else if (shape !== 'single' && (!Array.isArray(row) || row.length !== shape.length)) {
        this.report('error', `exception "${name}" values[${i}] has ${Array.isArray(row) ? row.length : 1} values for ${shape.length} fields`, row,
          `give one value per field: [${shape.join(', ')}]`);
      } else if (shape === 'single' && Array.isArray(row)) {
        this.report('error', `exception "${name}" values[${i}] is a list, but fields is a single field`, row,
          'list plain values (values: [a, b]), or make fields a list with one value per field in each row');
      }
    });
  }

  /** Whether every event matching the condition has an `evt.type` named in it. */
  private restrictsEventType(node: ConditionNode, seen: ReadonlySet<string> = NONE_SEEN): boolean {
    switch (node.kind) {
      case 'and': return node.children.some((c) => this.restrictsEventType(c, seen));
      case 'or': return node.children.every((c) => this.restrictsEventType(c, seen));
      case 'not': return false;
      case 'check': return node.left.kind === 'field' && node.left.name === 'evt.type' && ['=', '==', 'in'].includes(node.operator);
      case 'macro': {
        const condition = this.macros.get(node.name)?.condition;
        if (condition === undefined || seen.has(node.name)) return true; // already reported as unknown
        const parsed = parseCached(condition);
        return parsed instanceof ConditionSyntaxError || this.restrictsEventType(parsed, new Set([...seen, node.name]));
      }
    }
  }
}

function lookup(catalogues: FieldCatalogue[], name: string): FieldArgument | undefined {
  for (const c of catalogues) {
    const kind = c.get(name);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

/** The text at an error offset, for the `(got ...)` part of a message. */
function excerpt(text: string, offset: number): string {
  return offset >= text.length ? 'the end of the text' : text.slice(offset, offset + 30);
}
