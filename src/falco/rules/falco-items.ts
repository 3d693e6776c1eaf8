import { FalcoPriority } from '../priority';

/** How an override entry changes a key of an item defined earlier. */
export enum FalcoOverrideMode {
  /** Adds to the earlier value (condition text, list items, tags, exceptions). */
  APPEND = 'append',
  /** Replaces the earlier value. */
  REPLACE = 'replace',
}

/**
 * A Falco rule exception: events matching every field comparison of one row of
 * `values` are not reported.
 * @see https://falco.org/docs/concepts/rules/exceptions/
 */
export interface FalcoExceptionProps {
  /** Name, unique within the rule. */
  readonly name: string;
  /** Fields compared, e.g. `['proc.pname', 'container.image.repository']`. */
  readonly fields: string[];
  /**
   * One operator per field (`=`, `in`, `pmatch`, `startswith`, ...).
   * @default - `=` for every field
   */
  readonly comps?: string[];
  /**
   * Rows of values, each with one value per field.
   * @default - no rows (the exception matches nothing until values are appended)
   */
  readonly values?: string[][];
}

/** A Falco rule. */
export interface FalcoRuleProps {
  /** The rule name (`rule:`). */
  readonly name: string;
  /** `desc:` */
  readonly description: string;
  /** `condition:` in Falco's filter language. */
  readonly condition: string;
  /** `output:` with `%field` placeholders. */
  readonly output: string;
  /** `priority:` */
  readonly priority: FalcoPriority;
  /** `tags:` @default - none */
  readonly tags?: string[];
  /** `source:` (`syscall`, `k8s_audit`, or a plugin's source). @default 'syscall' */
  readonly source?: string;
  /** `enabled:` @default true */
  readonly enabled?: boolean;
  /** `exceptions:` @default - none */
  readonly exceptions?: FalcoExceptionProps[];
}

/** Keys of a rule that an override entry may change. */
export interface FalcoRulePatch {
  /** `desc:` @default - unchanged */
  readonly description?: string;
  /** `condition:` (appended text usually starts with `and`). @default - unchanged */
  readonly condition?: string;
  /** `output:` @default - unchanged */
  readonly output?: string;
  /** `priority:` (replace only). @default - unchanged */
  readonly priority?: FalcoPriority;
  /** `tags:` @default - unchanged */
  readonly tags?: string[];
  /** `exceptions:` @default - unchanged */
  readonly exceptions?: FalcoExceptionProps[];
  /** `enabled:` (replace only). @default - unchanged */
  readonly enabled?: boolean;
}

/** Changes to a rule defined earlier (Falco's `override:`). */
export interface FalcoRuleOverrideProps {
  /** Name of the rule to change. */
  readonly name: string;
  /** Keys whose values are appended. @default - none */
  readonly append?: FalcoRulePatch;
  /** Keys whose values are replaced. @default - none */
  readonly replace?: FalcoRulePatch;
}

/** A Falco macro: a named condition fragment. */
export interface FalcoMacroProps {
  /** The macro name (`macro:`). */
  readonly name: string;
  /** `condition:` */
  readonly condition: string;
  /**
   * Changes the condition of a macro defined earlier instead of defining one.
   * @default - defines a new macro
   */
  readonly override?: FalcoOverrideMode;
}

/** A Falco list: named values for `in`, `intersects` and `pmatch`. */
export interface FalcoListProps {
  /** The list name (`list:`). */
  readonly name: string;
  /** `items:` (may name lists defined earlier). */
  readonly items: string[];
  /**
   * Changes the items of a list defined earlier instead of defining one.
   * @default - defines a new list
   */
  readonly override?: FalcoOverrideMode;
}

/** A plugin a rules file needs (`required_plugin_versions`). */
export interface FalcoPluginRequirement {
  /** Plugin name, e.g. `container` or `k8saudit`. */
  readonly name: string;
  /** Minimum semantic version, e.g. `0.4.0`. */
  readonly version: string;
}

/** A problem found in a rules file. */
export interface FalcoDiagnostic {
  /** 'error' or 'warning'. */
  readonly severity: string;
  /** The rule, macro or list concerned. */
  readonly item: string;
  /** What is wrong, where, the value received and how to fix it. */
  readonly message: string;
}
