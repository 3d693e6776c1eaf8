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
  /**
   * Sample events and whether the rule must match them, checked at synth (not written to the rules file).
   * @default - none
   */
  readonly tests?: FalcoRuleTest[];
}

/** What a rule test expects the rule to do with its event. */
export enum FalcoTestOutcome {
  /** The rule fires: its condition holds and no exception applies. */
  MATCH = 'match',
  /** The rule stays quiet. */
  NO_MATCH = 'no-match',
}

/**
 * A sample event and the outcome a rule must produce for it, evaluated the way
 * libsinsp evaluates the rule's condition (macros, lists, exceptions and
 * overrides of every loaded file applied). No kernel, no Falco: field values in,
 * match or no match out.
 */
export interface FalcoRuleTest {
  /**
   * What the event shows, for failure messages, e.g. "bash in a container".
   * @default - "test N" (its position among the rule's tests)
   */
  readonly name?: string;
  /**
   * Field values of the event, by field name as conditions write them:
   * `{ 'evt.type': 'execve', 'proc.name': 'bash', 'container.id': 'abc123' }`.
   * Lists (`fd.types`, the k8saudit container fields) are arrays; fields with an
   * argument are written with it (`proc.aname[2]`, `container.label[app]`).
   * A field the event does not set is missing, as for an event Falco cannot
   * extract it from: every comparison on it is false. With `auditEvent`, these
   * values take precedence over those read from it.
   * @default - none
   */
  readonly event?: { [field: string]: any };
  /**
   * An `audit.k8s.io/v1` Event (the JSON the API server writes), for
   * `k8s_audit` rules: its `ka.*`, `jevt.*` and `json.*` fields are read as the
   * k8saudit and json plugins read them.
   * @default - none
   */
  readonly auditEvent?: { [key: string]: any };
  /** Whether the rule must match the event. */
  readonly expect: FalcoTestOutcome;
}

/** The outcome of one rule test. */
export interface FalcoRuleTestResult {
  /** The rule tested. */
  readonly rule: string;
  /** The test's name. */
  readonly test: string;
  /** The outcome the test expects. */
  readonly expected: FalcoTestOutcome;
  /**
   * The outcome the rule produced.
   * @default - none: the test could not be evaluated (see `explanation`)
   */
  readonly actual?: FalcoTestOutcome;
  /** Whether the rule produced the expected outcome. */
  readonly passed: boolean;
  /** The part of the condition (or the exception) that decided, with the values the event gave it; or why the test could not run. */
  readonly explanation: string;
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
