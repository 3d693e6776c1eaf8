import { validationMessage } from '../../common/validation';
import { FalcoPriority } from '../priority';
import {
  CheckNode, ConditionNode, FieldNode, FieldOperand, forEachCheck, forEachField, forEachOperandField, TransformerArgument, TransformerNode, ValueNode,
  ValueOperand,
} from './condition-ast';
import { ConditionSyntaxError, parseCondition } from './condition-parser';
import { ALL_TYPES, EventTypes, intersectTypes, invertTypes, NO_TYPES, unionTypes } from './event-types';
import { ExceptionCheckContext, ExceptionChecks } from './exception-checks';
import { FalcoDiagnostic } from './falco-items';
import {
  ARGUMENT_FORMS, ArgumentForm, DEPRECATED_FIELDS, EVENT_ARGUMENTS, EVENT_TYPES, FIELD_TYPES, FieldArgument, FieldCatalogue, fieldClasses,
  FieldType, GENERIC_FIELDS, NO_RHS_FIELDS, NO_TRANSFORMER_FIELDS, supportedOperators, SYSCALL_FIELDS, UNSUPPORTED_OPERATORS,
} from './field-catalogue';
import { resolveListItems } from './loaded-rules';
import { parseOutput } from './output-format';
import { ExceptionShape, pastedListItem, PastedValue } from './pasted-values';
import {
  extractsFrom, hasFieldTable, laterVersion, newestSourceFields, newestTabledVersion, pluginArgumentForm, pluginFieldClasses, pluginFields,
  pluginSource, satisfiesRequirement,
} from './plugin-catalogue';
import { describeItem, RulesItem } from './rules-item';
import { needsRegex, operatorValueProblem, STRING_TRANSFORMERS, valueProblem } from './value-checks';
import { closest, didYouMean } from '../../common/did-you-mean';
import { re2Problem } from '../../common/re2-syntax';

const NOT_BLANK = /\S/;
const SYSCALL_CLASSES = fieldClasses(SYSCALL_FIELDS);
/** A field placeholder of an output, `%krsi.name`: its class. */
const PRINTED_FIELD_CLASS = /%([a-z][a-z0-9_]*)\.[a-z]/g;
const NO_VALUES: ValueNode[] = [];
/** What a transformer on the left-hand side returns (libsinsp sinsp_filter_transformer); b64 is typed by its argument. */
const TRANSFORMER_RESULTS: Record<string, FieldType | undefined> = {
  len: FieldType.INTEGER,
  getopt: FieldType.LIST,
  join: FieldType.STRING,
  concat: FieldType.STRING,
  toupper: FieldType.STRING,
  tolower: FieldType.STRING,
  basename: FieldType.STRING,
};
const NO_MACROS: ReadonlySet<string> = new Set();
/** Operators whose values libsinsp reads as event type names when the field is evt.type. */
const EVENT_TYPE_COMPARISONS = new Set(['=', '==', '!=', 'in', 'intersects']);
/** Operators from which libsinsp's ppm_event_codes derives a rule's event types. */
const EVENT_TYPE_FILTERS = new Set(['=', '==', '!=', 'in']);
const FIELD_LIKE = /^[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+(\[[^\]]*\])?$/;
const TRANSFORMER_LIKE = /^(tolower|toupper|b64|basename|len|join|concat|getopt|val)\(.*\)$/;

/** evt.type and syscall.type: compared by event code, which transformers cannot produce. */
function isEventCode(f: TransformerArgument | ValueOperand): boolean {
  return f.kind === 'field' && (f.name === 'evt.type' || f.name === 'syscall.type');
}
const PRIORITIES = new Set<string>([...Object.values(FalcoPriority), 'INFO']);
const RULE_REQUIRED_KEYS = ['desc', 'condition', 'output', 'priority'];
const KNOWN_KEYS: Record<string, string[]> = {
  rule: ['rule', 'desc', 'condition', 'output', 'priority', 'tags', 'source', 'enabled', 'exceptions', 'override', 'append', 'warn_evttypes', 'skip-if-unknown-filter', 'capture', 'capture_duration'],
  macro: ['macro', 'condition', 'override', 'append'],
  list: ['list', 'items', 'override', 'append'],
  required_engine_version: ['required_engine_version'],
  required_plugin_versions: ['required_plugin_versions'],
};

const KNOWN_KEY_SETS: Record<string, ReadonlySet<string>> = Object.fromEntries(
  Object.entries(KNOWN_KEYS).map(([kind, keys]) => [kind, new Set(keys)]));

/** Settings that widen what the validator accepts. */
export interface ValidatorOptions {
  /** Plugins loaded in addition to those the files declare. */
  readonly plugins: string[];
  /** Macros defined by files loaded earlier whose content is not at hand (e.g. the upstream ruleset). */
  readonly externalMacros?: readonly string[];
  /** Lists defined by files loaded earlier whose content is not at hand. */
  readonly externalLists?: readonly string[];
  /** Rules defined by files loaded earlier whose content is not at hand: overrides may change them. */
  readonly externalRules?: readonly string[];
  /** The event sources of the loading Falco; undefined accepts any. */
  readonly sources?: readonly string[];
  /**
   * The plugins the loading Falco installs, by name, with their versions where
   * known (e.g. `0.16` from a falcoctl tag, or '' when unknown). When given, every
   * `required_plugin_versions` entry must be met by them, as Falco checks at start-up.
   */
  readonly installed?: Readonly<Record<string, string>>;
}


interface Defined {
  readonly index: number;
  condition?: string;
  source?: string;
  /** The rule's exceptions by name. */
  exceptions?: ReadonlyMap<string, ExceptionShape>;
}

/**
 * Checks rules files the way Falco's loader reads them: in order, each item
 * seeing only the items before it. `dependencies` are checked for context
 * only; diagnostics concern `items`.
 */
export function validateItems(dependencies: RulesItem[], items: RulesItem[], options: ValidatorOptions): FalcoDiagnostic[] {
  return new Validator(options).run(dependencies, items);
}

class Validator implements ExceptionCheckContext {
  /** Each diagnostic with the position of its item, to report in file order. */
  private readonly diagnostics: Array<{ at: number; diagnostic: FalcoDiagnostic }> = [];
  private readonly macros = new Map<string, Defined>();
  private readonly lists = new Map<string, Defined>();
  private readonly rules = new Map<string, Defined>();
  private readonly laterMacros = new Map<string, number>();
  /** Every list of every file: Falco substitutes list names into conditions regardless of load order. */
  private readonly allLists = new Set<string>();
  /** The lists of every file and the external ones: what a name in a condition may refer to. */
  private readonly knownLists = new Set<string>();
  /** Each list's items once every file is loaded (appends and replacements applied), as rules see them. */
  private readonly listItems = new Map<string, string[]>();
  private readonly plugins: Set<string>;
  private readonly sources?: ReadonlySet<string>;
  private readonly installed?: Readonly<Record<string, string>>;
  /** The highest version each plugin is required at by the files. */
  private readonly requiredVersions = new Map<string, string>();
  private readonly catalogues = new Map<string, FieldCatalogue[] | undefined>();
  private syscallCatalogue: FieldCatalogue[] = [SYSCALL_FIELDS];
  /** Every catalogue in play: what a macro no rule uses may draw on. */
  private anyCatalogue: FieldCatalogue[] = [SYSCALL_FIELDS];
  /** The sources of the rules that use each macro, directly or through other macros. */
  private readonly macroSources = new Map<string, Set<string>>();
  /** Field classes of no known plugin that rule outputs print; computed when first needed. */
  private printedUnknownClasses?: string[];
  private allItems: RulesItem[] = [];
  /** The sources already noted as having no field table. */
  private readonly uncheckedSources = new Set<string>();
  /** Each used list's items, and what Falco reads from them once pasted into a condition. */
  private readonly pastedLists = new Map<string, Array<{ item: string } & PastedValue>>();
  /** Macro conditions by text, parsed once: every rule that uses a macro expands it. */
  private readonly parsedMacros = new Map<string, ConditionNode | ConditionSyntaxError>();
  private readonly exceptions = new ExceptionChecks(this);
  private reporting = false;
  private current!: RulesItem;
  private currentIndex = 0;

  constructor(options: ValidatorOptions) {
    this.plugins = new Set(options.plugins);
    this.sources = options.sources ? new Set(options.sources) : undefined;
    this.installed = options.installed;
    // Known by name only: references resolve, and an external macro counts as
    // restricting evt.type (its content cannot be inspected).
    (options.externalMacros ?? []).forEach((name) => this.macros.set(name, { index: -1 }));
    (options.externalRules ?? []).forEach((name) => this.rules.set(name, { index: -1 }));
    (options.externalLists ?? []).forEach((name) => {
      this.lists.set(name, { index: -1 });
      this.knownLists.add(name);
    });
  }

  public run(dependencies: RulesItem[], items: RulesItem[]): FalcoDiagnostic[] {
    const all = [...dependencies, ...items];
    this.allItems = all;
    // Plugins are loaded before any rules file, so a declaration anywhere counts.
    all.filter((i) => i.kind === 'required_plugin_versions').forEach((i) => this.declarePlugins(i));
    this.syscallCatalogue = this.catalogue('syscall')!;
    const sources = new Set(['syscall', 'k8s_audit', ...[...this.plugins].flatMap((p) => pluginSource(p) ?? [])]);
    this.anyCatalogue = [...new Set([...sources].flatMap((source) => this.catalogue(source) ?? []))];
    all.forEach((item, index) => {
      if (item.kind === 'macro' && !this.laterMacros.has(item.name)) this.laterMacros.set(item.name, index);
      if (item.kind === 'list') {
        this.allLists.add(item.name);
        this.knownLists.add(item.name);
      }
    });
    for (const [name, values] of resolveListItems(all)) this.listItems.set(name, values);
    all.forEach((item, index) => {
      this.reporting = index >= dependencies.length;
      this.current = item;
      this.currentIndex = index;
      this.checkKeys(item);
      if ((item.kind === 'rule' || item.kind === 'macro' || item.kind === 'list') && item.name.trim() === '') {
        // Falco refuses the file ("Rule name is empty"); a blank name is as unusable.
        this.report('error', `${item.kind} name is empty`, item.name, `give the ${item.kind} a name`);
        return;
      }
      if (item.kind === 'list') this.checkList(item, index);
      else if (item.kind === 'macro') this.checkMacro(item, index);
      else if (item.kind === 'rule') this.checkRule(item, index);
      else if (item.kind === 'required_plugin_versions') this.checkInstalledPlugins(item);
    });
    this.checkMacroFields(all, dependencies.length);
    // Macros are checked last, once their rules are known: sort back into file order (a stable sort).
    return this.diagnostics.sort((a, b) => a.at - b.at).map((d) => d.diagnostic);
  }

  /**
   * Falco compiles a macro into each rule that uses it, against the fields of
   * that rule's source: a macro is checked once per source of the rules using it
   * (at its final definition, as Falco compiles rules once every file is loaded),
   * and a macro no rule uses against every source in play.
   */
  private checkMacroFields(all: RulesItem[], firstReported: number): void {
    const definitions = new Map<string, { item: RulesItem; index: number }>();
    all.forEach((item, index) => {
      if (item.kind === 'macro' && !definitions.has(item.name)) definitions.set(item.name, { item, index });
    });
    for (const [name, { item, index }] of definitions) {
      const condition = this.macros.get(name)?.condition;
      if (condition === undefined) continue;
      const parsed = this.parse(condition, true);
      if (parsed instanceof ConditionSyntaxError) continue;
      this.current = item;
      this.currentIndex = index;
      this.reporting = index >= firstReported;
      const sources = this.macroSources.get(name);
      const catalogues = sources ? [...sources].map((s) => this.catalogue(s)) : [this.anyCatalogue];
      for (const catalogue of catalogues) {
        if (!catalogue) continue;
        forEachField(parsed, (field) => this.checkField(field, catalogue, 'condition'));
        forEachCheck(parsed, (check) => this.checkOperands(check));
      }
    }
  }

  /** Records that rules of `source` use the macros `node` refers to, and the macros those refer to. */
  private useMacros(node: ConditionNode, source: string): void {
    switch (node.kind) {
      case 'and':
      case 'or':
        node.children.forEach((c) => this.useMacros(c, source));
        return;
      case 'not':
        this.useMacros(node.child, source);
        return;
      case 'macro': {
        let sources = this.macroSources.get(node.name);
        if (sources?.has(source)) return;
        if (!sources) this.macroSources.set(node.name, sources = new Set());
        sources.add(source);
        const condition = this.macros.get(node.name)?.condition;
        const parsed = condition === undefined ? undefined : this.parse(condition, true);
        if (parsed && !(parsed instanceof ConditionSyntaxError)) this.useMacros(parsed, source);
        return;
      }
      default:
    }
  }

  /**
   * A rule's condition is parsed where it is checked and then dropped: keeping
   * thousands of trees alive until the end costs more in GC than parsing.
   */
  private parse(text: string, macro: boolean): ConditionNode | ConditionSyntaxError {
    let parsed = macro ? this.parsedMacros.get(text) : undefined;
    if (!parsed) {
      try {
        parsed = parseCondition(text);
      } catch (e) {
        parsed = e as ConditionSyntaxError;
      }
      if (macro) this.parsedMacros.set(text, parsed);
    }
    return parsed;
  }

  public report(severity: 'error' | 'warning' | 'note', what: string, value: unknown, fix: string): void {
    if (!this.reporting) return;
    const message = validationMessage(describeItem(this.current), what, value, fix);
    // A macro checked for several sources would repeat what holds for all of them.
    if (this.current.kind === 'macro' && this.diagnostics.some((d) => d.at === this.currentIndex && d.diagnostic.message === message)) return;
    this.diagnostics.push({ at: this.currentIndex, diagnostic: { severity, item: this.current.name, message } });
  }

  private declarePlugins(item: RulesItem): void {
    for (const alternatives of requirements(item)) {
      for (const { name, version } of alternatives) {
        this.plugins.add(name);
        if (version !== undefined) this.requiredVersions.set(name, laterVersion(this.requiredVersions.get(name), version));
      }
    }
  }

  /**
   * Falco refuses to start when a rules file requires a plugin it does not load,
   * or at a version the loaded one does not satisfy (falco_engine
   * check_plugin_requirements): the first alternative loaded is the one checked.
   */
  private checkInstalledPlugins(item: RulesItem): void {
    if (!this.installed) return;
    for (const alternatives of requirements(item)) {
      const names = alternatives.map((a) => a.name);
      const loaded = alternatives.find((a) => this.installed![a.name] !== undefined);
      if (!loaded) {
        this.report('error', `requires plugin ${names.map((n) => `"${n}"`).join(' or ')}, which this Falco does not load, so Falco would refuse to start`, names,
          `load the plugin (e.g. FalcoPlugin.custom({ name: '${names[0]}', ... })), or load a rules file that does not need it`);
        continue;
      }
      const have = this.installed[loaded.name];
      if (loaded.version !== undefined && have !== '' && !satisfiesRequirement(have, loaded.version)) {
        this.report('error', `requires plugin "${loaded.name}" ${loaded.version}, but this Falco installs ${have}: Falco would refuse to start `
          + `("Plugin '${loaded.name}' version '${have}' is not compatible with required plugin version '${loaded.version}'")`, `${loaded.name} ${have}`,
        `install ${loaded.name} ${loaded.version.replace(/^(\d+\.\d+).*$/, '$1')} or later (its falcoctl artifact tag), or load the rules file release made for ${have}`);
      }
    }
  }

  private checkKeys(item: RulesItem): void {
    const known = KNOWN_KEYS[item.kind];
    for (const key in item.fields) {
      if (!KNOWN_KEY_SETS[item.kind].has(key)) {
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
    const condition = this.requireString(item.fields.condition, 'condition');
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
    const source = this.requireString(f.source, 'source') ?? 'syscall';
    this.checkSource(source);
    if (!this.catalogue(source) && !this.uncheckedSources.has(source)) {
      this.uncheckedSources.add(source);
      this.report('note', `source "${source}" comes from a plugin the library has no field table for, so the fields of its rules are not checked`, source,
        'check them with `falco --list` where the plugin is loaded');
    }
    const condition = this.requireString(f.condition, 'condition');
    this.checkPriority(item.fields.priority);
    this.requireString(f.desc, 'desc');
    this.checkTags(item.fields.tags);
    if (condition !== undefined) {
      const parsed = this.checkCondition(condition, source, index);
      const types = parsed && source === 'syscall' && item.fields.enabled !== false && item.fields.warn_evttypes !== false
        ? this.eventTypes(parsed, false, NO_MACROS) : undefined;
      if (types?.all) {
        this.report('warning', 'condition does not restrict evt.type, so Falco evaluates it for every event', condition,
          'start the condition with a check such as "evt.type in (open, openat)" or a macro like spawned_process');
      } else if (types?.names.size === 0) {
        this.report('warning', 'condition matches no evt.type: its evt.type checks exclude each other, which Falco reports as matching too many', condition,
          'make the evt.type checks overlap (e.g. not "evt.type = open and evt.type = execve"), or remove the contradiction');
      }
    }
    const output = this.requireString(f.output, 'output');
    if (output !== undefined) this.checkOutput(output, source);
    if (this.rules.has(item.name)) {
      this.report('warning', 'is defined again, so Falco keeps only this definition and drops the earlier one', item.name,
        'rename one of them, or change the earlier rule with an override (FalcoRules.overrideRule) instead of defining it again');
    }
    this.rules.set(item.name, { index, condition, source, exceptions: this.exceptions.check(item.fields.exceptions, source) });
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
    for (const key in item.fields) {
      if (key !== 'rule' && key !== 'enabled') return false;
    }
    return true;
  }

  private checkRuleOverride(item: RulesItem, index: number): void {
    if (!this.isOverride(item)) {
      this.report('warning', 'turns the rule on or off with "enabled" alone, which Falco 0.44 deprecates (LOAD_DEPRECATED_ITEM)', item.fields.enabled,
        'add override: { enabled: replace } (FalcoRules.disableRule() writes it so)');
    }
    const earlier = this.requireEarlier(this.rules, 'rule');
    // Without the rule, its source is unknown (''): its fields cannot be checked.
    const source = earlier ? earlier.source ?? 'syscall' : '';
    const modes = new Map<string, string | undefined>();
    for (const key of Object.keys(item.fields).filter((k) => !['rule', 'override', 'append'].includes(k))) {
      const mode = this.overrideOf(item, key);
      modes.set(key, mode);
      if (mode === 'append' && (key === 'priority' || key === 'enabled')) {
        this.report('error', `cannot append to "${key}"`, 'append', `use override: { ${key}: replace }`);
      }
    }
    const condition = modes.has('condition') ? this.requireString(item.fields.condition, 'condition') : undefined;
    // An appended condition is a fragment: it can be checked only with the condition it extends.
    const appendsToUnknown = earlier?.condition === undefined && modes.get('condition') === 'append';
    if (condition !== undefined && earlier && !appendsToUnknown) {
      earlier.condition = modes.get('condition') === 'append' ? `${earlier.condition} ${condition}` : condition;
      this.checkCondition(earlier.condition, source, index);
    }
    if (item.fields.priority !== undefined) this.checkPriority(item.fields.priority);
    if (item.fields.tags !== undefined) this.checkTags(item.fields.tags);
    const output = this.requireString(item.fields.output, 'output');
    if (output !== undefined) this.checkOutput(output, source);
    if (item.fields.exceptions !== undefined) {
      // Appended exceptions add values to those of the same name; replaced ones start over.
      const appending = modes.get('exceptions') === 'append';
      const added = this.exceptions.check(item.fields.exceptions, source, appending ? earlier?.exceptions ?? new Map() : undefined);
      if (earlier) earlier.exceptions = appending ? new Map([...earlier.exceptions ?? [], ...added]) : added;
    }
  }

  /** `value` when it is a string with text in it; undefined (reported unless absent) otherwise. */
  private requireString(value: unknown, key: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !hasText(value)) {
      this.report('error', `${key} must be a non-empty string`, value, `write ${key}: followed by text`);
      return undefined;
    }
    return value;
  }

  private checkPriority(priority: unknown): void {
    // Falco reads priorities in any case; most are written as declared, so look that up first.
    if (typeof priority !== 'string' || !(PRIORITIES.has(priority) || PRIORITIES.has(priority.toUpperCase()))) {
      this.report('error', 'priority is not a Falco priority', priority,
        `use one of ${Object.values(FalcoPriority).join(', ')}${didYouMean(String(priority).toUpperCase(), PRIORITIES)}`);
    }
  }

  private checkTags(tags: unknown): void {
    if (tags !== undefined && (!Array.isArray(tags) || !tags.every(isString))) {
      this.report('error', 'tags must be a list of strings', tags, 'write tags: [container, mitre_execution]');
    }
  }

  /** Parses and checks references and fields; returns the tree when it parsed. */
  private checkCondition(condition: string, source: string | undefined, index: number): ConditionNode | undefined {
    const parsed = this.parse(condition, source === undefined);
    if (parsed instanceof ConditionSyntaxError) {
      this.report('error', `condition has a syntax error at offset ${parsed.offset}: ${parsed.reason}`,
        excerpt(condition, parsed.offset), 'fix the condition near that offset');
      return undefined;
    }
    this.checkReferences(parsed, index);
    // A macro's fields are checked against the sources of the rules that use it, once all are loaded.
    if (source === undefined) return parsed;
    const catalogue = this.catalogue(source);
    if (catalogue) {
      forEachField(parsed, (field) => this.checkField(field, catalogue, 'condition'));
      forEachCheck(parsed, (check) => this.checkOperands(check));
    }
    this.useMacros(parsed, source);
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
        if (node.right?.kind === 'value' && !node.right.quoted) {
          this.checkBareValue(node.right, node.operator);
        } else if (node.right?.kind === 'list') {
          node.right.items.filter((v) => !v.quoted).forEach((v) => this.checkListRef(v.value, v.offset));
        }
        return;
    }
  }

  private checkMacroRef(name: string, offset: number, index: number): void {
    if (this.current.kind === 'macro' && this.current.name === name) {
      // Falco expands macros into each other: its resolver stops with "reference loop in macro".
      this.report('error', `condition references macro "${name}" at offset ${offset}, which is the macro itself (a reference loop)`, name,
        'a macro cannot use itself: to extend it, override it with append and write only the added condition');
      return;
    }
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
   * Falco pastes a list's items, comma-separated, in place of its name before
   * parsing: `in shell_binaries` becomes `in bash, sh`, which does not parse.
   */
  private checkBareValue(value: ValueNode, operator: string): void {
    const name = value.value;
    if (this.isList(name)) {
      this.report('error', `condition uses list "${name}" at offset ${value.offset} without parentheses`, name,
        `write (${name}): Falco replaces a list name with its items, so only a parenthesised list name parses`);
    } else if (['in', 'intersects', 'pmatch'].includes(operator) || operator.includes(' ')) {
      // Falco reads an unknown name here as the one literal value.
      this.report('warning', `condition value "${name}" at offset ${value.offset} is not a list, so it matches only the literal text${didYouMean(name, this.allLists)}`,
        name, 'fix the list name, or write the values in parentheses');
    }
  }

  /** Operators and values the field's type allows, as Falco's filter compiler checks them. */
  private checkOperands(check: CheckNode): void {
    this.checkTransformers(check.left);
    if (check.right) this.checkTransformers(check.right);
    const space = check.operator.indexOf(' ');
    const operator = space < 0 ? check.operator : check.operator.slice(0, space);
    const values = check.right?.kind === 'value' ? [check.right] : check.right?.kind === 'list' ? check.right.items : NO_VALUES;
    const type = this.resultType(check.left);
    const unsupported = type === undefined ? undefined : UNSUPPORTED_OPERATORS.get(type);
    if (!unsupported?.has(operator)) {
      for (const value of values) this.checkValueWarnings(operator, value);
    }
    if (operator === 'regex' && check.right?.kind === 'transformer') {
      this.report('error', `condition compares with "regex" against ${check.right.name}(...) at offset ${check.right.offset}, which Falco does not support`,
        `regex ${check.right.name}(...)`, 'compare with a constant pattern, or use = or contains with the field');
    }
    if (check.left.kind === 'transformer' && check.left.args.some(isEventCode)) {
      this.report('error', `condition applies ${check.left.name}() to evt.type at offset ${check.offset}, which Falco cannot index by event type and refuses to start with`,
        `${check.left.name}(...)`, 'compare evt.type directly, e.g. evt.type in (open, openat)');
    }
    if (check.left.kind !== 'field') {
      if (type !== undefined) this.checkTypedComparison('condition', ` at offset ${check.offset}`, operator, values, type, `the ${type} that ${check.left.name}() returns`);
      return;
    }
    if (isEventCode(check.left) && check.right?.kind === 'transformer') {
      this.report('error', `condition compares ${check.left.name} at offset ${check.offset} with ${check.right.name}(...), which Falco cannot index by event type and refuses to start with`,
        `${check.right.name}(...)`, 'compare with event names, e.g. evt.type in (open, openat)');
    }
    if (check.left.name === 'evt.type' && EVENT_TYPE_COMPARISONS.has(operator)) {
      for (const value of values) {
        // A list's items are pasted in place of its name, so they are compared too.
        const { values: names, list } = this.comparedValues(value);
        for (const name of names) {
          // A name of a list whose items are not at hand (e.g. the upstream ruleset's) cannot be judged.
          if (EVENT_TYPES.has(name) || this.isList(name)) continue;
          const hint = didYouMean(name, EVENT_TYPES);
          const plugins = hint ? [] : this.untabledPlugins();
          if (plugins.length > 0) {
            // Plugins can add event names (async events, e.g. krsi_open): not one the library can judge.
            this.report('note', `condition compares evt.type at offset ${check.offset} with "${name}", which is not in Falco's event table; it may be an event of plugin ${
              plugins.map((p) => `"${p}"`).join(', ')}, which the library has no table for, so it is not checked`, name, 'check it with `falco --list-events` where the plugin is loaded');
            continue;
          }
          this.report('error', `condition compares evt.type at offset ${check.offset} with "${name}"${list ? ` (from list "${list}")` : ''}, which is not an event type Falco knows${hint}`,
            name, 'use a syscall or event name such as open or execve (see `falco --list-events`)');
        }
      }
    }
    const rhs = check.right?.kind === 'transformer' && check.right.name === 'val' ? check.right.args[0] : undefined;
    const rhsType = rhs?.kind === 'field' ? this.typeOf(rhs) : undefined;
    if (rhs?.kind === 'field' && rhsType !== undefined && type !== undefined && rhsType !== type) {
      this.report('error', `condition compares ${type} field "${check.left.name}" at offset ${check.offset} with ${rhsType} field "${rhs.name}"`,
        `val(${rhs.name})`, 'compare fields of the same type');
    }
    if (type !== undefined) this.checkTypedComparison('condition', ` at offset ${check.offset}`, operator, values, type, `${type} field "${check.left.name}"`);
  }

  /** The type of a field, or of what a transformer returns; undefined when unknown. */
  private resultType(operand: FieldOperand): FieldType | undefined {
    if (operand.kind === 'field') return this.typeOf(operand);
    // b64 decodes into the type of its argument (a string or a buffer).
    if (operand.name === 'b64') return operand.args[0]?.kind === 'field' ? this.typeOf(operand.args[0]) : undefined;
    return TRANSFORMER_RESULTS[operand.name];
  }

  /** The operator and values a typed left-hand side (a field, or what a transformer returns) allows. */
  public checkTypedComparison(where: string, at: string, operator: string, values: ValueNode[], type: FieldType, subject: string): void {
    if (UNSUPPORTED_OPERATORS.get(type)?.has(operator)) {
      this.report('error', `${where} applies operator "${operator}" to ${subject}${at}, which Falco does not support`,
        operator, `use one of ${supportedOperators(type).join(', ')}`);
      return;
    }
    for (const value of values) {
      const { values: items, list } = this.comparedValues(value);
      for (const item of items) {
        if (list && this.isList(item)) continue;
        const problem = valueProblem(type, item) ?? operatorValueProblem(operator, item);
        if (problem) {
          this.report('error', `${where} compares ${subject}${at} with "${item}"${list ? ` (from list "${list}")` : ''}, which is not ${problem.what}`,
            item, problem.fix);
        }
      }
    }
  }

  public isList(name: string): boolean {
    return this.knownLists.has(name);
  }

  private fieldKnown(name: string): boolean {
    for (const c of this.syscallCatalogue) if (c.has(name)) return true;
    return false;
  }

  /** The type of a syscall or container-plugin field; undefined for other sources and unknown fields. */
  public typeOf(field: FieldNode): FieldType | undefined {
    return FIELD_TYPES.get(field.name) ?? (this.fieldKnown(field.name) ? FieldType.STRING : undefined);
  }

  /** Falco's compile-time warnings on values (libsinsp `check_value_and_add_warnings`), and regexes its RE2 rejects. */
  private checkValueWarnings(operator: string, value: ValueNode): void {
    const v = value.value;
    const regexProblem = operator === 'regex' ? re2Problem(v, 'posix') : undefined;
    if (regexProblem) {
      this.report('error', `condition uses regex "${v}" at offset ${value.offset}, which Falco's RE2 rejects: ${regexProblem}`, v,
        'fix the pattern, or compare with =, contains, startswith or endswith');
    } else if (operator === 'regex' && !needsRegex(v)) {
      this.report('warning', `condition uses regex "${v}" at offset ${value.offset}, which has no regex syntax, so Falco warns about it`, v,
        'use =, contains, startswith or endswith, which are cheaper');
    }
    // Both shapes below need a "." or a "(": most values have neither.
    if (!v.includes('.') && !v.includes('(')) return;
    const nospaces = v.replace(/\s+/g, '');
    if (FIELD_LIKE.test(nospaces) && this.fieldExists(nospaces)) {
      this.report('warning', `condition compares with "${v}" at offset ${value.offset}, which is a field name used as a constant string`, v,
        `write val(${nospaces}) to compare with the field's value, or quote the text and keep it`);
    }
    if (TRANSFORMER_LIKE.test(nospaces)) {
      this.report('warning', `condition compares with "${v}" at offset ${value.offset}, which is a transformer used as a constant string`, v,
        'write the transformer without quotes');
    }
  }

  private fieldExists(text: string): boolean {
    const bracket = text.indexOf('[');
    return this.resolvesField(bracket >= 0 ? text.slice(0, bracket) : text, this.anyCatalogue);
  }

  /** join(sep, list), concat(a, b, ...) and getopt(list, opts) as libsinsp's transformers check them. */
  private checkListTransformer(t: TransformerNode): void {
    const min = ({ join: 2, concat: 2, getopt: 2 } as Record<string, number>)[t.name];
    if (min === undefined) return;
    if (t.args.length < min) {
      this.report('error', `condition calls ${t.name}() at offset ${t.offset} with ${t.args.length} argument(s), but Falco needs at least ${min}`, t.name,
        t.name === 'join' ? 'write join(",", fd.types)' : t.name === 'concat' ? 'write concat(proc.name, "-", proc.pname)' : 'write getopt(<list field>, "c:")');
      return;
    }
    const listArg = t.name === 'join' ? t.args[1] : t.name === 'getopt' ? t.args[0] : undefined;
    const isList = (a: TransformerArgument) => a.kind === 'transformer-list' || (a.kind === 'field' && (this.typeOf(a) === undefined || this.typeOf(a) === FieldType.LIST));
    if (listArg && !isList(listArg)) {
      this.report('error', `condition calls ${t.name}() at offset ${t.offset} with a ${t.name === 'join' ? 'second' : 'first'} argument that is not a list field`,
        listArg.kind === 'field' ? listArg.name : listArg.kind, 'pass a list field such as fd.types, or a list such as (proc.name, proc.pname)');
    }
    if (t.name === 'concat') {
      // Values (also numbers) and transformers are fine; lists and non-string fields are not.
      const bad = t.args.find((a) => a.kind === 'transformer-list' || (a.kind === 'field' && this.typeOf(a) !== undefined && this.typeOf(a) !== FieldType.STRING));
      if (bad) {
        this.report('error', `condition calls concat() at offset ${t.offset} with an argument that is not a string`, bad.kind === 'field' ? bad.name : 'a list',
          'pass string fields, transformers or constants');
      }
    }
  }

  /** Transformers Falco's compiler rejects: an argument after them, or a field of a type they do not take. */
  private checkTransformers(operand: ValueOperand | TransformerArgument): void {
    if (operand.kind === 'transformer-list') {
      operand.items.forEach((i) => this.checkTransformers(i));
      return;
    }
    if (operand.kind !== 'transformer') return;
    const t: TransformerNode = operand;
    t.args.forEach((a) => this.checkTransformers(a));
    if (t.arg !== undefined && t.name !== 'val') {
      this.report('error', `condition passes an argument to transformer "${t.name}" at offset ${t.offset}, which takes none`, `${t.name}(...)[${t.arg}]`,
        `remove "[${t.arg}]"`);
    }
    for (const a of t.args) {
      if (a.kind !== 'field') continue;
      if (t.name === 'val' && NO_RHS_FIELDS.has(a.name)) {
        this.report('error', `condition uses field "${a.name}" at offset ${a.offset} in val(), which Falco does not allow for this field`, `val(${a.name})`,
          'compare the field on the left-hand side instead');
      } else if (t.name !== 'val' && NO_TRANSFORMER_FIELDS.has(a.name)) {
        this.report('error', `condition applies transformer "${t.name}" to field "${a.name}" at offset ${a.offset}, which Falco does not allow for this field`,
          `${t.name}(${a.name})`, `compare ${a.name} without ${t.name}()`);
      }
    }
    this.checkListTransformer(t);
    const accepts = STRING_TRANSFORMERS[t.name];
    if (!accepts) return;
    for (const a of t.args) {
      const type = a.kind === 'field' ? this.typeOf(a) : undefined;
      if (a.kind === 'field' && type !== undefined && !accepts.includes(type)) {
        this.report('error', `condition applies transformer "${t.name}" to ${type} field "${a.name}" at offset ${a.offset}, which Falco does not support`,
          `${t.name}(${a.name})`, `apply ${t.name} to a field of type ${accepts.join(' or ')}`);
      }
    }
  }

  /**
   * A bare word inside `(...)` is a list name when such a list exists, else a
   * literal: a near miss of a list name is almost certainly a typo.
   */
  private checkListRef(name: string, offset: number): void {
    if (this.isList(name)) {
      this.checkListItems(name, offset);
      return;
    }
    // Values are literals far more often than misspelt lists: look for a near
    // list name only where list names have their tell-tale underscore.
    const hint = name.includes('_') ? didYouMean(name, this.allLists) : '';
    if (hint) {
      this.report('warning', `condition value "${name}" at offset ${offset} is not a list, so it matches only the literal text${hint}`, name,
        'fix the list name, or quote the value if it is meant literally');
    }
  }

  /**
   * Falco pastes a list's items into the condition where the list is used, quoted
   * only when they hold a space: an item with "=", "(" or a quote breaks the
   * condition, and one with a comma becomes several values.
   */
  private checkListItems(name: string, offset: number): void {
    for (const { item, error, values } of this.pastedList(name).filter((p) => p.error || p.values.length > 1)) {
      if (error) {
        this.report('error', `condition uses list "${name}" at offset ${offset}, whose item "${item}" breaks the condition Falco pastes it into: ${error.reason}`, item,
          'Falco adds quotes only around an item with a space: put an item with (, ), =, a comma or a quote in double quotes yourself, e.g. \'"--config=/etc/app"\'');
      } else {
        this.report('warning', `condition uses list "${name}" at offset ${offset}, whose item "${item}" Falco splits at its commas into ${values.length} values`, item,
          'make each value an item of its own, or put the item in double quotes yourself if the comma belongs to it');
      }
    }
  }

  /** A list's items as Falco pastes them into conditions, each once per validation. */
  private pastedList(name: string): Array<{ item: string } & PastedValue> {
    let pasted = this.pastedLists.get(name);
    if (!pasted) {
      pasted = (this.listItems.get(name) ?? []).map((item) => ({ item, ...pastedListItem(item) }));
      this.pastedLists.set(name, pasted);
    }
    return pasted;
  }

  /** The values a comparison with `value` reads: the value itself, or the items of the list it names. */
  private comparedValues(value: ValueNode): { values: string[]; list?: string } {
    if (value.quoted || !this.isList(value.value)) return { values: [value.value] };
    return { values: this.pastedList(value.value).flatMap((p) => p.values), list: value.value };
  }

  /**
   * The fields rules of `source` may use: libsinsp's for syscall, and the fields
   * of each plugin in play that extracts from the source, at the version installed
   * or else required (the newest the library has when neither is known). A plugin
   * source with no plugin in play takes the newest table of the plugin that
   * produces it and the json extractor's. Undefined when no table covers the source.
   */
  public catalogue(source: string | undefined): FieldCatalogue[] | undefined {
    if (!source) return undefined;
    if (this.catalogues.has(source)) return this.catalogues.get(source);
    const inPlay = [...this.plugins].filter(hasFieldTable);
    const fields = (plugin: string) => pluginFields(plugin, this.installed?.[plugin] || this.requiredVersions.get(plugin))!;
    let result: FieldCatalogue[] | undefined;
    if (source === 'syscall') {
      result = [SYSCALL_FIELDS, ...inPlay.filter((p) => extractsFrom(p, source)).map(fields)];
    } else if (inPlay.some((p) => pluginSource(p) === source)) {
      result = [GENERIC_FIELDS, ...inPlay.filter((p) => extractsFrom(p, source)).map(fields)];
    } else {
      const newest = newestSourceFields(source);
      result = newest && [...new Set([...newest, ...inPlay.filter((p) => extractsFrom(p, source)).map(fields)])];
    }
    this.catalogues.set(source, result);
    return result;
  }

  public checkField(field: FieldNode, catalogues: FieldCatalogue[], where: string): void {
    let name = field.name;
    let arg = field.arg;
    let viaDot = false;
    let kind = lookup(catalogues, name);
    if (kind === undefined) {
      // `evt.arg.flags`, `container.label.app`: the argument follows a dot.
      for (let dot = name.lastIndexOf('.'); dot > 0 && kind === undefined; dot = name.lastIndexOf('.', dot - 1)) {
        const base = lookup(catalogues, name.slice(0, dot));
        if (base !== undefined && base !== FieldArgument.NONE && arg === undefined) {
          kind = base;
          arg = name.slice(dot + 1);
          name = name.slice(0, dot);
          viaDot = true;
        }
      }
    }
    if (kind === undefined) {
      this.reportUnknownField(field, catalogues, where);
    } else if (kind === FieldArgument.REQUIRED && arg === undefined) {
      this.report('error', `${where} uses field "${name}" at offset ${field.offset} without the argument it requires`, name,
        `add an argument, e.g. ${name}[name] or ${name}.name`);
    } else if (kind === FieldArgument.NONE && arg !== undefined) {
      // Falco's output formatter ignores such an argument; its condition compiler rejects it.
      this.report(where === 'output' ? 'warning' : 'error', `${where} passes an argument to field "${name}" at offset ${field.offset}, which takes none`,
        `${name}[${arg}]`, `remove "[${arg}]"`);
    } else if (arg !== undefined) {
      this.checkArgumentForm(field, name, arg, viaDot, where);
    }
    const deprecated = DEPRECATED_FIELDS.get(field.name);
    if (deprecated && where === 'condition') {
      this.report('warning', `${where} uses field "${field.name}" at offset ${field.offset}, which Falco 0.44 no longer fills: ${deprecated}`, field.name,
        `remove the check on ${field.name}`);
    }
  }

  /**
   * A field no catalogue in play has: an error, with the plugin or plugin version
   * that has it; a note when it may come from a plugin the library has no table
   * for (its field class is unknown), since Falco with that plugin accepts it.
   */
  private reportUnknownField(field: FieldNode, catalogues: FieldCatalogue[], where: string): void {
    const name = field.name;
    const fieldClass = name.slice(0, name.indexOf('.'));
    const knownClasses = [...SYSCALL_CLASSES, ...pluginFieldClasses()];
    if (!knownClasses.includes(fieldClass) && !closest(fieldClass, knownClasses, 1)) {
      const untabled = this.untabledPlugins();
      this.report('note', `${where} uses field "${name}" at offset ${field.offset}, which is in none of the field tables the library has, so it is not checked`
        + (untabled.length > 0 ? ` (it may come from plugin ${untabled.map((p) => `"${p}"`).join(', ')})` : ''), name,
      untabled.length > 0 ? 'check it with `falco --list` where the plugin is loaded' : 'declare the plugin it comes from in required_plugin_versions');
      return;
    }
    const all = catalogues.flatMap((c) => [...c.keys()]);
    this.report('error', `${where} uses unknown field "${name}" at offset ${field.offset}${didYouMean(name, all)}`, name, this.unknownFieldFix(name));
  }

  /**
   * The plugins in play the library has no field table for: those declared or
   * loaded, else the field classes of unknown plugins that rule outputs print
   * (`%krsi.name`), whose plugin the files rely on without declaring it.
   */
  private untabledPlugins(): string[] {
    const declared = [...this.plugins].filter((p) => !hasFieldTable(p));
    if (declared.length > 0) return declared;
    if (!this.printedUnknownClasses) {
      const known = new Set([...SYSCALL_CLASSES, ...pluginFieldClasses()]);
      const classes = new Set<string>();
      for (const item of this.allItems) {
        const output = item.kind === 'rule' ? item.fields.output : undefined;
        if (typeof output !== 'string') continue;
        for (const [, fieldClass] of output.matchAll(PRINTED_FIELD_CLASS)) if (!known.has(fieldClass)) classes.add(fieldClass);
      }
      this.printedUnknownClasses = [...classes];
    }
    return this.printedUnknownClasses;
  }

  /** Which plugin, or which newer release of a plugin in play, has the field. */
  private unknownFieldFix(name: string): string {
    const base = name.replace(/\[.*$/, '');
    const has = (fields: FieldCatalogue | undefined) => fields !== undefined && (fields.has(base) || fields.has(base.replace(/\.[^.]*$/, '')));
    for (const plugin of this.plugins) {
      const version = this.installed?.[plugin] || this.requiredVersions.get(plugin);
      if (version && !has(pluginFields(plugin, version)) && has(pluginFields(plugin))) {
        return `${plugin} ${version} has no such field; its newer releases do (${newestTabledVersion(plugin)} has it): install and require a newer ${plugin}`;
      }
    }
    const provider = ['container', 'k8saudit', 'cloudtrail', 'okta', 'gcpaudit', 'github', 'json'].find((p) => !this.plugins.has(p) && has(pluginFields(p)));
    if (provider === 'container') return 'declare the container plugin (required_plugin_versions: [{ name: container, version: 0.4.0 }])';
    if (provider) return `it is a field of the ${provider} plugin: use it in rules of that plugin's source, with the plugin loaded`;
    return 'use a field of this source (see `falco --list`)';
  }

  private checkArgumentForm(field: FieldNode, name: string, arg: string, viaDot: boolean, where: string): void {
    const form = ARGUMENT_FORMS.get(name) ?? pluginArgumentForm(name);
    const got = viaDot ? `${name}.${arg}` : `${name}[${arg}]`;
    if ((name === 'evt.arg' || name === 'evt.rawarg') && viaDot && !EVENT_ARGUMENTS.has(arg)) {
      this.report('error', `${where} uses "${got}" at offset ${field.offset}, but no event has an argument "${arg}"${didYouMean(arg, EVENT_ARGUMENTS)}`, got,
        'use an argument name from `falco --list-events`, e.g. evt.arg.flags or evt.rawarg.res');
      return;
    }
    if ((form === ArgumentForm.INDEX || (form === ArgumentForm.INDEX_OR_DOT && !viaDot)) && !/^-?[0-9]+$/.test(arg)) {
      this.report('error', `${where} passes "${arg}" to field "${name}" at offset ${field.offset}, which takes a number in brackets`, got,
        form === ArgumentForm.INDEX_OR_DOT ? `write ${name}[0] for the first argument, or ${name}.${arg} for an argument by name` : `write e.g. ${name}[1]`);
    } else if (form === ArgumentForm.DOT && !viaDot && where !== 'output') {
      this.report('error', `${where} writes the argument of field "${name}" at offset ${field.offset} in brackets, which Falco does not accept for this field`, got,
        `write ${name}.${arg}`);
    } else if (form === ArgumentForm.BRACKET && viaDot) {
      this.report('error', `${where} writes the argument of field "${name}" at offset ${field.offset} after a dot, which Falco does not accept for this field`, got,
        `write ${name}[${arg}]`);
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
    for (const { operand } of placeholders) {
      // Falco's formatter takes the longest field name the placeholder starts with and
      // prints the rest as text: "%user.namecmd" is user.name, then "cmd".
      const prefix = operand.kind === 'field' && !this.resolvesField(operand.name, catalogue)
        ? longestPrefix(operand.name, (p) => this.resolvesField(p, catalogue, true)) : undefined;
      if (operand.kind === 'field' && prefix !== undefined) {
        const written = operand.arg === undefined ? operand.name : `${operand.name}[${operand.arg}]`;
        this.report('warning', `output reads "%${written}" at offset ${operand.offset} as %${prefix} followed by the text "${written.slice(prefix.length)}"`,
          written, `put a space or other separator after %${prefix} if the text is meant, or fix the field name`);
        continue;
      }
      forEachOperandField(operand, (f) => this.checkField(f, catalogue, 'output'));
    }
  }

  /**
   * Whether `name` is a field, or a field and an argument after a dot (`container.label.app`, `evt.arg.flags`).
   * @param alone whether it must stand without an argument
   */
  private resolvesField(name: string, catalogues: FieldCatalogue[], alone = false): boolean {
    const own = lookup(catalogues, name);
    if (own !== undefined) return !alone || own !== FieldArgument.REQUIRED;
    for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
      const base = name.slice(0, dot);
      const kind = lookup(catalogues, base);
      if (kind === undefined || kind === FieldArgument.NONE) continue;
      return (base !== 'evt.arg' && base !== 'evt.rawarg') || EVENT_ARGUMENTS.has(name.slice(dot + 1));
    }
    return false;
  }

  /**
   * The event types a condition can match, computed as libsinsp's
   * `ppm_event_codes` does (negations pushed to the leaves by De Morgan);
   * undefined when a macro or list is not at hand.
   */
  private eventTypes(node: ConditionNode, negated: boolean, seen: ReadonlySet<string>): EventTypes | undefined {
    switch (node.kind) {
      case 'and':
      case 'or': {
        const intersect = (node.kind === 'and') !== negated;
        let result: EventTypes | undefined = intersect ? ALL_TYPES : NO_TYPES;
        for (const child of node.children) {
          const types = this.eventTypes(child, negated, seen);
          result = result && types && (intersect ? intersectTypes(result, types) : unionTypes(result, types));
        }
        return result;
      }
      case 'not':
        return this.eventTypes(node.child, !negated, seen);
      case 'macro': {
        const condition = this.macros.get(node.name)?.condition;
        if (condition === undefined || seen.has(node.name)) return undefined;
        const parsed = this.parse(condition, true);
        return parsed instanceof ConditionSyntaxError ? undefined : this.eventTypes(parsed, negated, new Set([...seen, node.name]));
      }
      case 'check': {
        const left = node.left;
        const onType = left.kind === 'field' && (left.name === 'evt.type' || left.name === 'syscall.type');
        if (onType && node.operator === 'exists') return negated ? NO_TYPES : ALL_TYPES;
        if (!onType || !EVENT_TYPE_FILTERS.has(node.operator)) return ALL_TYPES;
        const values = node.right?.kind === 'value' ? [node.right] : node.right?.kind === 'list' ? node.right.items : undefined;
        if (!values) return undefined;
        const names = new Set<string>();
        for (const v of values) {
          // A list whose items are not at hand (a file not loaded here) leaves the types unknown.
          if (!v.quoted && this.isList(v.value) && !this.listItems.has(v.value)) return undefined;
          this.comparedValues(v).values.forEach((n) => names.add(n));
        }
        let types: EventTypes = { all: false, names };
        if (negated) types = invertTypes(types);
        return node.operator === '!=' ? invertTypes(types) : types;
      }
    }
  }
}


/** The longest proper prefix of `text` that `accepts`, if any. */
function longestPrefix(text: string, accepts: (prefix: string) => boolean): string | undefined {
  for (let end = text.length - 1; end > 0; end--) {
    if (accepts(text.slice(0, end))) return text.slice(0, end);
  }
  return undefined;
}

function lookup(catalogues: FieldCatalogue[], name: string): FieldArgument | undefined {
  for (const c of catalogues) {
    const kind = c.get(name);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

function isString(value: unknown): boolean {
  return typeof value === 'string';
}

/** Whether `value` has a non-blank character; most start with printable ASCII, which settles it without a RegExp. */
function hasText(value: string): boolean {
  const first = value.charCodeAt(0);
  return (first > 32 && first < 127) || NOT_BLANK.test(value);
}

/** The text at an error offset, for the `(got ...)` part of a message. */
function excerpt(text: string, offset: number): string {
  return offset >= text.length ? 'the end of the text' : text.slice(offset, offset + 30);
}

/** The `required_plugin_versions` of an item: each entry as the plugin and its alternatives, in order. */
function requirements(item: RulesItem): Array<Array<{ name: string; version?: string }>> {
  const entries = item.fields.required_plugin_versions;
  if (!Array.isArray(entries)) return [];
  const one = (entry: unknown) => {
    const e = entry as Record<string, unknown> | null;
    return typeof e?.name === 'string' ? [{ name: e.name, version: e.version === undefined ? undefined : String(e.version) }] : [];
  };
  return entries.map((entry) => [...one(entry), ...(Array.isArray((entry as any)?.alternatives) ? (entry as any).alternatives.flatMap(one) : [])])
    .filter((alternatives) => alternatives.length > 0);
}
