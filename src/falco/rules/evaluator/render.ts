import { CheckNode, FieldOperand, TransformerArgument, ValueOperand } from '../condition-ast';

/** Condition fragments written back as text, for the part of a condition an explanation names. */

export function describeOperand(operand: FieldOperand | ValueOperand | TransformerArgument): string {
  switch (operand.kind) {
    case 'field':
      return operand.arg === undefined ? operand.name : `${operand.name}[${operand.arg}]`;
    case 'value':
      return operand.quoted || /[\s(),=]/.test(operand.value) || operand.value === '' ? JSON.stringify(operand.value) : operand.value;
    case 'list':
      return `(${operand.items.map(describeOperand).join(', ')})`;
    case 'transformer-list':
      return `(${operand.items.map(describeOperand).join(', ')})`;
    case 'transformer': {
      const text = `${operand.name}(${operand.args.map(describeOperand).join(', ')})`;
      return operand.arg === undefined ? text : `${text}[${operand.arg}]`;
    }
  }
}

export function describeCheck(check: CheckNode): string {
  const left = describeOperand(check.left);
  return check.right === undefined ? `${left} ${check.operator}` : `${left} ${check.operator} ${describeOperand(check.right)}`;
}
