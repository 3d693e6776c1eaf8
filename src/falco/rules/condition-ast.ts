/**
 * Syntax tree of a Falco condition, mirroring libsinsp's filter AST
 * (`userspace/libsinsp/filter/ast.h`). Offsets are 0-based positions in the
 * condition text, so errors can point at the token.
 */
export type ConditionNode = BoolNode | NotNode | MacroRef | CheckNode;

export interface BoolNode {
  readonly kind: 'and' | 'or';
  readonly children: ConditionNode[];
  readonly offset: number;
}

export interface NotNode {
  readonly kind: 'not';
  readonly child: ConditionNode;
  readonly offset: number;
}

/** A bare identifier: Falco resolves it as a macro. */
export interface MacroRef {
  readonly kind: 'macro';
  readonly name: string;
  readonly offset: number;
}

/** `field op value`, or `field exists`. */
export interface CheckNode {
  readonly kind: 'check';
  readonly left: FieldOperand;
  /** The operator, with its modifier when present (`= oneof`). */
  readonly operator: string;
  readonly right?: ValueOperand;
  readonly offset: number;
}

export interface FieldNode {
  readonly kind: 'field';
  readonly name: string;
  readonly arg?: string;
  readonly offset: number;
}

export interface TransformerNode {
  readonly kind: 'transformer';
  /** `tolower`, `toupper`, `b64`, `basename`, `len`, `join`, `concat`, `getopt` or `val`. */
  readonly name: string;
  readonly args: TransformerArgument[];
  readonly arg?: string;
  readonly offset: number;
}

export interface ValueNode {
  readonly kind: 'value';
  readonly value: string;
  /** Quoted strings are never list references. */
  readonly quoted: boolean;
  readonly offset: number;
}

export interface ListNode {
  readonly kind: 'list';
  readonly items: ValueNode[];
  readonly offset: number;
}

/** A parenthesised list of transformer arguments, as in `concat((a, b))`. */
export interface TransformerListNode {
  readonly kind: 'transformer-list';
  readonly items: TransformerArgument[];
  readonly offset: number;
}

export type FieldOperand = FieldNode | TransformerNode;
export type ValueOperand = ValueNode | ListNode | TransformerNode;
export type TransformerArgument = FieldNode | TransformerNode | ValueNode | TransformerListNode;

/** Calls `visit` on every field (including those inside transformers) of a condition. */
export function forEachField(node: ConditionNode, visit: (field: FieldNode) => void): void {
  const operand = (op: FieldOperand | ValueOperand | TransformerArgument | undefined): void => {
    if (!op) return;
    if (op.kind === 'field') visit(op);
    else if (op.kind === 'transformer') op.args.forEach(operand);
    else if (op.kind === 'transformer-list') op.items.forEach(operand);
  };
  switch (node.kind) {
    case 'and':
    case 'or':
      node.children.forEach((c) => forEachField(c, visit));
      break;
    case 'not':
      forEachField(node.child, visit);
      break;
    case 'check':
      operand(node.left);
      operand(node.right);
      break;
    default:
      break;
  }
}
