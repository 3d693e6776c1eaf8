/** The kinds of top-level entries of a Falco rules file, by their leading key. */
export type RulesItemKind = 'rule' | 'macro' | 'list' | 'required_engine_version' | 'required_plugin_versions';

export const ITEM_KINDS: RulesItemKind[] = ['rule', 'macro', 'list', 'required_engine_version', 'required_plugin_versions'];

/**
 * One entry of a rules file, kept as the YAML mapping Falco reads so that a
 * loaded file writes back unchanged; the typed props only build these.
 */
export interface RulesItem {
  readonly kind: RulesItemKind;
  /** The rule/macro/list name, or the kind for requirement entries. */
  readonly name: string;
  readonly fields: Record<string, unknown>;
}

/** How diagnostics name an item: `FalcoRule "Shell in container"`. */
export function describeItem(item: RulesItem): string {
  switch (item.kind) {
    case 'rule': return `FalcoRule "${item.name}"`;
    case 'macro': return `FalcoMacro "${item.name}"`;
    case 'list': return `FalcoList "${item.name}"`;
    default: return `Falco ${item.kind}`;
  }
}
