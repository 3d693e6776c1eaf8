import { closest } from './did-you-mean';
import { ErrorLocation, validationError } from './validation';

/** Actions that open a block closed by `{{ end }}`, and those of them that need a value. */
const BLOCK_OPENERS = new Set(['if', 'range', 'with', 'define', 'block']);
const NEEDS_VALUE = new Set(['if', 'range', 'with']);
/** Words of the template language that are not functions. */
const KEYWORDS = new Set([...BLOCK_OPENERS, 'else', 'end', 'template', 'break', 'continue', 'nil', 'true', 'false']);
/** text/template's own functions, which every Go template has. */
const BUILTINS = [
  'and', 'or', 'not', 'len', 'index', 'slice', 'call', 'print', 'printf', 'println', 'html', 'js', 'urlquery', 'eq', 'ne', 'lt', 'le', 'gt', 'ge',
];

/** What a template may call and read besides its own declarations. */
export interface TemplateLanguage {
  readonly functions: ReadonlySet<string>;
  /** Variables defined before the template runs, without the `$`. */
  readonly variables: readonly string[];
}

/**
 * Prometheus' alert and recording-rule templates: the functions of Prometheus 3
 * (template/template.go; e.g. `toDuration` and `now` are newer than promtool 2.42,
 * `urlQueryEscape` came in 3.8) and the variables rules/alerting.go defines first.
 */
export const PROMETHEUS_TEMPLATES: TemplateLanguage = {
  functions: new Set([
    ...BUILTINS,
    'query', 'first', 'label', 'value', 'strvalue', 'args', 'reReplaceAll', 'safeHtml', 'match', 'title', 'toUpper', 'toLower',
    'graphLink', 'tableLink', 'sortByLabel', 'humanize', 'humanize1024', 'humanizeDuration', 'humanizePercentage', 'humanizeTimestamp',
    'toTime', 'toDuration', 'now', 'pathPrefix', 'externalURL', 'parseDuration', 'stripPort', 'stripDomain', 'urlQueryEscape',
  ]),
  variables: ['labels', 'externalLabels', 'externalURL', 'value'],
};

/**
 * Alertmanager's notification templates: the functions of its template/template.go
 * (`trimSpace`, `date`, `tz`, `since`, `humanizeDuration` and `toJson` are newer
 * than 0.25); no variables are defined before a template runs.
 */
export const ALERTMANAGER_TEMPLATES: TemplateLanguage = {
  functions: new Set([
    ...BUILTINS,
    'toUpper', 'toLower', 'title', 'trimSpace', 'join', 'match', 'safeHtml', 'safeUrl', 'urlUnescape', 'reReplaceAll', 'stringSlice',
    'date', 'tz', 'since', 'humanizeDuration', 'toJson',
  ]),
  variables: [],
};

/** `$x :=`, `$i, $v :=` (in range), and `$x =`, which the parser takes without a declaration too. */
const DECLARATION = /\$(\w+)\s*(?:,\s*\$(\w+)\s*)?:?=/g;
/** `$name` (or `$` alone, the data the template runs on). */
const VARIABLE = /\$(\w*)/g;

/** An identifier that is not part of a variable (`$x`), a field chain (`.Labels.pod`) or a number (`0x1F`). */
const BARE_IDENTIFIER = /(?<![\w$.])[A-Za-z_]\w*/g;

/**
 * Checks a Go template the way text/template's parser does: actions run from
 * `{{` to the first `}}` outside a quoted string (a `}}` in plain text is text),
 * comments are closed, no action is empty, `if`/`range`/`with` have a value,
 * `else` and `break`/`continue` stand where they may, and blocks match their `end`.
 * With a `language`, the functions called and the variables read must exist,
 * since Prometheus refuses to load a rule file whose template has an unknown one.
 * Alertmanager expands its templates only when it sends a notification (and
 * `amtool check-config` does not parse them), so without this check a broken
 * one would surface as a failed page during an incident.
 */
export function validateGoTemplate(where: ErrorLocation, field: string, text: string, language?: TemplateLanguage): string {
  const fail = (what: string, fix = 'write actions as {{ ... }} and close every if/range/with with {{ end }}'): never => {
    throw validationError(where, `${field} is not a valid Go template: ${what}`, text, fix);
  };
  // Open blocks, and whether a plain {{ else }} was seen in each: nothing but {{ end }} may follow it.
  const blocks: Array<{ word: string; sawElse: boolean }> = [];
  const variables = new Set(language?.variables);
  for (let start = text.indexOf('{{'); start >= 0; start = text.indexOf('{{', start)) {
    // "{{- " trims the space before the action; "{{-3}}" is the number -3.
    let from = start + 2;
    if (text[from] === '-' && /\s/.test(text[from + 1] ?? '')) from += 2;
    const end = actionEnd(text, from);
    if (end === undefined) fail('"{{" without a closing "}}"');
    const action = text.slice(from, end).replace(/\s-$/, '').trim();
    start = text.indexOf('}}', end) + 2;
    if (action.startsWith('/*')) {
      if (!action.endsWith('*/')) fail('a comment "{{/*" not closed by "*/}}"');
      continue;
    }
    if (action === '') fail('empty action "{{ }}"');
    const code = withoutStrings(action);
    if (code.includes('{{')) fail('"{{" inside an action: actions do not nest', 'write one action per {{ ... }}, e.g. {{ $labels.pod }}');
    const word = /^[a-z]+/.exec(code)?.[0] ?? '';
    const argument = code.slice(word.length).trim();
    if (NEEDS_VALUE.has(word) && argument === '') fail(`"${word}" without a value`, `write e.g. {{ ${word} $labels.severity }}`);
    if (word === 'else') {
      const block = blocks[blocks.length - 1];
      if (!block || !NEEDS_VALUE.has(block.word)) fail('"else" outside of if/range/with');
      if (block.sawElse) fail(`"else" after the final "else" of this ${block.word}`, 'end the block with {{ end }} after its last {{ else }}');
      const chained = /^(if|with)\b/.exec(argument)?.[1];
      if (chained && argument.slice(chained.length).trim() === '') fail(`"else ${chained}" without a value`);
      block.sawElse = !chained;
    } else if (word === 'end') {
      if (blocks.pop() === undefined) fail('"end" without an opening if/range/with');
    } else if (BLOCK_OPENERS.has(word)) {
      blocks.push({ word, sawElse: false });
    } else if ((word === 'break' || word === 'continue') && !blocks.some((b) => b.word === 'range')) {
      fail(`"${word}" outside of range`);
    }
    if (language) checkNames(code, language, variables, fail);
  }
  if (blocks.length > 0) fail(`"${blocks[blocks.length - 1].word}" without "end"`);
  return text;
}

/** Where the action starting at `from` ends (its closing "}}", or " -}}"), skipping quoted strings; undefined when it is not closed. */
function actionEnd(text: string, from: number): number | undefined {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '}' && text[i + 1] === '}') return text[i - 1] === '-' && /\s/.test(text[i - 2] ?? '') ? i - 1 : i;
    if (c === '"' || c === '\'' || c === '`') {
      const close = quoteEnd(text, i);
      if (close === undefined) return undefined;
      i = close;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return undefined;
      i = close + 1;
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opening at `open` ("..." and '...' honour backslashes, `...` does not). */
function quoteEnd(text: string, open: number): number | undefined {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\' && quote !== '`') i++;
    else if (text[i] === quote) return i;
  }
  return undefined;
}

/** The action with its quoted strings emptied, so that their text is not read as code. */
function withoutStrings(action: string): string {
  let out = '';
  for (let i = 0; i < action.length; i++) {
    const c = action[i];
    if (c === '"' || c === '\'' || c === '`') {
      const close = quoteEnd(action, i) ?? action.length - 1;
      out += `${c}${c}`;
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * Functions called and variables read must exist. Variables count as declared
 * from their `$name :=` on, to the end of the template (Go ends them with their
 * block, which this does not follow: it may miss a variable read out of scope).
 */
function checkNames(code: string, language: TemplateLanguage, variables: Set<string>, fail: (what: string, fix?: string) => never): void {
  for (const [name] of code.matchAll(BARE_IDENTIFIER)) {
    if (KEYWORDS.has(name) || language.functions.has(name)) continue;
    const suggestion = closest(name, language.functions, 2);
    fail(`it calls "${name}", which is not a template function`,
      suggestion ? `did you mean "${suggestion}"?` : `use one of ${[...language.functions].join(', ')}`);
  }
  for (const [, first, second] of code.matchAll(DECLARATION)) [first, second].forEach((v) => v && variables.add(v));
  for (const [, name] of code.matchAll(VARIABLE)) {
    if (name === '' || variables.has(name)) continue;
    const suggestion = closest(name, variables, 2);
    const known = [...variables].map((v) => `$${v}`);
    fail(`it reads "$${name}", which is not defined`,
      suggestion ? `did you mean "$${suggestion}"?` : `${known.length > 0 ? `use ${known.join(', ')}, or ` : ''}declare it first with {{ $${name} := ... }}`);
  }
}
