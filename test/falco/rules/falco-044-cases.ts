/**
 * Conditions and outputs on which this library's validator disagreed with a
 * real Falco 0.44.1 (libs 0.25.4) running `falco -V`. Each case states what
 * Falco said, so the expectation can be re-checked against a Falco binary
 * (see falco-binary.optin.test.ts).
 */
export interface FalcoCase {
  readonly name: string;
  readonly condition: string;
  readonly output?: string;
  /** Extra keys of the rule, as YAML lines. */
  readonly ruleExtra?: string;
  /** Items after the rule, as YAML. */
  readonly after?: string;
  /** Falco's verdict: `error` (Invalid), `warning` (Ok, with warnings) or `ok`. */
  readonly falco: 'error' | 'warning' | 'ok';
  /** What Falco printed, for reference. */
  readonly falcoSays: string;
  /** This library warns where Falco is silent (a likely typo): the one deliberate difference. */
  readonly lint?: boolean;
}

/** Loaded before every case: the container plugin, a list and a macro that restricts evt.type. */
export const PRELUDE = `- required_plugin_versions: [{ name: container, version: 0.4.0 }]
- list: shell_binaries
  items: [bash, sh]
- macro: spawned_process
  condition: (evt.type in (execve, execveat))
`;

export function caseYaml(c: FalcoCase): string {
  return `${PRELUDE}- rule: R
  desc: d
  condition: ${JSON.stringify(c.condition)}
  output: ${JSON.stringify(c.output ?? 'o %proc.name')}
  priority: WARNING
${c.ruleExtra ?? ''}${c.after ?? ''}`;
}

const S = 'spawned_process and ';

export const FALCO_CASES: FalcoCase[] = [
  // Lists are pasted in as text before parsing.
  { name: 'list without parentheses', condition: `${S}proc.name in shell_binaries`, falco: 'error', falcoSays: "unexpected token after 'bash', expecting 'or', 'and'" },
  { name: 'list after a modifier without parentheses', condition: `${S}proc.name = oneof shell_binaries`, falco: 'error', falcoSays: "unexpected token after 'bash'" },
  { name: 'list as a plain value', condition: `${S}proc.name = shell_binaries`, falco: 'error', falcoSays: "unexpected token after 'bash'" },
  { name: 'unknown name after in', condition: `${S}proc.name in shell_binarys`, falco: 'ok', falcoSays: 'Ok (one literal value)', lint: true },
  { name: 'list defined later in the file', condition: `${S}proc.name in (later_list)`, after: '- list: later_list\n  items: [x]\n', falco: 'ok', falcoSays: 'Ok (lists have no load order)' },
  // Operators by field type.
  { name: 'bcontains on a string', condition: `${S}proc.name bcontains 6c73`, falco: 'error', falcoSays: "'bcontains' operator not supported for string filters" },
  { name: 'contains on an integer', condition: `${S}proc.pid contains 1`, falco: 'error', falcoSays: "'contains' operator not supported for numeric filters" },
  { name: 'startswith on an ip address', condition: `${S}fd.sip startswith 10.`, falco: 'error', falcoSays: "'startswith' operator not supported for ip address and network filters" },
  { name: 'regex on a buffer', condition: `${S}evt.buffer regex abc`, falco: 'error', falcoSays: "'regex' operator not supported for buffer filters" },
  { name: '= on a list field', condition: `${S}fd.types = file`, falco: 'error', falcoSays: "'=' operator not supported list filters" },
  { name: '> on a bool', condition: `${S}evt.is_open_read > 1`, falco: 'error', falcoSays: "'>' operator not supported for numeric filters" },
  // Values by field type.
  { name: 'hex number', condition: `${S}proc.pid > 0x1F`, falco: 'error', falcoSays: '0x1F is not a valid number' },
  { name: 'decimal fraction', condition: `${S}proc.pid < 1.5`, falco: 'error', falcoSays: '1.5 is not a valid number' },
  { name: 'bool written as 1', condition: `${S}evt.is_open_read = 1`, falco: 'error', falcoSays: 'unrecognized boolean value 1' },
  { name: 'invalid ip address', condition: `${S}fd.sip = notanip`, falco: 'error', falcoSays: 'unrecognized IPv6 address notanip' },
  { name: 'invalid netmask', condition: `${S}fd.snet = 10.0.0.0/33`, falco: 'error', falcoSays: 'invalid netmask 33' },
  { name: 'network without a mask', condition: `${S}fd.snet = 10.0.0.1`, falco: 'error', falcoSays: 'unrecognized IP network 10.0.0.1' },
  { name: 'port by service name', condition: `${S}fd.sport = http`, falco: 'ok', falcoSays: 'Ok' },
  // Field arguments.
  { name: 'non-numeric ancestor index', condition: `${S}proc.aname[x] = bash`, falco: 'error', falcoSays: 'filter_check called with nonexistent field proc.aname[x]' },
  { name: 'negative ancestor index', condition: `${S}proc.aname[-1] = bash`, falco: 'ok', falcoSays: 'Ok' },
  { name: 'evt.arg by name in brackets', condition: `${S}evt.arg['flags'] contains O_RDWR`, falco: 'error', falcoSays: 'flags is not a valid number' },
  { name: 'thread.cgroup in brackets', condition: `${S}thread.cgroup[cpu] = x`, falco: 'error', falcoSays: 'filter syntax error: thread.cgroup[cpu]' },
  { name: 'plugin field argument after a dot', condition: `${S}container.label.app = x`, falco: 'error', falcoSays: 'container.label requires an argument but none provided' },
  { name: 'proc.env argument after a dot', condition: `${S}proc.env.HOME = x`, falco: 'error', falcoSays: 'filter_check called with nonexistent field proc.env.HOME' },
  { name: 'evt.abspath without an argument', condition: `${S}evt.abspath = x`, falco: 'ok', falcoSays: 'Ok' },
  // Deprecations and compile-time warnings.
  { name: 'evt.dir', condition: `${S}evt.dir = <`, falco: 'warning', falcoSays: "LOAD_DEPRECATED_ITEM: due to the drop of enter events, 'evt.dir = <' always evaluates to true" },
  { name: 'evt.latency', condition: `${S}evt.latency > 0`, falco: 'warning', falcoSays: 'LOAD_DEPRECATED_ITEM: field is not available due to the drop of enter events.' },
  { name: 'regex without regex syntax', condition: `${S}proc.name regex bash`, falco: 'warning', falcoSays: "regex check with 'bash' may be optimized with simpler operators" },
  { name: 'regex with a Perl class', condition: `${S}proc.name regex "^bash\\\\d$"`, falco: 'error', falcoSays: 'invalid regex pattern: invalid escape sequence: \\d' },
  { name: 'regex with a non-capturing group', condition: `${S}proc.name regex "^(?:ba|z)sh$"`, falco: 'error', falcoSays: 'invalid regex pattern: no argument for repetition operator: ?' },
  { name: 'regex with an unclosed class', condition: `${S}proc.name regex "[a-z"`, falco: 'error', falcoSays: 'invalid regex pattern: missing ]: [a-z' },
  { name: 'regex with POSIX syntax', condition: `${S}proc.name regex "^[[:alpha:]]+(sh|[0-9]{1,3})$"`, falco: 'ok', falcoSays: 'Ok' },
  { name: 'field name as a value', condition: `${S}proc.name = proc.pname`, falco: 'warning', falcoSays: "'proc.pname' may be a valid field misused as a const string value" },
  { name: 'transformer as a quoted value', condition: `${S}proc.name = "tolower(proc.pname)"`, falco: 'warning', falcoSays: 'may be a valid field transformer misused as a const string value' },
  {
    name: 'duplicate exception names',
    condition: `${S}proc.name = bash`,
    ruleExtra: '  exceptions:\n    - { name: a, fields: [proc.pname] }\n    - { name: a, fields: [proc.pname] }\n',
    falco: 'warning',
    falcoSays: 'LOAD_EXCEPTION_NAME_NOT_UNIQUE',
  },
  { name: 'evt.rawarg.res compared with text', condition: `${S}evt.rawarg.res = abc`, falco: 'error', falcoSays: 'abc is not a valid number' },
  { name: 'contains on evt.rawarg.res', condition: `${S}evt.rawarg.res contains a`, falco: 'error', falcoSays: "'contains' operator not supported for numeric filters" },
  { name: 'evt.rawarg.res below zero', condition: `${S}evt.rawarg.res < 0`, falco: 'ok', falcoSays: 'Ok' },
  { name: 'contains on what len() returns', condition: `${S}len(proc.name) contains 1`, falco: 'error', falcoSays: "'contains' operator not supported for numeric filters" },
  { name: 'len() compared with text', condition: `${S}len(proc.name) = abc`, falco: 'error', falcoSays: 'abc is not a valid number' },
  { name: 'bcontains on what toupper() returns', condition: `${S}toupper(proc.name) bcontains 41`, falco: 'error', falcoSays: "'bcontains' operator not supported for string filters" },
  { name: '= on what getopt() returns', condition: `${S}getopt((proc.name, proc.pname), "c:") = x`, falco: 'error', falcoSays: "'=' operator not supported list filters" },
  { name: 'in on what getopt() returns', condition: `${S}getopt((proc.name, proc.pname), "c:") in (x)`, falco: 'ok', falcoSays: 'Ok' },
  { name: 'bcontains with an odd number of hex digits', condition: `${S}evt.buffer bcontains 6c7`, falco: 'error', falcoSays: 'bcontains and bstartswith operator support hex strings only' },
  { name: 'bstartswith with hex bytes', condition: `${S}evt.buffer bstartswith 7F454C46`, falco: 'ok', falcoSays: 'Ok' },
  { name: '< on what b64() of a buffer returns', condition: `${S}b64(evt.buffer) < 1`, falco: 'error', falcoSays: "'<' operator not supported for buffer filters" },
  { name: 'bcontains on what b64() of a string returns', condition: `${S}b64(proc.name) bcontains 41`, falco: 'error', falcoSays: "'bcontains' operator not supported for string filters" },
  {
    name: 'evt.type from a list of lists',
    condition: 'evt.type in (b_calls)',
    after: '- list: a_calls\n  items: [open, openat]\n- list: b_calls\n  items: [a_calls, execve]\n',
    falco: 'ok',
    falcoSays: 'Ok',
  },
  { name: 'list item that is not a number for an integer field', condition: `${S}proc.pid in (pids)`, after: '- list: pids\n  items: [1, abc]\n', falco: 'error', falcoSays: 'abc is not a valid number' },
  { name: 'quoted list items for a network field', condition: `${S}fd.snet in (nets)`, after: '- list: nets\n  items: [\'"10.0.0.0/8"\', \'"fd00::/8"\']\n', falco: 'ok', falcoSays: 'Ok' },
  { name: 'enabled without override', condition: `${S}proc.name = bash`, after: '- rule: R\n  enabled: false\n', falco: 'warning', falcoSays: "LOAD_DEPRECATED_ITEM: The standalone 'enabled' key usage is deprecated" },
  { name: 'unknown event argument after a dot', condition: `${S}evt.rawarg.nres < 0`, falco: 'error', falcoSays: 'unknown event argument nres' },
  { name: 'event argument in upper case', condition: `${S}evt.arg.FLAGS exists`, falco: 'error', falcoSays: 'unknown event argument FLAGS' },
  { name: 'event argument of another event', condition: `${S}evt.arg.flags exists`, falco: 'ok', falcoSays: 'Ok: any event\'s argument name is accepted' },
  { name: 'unknown event argument in an output', condition: `${S}proc.name = bash`, output: 'x %evt.arg.nosuch y', falco: 'error', falcoSays: "unknown filter: unexpected token after '" },
  { name: 'output field followed by text', condition: `${S}proc.name = bash`, output: 'user=%user.namecmd', falco: 'ok', falcoSays: 'Ok: user.name, then the text "cmd"', lint: true },
  { name: 'output prefix that needs an argument', condition: `${S}proc.name = bash`, output: 'x %container.labelapp', falco: 'error', falcoSays: "unknown filter: unexpected token after '" },
  { name: 'percent sign inside a placeholder argument', condition: `${S}proc.name = bash`, output: 'x %proc.aname[a%b]', falco: 'error', falcoSays: "unknown filter: unexpected token after '" },
  {
    name: 'exception with exists in comps and no values',
    condition: `${S}proc.name = bash`,
    ruleExtra: '  exceptions:\n    - { name: e, fields: [proc.name, proc.pname], comps: [exists, =] }\n',
    falco: 'ok',
    falcoSays: 'Ok',
  },
  {
    name: 'exception with exists in comps and values',
    condition: `${S}proc.name = bash`,
    ruleExtra: '  exceptions:\n    - { name: e, fields: [proc.name, proc.pname], comps: [exists, =], values: [[bash, sshd]] }\n',
    falco: 'error',
    falcoSays: 'unexpected token after',
  },
  // List items are pasted into condition text too (rule_loader_compiler.cpp resolve_list).
  { name: 'list item with =', condition: `${S}proc.name in (odd)`, after: "- list: odd\n  items: [ok, 'a=b']\n", falco: 'error', falcoSays: "expected a ')' token" },
  { name: 'list item with a space and =', condition: `${S}proc.name in (odd)`, after: "- list: odd\n  items: [ok, 'a =b']\n", falco: 'ok', falcoSays: 'Ok' },
  { name: 'list item quoted by hand', condition: `${S}proc.name in (odd)`, after: "- list: odd\n  items: [ok, '\"a=b\"']\n", falco: 'ok', falcoSays: 'Ok' },
  {
    name: 'list item with a comma',
    condition: `${S}proc.name in (odd)`,
    after: "- list: odd\n  items: [ok, 'a,b']\n",
    falco: 'ok',
    falcoSays: 'Ok: the item becomes the two values a and b',
    lint: true,
  },
  // Exceptions are pasted into condition text (rule_loader_compiler.cpp build_rule_exception_infos).
  {
    name: 'exception value with =',
    condition: `${S}proc.name = bash`,
    ruleExtra: '  exceptions:\n    - { name: a, fields: [proc.name, proc.cmdline], comps: [=, contains], values: [[bash, --config=/etc/app]] }\n',
    falco: 'error',
    falcoSays: "expected a ')' token",
  },
  {
    name: 'exception value quoted by hand',
    condition: `${S}proc.name = bash`,
    ruleExtra: '  exceptions:\n    - { name: a, fields: [proc.name, proc.cmdline], comps: [=, contains], values: [[bash, \'"--config=/etc/app"\']] }\n',
    falco: 'ok',
    falcoSays: 'Ok',
  },
  {
    name: 'exception value with a space and =',
    condition: `${S}proc.name = bash`,
    ruleExtra: '  exceptions:\n    - { name: a, fields: [proc.name, proc.cmdline], comps: [=, contains], values: [[bash, "run --config=/etc/app"]] }\n',
    falco: 'ok',
    falcoSays: 'Ok',
  },
  {
    name: 'exception single-field value with a comma',
    condition: `${S}proc.name = bash`,
    ruleExtra: '  exceptions:\n    - { name: a, fields: proc.pname, values: [sshd, "a,b"] }\n',
    falco: 'ok',
    falcoSays: 'Ok: the value becomes the two values a and b',
    lint: true,
  },
  {
    name: 'exception regex RE2 rejects',
    condition: `${S}proc.name = bash`,
    ruleExtra: '  exceptions:\n    - { name: a, fields: [proc.name, proc.pname], comps: [=, regex], values: [[bash, "^ba\\\\d$"]] }\n',
    falco: 'error',
    falcoSays: 'invalid regex pattern: invalid escape sequence: \\d',
  },
  {
    name: 'exception integer field with text',
    condition: `${S}proc.name = bash`,
    ruleExtra: '  exceptions:\n    - { name: a, fields: [proc.name, proc.pid], values: [[bash, abc]] }\n',
    falco: 'error',
    falcoSays: 'abc is not a valid number',
  },
  {
    name: 'exception contains on an integer field',
    condition: `${S}proc.name = bash`,
    ruleExtra: '  exceptions:\n    - { name: a, fields: [proc.name, proc.pid], comps: [=, contains], values: [[bash, 1]] }\n',
    falco: 'error',
    falcoSays: "'contains' operator not supported for numeric filters",
  },
  // Transformers and val().
  { name: 'len of an integer', condition: `${S}len(proc.pid) > 1`, falco: 'error', falcoSays: "type 'INT64' is not supported by 'len' transformer" },
  { name: 'b64 of a buffer', condition: `${S}b64(evt.buffer) contains abc`, falco: 'ok', falcoSays: 'Ok' },
  { name: 'argument after a transformer', condition: `${S}tolower(proc.name)[1] = x`, falco: 'error', falcoSays: "transformer 'tolower' does not support field arguments" },
  { name: 'transformer of proc.aname', condition: `${S}tolower(proc.aname[2]) = bash`, falco: 'error', falcoSays: "field 'proc.aname' does not support transformers" },
  { name: 'proc.aname in val()', condition: `${S}proc.name = val(proc.aname[1])`, falco: 'error', falcoSays: "field 'proc.aname' can't be used as a right-hand side field" },
  { name: 'val() of another type', condition: `${S}proc.name = val(proc.pid)`, falco: 'error', falcoSays: "field 'proc.name' has type 'CHARBUF' while the right-hand side field 'proc.pid' has incompatible type 'INT64'" },
  { name: 'val() of a port for an integer', condition: `${S}proc.pid = val(fd.sport)`, falco: 'error', falcoSays: "incompatible type 'PORT'" },
  { name: 'regex against val()', condition: `${S}proc.name regex val(proc.pname)`, falco: 'error', falcoSays: "operator 'REGEX' doesn't support right-hand side fields" },
  { name: 'join of a non-list', condition: `${S}join(",", proc.args) = x`, falco: 'error', falcoSays: 'join() second argument must be a list' },
  { name: 'concat of one argument', condition: `${S}concat(proc.name) = x`, falco: 'error', falcoSays: "unknown field transfomer 'concat'" },
  { name: 'concat of an integer field', condition: `${S}concat(proc.name, proc.pid) = x`, falco: 'error', falcoSays: 'concat() arguments must be strings' },
  { name: 'concat of a list', condition: `${S}concat((proc.name, proc.pname), "x") = x`, falco: 'error', falcoSays: 'concat() arguments must be strings' },
  { name: 'concat with a number', condition: `${S}concat(proc.name, 1) = x`, falco: 'ok', falcoSays: 'Ok' },
  { name: 'join of a list', condition: `${S}join(",", (proc.name, proc.pname)) = x`, falco: 'ok', falcoSays: 'Ok' },
  { name: 'getopt of a non-list', condition: `${S}getopt(proc.args, "c") = x`, falco: 'error', falcoSays: 'getopt() first argument must be a list' },
  // evt.type.
  { name: 'unknown event type', condition: 'evt.type in (open, opne)', falco: 'error', falcoSays: 'unknown event type opne' },
  { name: 'evt.type against val()', condition: 'evt.type = val(proc.name)', falco: 'error', falcoSays: 'right-hand field comparisons on `evt.type`/`syscall.type` checks are not supported by event code search. Exiting.' },
  { name: 'transformer of evt.type', condition: `${S}tolower(evt.type) = open`, falco: 'error', falcoSays: 'event code search does not support `evt.type` checks with transformers. Exiting.' },
  // The evt.type set Falco computes (libsinsp ppm_event_codes): empty or unbounded draws LOAD_NO_EVTTYPE.
  { name: 'contradictory evt.type checks', condition: 'evt.type = open and evt.type = execve', falco: 'warning', falcoSays: 'LOAD_NO_EVTTYPE: Rule matches too many evt.type values.' },
  { name: 'empty evt.type list', condition: 'evt.type in ()', falco: 'warning', falcoSays: 'LOAD_NO_EVTTYPE: Rule matches too many evt.type values.' },
  { name: 'negated evt.type macro', condition: 'not spawned_process and proc.name = bash', falco: 'warning', falcoSays: 'LOAD_NO_EVTTYPE: Rule matches too many evt.type values.' },
  { name: 'evt.type != inside not', condition: 'not evt.type != open', falco: 'ok', falcoSays: 'Ok' },
  {
    name: 'evt.type from a list defined later',
    condition: 'evt.type in (open_types) and evt.type = open',
    after: '- list: open_types\n  items: [open, openat]\n',
    falco: 'ok',
    falcoSays: 'Ok',
  },
  { name: 'evt.type from a list of non-events', condition: 'evt.type in (shell_binaries, open)', falco: 'error', falcoSays: 'unknown event type bash' },
  { name: 'warn_evttypes: false', condition: 'proc.name = bash', ruleExtra: '  warn_evttypes: false\n', falco: 'ok', falcoSays: 'Ok' },
  // Syntax.
  { name: 'modifier without a blank', condition: `${S}proc.name =oneof (bash, sh)`, falco: 'error', falcoSays: "expected a ')' token" },
  // Outputs.
  { name: 'output ending in %', condition: 'spawned_process', output: '100%', falco: 'error', falcoSays: 'invalid formatting syntax: formatting cannot end with a %' },
  { name: 'output with %%', condition: 'spawned_process', output: 'a %% b', falco: 'error', falcoSays: "unknown filter: unexpected token after '" },
  { name: 'output with "% field"', condition: 'spawned_process', output: 'x % proc.name', falco: 'error', falcoSays: "unknown filter: unexpected token after '" },
  { name: 'output evt.arg by name in brackets', condition: 'spawned_process', output: '%evt.arg[flags]', falco: 'error', falcoSays: "unknown filter: unexpected token after '" },
  { name: 'output plugin argument after a dot', condition: 'spawned_process', output: '%container.label.app', falco: 'error', falcoSays: "unknown filter: unexpected token after '" },
  { name: 'output evt.type.is in brackets', condition: 'spawned_process', output: '%evt.type.is[open]', falco: 'ok', falcoSays: 'Ok' },
];
