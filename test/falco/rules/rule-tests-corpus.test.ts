/**
 * The upstream rulesets (../shared/reference, nobody here wrote them) as test
 * subjects: every rule of the stable, incubating and sandbox files evaluates
 * against sample events without an error, and the events match exactly the
 * rules whose conditions, read by hand, say they should.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { FalcoRules, FalcoTestOutcome } from '../../../src';
import { parseCondition } from '../../../src/falco/rules/condition-parser';
import { ConditionEvaluator, EvaluationError } from '../../../src/falco/rules/evaluator/condition-evaluator';
import { FieldMapEvent } from '../../../src/falco/rules/evaluator/field-values';
import { loadRules } from '../../../src/falco/rules/loaded-rules';
import { newestSourceFields } from '../../../src/falco/rules/plugin-catalogue';

jest.setTimeout(60_000);

const REFERENCE = path.join(__dirname, '..', '..', '..', '..', 'shared', 'reference');
const stable = FalcoRules.fromYaml(fs.readFileSync(path.join(REFERENCE, 'falco_rules.yaml'), 'utf8'));
const incubating = FalcoRules.fromYaml(fs.readFileSync(path.join(REFERENCE, 'falco-incubating_rules.yaml'), 'utf8'), { after: [stable] });
const sandbox = FalcoRules.fromYaml(fs.readFileSync(path.join(REFERENCE, 'falco-sandbox_rules.yaml'), 'utf8'), { after: [incubating] });
const allRules = [...stable.ruleNames, ...incubating.ruleNames, ...sandbox.ruleNames];

const container = { 'container.id': '3f1c2a9b8e7d', 'container.image.repository': 'docker.io/library/debian' };
const EVENTS: Record<string, Record<string, unknown>> = {
  'an empty event': {},
  'an interactive bash in a container': { ...container, 'evt.type': 'execve', 'proc.name': 'bash', 'proc.tty': 34816, 'proc.cmdline': 'bash -i', 'user.name': 'root' },
  'cat reading /etc/shadow in a container': {
    ...container, 'evt.type': 'openat', 'evt.is_open_read': true, 'fd.typechar': 'f', 'fd.num': 3, 'fd.name': '/etc/shadow', 'proc.name': 'cat',
  },
  'nc connecting out': {
    ...container, 'evt.type': 'connect', 'fd.typechar': '4', 'fd.sip': '203.0.113.10', 'fd.cip': '10.0.0.1', 'fd.sport': 4444, 'fd.cport': 51234, 'evt.rawres': 0, 'proc.name': 'nc',
  },
};

test('every upstream rule evaluates on sample events, and matches only where its condition says', () => {
  const tests = new FalcoRules({ after: [sandbox] });
  for (const rule of allRules) {
    tests.addRuleTests(rule, Object.entries(EVENTS).map(([name, event]) => ({ name, event, expect: FalcoTestOutcome.NO_MATCH })));
  }
  const results = tests.runTests();
  expect(results).toHaveLength(allRules.length * Object.keys(EVENTS).length);
  expect(results.filter((r) => r.actual === undefined)).toEqual([]);
  expect(results.filter((r) => r.actual === FalcoTestOutcome.MATCH).map((r) => `${r.rule}: ${r.test}`)).toEqual([
    // open_read and sensitive_files, cat in none of the trusted lists, no exception macro applies.
    'Read sensitive file untrusted: cat reading /etc/shadow in a container',
    // spawned_process, container, shell_procs, proc.tty != 0, and container_entrypoint holds: no proc.pname.
    'Terminal shell in container: an interactive bash in a container',
  ]);
});

describe('random events never break the evaluator', () => {
  const loaded = loadRules([...(sandbox as any).dependencyItems(), ...(sandbox as any).items]);
  const catalogues = newestSourceFields('syscall')!;
  const conditions = [...loaded.rules.values()].map((r) => parseCondition(r.condition));
  const value = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('bash', 'sh', '/etc/shadow', 'execve', 'openat', 'host', '/', ''));
  const event = fc.record({
    'evt.type': fc.constantFrom('execve', 'openat', 'connect', 'open', 'ptrace', 'mmap'),
    'proc.name': value,
    'proc.pname': fc.option(value, { nil: undefined }),
    'proc.cmdline': value,
    'fd.name': value,
    'container.id': fc.constantFrom('host', '3f1c2a9b8e7d'),
    'proc.tty': fc.integer({ min: 0, max: 40000 }),
    'fd.sip': fc.ipV4(),
    'fd.sport': fc.integer({ min: 0, max: 65535 }),
    'evt.rawres': fc.integer({ min: -200, max: 200 }),
    'evt.is_open_read': fc.boolean(),
  }, { requiredKeys: ['evt.type'] });

  test('each upstream condition gives true or false for any event of valid values', () => {
    fc.assert(fc.property(event, fc.nat(conditions.length - 1), (e, k) => {
      const defined = Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined));
      const evaluator = new ConditionEvaluator({ lists: loaded.lists, macros: loaded.macros, catalogues }, new FieldMapEvent(defined, catalogues));
      try {
        const { truth } = evaluator.evaluate(conditions[k], 0);
        return truth === 'true' || truth === 'false';
      } catch (error) {
        // Only a constant Falco itself would refuse may stop an evaluation; the upstream files have none.
        if (error instanceof EvaluationError) throw new Error(`rule ${k}: ${error.message}`);
        throw error;
      }
    }), { numRuns: 2000 });
  });
});
