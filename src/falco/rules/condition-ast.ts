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
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const child of node.children) forEachField(child, visit);
      break;
    case 'not':
      forEachField(node.child, visit);
      break;
    case 'check':
      forEachOperandField(node.left, visit);
      if (node.right) forEachOperandField(node.right, visit);
      break;
    default:
      break;
  }
}

/** Calls `visit` on the field of an operand, or on every field inside a transformer or list. */
export function forEachOperandField(operand: FieldOperand | ValueOperand | TransformerArgument, visit: (field: FieldNode) => void): void {
  if (operand.kind === 'field') visit(operand);
  else if (operand.kind === 'transformer') for (const arg of operand.args) forEachOperandField(arg, visit);
  else if (operand.kind === 'transformer-list') for (const item of operand.items) forEachOperandField(item, visit);
}

/** Calls `visit` on every field comparison of a condition. */
export function forEachCheck(node: ConditionNode, visit: (check: CheckNode) => void): void {
  if (node.kind === 'and' || node.kind === 'or') node.children.forEach((c) => forEachCheck(c, visit));
  else if (node.kind === 'not') forEachCheck(node.child, visit);
  else if (node.kind === 'check') visit(node);
}
