import { parse } from 'yaml';
import { toYaml } from '../../src/common/yaml';

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
});
