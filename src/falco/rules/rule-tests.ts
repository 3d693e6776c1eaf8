import { ConditionNode } from './condition-ast';
import { ConditionSyntaxError } from './condition-parser';
import { AuditEventFields } from './evaluator/audit-event-fields';
import { ConditionEvaluator, EvaluationError, EvaluationScope, Verdict } from './evaluator/condition-evaluator';
import { EventFields, Extracted, FieldMapEvent, FieldReference, MISSING, UnknownFieldError } from './evaluator/field-values';
import { ValueError } from './evaluator/typed-values';
import { FalcoRuleTest, FalcoRuleTestResult, FalcoTestOutcome } from './falco-items';
import { FieldCatalogue } from './field-catalogue';
import { LoadedException, LoadedRule, LoadedRules, loadRules } from './loaded-rules';
import { exceptionCondition, ExceptionShape } from './pasted-values';
import { newestSourceFields } from './plugin-catalogue';
import { RulesItem } from './rules-item';

/** A test and the rule it belongs to. */
export interface RuleTestCase {
  readonly rule: string;
  readonly test: FalcoRuleTest;
  /** Its position among the rule's tests, from 1. */
  readonly position: number;
  /**
   * Whether the test is about its own file alone (a preset's shipped tests): it
   * then ignores what files loaded later change, such as entries appended to an allow-list.
   */
  readonly fileOnly?: boolean;
}

/** Macros and lists of files loaded earlier whose content is not at hand. */
export interface RuleTestExternals {
  readonly macros?: readonly string[];
  readonly lists?: readonly string[];
}


/** Values set in `event` first, then those read from the audit event. */
class LayeredEvent implements EventFields {
  constructor(private readonly layers: EventFields[]) {}

  public get(field: FieldReference): Extracted {
    for (const layer of this.layers) {
      const found = layer.get(field);
      if (found.state !== 'missing') return found;
    }
    return MISSING;
  }
}

/** Runs rule tests against the rules as Falco holds them once `items` (every file, in load order) are loaded. */
export function runRuleTests(items: readonly RulesItem[], cases: readonly RuleTestCase[], externals: RuleTestExternals = {}): FalcoRuleTestResult[] {
  if (cases.length === 0) return [];
  const loaded = loadRules(items);
  const parsed = new Map<string, ConditionNode>();
  return cases.map((c) => runOne(loaded, c, externals, parsed));
}

function runOne(loaded: LoadedRules, c: RuleTestCase, externals: RuleTestExternals, parsed: Map<string, ConditionNode>): FalcoRuleTestResult {
  const test = c.test;
  const name = test.name ?? `test ${c.position}`;
  const fail = (explanation: string): FalcoRuleTestResult => ({ rule: c.rule, test: name, expected: test.expect, passed: false, explanation });
  if (test.expect !== FalcoTestOutcome.MATCH && test.expect !== FalcoTestOutcome.NO_MATCH) {
    return fail(`expect must be FalcoTestOutcome.MATCH or FalcoTestOutcome.NO_MATCH, got ${JSON.stringify(test.expect)}`);
  }
  const rule = loaded.rules.get(c.rule);
  if (!rule) return fail(`no rule "${c.rule}" is loaded`);
  // The fields a test event of the source may set.
  const catalogues = rule.source === 'syscall' || rule.source === 'k8s_audit' ? newestSourceFields(rule.source) : undefined;
  if (!catalogues) return fail(`rules of source "${rule.source}" cannot be tested: this library has no field catalogue for it`);
  try {
    const event = testEvent(test, rule, catalogues);
    const scope: EvaluationScope = {
      lists: loaded.lists,
      macros: loaded.macros,
      externalMacros: new Set(externals.macros ?? []),
      externalLists: new Set(externals.lists ?? []),
      catalogues,
    };
    const verdict = decide(rule, new ConditionEvaluator(scope, event, parsed));
    const actual = verdict.truth === 'true' ? FalcoTestOutcome.MATCH : FalcoTestOutcome.NO_MATCH;
    return { rule: c.rule, test: name, expected: test.expect, actual, passed: actual === test.expect, explanation: verdict.why };
  } catch (e) {
    if (e instanceof EvaluationError || e instanceof ValueError || e instanceof UnknownFieldError || e instanceof ConditionSyntaxError) {
      return fail(`the test cannot be evaluated: ${e instanceof UnknownFieldError ? `the event sets ${e.message} of no ${rule.source} field catalogue` : e.message}`);
    }
    throw e;
  }
}

function testEvent(test: FalcoRuleTest, rule: LoadedRule, catalogues: readonly FieldCatalogue[]): EventFields {
  if (test.event === undefined && test.auditEvent === undefined) throw new ValueError('the test has neither event nor auditEvent');
  if (test.event !== undefined && (test.event === null || typeof test.event !== 'object' || Array.isArray(test.event))) {
    throw new ValueError('event must map field names to values');
  }
  const layers: EventFields[] = [new FieldMapEvent(test.event ?? {}, catalogues)];
  if (test.auditEvent !== undefined) {
    if (rule.source !== 'k8s_audit') throw new ValueError(`auditEvent is for k8s_audit rules; this rule's source is "${rule.source}"`);
    layers.push(new AuditEventFields(test.auditEvent));
  }
  return new LayeredEvent(layers);
}

/** Whether Falco reports the event: enabled, the condition holds, and no exception row applies. */
function decide(rule: LoadedRule, evaluator: ConditionEvaluator): Verdict {
  if (!rule.enabled) return { truth: 'false', why: 'the rule is disabled (enabled: false)' };
  const verdict = evaluator.evaluateText(rule.condition);
  if (verdict.truth !== 'true') return verdict;
  for (const exception of rule.exceptions) {
    const shape = exceptionShape(exception);
    for (const row of exception.values) {
      const applied = evaluator.evaluateText(exceptionCondition(shape, row));
      if (applied.truth === 'true') {
        return { truth: 'false', why: `the condition holds, but exception "${exception.name}" applies: ${applied.why}` };
      }
    }
  }
  return verdict;
}

/** An exception's fields and operators with Falco's defaults: `=` per field of a list, `in` for a single field. */
function exceptionShape(exception: LoadedException): ExceptionShape {
  const tuple = Array.isArray(exception.fields);
  const fields = (tuple ? exception.fields as unknown[] : [exception.fields]).map(String);
  const comps = exception.comps === undefined
    ? (tuple ? fields.map(() => '=') : ['in'])
    : (Array.isArray(exception.comps) ? exception.comps : [exception.comps]).map((comp) => String(comp).trim());
  return { fields, tuple, comps };
}
