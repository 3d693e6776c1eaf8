import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { FalcoPriority, FalcoRules, FalcoTestOutcome, SecurityMonitoringStack } from '../../../src';

const stackWith = (rules: FalcoRules) => {
  const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', {});
  stack.falco!.addRules('tuning', rules);
  return () => Testing.synth(stack.node.scope as any);
};

describe('typed noise controls for upstream Falco rules', () => {
  test('appendExceptions, setRulePriority and appendToList write Falco override entries', () => {
    const rules = new FalcoRules()
      .appendExceptions('Terminal shell in container', [{ name: 'ci_shells', fields: ['k8s.ns.name', 'container.image.repository'], values: [['ci', 'gitlab/gitlab-runner']] }])
      .setRulePriority('Terminal shell in container', FalcoPriority.WARNING)
      .appendToList('shell_binaries', ['nu']);
    expect(parse(rules.toYaml())).toEqual([
      {
        rule: 'Terminal shell in container',
        exceptions: [{ name: 'ci_shells', fields: ['k8s.ns.name', 'container.image.repository'], values: [['ci', 'gitlab/gitlab-runner']] }],
        override: { exceptions: 'append' },
      },
      { rule: 'Terminal shell in container', priority: 'WARNING', override: { priority: 'replace' } },
      { list: 'shell_binaries', items: ['nu'], override: { items: 'append' } },
    ]);
    expect(stackWith(rules)).not.toThrow();
  });

  test('an appended exception silences the rule for that namespace only, as the rule tests evaluate it after every file loaded', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', {});
    stack.falco!.addRules('apps', new FalcoRules().addRule({
      name: 'Shell in app container',
      description: 'A shell started in a container.',
      condition: 'evt.type = execve and proc.name = bash and container.id != host',
      output: 'Shell (container=%container.id)',
      priority: FalcoPriority.NOTICE,
    }));
    const shell = { 'evt.type': 'execve', 'proc.name': 'bash', 'container.id': '3f1c2a9b8e7d', 'container.image.repository': 'gitlab/gitlab-runner' };
    stack.falco!.addRules('tuning', new FalcoRules()
      .appendExceptions('Shell in app container', [{ name: 'ci_shells', fields: ['k8s.ns.name', 'container.image.repository'], values: [['ci', 'gitlab/gitlab-runner']] }])
      .addRuleTests('Shell in app container', [
        { name: 'the CI runner in ci', event: { ...shell, 'k8s.ns.name': 'ci' }, expect: FalcoTestOutcome.NO_MATCH },
        { name: 'the same image elsewhere', event: { ...shell, 'k8s.ns.name': 'shop' }, expect: FalcoTestOutcome.MATCH },
      ]));
    expect(() => Testing.synth(stack.node.scope as any)).not.toThrow();
    // Not vacuous: expecting the exception to silence the other namespace fails synth.
    stack.falco!.addRules('wrong', new FalcoRules().addRuleTests('Shell in app container', [
      { name: 'shop silenced too', event: { ...shell, 'k8s.ns.name': 'shop' }, expect: FalcoTestOutcome.NO_MATCH },
    ]));
    expect(() => Testing.synth(stack.node.scope as any)).toThrow('test "shop silenced too" expects no match');
  });

  test.each([
    [new FalcoRules().appendExceptions('Terminal shell in containr', [{ name: 'x', fields: ['k8s.ns.name'], values: [['ci']] }]), 'did you mean "Terminal shell in container"?'],
    [new FalcoRules().setRulePriority('Terminal shel in container', FalcoPriority.INFORMATIONAL), 'did you mean "Terminal shell in container"?'],
    [new FalcoRules().appendToList('shell_binaris', ['nu']), 'did you mean "shell_binaries"?'],
  ])('a misspelt upstream name fails synth with the closest name (%#)', (rules, message) => {
    expect(stackWith(rules)).toThrow(message);
  });

  test('appendExceptions without exceptions is refused', () => {
    expect(() => new FalcoRules().appendExceptions('Terminal shell in container', [])).toThrow('exceptions must be a non-empty list');
  });
});

describe('describe() lists the Falco tuning', () => {
  test('disabled rules and tags, appended exceptions, a changed priority and an extended list, each with its file', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { falco: { disabledRules: ['Read sensitive file untrusted'], disabledTags: ['mitre_discovery'] } });
    stack.falco!.addRules('tuning', new FalcoRules()
      .appendExceptions('Terminal shell in container', [{ name: 'ci_shells', fields: ['k8s.ns.name'], values: [['ci']] }])
      .setRulePriority('Terminal shell in container', FalcoPriority.WARNING)
      .appendToList('shell_binaries', ['nu']));
    expect(stack.describe()).toContain([
      'Tuned Falco rules:',
      '  falco: rule "Read sensitive file untrusted": disabled (disabledRules)',
      '  falco: rules tagged "mitre_discovery": disabled (disabledTags)',
      '  falco: rule "Terminal shell in container": exceptions appended: ci_shells (rules file "tuning")',
      '  falco: rule "Terminal shell in container": priority NOTICE -> WARNING (rules file "tuning")',
      '  falco: list "shell_binaries": items appended: nu (rules file "tuning")',
    ].join('\n'));
  });

  test('a priority override shows the priority it replaces, from the upstream ruleset or the file that defined the rule', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', {});
    stack.falco!.addRules('own', new FalcoRules().addRule({
      name: 'Shell in build pod', description: 'd', condition: 'spawned_process and container and proc.name = bash', output: 'shell %proc.name', priority: FalcoPriority.ERROR,
    }));
    stack.falco!.addRules('quieter', new FalcoRules()
      .setRulePriority('Shell in build pod', FalcoPriority.NOTICE)
      .setRulePriority('Clear Log Activities', FalcoPriority.INFORMATIONAL));
    expect(stack.describe()).toContain([
      '  falco: rule "Shell in build pod": priority ERROR -> NOTICE (rules file "quieter")',
      '  falco: rule "Clear Log Activities": priority WARNING -> INFORMATIONAL (rules file "quieter")',
    ].join('\n'));
  });
});
