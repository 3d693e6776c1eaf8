/**
 * What Falco's loader does with names: empty names and macros that use
 * themselves are refused, a rule defined twice keeps only its last definition,
 * and rule selections that name nothing loaded apply to nothing.
 */
import { Testing } from 'cdk8s';
import {
  FalcoDefaultRules, FalcoDeployment, FalcoDeploymentProps, FalcoOverrideMode, FalcoPlugin, FalcoPriority, FalcoRuleProps, FalcoRules, FalcoRuleset,
  SecurityMonitoringStack,
} from '../../src';
import { synth } from '../util';

const rule = (name: string, extra: Partial<FalcoRuleProps> = {}): FalcoRuleProps => ({
  name, description: 'd', condition: 'evt.type = execve and proc.name = bash', output: 'shell %proc.name', priority: FalcoPriority.WARNING, ...extra,
});
const messages = (rules: FalcoRules) => rules.validate().map((d) => `${d.severity}: ${d.message}`);

describe('rules files', () => {
  test.each([
    ['rule', new FalcoRules().addRule(rule(''))],
    ['macro', new FalcoRules().addMacro({ name: '', condition: 'evt.type = execve' })],
    ['list', new FalcoRules().addList({ name: ' ', items: ['bash'] })],
  ])('an empty %s name is an error', (kind, rules) => {
    expect(messages(rules)).toEqual([`error: Falco${kind[0].toUpperCase()}${kind.slice(1)} "${kind === 'list' ? ' ' : ''}": ${kind} name is empty (got "${kind === 'list' ? ' ' : ''}"): give the ${kind} a name`]);
  });

  test('a macro that references itself is an error', () => {
    const rules = new FalcoRules().addMacro({ name: 'shell_spawn', condition: 'evt.type = execve and shell_spawn' }).addRule(rule('R', { condition: 'shell_spawn' }));
    expect(messages(rules)).toEqual(['error: FalcoMacro "shell_spawn": condition references macro "shell_spawn" at offset 22, which is the macro itself (a reference loop) '
      + '(got "shell_spawn"): a macro cannot use itself: to extend it, override it with append and write only the added condition']);
  });

  test('so is an override that names the macro it replaces', () => {
    const rules = new FalcoRules().addMacro({ name: 'shells', condition: 'proc.name = bash' })
      .addMacro({ name: 'shells', condition: 'shells or proc.name = sh', override: FalcoOverrideMode.REPLACE });
    expect(messages(rules)).toEqual(['error: FalcoMacro "shells": condition references macro "shells" at offset 0, which is the macro itself (a reference loop) '
      + '(got "shells"): a macro cannot use itself: to extend it, override it with append and write only the added condition']);
  });

  test('a rule defined twice in one file is a warning: Falco keeps the second', () => {
    expect(messages(new FalcoRules().addRule(rule('Shell')).addRule(rule('Shell')))).toEqual([
      'warning: FalcoRule "Shell": is defined again, so Falco keeps only this definition and drops the earlier one (got "Shell"): '
        + 'rename one of them, or change the earlier rule with an override (FalcoRules.overrideRule) instead of defining it again',
    ]);
  });
});

describe('a FalcoDeployment', () => {
  const falco = (props: FalcoDeploymentProps = {}) => new FalcoDeployment(Testing.chart(), 'falco', props);

  test('warns about a rule that two loaded files define, upstream included', () => {
    const deployment = falco().addRules('a', new FalcoRules().addRule(rule('Terminal shell in container'))).addRules('b', new FalcoRules().addRule(rule('Mine')))
      .addRules('c', new FalcoRules().addRule(rule('Mine')));
    synth(deployment);
    expect(deployment.warnings).toEqual([
      'test/falco: rule "Terminal shell in container" is defined in the stable ruleset and again in rules file "a", so Falco keeps only the later definition '
        + '(got "Terminal shell in container"): rename one of them, or change the earlier rule with an override (FalcoRules.overrideRule) instead of defining it again',
      'test/falco: rule "Mine" is defined in rules file "b" and again in rules file "c", so Falco keeps only the later definition '
        + '(got "Mine"): rename one of them, or change the earlier rule with an override (FalcoRules.overrideRule) instead of defining it again',
    ]);
  });

  test('an override of an upstream rule, or of a rule of an earlier file, is no redefinition (and no error)', () => {
    const deployment = falco()
      .addRules('a', new FalcoRules().overrideRule({ name: 'Terminal shell in container', append: { condition: 'and proc.name != bash' } })
        .addMacro({ name: 'my_shells', condition: 'proc.name in (bash, sh)' }).addRule(rule('Mine')))
      .addRules('b', new FalcoRules().overrideRule({ name: 'Mine', replace: { condition: 'evt.type = execve and my_shells' } }));
    synth(deployment);
    expect(deployment.warnings).toEqual([]);
  });

  test.each([
    ['a misspelt rule', { disabledRules: ['Terminal shel in container'] },
      'test/falco: disabledRules names no rule of the rules files this Falco loads (did you mean "Terminal shell in container"?), so Falco would apply it to nothing '
        + '(got "Terminal shel in container"): use a rule of the stable ruleset (wildcards * allowed), or remove it'],
    ['a rule of a ruleset not loaded', { enabledRules: ['Launch Privileged Container'] },
      'test/falco: enabledRules names no rule of the rules files this Falco loads: it is in the incubating ruleset, which this Falco does not load '
        + '(got "Launch Privileged Container"): load that ruleset (FalcoDefaultRules.falcoctl({ rulesets: [...] })), or remove "Launch Privileged Container" from enabledRules'],
    ['a misspelt tag', { disabledTags: ['mitre_exection'] },
      'test/falco: disabledTags names no tag of the rules files this Falco loads (did you mean "mitre_execution"?), so Falco would apply it to nothing '
        + '(got "mitre_exection"): use a tag of the stable ruleset, or remove it'],
    ['a pattern that matches nothing', { disabledRules: ['Netcat*Host'] },
      'test/falco: disabledRules names no rule of the rules files this Falco loads: it is in the sandbox ruleset, which this Falco does not load '
        + '(got "Netcat*Host"): load that ruleset (FalcoDefaultRules.falcoctl({ rulesets: [...] })), or remove "Netcat*Host" from disabledRules'],
  ])('%s is an error', (_name, props, message) => {
    expect(() => synth(falco(props))).toThrow(message);
  });

  test('selections that name loaded rules and tags pass: upstream, incubating, custom, and wildcards', () => {
    const deployment = falco({
      defaultRules: FalcoDefaultRules.falcoctl({ rulesets: [FalcoRuleset.STABLE, FalcoRuleset.INCUBATING] }),
      disabledRules: ['Launch Privileged Container', 'Mine', 'PTRACE*'],
      disabledTags: ['maturity_incubating', 'my_tag'],
      enabledRules: ['Terminal shell in container'],
    }).addRules('custom', new FalcoRules().addRule(rule('Mine', { tags: ['my_tag'] })));
    expect(() => synth(deployment)).not.toThrow();
    expect(deployment.warnings).toEqual([]);
  });

  test('a name that only a plugin\'s rules artifact may define is a warning', () => {
    const chart = Testing.chart();
    const stack = new SecurityMonitoringStack(chart, 'stack', { falco: { plugins: [FalcoPlugin.k8sAudit()], disabledRules: ['Attach/Exec Pod'] } });
    synth(chart);
    expect(stack.warnings).toContain('test/stack/falco: disabledRules names no rule of the rules files this Falco loads here; it may be in the rules of plugin "k8saudit" '
      + '(k8saudit-rules:0.16), whose rules are not known here (got "Attach/Exec Pod"): check the name against those rules, or remove it from disabledRules');
  });
});
