import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { FalcoPriority, FalcoRules } from '../../../src';
import { UPSTREAM_LISTS, UPSTREAM_MACROS } from '../../../src/falco/rules/upstream-names';

const REFERENCE = path.join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'falco_rules.yaml');

describe('upstream macro and list names', () => {
  test('are exactly the macros and lists the upstream default ruleset defines', () => {
    const upstream = FalcoRules.fromYaml(fs.readFileSync(REFERENCE, 'utf8'));
    const yamlItems: any[] = parse(upstream.toYaml());
    expect([...UPSTREAM_MACROS]).toEqual(yamlItems.filter((i) => i.macro).map((i) => i.macro));
    expect([...UPSTREAM_LISTS]).toEqual(yamlItems.filter((i) => i.list).map((i) => i.list));
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
