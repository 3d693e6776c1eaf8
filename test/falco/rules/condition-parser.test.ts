import { shape } from './condition-shape';
import { FalcoPriority } from '../../../src/falco';
import { FalcoRules } from '../../../src/falco/rules';
import { ConditionSyntaxError, parseCondition } from '../../../src/falco/rules/condition-parser';

function syntaxError(text: string): { offset: number; reason: string } {
  try {
    parseCondition(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConditionSyntaxError);
    const error = e as ConditionSyntaxError;
    return { offset: error.offset, reason: error.reason };
  }
  throw new Error(`expected a syntax error for ${text}`);
}

describe('comparison operators', () => {
  test.each([
    ['proc.name = bash', '[proc.name = bash]'],
    ['proc.name=bash', '[proc.name = bash]'],
    ['proc.name == bash', '[proc.name == bash]'],
    ['proc.name != bash', '[proc.name != bash]'],
    ['proc.pid < 3', '[proc.pid < 3]'],
    ['proc.pid<=3', '[proc.pid <= 3]'],
    ['proc.pid > 0x1F', '[proc.pid > 0x1F]'],
    ['evt.rawres >= -1', '[evt.rawres >= -1]'],
    ['proc.cmdline contains "curl -s"', '[proc.cmdline contains "curl -s"]'],
    ['proc.name icontains BASH', '[proc.name icontains BASH]'],
    ['evt.buffer bcontains 6c73', '[evt.buffer bcontains 6c73]'],
    ['fd.name startswith /etc/', '[fd.name startswith /etc/]'],
    ['evt.buffer bstartswith 7f454c46', '[evt.buffer bstartswith 7f454c46]'],
    ['fd.name endswith .so', '[fd.name endswith .so]'],
    ['fd.name glob "/etc/*.conf"', '[fd.name glob "/etc/*.conf"]'],
    ['fd.name iglob "/ETC/*"', '[fd.name iglob "/ETC/*"]'],
    ['proc.name regex "^ba(sh|zsh)$"', '[proc.name regex "^ba(sh|zsh)$"]'],
    ['proc.name in (bash, sh)', '[proc.name in (bash, sh)]'],
    ['proc.name in shell_binaries', '[proc.name in shell_binaries]'],
    ['evt.type in ()', '[evt.type in ()]'],
    ['proc.args intersects (-c, -i)', '[proc.args intersects (-c, -i)]'],
    ['fd.name pmatch (/etc, /usr/bin)', '[fd.name pmatch (/etc, /usr/bin)]'],
    ['proc.name exists', '[proc.name exists]'],
  ])('%s', (text, expected) => {
    expect(shape(parseCondition(text))).toBe(expected);
  });

  test('word operators need a blank after them', () => {
    expect(syntaxError('proc.name contains"x"')).toEqual({ offset: 10, reason: expect.stringMatching(/^expected an operator after the field/) });
  });
});

describe('operator modifiers', () => {
  test.each([
    ['proc.name = oneof (bash, sh)', '[proc.name = oneof (bash, sh)]'],
    ['proc.name = oneof shell_binaries', '[proc.name = oneof shell_binaries]'],
    ['proc.cmdline contains anyof (curl, wget)', '[proc.cmdline contains anyof (curl, wget)]'],
    ['proc.cmdline contains allof (curl, -o)', '[proc.cmdline contains allof (curl, -o)]'],
    // Without a list after it, `oneof` is the compared value itself.
    ['proc.name = oneof', '[proc.name = oneof]'],
    ['proc.name = oneof and a', '(and [proc.name = oneof] macro:a)'],
  ])('%s', (text, expected) => {
    expect(shape(parseCondition(text))).toBe(expected);
  });
});

describe('boolean structure', () => {
  test.each([
    ['a and b and c', '(and macro:a macro:b macro:c)'],
    ['a or b and c', '(or macro:a (and macro:b macro:c))'],
    ['a and b or c', '(or (and macro:a macro:b) macro:c)'],
    ['(a or b) and c', '(and (or macro:a macro:b) macro:c)'],
    ['not a and b', '(and (not macro:a) macro:b)'],
    ['not (a or b)', '(not (or macro:a macro:b))'],
    ['not(a)', '(not macro:a)'],
    ['not not a', 'macro:a'],
    ['a and(b or c)', '(and macro:a (or macro:b macro:c))'],
    ['a or(b)', '(or macro:a macro:b)'],
    ['\ta\nand\r\nb ', '(and macro:a macro:b)'],
    ['notable and android or oracle', '(or (and macro:notable macro:android) macro:oracle)'],
  ])('%s', (text, expected) => {
    expect(shape(parseCondition(text))).toBe(expected);
  });

  test('offsets point at each node', () => {
    const node = parseCondition('a and not proc.name = x');
    expect(node).toMatchObject({
      kind: 'and',
      offset: 0,
      children: [{ kind: 'macro', offset: 0 }, { kind: 'not', offset: 6, child: { kind: 'check', offset: 10, right: { offset: 22 } } }],
    });
  });
});

describe('fields, arguments and transformers', () => {
  test.each([
    ['proc.aname[2] = bash', '[proc.aname[2] = bash]'],
    ['proc.aname["x y"] = z', '[proc.aname[x y] = z]'],
    ["evt.arg['flags'] contains O_RDWR", '[evt.arg[flags] contains O_RDWR]'],
    ['container.label[io.kubernetes.pod.name] = p', '[container.label[io.kubernetes.pod.name] = p]'],
    ['evt.arg.flags contains O_RDWR', '[evt.arg.flags contains O_RDWR]'],
    ['evt.rawarg.res < 0', '[evt.rawarg.res < 0]'],
    ['tolower(proc.name) = bash', '[tolower(proc.name) = bash]'],
    ['toupper(proc.name) = BASH', '[toupper(proc.name) = BASH]'],
    ['b64(evt.buffer) contains abc', '[b64(evt.buffer) contains abc]'],
    ['basename(proc.exepath) = bash', '[basename(proc.exepath) = bash]'],
    ['len(proc.args) > 3', '[len(proc.args) > 3]'],
    ['tolower(basename(proc.exepath)) = bash', '[tolower(basename(proc.exepath)) = bash]'],
    ['proc.name = val(proc.pname)', '[proc.name = val(proc.pname)]'],
    ['proc.pid >= val(proc.ppid)', '[proc.pid >= val(proc.ppid)]'],
    ['proc.name = tolower(proc.pname)', '[proc.name = tolower(proc.pname)]'],
    ['proc.name in val(proc.aname)', '[proc.name in val(proc.aname)]'],
    ['concat((proc.name, "-", toupper(proc.pname)), 1) = x', '[concat((proc.name, "-", toupper(proc.pname)), 1) = x]'],
  ])('%s', (text, expected) => {
    expect(shape(parseCondition(text))).toBe(expected);
  });
});

describe('quoted strings and lists', () => {
  test.each([
    ['proc.name = "a b"', '[proc.name = "a b"]'],
    ["proc.name = 'a b'", '[proc.name = "a b"]'],
    ['proc.name = "a\\"b"', '[proc.name = "a\\"b"]'],
    ["proc.name = 'it\\'s'", '[proc.name = "it\'s"]'],
    ['proc.name = "back\\\\slash"', '[proc.name = "back\\\\slash"]'],
    ['proc.name = "a=b,(c)"', '[proc.name = "a=b,(c)"]'],
    ['proc.name = "tab\\there\\nnew\\/line"', '[proc.name = "tab\\there\\nnew/line"]'],
    ['proc.name in ("a b", c , \'d\')', '[proc.name in ("a b", c, "d")]'],
  ])('%s', (text, expected) => {
    expect(shape(parseCondition(text))).toBe(expected);
  });

  test('quoted list items are never list references', () => {
    const node = parseCondition('proc.name in ("shell_binaries", shell_binaries)');
    expect(node).toMatchObject({ right: { items: [{ value: 'shell_binaries', quoted: true }, { value: 'shell_binaries', quoted: false }] } });
  });
});

describe('syntax errors carry the offset of the offending text', () => {
  test.each([
    ['', 0, 'expected "(", a field check such as "proc.name = bash", or a macro name'],
    ['   ', 3, 'expected "(", a field check such as "proc.name = bash", or a macro name'],
    ['(a', 2, 'expected ")" to close the parenthesis'],
    ['a)', 1, 'unexpected text ")", expecting "and", "or" or the end of the condition'],
    ['a b', 2, 'unexpected text "b", expecting "and", "or" or the end of the condition'],
    ['a and', 5, 'expected a blank or "(" after "and"'],
    ['a andb', 5, 'expected a blank or "(" after "and"'],
    ['a and and b', 6, 'expected a condition, found the keyword "and"'],
    ['a and not ', 10, 'expected "(", a field check such as "proc.name = bash", or a macro name'],
    ['a or or', 5, 'expected a condition, found the keyword "or"'],
    ['proc.name', 9, 'expected an operator after the field: one of =, ==, !=, <, <=, >, >=, contains, icontains, bcontains, startswith, bstartswith, endswith, glob, iglob, regex, in, intersects, pmatch, exists'],
    ['proc.name =', 11, 'expected a value: a quoted string or a bare word'],
    ['proc.pid < abc', 11, 'expected a number or a transformer such as "val(proc.pid)"'],
    ['proc.name in (a,', 16, 'expected a value: a quoted string or a bare word'],
    ['proc.name in (a b)', 16, 'expected "," or ")" in the list'],
    ['proc.name in "a"', 13, 'expected a list such as "(bash, sh)" or a list name'],
    ['proc.name = "abc', 12, 'unterminated string: add the closing "'],
    ["proc.name = 'a\\'", 12, "unterminated string: add the closing ' (a ' right after a backslash does not close the string)"],
    ['proc.name = "a\\\\"', 12, 'unterminated string: add the closing " (a " right after a backslash does not close the string)'],
    ['proc.name = "a\\qb"', 14, 'unsupported escape sequence "\\q" in a "-quoted string: use \\\\, \\/, \\", \\b, \\f, \\n, \\r or \\t'],
    ['proc.name = "it\\\'s"', 15, 'unsupported escape sequence "\\\'" in a "-quoted string: use \\\\, \\/, \\", \\b, \\f, \\n, \\r or \\t'],
    ['proc.aname[2 = x', 12, 'expected "]" to close the field argument'],
    ['proc.aname[] = x', 11, 'expected a field argument: a quoted string or a bare word'],
    ['tolower(proc.name', 17, 'expected ")" to close "tolower("'],
    ['tolower() = x', 8, 'expected a transformer argument: a field, a transformer, a quoted string or a number'],
    ['proc.name = val(bash)', 16, 'expected a field inside "val(...)"'],
    ['proc.name = val(proc.pname', 26, 'expected ")" to close "val("'],
    ['concat((proc.name, "x"', 22, 'expected ")" to close the transformer list'],
    ['concat(((proc.name)))', 8, 'expected a transformer list item: a field, a transformer, a quoted string or a number'],
    ['concat((proc.name, x))', 19, 'expected a transformer list item: a field, a transformer, a quoted string or a number'],
    ['concat(x)', 7, 'expected a transformer argument: a field, a transformer, a quoted string or a number'],
  ])('%j', (text, offset, reason) => {
    expect(syntaxError(text)).toEqual({ offset, reason });
  });

  test('nesting deeper than 200 levels is an error, not a stack overflow', () => {
    expect(syntaxError(`${'('.repeat(300)}a${')'.repeat(300)}`).reason).toBe('nested more than 200 levels deep');
    expect(syntaxError(`${'tolower('.repeat(300)}proc.name`).reason).toBe('nested more than 200 levels deep');
    expect(syntaxError(`concat(${'('.repeat(50000)}`)).toEqual({ offset: 8, reason: 'expected a transformer list item: a field, a transformer, a quoted string or a number' });
  });
});

describe('what the validator extracts from a condition', () => {
  const base = new FalcoRules()
    .addList({ name: 'shell_binaries', items: ['bash', 'sh'] })
    .addMacro({ name: 'spawned_process', condition: 'evt.type in (execve, execveat)' });

  function diagnostics(condition: string): string[] {
    return new FalcoRules({ after: [base] })
      .addRule({ name: 'R', description: 'd', condition, output: 'o', priority: FalcoPriority.WARNING })
      .validate().map((d) => d.message.replace(/ \(got .*$/s, ''));
  }

  test('macro and list references resolve; lists only in parentheses', () => {
    expect(diagnostics('spawned_process and (proc.name in (shell_binaries) or proc.pname in (shell_binaries, zsh))')).toEqual([]);
  });

  // Falco pastes a list's items in place of its name before parsing: "in shell_binaries"
  // becomes "in bash, sh", which Falco 0.44 rejects ("unexpected token after 'bash'").
  test.each([
    ['spawned_process and proc.name in shell_binaries', 33],
    ['spawned_process and proc.name = oneof shell_binaries', 38],
    ['spawned_process and proc.name = shell_binaries', 32],
  ])('a list without parentheses is an error: %s', (condition, offset) => {
    expect(diagnostics(condition)).toEqual([`FalcoRule "R": condition uses list "shell_binaries" at offset ${offset} without parentheses`]);
  });

  test('every field, inside transformers, val() and arguments, is checked', () => {
    expect(diagnostics('spawned_process and tolower(proc.nam) = val(proc.pnam) and proc.anme[2] = x and evt.rawarg.res < 0')).toEqual([
      'FalcoRule "R": condition uses unknown field "proc.nam" at offset 28 (did you mean "proc.name"?)',
      'FalcoRule "R": condition uses unknown field "proc.pnam" at offset 44 (did you mean "proc.pname"?)',
      'FalcoRule "R": condition uses unknown field "proc.anme" at offset 59 (did you mean "proc.aname"?)',
    ]);
  });

  test('unknown macro and list references are reported with their offsets', () => {
    expect(diagnostics('spawned_proces and proc.name in shell_binary')).toEqual([
      'FalcoRule "R": condition references macro "spawned_proces" at offset 0, which is not defined (did you mean "spawned_process"?)',
      // Falco reads an unknown name after "in" as the one literal value.
      'FalcoRule "R": condition value "shell_binary" at offset 32 is not a list, so it matches only the literal text (did you mean "shell_binaries"?)',
    ]);
  });

  test('a syntax error is reported with its offset and the text there', () => {
    expect(new FalcoRules().addRule({ name: 'R', description: 'd', condition: 'evt.type = open and and', output: 'o', priority: FalcoPriority.WARNING })
      .validate().map((d) => d.message)).toEqual([
      'FalcoRule "R": condition has a syntax error at offset 20: expected a condition, found the keyword "and" (got "and"): fix the condition near that offset',
    ]);
  });
});
