import * as fc from 'fast-check';
import { shape } from './condition-shape';
import { FalcoPriority } from '../../../src/falco';
import { FalcoRules } from '../../../src/falco/rules';
import { ConditionSyntaxError, parseCondition } from '../../../src/falco/rules/condition-parser';

// Thousands of generated cases per test: on the shared CI cores this can exceed jest's 5 s default.
jest.setTimeout(30_000);

/** Parses, and lets only the parser's own syntax error through, with an offset inside the text. */
function parseOrSyntaxError(text: string): void {
  try {
    parseCondition(text);
  } catch (e) {
    if (!(e instanceof ConditionSyntaxError)) throw e;
    if (e.offset < 0 || e.offset > text.length) throw new Error(`offset ${e.offset} outside the text`);
  }
}

const TOKENS = [
  'and', 'or', 'not', 'not(', '(', ')', ',', '=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains',
  'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex', 'oneof', 'anyof', 'allof', 'in', 'intersects', 'pmatch',
  'exists', 'proc.name', 'proc.aname[2]', 'proc.aname[', ']', '[', 'evt.arg.flags', 'evt.rawarg.res', 'evt.type', 'fd.name',
  'tolower(', 'toupper(', 'b64(', 'basename(', 'len(', 'val(', 'concat(', 'join(', '"a b"', "'it\\'s'", '"open', '\\', '%',
  'bash', '/etc/shadow', '123', '-1', '0x1F', '1e+5', 'shell_binaries', 'spawned_process', 'proc.nam', 'ka.verb', '',
];
const BLANKS = fc.constantFrom('', ' ', '  ', '\t', '\n');
const tokenSoup = fc.array(fc.tuple(fc.constantFrom(...TOKENS), BLANKS), { maxLength: 40 })
  .map((parts) => parts.map(([token, blank]) => token + blank).join(''));

const base = new FalcoRules()
  .addList({ name: 'shell_binaries', items: ['bash', 'sh'] })
  .addMacro({ name: 'spawned_process', condition: 'evt.type in (execve, execveat)' });

function ruleWith(condition: string, output: string): FalcoRules {
  return new FalcoRules({ after: [base] })
    .addRule({ name: 'R', description: 'd', condition, output, priority: FalcoPriority.WARNING });
}

describe('the parser and validator never crash', () => {
  test('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), parseOrSyntaxError), { numRuns: 500 });
    fc.assert(fc.property(fc.fullUnicodeString({ maxLength: 100 }), parseOrSyntaxError), { numRuns: 200 });
  });

  test('on token soups of the grammar', () => {
    fc.assert(fc.property(tokenSoup, parseOrSyntaxError), { numRuns: 1000 });
  });

  test('on deep nesting', () => {
    const opener = fc.constantFrom('(', 'not (', 'not(', 'tolower(', 'concat((', 'val(', 'concat(', 'proc.name in ');
    // A run of thousands of one opener after another reaches depths where an
    // unguarded recursion overflows the stack (e.g. `(` inside `concat(`).
    const run = fc.tuple(opener, fc.noBias(fc.integer({ min: 1, max: 20000 }))).map(([o, n]) => o.repeat(n));
    fc.assert(fc.property(opener, run, (first, rest) => parseOrSyntaxError(`${first}${rest}proc.name`)), { numRuns: 100 });
  });

  test('validating rules built from soups returns diagnostics, never throws', () => {
    fc.assert(fc.property(tokenSoup, fc.oneof(tokenSoup.map((t) => `x %${t}`), fc.string({ maxLength: 50 })), (condition, output) => {
      const diagnostics = ruleWith(condition, output).validate();
      for (const d of diagnostics) {
        expect(['error', 'warning', 'note']).toContain(d.severity);
        expect(d.message).toMatch(/^FalcoRule "R": .* \(got .*\): /s);
      }
    }), { numRuns: 500 });
  });
});

/** A generated condition: its text and the tree the parser must build from it. */
interface Generated {
  readonly text: string;
  readonly shape: string;
  readonly composite: boolean;
}

// A bare value that spells a field (`fd.name`) draws Falco's "field misused as a const string" warning.
const bareWord = fc.stringMatching(/^[a-z0-9/.-]{1,8}$/).filter((w) => !['and', 'or', 'not'].includes(w) && !/^[a-z]+\.[a-z]/.test(w));
// libsinsp never closes a string at a quote right after a backslash, so no string can end with one.
const quotedWord = fc.string({ maxLength: 8 }).filter((v) => !v.endsWith('\\')).map((v) => ({
  text: `"${v.replace(/[\\"]/g, '\\$&')}"`, shape: JSON.stringify(v),
}));
const value = fc.oneof(bareWord.map((w) => ({ text: w, shape: w })), quotedWord);
// evt.arg takes a number in brackets (evt.arg[1]) and a name after a dot (evt.arg.flags), as in Falco.
const field = fc.constantFrom('proc.name', 'proc.pname', 'fd.name', 'proc.aname[2]', 'evt.arg.flags', 'evt.arg[1]');

const check: fc.Arbitrary<Generated> = fc.oneof(
  // No regex here: Falco warns about a regex without regex syntax (see the constants below).
  fc.tuple(field, fc.constantFrom('=', '==', '!=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob'), value)
    .map(([f, op, v]) => ({ text: `${f} ${op} ${v.text}`, shape: `[${f} ${op} ${v.shape}]` })),
  fc.tuple(fc.constantFrom('proc.pid', 'evt.rawres', 'len(proc.args)'), fc.constantFrom('<', '<=', '>', '>='), fc.integer({ min: -1000, max: 1000 }))
    .map(([f, op, n]) => ({ text: `${f} ${op} ${n}`, shape: `[${f} ${op} ${n}]` })),
  fc.tuple(field, fc.constantFrom('in', 'intersects', 'pmatch'), fc.array(value, { maxLength: 4 }))
    .map(([f, op, vs]) => ({
      text: `${f} ${op} (${vs.map((v) => v.text).join(', ')})`, shape: `[${f} ${op} (${vs.map((v) => v.shape).join(', ')})]`,
    })),
  fc.constantFrom(
    // Falco pastes a list's items in place of its name, so a list is only used in parentheses.
    { text: 'proc.name in (shell_binaries)', shape: '[proc.name in (shell_binaries)]' },
    { text: 'proc.name regex "^ba(sh|zsh)$"', shape: '[proc.name regex "^ba(sh|zsh)$"]' },
    { text: 'tolower(proc.name) = val(proc.pname)', shape: '[tolower(proc.name) = val(proc.pname)]' },
    { text: 'fd.name exists', shape: '[fd.name exists]' },
    { text: 'spawned_process', shape: 'macro:spawned_process' },
  ),
).map((c) => ({ ...c, composite: false }));

const { condition } = fc.letrec<{ condition: Generated }>((tie) => ({
  condition: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    check,
    tie('condition').map((c) => ({ text: c.composite ? `not (${c.text})` : `not ${c.text}`, shape: `(not ${c.shape})`, composite: true })),
    fc.tuple(fc.constantFrom('and', 'or'), fc.array(tie('condition'), { minLength: 2, maxLength: 3 })).map(([op, children]) => ({
      text: children.map((c) => (c.composite ? `(${c.text})` : c.text)).join(` ${op} `),
      shape: `(${op} ${children.map((c) => c.shape).join(' ')})`,
      composite: true,
    })),
  ),
}));

// There is no condition printer to round-trip through; instead generated trees are
// written as text and must parse back to the same tree.
describe('generated valid conditions', () => {
  test('parse to the tree they were generated from', () => {
    fc.assert(fc.property(condition, (c) => {
      expect(shape(parseCondition(c.text))).toBe(c.shape);
    }), { numRuns: 500 });
  });

  test('validate with zero errors and warnings', () => {
    fc.assert(fc.property(condition, (c) => {
      // Random negations can make the evt.type checks contradict each other ("spawned_process and not
      // spawned_process"): Falco warns about such a rule (LOAD_NO_EVTTYPE), and so does the validator.
      const diagnostics = ruleWith(`evt.type in (open, execve) and (${c.text})`, 'o %proc.name').validate()
        .filter((d) => !d.message.includes('condition matches no evt.type'));
      expect(diagnostics).toEqual([]);
    }), { numRuns: 300 });
  });
});

describe('the validator never crashes on malformed entries', () => {
  // JSON drops undefined keys, which would leave entries without their leading key.
  const anything = fc.oneof(fc.anything({ maxDepth: 3 }).filter((v) => v !== undefined), tokenSoup, fc.constantFrom('append', 'replace', 'WARNING'));
  const fieldsOf = (keys: string[]) => fc.record(Object.fromEntries(keys.map((k) => [k, anything])), { requiredKeys: [] });
  const entry = fc.oneof(
    fc.tuple(fc.constantFrom('R', 'spawned_process'), fieldsOf(['desc', 'condition', 'output', 'priority', 'tags', 'source', 'enabled', 'exceptions', 'override', 'append']))
      .map(([name, f]) => ({ rule: name, ...f })),
    fc.tuple(fc.constantFrom('m', 'spawned_process'), fieldsOf(['condition', 'override', 'append'])).map(([name, f]) => ({ macro: name, ...f })),
    fc.tuple(fc.constantFrom('l', 'shell_binaries'), fieldsOf(['items', 'override', 'append'])).map(([name, f]) => ({ list: name, ...f })),
    anything.map((v) => ({ required_plugin_versions: v })),
  );

  test('loaded from YAML, after other files', () => {
    fc.assert(fc.property(fc.array(entry, { maxLength: 6 }), (entries) => {
      const rules = FalcoRules.fromYaml(JSON.stringify(entries), { after: [base] });
      expect(Array.isArray(rules.validate())).toBe(true);
      expect(() => rules.toYaml()).not.toThrow();
    }), { numRuns: 500 });
  });
});
