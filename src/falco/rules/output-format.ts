import { FieldOperand } from './condition-ast';
import { ConditionSyntaxError, parseFieldOperand } from './condition-parser';

/** A `%field` placeholder of a rule output. */
export interface OutputPlaceholder {
  readonly operand: FieldOperand;
  readonly offset: number;
}

// What must follow `%`: Falco 0.44 reads every `%` as the start of a field or transformer.
const PLACEHOLDER_START = /[a-zA-Z]+[a-zA-Z0-9_]*[.(]/y;

/**
 * Finds the `%field` placeholders of an output; throws `ConditionSyntaxError`
 * for malformed ones. Falco 0.44 has no literal `%`: `%%`, `100%` and `% x` are
 * rejected ("formatting cannot end with a %", "unknown filter").
 */
export function parseOutput(output: string): OutputPlaceholder[] {
  const placeholders: OutputPlaceholder[] = [];
  for (let i = output.indexOf('%'); i >= 0; i = output.indexOf('%', i + 1)) {
    if (i + 1 >= output.length) {
      throw new ConditionSyntaxError(i, 'a "%" ends the output, and Falco has no literal "%"');
    }
    PLACEHOLDER_START.lastIndex = i + 1;
    if (!PLACEHOLDER_START.test(output)) {
      throw new ConditionSyntaxError(i + 1, 'expected a field such as %proc.name or a transformer such as %toupper(proc.name) after "%" (Falco has no literal "%")');
    }
    // Falco splits the output at every "%" first, so a placeholder never reaches past the next one.
    const next = output.indexOf('%', i + 1);
    const { operand, end } = parseFieldOperand(next < 0 ? output : output.slice(0, next), i + 1);
    placeholders.push({ operand, offset: i });
    i = end - 1;
  }
  return placeholders;
}
