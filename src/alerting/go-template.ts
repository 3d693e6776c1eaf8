import { ErrorLocation, validationError } from '../common/validation';

/** Actions that open a block closed by `{{ end }}`. */
const BLOCK_OPENERS = new Set(['if', 'range', 'with', 'define', 'block']);

/**
 * Checks the structure of a Go template used in an Alertmanager field:
 * every `{{` is closed, no action is empty, and `if`/`range`/`with`/`define`/
 * `block` match their `end`. Alertmanager itself only expands templates when it
 * sends a notification, and `amtool check-config` does not parse them, so a
 * broken template would otherwise surface as a failed page during an incident.
 * This is not a full parser: function names and fields are not checked.
 */
export function validateGoTemplate(where: ErrorLocation, field: string, text: string): string {
  const fail = (what: string) => {
    throw validationError(where, `${field} is not a valid Go template: ${what}`, text,
      'write actions as {{ ... }} and close every if/range/with with {{ end }}');
  };
  const open: string[] = [];
  let rest = text;
  for (let start = rest.indexOf('{{'); start >= 0; start = rest.indexOf('{{')) {
    const close = rest.indexOf('}}', start + 2);
    if (close < 0) fail('"{{" without a closing "}}"');
    if (rest.slice(0, start).includes('}}')) fail('"}}" without an opening "{{"');
    // `{{-` and `-}}` trim whitespace; they are not part of the action.
    const action = rest.slice(start + 2, close).replace(/^-\s/, '').replace(/\s-$/, '').trim();
    if (action === '') fail('empty action "{{ }}"');
    const word = /^[a-z]+/.exec(action)?.[0] ?? '';
    if (BLOCK_OPENERS.has(word)) open.push(word);
    if (word === 'else' && open.length === 0) fail('"else" outside of if/range/with');
    if (word === 'end' && open.pop() === undefined) fail('"end" without an opening if/range/with');
    rest = rest.slice(close + 2);
  }
  if (rest.includes('}}')) fail('"}}" without an opening "{{"');
  if (open.length > 0) fail(`"${open[open.length - 1]}" without "end"`);
  return text;
}
