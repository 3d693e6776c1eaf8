import { ConditionNode, FieldOperand, TransformerArgument, ValueOperand } from '../../../src/falco/rules/condition-ast';

/** A compact rendering of the tree, so each expectation reads like the condition's structure. */
export function shape(node: ConditionNode): string {
  switch (node.kind) {
    case 'and':
    case 'or': return `(${node.kind} ${node.children.map(shape).join(' ')})`;
    case 'not': return `(not ${shape(node.child)})`;
    case 'macro': return `macro:${node.name}`;
    case 'check': return `[${operand(node.left)} ${node.operator}${node.right ? ` ${operand(node.right)}` : ''}]`;
  }
}

function operand(op: FieldOperand | ValueOperand | TransformerArgument): string {
  switch (op.kind) {
    case 'field': return op.arg === undefined ? op.name : `${op.name}[${op.arg}]`;
    case 'value': return op.quoted ? JSON.stringify(op.value) : op.value;
    case 'list': return `(${op.items.map(operand).join(', ')})`;
    case 'transformer-list': return `(${op.items.map(operand).join(', ')})`;
    case 'transformer': return `${op.name}(${op.args.map(operand).join(', ')})${op.arg === undefined ? '' : `[${op.arg}]`}`;
  }
}
