import { exceptionCondition, pastedListItem } from '../../../src/falco/rules/pasted-values';

describe('exceptionCondition builds the text Falco compiles', () => {
  const pair = { fields: ['proc.name', 'proc.cmdline'], tuple: true, comps: ['=', 'contains'] };

  test('values are pasted as they are, so a value with = is not one token', () => {
    expect(exceptionCondition(pair, ['bash', '--config=/etc/app'])).toBe('proc.name = bash and proc.cmdline contains --config=/etc/app');
  });

  test('a value with a space is quoted, unless it starts with a quote', () => {
    expect(exceptionCondition(pair, ['bash', 'run --x'])).toBe('proc.name = bash and proc.cmdline contains "run --x"');
    expect(exceptionCondition(pair, ['bash', "'run --x'"])).toBe("proc.name = bash and proc.cmdline contains 'run --x'");
  });

  test('a list operator gets its value in parentheses, a list value becomes a list', () => {
    const lists = { fields: ['proc.name', 'proc.pname'], tuple: true, comps: ['in', 'startswith oneof'] };
    expect(exceptionCondition(lists, ['shell_binaries', ['ssh', 'run x']])).toBe('proc.name in (shell_binaries) and proc.pname startswith oneof (ssh, "run x")');
    expect(exceptionCondition(lists, ['(bash)', 'ssh'])).toBe('proc.name in (bash) and proc.pname startswith oneof (ssh)');
  });

  test('a single field compares each value with its operator, numbers as text', () => {
    expect(exceptionCondition({ fields: ['proc.pname'], tuple: false, comps: ['in'] }, 22)).toBe('proc.pname in (22)');
  });
});

describe('pastedListItem: how Falco reads a list item pasted into a condition', () => {
  test.each([
    ['bash', ['bash']], ['/usr/bin/python3', ['/usr/bin/python3']], ['a b=c', ['a b=c']], ['"a=b"', ['a=b']], ["'10.0.0.0/8'", ['10.0.0.0/8']],
    ['a,b', ['a', 'b']], ['a, b', ['a, b']],
  ])('%s reads as %j', (item, values) => {
    expect(pastedListItem(item)).toEqual({ values });
  });

  test.each(['a=b', 'run(1)', 'x"y'])('%s breaks the condition', (item) => {
    expect(pastedListItem(item).error).toBeDefined();
  });
});
