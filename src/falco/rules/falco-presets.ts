import { isIP } from 'net';
import { validationError } from '../../common/validation';
import { FalcoPriority } from '../priority';
import { compareOne } from './evaluator/comparisons';
import { parseAddress, parseConstant } from './evaluator/typed-values';
import { FalcoRuleTest, FalcoTestOutcome } from './falco-items';
import { FalcoRules, FalcoRulesOptions } from './falco-rules';
import { FieldType } from './field-catalogue';
import { optionalArgument } from '../../common/arguments';

/**
 * Options of `FalcoPresets.unexpectedNetworkConnection`. The allow-lists become
 * the Falco lists `unexpected_network_allowed_ips`, `unexpected_network_allowed_networks`
 * and `unexpected_network_allowed_processes`, which later rules files may append to.
 */
export interface UnexpectedNetworkConnectionProps extends FalcoRulesOptions {
  /**
   * Server IP addresses (IPv4 or IPv6) that processes may connect to.
   * @default - none
   */
  readonly allowedIps?: string[];
  /**
   * Server networks in CIDR notation (e.g. `10.0.0.0/8`) that processes may connect to.
   * Loopback connections are never reported.
   * @default - none
   */
  readonly allowedNetworks?: string[];
  /**
   * Process names (`proc.name`) that may connect anywhere.
   * @default - none
   */
  readonly allowedProcesses?: string[];
}

/**
 * Options of `FalcoPresets.sensitiveFileAccess`. The files and allow-list become
 * the Falco lists `sensitive_file_access_files` and `sensitive_file_access_allowed_processes`.
 */
export interface SensitiveFileAccessProps extends FalcoRulesOptions {
  /**
   * Absolute paths watched in addition to `/etc/shadow` and `/etc/passwd`.
   * @default - only /etc/shadow and /etc/passwd
   */
  readonly files?: string[];
  /**
   * Process names (`proc.name`) that may read the files.
   * @default - none
   */
  readonly allowedProcesses?: string[];
}

/**
 * Options of `FalcoPresets.privilegeEscalation`. The allow-lists become the Falco
 * lists `privilege_escalation_allowed_parent_processes` and
 * `privilege_escalation_allowed_images`; the watched binaries are the list
 * `privilege_escalation_binaries` (`sudo`, `su`).
 */
export interface PrivilegeEscalationProps extends FalcoRulesOptions {
  /**
   * Parent process names (`proc.pname`) that may run `sudo` or `su`, e.g. an
   * entrypoint script that drops privileges with `su`.
   * @default - none
   */
  readonly allowedParentProcesses?: string[];
  /**
   * Container image repositories (`container.image.repository`, without tag),
   * e.g. `docker.io/library/debian`, whose containers may run `sudo` or `su`.
   * @default - none
   */
  readonly allowedImages?: string[];
}

/** The rules of the mission's detections, as ready-made Falco rules files. */
export class FalcoPresets {
  /**
   * `Unexpected Network Connection` (WARNING): an outbound TCP/UDP connection to
   * an address outside the allow-lists, by a process outside the allow-list.
   */
  public static unexpectedNetworkConnection(props: UnexpectedNetworkConnectionProps = {}): FalcoRules {
    props = optionalArgument('FalcoPresets.unexpectedNetworkConnection', 'props', props) ?? {};
    const where = 'FalcoPresets.unexpectedNetworkConnection';
    const ips = allowList(where, 'allowedIps', props.allowedIps, ipAddress);
    const networks = allowList(where, 'allowedNetworks', props.allowedNetworks, cidr);
    const processes = allowList(where, 'allowedProcesses', props.allowedProcesses, word);
    return presetRules(props)
      .addList({ name: 'unexpected_network_allowed_ips', items: ips })
      .addList({ name: 'unexpected_network_allowed_networks', items: networks })
      .addList({ name: 'unexpected_network_allowed_processes', items: processes })
      // As upstream's `outbound` macro: IPv4/IPv6 sockets only, successful or in-progress
      // connects; loopback is local traffic, not a network connection worth an alert.
      .addMacro({
        name: 'unexpected_network_outbound',
        condition: '(evt.type = connect and (fd.typechar = 4 or fd.typechar = 6) and fd.snet != "127.0.0.0/8" and fd.sip != "::1" '
          + 'and (evt.rawres >= 0 or evt.res = EINPROGRESS))',
      })
      .addRule({
        name: 'Unexpected Network Connection',
        description: 'An outbound connection to an address outside the allow-lists, by a process outside the allow-list.',
        condition: 'unexpected_network_outbound and not fd.sip in (unexpected_network_allowed_ips) '
          + 'and not fd.snet in (unexpected_network_allowed_networks) and not proc.name in (unexpected_network_allowed_processes)',
        output: `Unexpected outbound connection (connection=%fd.name server_ip=%fd.sip server_port=%fd.sport proto=%fd.l4proto ${PROCESS_OUTPUT})`,
        priority: FalcoPriority.WARNING,
        tags: ['network', 'mitre_command_and_control', 'TA0011'],
      })
      ._addFileTests('Unexpected Network Connection', networkTests(ips, networks, processes));
  }

  /**
   * `Sensitive File Access` (CRITICAL): `/etc/shadow`, `/etc/passwd` or another
   * listed file opened for reading by a process outside the allow-list.
   */
  public static sensitiveFileAccess(props: SensitiveFileAccessProps = {}): FalcoRules {
    props = optionalArgument('FalcoPresets.sensitiveFileAccess', 'props', props) ?? {};
    const where = 'FalcoPresets.sensitiveFileAccess';
    const files = allowList(where, 'files', props.files, absolutePath);
    const processes = allowList(where, 'allowedProcesses', props.allowedProcesses, word);
    return presetRules(props)
      .addList({ name: 'sensitive_file_access_files', items: [...new Set(['/etc/shadow', '/etc/passwd', ...files])] })
      .addList({ name: 'sensitive_file_access_allowed_processes', items: processes })
      // As upstream's `open_read`: successful opens of regular files for reading.
      .addMacro({
        name: 'sensitive_file_access_open_read',
        condition: "(evt.type in (open, openat, openat2) and evt.is_open_read=true and fd.typechar='f' and fd.num>=0)",
      })
      .addRule({
        name: 'Sensitive File Access',
        description: 'A sensitive file was opened for reading by a process outside the allow-list.',
        condition: 'sensitive_file_access_open_read and fd.name in (sensitive_file_access_files) '
          + 'and not proc.name in (sensitive_file_access_allowed_processes)',
        output: `Sensitive file opened for reading (file=%fd.name ${PROCESS_OUTPUT})`,
        priority: FalcoPriority.CRITICAL,
        tags: ['filesystem', 'mitre_credential_access', 'T1003.008'],
      })
      ._addFileTests('Sensitive File Access', fileTests(processes));
  }

  /**
   * `Privilege Escalation` (CRITICAL): `sudo` or `su` started in a container,
   * unless its parent process or the container image is allowed. Needs the
   * container plugin, which the file declares.
   */
  public static privilegeEscalation(props: PrivilegeEscalationProps = {}): FalcoRules {
    props = optionalArgument('FalcoPresets.privilegeEscalation', 'props', props) ?? {};
    const where = 'FalcoPresets.privilegeEscalation';
    const parents = allowList(where, 'allowedParentProcesses', props.allowedParentProcesses, word);
    const images = allowList(where, 'allowedImages', props.allowedImages, word);
    return presetRules(props)
      .addList({ name: 'privilege_escalation_binaries', items: ['sudo', 'su'] })
      .addList({ name: 'privilege_escalation_allowed_parent_processes', items: parents })
      .addList({ name: 'privilege_escalation_allowed_images', items: images })
      .addMacro({ name: 'privilege_escalation_spawned_in_container', condition: '(evt.type in (execve, execveat) and container.id != host)' })
      .addRule({
        name: 'Privilege Escalation',
        description: 'sudo or su was started in a container, neither by an allowed parent process nor in an allowed image.',
        // The exclusions test the parent and the image, which do vary among sudo/su
        // processes (unlike `proc.name`, already pinned to sudo/su by the check before).
        condition: 'privilege_escalation_spawned_in_container and proc.name in (privilege_escalation_binaries) '
          + 'and not proc.pname in (privilege_escalation_allowed_parent_processes) '
          + 'and not container.image.repository in (privilege_escalation_allowed_images)',
        output: `Privilege escalation tool started in a container (${PROCESS_OUTPUT})`,
        priority: FalcoPriority.CRITICAL,
        tags: ['container', 'mitre_privilege_escalation', 'T1548.003'],
      })
      ._addFileTests('Privilege Escalation', escalationTests(parents, images));
  }
}

/*
 * The tests each preset ships with: an event it must report, one it must not,
 * and one per allow-list the caller filled, so that a synth proves the rule and
 * its allow-lists behave as documented. Sample values avoid what the caller allowed.
 */

function firstNotIn(candidates: string[], allowed: readonly string[]): string | undefined {
  return candidates.find((c) => !allowed.includes(c));
}

function outboundConnection(ip: string, process: string): Record<string, unknown> {
  return {
    'evt.type': 'connect', 'fd.typechar': isIP(ip) === 6 ? '6' : '4', 'fd.sip': ip, 'fd.sport': 443, 'evt.rawres': 0, 'proc.name': process,
  };
}

function networkTests(ips: string[], networks: string[], processes: string[]): FalcoRuleTest[] {
  const inAllowedNetwork = (ip: string) => networks.some((n) => compareOne('=', parseAddress(ip), parseConstant(FieldType.IPNET, n)));
  const ip = ['203.0.113.10', '198.51.100.7', '192.0.2.33'].find((c) => !ips.includes(c) && !inAllowedNetwork(c));
  const process = firstNotIn(['curl', 'wget', 'python3'], processes);
  const tests: FalcoRuleTest[] = [
    { name: 'a connection to 127.0.0.1 (loopback)', event: outboundConnection('127.0.0.1', process ?? 'curl'), expect: FalcoTestOutcome.NO_MATCH },
  ];
  if (ip && process) tests.unshift({ name: `${process} connects to ${ip}`, event: outboundConnection(ip, process), expect: FalcoTestOutcome.MATCH });
  if (ips[0] && process) tests.push({ name: `a connection to the allowed ${ips[0]}`, event: outboundConnection(ips[0], process), expect: FalcoTestOutcome.NO_MATCH });
  if (networks[0] && process) {
    const address = networks[0].split('/')[0];
    tests.push({ name: `a connection into the allowed network ${networks[0]}`, event: outboundConnection(address, process), expect: FalcoTestOutcome.NO_MATCH });
  }
  if (processes[0] && ip) tests.push({ name: `the allowed process ${processes[0]} connects out`, event: outboundConnection(ip, processes[0]), expect: FalcoTestOutcome.NO_MATCH });
  return tests;
}

function openForReading(file: string, process: string): Record<string, unknown> {
  return { 'evt.type': 'openat', 'evt.is_open_read': true, 'fd.typechar': 'f', 'fd.num': 3, 'fd.name': file, 'proc.name': process };
}

function fileTests(processes: string[]): FalcoRuleTest[] {
  const process = firstNotIn(['cat', 'python3', 'dd'], processes);
  const tests: FalcoRuleTest[] = [];
  if (process) {
    tests.push({ name: `${process} reads /etc/shadow`, event: openForReading('/etc/shadow', process), expect: FalcoTestOutcome.MATCH });
    tests.push({ name: `${process} reads /etc/hostname`, event: openForReading('/etc/hostname', process), expect: FalcoTestOutcome.NO_MATCH });
  }
  if (processes[0]) tests.push({ name: `the allowed process ${processes[0]} reads /etc/shadow`, event: openForReading('/etc/shadow', processes[0]), expect: FalcoTestOutcome.NO_MATCH });
  return tests;
}

function execInContainer(binary: string, parent: string, image: string, containerId = '3f1c2a9b8e7d'): Record<string, unknown> {
  return { 'evt.type': 'execve', 'proc.name': binary, 'proc.pname': parent, 'container.id': containerId, 'container.image.repository': image };
}

function escalationTests(parents: string[], images: string[]): FalcoRuleTest[] {
  const parent = firstNotIn(['bash', 'sh', 'python3'], parents);
  const image = firstNotIn(['docker.io/library/ubuntu', 'docker.io/library/alpine'], images);
  const tests: FalcoRuleTest[] = [];
  if (parent && image) {
    tests.push({ name: `${parent} runs sudo in a container`, event: execInContainer('sudo', parent, image), expect: FalcoTestOutcome.MATCH });
    tests.push({ name: 'sudo on the host', event: execInContainer('sudo', parent, image, 'host'), expect: FalcoTestOutcome.NO_MATCH });
    tests.push({ name: `${parent} runs id in a container`, event: execInContainer('id', parent, image), expect: FalcoTestOutcome.NO_MATCH });
  }
  if (parents[0] && image) tests.push({ name: `the allowed parent ${parents[0]} runs su`, event: execInContainer('su', parents[0], image), expect: FalcoTestOutcome.NO_MATCH });
  if (images[0] && parent) tests.push({ name: `su in the allowed image ${images[0]}`, event: execInContainer('su', parent, images[0]), expect: FalcoTestOutcome.NO_MATCH });
  return tests;
}

/** The process and Kubernetes context every preset reports. */
const PROCESS_OUTPUT = 'process=%proc.name parent=%proc.pname command=%proc.cmdline user=%user.name '
  + 'container_id=%container.id image=%container.image.repository k8s_ns=%k8s.ns.name k8s_pod=%k8s.pod.name';

/**
 * A rules file that declares the container plugin: the outputs (and the
 * privilege escalation condition) use `container.*` and `k8s.*` fields, which
 * Falco 0.41+ takes from that plugin. 0.4.0 is what upstream falco_rules.yaml requires.
 */
function presetRules(options: FalcoRulesOptions): FalcoRules {
  return new FalcoRules({ after: options.after, plugins: options.plugins }).requirePlugins([{ name: 'container', version: '0.4.0' }]);
}

/** Checks one allow-list value; returns what is wrong with it, or undefined. */
type ItemCheck = (value: string) => { what: string; fix: string } | undefined;

/**
 * Validates the values of an allow-list prop. Falco splices list items into the
 * condition text as bare words, so blanks, commas, parentheses, quotes and `=`
 * would change its meaning.
 */
function allowList(where: string, prop: string, values: string[] | undefined, check: ItemCheck): string[] {
  if (values === undefined) return [];
  if (!Array.isArray(values)) {
    throw validationError(where, `${prop} must be a list of strings`, values, `pass e.g. ${prop}: ["value"]`);
  }
  values.forEach((value, i) => {
    const problem = typeof value !== 'string' || !BARE_WORD.test(value)
      ? { what: 'is not a word Falco can carry in a list', fix: 'use a non-empty string without blanks, commas, parentheses, quotes or "="' }
      : check(value);
    if (problem) throw validationError(where, `${prop}[${i}] ${problem.what}`, value, problem.fix);
  });
  return [...values];
}

const BARE_WORD = /^[^\s(),"'=]+$/;

const word: ItemCheck = () => undefined;

const ipAddress: ItemCheck = (value) => (isIP(value) ? undefined
  : { what: 'is not an IP address', fix: 'write an IPv4 or IPv6 address such as "10.0.0.1"; put networks in allowedNetworks' });

const cidr: ItemCheck = (value) => {
  const [address, bits, ...rest] = value.split('/');
  const version = isIP(address);
  const max = version === 6 ? 128 : 32;
  const valid = version !== 0 && rest.length === 0 && bits !== undefined && /^[0-9]{1,3}$/.test(bits) && Number(bits) <= max;
  return valid ? undefined : { what: 'is not a network in CIDR notation', fix: 'write an address and a prefix length, e.g. "10.0.0.0/8" or "fd00::/8"' };
};

const absolutePath: ItemCheck = (value) => (value.startsWith('/') ? undefined
  : { what: 'is not an absolute path', fix: 'write the full path Falco reports in fd.name, e.g. "/etc/sudoers"' });
