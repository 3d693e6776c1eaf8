import { RulesItem } from './rules-item';

/**
 * What Falco holds once every rules file is loaded: each list, macro and rule
 * in its final form, with the overrides of later entries applied in load order
 * (rule_loader_collector.cpp). The evaluator runs on this; the validator
 * checks the entries that produce it.
 */

/** A rule's exception as written (`fields`, `comps`, `values`). */
export interface LoadedException {
  readonly name: string;
  readonly fields: unknown;
  readonly comps?: unknown;
  readonly values: unknown[];
}

export interface LoadedRule {
  readonly name: string;
  readonly condition: string;
  readonly source: string;
  readonly enabled: boolean;
  readonly exceptions: LoadedException[];
}

export interface LoadedRules {
  /** Each list's items, list names among them replaced by their items. */
  readonly lists: ReadonlyMap<string, string[]>;
  readonly macros: ReadonlyMap<string, string>;
  readonly rules: ReadonlyMap<string, LoadedRule>;
}

/** The `override:` mode of a key, or 'append' for the legacy `append: true`; undefined when the entry defines. */
export function overrideMode(item: RulesItem, key: string): string | undefined {
  const override = item.fields.override;
  if (override !== null && typeof override === 'object' && !Array.isArray(override)) {
    const mode = (override as Record<string, unknown>)[key];
    return typeof mode === 'string' ? mode : undefined;
  }
  return item.fields.append === true ? 'append' : undefined;
}

export function isOverride(item: RulesItem): boolean {
  return item.fields.override !== undefined || item.fields.append === true;
}

/**
 * Lists as rules see them: Falco compiles lists in the order they were first
 * defined, replacing an item that names a list compiled before with that
 * list's items.
 */
export function resolveListItems(items: readonly RulesItem[]): Map<string, string[]> {
  const raw = new Map<string, string[]>();
  for (const item of items) {
    if (item.kind !== 'list') continue;
    const values = Array.isArray(item.fields.items) ? item.fields.items.map(String) : [];
    const append = isOverride(item) && overrideMode(item, 'items') === 'append';
    raw.set(item.name, append ? [...(raw.get(item.name) ?? []), ...values] : values);
  }
  const resolved = new Map<string, string[]>();
  for (const [name, values] of raw) {
    resolved.set(name, values.flatMap((i) => (i !== name && resolved.get(i)) || [i]));
  }
  return resolved;
}

/** Loads `items` (every file, in `rules_files` order) as Falco does. */
export function loadRules(items: readonly RulesItem[]): LoadedRules {
  const macros = new Map<string, string>();
  const rules = new Map<string, LoadedRule>();
  for (const item of items) {
    if (item.kind === 'macro' && typeof item.fields.condition === 'string') {
      const earlier = macros.get(item.name);
      const append = isOverride(item) && overrideMode(item, 'condition') === 'append';
      macros.set(item.name, append && earlier !== undefined ? `${earlier} ${item.fields.condition}` : item.fields.condition);
    } else if (item.kind === 'rule') {
      loadRule(rules, item);
    }
  }
  return { lists: resolveListItems(items), macros, rules };
}

function loadRule(rules: Map<string, LoadedRule>, item: RulesItem): void {
  const f = item.fields;
  const earlier = rules.get(item.name);
  if (!isOverride(item) && typeof f.condition === 'string') {
    rules.set(item.name, {
      name: item.name,
      condition: f.condition,
      source: typeof f.source === 'string' ? f.source : 'syscall',
      enabled: f.enabled !== false,
      exceptions: exceptionsOf(f.exceptions),
    });
    return;
  }
  if (!earlier) return;
  let { condition, enabled, exceptions } = earlier;
  if (typeof f.condition === 'string') {
    condition = overrideMode(item, 'condition') === 'append' ? `${condition} ${f.condition}` : f.condition;
  }
  if (typeof f.enabled === 'boolean') enabled = f.enabled;
  if (f.exceptions !== undefined) {
    const added = exceptionsOf(f.exceptions);
    exceptions = overrideMode(item, 'exceptions') === 'append' ? appendExceptions(exceptions, added) : added;
  }
  rules.set(item.name, { ...earlier, condition, enabled, exceptions });
}

/** Appending an exception of a name the rule has adds its values; a new name adds the exception. */
function appendExceptions(earlier: LoadedException[], added: LoadedException[]): LoadedException[] {
  const result = earlier.map((e) => ({ ...e }));
  for (const a of added) {
    const k = result.findIndex((e) => e.name === a.name);
    if (k >= 0) result[k] = { ...result[k], values: [...result[k].values, ...a.values] };
    else result.push(a);
  }
  return result;
}

function exceptionsOf(value: unknown): LoadedException[] {
  if (!Array.isArray(value)) return [];
  return value.filter((e) => e && typeof e === 'object' && typeof e.name === 'string')
    .map((e) => ({ name: e.name, fields: e.fields, comps: e.comps, values: Array.isArray(e.values) ? e.values : [] }));
}
