import { FalcoRules } from '../../../src/falco/rules';

const BASE = `
- required_plugin_versions: [{ name: container, version: 0.4.0 }]
- list: shell_binaries
  items: [bash, sh]
- macro: spawned_process
  condition: (evt.type in (execve, execveat))
`;

function rule(fields: string): string {
  return `- rule: Shell in container\n${fields}`;
}

const GOOD = {
  desc: '  desc: d',
  condition: '  condition: spawned_process and proc.name in (shell_binaries)',
  output: '  output: shell %proc.name',
  priority: '  priority: WARNING',
};

function ruleWith(overrides: Partial<Record<keyof typeof GOOD, string>>, extra = ''): string {
  const f = { ...GOOD, ...overrides };
  return rule([f.desc, f.condition, f.output, f.priority].filter(Boolean).join('\n') + extra);
}

function messages(yaml: string): string[] {
  return FalcoRules.fromYaml(BASE + yaml).validate().map((d) => `${d.severity}: ${d.message}`);
}

const R = 'FalcoRule "Shell in container"';
const cases: Array<[string, string, string]> = [
  ['misspelled macro', ruleWith({ condition: '  condition: spawn_process' }),
    `error: ${R}: condition references macro "spawn_process" at offset 0, which is not defined (did you mean "spawned_process"?) (got "spawn_process"): define the macro before this item (or in a rules file loaded earlier), or fix the name`],
  ['unknown list without parentheses', ruleWith({ condition: '  condition: spawned_process and proc.name in shell_binarys' }),
    `warning: ${R}: condition value "shell_binarys" at offset 33 is not a list, so it matches only the literal text (did you mean "shell_binaries"?) (got "shell_binarys"): fix the list name, or write the values in parentheses`],
  ['near miss of a list name inside parentheses', ruleWith({ condition: '  condition: spawned_process and proc.name in (shell_binarys)' }),
    `warning: ${R}: condition value "shell_binarys" at offset 34 is not a list, so it matches only the literal text (did you mean "shell_binaries"?) (got "shell_binarys"): fix the list name, or quote the value if it is meant literally`],
  ['unknown field', ruleWith({ condition: '  condition: spawned_process and proc.nam = bash' }),
    `error: ${R}: condition uses unknown field "proc.nam" at offset 20 (did you mean "proc.name"?) (got "proc.nam"): use a field of this source (see \`falco --list\`)`],
  ['unknown output field', ruleWith({ output: '  output: shell %proc.nme' }),
    `error: ${R}: output uses unknown field "proc.nme" at offset 7 (did you mean "proc.name"?) (got "proc.nme"): use a field of this source (see \`falco --list\`)`],
  ['unknown transformer output field', ruleWith({ output: '  output: shell %toupper(proc.nme)' }),
    `error: ${R}: output uses unknown field "proc.nme" at offset 15 (did you mean "proc.name"?) (got "proc.nme"): use a field of this source (see \`falco --list\`)`],
  ['unclosed parenthesis', ruleWith({ condition: '  condition: (spawned_process and proc.name = bash' }),
    `error: ${R}: condition has a syntax error at offset 37: expected ")" to close the parenthesis (got "the end of the text"): fix the condition near that offset`],
  ['missing operator', ruleWith({ condition: '  condition: spawned_process and proc.name bash' }),
    `error: ${R}: condition has a syntax error at offset 30: expected an operator after the field: one of =, ==, !=, <, <=, >, >=, contains, icontains, bcontains, startswith, bstartswith, endswith, glob, iglob, regex, in, intersects, pmatch, exists (got "bash"): fix the condition near that offset`],
  ['unterminated string', ruleWith({ condition: '  condition: "spawned_process and proc.name = \'bash"' }),
    `error: ${R}: condition has a syntax error at offset 32: unterminated string: add the closing ' (got "'bash"): fix the condition near that offset`],
  ['trailing text', ruleWith({ condition: '  condition: spawned_process proc.name = bash' }),
    `error: ${R}: condition has a syntax error at offset 16: unexpected text "proc.name = bash", expecting "and", "or" or the end of the condition (got "proc.name = bash"): fix the condition near that offset`],
  ['and without blank', ruleWith({ condition: '  condition: spawned_process andproc.name = bash' }),
    `error: ${R}: condition has a syntax error at offset 19: expected a blank or "(" after "and" (got "proc.name = bash"): fix the condition near that offset`],
  ['invalid priority', ruleWith({ priority: '  priority: WARN' }),
    `error: ${R}: priority is not a Falco priority (got "WARN"): use one of EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL, DEBUG`],
  ['missing output', ruleWith({ output: '' }),
    `error: ${R}: is missing "output" (got ["rule","desc","condition","priority"]): a new rule needs desc, condition, output and priority (to change an existing rule, add "override")`],
  ['missing desc and priority', ruleWith({ desc: '', priority: '' }),
    `error: ${R}: is missing "desc", "priority" (got ["rule","condition","output"]): a new rule needs desc, condition, output and priority (to change an existing rule, add "override")`],
  ['empty condition', ruleWith({ condition: '  condition: ""' }),
    `error: ${R}: condition must be a non-empty string (got ""): write condition: followed by text`],
  ['tags not a list', ruleWith({}, '\n  tags: container'),
    `error: ${R}: tags must be a list of strings (got "container"): write tags: [container, mitre_execution]`],
  ['unknown key', ruleWith({}, '\n  enable: false'),
    `warning: ${R}: has unknown key "enable" (did you mean "enabled"?) (got "enable"): remove it or use one of: rule, desc, condition, output, priority, tags, source, enabled, exceptions, override, append, warn_evttypes, skip-if-unknown-filter, capture, capture_duration`],
  ['no evt.type restriction', ruleWith({ condition: '  condition: proc.name = bash' }),
    `warning: ${R}: condition does not restrict evt.type, so Falco evaluates it for every event (got "proc.name = bash"): start the condition with a check such as "evt.type in (open, openat)" or a macro like spawned_process`],
  ['or branch without evt.type', ruleWith({ condition: '  condition: spawned_process or proc.name = bash' }),
    `warning: ${R}: condition does not restrict evt.type, so Falco evaluates it for every event (got "spawned_process or proc.name = bash"): start the condition with a check such as "evt.type in (open, openat)" or a macro like spawned_process`],
  ['field argument required', ruleWith({ condition: '  condition: spawned_process and evt.arg = x' }),
    `error: ${R}: condition uses field "evt.arg" at offset 20 without the argument it requires (got "evt.arg"): add an argument, e.g. evt.arg[name] or evt.arg.name`],
  ['field takes no argument', ruleWith({ condition: '  condition: spawned_process and proc.name[1] = x' }),
    `error: ${R}: condition passes an argument to field "proc.name" at offset 20, which takes none (got "proc.name[1]"): remove "[1]"`],
  ['k8s_audit field in a syscall rule', ruleWith({ condition: '  condition: spawned_process and ka.verb = create' }),
    `error: ${R}: condition uses unknown field "ka.verb" at offset 20 (got "ka.verb"): it is a field of the k8saudit plugin: use it in rules of that plugin's source, with the plugin loaded`],
  ['duplicate exception names', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: [proc.pname] }\n    - { name: a, fields: [proc.pname] }'),
    // Falco 0.44: LOAD_EXCEPTION_NAME_NOT_UNIQUE is a warning.
    `warning: ${R}: exception "a" is defined twice (got "a"): give every exception a unique name`],
  ['exception without name', ruleWith({}, '\n  exceptions:\n    - { fields: [proc.pname] }'),
    `error: ${R}: exception has no name (got {"fields":["proc.pname"]}): give every exception a unique name`],
  ['exception comps length', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: [proc.pname, proc.name], comps: [=] }'),
    `error: ${R}: exception "a" has 1 comps for 2 fields (got ["="]): give one operator per field, in the same form (a list when fields is a list)`],
  ['exception values row length', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: [proc.pname, proc.name], values: [[sshd]] }'),
    `error: ${R}: exception "a" values[0] has 1 values for 2 fields (got ["sshd"]): give one value per field: [proc.pname, proc.name]`],
  ['exception unknown operator', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: [proc.pname], comps: [like] }'),
    `error: ${R}: exception "a" uses unknown operator "like" (got "like"): use one of =, ==, !=, <, <=, >, >=, in, intersects, pmatch, exists, contains, icontains, bcontains, startswith, bstartswith, endswith, glob, iglob, regex, or one of =, ==, !=, contains, icontains, bcontains, startswith, bstartswith, endswith, glob, iglob, regex followed by oneof, anyof or allof`],
  // Checked against Falco 0.44.1's loader (userspace/engine/rule_loader_reader.cpp, rule_loader_collector.cpp, rule_loader_compiler.cpp).
  ['single field with a one-value operator', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: proc.pname, comps: startswith, values: [sshd] }'),
    `error: ${R}: exception "a" compares its single field with "startswith", which takes one value, not the values list (got "startswith"): use one of in, pmatch, intersects or a modified operator such as "startswith oneof" (or make fields a list)`],
  ['single field with a list of comps', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: proc.pname, comps: [in], values: [sshd] }'),
    `error: ${R}: exception "a" has 1 comps for 1 fields (got ["in"]): give one operator per field, in the same form (a list when fields is a list)`],
  ['single field with rows of values', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: proc.pname, values: [[sshd]] }'),
    `error: ${R}: exception "a" values[0] is a list, but fields is a single field (got ["sshd"]): list plain values (values: [a, b]), or make fields a list with one value per field in each row`],
  ['an empty value', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: [proc.pname, proc.name], values: [[sshd, ""]] }'),
    `error: ${R}: exception "a" values[0] contains an empty value (got ["sshd",""]): remove it, or quote the text it should match`],
  ['an unparsable field: one error, not a second one for the values', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: [proc.pname, "proc name"], values: [[sshd, x]] }'),
    `error: ${R}: exception "a" has an invalid field (got "proc name"): write a field name such as proc.name`],
  ['an empty field name', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: [proc.pname, ""] }'),
    `error: ${R}: exception "a" fields must be a field name or a list of field names (got ["proc.pname",""]): write fields: [proc.name, fd.name]`],
  ['values without fields in a rule definition', ruleWith({}, '\n  exceptions:\n    - { name: a, values: [[sshd]] }'),
    `error: ${R}: exception "a" fields must be a field name or a list of field names (got undefined): write fields: [proc.name, fd.name]`],
  ['appending fields to an existing exception', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: [proc.pname], values: [[sshd]] }')
    + '\n- rule: Shell in container\n  exceptions:\n    - { name: a, fields: [proc.name], values: [[cron]] }\n  override: { exceptions: append }',
  `error: ${R}: exception "a" already exists, so only values can be appended to it (got ["fields"]): drop fields, or give the exception a new name`],
  ['appending a new exception without values', ruleWith({}, '')
    + '\n- rule: Shell in container\n  exceptions:\n    - { name: b, fields: [proc.name] }\n  override: { exceptions: append }',
  `error: ${R}: exception "b" is new to the rule but has no values (got {"name":"b","fields":["proc.name"]}): give it values, or name an exception the rule already has`],
  ['appended values with the wrong row length', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: [proc.pname, proc.name], values: [[sshd, bash]] }')
    + '\n- rule: Shell in container\n  exceptions:\n    - { name: a, values: [[cron]] }\n  override: { exceptions: append }',
  `error: ${R}: exception "a" values[0] has 1 values for 2 fields (got ["cron"]): give one value per field: [proc.pname, proc.name]`],
  ['exception unknown field', ruleWith({}, '\n  exceptions:\n    - { name: a, fields: [proc.parent] }'),
    `error: ${R}: exception "a" uses unknown field "proc.parent" at offset 0 (got "proc.parent"): use a field of this source (see \`falco --list\`)`],
  ['exception fields missing', ruleWith({}, '\n  exceptions:\n    - { name: a }'),
    `error: ${R}: exception "a" fields must be a field name or a list of field names (got undefined): write fields: [proc.name, fd.name]`],
  ['override of an unknown rule', '- rule: Shel in container\n  condition: and proc.name = zsh\n  override: { condition: append }',
    'error: FalcoRule "Shel in container": overrides rule "Shel in container" which is not defined earlier (got "Shel in container"): define the rule first (in this file above, or in a file loaded before it), or remove "override"/"append"'],
  ['invalid override mode', ruleWith({}) + '\n- rule: Shell in container\n  output: x\n  override: { output: merge }',
    `error: ${R}: override of "output" must be "append" or "replace" (got "merge"): use append or replace`],
  ['append to priority', ruleWith({}) + '\n- rule: Shell in container\n  priority: ERROR\n  override: { priority: append }',
    `error: ${R}: cannot append to "priority" (got "append"): use override: { priority: replace }`],
  ['macro using a later macro', '- macro: a\n  condition: b\n- macro: b\n  condition: evt.type = open',
    'error: FalcoMacro "a": condition references macro "b" at offset 0, which is defined later in the file (got "b"): Falco resolves macros in load order: move the macro above this item'],
  ['list items not strings', '- list: l\n  items: {a: 1}',
    'error: FalcoList "l": items must be a list of strings (got {"a":1}): write items: [a, b] (an empty list is [])'],
  ['list override of unknown list', '- list: shell_binarys\n  items: [zsh]\n  override: { items: append }',
    'error: FalcoList "shell_binarys": overrides list "shell_binarys" which is not defined earlier (got "shell_binarys"): define the list first (in this file above, or in a file loaded before it), or remove "override"/"append" (did you mean "shell_binaries"?)'],
];

describe('invalid rules produce clear errors', () => {
  test.each(cases)('%s', (_name, yaml, expected) => {
    expect(messages(yaml)).toEqual([expected]);
  });

  test('container fields need the container plugin', () => {
    const rules = FalcoRules.fromYaml('- rule: R\n  desc: d\n  condition: evt.type = open and container.id != host\n  output: o\n  priority: WARNING');
    expect(rules.validate().map((d) => d.message)).toEqual([
      'FalcoRule "R": condition uses unknown field "container.id" at offset 20 (got "container.id"): declare the container plugin (required_plugin_versions: [{ name: container, version: 0.4.0 }])',
    ]);
    const withOption = FalcoRules.fromYaml('- rule: R\n  desc: d\n  condition: evt.type = open and container.id != host\n  output: o\n  priority: WARNING', { plugins: ['container'] });
    expect(withOption.validate()).toEqual([]);
  });

  test('exception forms Falco 0.44 accepts produce no diagnostics', () => {
    const exceptions = [
      '    - { name: single, fields: proc.pname, values: [sshd, cron] }',
      '    - { name: single_pmatch, fields: fd.name, comps: pmatch, values: [/etc, /var/lib] }',
      '    - { name: single_modified, fields: proc.pname, comps: "startswith oneof", values: [ssh, cron] }',
      '    - { name: tuple_default, fields: [proc.pname, proc.name], values: [[sshd, bash]] }',
      '    - { name: tuple_ops, fields: [proc.pname, proc.cmdline], comps: ["==", "contains anyof"], values: [[sshd, [--login, -l]]] }',
      '    - { name: tuple_list, fields: [proc.pname, proc.name], comps: [in, " = "], values: [[[sshd, cron], bash]] }',
      '    - { name: no_values_yet, fields: [proc.pname] }',
    ].join('\n');
    const append = '\n- rule: Shell in container\n  exceptions:\n    - { name: single, values: [atd] }\n    - { name: fresh, fields: [proc.pname], values: [[x]] }\n  override: { exceptions: append }';
    expect(messages(ruleWith({}, `\n  exceptions:\n${exceptions}`) + append)).toEqual([]);
  });

  test('assertValid throws the first error and counts the rest', () => {
    const rules = FalcoRules.fromYaml(BASE + ruleWith({ condition: '  condition: spawn_process and proc.nam = x' }));
    expect(() => rules.assertValid()).toThrow(/^FalcoRule "Shell in container": condition references macro "spawn_process".*\n\(and 1 more: call validate\(\) for the list\)$/s);
  });

  test('a file that is not a list of entries is rejected on load', () => {
    expect(() => FalcoRules.fromYaml('- foo: bar')).toThrow('FalcoRules.fromYaml: entry 1 is not a rule, macro, list or requirement (got {"foo":"bar"}): start it with one of: rule, macro, list, required_engine_version, required_plugin_versions');
  });
});
