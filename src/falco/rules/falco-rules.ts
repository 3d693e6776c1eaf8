import { AuditBodyNeed, auditBodyNeeds } from './audit-body-needs';
import {
  FalcoDiagnostic, FalcoExceptionProps, FalcoListProps, FalcoMacroProps, FalcoOverrideMode, FalcoPluginRequirement, FalcoRuleOverrideProps,
  FalcoRulePatch, FalcoRuleProps, FalcoRuleTest, FalcoRuleTestResult, FalcoTestOutcome,
} from './falco-items';
import { loadRules } from './loaded-rules';
import { RuleTestCase, runRuleTests } from './rule-tests';
import { ITEM_KINDS, RulesItem } from './rules-item';
import { validateItems } from './rules-validator';
import { optionalArgument, requiredArgument } from '../../common/arguments';
import { validationError, validationMessage } from '../../common/validation';
import { parseYaml, toYaml } from '../../common/yaml';
import { FalcoPriority } from '../priority';

/**
 * What the Falco that loads a rules file provides besides the files this
 * library can see: e.g. a `FalcoDeployment` that loads the upstream ruleset
 * through falcoctl validates custom rules with its macro and list names.
 */
export interface FalcoValidationContext {
  /**
   * Macros defined by rules files loaded earlier.
   * @default - none
   */
  readonly macros?: string[];
  /**
   * Lists defined by rules files loaded earlier.
   * @default - none
   */
  readonly lists?: string[];
  /**
   * Rules defined by rules files loaded earlier: overrides may change them.
   * @default - none
   */
  readonly rules?: string[];
  /**
   * Plugins the deployment loads.
   * @default - none beyond `FalcoRulesOptions.plugins`
   */
  readonly plugins?: string[];
  /**
   * Event sources the deployment has (`syscall` with a driver, plus each source
   * plugin's); a rule of another source is an error, because Falco would skip it.
   * @default - any source
   */
  readonly sources?: string[];
  /**
   * The plugins the deployment installs, by name, with the version each installs
   * (e.g. `0.16`, a falcoctl tag; '' when unknown). Plugin fields are checked with
   * the field table of that version, and every `required_plugin_versions` entry
   * must be met by these plugins: Falco refuses to start otherwise.
   * @default - not checked; fields of the versions the files require
   */
  readonly installedPlugins?: { [name: string]: string };
}

/** Options for loading or validating a rules file. */
export interface FalcoRulesOptions {
  /**
   * Rules files Falco loads before this one (`rules_files` order); their
   * macros, lists and rules may be referenced and overridden here.
   * @default - none
   */
  readonly after?: FalcoRules[];
  /**
   * Plugins loaded by the Falco deployment whose fields rules may use even
   * if no file declares them in `required_plugin_versions`, e.g. `container`.
   * @default - only the plugins the files declare
   */
  readonly plugins?: string[];
}

/** A Falco rules file: lists, macros and rules in load order. */
export class FalcoRules {
  /**
   * Loads an existing rules file. Structural problems (an entry that is not
   * a rule, macro, list or requirement) throw; everything else is reported by
   * `validate()`.
   */
  public static fromYaml(text: string, options: FalcoRulesOptions = {}): FalcoRules {
    text = requiredArgument('FalcoRules.fromYaml', 'text', text, 'the YAML of a Falco rules file');
    options = optionalArgument('FalcoRules.fromYaml', 'options', options) ?? {};
    const rules = new FalcoRules(options);
    const document = parseYaml(text) ?? [];
    if (!Array.isArray(document)) {
      throw validationError('FalcoRules.fromYaml', 'a rules file must be a YAML list of entries', typeof document, 'start each entry with "- rule:", "- macro:" or "- list:"');
    }
    document.forEach((entry: unknown, i: number) => {
      const fields = entry as Record<string, unknown>;
      const kind = entry !== null && typeof entry === 'object' ? ITEM_KINDS.find((k) => k in fields) : undefined;
      if (!kind) {
        throw validationError('FalcoRules.fromYaml', `entry ${i + 1} is not a rule, macro, list or requirement`, entry, `start it with one of: ${ITEM_KINDS.join(', ')}`);
      }
      const name = kind === 'rule' || kind === 'macro' || kind === 'list' ? String(fields[kind]) : kind;
      rules.items.push({ kind, name, fields });
    });
    return rules;
  }

  private readonly items: RulesItem[] = [];
  private readonly tests: RuleTestCase[] = [];
  private yamlCache?: { readonly itemCount: number; readonly text: string };
  private validationCache?: { readonly key: string; readonly diagnostics: FalcoDiagnostic[] };
  private readonly options: FalcoRulesOptions;

  public constructor(options: FalcoRulesOptions = {}) {
    options = optionalArgument('FalcoRules', 'options', options) ?? {};
    this.options = options;
  }

  /** Appends a rule, with its tests. */
  public addRule(rule: FalcoRuleProps): FalcoRules {
    rule = requiredArgument('FalcoRules.addRule', 'rule', rule, '{ name, description, condition, output, priority }', { requiredProps: ['name'] });
    if (rule.tests !== undefined) this.addRuleTests(rule.name, rule.tests);
    return this.push('rule', rule.name, {
      desc: rule.description,
      condition: rule.condition,
      output: rule.output,
      priority: rule.priority,
      source: rule.source,
      tags: rule.tags,
      enabled: rule.enabled,
      exceptions: rule.exceptions?.map(exceptionFields),
    });
  }

  /** Appends an override entry that changes a rule defined earlier. */
  public overrideRule(props: FalcoRuleOverrideProps): FalcoRules {
    props = requiredArgument('FalcoRules.overrideRule', 'props', props, '{ name, append: { ... } } or { name, replace: { ... } }', { requiredProps: ['name'] });
    const fields: Record<string, unknown> = {};
    const override: Record<string, string> = {};
    for (const [mode, patch] of [['append', props.append], ['replace', props.replace]] as const) {
      for (const [key, value] of Object.entries(patchFields(patch ?? {}))) {
        if (value === undefined) continue;
        fields[key] = value;
        override[key] = mode;
      }
    }
    return this.push('rule', props.name, { ...fields, override });
  }

  /**
   * Adds tests of a rule defined in this file or in a file it is loaded after
   * (e.g. an upstream rule loaded with `fromYaml`). They run at synth, against
   * the rule as Falco holds it once every file is loaded.
   */
  public addRuleTests(ruleName: string, tests: FalcoRuleTest[]): FalcoRules {
    ruleName = requiredArgument('FalcoRules.addRuleTests', 'ruleName', ruleName, 'the name of the rule the tests are for');
    tests = requiredArgument(`FalcoRule "${ruleName}"`, 'tests', tests, 'tests: [{ event: {...}, expect: FalcoTestOutcome.MATCH }]');
    if (!Array.isArray(tests)) {
      throw validationError(`FalcoRule "${ruleName}"`, 'tests must be a list', tests, 'write tests: [{ event: {...}, expect: FalcoTestOutcome.MATCH }]');
    }
    return this.pushTests(ruleName, tests, false);
  }

  /**
   * Adds tests that check this file alone, as the presets ship them: a file loaded
   * later may legitimately change the outcome (e.g. append to an allow-list).
   * @internal
   */
  public _addFileTests(ruleName: string, tests: FalcoRuleTest[]): FalcoRules {
    return this.pushTests(ruleName, tests, true);
  }

  private pushTests(ruleName: string, tests: FalcoRuleTest[], fileOnly: boolean): FalcoRules {
    const position = this.tests.filter((t) => t.rule === ruleName).length;
    tests.forEach((test, k) => {
      if (test === null || typeof test !== 'object' || Array.isArray(test)) {
        throw validationError(`FalcoRule "${ruleName}"`, `tests[${k}] is not a test`, test, 'write { event: {...}, expect: FalcoTestOutcome.MATCH }');
      }
      // A copy: results are cached with the file, so a later change to the caller's event must not reach them.
      this.tests.push({ rule: ruleName, test: structuredClone(test), position: position + k + 1, fileOnly });
    });
    return this;
  }

  /**
   * Runs the rule tests of this file: each event evaluated against its rule as
   * Falco holds it after loading the files this one is loaded after and this one.
   * @param context what the loading Falco provides besides those files
   */
  public runTests(context: FalcoValidationContext = {}): FalcoRuleTestResult[] {
    context = optionalArgument('FalcoRules.runTests', 'context', context) ?? {};
    if (this.tests.length === 0) return [];
    return runRuleTests([...this.dependencyItems(), ...this.items], this.tests, { macros: context.macros, lists: context.lists });
  }

  /**
   * The requests whose bodies this file's `k8s_audit` rules read, for the audit
   * policy cross-check.
   * @internal
   */
  public _auditBodyNeeds(context: FalcoValidationContext = {}): AuditBodyNeed[] {
    // A file with errors fails synth on its own; its conditions may not even parse.
    if (this._validate(context, false).some((d) => d.severity === 'error')) return [];
    const loaded = loadRules([...this.dependencyItems(), ...this.items]);
    const scope = {
      lists: loaded.lists,
      macros: loaded.macros,
      externalMacros: new Set(context.macros ?? []),
      externalLists: new Set(context.lists ?? []),
    };
    return this.ruleNames.flatMap((name) => {
      const rule = loaded.rules.get(name);
      return rule ? auditBodyNeeds(rule, scope) : [];
    });
  }

  /** Turns off a rule defined earlier (for example one of the default ruleset). */
  public disableRule(name: string): FalcoRules {
    name = requiredArgument('FalcoRules.disableRule', 'name', name, 'the name of the rule, e.g. "Terminal shell in container"');
    return this.overrideRule({ name, replace: { enabled: false } });
  }

  /**
   * Appends exceptions to a rule defined earlier (an upstream rule): Falco's
   * own way to allow known-good activity without copying the rule, e.g.
   * `appendExceptions('Terminal shell in container', [{ name: 'ci_shells',
   * fields: ['k8s.ns.name', 'container.image.repository'], values: [['ci', 'gitlab/gitlab-runner']] }])`.
   * A rule name the files loaded before do not define fails validation, with the closest name.
   */
  public appendExceptions(ruleName: string, exceptions: FalcoExceptionProps[]): FalcoRules {
    ruleName = requiredArgument('FalcoRules.appendExceptions', 'ruleName', ruleName, 'the name of the rule, e.g. "Terminal shell in container"');
    exceptions = requiredArgument(`FalcoRules.appendExceptions("${ruleName}")`, 'exceptions', exceptions, '[{ name, fields, values }]');
    if (!Array.isArray(exceptions) || exceptions.length === 0) {
      throw validationError(`FalcoRules.appendExceptions("${ruleName}")`, 'exceptions must be a non-empty list', exceptions,
        "pass [{ name: 'ci_shells', fields: ['k8s.ns.name'], values: [['ci']] }]");
    }
    return this.overrideRule({ name: ruleName, append: { exceptions } });
  }

  /**
   * Changes the priority of a rule defined earlier (an upstream rule), e.g.
   * to keep it from paging or to let it through a higher `priority` threshold.
   */
  public setRulePriority(ruleName: string, priority: FalcoPriority): FalcoRules {
    ruleName = requiredArgument('FalcoRules.setRulePriority', 'ruleName', ruleName, 'the name of the rule, e.g. "Terminal shell in container"');
    priority = requiredArgument(`FalcoRules.setRulePriority("${ruleName}")`, 'priority', priority, 'a FalcoPriority, e.g. FalcoPriority.WARNING');
    return this.overrideRule({ name: ruleName, replace: { priority } });
  }

  /** Appends items to a list defined earlier (an upstream list such as `user_known_...`). */
  public appendToList(listName: string, items: string[]): FalcoRules {
    listName = requiredArgument('FalcoRules.appendToList', 'listName', listName, 'the name of the list, e.g. "allowed_k8s_users"');
    items = requiredArgument(`FalcoRules.appendToList("${listName}")`, 'items', items, 'the items to append');
    return this.addList({ name: listName, items, override: FalcoOverrideMode.APPEND });
  }

  /** Appends a macro, or an override of one defined earlier. */
  public addMacro(macro: FalcoMacroProps): FalcoRules {
    macro = requiredArgument('FalcoRules.addMacro', 'macro', macro, '{ name, condition }', { requiredProps: ['name', 'condition'] });
    return this.push('macro', macro.name, {
      condition: macro.condition, override: macro.override ? { condition: macro.override } : undefined,
    });
  }

  /** Appends a list, or an override of one defined earlier. */
  public addList(list: FalcoListProps): FalcoRules {
    list = requiredArgument('FalcoRules.addList', 'list', list, '{ name, items }', { requiredProps: ['name', 'items'] });
    return this.push('list', list.name, { items: list.items, override: list.override ? { items: list.override } : undefined });
  }

  /** Declares the plugins (and minimum versions) the rules need. */
  public requirePlugins(plugins: FalcoPluginRequirement[]): FalcoRules {
    plugins = requiredArgument('FalcoRules.requirePlugins', 'plugins', plugins, 'a list such as [{ name: "k8saudit", version: "0.16.0" }]');
    plugins.forEach((plugin, i) => requiredArgument('FalcoRules.requirePlugins', `plugins[${i}]`, plugin, '{ name: "k8saudit", version: "0.16.0" }', { requiredProps: ['name', 'version'] }));
    return this.push('required_plugin_versions', 'required_plugin_versions', {
      required_plugin_versions: plugins.map((p) => ({ name: p.name, version: p.version })),
    });
  }

  /** Declares the minimum Falco engine version, e.g. `0.57.0`. */
  public requireEngineVersion(version: string): FalcoRules {
    version = requiredArgument('FalcoRules.requireEngineVersion', 'version', version, 'a version such as "0.26.0"');
    return this.push('required_engine_version', 'required_engine_version', { required_engine_version: version });
  }

  /** Names of the rules this file defines, in order. */
  public get ruleNames(): string[] {
    return this.definedRules().map((i) => i.name);
  }

  /** Names of the macros this file defines, in order. */
  public get macroNames(): string[] {
    return this.items.filter((i) => i.kind === 'macro' && i.fields.override === undefined && i.fields.append === undefined).map((i) => i.name);
  }

  /** Names of the lists this file defines, in order. */
  public get listNames(): string[] {
    return this.items.filter((i) => i.kind === 'list' && i.fields.override === undefined && i.fields.append === undefined).map((i) => i.name);
  }

  /** Tags the rules of this file carry (as defined or added by overrides), each once, in order. */
  public get ruleTags(): string[] {
    const tags = this.items.filter((i) => i.kind === 'rule').flatMap((i) => (Array.isArray(i.fields.tags) ? i.fields.tags : []));
    return [...new Set(tags.filter((t): t is string => typeof t === 'string'))];
  }

  /** Event sources of the rules this file defines (`syscall` when a rule sets none), each once. */
  public get ruleSources(): string[] {
    return [...new Set(this.definedRules().map((i) => String(i.fields.source ?? 'syscall')))];
  }

  /**
   * Problems found in the file, in file order, after the files it is loaded after.
   * @param context what the loading Falco provides besides those files
   */
  public validate(context: FalcoValidationContext = {}): FalcoDiagnostic[] {
    return this._validate(optionalArgument('FalcoRules.validate', 'context', context) ?? {}, true);
  }

  /**
   * validate(), with or without the rule tests (a deployment runs them against every file it loads).
   * @internal
   */
  public _validate(context: FalcoValidationContext, withTests: boolean): FalcoDiagnostic[] {
    const dependencies = this.dependencyItems();
    // Items are only ever appended, so the counts and the context identify the
    // input; cdk8s validates every construct twice per synth.
    const key = `${this.items.length}/${dependencies.length}/${withTests ? this.tests.length : '-'}/${JSON.stringify(context)}`;
    if (this.validationCache?.key !== key) {
      const diagnostics = validateItems(dependencies, this.items, {
        plugins: [...(this.options.plugins ?? []), ...(context.plugins ?? [])],
        externalMacros: context.macros,
        externalLists: context.lists,
        externalRules: context.rules,
        sources: context.sources,
        installed: context.installedPlugins,
      });
      // Tests of a file with errors would only repeat them.
      if (withTests && !diagnostics.some((d) => d.severity === 'error')) {
        diagnostics.push(...this._testFailures([...dependencies, ...this.items], context));
      }
      this.validationCache = { key, diagnostics };
    }
    return [...this.validationCache.diagnostics];
  }

  /**
   * Appends the items of the files this one is loaded after (each file once) and its own, in load order.
   * @internal
   */
  /**
   * The entries of this file in order: definitions, and those that change
   * something defined earlier (`override:`), which a review of tuning needs to see.
   * @internal
   */
  public _items(): readonly RulesItem[] {
    return this.items;
  }

  /** @internal */
  public _loadInto(loaded: Set<FalcoRules>, items: RulesItem[]): void {
    if (loaded.has(this)) return;
    (this.options.after ?? []).forEach((earlier) => earlier._loadInto(loaded, items));
    loaded.add(this);
    items.push(...this.items);
  }

  /**
   * The failing tests of this file, run against `items` (every file loaded, in order).
   * @internal
   */
  public _testFailures(items: readonly RulesItem[], context: FalcoValidationContext): FalcoDiagnostic[] {
    if (this.tests.length === 0) return [];
    const externals = { macros: context.macros, lists: context.lists };
    const fileOnly = this.tests.filter((t) => t.fileOnly);
    const own = runRuleTests([...this.dependencyItems(), ...this.items], fileOnly, externals);
    const loaded = runRuleTests(items, this.tests.filter((t) => !t.fileOnly), externals);
    const results = this.tests.map((t) => (t.fileOnly ? own : loaded).shift()!);
    // Results come in the order of the tests.
    return results.flatMap((r, k) => (r.passed ? [] : [{ r, test: this.tests[k].test }])).map(({ r, test }) => {
      const what = r.actual === undefined
        ? `test "${r.test}" cannot be evaluated: ${r.explanation}`
        : `test "${r.test}" expects ${r.expected === FalcoTestOutcome.MATCH ? 'a match, but the rule does not match' : 'no match, but the rule matches'}: ${r.explanation}`;
      const fix = r.actual === undefined ? 'fix the test' : 'fix the condition, or the test\'s event or expect if the rule is right (the part named decided)';
      return { severity: 'error', item: r.rule, message: validationMessage(`FalcoRule "${r.rule}"`, what, shownEvent(test), fix) };
    });
  }

  /**
   * Throws the first error `validate()` finds, with the count of others;
   * for constructs that must fail synthesis on an invalid rules file.
   */
  public assertValid(): void {
    const errors = this.validate().filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      const more = errors.length > 1 ? `\n(and ${errors.length - 1} more: call validate() for the list)` : '';
      throw new Error(`${errors[0].message}${more}`);
    }
  }

  /** The rules file as Falco reads it. */
  public toYaml(): string {
    // Items are only ever appended, so their count identifies the content; the
    // deployment renders the file for its ConfigMap and again for its checksum.
    if (this.yamlCache?.itemCount !== this.items.length) {
      this.yamlCache = { itemCount: this.items.length, text: toYaml(this.items.map((i) => i.fields)) };
    }
    return this.yamlCache.text;
  }

  private definedRules(): RulesItem[] {
    return this.items.filter((i) => i.kind === 'rule' && i.fields.override === undefined && i.fields.append === undefined);
  }

  private dependencyItems(): RulesItem[] {
    return (this.options.after ?? []).flatMap((rules) => [...rules.dependencyItems(), ...rules.items]);
  }

  private push(kind: RulesItem['kind'], name: string, fields: Record<string, unknown>): FalcoRules {
    const defined: Record<string, unknown> = kind === 'rule' || kind === 'macro' || kind === 'list' ? { [kind]: name } : {};
    for (const key in fields) {
      // Arrays are copied: the rendered file and the validation are cached on the item count,
      // so a caller's later change to its own array must not reach them.
      if (fields[key] !== undefined) defined[key] = copyArrays(fields[key]);
    }
    this.items.push({ kind, name, fields: defined });
    return this;
  }
}

/** The event of a test, for messages: its field values, or the gist of its audit event. */
function shownEvent(test: FalcoRuleTest | undefined): unknown {
  if (test?.event !== undefined) return test.event;
  const audit = test?.auditEvent;
  return audit && typeof audit === 'object' ? { auditEvent: { verb: audit.verb, objectRef: audit.objectRef } } : audit;
}

/** `value` with every array in it copied (rows of exception values are arrays of arrays). */
function copyArrays(value: unknown): unknown {
  return Array.isArray(value) ? value.map(copyArrays) : value;
}

function exceptionFields(e: FalcoExceptionProps): Record<string, unknown> {
  return Object.fromEntries(Object.entries({ name: e.name, fields: e.fields, comps: e.comps, values: e.values })
    .filter(([, v]) => v !== undefined).map(([k, v]) => [k, copyArrays(v)]));
}

function patchFields(p: FalcoRulePatch): Record<string, unknown> {
  return {
    desc: p.description,
    condition: p.condition,
    output: p.output,
    priority: p.priority,
    tags: p.tags,
    exceptions: p.exceptions?.map(exceptionFields),
    enabled: p.enabled,
  };
}
