import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { FalcoDeployment, FalcoOverrideMode, FalcoPresets, FalcoPriority, FalcoRules, FalcoTestOutcome } from '../../../src';

const CORPUS = path.join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'falco_rules.yaml');
const { MATCH, NO_MATCH } = FalcoTestOutcome;

const shellRule = {
  name: 'Shell in container',
  description: 'A shell started in a container.',
  condition: 'spawned and proc.name in (shells) and container.id != host',
  output: 'Shell in container (command=%proc.cmdline container=%container.id)',
  priority: FalcoPriority.WARNING,
};

function shellRules(): FalcoRules {
  return new FalcoRules()
    .requirePlugins([{ name: 'container', version: '0.4.0' }])
    .addList({ name: 'shells', items: ['bash', 'sh'] })
    .addMacro({ name: 'spawned', condition: 'evt.type in (execve, execveat)' });
}

const bashInContainer = { 'evt.type': 'execve', 'proc.name': 'bash', 'container.id': '3f1c2a9b8e7d' };

describe('rule tests', () => {
  test('pass silently when the rule does what they expect', () => {
    const rules = shellRules().addRule({
      ...shellRule,
      tests: [
        { name: 'bash in a container', event: bashInContainer, expect: MATCH },
        { name: 'bash on the host', event: { ...bashInContainer, 'container.id': 'host' }, expect: NO_MATCH },
      ],
    });
    expect(rules.validate()).toEqual([]);
    expect(rules.runTests().map((r) => [r.test, r.actual, r.passed])).toEqual([
      ['bash in a container', MATCH, true],
      ['bash on the host', NO_MATCH, true],
    ]);
  });

  test('a failure names the rule, the test, the event and the part of the condition that decided', () => {
    const rules = shellRules().addRule({ ...shellRule, tests: [{ event: { ...bashInContainer, 'proc.name': 'zsh' }, expect: MATCH }] });
    expect(rules.validate()).toEqual([{
      severity: 'error',
      item: 'Shell in container',
      message: 'FalcoRule "Shell in container": test "test 1" expects a match, but the rule does not match: '
        + 'proc.name in (shells) is false: proc.name is "zsh" '
        + '(got {"evt.type":"execve","proc.name":"zsh","container.id":"3f1c2a9b8e7d"}): '
        + "fix the condition, or the test's event or expect if the rule is right (the part named decided)",
    }]);
    expect(() => rules.assertValid()).toThrow(/test "test 1" expects a match/);
  });

  test('an unexpected match names what held, through macros', () => {
    const rules = shellRules().addRule({ ...shellRule, tests: [{ name: 'sh', event: { ...bashInContainer, 'proc.name': 'sh' }, expect: NO_MATCH }] });
    const [failure] = rules.runTests();
    expect(failure.passed).toBe(false);
    expect(failure.explanation).toBe('spawned [evt.type in (execve, execveat) is true: evt.type is "execve"] and '
      + 'proc.name in (shells) is true: proc.name is "sh" and container.id != host is true: container.id is "3f1c2a9b8e7d"');
  });

  test('exceptions apply, with their default operators, and name themselves when they decide', () => {
    const rules = shellRules().addRule({
      ...shellRule,
      exceptions: [
        { name: 'trusted_parents', fields: ['proc.pname', 'container.image.repository'], comps: ['=', 'startswith'], values: [['sshd', 'docker.io/library/']] },
        { name: 'ci_images', fields: ['container.image.repository'], values: [['ghcr.io/acme/ci']] },
        { name: 'single', fields: 'proc.cmdline' as any, values: ['bash -c true'] as any },
      ],
      tests: [
        { name: 'sshd in debian', event: { ...bashInContainer, 'proc.pname': 'sshd', 'container.image.repository': 'docker.io/library/debian' }, expect: NO_MATCH },
        { name: 'sshd in ci', event: { ...bashInContainer, 'container.image.repository': 'ghcr.io/acme/ci' }, expect: NO_MATCH },
        { name: 'single field, in', event: { ...bashInContainer, 'proc.cmdline': 'bash -c true' }, expect: NO_MATCH },
        { name: 'sshd elsewhere', event: { ...bashInContainer, 'proc.pname': 'sshd', 'container.image.repository': 'quay.io/x' }, expect: MATCH },
      ],
    });
    expect(rules.validate()).toEqual([]);
    expect(rules.runTests()[0].explanation).toBe('the condition holds, but exception "trusted_parents" applies: '
      + 'proc.pname = sshd is true: proc.pname is "sshd" and container.image.repository startswith docker.io/library/ is true: container.image.repository is "docker.io/library/debian"');
  });

  test('run against the rule as Falco holds it after the files it is loaded after: overrides, appended lists and exceptions', () => {
    const base = shellRules().addRule(shellRule);
    const later = new FalcoRules({ after: [base] })
      .addList({ name: 'shells', items: ['zsh'], override: FalcoOverrideMode.APPEND })
      .overrideRule({ name: 'Shell in container', append: { condition: 'and not proc.pname = sshd' } })
      .addRuleTests('Shell in container', [
        { name: 'zsh, appended to the list', event: { ...bashInContainer, 'proc.name': 'zsh' }, expect: MATCH },
        { name: 'under sshd, appended to the condition', event: { ...bashInContainer, 'proc.pname': 'sshd' }, expect: NO_MATCH },
      ]);
    expect(later.validate()).toEqual([]);
    const disabled = new FalcoRules({ after: [base] }).disableRule('Shell in container').addRuleTests('Shell in container', [{ event: bashInContainer, expect: MATCH }]);
    expect(disabled.runTests()[0].explanation).toBe('the rule is disabled (enabled: false)');
  });

  test('upstream rules can be tested once their file is loaded', () => {
    const upstream = FalcoRules.fromYaml(fs.readFileSync(CORPUS, 'utf8'));
    const terminal = { 'evt.type': 'execve', 'proc.name': 'bash', 'container.id': '3f1c2a9b8e7d', 'proc.tty': 34816 };
    const rules = new FalcoRules({ after: [upstream] }).addRuleTests('Terminal shell in container', [
      // container_entrypoint: "not proc.pname exists or proc.pname in (runc, ...)": a parent that has exited counts.
      { name: 'kubectl exec -it, parent gone', event: terminal, expect: MATCH },
      { name: 'kubectl exec -it under runc', event: { ...terminal, 'proc.pname': 'runc:[1:CHILD]' }, expect: MATCH },
      { name: 'bash started by a script', event: { ...terminal, 'proc.pname': 'entrypoint.sh' }, expect: NO_MATCH },
      { name: 'no terminal', event: { ...terminal, 'proc.tty': 0 }, expect: NO_MATCH },
    ]);
    expect(rules.runTests().map((r) => [r.test, r.passed, r.passed ? '' : r.explanation])).toEqual([
      ['kubectl exec -it, parent gone', true, ''],
      ['kubectl exec -it under runc', true, ''],
      ['bash started by a script', true, ''],
      ['no terminal', true, ''],
    ]);
  });

  test('a rule using macros whose content is not at hand cannot be tested, and says how to fix that', () => {
    const rules = new FalcoRules().addRule({ ...shellRule, condition: 'spawned_process and container and shell_procs', tests: [{ event: bashInContainer, expect: MATCH }] });
    const [result] = rules.runTests({ macros: ['spawned_process', 'container', 'shell_procs'] });
    expect(result.actual).toBeUndefined();
    expect(result.explanation).toMatch(/^the test cannot be evaluated: macro "spawned_process" is defined in a rules file whose content is not at hand .* pass it in "after"$/);
  });

  test.each([
    ['an unknown field', { event: { 'proc.nmae': 'bash' }, expect: MATCH }, 'the event sets unknown field "proc.nmae" of no syscall field catalogue'],
    ['a wrong type', { event: { 'proc.pid': 'one' }, expect: MATCH }, 'the event\'s value of field "proc.pid" (a integer field): "one" is not an integer'],
    ['no event', { expect: MATCH }, 'the test has neither event nor auditEvent'],
    ['an audit event for a syscall rule', { auditEvent: { auditID: 'x' }, expect: MATCH }, 'auditEvent is for k8s_audit rules; this rule\'s source is "syscall"'],
    ['a bad outcome', { event: {}, expect: 'yes' as any }, 'expect must be FalcoTestOutcome.MATCH or FalcoTestOutcome.NO_MATCH, got "yes"'],
  ])('a test with %s fails synth with a clear error', (_, test, reason) => {
    const rules = shellRules().addRule({ ...shellRule, tests: [test as any] });
    const [result] = rules.runTests();
    expect(result.passed).toBe(false);
    expect(result.explanation).toBe(reason.startsWith('expect') ? reason : `the test cannot be evaluated: ${reason}`);
    expect(rules.validate()[0].message).toContain('FalcoRule "Shell in container": test "test 1"');
  });

  test('tests are copied when added, and a test that is not an object is refused at once', () => {
    const event = { ...bashInContainer };
    const rules = shellRules().addRule({ ...shellRule, tests: [{ event, expect: MATCH }] });
    event['proc.name'] = 'zsh';
    expect(rules.validate()).toEqual([]);
    expect(() => shellRules().addRuleTests('Shell in container', [null as any]))
      .toThrow('FalcoRule "Shell in container": tests[0] is not a test (got null): write { event: {...}, expect: FalcoTestOutcome.MATCH }');
  });

  test('in a FalcoDeployment, tests run against every file it loads: a later file\'s allow-list entry counts; a preset\'s own tests check the preset', () => {
    const chart = Testing.chart();
    const falco = new FalcoDeployment(chart, 'falco');
    const preset = FalcoPresets.sensitiveFileAccess();
    falco.addRules('sensitive-files', preset);
    // A later file (loaded after, without naming it in "after") allows cat.
    falco.addRules('allow-cat', new FalcoRules().addList({ name: 'sensitive_file_access_allowed_processes', items: ['cat'], override: FalcoOverrideMode.APPEND }));
    // The preset's shipped test "cat reads /etc/shadow" is about the preset itself, so the allow-list entry does not fail it.
    Testing.synth(chart);
    const shadow = { 'evt.type': 'openat', 'evt.is_open_read': true, 'fd.typechar': 'f', 'fd.num': 3, 'fd.name': '/etc/shadow' };
    preset.addRuleTests('Sensitive File Access', [{ name: 'cat is trusted here', event: { ...shadow, 'proc.name': 'cat' }, expect: NO_MATCH }]);
    Testing.synth(chart);
    preset.addRuleTests('Sensitive File Access', [{ name: 'cat must still be caught', event: { ...shadow, 'proc.name': 'cat' }, expect: MATCH }]);
    expect(() => Testing.synth(chart)).toThrow(/rules file "sensitive-files": FalcoRule "Sensitive File Access": test "cat must still be caught" expects a match, but the rule does not match: .*proc.name in \(sensitive_file_access_allowed_processes\) is true: proc.name is "cat"/);
  });

  test('a FalcoDeployment fails synth on a failing test', () => {
    const chart = Testing.chart();
    const falco = new FalcoDeployment(chart, 'falco');
    falco.addRule({ ...shellRule, condition: 'evt.type = execve and proc.name = bash', tests: [{ event: { 'evt.type': 'execve', 'proc.name': 'sh' }, expect: MATCH }] });
    expect(() => Testing.synth(chart)).toThrow(/rules file "custom-rules": FalcoRule "Shell in container": test "test 1" expects a match, but the rule does not match: proc.name = bash is false: proc.name is "sh"/);
  });
});

describe('the presets', () => {
  test.each([
    ['Unexpected Network Connection', FalcoPresets.unexpectedNetworkConnection()],
    ['Unexpected Network Connection (allow-lists)', FalcoPresets.unexpectedNetworkConnection({ allowedIps: ['203.0.113.10'], allowedNetworks: ['198.51.100.0/24'], allowedProcesses: ['curl'] })],
    ['Sensitive File Access', FalcoPresets.sensitiveFileAccess()],
    ['Sensitive File Access (allow-lists)', FalcoPresets.sensitiveFileAccess({ files: ['/etc/sudoers'], allowedProcesses: ['cat'] })],
    ['Privilege Escalation', FalcoPresets.privilegeEscalation()],
    ['Privilege Escalation (allow-lists)', FalcoPresets.privilegeEscalation({ allowedParentProcesses: ['bash'], allowedImages: ['docker.io/library/ubuntu'] })],
  ])('%s ships with a matching and a non-matching event, and they pass', (_, rules) => {
    const results = rules.runTests();
    expect(results.filter((r) => r.expected === MATCH).length).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r.expected === NO_MATCH).length).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });

  test('their tests follow the allow-lists: an allowed value gets a non-matching test, and matching events avoid it', () => {
    const results = FalcoPresets.unexpectedNetworkConnection({ allowedIps: ['203.0.113.10'], allowedNetworks: ['198.51.100.0/24'], allowedProcesses: ['curl'] }).runTests();
    expect(results.map((r) => [r.test, r.expected])).toEqual([
      ['wget connects to 192.0.2.33', MATCH],
      ['a connection to 127.0.0.1 (loopback)', NO_MATCH],
      ['a connection to the allowed 203.0.113.10', NO_MATCH],
      ['a connection into the allowed network 198.51.100.0/24', NO_MATCH],
      ['the allowed process curl connects out', NO_MATCH],
    ]);
  });
});
