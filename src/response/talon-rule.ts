import { TalonActionner } from './talon-actionner';
import { TalonRuleEnd } from './talon-catalogue';
import { TalonObjectStore } from './talon-object-store';
import { ErrorLocation, validateInstance, validationError } from '../common/validation';
import { FalcoPriority } from '../falco/priority';

/** Which Falco events a Talon rule reacts to; every condition given must hold. */
export interface TalonMatch {
  /** Falco rule names, any of them (`match.rules`). @default - any rule */
  readonly rules?: string[];
  /** Least severe Falco priority (`match.priority: ">=<priority>"`). @default - any priority */
  readonly minimumPriority?: FalcoPriority;
  /**
   * Tag sets (`match.tags`): the event matches when it carries all tags of at
   * least one set, e.g. `[['container', 'shell']]`.
   * @default - any tags
   */
  readonly tags?: string[][];
  /**
   * Output field conditions, `field=value` or `field!=value`, all of which
   * must hold (one `match.output_fields` entry), e.g. `['k8s.ns.name!=kube-system']`.
   * @default - none
   */
  readonly outputFields?: string[];
}

/** One step of a Talon rule. */
export interface TalonAction {
  /** Name of the action, shown in Talon's notifications. */
  readonly name: string;
  /** What the action does. */
  readonly actionner: TalonActionner;
  /** Run the next action even if this one fails (`ignore_errors`). @default false */
  readonly ignoreErrors?: boolean;
}

/** A Falco Talon rule: Falco events it matches and the actions it runs on them. */
export interface TalonRuleProps {
  /** Unique rule name. */
  readonly name: string;
  /** What the rule is for. @default - none */
  readonly description?: string;
  /** The events the rule reacts to. At least one condition is required. */
  readonly match: TalonMatch;
  /** Actions, run in order. */
  readonly actions: TalonAction[];
  /**
   * Log what the actions would do without doing it (`dry_run`). Start new
   * rules in dry-run and turn it off once their matches are trusted.
   * @default false
   */
  readonly dryRun?: boolean;
  /** Let later rules also act on a matched event (`continue`). @default false */
  readonly continue?: boolean;
}

const TAG = /^[a-z_0-9.]*[a-z0-9]$/i;
const OUTPUT_FIELD = /^[a-z0-9.[\]]+!?=[^,]+$/i;

/** Rejects a value that is set but is not a list, before it is iterated. */
function optionalList(where: ErrorLocation, field: string, value: unknown): void {
  if (value !== undefined && !Array.isArray(value)) throw validationError(where, `${field} must be a list`, value, `pass an array, or leave ${field} out`);
}

/** Validates a rule and renders it in Talon's rules-file format. */
export function renderTalonRule(rule: TalonRuleProps, store: TalonObjectStore | undefined): Record<string, unknown> {
  if (rule === null || typeof rule !== 'object') {
    throw validationError('FalcoTalon', 'a rule is not an object', rule, 'pass { name, match, actions }');
  }
  const where = `TalonRule "${rule.name}"`;
  if (typeof rule.name !== 'string' || rule.name.trim() === '' || /[\n\r]/.test(rule.name)) {
    throw validationError('FalcoTalon', 'a rule name is empty or spans lines', rule.name, 'give every rule a one-line name');
  }
  if (rule.match !== undefined && (rule.match === null || typeof rule.match !== 'object')) {
    throw validationError(where, 'match is not an object', rule.match, 'pass e.g. { rules: ["Terminal shell in container"] }');
  }
  const match = rule.match ?? {};
  for (const field of ['rules', 'tags', 'outputFields', 'actions'] as const) {
    optionalList(where, field === 'actions' ? field : `match.${field}`, field === 'actions' ? rule.actions : match[field]);
  }
  (match.tags ?? []).forEach((set, i) => optionalList(where, `match.tags[${i}]`, set));
  validateMatch(where, match);
  if (!rule.actions?.length) {
    throw validationError(where, 'rule has no actions', rule.actions, 'add at least one action');
  }
  const names = new Set<string>();
  const actions = rule.actions.map((action, i) => {
    if (action === null || typeof action !== 'object') {
      throw validationError(where, `actions[${i}] is not an object`, action, 'pass { name, actionner }');
    }
    if (names.has(action.name)) {
      throw validationError(where, 'two actions have the same name', action.name, 'give each action of a rule its own name');
    }
    names.add(action.name);
    return renderAction(where, action, store, rule.actions[i + 1]);
  });
  return {
    rule: rule.name,
    ...(rule.description ? { description: rule.description } : {}),
    match: {
      ...(match.rules?.length ? { rules: [...match.rules] } : {}),
      ...(match.minimumPriority ? { priority: `>=${priorityWord(match.minimumPriority)}` } : {}),
      // Talon reads each entry as a comma-separated set of tags that must all be present.
      ...(match.tags?.length ? { tags: match.tags.map((set) => set.join(', ')) } : {}),
      ...(match.outputFields?.length ? { output_fields: [match.outputFields.join(', ')] } : {}),
    },
    // Talon parses these as strings, 'true' or 'false'.
    ...(rule.dryRun ? { dry_run: 'true' } : {}),
    ...(rule.continue ? { continue: 'true' } : {}),
    actions,
  };
}

/** Checks the conditions of a rule's `match`, whose lists are known to be lists. */
function validateMatch(where: string, match: TalonMatch): void {
  if (match.minimumPriority !== undefined && !Object.values(FalcoPriority).includes(match.minimumPriority)) {
    throw validationError(where, 'match.minimumPriority is not a Falco priority', match.minimumPriority, 'use a FalcoPriority, e.g. FalcoPriority.CRITICAL');
  }
  if (!match.rules?.length && !match.minimumPriority && !match.tags?.length && !match.outputFields?.length) {
    throw validationError(where, 'match has no condition, so the rule would act on every Falco event', match,
      'match on rules, minimumPriority, tags or outputFields');
  }
  for (const name of match.rules ?? []) {
    if (typeof name !== 'string' || name.trim() === '' || /[\n\r]/.test(name)) {
      throw validationError(where, 'match.rules contains an empty or multi-line rule name', name, 'use Falco rule names exactly as in the rules files');
    }
  }
  for (const tag of (match.tags ?? []).flat()) {
    if (typeof tag !== 'string' || !TAG.test(tag)) {
      throw validationError(where, 'match.tags contains an invalid tag', tag, "use letters, digits, '_' and '.', e.g. \"mitre_execution\"");
    }
  }
  for (const field of match.outputFields ?? []) {
    if (typeof field !== 'string' || !OUTPUT_FIELD.test(field)) {
      throw validationError(where, 'match.outputFields entry is not field=value or field!=value', field, 'use e.g. "k8s.ns.name!=kube-system"');
    }
  }
}

/** @param next the rule's next action, if any */
function renderAction(
  where: string, action: TalonAction, store: TalonObjectStore | undefined, next: TalonAction | undefined,
): Record<string, unknown> {
  if (typeof action.name !== 'string' || action.name.trim() === '') {
    throw validationError(where, 'an action has no name', action.name, 'name every action');
  }
  const actionner = validateInstance(where, `action "${action.name}" actionner`, action.actionner, TalonActionner,
    'use a TalonActionner factory, e.g. TalonActionner.label({ ... })');
  if (actionner._evidence && !store) {
    throw validationError(where, `action "${action.name}" uploads evidence but FalcoTalon has no evidenceStore`, actionner._evidence.bucket,
      'set evidenceStore on FalcoTalon (TalonObjectStore.minio or TalonObjectStore.awsS3), or drop evidenceBucket where the actionner allows it');
  }
  if (next && actionner._endsRule === TalonRuleEnd.REMOVES_TARGET) {
    throw validationError(where,
      `action "${next?.name}" comes after "${action.name}", whose ${actionner.name} removes what it would act on, so Talon never runs it`, next?.name, `make "${action.name}" the rule's last action`);
  }
  return {
    action: action.name,
    actionner: actionner.name,
    ...(Object.keys(actionner._parameters).length ? { parameters: actionner._parameters } : {}),
    ...(action.ignoreErrors ? { ignore_errors: 'true' } : {}),
    // Talon stops the rule after this actionner unless told to go on: the actions listed after it are meant to run.
    ...(next && actionner._endsRule === TalonRuleEnd.BY_DEFAULT ? { continue: 'true' } : {}),
    ...(actionner._evidence && store ? { output: { target: store.target, parameters: actionner._evidence } } : {}),
  };
}

/** Talon spells priorities like Falco's rules files: `Critical`, not `CRITICAL`. */
function priorityWord(priority: FalcoPriority): string {
  return priority.charAt(0) + priority.slice(1).toLowerCase();
}
