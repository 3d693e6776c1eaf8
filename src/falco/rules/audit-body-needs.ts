import { ConditionNode, forEachCheck, forEachField } from './condition-ast';
import { parseCondition } from './condition-parser';
import { auditEventPart } from './evaluator/audit-event-fields';
import { ConditionEvaluator, EvaluationScope, Truth } from './evaluator/condition-evaluator';
import { EventFields, Extracted, fieldKey, FieldReference, MISSING, resolveField, UNKNOWN } from './evaluator/field-values';
import { LoadedRule } from './loaded-rules';
import { pastedListItem } from './pasted-values';
import { newestSourceFields } from './plugin-catalogue';

/**
 * Which requests a `k8s_audit` rule can only match when the API server logs
 * their bodies: evaluated with three-valued logic over every request the
 * condition names (resource, subresource, verb), with each field of the
 * event unknown, and the bodies either unknown (logged) or missing (not
 * logged at that level). A request the rule could match with bodies but
 * never without them needs that level.
 */

/** The level a rule needs for some requests, and the body fields it reads. */
export interface AuditBodyNeed {
  readonly rule: string;
  readonly resource: string;
  /** '' for the resource itself. */
  readonly subresource: string;
  readonly verbs: string[];
  readonly level: 'Request' | 'RequestResponse';
  /** The `ka.req.*` / `ka.resp.*` (or body `jevt.value`) fields the condition reads, in condition order. */
  readonly fields: string[];
}

/** Verbs a rule that does not name its verbs is checked for. */
const ALL_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', 'get', 'list', 'watch'];
const LEVELS: Array<{ level: 'Metadata' | 'Request' | 'RequestResponse'; request: boolean; response: boolean }> = [
  { level: 'Metadata', request: false, response: false },
  { level: 'Request', request: true, response: false },
  { level: 'RequestResponse', request: true, response: true },
];

/** An audit event of which only the request's verb, resource and stage are known. */
class RequestAtLevel implements EventFields {
  private readonly known: ReadonlyMap<string, string | undefined>;

  constructor(resource: string, subresource: string, verb: string, private readonly request: boolean, private readonly response: boolean) {
    const sub = subresource === '' ? undefined : subresource;
    this.known = new Map([
      ['ka.verb', verb], ['jevt.value[/verb]', verb], ['json.value[/verb]', verb],
      ['ka.target.resource', resource], ['jevt.value[/objectRef/resource]', resource], ['json.value[/objectRef/resource]', resource],
      ['ka.target.subresource', sub], ['jevt.value[/objectRef/subresource]', sub], ['json.value[/objectRef/subresource]', sub],
      // Rules watch the stage at which the bodies are complete.
      ['ka.stage', 'ResponseComplete'], ['jevt.value[/stage]', 'ResponseComplete'], ['json.value[/stage]', 'ResponseComplete'],
    ]);
  }

  public get(field: FieldReference): Extracted {
    const key = fieldKey(field);
    if (this.known.has(key)) {
      const value = this.known.get(key);
      return value === undefined ? MISSING : { state: 'values', values: [value] };
    }
    const part = auditEventPart(field);
    if ((part === 'requestObject' && !this.request) || (part === 'responseObject' && !this.response)) return MISSING;
    return UNKNOWN;
  }
}

interface Candidates {
  readonly resources: Set<string>;
  readonly subresources: Set<string>;
  readonly verbs: Set<string>;
  readonly bodyFields: string[];
}

/** The requests a rule names, and the body fields it reads, through its macros (those at hand). */
function candidates(condition: ConditionNode, scope: EvaluationScope): Candidates {
  const found: Candidates = { resources: new Set(), subresources: new Set(['']), verbs: new Set(), bodyFields: [] };
  const targets: Record<string, Set<string>> = {
    'ka.target.resource': found.resources,
    'jevt.value[/objectRef/resource]': found.resources,
    'ka.target.subresource': found.subresources,
    'jevt.value[/objectRef/subresource]': found.subresources,
    'ka.verb': found.verbs,
    'jevt.value[/verb]': found.verbs,
  };
  const seen = new Set<string>();
  const visit = (node: ConditionNode): void => {
    forEachField(node, (field) => {
      const ref = resolveField(field, scope.catalogues);
      const key = fieldKey(ref);
      if (auditEventPart(ref) !== 'metadata' && !found.bodyFields.includes(key)) found.bodyFields.push(key);
    });
    forEachCheck(node, (check) => {
      if (check.left.kind !== 'field' || !check.right) return;
      const into = targets[fieldKey(resolveField(check.left, scope.catalogues))];
      const values = check.right.kind === 'value' ? [check.right] : check.right.kind === 'list' ? check.right.items : [];
      for (const v of values) {
        const items = v.quoted ? undefined : scope.lists.get(v.value);
        (items ? items.flatMap((i) => pastedListItem(i).values) : [v.value]).forEach((x) => into?.add(x));
      }
    });
    forEachMacro(node, (name) => {
      const text = scope.macros.get(name);
      if (text === undefined || seen.has(name)) return;
      seen.add(name);
      visit(parseCondition(text));
    });
  };
  visit(condition);
  return found;
}

function forEachMacro(node: ConditionNode, visit: (name: string) => void): void {
  if (node.kind === 'and' || node.kind === 'or') node.children.forEach((c) => forEachMacro(c, visit));
  else if (node.kind === 'not') forEachMacro(node.child, visit);
  else if (node.kind === 'macro') visit(node.name);
}

/**
 * The requests `rule` can only match with bodies logged, grouped by resource,
 * subresource and level. Rules whose resources the condition does not name
 * (they come from macros not at hand) are not analysed.
 */
export function auditBodyNeeds(rule: LoadedRule, scope: Omit<EvaluationScope, 'catalogues'>): AuditBodyNeed[] {
  if (rule.source !== 'k8s_audit' || !rule.enabled) return [];
  const full: EvaluationScope = { ...scope, catalogues: newestSourceFields('k8s_audit')!, unknownWhenNotAtHand: true };
  const condition = parseCondition(rule.condition);
  const found = candidates(condition, full);
  if (found.resources.size === 0 || found.bodyFields.length === 0) return [];
  const verbs = found.verbs.size > 0 ? [...found.verbs] : ALL_VERBS;
  const needs = new Map<string, AuditBodyNeed>();
  for (const resource of found.resources) {
    for (const subresource of found.subresources) {
      for (const verb of verbs) {
        const truth = (request: boolean, response: boolean): Truth =>
          new ConditionEvaluator(full, new RequestAtLevel(resource, subresource, verb, request, response)).evaluate(condition, 0).truth;
        const needed = LEVELS.find((l) => truth(l.request, l.response) !== 'false')?.level;
        if (needed === undefined || needed === 'Metadata') continue;
        const key = `${resource}/${subresource}/${needed}`;
        const need = needs.get(key);
        if (need) need.verbs.push(verb);
        else needs.set(key, { rule: rule.name, resource, subresource, verbs: [verb], level: needed, fields: found.bodyFields });
      }
    }
  }
  return [...needs.values()];
}
