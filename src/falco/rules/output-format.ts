import { FieldOperand } from './condition-ast';
import { parseFieldOperand } from './condition-parser';

/** A `%field` placeholder of a rule output. */
export interface OutputPlaceholder {
  readonly operand: FieldOperand;
  readonly offset: number;
}

// What may follow `%` for Falco to read a field or transformer; anything else (`%%`, `100%`) is literal text.
const PLACEHOLDER_START = /[a-zA-Z]+[a-zA-Z0-9_]*[.(]/y;

/** Finds the `%field` placeholders of an output; throws `ConditionSyntaxError` for malformed ones. */
export function parseOutput(output: string): OutputPlaceholder[] {
  const placeholders: OutputPlaceholder[] = [];
  for (let i = output.indexOf('%'); i >= 0; i = output.indexOf('%', i + 1)) {
    if (output[i + 1] === '%') {
      i++;
      continue;
    }
    PLACEHOLDER_START.lastIndex = i + 1;
    if (!PLACEHOLDER_START.test(output)) continue;
    const { operand, end } = parseFieldOperand(output, i + 1);
    placeholders.push({ operand, offset: i });
    i = end - 1;
  }
  return placeholders;
}
