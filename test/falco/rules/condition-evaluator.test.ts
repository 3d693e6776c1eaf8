/**
 * The evaluator against libsinsp's documented and implemented behaviour. No
 * Falco binary runs here: each case names the libs source (falcosecurity/libs,
 * userspace/libsinsp/...) whose code decides it.
 */
import { parseCondition } from '../../../src/falco/rules/condition-parser';
import { ConditionEvaluator, EvaluationError, Truth } from '../../../src/falco/rules/evaluator/condition-evaluator';
import { FieldMapEvent, UnknownFieldError } from '../../../src/falco/rules/evaluator/field-values';
import { getopt } from '../../../src/falco/rules/evaluator/transformers';
import { ValueError } from '../../../src/falco/rules/evaluator/typed-values';
import { newestSourceFields } from '../../../src/falco/rules/plugin-catalogue';

const SYSCALL = newestSourceFields('syscall')!;

interface Scope {
  lists?: Record<string, string[]>;
  macros?: Record<string, string>;
  externalMacros?: string[];
  audit?: boolean;
}

function evaluate(condition: string, event: Record<string, unknown>, scope: Scope = {}): Truth {
  const catalogues = scope.audit ? newestSourceFields('k8s_audit')! : SYSCALL;
  const evaluator = new ConditionEvaluator({
    lists: new Map(Object.entries(scope.lists ?? {})),
    macros: new Map(Object.entries(scope.macros ?? {})),
    externalMacros: new Set(scope.externalMacros ?? []),
    catalogues,
  }, new FieldMapEvent(event, catalogues));
  return evaluator.evaluate(parseCondition(condition), 0).truth;
}

/** [condition, event, expected] */
type Case = [string, Record<string, unknown>, boolean];

function cases(title: string, table: Case[]): void {
  test.each(table)(`${title}: %s on %j is %s`, (condition, event, expected) => {
    expect(evaluate(condition, event)).toBe(expected ? 'true' : 'false');
  });
}

describe('string comparisons (filter_compare.cpp flt_compare_string)', () => {
  const bash = { 'proc.name': 'bash' };
  cases('=, == and != compare whole strings (strcmp)', [
    ['proc.name = bash', bash, true],
    ['proc.name == bash', bash, true],
    ['proc.name = bas', bash, false],
    ['proc.name != sh', bash, true],
    ['proc.name != bash', bash, false],
    ['proc.name = "bash"', bash, true],
  ]);
  cases('contains (strstr), icontains (strcasestr: ASCII case only)', [
    ['proc.cmdline contains "-c "', { 'proc.cmdline': 'bash -c id' }, true],
    ['proc.cmdline contains "-C "', { 'proc.cmdline': 'bash -c id' }, false],
    ['proc.cmdline icontains "BASH -C"', { 'proc.cmdline': 'bash -c id' }, true],
    ['proc.name icontains É', { 'proc.name': 'é' }, false],
  ]);
  cases('startswith (strncmp) and endswith', [
    ['fd.name startswith /etc/', { 'fd.name': '/etc/shadow' }, true],
    ['fd.name startswith /etc/', { 'fd.name': '/etcd/x' }, false],
    ['fd.name endswith shadow', { 'fd.name': '/etc/shadow' }, true],
    ['fd.name endswith /etc', { 'fd.name': '/etc/shadow' }, false],
  ]);
  cases('<, <=, >, >= order strings by bytes (strcmp), also against numbers', [
    ['proc.name < val(proc.pname)', { 'proc.name': 'ba', 'proc.pname': 'bb' }, true],
    ['proc.name > val(proc.pname)', { 'proc.name': 'Z', 'proc.pname': 'a' }, false],
    ['proc.name <= val(proc.pname)', { 'proc.name': 'bash', 'proc.pname': 'bash' }, true],
    ['proc.name >= 10', { 'proc.name': '9' }, true],
  ]);
  cases('glob is fnmatch(pattern, value, 0) (utils.cpp sinsp_utils::glob_match): * and ? cross "/"', [
    ['fd.name glob "/etc/*"', { 'fd.name': '/etc/ssl/private/key' }, true],
    ['fd.name glob "/etc/?hadow"', { 'fd.name': '/etc/shadow' }, true],
    ['fd.name glob "/etc/[a-s]hadow"', { 'fd.name': '/etc/shadow' }, true],
    ['fd.name glob "/etc/[!s]hadow"', { 'fd.name': '/etc/shadow' }, false],
    ['fd.name glob "/tmp/[[:digit:]]*"', { 'fd.name': '/tmp/1abc' }, true],
    ['fd.name glob "/etc/\\\\*"', { 'fd.name': '/etc/shadow' }, false],
    ['fd.name glob "/ETC/*"', { 'fd.name': '/etc/shadow' }, false],
    ['fd.name iglob "/ETC/*"', { 'fd.name': '/etc/shadow' }, true],
    ['fd.name iglob "/tmp/É"', { 'fd.name': '/tmp/é' }, false],
  ]);
  cases('regex is RE2 in POSIX mode matched against the whole value (sinsp_filtercheck.cpp matches_rhs_regex, ANCHOR_BOTH)', [
    ['proc.name regex "ba.*"', bash, true],
    ['proc.name regex "as"', bash, false],
    ['proc.name regex "[[:alpha:]]+"', bash, true],
    ['proc.name regex "(ba|z)sh"', bash, true],
  ]);
});

describe('set and path operators (sinsp_filtercheck.cpp compare_rhs, prefix_search.h)', () => {
  cases('in and intersects test membership of a single value', [
    ['proc.name in (sh, bash)', { 'proc.name': 'bash' }, true],
    ['proc.name in (sh, zsh)', { 'proc.name': 'bash' }, false],
    ['proc.name intersects (sh, bash)', { 'proc.name': 'bash' }, true],
  ]);
  cases('pmatch matches whole path components, globs per component', [
    ['fd.name pmatch (/var/run, /etc)', { 'fd.name': '/var/run/docker.sock' }, true],
    ['fd.name pmatch (/var/run)', { 'fd.name': '/var/run' }, true],
    ['fd.name pmatch (/var/run)', { 'fd.name': '/var/running' }, false],
    ['fd.name pmatch (/var/run)', { 'fd.name': '/var' }, false],
    ['fd.name pmatch (/var/*/docker.sock)', { 'fd.name': '/var/run/docker.sock' }, true],
    ['fd.name pmatch (/)', { 'fd.name': '/anything' }, true],
  ]);
  cases('list fields: in holds when every value is listed, intersects when one is (compare_rhs, is_list)', [
    ['fd.types in (ipv4, file)', { 'fd.types': ['ipv4', 'file'] }, true],
    ['fd.types in (ipv4)', { 'fd.types': ['ipv4', 'file'] }, false],
    ['fd.types intersects (ipv4)', { 'fd.types': ['ipv4', 'file'] }, true],
    ['fd.types intersects (unix)', { 'fd.types': ['ipv4', 'file'] }, false],
    ['fd.types exists', { 'fd.types': ['ipv4'] }, true],
    // fd.types extracts the (possibly empty) set of open fd types (sinsp_filtercheck_fd.cpp extract_nocache).
    ['fd.types in (ipv4)', { 'fd.types': [] }, true],
    ['fd.types intersects (ipv4)', { 'fd.types': [] }, false],
  ]);
  cases('modifiers count matching constants (compare_rhs_with_mod)', [
    ['proc.name startswith oneof (ba, b)', { 'proc.name': 'bash' }, false],
    ['proc.name startswith oneof (ba, z)', { 'proc.name': 'bash' }, true],
    ['proc.name startswith anyof (z, b)', { 'proc.name': 'bash' }, true],
    ['proc.name startswith allof (b, ba)', { 'proc.name': 'bash' }, true],
    ['proc.name startswith allof (b, z)', { 'proc.name': 'bash' }, false],
    ['proc.name = anyof (sh, bash)', { 'proc.name': 'bash' }, true],
    ['proc.name != allof (sh, zsh)', { 'proc.name': 'bash' }, true],
    ['proc.name != allof (sh, bash)', { 'proc.name': 'bash' }, false],
  ]);
});

describe('a field the event lacks (sinsp_filtercheck.cpp compare_nocache: no extracted value, false)', () => {
  cases('every operator is false, so its negation is true', [
    ['proc.pname = bash', { 'proc.name': 'sh' }, false],
    ['proc.pname != bash', { 'proc.name': 'sh' }, false],
    ['proc.pname exists', { 'proc.name': 'sh' }, false],
    ['proc.pname in (bash)', { 'proc.name': 'sh' }, false],
    ['not proc.pname = bash', { 'proc.name': 'sh' }, true],
    ['not proc.pname exists', { 'proc.name': 'sh' }, true],
    ['proc.name exists', { 'proc.name': 'sh' }, true],
    ['proc.name = val(proc.pname)', { 'proc.name': 'sh' }, false],
  ]);
});

describe('typed fields (value_parser.cpp string_to_rawval, filter_compare.cpp flt_compare)', () => {
  cases('integers: signed 64-bit, compared as numbers', [
    ['proc.pid = 42', { 'proc.pid': 42 }, true],
    ['proc.pid = 042', { 'proc.pid': '42' }, true],
    ['proc.pid > 9', { 'proc.pid': 10 }, true],
    ['proc.pid < 9', { 'proc.pid': 10 }, false],
    ['evt.rawres >= 0', { 'evt.rawres': -2 }, false],
    ['evt.rawres <= -2', { 'evt.rawres': -2 }, true],
    ['proc.pid != 1', { 'proc.pid': 2 }, true],
    ['user.uid in (0, 1000)', { 'user.uid': 1000 }, true],
  ]);
  cases('ports: numbers or service names (getservbyname)', [
    ['fd.sport = https', { 'fd.sport': 443 }, true],
    ['fd.sport in (80, 443)', { 'fd.sport': 443 }, true],
    ['fd.sport > 1024', { 'fd.sport': 443 }, false],
  ]);
  cases('doubles: constants read as integers', [
    ['thread.cpu > 50', { 'thread.cpu': 50.5 }, true],
    ['thread.cpu = 50', { 'thread.cpu': 50.5 }, false],
  ]);
  cases('booleans: true and false', [
    ['evt.is_open_read = true', { 'evt.is_open_read': true }, true],
    ['evt.is_open_read = true', { 'evt.is_open_read': 'false' }, false],
    ['evt.is_open_read != true', { 'evt.is_open_read': false }, true],
  ]);
  cases('IP addresses: an address of the other family never equals and always differs (PT_IPADDR)', [
    ['fd.sip = 10.0.0.1', { 'fd.sip': '10.0.0.1' }, true],
    ['fd.sip = "::1"', { 'fd.sip': '::1' }, true],
    ['fd.sip = "0:0:0:0:0:0:0:1"', { 'fd.sip': '::1' }, true],
    ['fd.sip != "::1"', { 'fd.sip': '127.0.0.1' }, true],
    ['fd.sip = "::1"', { 'fd.sip': '127.0.0.1' }, false],
    ['fd.sip in (10.0.0.1, 10.0.0.2)', { 'fd.sip': '10.0.0.2' }, true],
  ]);
  cases('IP networks: the address is within the network (flt_compare_ipv4net, ipv6net::in_cidr)', [
    ['fd.snet = "10.0.0.0/8"', { 'fd.snet': '10.1.2.3' }, true],
    ['fd.snet != "127.0.0.0/8"', { 'fd.snet': '10.1.2.3' }, true],
    ['fd.snet in ("192.168.0.0/16", "10.0.0.0/8")', { 'fd.snet': '10.1.2.3' }, true],
    ['fd.snet = "fd00::/8"', { 'fd.snet': 'fd12::1' }, true],
    ['fd.snet = "10.0.0.0/8"', { 'fd.snet': 'fd12::1' }, false],
    ['fd.snet = "10.0.0.0/31"', { 'fd.snet': '10.0.0.1' }, true],
  ]);
  cases('buffers: bytes; bcontains and bstartswith take hex (filter.cpp unhex)', [
    ['evt.buffer contains ELF', { 'evt.buffer': '\x7fELF\x02' }, true],
    ['evt.buffer bcontains 454c46', { 'evt.buffer': '\x7fELF\x02' }, true],
    ['evt.buffer bstartswith 7f454c46', { 'evt.buffer': '\x7fELF\x02' }, true],
    ['evt.buffer bstartswith 454c46', { 'evt.buffer': '\x7fELF\x02' }, false],
    ['evt.buffer startswith ELF', { 'evt.buffer': '\x7fELF\x02' }, false],
  ]);
});

describe('fields libsinsp compares in its own way', () => {
  cases('fd.ip, fd.net and fd.port test either end; != needs both (sinsp_filtercheck_fd.cpp compare_ip/net/port)', [
    ['fd.ip = 10.0.0.1', { 'fd.cip': '10.0.0.1', 'fd.sip': '10.0.0.2' }, true],
    ['fd.ip != 10.0.0.1', { 'fd.cip': '10.0.0.1', 'fd.sip': '10.0.0.2' }, false],
    ['fd.ip != 10.0.0.3', { 'fd.cip': '10.0.0.1', 'fd.sip': '10.0.0.2' }, true],
    ['fd.net = "10.0.0.0/24"', { 'fd.cip': '192.168.0.1', 'fd.sip': '10.0.0.2' }, true],
    ['fd.port = 443', { 'fd.cport': 51234, 'fd.sport': 443 }, true],
    ['fd.port in (22, 443)', { 'fd.cport': 51234, 'fd.sport': 443 }, true],
    ['fd.port > 60000', { 'fd.cport': 51234, 'fd.sport': 443 }, false],
    ['fd.proto = https', { 'fd.cport': 51234, 'fd.sport': 443 }, true],
  ]);
  cases('proc.aname without an index matches any ancestor, from the parent up (sinsp_filtercheck_thread.cpp compare_full_aname)', [
    ['proc.aname = containerd', { 'proc.name': 'sh', 'proc.aname': ['bash', 'containerd-shim', 'containerd'] }, true],
    ['proc.aname = sh', { 'proc.name': 'sh', 'proc.aname': ['bash'] }, false],
    ['proc.aname[2] = containerd-shim', { 'proc.aname': ['bash', 'containerd-shim'] }, true],
    ['proc.aname[1] = bash', { 'proc.pname': 'bash' }, true],
    ['proc.aname[0] = sh', { 'proc.name': 'sh' }, true],
    ['proc.pname = bash', { 'proc.aname': ['bash'] }, true],
    ['proc.aname[3] = init', { 'proc.aname': ['bash'] }, false],
  ]);
  cases('field arguments: brackets and dots', [
    ['container.label[app] = web', { 'container.label[app]': 'web' }, true],
    ['container.label.app = web', { 'container.label[app]': 'web' }, true],
    ['evt.arg.flags contains O_RDONLY', { 'evt.arg.flags': 'O_RDONLY|O_CLOEXEC' }, true],
    ['evt.arg[0] = 3', { 'evt.arg.fd': '3' }, false],
    ['proc.env[HOME] = /root', { 'proc.env[HOME]': '/root' }, true],
  ]);
});

describe('transformers (sinsp_filter_transformers/*.cpp, sinsp_filtercheck_multivalue_transformer.cpp)', () => {
  cases('tolower, toupper (C locale), basename, b64 decoding, len of strings and lists', [
    ['tolower(proc.name) = bash', { 'proc.name': 'BaSh' }, true],
    ['toupper(proc.name) = BASH', { 'proc.name': 'bash' }, true],
    ['basename(proc.exepath) = bash', { 'proc.exepath': '/usr/bin/bash' }, true],
    ['basename(proc.exepath) = bash', { 'proc.exepath': 'bash' }, true],
    ['b64(proc.cmdline) = "id"', { 'proc.cmdline': 'aWQ=' }, true],
    ['b64(proc.cmdline) = "id"', { 'proc.cmdline': 'aWQ' }, true],
    ['b64(proc.cmdline) exists', { 'proc.cmdline': 'not base64!' }, false],
    ['b64(proc.cmdline) exists', { 'proc.cmdline': 'aWQ===' }, false],
    ['len(proc.cmdline) = 4', { 'proc.cmdline': 'ab c' }, true],
    ['len(proc.cmdline) = 2', { 'proc.cmdline': 'é' }, true],
    ['len(fd.types) = 2', { 'fd.types': ['ipv4', 'file'] }, true],
    ['len(fd.types) > 2', { 'fd.types': ['ipv4', 'file'] }, false],
  ]);
  cases('join, concat, val(); a missing argument makes the result missing', [
    ['join(",", fd.types) = "ipv4,file"', { 'fd.types': ['ipv4', 'file'] }, true],
    ['concat(proc.name, "-", proc.pname) = "sh-bash"', { 'proc.name': 'sh', 'proc.pname': 'bash' }, true],
    ['concat(proc.name, proc.pname) exists', { 'proc.name': 'sh' }, false],
    ['proc.name = val(proc.pname)', { 'proc.name': 'sh', 'proc.pname': 'sh' }, true],
    ['proc.name != val(proc.pname)', { 'proc.name': 'sh', 'proc.pname': 'bash' }, true],
    ['tolower(proc.name) = tolower(proc.pname)', { 'proc.name': 'SH', 'proc.pname': 'sh' }, true],
  ]);
  cases('getopt over a transformer list (list_check: fields and constants, flattened) gives a list', [
    ['getopt(("-x", "-c", "id"), "c:x") intersects (c)', {}, true],
    ['getopt(("-x", "-c", "id"), "c:x") in (x, c, id)', {}, true],
    ['join(",", getopt(("-x", "-c", "id"), "c:x")) = "x,c,id"', {}, true],
    ['getopt((proc.name, "id"), "c:") intersects (id)', { 'proc.name': '-c' }, true],
    ['getopt((proc.name, "id"), "c:") exists', {}, false],
  ]);
  test('getopt reads options as getopt(3) does: clustered flags, attached and separate values, ? for unknown ones', () => {
    expect(getopt(['-xc', 'id', 'arg'], 'c:x')).toEqual(['x', 'c', 'id']);
    expect(getopt(['-cid'], 'c:')).toEqual(['c', 'id']);
    expect(getopt(['-z', '-c', 'id'], 'c:')).toEqual(['?', 'c', 'id']);
    expect(getopt(['-c', 'id'], 'c:', 'c')).toEqual(['id']);
    expect(getopt(['--long', '-x', '--', '-c', 'id'], 'c:x')).toEqual(['x']);
    expect(getopt(['-x'], 'c:x', 'c')).toBeUndefined();
    expect(getopt(['-c'], 'c:')).toEqual(['']);
  });
});

describe('lists and macros', () => {
  test('a list name in parentheses stands for its items (lists of lists already expanded), quoted it is a literal', () => {
    const lists = { shells: ['bash', 'sh'], interpreters: ['python3', 'bash', 'sh'] };
    expect(evaluate('proc.name in (shells)', { 'proc.name': 'sh' }, { lists })).toBe('true');
    expect(evaluate('proc.name in ("shells")', { 'proc.name': 'sh' }, { lists })).toBe('false');
    expect(evaluate('proc.name in ("shells")', { 'proc.name': 'shells' }, { lists })).toBe('true');
    expect(evaluate('proc.name in (zsh, shells)', { 'proc.name': 'bash' }, { lists })).toBe('true');
    expect(evaluate('fd.name pmatch (shells)', { 'fd.name': '/x' }, { lists: { shells: ['/x'] } })).toBe('true');
  });

  test('macros expand, nested, under not, and in and/or with short-circuit', () => {
    const macros = { spawned: 'evt.type in (execve, execveat)', shell: 'proc.name in (bash, sh)', shell_spawned: 'spawned and shell' };
    expect(evaluate('shell_spawned', { 'evt.type': 'execve', 'proc.name': 'sh' }, { macros })).toBe('true');
    expect(evaluate('shell_spawned and not shell', { 'evt.type': 'execve', 'proc.name': 'sh' }, { macros })).toBe('false');
    expect(evaluate('spawned or shell', { 'evt.type': 'open', 'proc.name': 'sh' }, { macros })).toBe('true');
    expect(evaluate('not (spawned or shell)', { 'evt.type': 'open' }, { macros })).toBe('true');
  });

  test('a macro whose content is not at hand, or one that is undefined, cannot be evaluated', () => {
    expect(() => evaluate('spawned_process', { 'evt.type': 'execve' }, { externalMacros: ['spawned_process'] }))
      .toThrow(/macro "spawned_process" is defined in a rules file whose content is not at hand.*FalcoRules\.fromYaml/);
    expect(() => evaluate('nothing_here', {})).toThrow(EvaluationError);
  });
});

describe('unknown fields and bad values are errors, not silent mismatches', () => {
  test('an event field no catalogue of the source knows', () => {
    expect(() => evaluate('proc.name = bash', { 'proc.nmae': 'bash' })).toThrow(UnknownFieldError);
    expect(() => evaluate('proc.name = bash', { 'ka.verb': 'create' })).toThrow(/unknown field "ka.verb"/);
    expect(() => evaluate('ka.verb = create', { 'proc.name': 'bash' }, { audit: true })).toThrow(UnknownFieldError);
  });

  test('a condition field no catalogue of the source knows', () => {
    expect(() => evaluate('proc.nmae = bash', { 'proc.name': 'bash' })).toThrow('the condition uses unknown field "proc.nmae", which Falco refuses');
    expect(() => evaluate('ka.verb = create', {})).toThrow(EvaluationError);
  });

  test('a value of the wrong type, and a list for a single-valued field', () => {
    expect(() => evaluate('proc.pid = 1', { 'proc.pid': 'one' })).toThrow(ValueError);
    expect(() => evaluate('fd.sip = 10.0.0.1', { 'fd.sip': 'ten' })).toThrow(/not an IP address/);
    expect(() => evaluate('proc.name = bash', { 'proc.name': ['bash'] })).toThrow(/holds one value/);
  });

  test('a constant Falco would refuse', () => {
    expect(() => evaluate('proc.pid = 0x10', { 'proc.pid': 16 })).toThrow(/decimal integer/);
    expect(() => evaluate('fd.sport = nosuchservice', { 'fd.sport': 1 })).toThrow(/port number or a known service name/);
  });
});
