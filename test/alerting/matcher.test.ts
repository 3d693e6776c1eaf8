import * as fc from 'fast-check';
import { AlertMatcher } from '../../src';
import { validateGoTemplate } from '../../src/common/go-template';
import { ValidationError } from '../../src/common/validation';

describe('AlertMatcher', () => {
  test.each([
    ['severity="critical"', 'severity', '=', 'critical'],
    ['team != payments', 'team', '!=', 'payments'],
    ['namespace=~"kube-.*"', 'namespace', '=~', 'kube-.*'],
    ['job!~"a|b"', 'job', '!~', 'a|b'],
    ['summary="say \\"hi\\""', 'summary', '=', 'say "hi"'],
    // Go RE2 syntax that JavaScript's RegExp refused (a false error before).
    ['alertname=~"(?i)falco.*"', 'alertname', '=~', '(?i)falco.*'],
    ['pod=~"(?P<app>[a-z]+)-\\\\d+"', 'pod', '=~', '(?P<app>[a-z]+)-\\d+'],
  ])('parses %s', (text, name, operator, value) => {
    const m = AlertMatcher.parse(text);
    expect([m.name, m.operator, m.value]).toEqual([name, operator, value]);
    expect(AlertMatcher.parse(m.toString())).toEqual(m);
  });

  test.each([
    ['severity=="critical"', 'AlertMatcher.parse("severity==\\"critical\\""): matcher operator is not one of =, !=, =~, !~ (got "=="): use "=" for equality'],
    ['severity~"x"', 'matcher operator is not one of =, !=, =~, !~ (got "~")'],
    ['severity critical', 'AlertMatcher.parse("severity critical"): matcher is not of the form name<op>"value"'],
    ['1severity="x"', 'matcher label name is not a valid Prometheus label name (got "1severity")'],
    ['team=~"(unclosed"', 'matcher regular expression for "team" does not compile: missing ) to close a group (got "(unclosed")'],
    // JavaScript would accept these; Alertmanager's Go regexp refuses the whole config.
    ['alertname=~"(?!Watchdog).*"', 'does not compile: Go\'s RE2 has no lookaround ("(?!" at position 0 of the pattern)'],
    ['team=~"(a)\\\\1"', 'does not compile: invalid escape sequence \\1 at position 3 of the pattern'],
    ['team="open', 'matcher value has unbalanced or invalid quotes (got "\\"open")'],
  ])('rejects %s', (text, message) => {
    expect(() => AlertMatcher.parse(text)).toThrow(message);
  });

  test('factories validate the label name', () => {
    expect(() => AlertMatcher.equal('__name__', 'x')).toThrow('AlertMatcher.equal: matcher label name is not a valid Prometheus label name (got "__name__")');
  });

  test('arbitrary text either parses and round-trips, or fails with a ValidationError', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      try {
        const m = AlertMatcher.parse(text);
        expect(AlertMatcher.parse(m.toString())).toEqual(m);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
      }
    }));
  });
});

describe('Go template structure', () => {
  test.each([
    'plain text', '{{ .CommonLabels.alertname }}', '{{- if eq .Status "firing" -}}F{{ else }}R{{- end -}}',
    '{{ range .Alerts }}{{ .Labels.pod }}{{ end }}', '{{/* comment */}}x',
    // "}}" in plain text or in a quoted string is text, as text/template reads it.
    'x }} y', '{{ printf "%s}}" .Status }}', '{{/* a }} b */}}',
  ])('accepts %s', (t) => expect(validateGoTemplate('t', 'f', t)).toBe(t));

  test.each([
    ['{{ }}', 'empty action'], ['{{ end }}', '"end" without an opening if/range/with'], ['{{ if }}x{{ end }}', '"if" without a value'],
    ['{{ if .A }}x{{ else }}y{{ else }}z{{ end }}', '"else" after the final "else" of this if'], ['{{ break }}', '"break" outside of range'],
    ['{{ "unterminated }}', '"{{" without a closing "}}"'], ['{{/* open', '"{{" without a closing "}}"'],
    ['{{ else }}', '"else" outside of if/range/with'], ['{{ range .Alerts }}x', '"range" without "end"'],
  ])('rejects %s', (t, message) => expect(() => validateGoTemplate('t', 'f', t)).toThrow(message));

  test('arbitrary text never crashes the checker', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      try {
        validateGoTemplate('t', 'f', text);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
      }
    }));
  });
});
