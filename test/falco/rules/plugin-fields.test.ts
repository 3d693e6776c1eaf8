import { Testing } from 'cdk8s';
import { FalcoDeployment, FalcoPlugin, FalcoPriority, FalcoRules, FalcoWorkload } from '../../../src';
import { satisfiesRequirement } from '../../../src/falco/rules/plugin-catalogue';
import { PLUGIN_FIELD_TABLES } from '../../../src/falco/rules/plugin-fields.generated';
import { synth } from '../../util';
import { fieldTable } from '../plugin-field-tables';

const messages = (rules: FalcoRules, context = {}) => rules.validate(context).map((d) => `${d.severity}: ${d.message}`);

/** A rules file that needs `plugin` at `version`, then the given YAML items. */
const requiring = (plugin: string, version: string, body: string) => FalcoRules.fromYaml(`
- required_plugin_versions:
  - name: ${plugin}
    version: ${version}
${body}`);

const OKTA_MACRO_AND_RULE = `
- macro: user_known_countries
  condition: (okta.client.geo.country in (France, Italy))
- rule: Login from an unexpected country
  desc: d
  condition: okta.evt.type = "user.session.start" and not user_known_countries
  output: login from %okta.client.geo.country
  priority: NOTICE
  source: okta
`;

describe('a macro is checked against the sources of the rules that use it', () => {
  test('a macro used only by okta rules may use okta fields', () => {
    expect(messages(requiring('okta', '0.11.0', OKTA_MACRO_AND_RULE))).toEqual([]);
  });

  test('the same macro used by a syscall rule is an error, reported on the macro', () => {
    const rules = FalcoRules.fromYaml(`${OKTA_MACRO_AND_RULE}
- rule: Shell
  desc: d
  condition: evt.type = execve and user_known_countries
  output: o
  priority: NOTICE
`);
    expect(messages(rules)).toEqual([
      'error: FalcoMacro "user_known_countries": condition uses unknown field "okta.client.geo.country" at offset 1 (got "okta.client.geo.country"): '
      + "it is a field of the okta plugin: use it in rules of that plugin's source, with the plugin loaded",
    ]);
  });

  test('a macro no rule uses is checked against every source in play', () => {
    expect(messages(requiring('okta', '0.11.0', '- macro: m\n  condition: okta.app = x'))).toEqual([]);
    expect(messages(FalcoRules.fromYaml('- macro: m\n  condition: proc.nmae = x'))[0]).toMatch(/unknown field "proc.nmae" at offset 0 \(did you mean "proc.name"\?\)/);
  });
});

describe('plugin fields come from the field table of the plugin version', () => {
  const PRIVILEGED_INIT = `
- rule: Privileged init container
  desc: d
  condition: ka.verb = create and ka.req.pod.initContainers.privileged intersects (true)
  output: o %ka.req.pod.initContainers.image
  priority: WARNING
  source: k8s_audit
`;

  test('k8saudit 0.18 has the init container fields', () => {
    expect(messages(requiring('k8saudit', '0.18.0', PRIVILEGED_INIT))).toEqual([]);
  });

  test('k8saudit 0.16 does not: the fix names the release that has them', () => {
    const found = messages(requiring('k8saudit', '0.16.0', PRIVILEGED_INIT));
    expect(found).toHaveLength(2);
    expect(found[0]).toBe('error: FalcoRule "Privileged init container": condition uses unknown field "ka.req.pod.initContainers.privileged" at offset 21 '
      + '(got "ka.req.pod.initContainers.privileged"): k8saudit 0.16.0 has no such field; '
      + 'its newer releases do (0.18.0 has it): install and require a newer k8saudit');
  });

  test('the installed version wins over the required one', () => {
    expect(messages(requiring('k8saudit', '0.16.0', PRIVILEGED_INIT), { installedPlugins: { k8saudit: '0.18' } })).toEqual([]);
  });

  test('an alternative of the requirement provides its fields (k8saudit-eks)', () => {
    const rules = FalcoRules.fromYaml(`
- required_plugin_versions:
  - name: k8saudit
    version: 0.18.0
    alternatives:
    - name: k8saudit-eks
      version: 0.12.0
${PRIVILEGED_INIT}`);
    expect(messages(rules, { installedPlugins: { 'k8saudit-eks': '0.12.0' } })).toEqual([]);
  });

  test('a field argument is written as the plugin table says: an Index takes a number', () => {
    const rules = requiring('k8saudit', '0.18.0', `
- rule: R
  desc: d
  condition: ka.verb = create and ka.req.pod.containers.image[first] = x and ka.uri.param[pretty] = true
  output: o
  priority: WARNING
  source: k8s_audit
`);
    expect(messages(rules)).toEqual([
      'error: FalcoRule "R": condition passes "first" to field "ka.req.pod.containers.image" at offset 21, which takes a number in brackets (got "ka.req.pod.containers.image[first]"): write e.g. ka.req.pod.containers.image[1]',
    ]);
  });
});

describe('what the library has no table for is a note, not an error', () => {
  test('the rules of a source no table covers', () => {
    const rules = FalcoRules.fromYaml('- rule: R\n  desc: d\n  condition: dummy.value > 10\n  output: o %dummy.strvalue\n  priority: INFO\n  source: dummy\n');
    expect(messages(rules)).toEqual([
      'note: FalcoRule "R": source "dummy" comes from a plugin the library has no field table for, so the fields of its rules are not checked (got "dummy"): check them with `falco --list` where the plugin is loaded',
    ]);
  });

  test('syscall fields and event names of a plugin without a table', () => {
    const rules = requiring('k8smeta', '0.1.0', `
- rule: R
  desc: d
  condition: evt.type = krsi_open and k8smeta.pod.uid != ""
  output: o
  priority: INFO
`);
    expect(messages(rules).map((m) => m.split(' (got')[0])).toEqual([
      'note: FalcoRule "R": condition uses field "k8smeta.pod.uid" at offset 25, which is in none of the field tables the library has, so it is not checked (it may come from plugin "k8smeta")',
      'note: FalcoRule "R": condition compares evt.type at offset 0 with "krsi_open", which is not in Falco\'s event table; it may be an event of plugin "k8smeta", which the library has no table for, so it is not checked',
    ]);
  });

  test('a typo in a field class is still an error', () => {
    expect(messages(FalcoRules.fromYaml('- rule: R\n  desc: d\n  condition: evt.type = open and prc.name = x\n  output: o\n  priority: INFO\n'))[0])
      .toMatch(/^error: .*unknown field "prc.name"/);
  });
});

describe('the plugins a FalcoDeployment installs meet the rules files it loads', () => {
  const auditRules = (version: string) => requiring('k8saudit', version, `
- rule: Exec
  desc: d
  condition: ka.verb = create and ka.target.subresource = exec
  output: o
  priority: WARNING
  source: k8s_audit
`);
  const deploy = (plugin: FalcoPlugin, rules: FalcoRules) => {
    const falco = new FalcoDeployment(Testing.chart(), 'falco', { workload: FalcoWorkload.deployment(), plugins: [plugin] });
    falco.addRules('audit', rules);
    return falco;
  };

  test('the version comes from the falcoctl artifact tag', () => {
    expect(FalcoPlugin.k8sAudit({ version: '0.18' }).version).toBe('0.18');
    expect(FalcoPlugin.custom({ name: 'okta', source: 'okta', artifact: 'okta:latest' }).version).toBeUndefined();
  });

  test('an older installed plugin than required is the error Falco gives at start-up', () => {
    expect(() => synth(deploy(FalcoPlugin.k8sAudit({ version: '0.16' }), auditRules('0.18.0')))).toThrow(
      'rules file "audit": Falco required_plugin_versions: requires plugin "k8saudit" 0.18.0, but this Falco installs 0.16: Falco would refuse to start '
      + '("Plugin \'k8saudit\' version \'0.16\' is not compatible with required plugin version \'0.18.0\'")');
  });

  test('a newer minor release satisfies the requirement; another major does not', () => {
    expect(() => synth(deploy(FalcoPlugin.k8sAudit({ version: '0.18' }), auditRules('0.16.0')))).not.toThrow();
    expect(satisfiesRequirement('0.16', '0.16.1')).toBe(true);
    expect(satisfiesRequirement('1.0.0', '0.16.0')).toBe(false);
  });

  test('fields are those of the installed release: k8saudit 0.16 has no init container fields', () => {
    const rules = new FalcoRules().addRule({
      name: 'Privileged init container',
      description: 'd',
      source: 'k8s_audit',
      priority: FalcoPriority.WARNING,
      output: 'o %ka.target.name',
      condition: 'ka.verb = create and ka.req.pod.initContainers.privileged intersects (true)',
    });
    expect(() => synth(deploy(FalcoPlugin.k8sAudit({ version: '0.16' }), rules))).toThrow(
      /unknown field "ka.req.pod.initContainers.privileged" at offset 21 \(got "ka.req.pod.initContainers.privileged"\): k8saudit 0.16 has no such field; its newer releases do \(0.18.0 has it\)/);
    expect(() => synth(deploy(FalcoPlugin.k8sAudit({ version: '0.18' }), rules))).not.toThrow();
  });

  test('a required plugin the deployment does not load', () => {
    expect(() => synth(deploy(FalcoPlugin.k8sAudit(), requiring('okta', '0.11.0', OKTA_MACRO_AND_RULE)))).toThrow(
      /requires plugin "okta", which this Falco does not load, so Falco would refuse to start/);
  });
});

describe('the generated field tables', () => {
  test('hold every plugin the library checks, with its registry source', () => {
    expect(Object.entries(PLUGIN_FIELD_TABLES).map(([name, data]) => `${name}: ${data.source || data.extracts.join(',') || '*'}`)).toEqual([
      'k8saudit: k8s_audit', 'k8saudit-eks: k8s_audit', 'k8saudit-aks: k8s_audit', 'k8saudit-gke: k8s_audit', 'cloudtrail: aws_cloudtrail',
      'okta: okta', 'gcpaudit: gcp_auditlog', 'github: github', 'json: *', 'container: syscall',
    ]);
    for (const data of Object.values(PLUGIN_FIELD_TABLES)) expect(data.tables.length).toBeGreaterThan(0);
  });
});

describe('the field-table generator reads a plugin README as the plugins repository writes it', () => {
  test('names, types (lists as []), and argument forms (upper case when required)', () => {
    const readme = [
      '# plugin', '<!-- README-PLUGIN-FIELDS -->',
      '| NAME | TYPE | ARG | DESCRIPTION |', '|---|---|---|---|',
      '| `ka.verb` | `string` | None | The action |',
      '| `ka.req.pod.containers.image` | `string (list)` | Index | Images |',
      '| `ka.uri.param` | `string` | Key, Required | A query parameter |',
      '| `json.value` | `string` | Key, Required | A value |',
      '| `ka.count` | `uint64` | Index, Required | Something indexed |',
      '<!-- /README-PLUGIN-FIELDS -->', '| `not.a.field` | `string` | None | after the table |',
    ].join('\n');
    expect(fieldTable(readme)).toEqual([
      'ka.verb:string:', 'ka.req.pod.containers.image:string[]:i', 'ka.uri.param:string:K', 'json.value:string:K', 'ka.count:uint64:I',
    ]);
    expect(fieldTable('# a README without a table')).toEqual([]);
  });
});
