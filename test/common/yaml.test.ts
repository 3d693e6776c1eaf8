import * as fc from 'fast-check';
import { parse } from 'yaml';
import { toYaml } from '../../src/common/yaml';

/** What YAML 1.2 (Falco's yaml-cpp, Fluent Bit) and YAML 1.1 (Go's yaml.v2: Alertmanager, the API server) read back. */
function readBack(text: string): { v12: unknown; v11: unknown } {
  return { v12: parse(text), v11: parse(text, { version: '1.1' }) };
}

describe('toYaml', () => {
  test('keeps insertion order, never folds long lines and never emits aliases', () => {
    const shared = { a: 1 };
    const long = 'evt.type in (open, openat, openat2) and ' + 'fd.name startswith /etc and '.repeat(10) + 'proc.name != sshd';
    const text = toYaml({ z: shared, a: shared, condition: long });
    expect(text.split('\n')[0]).toBe('z:');
    expect(text).not.toContain('&');
    expect(text).toContain(`condition: ${long}\n`);
    expect(parse(text)).toEqual({ z: { a: 1 }, a: { a: 1 }, condition: long });
  });

  test('writes the block style of a hand-written rules file', () => {
    expect(toYaml([
      { list: 'shell_binaries', items: ['bash', 'sh'] },
      { rule: 'Shell', desc: 'a shell ran', condition: 'spawned_process and\nproc.name in (shell_binaries)\n', enabled: false, tags: [], exceptions: [{ name: 'ok', fields: ['proc.name'], values: [['sh']] }] },
    ])).toBe([
      '- list: shell_binaries',
      '  items:',
      '    - bash',
      '    - sh',
      '- rule: Shell',
      '  desc: a shell ran',
      '  condition: |',
      '    spawned_process and',
      '    proc.name in (shell_binaries)',
      '  enabled: false',
      '  tags: []',
      '  exceptions:',
      '    - name: ok',
      '      fields:',
      '        - proc.name',
      '      values:',
      '        - - sh',
      '',
    ].join('\n'));
  });

  test.each([
    ['on'], ['Off'], ['yes'], ['n'], ['NULL'], ['~'], ['true'], ['<<'], ['='],
    ['0755'], ['12:30'], ['1_000'], ['0x1F'], ['1e3'], ['.5'], ['1.2.3'], ['2024-01-01'], ['2024-01-01 10:00:00'],
    ['.inf'], ['.NaN'], ['-x'], ['- x'], ['a: b'], ['a #b'], ['#x'], ['x:'], [' lead'], ['trail '], [''], ["'q'"], ['*ref'], ['&a'], ['!tag'], ['%x'], ['@x'], ['`x'],
    ['{a}'], ['[a]'], ['|x'], ['>x'], ['?x'], ['tab\there'], ['é'], ['\u0085'], ['\x7f'], ['\ufeff'],
  ])('quotes %j, which unquoted would read as something else', (value) => {
    const text = toYaml({ key: value });
    expect(text).toMatch(/^key: "/);
    expect(readBack(text)).toEqual({ v12: { key: value }, v11: { key: value } });
  });

  test.each([
    ['"q"'], ['{{ if eq .Labels.severity "critical" }}page{{ end }}'],
  ])('single-quotes %j, whose double quotes would need escapes', (value) => {
    const text = toYaml({ key: value });
    expect(text).toBe(`key: '${value}'\n`);
    expect(readBack(text)).toEqual({ v12: { key: value }, v11: { key: value } });
  });

  test.each([
    ['system:kube-proxy'], ['5m'], ['100m'], ['evt.type = open and fd.name = "/etc/shadow"'], ['${SPLUNK_HEC_TOKEN}'], ['a#b'], ['/var/log/*.log'], ['(a, b)'], ['./audit-policy.yaml'], ['.hidden'],
  ])('leaves %j plain: it reads back the same in YAML 1.1 and 1.2', (value) => {
    const text = toYaml({ key: value });
    expect(text).toBe(`key: ${value}\n`);
    expect(readBack(text)).toEqual({ v12: { key: value }, v11: { key: value } });
  });

  test.each([
    ['no trailing newline', 'a\nb', '|-'],
    ['one trailing newline', 'a\nb\n', '|'],
    ['trailing blank lines', 'a\n\n\n', '|+'],
    ['a leading blank line', '\na', '|-'],
  ])('writes a multi-line string with %s as a literal block that keeps it', (_, value, header) => {
    const text = toYaml({ key: value, after: 1 });
    expect(text.split('\n')[0]).toBe(`key: ${header}`);
    expect(readBack(text)).toEqual({ v12: { key: value, after: 1 }, v11: { key: value, after: 1 } });
  });

  test.each([
    ['a first line that starts with a space', '  a\nb'],
    ['a line of only spaces', 'a\n   \nb'],
    ['a carriage return', 'a\r\nb'],
    ['only newlines', '\n\n'],
  ])('double-quotes a multi-line string with %s', (_, value) => {
    const text = toYaml({ key: value });
    expect(text).toMatch(/^key: "/);
    expect(readBack(text).v12).toEqual({ key: value });
  });

  test('writes empty collections, null, numbers and nested lists in flow or compact form', () => {
    const document = { a: [], b: {}, c: null, d: [[1, 2], [{ e: -0, f: 1.5e300, g: Infinity, h: NaN }]], i: { j: undefined }, k: [undefined] };
    expect(toYaml(document)).toBe([
      'a: []', 'b: {}', 'c: null', 'd:', '  - - 1', '    - 2', '  - - e: -0', '      f: 1.5e+300', '      g: .inf', '      h: .nan', 'i: {}', 'k:', '  - null', '',
    ].join('\n'));
  });

  test('rejects values YAML cannot carry, naming them', () => {
    expect(() => toYaml({ f: () => 1 })).toThrow('toYaml: a function cannot be written to YAML');
    expect(() => toYaml({ n: BigInt(1) })).toThrow('toYaml: a bigint cannot be written to YAML (got 1)');
  });

  test('any JSON document reads back unchanged under YAML 1.2 and YAML 1.1', () => {
    // Strings mix YAML's indicators, number-like and boolean-like text, line breaks and non-ASCII.
    const tricky = fc.stringOf(fc.constantFrom('a', 'Z', '0', '1', '9', '.', '-', '+', ':', ' ', '#', '\n', '\t', '"', "'", '\\', '_', 'e', 'x', 'y', 'n', 'o', '~', '[', '{', '|', '>', '%', '@', '&', '*', '!', '?', ',', '\r', 'é', '\u2028', '\x7f'), { maxLength: 12 });
    const words = fc.constantFrom('on', 'off', 'yes', 'No', 'null', 'true', '0o17', '0x1F', '1:30', '2001-12-14', '.inf', '-.5', '1e5', '<<', '=', '---', '...');
    const key = fc.oneof(tricky, words, fc.fullUnicodeString({ maxLength: 6 }));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
      leaf: fc.oneof(tricky, words, fc.fullUnicodeString({ maxLength: 8 }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)),
    })).node;
    fc.assert(fc.property(value, (document) => {
      const text = toYaml(document);
      const { v12, v11 } = readBack(text);
      expect(v12).toEqual(document);
      expect(v11).toEqual(document);
    }), { numRuns: 3000 });
  });

  test('the same document always gives the same bytes', () => {
    const document = { rules: Array.from({ length: 50 }, (_, i) => ({ rule: `r${i}`, condition: `evt.type = open and fd.num = ${i}`, tags: ['a', 'b'] })) };
    expect(toYaml(document)).toBe(toYaml(structuredClone(document)));
  });
});
