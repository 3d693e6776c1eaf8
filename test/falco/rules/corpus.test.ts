import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { FalcoRules } from '../../../src/falco/rules';

const REFERENCE = path.join(__dirname, '..', '..', '..', '..', 'shared', 'reference');
const CORPUS = path.join(REFERENCE, 'falco_rules.yaml');

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

describe('the incubating and sandbox rulesets', () => {
  test('load after falco_rules.yaml, in Falco\'s rules_files order, with zero errors', () => {
    const loaded: FalcoRules[] = [];
    const errors: Record<string, string[]> = {};
    for (const file of ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml']) {
      const rules = FalcoRules.fromYaml(fs.readFileSync(path.join(REFERENCE, file), 'utf8'), { after: [...loaded] });
      errors[file] = rules.validate().filter((d) => d.severity === 'error').map((d) => d.message);
      loaded.push(rules);
    }
    expect(errors).toEqual({ 'falco_rules.yaml': [], 'falco-incubating_rules.yaml': [], 'falco-sandbox_rules.yaml': [] });
    // Each file has rules to check.
    for (const rules of loaded) expect(rules.ruleNames.length).toBeGreaterThan(20);
  });
});

describe('upstream wording is not mistaken for a credential', () => {
  test('a rule named like an Authorization scheme loads (falcosecurity/rules sandbox: "Basic Interactive Reconnaissance")', () => {
    const rules = FalcoRules.fromYaml('- rule: Basic Interactive Reconnaissance\n  desc: d\n  condition: evt.type = execve and proc.name = whoami\n  output: Basic Interactive Reconnaissance | %proc.name\n  priority: NOTICE\n');
    expect(rules.validate()).toEqual([]);
    expect(() => FalcoRules.fromYaml('- list: l\n  items: ["Basic dXNlcjpwYXNz"]\n')).toThrow(/Authorization header value/);
  });
});
