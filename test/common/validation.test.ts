import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  ValidationError,
  validateDnsLabel,
  validateDnsSubdomain,
  validateLabelKey,
  validateLabelValue,
  validateLabels,
  validatePort,
  validatePrometheusDuration,
  validatePrometheusLabelName,
  validationError,
} from '../../src/common/validation';

describe('error style', () => {
  test('quotes the construct path, what is wrong, the value received and the fix', () => {
    const chart = Testing.chart();
    const scope = new Construct(chart, 'falco');
    const error = validationError(scope, 'priority is not valid', 'LOUD', 'use one of EMERGENCY ... DEBUG');
    expect(error.message).toBe(`${chart.node.path}/falco: priority is not valid (got "LOUD"): use one of EMERGENCY ... DEBUG`);
    expect(error).toBeInstanceOf(ValidationError);
  });

  test('accepts a plain description as location and renders non-string values', () => {
    expect(validationError('FalcoRule "x"', 'port is wrong', 8088.5, 'fix it').message)
      .toBe('FalcoRule "x": port is wrong (got 8088.5): fix it');
    expect(validationError('a', 'b', undefined, 'c').message).toBe('a: b (got undefined): c');
    expect(validationError('a', 'b', { k: [1] }, 'c').message).toBe('a: b (got {"k":[1]}): c');
  });
});

describe('validateDnsLabel', () => {
  test.each(['a', 'falco', 'security-monitoring', 'a1', '1a', 'x'.repeat(63)])('accepts %j', (v) => {
    expect(validateDnsLabel('here', 'namespace', v)).toBe(v);
  });

  test.each([
    ['Security', 'namespace is not a valid DNS-1123 label', '(did you mean "security"?)'],
    ['my_ns', 'namespace is not a valid DNS-1123 label', '(did you mean "my-ns"?)'],
    ['-ns', 'namespace is not a valid DNS-1123 label', '(did you mean "ns"?)'],
    ['ns-', 'namespace is not a valid DNS-1123 label', '(did you mean "ns"?)'],
    ['a.b', 'namespace is not a valid DNS-1123 label', '(did you mean "a-b"?)'],
    ['', 'namespace is not a valid DNS-1123 label', ''],
    ['x'.repeat(64), 'namespace is 64 characters long, more than the 63 a DNS-1123 label allows', '(did you mean'],
  ])('rejects %j', (value, what, hint) => {
    expect(() => validateDnsLabel('stack', 'namespace', value)).toThrow(`stack: ${what} (got ${JSON.stringify(value)}): use 1-63 lowercase letters`);
    expect(() => validateDnsLabel('stack', 'namespace', value)).toThrow(hint);
  });

  test('rejects non-strings with the standard message', () => {
    expect(() => validateDnsLabel('stack', 'name', 42)).toThrow('stack: name must be a string (got 42)');
  });
});

describe('validateDnsSubdomain', () => {
  test.each(['a', 'falco-rules', 'monitoring.coreos.com', 'a.b-c.d'])('accepts %j', (v) => {
    expect(validateDnsSubdomain('x', 'name', v)).toBe(v);
  });
  test.each(['', 'A', 'a..b', '.a', 'a.', 'a_b', 'x'.repeat(254)])('rejects %j', (v) => {
    expect(() => validateDnsSubdomain('x', 'name', v)).toThrow(`x: name is not a valid DNS-1123 subdomain (got ${JSON.stringify(v)})`);
  });
});

describe('labels', () => {
  test.each(['app', 'app.kubernetes.io/name', 'team_name', 'A.b-c', 'example.com/x'])('accepts key %j', (k) => {
    expect(validateLabelKey('x', 'key', k)).toBe(k);
  });
  test.each(['', '-app', 'app-', 'a/b/c', 'Example.com/x', '/x', 'x/', 'a b', 'x'.repeat(64)])('rejects key %j', (k) => {
    expect(() => validateLabelKey('x', 'key', k)).toThrow(`x: key is not a valid label key (got ${JSON.stringify(k)})`);
  });
  test.each(['', 'v1', 'a.b_c-d', 'x'.repeat(63)])('accepts value %j', (v) => {
    expect(validateLabelValue('x', 'value', v)).toBe(v);
  });
  test.each(['-a', 'a b', 'a/b', 'x'.repeat(64)])('rejects value %j', (v) => {
    expect(() => validateLabelValue('x', 'value', v)).toThrow(`x: value is not a valid label value (got ${JSON.stringify(v)})`);
  });
  test('validates a whole map and names the bad entry', () => {
    expect(validateLabels('x', 'labels', { team: 'security' })).toEqual({ team: 'security' });
    expect(() => validateLabels('x', 'labels', { team: 'Security Team' })).toThrow('x: labels["team"] is not a valid label value (got "Security Team")');
    expect(() => validateLabels('x', 'labels', ['a'])).toThrow('x: labels must be a map of label keys to values (got ["a"])');
  });
});

describe('validatePrometheusLabelName', () => {
  test.each(['severity', 'rule_name', '_x', 'A1'])('accepts %j', (v) => {
    expect(validatePrometheusLabelName('x', 'label', v)).toBe(v);
  });
  test.each(['1a', 'a-b', '__name__', '', 'a.b'])('rejects %j', (v) => {
    expect(() => validatePrometheusLabelName('x', 'label', v)).toThrow(`x: label is not a valid Prometheus label name (got ${JSON.stringify(v)})`);
  });
});

describe('validatePrometheusDuration', () => {
  test.each([
    ['0', 0], ['0s', 0], ['30s', 30_000], ['5m', 300_000], ['1h30m', 5_400_000], ['7d', 604_800_000],
    ['1w', 604_800_000], ['1y', 31_536_000_000], ['100ms', 100], ['1m30s500ms', 90_500],
  ])('parses %j as %d ms', (text, ms) => {
    expect(validatePrometheusDuration('x', 'for', text)).toBe(ms);
  });
  test.each(['5x', '', '5', '1.5m', '30m1h', '5m5m', ' 5m', '-5m', '5M', 'PT5M'])('rejects %j', (text) => {
    expect(() => validatePrometheusDuration('rule', 'for', text))
      .toThrow(`rule: for is not a valid Prometheus duration (got ${JSON.stringify(text)}): use a Prometheus duration such as "30s"`);
  });
  test('stops where Go\'s time.Duration does, as promtool does: 292y passes, 293y is out of range', () => {
    expect(validatePrometheusDuration('x', 'for', '292y')).toBe(292 * 31_536_000_000);
    expect(validatePrometheusDuration('x', 'for', '106751d23h47m16s854ms')).toBe(9_223_372_036_854);
    expect(() => validatePrometheusDuration('rule', 'for', '106751d23h47m16s855ms')).toThrow('rule: for is out of range (got "106751d23h47m16s855ms"): use at most 292y');
    expect(() => validatePrometheusDuration('rule', 'for', '293y')).toThrow('rule: for is out of range (got "293y")');
  });
});

describe('validatePort', () => {
  test.each([1, 80, 8088, 65535])('accepts %d', (p) => expect(validatePort('x', 'port', p)).toBe(p));
  test.each([0, -1, 65536, 80.5, NaN, '8088'])('rejects %j', (p) => {
    expect(() => validatePort('dest', 'port', p)).toThrow(`dest: port is not a valid port (got ${typeof p === 'string' ? `"${p}"` : String(p)}): use an integer from 1 to 65535`);
  });
});

describe('every validator either accepts or throws the standard error, for any input', () => {
  const validators: Array<(v: unknown) => unknown> = [
    (v) => validateDnsLabel('p', 'f', v),
    (v) => validateDnsSubdomain('p', 'f', v),
    (v) => validateLabelKey('p', 'f', v),
    (v) => validateLabelValue('p', 'f', v),
    (v) => validateLabels('p', 'f', v),
    (v) => validatePrometheusLabelName('p', 'f', v),
    (v) => validatePrometheusDuration('p', 'f', v),
    (v) => validatePort('p', 'f', v),
  ];
  test.each(validators.map((v, i) => [i, v]))('validator %d', (_i, validate) => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.anything()), (input) => {
      try {
        validate(input);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as Error).message).toMatch(/^p: .+ \(got .*\): .+/s);
      }
    }), { numRuns: 1000 });
  });

  test('accepted DNS labels are exactly those of the RFC 1123 grammar', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9-]{0,70}$/), (s) => {
      const valid = s.length >= 1 && s.length <= 63 && !s.startsWith('-') && !s.endsWith('-');
      let accepted = true;
      try {
        validateDnsLabel('p', 'f', s);
      } catch {
        accepted = false;
      }
      expect(accepted).toBe(valid);
    }));
  });
});
