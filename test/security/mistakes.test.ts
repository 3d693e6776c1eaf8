/**
 * Realistic mistakes and the exact error each produces. A mistake that
 * produced no error, or an unclear one, was fixed in the component; the
 * message is part of the contract, so a change here is a deliberate one.
 */
import { Chart, Duration, Testing } from 'cdk8s';
import {
  AlertMatcher, AlertReceiver, AlertSeverity, AuditPolicy, FalcoAuditWebhook, FalcoDefaultRules, FalcoDeployment, FalcoDriver, FalcoPlugin,
  FalcoPriority, FalcosidekickOutput, FalcoWorkload, FilebeatPipeline, FalcoRules, PagerDutyAlerting, PrometheusSelector, SecurityMonitoringStack,
  SecurityMonitoringStackProps, SiemDestination, SiemPipeline, SiemSource,
} from '../../src';
import { synth } from '../util';

const SPLUNK_TOKEN = { secretName: 'splunk-hec', key: 'token' };
const PAGERDUTY = { pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } } };
const splunk = (options: Record<string, unknown> = {}) => SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: SPLUNK_TOKEN, ...options } as any);
const webhookOutput = () => FalcosidekickOutput.webhook({ url: 'http://hooks.internal/falco' });

/** Builds and synthesizes a stack (mistakes may be JavaScript-typed, hence `any`). */
function stack(props: Record<string, any>): void {
  synth(new SecurityMonitoringStack(Testing.chart(), 'stack', props as SecurityMonitoringStackProps));
}

/** Adds one thing to a default stack, then synthesizes it (Falco rules fail at synth, alerts at once). */
function withStack(configure: (s: SecurityMonitoringStack) => void): void {
  const s = new SecurityMonitoringStack(Testing.chart(), 'stack');
  configure(s);
  synth(s);
}
/** Like withStack, with the stack's Falco plugin-only (the k8saudit webhook receiver). */
function withPluginOnlyStack(configure: (s: SecurityMonitoringStack) => void): void {
  const s = new SecurityMonitoringStack(Testing.chart(), 'stack', { falco: { workload: FalcoWorkload.deployment(), plugins: [FalcoPlugin.k8sAudit()] } });
  configure(s);
  synth(s);
}
const falcoRule = (condition: string, output = 'Shell (proc=%proc.name)') => withStack((s) => s.falco!.addRule({
  name: 'Shell in container', description: 'A shell ran', condition, output, priority: FalcoPriority.WARNING,
}));
const alert = (props: Record<string, unknown>) => withStack((s) => s.alerts!.addAlert({
  alert: 'TooManyDenials', expr: 'sum(rate(apiserver_request_total{code="403"}[5m])) > 1', severity: AlertSeverity.WARNING, summary: 's', description: 'd', ...props,
} as any));
const FALCO_SYNTH = 'Validation failed with the following errors:\n  [test/stack/falco] test/stack/falco: rules file "custom-rules": FalcoRule "Shell in container": ';

function alerting(configure: (a: PagerDutyAlerting) => void, props: Record<string, any> = {}): void {
  const s = new SecurityMonitoringStack(Testing.chart(), 'stack', { alerting: { ...PAGERDUTY, ...props } as any });
  configure(s.alerting!);
  synth(s);
}

const MISTAKES: Array<[string, () => unknown, string]> = [
  // Falco rules (checked at synth, against the upstream ruleset's macro and list names)
  ['misspelled Falco macro', () => falcoRule('spawn_process and container and proc.name = bash'),
    `${FALCO_SYNTH}condition references macro "spawn_process" at offset 0, which is not defined (did you mean "spawned_process"?) (got "spawn_process"): define the macro before this item (or in a rules file loaded earlier), or fix the name`],
  ['misspelled Falco field', () => falcoRule('spawned_process and proc.nmae = bash'),
    `${FALCO_SYNTH}condition uses unknown field "proc.nmae" at offset 20 (did you mean "proc.name"?) (got "proc.nmae"): use a field of this source (see \`falco --list\`)`],
  ['misspelled field in a Falco output', () => falcoRule('spawned_process and proc.name = bash', 'Shell (proc=%proc.nam)'),
    `${FALCO_SYNTH}output uses unknown field "proc.nam" at offset 13 (did you mean "proc.name"?) (got "proc.nam"): use a field of this source (see \`falco --list\`)`],
  // Prometheus rules
  ['for: \'5m\' (a string, from JavaScript or a config file)', () => alert({ for: '5m' }),
    'test/stack/alerts: alert "TooManyDenials": for is not a Duration (got "5m"): pass a cdk8s Duration: Duration.minutes(5)'],
  ['for: 5x on an alert', () => alert({ for: '5x' }),
    'test/stack/alerts: alert "TooManyDenials": for is not a Duration (got "5x"): pass a cdk8s Duration, e.g. Duration.minutes(5)'],
  ['severity outside critical/warning/info', () => alert({ severity: 'high' }),
    'test/stack/alerts: alert "TooManyDenials": severity is not one of critical, warning, info (got "high"): use AlertSeverity.CRITICAL, WARNING or INFO'],
  ['rate() of an instant vector (the seed\'s apiserver_failed_auth_count)', () => alert({ expr: 'rate(apiserver_failed_auth_count)' }),
    'test/stack/alerts: alert "TooManyDenials": expr: argument 1 of function "rate" must be a range vector, not an instant vector at column 6 (got "rate(apiserver_failed_auth_count)"): add a range such as [5m] to the selector\n    rate(apiserver_failed_auth_count)\n         ^'],
  ['duplicate alert (same name and labels)', () => withStack((s) => s.alerts!.addGroup({ name: 'custom' })
    .addAlert({ alert: 'Dup', expr: 'up == 0', severity: AlertSeverity.WARNING, summary: 's', description: 'd' })
    .addAlert({ alert: 'Dup', expr: 'up == 0', severity: AlertSeverity.WARNING, summary: 's', description: 'd' })),
  'test/stack/alerts: alert "Dup": is already defined in group "custom" with the same labels (got "Dup"): rename it, or give the variants different labels (e.g. another severity)'],
  // Stack
  ['namespace with capitals', () => stack({ namespace: 'Security' }),
    'test/stack: namespace is not a valid DNS-1123 label (got "Security"): use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit (did you mean "security"?)'],
  ['namespace with an underscore', () => stack({ namespace: 'sec_mon' }),
    'test/stack: namespace is not a valid DNS-1123 label (got "sec_mon"): use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit (did you mean "sec-mon"?)'],
  ['name longer than a DNS label', () => stack({ name: 'a'.repeat(64) }),
    'test/stack: name is 64 characters long, more than the 63 a DNS-1123 label allows (got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"): use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit (did you mean "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"?)'],
  ['the stack in the default namespace', () => stack({ namespace: 'default' }),
    'test/stack: namespace "default" is shared with the cluster\'s own workloads, and the stack would label it with Pod Security level "restricted" (got "default"): '
      + 'give the stack\'s components namespaces of their own (e.g. "security-monitoring", "falco"), or set createNamespaces: false to run in "default" without creating or relabelling it'],
  ['Falco in kube-system', () => stack({ falcoNamespace: 'kube-system' }),
    'test/stack: namespace "kube-system" is shared with the cluster\'s own workloads, and the stack would label it with Pod Security level "privileged" (got "kube-system"): '
      + 'give the stack\'s components namespaces of their own (e.g. "security-monitoring", "falco"), or set createNamespaces: false to run in "kube-system" without creating or relabelling it'],
  ['two stacks with one name in one app', () => {
    const app = Testing.app();
    new SecurityMonitoringStack(new Chart(app, 'blue'), 'stack', { namespace: 'sec-blue', falcoNamespace: 'falco-blue', siem: { namespace: 'logs-blue', destinations: [splunk()] } });
    synth(new SecurityMonitoringStack(new Chart(app, 'green'), 'stack', { namespace: 'sec-green', falcoNamespace: 'falco-green', siem: { namespace: 'logs-green', destinations: [splunk()] } }));
  }, 'Validation failed with the following errors:\n  [green/stack] green/stack: ClusterRole "security-monitoring-fluent-bit" is also created by the stack at blue/stack, so each apply would take it from the other '
    + '(got "security-monitoring-fluent-bit"): give each SecurityMonitoringStack in a cluster its own name\n'
    + '  [green/stack] green/stack: ClusterRoleBinding "security-monitoring-fluent-bit" is also created by the stack at blue/stack, so each apply would take it from the other '
    + '(got "security-monitoring-fluent-bit"): give each SecurityMonitoringStack in a cluster its own name'],
  ['Falco in the restricted namespace', () => stack({ namespace: 'falco' }),
    'test/stack: falcoNamespace must differ from namespace (got "falco"): Falco needs a privileged namespace and the stack\'s namespace is restricted: pick another falcoNamespace than "falco"'],
  ['Pod Security version without the v', () => stack({ podSecurityVersion: '1.30' }),
    'test/stack: podSecurityVersion is not a Kubernetes minor version (got "1.30"): use "latest" or a version such as "v1.30"'],
  ['label value with a space', () => stack({ labels: { team: 'red team' } }),
    'test/stack: labels["team"] is not a valid label value (got "red team"): use at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit (or an empty value)'],
  ['label key with a space', () => stack({ labels: { 'Team Name': 'red' } }),
    'test/stack: labels key is not a valid label key (got "Team Name"): use [prefix/]name where prefix is a DNS subdomain and name is 1-63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit'],
  ['log shipping in the restricted namespace', () => stack({ siem: { namespace: 'security-monitoring', destinations: [splunk()] } }),
    'test/stack: namespace "security-monitoring" is already declared with Pod Security level "restricted" (got "privileged"): run components that need different Pod Security levels in different namespaces'],
  // Falco
  ['driver as a string (JSON config)', () => stack({ falco: { driver: 'ebpf' } }),
    'test/stack/falco: driver is not a FalcoDriver (got "ebpf"): use FalcoDriver.modernEbpf(), FalcoDriver.kmod(), FalcoDriver.auto() or FalcoDriver.none()'],
  ['Falco image on latest', () => stack({ falco: { image: 'falcosecurity/falco:latest' } }),
    'test/stack/falco: image is not pinned to a version (got "falcosecurity/falco:latest"): use a pinned reference such as "docker.io/falcosecurity/falco:0.44.1" or one with an @sha256: digest'],
  ['Falco with the falcosidekick image', () => stack({ falco: { image: 'docker.io/falcosecurity/falcosidekick:2.32.0' } }),
    'test/stack/falco: image is an image of falcosidekick, not of falco, so its container could not run falco\'s command (got "docker.io/falcosecurity/falcosidekick:2.32.0"): '
      + 'use a falco image, e.g. "docker.io/falcosecurity/falco:0.44.1" (a mirror may change the registry and path, but keeps "falco" in the image name)'],
  ['Falco image without a tag', () => stack({ falco: { image: 'falcosecurity/falco' } }),
    'test/stack/falco: image is not pinned to a version (got "falcosecurity/falco"): use a pinned reference such as "docker.io/falcosecurity/falco:0.44.1" or one with an @sha256: digest'],
  ['memory limit in GB', () => stack({ falco: { resources: { memoryLimit: '1GB' } } }),
    'test/stack/falco: resources.memoryLimit is not a Kubernetes quantity (got "1GB"): use a quantity such as "500m", "1", "512Mi" or "2Gi"'],
  ['memory limit in millibytes', () => stack({ falco: { resources: { memoryLimit: '512m' } } }),
    'test/stack/falco: resources.memoryLimit is a fraction of a byte ("m" is milli: did you mean "512Mi"?) (got "512m"): write memory in bytes with a suffix such as "Mi" or "Gi", e.g. "512Mi"'],
  ['memory request above the limit', () => stack({ falco: { resources: { memoryRequest: '2Gi' } } }),
    'test/stack/falco: resources.memoryRequest is more than resources.memoryLimit ("1024Mi"), which the API server refuses (got "2Gi"): raise memoryLimit to at least "2Gi", or lower memoryRequest'],
  ['kube-bench on Sundays as day 7', () => stack({ compliance: { enabled: true, kubeBench: { schedule: '0 3 * * 7' } } }),
    'test/stack/kube-bench: schedule has an invalid day of week "7" (Sunday is 0: Kubernetes refuses 7) (got "0 3 * * 7"): use values from 0 to 6; '
      + 'use five fields "minute hour day-of-month month day-of-week", e.g. "0 3 * * *", or a macro such as "@daily"'],
  ['kube-bench on February 30th', () => stack({ compliance: { enabled: true, kubeBench: { schedule: '0 3 30 2 *' } } }),
    'test/stack/kube-bench: schedule never runs: no selected month has the selected days of the month (got "0 3 30 2 *"): pick days that the months have '
      + '(February has at most 29, April, June, September and November 30); use five fields "minute hour day-of-month month day-of-week", e.g. "0 3 * * *", or a macro such as "@daily"'],
  ['a misspelt rule to disable', () => stack({ falco: { disabledRules: ['Terminal shel in container'] } }),
    'Validation failed with the following errors:\n  [test/stack/falco] test/stack/falco: disabledRules names no rule of the rules files this Falco loads '
      + '(did you mean "Terminal shell in container"?), so Falco would apply it to nothing (got "Terminal shel in container"): use a rule of the stable ruleset (wildcards * allowed), or remove it'],
  ['a tag no loaded rule carries', () => stack({ falco: { disabledTags: ['maturity_sandbox'] } }),
    'Validation failed with the following errors:\n  [test/stack/falco] test/stack/falco: disabledTags names no tag of the rules files this Falco loads: it is in the sandbox ruleset, '
      + 'which this Falco does not load (got "maturity_sandbox"): load that ruleset (FalcoDefaultRules.falcoctl({ rulesets: [...] })), or remove "maturity_sandbox" from disabledTags'],
  ['a macro that uses itself', () => withStack((s) => s.falco!.addRules('custom', new FalcoRules().addMacro({ name: 'my_shells', condition: 'proc.name = bash or my_shells' }))),
    'Validation failed with the following errors:\n  [test/stack/falco] test/stack/falco: rules file "custom": FalcoMacro "my_shells": condition references macro "my_shells" at offset 20, '
      + 'which is the macro itself (a reference loop) (got "my_shells"): a macro cannot use itself: to extend it, override it with append and write only the added condition'],
  ['a rule without a name', () => withStack((s) => s.falco!.addRule({ name: '', description: 'd', condition: 'spawned_process', output: 'o', priority: FalcoPriority.WARNING })),
    'Validation failed with the following errors:\n  [test/stack/falco] test/stack/falco: rules file "custom-rules": FalcoRule "": rule name is empty (got ""): give the rule a name'],
  ['a Falco list larger than a ConfigMap', () => withStack((s) => s.falco!.addRules('big', new FalcoRules().addList({
    name: 'huge_binaries', items: Array.from({ length: 90_000 }, (_, i) => `binary-${i}`),
  }))), 'Validation failed with the following errors:\n  [test/stack/falco] test/stack/falco: rules file "big" has an entry larger than the 1048576 bytes a ConfigMap holds, '
    + 'so no split can deliver it (got "- list: huge_binaries"): shorten the entry (1698921 bytes): split a long list into several lists and name them in one list, or a long condition into macros'],
  ['a rule both enabled and disabled', () => stack({ falco: { enabledRules: ['Terminal shell in container'], disabledRules: ['Terminal shell in container'] } }),
    'test/stack/falco: a rule is both in enabledRules and disabledRules (got "Terminal shell in container"): keep it in one of them'],
  ['an empty rule name to disable', () => stack({ falco: { disabledRules: [''] } }),
    'test/stack/falco: disabledRules contains an invalid name (got ""): use the rule name or tag exactly as in the rules file, on one line'],
  ['disabling upstream rules without loading them', () => stack({ falco: { defaultRules: FalcoDefaultRules.none(), disabledTags: ['T1059'] } }),
    'test/stack/falco: disabledRules, disabledTags and enabledRules select upstream rules but defaultRules is none (got ["T1059"]): load the upstream ruleset, or drop the selections'],
  ['ServiceMonitor without metrics', () => stack({ falco: { metrics: false, prometheusSelector: PrometheusSelector.kubePrometheusStack('kube-prometheus-stack') } }),
    'test/stack/falco: prometheusSelector needs metrics (got false): set metrics to true, or drop prometheusSelector'],
  ['PriorityClass with capitals', () => stack({ falco: { priorityClassName: 'System-Node-Critical' } }),
    'test/stack/falco: priorityClassName is not a valid DNS-1123 subdomain (got "System-Node-Critical"): use at most 253 characters: dot-separated labels of lowercase letters, digits or \'-\', each starting and ending with a letter or digit'],
  ['the same rules file added twice', () => new FalcoDeployment(Testing.chart(), 'falco').addRules('custom', new FalcoRules()).addRules('custom', new FalcoRules()),
    'test/falco: rules file "custom" is already added (got "custom"): add its rules to the existing FalcoRules object, or pick another name'],
  // Plugin-only Falco (FalcoDriver.none(), FalcoWorkload.deployment())
  ['a syscall driver in a Falco Deployment', () => stack({ falco: { workload: FalcoWorkload.deployment(), driver: FalcoDriver.kmod() } }),
    'test/stack/falco: a syscall driver needs Falco on every node, but workload is a Deployment (got "kmod"): use FalcoWorkload.daemonSet() for syscall monitoring, or FalcoDriver.none() for plugin-only sources'],
  ['a Falco Deployment without a source plugin', () => stack({ falco: { workload: FalcoWorkload.deployment() } }),
    'test/stack/falco: driver is none and no plugin provides an event source (got []): add a source plugin such as FalcoPlugin.k8sAudit(), or use a syscall driver'],
  ['the upstream syscall ruleset in plugin-only Falco', () => stack({ falco: { driver: FalcoDriver.none(), plugins: [FalcoPlugin.k8sAudit()], defaultRules: FalcoDefaultRules.falcoctl() } }),
    'test/stack/falco: defaultRules loads the upstream syscall ruleset, but driver is none (got "none"): use FalcoDefaultRules.none() with plugin-only sources, or a syscall driver'],
  ['the k8saudit webhook Service outside Falco\'s namespace', () => stack({ falco: { plugins: [FalcoPlugin.k8sAudit({ webhook: new FalcoAuditWebhook({ namespace: 'audit' }) })] } }),
    'test/stack/falco: plugin "k8saudit" receives events on Service falco-k8saudit.audit, outside Falco\'s namespace "falco" (got "audit"): build its FalcoAuditWebhook with namespace "falco", or deploy Falco in "audit"'],
  ['two replicas of a cloud pull plugin', () => stack({ falco: { workload: FalcoWorkload.deployment({ replicas: 2 }), plugins: [FalcoPlugin.custom({ name: 'okta', source: 'okta' })] } }),
    'test/stack/falco: 2 replicas would each fetch and report every event of the pull plugins (got ["okta"]): use one replica (more only suit push plugins such as k8saudit, behind their Service)'],
  ['a cloud plugin without rules', () => stack({ falco: { workload: FalcoWorkload.deployment(), plugins: [FalcoPlugin.custom({ name: 'okta', source: 'okta' })] } }),
    'Validation failed with the following errors:\n  [test/stack/falco] test/stack/falco: plugin "okta" provides the "okta" source, but no rules file has rules of it (got "okta"): give the plugin a rulesArtifact, or add rules with source: okta (addRules or addRule)'],
  ['a syscall rule in plugin-only Falco', () => withPluginOnlyStack((s) => s.falco!.addRule({
    name: 'Shell in container', description: 'A shell ran', condition: 'evt.type = execve and proc.name = bash', output: 'Shell', priority: FalcoPriority.WARNING,
  })), `${FALCO_SYNTH}source "syscall" is not an event source of this Falco, so Falco would skip the rule (got "syscall"): a syscall rule needs a syscall driver: use a FalcoDriver other than none() (in a DaemonSet), or set the rule's source to one of: k8s_audit`],
  ['a k8s_audit rule without the k8saudit plugin', () => withStack((s) => s.falco!.addRule({
    name: 'Shell in container', description: 'exec', condition: 'ka.verb = create and ka.target.subresource = exec', output: 'exec by %ka.user.name', priority: FalcoPriority.WARNING, source: 'k8s_audit',
  })), `${FALCO_SYNTH}source "k8s_audit" is not an event source of this Falco, so Falco would skip the rule (got "k8s_audit"): load a plugin of that source (e.g. FalcoPlugin.k8sAudit() for k8s_audit), or set the rule's source to one of: syscall`],
  ['a replica count of zero', () => FalcoWorkload.deployment({ replicas: 0 }),
    'FalcoWorkload.deployment: replicas must be a positive integer (got 0): use 1 (the chart default) or more'],
  ['a cloud plugin\'s rules artifact without its file name', () => FalcoPlugin.custom({ name: 'cloudtrail', source: 'aws_cloudtrail', rulesArtifact: 'cloudtrail-rules:0.17' }),
    'FalcoPlugin "cloudtrail": rulesArtifact needs rulesFile, the YAML file name it installs (got undefined): set rulesFile to the file name in the artifact, e.g. "aws_cloudtrail_rules.yaml"'],
  // falcosidekick
  ['falcosidekick without outputs', () => stack({ falco: { falcosidekick: { outputs: [] } } }),
    'test/stack/falco/falcosidekick: falcosidekick has no outputs (got []): add at least one FalcosidekickOutput, or leave falcosidekick unset'],
  ['falcosidekick outputs as a map (JSON config)', () => stack({ falco: { falcosidekick: { outputs: { webhook: 'http://hooks' } } } }),
    'test/stack/falco/falcosidekick: falcosidekick.outputs must be a list of FalcosidekickOutput (got {"webhook":"http://hooks"}): build each output with a FalcosidekickOutput factory, e.g. FalcosidekickOutput.splunk({ ... })'],
  ['falcosidekick output as a plain object', () => stack({ falco: { falcosidekick: { outputs: [{ name: 'webhook', address: 'http://hooks' }] } } }),
    'test/stack/falco/falcosidekick: falcosidekick.outputs[0] is not a FalcosidekickOutput (got {"name":"webhook","address":"http://hooks"}): build each output with a FalcosidekickOutput factory, e.g. FalcosidekickOutput.splunk({ ... })'],
  ['the same falcosidekick output twice', () => stack({ falco: { falcosidekick: { outputs: [webhookOutput(), webhookOutput()] } } }),
    'test/stack/falco/falcosidekick: falcosidekick output configured twice (got "webhook"): falcosidekick supports one instance of each output: keep one'],
  ['falcosidekick with zero replicas', () => stack({ falco: { falcosidekick: { outputs: [webhookOutput()], replicas: 0 } } }),
    'test/stack/falco/falcosidekick: falcosidekick.replicas must be a positive integer (got 0): use 1 or more'],
  ['falcosidekick on latest', () => stack({ falco: { falcosidekick: { outputs: [webhookOutput()], image: 'falcosecurity/falcosidekick:latest' } } }),
    'test/stack/falco/falcosidekick: falcosidekick.image is not pinned to a version (got "falcosecurity/falcosidekick:latest"): use a pinned reference such as "docker.io/falcosecurity/falcosidekick:2.32.0" or one with an @sha256: digest'],
  ['Alertmanager address with its API path', () => FalcosidekickOutput.alertmanager({ url: 'http://alertmanager:9093/api/v1/alerts' }),
    'FalcosidekickOutput.alertmanager: url ends in the Alertmanager API path, but falcosidekick appends its own path to it (got "http://alertmanager:9093/api/v1/alerts"): '
      + 'give the base URL, "http(s)://host:port" (a proxy\'s path prefix stays): did you mean "http://alertmanager:9093"?'],
  ['an Elasticsearch index with capitals', () => FalcosidekickOutput.elasticsearch({ url: 'https://es:9200', index: 'Falco-Events' }),
    'FalcosidekickOutput.elasticsearch: index has capital letters, which Elasticsearch refuses in index names (got "Falco-Events"): '
      + 'use lowercase letters, digits, \'.\', \'_\' or \'-\', not starting with \'-\', \'_\' or \'+\' (did you mean "falco-events"?)'],
  ['Alertmanager address without a scheme', () => FalcosidekickOutput.alertmanager({ url: 'alertmanager:9093' }),
    'FalcosidekickOutput.alertmanager: url is not an http(s) URL (got "alertmanager:9093"): use a URL such as "http://host:port"'],
  ['falcosidekick namespace with capitals', () => stack({ falco: { falcosidekick: { outputs: [webhookOutput()] }, falcosidekickNamespace: 'Security' } }),
    'test/stack/falco: falcosidekickNamespace is not a valid DNS-1123 label (got "Security"): use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit (did you mean "security"?)'],
  // Audit
  ['audit level that does not exist', () => AuditPolicy.fromYaml('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Everything\n'),
    'AuditPolicy: rules[0].level is not an audit level (got "Everything"): use one of None, Metadata, Request, RequestResponse'],
  ['audit policy of the wrong kind', () => AuditPolicy.fromYaml('apiVersion: audit.k8s.io/v1\nkind: AuditPolicy\nrules: []\n'),
    'AuditPolicy.fromYaml: the document is not an audit.k8s.io/v1 Policy (got "audit.k8s.io/v1/AuditPolicy"): set apiVersion: audit.k8s.io/v1 and kind: Policy (audit.k8s.io/v1beta1 was removed in Kubernetes 1.24)'],
  ['audit log kept a week', () => stack({ auditPolicy: { logMaxAge: Duration.days(7) } }),
    'test/stack/audit-policy: logMaxAge is below the 30 days CIS 1.2.17 requires (got "7 days"): set logMaxAge to at least Duration.days(30)'],
  ['one audit log backup', () => stack({ auditPolicy: { logMaxBackup: 1 } }),
    'test/stack/audit-policy: logMaxBackup is below the 10 files CIS 1.2.18 requires (got 1): set logMaxBackup to an integer of at least 10'],
  ['relative policy file path', () => stack({ auditPolicy: { policyFilePath: 'policy.yaml' } }),
    'test/stack/audit-policy: policyFilePath is not an absolute file path (got "policy.yaml"): use a path such as "/etc/kubernetes/audit/policy.yaml"'],
  ['webhook batch of zero events', () => stack({ auditPolicy: { falcoWebhook: new FalcoAuditWebhook(), webhookBatchMaxSize: 0 } }),
    'test/stack/audit-policy: webhookBatchMaxSize must be a positive integer (got 0): use e.g. 400 (the API server default)'],
  ['webhook settings without the webhook', () => stack({ auditPolicy: { webhookBatchMaxSize: 100 } }),
    'test/stack/audit-policy: audit webhook settings are set but falcoWebhook is not (got ["webhookBatchMaxSize"]): set falcoWebhook, or drop the webhook settings'],
  ['audit policy as a YAML string (JSON config)', () => stack({ auditPolicy: { policy: 'rules: []' } }),
    'test/stack/audit-policy: policy is not an AuditPolicy (got "rules: []"): use an AuditPolicy factory, e.g. AuditPolicy.production() or AuditPolicy.fromYaml(text)'],
  ['a policy that logs Secret values', () => stack({ auditPolicy: { policy: AuditPolicy.seedLogEverythingExample() } }),
    'Validation failed with the following errors:\n  [test/stack/audit-policy] test/stack/audit-policy: the audit policy fails the secret-leak check (got "rules[0]"): rules[0] logs secrets, configmaps, serviceaccounts/token, tokenreviews at RequestResponse, which writes secret values into the audit log: add an earlier rule that logs them at Metadata (as the GCE policy does)'],
  // SIEM
  ['empty destination list', () => stack({ siem: { destinations: [] } }),
    'test/stack/siem: destinations is empty (got []): add at least one destination, e.g. SiemDestination.splunkHec({...}), or leave the SIEM pipeline out'],
  ['destination as a plain object (JSON config)', () => stack({ siem: { destinations: [{ type: 'splunk', host: 'splunk' }] } }),
    'test/stack/siem: destinations[0] is not a SiemDestination (got {"type":"splunk","host":"splunk"}): build each destination with a SiemDestination factory, e.g. SiemDestination.splunkHec({ ... })'],
  ['Splunk port as a string', () => stack({ siem: { destinations: [splunk({ port: '8088' })] } }),
    'test/stack/siem: splunkHec port is not a valid port (got "8088"): use an integer from 1 to 65535'],
  ['Splunk host with a scheme', () => stack({ siem: { destinations: [splunk({ host: 'https://splunk.example.com:8088' })] } }),
    'test/stack/siem: splunkHec host is not a host name or IPv4 address (got "https://splunk.example.com:8088"): give the host only, without scheme, port or path, e.g. "splunk.example.com" (the port has its own field)'],
  ['Splunk token Secret with capitals', () => stack({ siem: { destinations: [splunk({ tokenSecret: { secretName: 'Splunk_HEC', key: 'token' } })] } }),
    'test/stack/siem: splunkHec tokenSecret.secretName is not a valid DNS-1123 subdomain (got "Splunk_HEC"): use at most 253 characters: dot-separated labels of lowercase letters, digits or \'-\', each starting and ending with a letter or digit'],
  ['Kafka broker without a port', () => stack({ siem: { destinations: [SiemDestination.kafka({ brokers: ['kafka.example.com'] })] } }),
    'test/stack/siem: kafka broker is not "host:port" (got "kafka.example.com"): write each broker as "host:port", e.g. "kafka-0.example.com:9093"'],
  ['relative HTTP path', () => stack({ siem: { destinations: [SiemDestination.http({ host: 'collector', path: 'ingest' })] } }),
    'test/stack/siem: http path is not an absolute path (got "ingest"): start it with "/", e.g. "/ingest"'],
  ['an index for a log type not shipped', () => stack({ siem: { destinations: [splunk({ indexByLogType: { audit: 'k8s-audit' } })] } }),
    'test/stack/siem: splunkHec indexByLogType names a log type this destination does not ship (got "audit"): '
      + 'use one of "container", "security_audit", "falco", or add a source with that logType (and to logTypes, if set)'],
  ['routing a log type no source produces', () => stack({ siem: { destinations: [splunk({ logTypes: ['audit'] })] } }),
    'test/stack/siem: splunkHec logTypes names a log type no source produces (got "audit"): use one of "container", "security_audit", "falco", or add a source with that logType'],
  ['host files outside /var/log', () => stack({ siem: { destinations: [splunk()], sources: [SiemSource.hostFiles({ glob: '/etc/*.log', logType: 'etc' })] } }),
    'test/stack/siem: hostFiles glob is not a file or glob under /var/log (got "/etc/*.log"): use an absolute path below /var/log without commas, spaces or "..", e.g. "/var/log/audit/*.log": the pipeline mounts only /var/log from the host'],
  ['two sources with the same log type', () => stack({ siem: { destinations: [splunk()], sources: [SiemSource.auditLog(), SiemSource.auditLog()] } }),
    'test/stack/siem: two sources have the same logType (got "security_audit"): give each source its own logType option'],
  ['skipping verification without TLS', () => stack({ siem: { destinations: [splunk({ tls: false, insecureSkipTlsVerify: true })] } }),
    'test/stack/siem: splunkHec insecureSkipTlsVerify needs tls (got true): remove insecureSkipTlsVerify: without TLS there is no certificate to verify'],
  ['retry cap below the retry base', () => stack({ siem: { destinations: [splunk()], retryBackoffBase: Duration.minutes(1), retryBackoffCap: Duration.seconds(10) } }),
    'test/stack/siem: retryBackoffCap is shorter than retryBackoffBase (got "10s"): use a retryBackoffCap of at least Duration.seconds(60)'],
  ['flushing every 0 seconds', () => stack({ siem: { destinations: [splunk()], flushInterval: Duration.seconds(0) } }),
    'test/stack/siem: flushInterval must be a whole number of seconds, from 1 to 60 (got "0ms"): use e.g. Duration.seconds(1)'],
  ['flushing every 60 seconds given as a number', () => stack({ siem: { destinations: [splunk()], flushInterval: 60 as any } }),
    'test/stack/siem: flushInterval is not a Duration (got 60): pass a cdk8s Duration, which states its unit: e.g. Duration.seconds(60) or Duration.minutes(60)'],
  ['Fluent Bit on latest', () => stack({ siem: { destinations: [splunk()], image: 'fluent/fluent-bit:latest' } }),
    'test/stack/siem: image is not pinned to a version (got "fluent/fluent-bit:latest"): use a pinned reference such as "cr.fluentbit.io/fluent/fluent-bit:5.1.1" or one with an @sha256: digest'],
  ['Elasticsearch user without a password', () => stack({ siem: { destinations: [SiemDestination.elasticsearch({ host: 'es', username: 'elastic' })] } }),
    'test/stack/siem: elasticsearch username and passwordSecret go together (got "elastic"): set both username and passwordSecret, or neither'],
  ['a Fluent Bit setting on Filebeat', () => synth(new FilebeatPipeline(new SecurityMonitoringStack(Testing.chart(), 'stack'), 'filebeat', { elasticsearch: { host: 'es', retryLimit: 5 } })),
    'test/stack/filebeat: elasticsearch retryLimit is a Fluent Bit setting that Filebeat does not support (got 5): remove retryLimit, or ship with SiemPipeline'],
  ['sources as a single object (JSON config)', () => stack({ siem: { destinations: [splunk()], sources: SiemSource.auditLog() } }),
    'test/stack/siem: sources must be a list of SiemSource (got {"logType":"security_audit","allContainers":false}): build each source with a SiemSource factory, e.g. SiemSource.auditLog()'],
  // Alerting
  ['group wait as the string 30s', () => stack({ alerting: { ...PAGERDUTY, groupWait: '30s' } }),
    'test/stack/alerting: groupWait is not a Duration (got "30s"): pass a cdk8s Duration: Duration.seconds(30)'],
  ['repeat interval in words', () => stack({ alerting: { ...PAGERDUTY, repeatInterval: '4 hours' } }),
    'test/stack/alerting: repeatInterval is not a Duration (got "4 hours"): pass a cdk8s Duration, e.g. Duration.minutes(5)'],
  ['repeat interval of zero', () => stack({ alerting: { ...PAGERDUTY, repeatInterval: Duration.seconds(0) } }),
    'test/stack/alerting: repeatInterval is zero, which Alertmanager refuses (got "0s"): use at least Duration.seconds(1), e.g. Duration.minutes(5)'],
  ['route to an unknown receiver', () => alerting((a) => a.addRoute({ matchers: [AlertMatcher.equal('team', 'db')], receiver: 'pagerduty-db' })),
    'Validation failed with the following errors:\n  [test/stack/alerting] test/stack/alerting: route refers to an unknown receiver (got "pagerduty-db"): add it with addReceiver() first; known receivers: null, pagerduty'],
  ['two receivers with the same name', () => alerting((a) => a.routeTeam('db', AlertReceiver.webhook('pagerduty', { url: 'http://bridge.monitoring.svc:8080/alerts' }))),
    'test/stack/alerting: receiver "pagerduty" is already defined (got "pagerduty"): give each receiver a unique name, or pass the same AlertReceiver object again'],
  ['PagerDuty Secret name with capitals', () => stack({ alerting: { pagerDuty: { routingKeySecret: { secretName: 'PagerDuty', key: 'routing-key' } } } }),
    'AlertReceiver.pagerDuty("pagerduty"): routingKeySecret.secretName is not a valid DNS-1123 subdomain (got "PagerDuty"): use at most 253 characters: dot-separated labels of lowercase letters, digits or \'-\', each starting and ending with a letter or digit'],
  ['groupBy with a label twice', () => stack({ alerting: { ...PAGERDUTY, groupBy: ['alertname', 'namespace', 'alertname'] } }),
    'test/stack/alerting: groupBy repeats the label "alertname", which Alertmanager refuses (got ["alertname","namespace","alertname"]): list each label once'],
  ['groupBy with ... beside labels', () => stack({ alerting: { ...PAGERDUTY, groupBy: ['...', 'alertname'] } }),
    'test/stack/alerting: groupBy lists other labels beside "..." (every label), which Alertmanager refuses (got ["...","alertname"]): '
      + 'use ["..."] alone to group by every label, or list the labels to group by'],
  ['a PagerDuty severity of "high"', () => stack({ alerting: { pagerDuty: { ...PAGERDUTY.pagerDuty, severity: 'high' } } }),
    'AlertReceiver.pagerDuty("pagerduty"): severity is not a PagerDuty Events v2 severity, so PagerDuty would refuse every event (got "high"): '
      + 'use one of critical, error, warning, info, or a template that yields one'],
  ['groupBy with a dash', () => stack({ alerting: { ...PAGERDUTY, groupBy: ['alert-name'] } }),
    'test/stack/alerting: groupBy is not a valid Prometheus label name (got "alert-name"): use letters, digits and \'_\', not starting with a digit, and not starting with \'__\' (reserved for Prometheus)'],
  ['webhook URL without a scheme', () => AlertReceiver.webhook('bridge', { url: 'bridge.monitoring.svc' }),
    'AlertReceiver.webhook("bridge"): url is not an http(s) URL (got "bridge.monitoring.svc"): use e.g. "http://alert-bridge.monitoring.svc:8080/alerts"'],
  ['a matcher without a value operator', () => AlertMatcher.parse('severity critical'),
    'AlertMatcher.parse("severity critical"): matcher is not of the form name<op>"value" (got "severity critical"): write e.g. severity="critical"; operators are =, !=, =~ and !~'],
  ['output as a string (JSON config)', () => stack({ alerting: { ...PAGERDUTY, output: 'secret' } }),
    'test/stack/alerting: output is not an AlertingOutput (got "secret"): use AlertingOutput.alertmanagerConfig() or AlertingOutput.configSecret()'],
  ['receiver as a plain object (JSON config)', () => stack({ alerting: { ...PAGERDUTY, warningReceiver: { name: 'slack' } } }),
    'test/stack/alerting: receiver is not an AlertReceiver (got {"name":"slack"}): build it with an AlertReceiver factory, e.g. AlertReceiver.slack(name, { ... })'],
  // Anomaly detection
  ['contamination 2', () => stack({ anomalyDetection: { contamination: 2 } }),
    'test/stack/anomaly-detector: contamination must be in (0, 0.5] (got 2): use the expected share of anomalies in the training data, e.g. 0.01 to 0.1'],
  ['contamination 0', () => stack({ anomalyDetection: { contamination: 0 } }),
    'test/stack/anomaly-detector: contamination must be in (0, 0.5] (got 0): use the expected share of anomalies in the training data, e.g. 0.01 to 0.1'],
  ['no trees', () => stack({ anomalyDetection: { trees: 0 } }),
    'test/stack/anomaly-detector: trees must be an integer from 1 to 1000 (got 0): set trees within 1-1000'],
  ['alert for: 5x', () => stack({ anomalyDetection: { alertFor: '5x' } }),
    'test/stack/anomaly-detector: alertFor is not a Duration (got "5x"): pass a cdk8s Duration, e.g. Duration.minutes(5)'],
  ['two features with the same name', () => stack({ anomalyDetection: { features: [{ name: 'errors', query: 'sum(up)' }, { name: 'errors', query: 'sum(up)' }] } }),
    'test/stack/anomaly-detector: features[1].name is used by another feature (got "errors"): give every feature its own name'],
  ['unbalanced PromQL', () => stack({ anomalyDetection: { features: [{ name: 'errors', query: 'sum(rate(apiserver_request_total[5m])' }] } }),
    'test/stack/anomaly-detector: features[0].query ("errors"): unexpected end of expression at column 38 (got "sum(rate(apiserver_request_total[5m])"): '
      + 'complete it: look for an unclosed "(", "{" or "[", or an operator without a right-hand side\n    sum(rate(apiserver_request_total[5m])\n                                         ^'],
  ['scoring every second', () => stack({ anomalyDetection: { scoringInterval: Duration.seconds(1) } }),
    'test/stack/anomaly-detector: scoringInterval is shorter than 10s (got "1s"): score at most every 10 seconds: each pass retrains every model'],
  ['Prometheus URL with the API path', () => stack({ anomalyDetection: { prometheusUrl: 'http://prometheus-operated.monitoring.svc:9090/api/v1' } }),
    'test/stack/anomaly-detector: prometheusUrl ends in the API path /api/v1, which the detector appends itself (got "http://prometheus-operated.monitoring.svc:9090/api/v1"): '
      + 'give the base URL (a route prefix stays): did you mean "http://prometheus-operated.monitoring.svc:9090"?'],
  ['Prometheus URL without a scheme', () => stack({ anomalyDetection: { prometheusUrl: 'prometheus:9090' } }),
    'test/stack/anomaly-detector: prometheusUrl is not an http(s) URL (got "prometheus:9090"): use an absolute URL such as "http://prometheus-operated.monitoring.svc:9090"'],
  ['training window shorter than the scoring', () => stack({ anomalyDetection: { trainingWindow: Duration.minutes(5) } }),
    'test/stack/anomaly-detector: trainingWindow covers fewer than 21 scoring intervals (got "5m"): use a trainingWindow of at least 21 × scoringInterval, or a shorter scoringInterval'],
  // None, null and undefined from Python, Java, C# and Go: a missing required argument, named
  ['Python None as a destination\'s options', () => SiemDestination.splunkHec(undefined as any),
    'SiemDestination.splunkHec: options is missing (got undefined): pass { host, tokenSecret: { secretName, key } }'],
  ['Java null as an audit policy\'s props', () => new AuditPolicy(null as any),
    'AuditPolicy: props is missing (got null): pass { rules: [{ level: AuditLevel.METADATA }] }, or use AuditPolicy.production()'],
  ['a pipeline without props', () => new (SiemPipeline as any)(Testing.chart(), 'siem'),
    'test/siem: props is missing (got undefined): pass { destinations: [SiemDestination.splunkHec({ ... })] }'],
  ['C# null as a rule', () => new FalcoRules().addRule(null as any),
    'FalcoRules.addRule: rule is missing (got null): pass { name, description, condition, output, priority }'],
  ['a panel left out', () => new SecurityMonitoringStack(Testing.chart(), 'stack').dashboard!.addPanel(undefined as any),
    'test/stack/dashboard: panel is missing (got undefined): pass { title, queries: [{ expr }] }'],
  ['a null scope', () => new SecurityMonitoringStack(null as any, 'stack'),
    'SecurityMonitoringStack: scope is missing (got null): pass the construct to add it to, e.g. a Chart'],
  ['a null receiver for a severity', () => alerting((a) => a.routeSeverity(AlertSeverity.WARNING, null as any)),
    'test/stack/alerting: receiver is missing (got null): pass an AlertReceiver, e.g. AlertReceiver.pagerDuty(name, { ... })'],
  // Credentials typed into fields that are rendered: refused, never quoted
  ['a dead man\'s switch URL with user:password', () => stack({ alerting: { ...PAGERDUTY, deadMansSwitch: AlertReceiver.webhook('deadman', { url: 'https://ping:hunter2@deadman.example.com/ping' }) } }),
    'AlertReceiver.webhook("deadman"): url contains user-info (user:password@), which would be written into the manifests (got "https://***@deadman.example.com/ping"): '
      + 'pass urlSecret: { secretName, key } of a Secret that holds the value instead'],
  ['a Slack webhook URL as a webhook receiver', () => AlertReceiver.webhook('slack', { url: 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXX' }),
    'AlertReceiver.webhook("slack"): url contains a Slack webhook path, which would be written into the manifests (got "https://hooks.slack.com/services/***"): '
      + 'pass urlSecret: { secretName, key } of a Secret that holds the value instead'],
  ['the HEC token pasted where its Secret belongs', () => stack({ siem: { destinations: [splunk({ tokenSecret: '9f2c4e1a-0b7d-4c3e-8a6f-5d1e2b3c4a5f' })] } }),
    'test/stack/siem: splunkHec tokenSecret is a string, not a reference to a Secret (got "a string of 36 characters, not shown"): '
      + 'pass { secretName, key } of the Secret that holds the value, e.g. { secretName: "pagerduty", key: "routing-key" }; the value itself never goes into the manifests'],
  ['a SIEM host with user:password', () => splunk({ host: 'https://admin:hunter2@splunk.example.com' }),
    'SiemDestination.splunkHec: host contains user-info (user:password@), which would be written into the manifests (got "https://***@splunk.example.com"): '
      + 'keep credentials in a Secret and pass { secretName, key } to an option that takes a SecretKeyReference'],
  ['a SIEM host with user:password and no scheme', () => SiemDestination.elasticsearch({ host: 'elastic:hunter2@es.example.com' }),
    'SiemDestination.elasticsearch: host contains user-info (user:password@), which would be written into the manifests (got "***@es.example.com"): '
      + 'keep credentials in a Secret and pass { secretName, key } to an option that takes a SecretKeyReference'],
  ['a falcosidekick webhook with a token in its query', () => FalcosidekickOutput.webhook({ url: 'https://hooks.example.com/falco?token=hunter2' }),
    'FalcosidekickOutput.webhook: url contains a credential query parameter, which would be written into the manifests (got "https://hooks.example.com/falco?token=***"): '
      + 'pass urlSecret: { secretName, key } of a Secret that holds the value instead'],
  ['a Slack token in a Falco rule\'s description', () => withStack((s) => s.falco!.addRule({
    name: 'Shell', description: 'page xoxb-1234567890-abcdefghij', condition: 'evt.type = execve', output: 'o', priority: FalcoPriority.WARNING,
  })), 'test/stack/falco: description contains a Slack token, which would be written into the manifests (got "***"): '
    + 'keep credentials in a Secret and pass { secretName, key } to an option that takes a SecretKeyReference'],
];

test.each(MISTAKES)('%s', (_name, build, expected) => {
  expect(build).toThrow(expected);
  // The whole message, not a fragment: toThrow(string) matches substrings.
  try {
    build();
  } catch (error) {
    expect((error as Error).message).toEqual(expected);
  }
});

test('the table holds at least 50 mistakes, each with its own message', () => {
  expect(MISTAKES.length).toBeGreaterThanOrEqual(50);
  expect(new Set(MISTAKES.map(([, , message]) => message)).size).toBe(MISTAKES.length);
});

