import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { FalcoOverrideMode, FalcoPresets, FalcoRules } from '../../../src/falco/rules';

const CORPUS = path.join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'falco_rules.yaml');
const upstream = FalcoRules.fromYaml(fs.readFileSync(CORPUS, 'utf8'));

const presets: Array<[string, (after?: FalcoRules[]) => FalcoRules]> = [
  ['Unexpected Network Connection', (after) => FalcoPresets.unexpectedNetworkConnection({
    allowedIps: ['10.0.0.1', 'fd00::1'], allowedNetworks: ['10.0.0.0/8', 'fd00::/8'], allowedProcesses: ['curl'], after,
  })],
  ['Sensitive File Access', (after) => FalcoPresets.sensitiveFileAccess({ files: ['/etc/sudoers'], allowedProcesses: ['sshd'], after })],
  ['Privilege Escalation', (after) => FalcoPresets.privilegeEscalation({
    allowedParentProcesses: ['entrypoint.sh'], allowedImages: ['docker.io/library/debian'], after,
  })],
];

/** The YAML document of a rules file, as Falco reads it. */
function entries(rules: FalcoRules): Array<Record<string, unknown>> {
  return parse(rules.toYaml());
}

function list(rules: FalcoRules, name: string): unknown {
  return entries(rules).find((e) => e.list === name)?.items;
}

describe.each(presets)('%s preset', (ruleName, build) => {
  test('validates alone with zero errors and warnings', () => {
    expect(build().validate()).toEqual([]);
    expect(build().ruleNames).toEqual([ruleName]);
  });

  test('validates after the upstream default ruleset', () => {
    expect(build([upstream]).validate()).toEqual([]);
  });

  test('its YAML loads back and validates', () => {
    expect(FalcoRules.fromYaml(build().toYaml()).validate()).toEqual([]);
  });

  test('declares the container plugin its fields come from', () => {
    expect(entries(build())[0]).toEqual({ required_plugin_versions: [{ name: 'container', version: '0.4.0' }] });
  });
});

describe('Unexpected Network Connection', () => {
  test('parameters end up in lists that the rule references', () => {
    const rules = presets[0][1]();
    expect(list(rules, 'unexpected_network_allowed_ips')).toEqual(['10.0.0.1', 'fd00::1']);
    expect(list(rules, 'unexpected_network_allowed_networks')).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(list(rules, 'unexpected_network_allowed_processes')).toEqual(['curl']);
    const rule = entries(rules).find((e) => e.rule === 'Unexpected Network Connection')!;
    expect(rule.priority).toBe('WARNING');
    expect(rule.condition).toBe('unexpected_network_outbound and not fd.sip in (unexpected_network_allowed_ips) '
      + 'and not fd.snet in (unexpected_network_allowed_networks) and not proc.name in (unexpected_network_allowed_processes)');
  });

  test('defaults to empty allow-lists', () => {
    const rules = FalcoPresets.unexpectedNetworkConnection();
    expect(list(rules, 'unexpected_network_allowed_ips')).toEqual([]);
    expect(rules.validate()).toEqual([]);
  });

  test('users can append to the allow-lists in a later file', () => {
    const rules = FalcoPresets.unexpectedNetworkConnection();
    const later = new FalcoRules({ after: [rules] }).addList({ name: 'unexpected_network_allowed_processes', items: ['wget'], override: FalcoOverrideMode.APPEND });
    expect(later.validate()).toEqual([]);
  });

  test.each([
    ['allowedIps', { allowedIps: ['10.0.0.0/8'] },
      'FalcoPresets.unexpectedNetworkConnection: allowedIps[0] is not an IP address (got "10.0.0.0/8"): write an IPv4 or IPv6 address such as "10.0.0.1"; put networks in allowedNetworks'],
    ['allowedNetworks without prefix', { allowedNetworks: ['10.0.0.0'] },
      'FalcoPresets.unexpectedNetworkConnection: allowedNetworks[0] is not a network in CIDR notation (got "10.0.0.0"): write an address and a prefix length, e.g. "10.0.0.0/8" or "fd00::/8"'],
    ['allowedNetworks prefix too long', { allowedNetworks: ['10.0.0.0/8', '10.0.0.0/33'] },
      'FalcoPresets.unexpectedNetworkConnection: allowedNetworks[1] is not a network in CIDR notation (got "10.0.0.0/33"): write an address and a prefix length, e.g. "10.0.0.0/8" or "fd00::/8"'],
    ['allowedNetworks bad address', { allowedNetworks: ['10.0.0.256/8'] },
      'FalcoPresets.unexpectedNetworkConnection: allowedNetworks[0] is not a network in CIDR notation (got "10.0.0.256/8"): write an address and a prefix length, e.g. "10.0.0.0/8" or "fd00::/8"'],
    ['allowedProcesses with a blank', { allowedProcesses: ['my app'] },
      'FalcoPresets.unexpectedNetworkConnection: allowedProcesses[0] is not a word Falco can carry in a list (got "my app"): use a non-empty string without blanks, commas, parentheses, quotes or "="'],
    ['allowedProcesses empty', { allowedProcesses: [''] },
      'FalcoPresets.unexpectedNetworkConnection: allowedProcesses[0] is not a word Falco can carry in a list (got ""): use a non-empty string without blanks, commas, parentheses, quotes or "="'],
    ['allowedProcesses not a list', { allowedProcesses: 'curl' as never },
      'FalcoPresets.unexpectedNetworkConnection: allowedProcesses must be a list of strings (got "curl"): pass e.g. allowedProcesses: ["value"]'],
  ])('rejects invalid %s', (_name, props, message) => {
    expect(() => FalcoPresets.unexpectedNetworkConnection(props)).toThrow(message);
  });
});

describe('Sensitive File Access', () => {
  test('always watches /etc/shadow and /etc/passwd, once', () => {
    const rules = FalcoPresets.sensitiveFileAccess({ files: ['/etc/shadow', '/root/.ssh/id_rsa'] });
    expect(list(rules, 'sensitive_file_access_files')).toEqual(['/etc/shadow', '/etc/passwd', '/root/.ssh/id_rsa']);
    expect(entries(rules).find((e) => e.rule)?.priority).toBe('CRITICAL');
  });

  test.each([
    [{ files: ['etc/shadow'] }, 'FalcoPresets.sensitiveFileAccess: files[0] is not an absolute path (got "etc/shadow"): write the full path Falco reports in fd.name, e.g. "/etc/sudoers"'],
    [{ files: ['/etc/a,b'] }, 'FalcoPresets.sensitiveFileAccess: files[0] is not a word Falco can carry in a list (got "/etc/a,b"): use a non-empty string without blanks, commas, parentheses, quotes or "="'],
    [{ allowedProcesses: ['ok', 'sh(1)'] }, 'FalcoPresets.sensitiveFileAccess: allowedProcesses[1] is not a word Falco can carry in a list (got "sh(1)"): use a non-empty string without blanks, commas, parentheses, quotes or "="'],
  ])('rejects %j', (props, message) => {
    expect(() => FalcoPresets.sensitiveFileAccess(props)).toThrow(message);
  });
});

describe('Privilege Escalation', () => {
  test('excludes allowed parents and images, not the sudo/su names it matches', () => {
    const rules = presets[2][1]();
    const rule = entries(rules).find((e) => e.rule === 'Privilege Escalation')!;
    expect(rule.condition).toBe('privilege_escalation_spawned_in_container and proc.name in (privilege_escalation_binaries) '
      + 'and not proc.pname in (privilege_escalation_allowed_parent_processes) '
      + 'and not container.image.repository in (privilege_escalation_allowed_images)');
    expect(list(rules, 'privilege_escalation_binaries')).toEqual(['sudo', 'su']);
    expect(list(rules, 'privilege_escalation_allowed_parent_processes')).toEqual(['entrypoint.sh']);
    expect(list(rules, 'privilege_escalation_allowed_images')).toEqual(['docker.io/library/debian']);
  });

  test('without the plugin declaration its container fields are rejected', () => {
    const yaml = FalcoPresets.privilegeEscalation().toYaml().replace(/^- required_plugin_versions:\n(  .*\n)+/m, '');
    expect(FalcoRules.fromYaml(yaml).validate().filter((d) => d.severity === 'error').length).toBeGreaterThan(0);
  });

  test('rejects an image with a blank', () => {
    expect(() => FalcoPresets.privilegeEscalation({ allowedImages: ['my image'] })).toThrow(
      'FalcoPresets.privilegeEscalation: allowedImages[0] is not a word Falco can carry in a list (got "my image"): use a non-empty string without blanks, commas, parentheses, quotes or "="');
  });
});
