import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { FalcoRules } from '../../../src/falco/rules';

const CORPUS = path.join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'falco_rules.yaml');

describe('upstream default ruleset', () => {
  // Fails, not skips, when the corpus is missing: the corpus test is a release gate.
  const text = fs.readFileSync(CORPUS, 'utf8');

  test('loads with zero errors and zero warnings', () => {
    expect(FalcoRules.fromYaml(text).validate()).toEqual([]);
  });

  test('round-trips to an equivalent document', () => {
    expect(parse(FalcoRules.fromYaml(text).toYaml())).toEqual(parse(text));
  });

  test('custom rules loaded after it may use its macros and lists', () => {
    const upstream = FalcoRules.fromYaml(text);
    const custom = FalcoRules.fromYaml(`
- rule: Shell in container
  desc: a shell ran in a container
  condition: spawned_process and container and proc.name in (shell_binaries)
  output: shell %proc.name in %container.id
  priority: WARNING
`, { after: [upstream] });
    expect(custom.validate()).toEqual([]);
  });

  test('a custom file without the upstream file does not see its macros', () => {
    const custom = FalcoRules.fromYaml('- rule: R\n  desc: d\n  condition: spawned_process\n  output: o\n  priority: WARNING\n');
    expect(custom.validate().map((d) => d.message)).toEqual([
      'FalcoRule "R": condition references macro "spawned_process" at offset 0, which is not defined (got "spawned_process"): define the macro before this item (or in a rules file loaded earlier), or fix the name',
    ]);
  });
});
