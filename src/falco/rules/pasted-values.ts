import { ListNode } from './condition-ast';
import { ConditionSyntaxError, parseCondition } from './condition-parser';

/**
 * Values Falco pastes into condition text before parsing it. Its loader builds
 * no syntax tree for a rule's exceptions or a list's items: it writes them into
 * the condition (rule_loader_compiler.cpp `build_rule_exception_infos` and
 * `resolve_list`) and parses the result. A value is quoted only when it holds
 * a space and does not already start with a quote, so a value such as
 * `--config=/etc/app` or `run(1)` breaks the condition and Falco rejects the
 * rules file, and `a,b` silently becomes two values.
 */

/** An exception as Falco reads it, with its operators' defaults applied. */
export interface ExceptionShape {
  /** The fields; a single field compares each value on its own. */
  readonly fields: readonly string[];
  /** Whether `fields` is a list, so that each value is a row of one value per field. */
  readonly tuple: boolean;
  /** One operator per field: `=` by default for a list of fields, `in` for a single field. */
  readonly comps: readonly string[];
}

/** Operators whose value Falco wraps in parentheses as a list (libsinsp list operators, and modified ones such as `startswith oneof`). */
export const LIST_COMPS: ReadonlySet<string> = new Set(['in', 'pmatch', 'intersects']);

/** The condition Falco compiles for one value (single field) or one row (list of fields). */
export function exceptionCondition(shape: ExceptionShape, value: unknown): string {
  if (!shape.tuple) return `${shape.fields[0]} ${shape.comps[0]} (${quoted(value)})`;
  const row = value as unknown[];
  return shape.fields.map((field, k) => {
    const comp = shape.comps[k];
    const item = row[k];
    const text = Array.isArray(item) ? `(${item.map(quoted).join(', ')})` : isListComp(comp) ? parenthesized(String(item)) : quoted(item);
    return `${field} ${comp} ${text}`;
  }).join(' and ');
}

function isListComp(comp: string): boolean {
  return LIST_COMPS.has(comp) || comp.includes(' ');
}

/** Falco's `quote_item`: double quotes around a value with a space, unless it starts with a quote already. */
function quoted(value: unknown): string {
  const text = String(value);
  return text.includes(' ') && text[0] !== '"' && text[0] !== "'" ? `"${text}"` : text;
}

/** Falco's `paren_item`. */
function parenthesized(text: string): string {
  return text.startsWith('(') ? text : `(${text})`;
}

/** What becomes of a value pasted into a list: a syntax error, or the values Falco reads from it. */
export interface PastedValue {
  readonly error?: ConditionSyntaxError;
  readonly values: string[];
}

/** How Falco reads one list item where it pastes the list into a condition (always inside parentheses). */
export function pastedListItem(item: string): PastedValue {
  try {
    const check = parseCondition(`x.y in (${quoted(item)})`) as { right: ListNode };
    return { values: check.right.items.map((v) => v.value) };
  } catch (e) {
    return { error: e as ConditionSyntaxError, values: [] };
  }
}
