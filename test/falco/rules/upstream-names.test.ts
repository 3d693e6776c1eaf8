import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { FalcoPriority, FalcoRules, FalcoRuleset } from '../../../src';
import { UPSTREAM_LISTS, UPSTREAM_MACROS, UPSTREAM_RULE_PRIORITIES, UPSTREAM_RULES, UPSTREAM_RULES_DISABLED, UPSTREAM_TAGS } from '../../../src/falco/rules/upstream-names';

const REFERENCE_DIR = path.join(__dirname, '..', '..', '..', '..', 'shared', 'reference');
const REFERENCE = path.join(REFERENCE_DIR, 'falco_rules.yaml');
const RULESET_FILES: Array<[FalcoRuleset, string]> = [
  [FalcoRuleset.STABLE, 'falco_rules.yaml'], [FalcoRuleset.INCUBATING, 'falco-incubating_rules.yaml'], [FalcoRuleset.SANDBOX, 'falco-sandbox_rules.yaml'],
];

describe('upstream macro and list names', () => {
  test('are exactly the macros and lists the upstream default ruleset defines', () => {
    const upstream = FalcoRules.fromYaml(fs.readFileSync(REFERENCE, 'utf8'));
    const yamlItems: any[] = parse(upstream.toYaml());
    expect([...UPSTREAM_MACROS]).toEqual(yamlItems.filter((i) => i.macro).map((i) => i.macro));
    expect([...UPSTREAM_LISTS]).toEqual(yamlItems.filter((i) => i.list).map((i) => i.list));
  });

  test.each(RULESET_FILES)('the %s ruleset\'s rule names are exactly those of %s, and those it ships disabled are listed', (ruleset, file) => {
    const items: any[] = parse(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8'));
    const rules = items.filter((i) => i.rule !== undefined);
    expect([...UPSTREAM_RULES[ruleset]]).toEqual(rules.map((i) => i.rule));
    const disabled = rules.filter((i) => i.enabled === false).map((i) => i.rule);
    expect(UPSTREAM_RULES_DISABLED.filter((rule) => UPSTREAM_RULES[ruleset].includes(rule))).toEqual(disabled);
  });

  test('each upstream rule\'s priority is the one its ruleset file gives it', () => {
    const priorities = RULESET_FILES.flatMap(([, file]) => (parse(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8')) as any[])
      .filter((i) => i.rule !== undefined).map((i) => [i.rule, i.priority]));
    expect(Object.entries(UPSTREAM_RULE_PRIORITIES)).toEqual(priorities);
  });

  test.each(RULESET_FILES)('the %s ruleset\'s tags are exactly those the rules of %s carry', (ruleset, file) => {
    const items: any[] = parse(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8'));
    const tags = new Set(items.filter((i) => i.rule !== undefined).flatMap((i) => i.tags ?? []));
    expect([...UPSTREAM_TAGS[ruleset]]).toEqual([...tags].sort());
  });

  test('let a rules file loaded after upstream use its macros, and still catch typos', () => {
    const rules = new FalcoRules().addRule({
      name: 'Shell',
      description: 'd',
      condition: 'spawned_process and container and proc.name in (shell_binaries)',
      output: 'shell %proc.name',
      priority: FalcoPriority.WARNING,
    });
    const context = { macros: [...UPSTREAM_MACROS], lists: [...UPSTREAM_LISTS], plugins: ['container'] };
    expect(rules.validate(context)).toEqual([]);
    expect(rules.validate().map((d) => d.message).join('\n')).toContain('macro "spawned_process" at offset 0, which is not defined');
    const typo = new FalcoRules().addRule({ name: 'T', description: 'd', condition: 'spawned_procss', output: 'x', priority: FalcoPriority.WARNING });
    expect(typo.validate(context)[0].message).toContain('(did you mean "spawned_process"?)');
  });
});
