/**
 * Valid arguments for every public entry point of the jsii assembly, built
 * from samples per type: a struct's sample sets its required props (and those
 * its validation needs together), a class's sample is an instance, a string
 * parameter's sample is keyed by entry point and parameter. The walks over the
 * assembly (null-arguments, credential-fuzz) change one position at a time.
 */
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as lib from '../../src';
import { EntryPoint, JsiiAssembly, JsiiParameter, JsiiTypeReference } from '../util/jsii-assembly';

const SECRET = { secretName: 'credentials', key: 'token' };
const FALCO_RULE = { name: 'Shell', description: 'A shell ran', condition: 'evt.type = execve and proc.name = bash', output: 'Shell (proc=%proc.name)', priority: lib.FalcoPriority.WARNING };
const ALERT = { alert: 'TooManyDenials', expr: 'sum(rate(apiserver_request_total{code="403"}[5m])) > 1', severity: lib.AlertSeverity.WARNING, summary: 's', description: 'd' };

/** Valid props per struct, by name: required props only unless a set needs more. */
export const STRUCT_SAMPLES: Record<string, () => object> = {
  SecretKeyReference: () => SECRET,
  AlertRouteOptions: () => ({ matchers: [lib.AlertMatcher.equal('team', 'db')], receiver: 'null' }),
  AlertingRuleProps: () => ALERT,
  AlertmanagerOutputOptions: () => ({ url: 'http://alertmanager-operated.monitoring:9093' }),
  AnomalyDetectionProps: () => ({ name: 'auth:failures:rate5m', signal: 'sum(rate(apiserver_request_total{code="401"}[5m]))', alert: 'AuthFailureAnomaly', summary: 's' }),
  AnomalyFeature: () => ({ name: 'errors', query: 'sum(up)' }),
  AuditPolicyProps: () => ({ rules: [{ level: lib.AuditLevel.METADATA }] }),
  AuditRequest: () => ({ verb: 'get', resource: 'pods' }),
  AuditRule: () => ({ level: lib.AuditLevel.METADATA }),
  CustomFalcosidekickOutputOptions: () => ({ output: 'slack', settings: { channel: '#falco' }, settingSecrets: { webhookurl: SECRET } }),
  DaemonSetHealthCheckProps: () => ({ daemonSets: [{ name: 'falco', namespace: 'falco' }], namespace: 'security-monitoring' }),
  DaemonSetReference: () => ({ name: 'falco', namespace: 'falco' }),
  DashboardPanelProps: () => ({ title: 'Denials', queries: [{ expr: 'sum(rate(apiserver_request_total{code="403"}[5m]))' }] }),
  ElasticsearchOutputOptions: () => ({ url: 'https://elasticsearch:9200' }),
  FalcoExceptionProps: () => ({ name: 'known', fields: ['proc.name'], values: [['bash']] }),
  FalcoListProps: () => ({ name: 'my_shells', items: ['bash'] }),
  FalcoMacroProps: () => ({ name: 'my_shell', condition: 'proc.name = bash' }),
  FalcoPluginProps: () => ({ name: 'okta', source: 'okta' }),
  FalcoPluginRequirement: () => ({ name: 'json', version: '0.7.0' }),
  FalcoRuleOverrideProps: () => ({ name: 'Shell', replace: { enabled: false } }),
  FalcoRuleProps: () => FALCO_RULE,
  FalcosidekickOptions: () => ({ outputs: [lib.FalcosidekickOutput.webhook({ url: 'http://hooks.internal/falco' })] }),
  FalcosidekickProps: () => ({ name: 'falcosidekick', namespace: 'falco', labels: { app: 'falcosidekick' }, outputs: [lib.FalcosidekickOutput.webhook({ url: 'http://hooks.internal/falco' })] }),
  FleetClusterProps: () => ({ name: 'prod-eu-1' }),
  FleetRepository: () => ({ url: 'https://git.example.com/platform/fleet.git' }),
  FilebeatPipelineProps: () => ({ elasticsearch: { host: 'es.example.com' } }),
  GrafanaOperatorDeliveryOptions: () => ({ instanceSelector: { dashboards: 'grafana' } }),
  KubeBenchCronJobProps: () => ({ namespace: 'security-monitoring' }),
  KubePrometheusStackIntegrationOptions: () => ({ releaseName: 'kube-prometheus-stack' }),
  KuberhealthyCheckProps: () => ({ name: 'falco-running', namespace: 'security-monitoring', image: 'docker.io/library/busybox:1.36.1' }),
  PagerDutyAlertingProps: () => ({ pagerDuty: { routingKeySecret: SECRET }, namespace: 'monitoring' }),
  PagerDutyOutputOptions: () => ({ routingKeySecret: SECRET }),
  PagerDutyReceiverOptions: () => ({ routingKeySecret: SECRET }),
  PanelQuery: () => ({ expr: 'sum(up)' }),
  QuarantineNetworkPolicyProps: () => ({ namespaces: ['apps'] }),
  RecordingRuleProps: () => ({ record: 'namespace:denials:rate5m', expr: 'sum by (namespace) (rate(apiserver_request_total{code="403"}[5m]))' }),
  RuleGroupProps: () => ({ name: 'custom' }),
  SecurityMonitoringFleetProps: () => ({ clusters: [{ name: 'prod-eu-1' }] }),
  SecurityKpiRulesProps: () => ({ namespace: 'security-monitoring' }),
  SiemCustomDestinationOptions: () => ({ plugin: 'datadog', options: { dd_source: 'kubernetes' }, optionSecrets: { apikey: SECRET } }),
  SiemElasticsearchOptions: () => ({ host: 'es.example.com' }),
  SiemHostFilesOptions: () => ({ glob: '/var/log/app/*.log', logType: 'app' }),
  SiemHttpOptions: () => ({ host: 'collector.example.com' }),
  SiemKafkaOptions: () => ({ brokers: ['kafka-0.example.com:9093'] }),
  SiemLokiOptions: () => ({ host: 'loki.example.com' }),
  SiemPipelineProps: () => ({ destinations: [lib.SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: SECRET })] }),
  SiemS3Options: () => ({ bucket: 'security-logs', region: 'eu-west-1', credentials: lib.SiemAwsCredentials.podIdentity() }),
  SiemSplunkHecOptions: () => ({ host: 'splunk.example.com', tokenSecret: SECRET }),
  SiemSyslogOptions: () => ({ host: 'syslog.example.com' }),
  SlackReceiverOptions: () => ({ urlSecret: SECRET }),
  SplunkOutputOptions: () => ({ url: 'https://splunk:8088/services/collector/event', tokenSecret: SECRET }),
  TalonAction: () => ({ name: 'terminate', actionner: lib.TalonActionner.terminate() }),
  TalonAwsStoreOptions: () => ({ region: 'eu-west-1' }),
  TalonCustomActionnerOptions: () => ({
    actionner: 'kubernetes:annotation',
    parameters: { annotations: { 'security.quarantine': 'true' } },
    permissions: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'patch', 'update'] }],
  }),
  TalonDownloadOptions: () => ({ file: '/tmp/payload.sh', evidenceBucket: 'falco-evidence' }),
  TalonMinioStoreOptions: () => ({ host: 'minio.storage.svc', port: 9000, accessKeySecret: SECRET, secretKeySecret: SECRET }),
  TalonOutputOptions: () => ({ url: 'http://falco-talon.falco.svc:2803' }),
  TalonPolicyRule: () => ({ apiGroups: [''], resources: ['pods'], verbs: ['get'] }),
  TalonRuleProps: () => ({ name: 'Terminate shells', match: { rules: ['Terminal shell in container'] }, actions: [{ name: 'terminate', actionner: lib.TalonActionner.terminate() }] }),
  TalonTcpdumpOptions: () => ({ evidenceBucket: 'falco-evidence' }),
  WebhookOutputOptions: () => ({ url: 'http://hooks.internal/falco' }),
  WebhookReceiverOptions: () => ({ url: 'http://alert-bridge.monitoring.svc:8080/alerts' }),
};

/** An instance per class that appears as a parameter type. */
const CLASS_SAMPLES: Record<string, () => unknown> = {
  AlertMatcher: () => lib.AlertMatcher.equal('team', 'db'),
  AlertReceiver: () => lib.AlertReceiver.none('team-db'),
  FalcoRules: () => new lib.FalcoRules(),
  PrometheusSelector: () => lib.PrometheusSelector.none(),
  SiemAwsCredentials: () => lib.SiemAwsCredentials.podIdentity(),
  TalonActionner: () => lib.TalonActionner.terminate(),
  // What the cdk8s CLI passes to a validation plugin.
  ICdk8sValidationContext: () => ({ manifests: [], report: { addViolation: () => undefined, submit: () => undefined } }),
};

/** Valid string (and map) arguments, by `entry point/parameter`. */
const PARAMETER_SAMPLES: Record<string, () => unknown> = {
  'AlertMatcher.equal/name': () => 'team',
  'AlertMatcher.equal/value': () => 'db',
  'AlertMatcher.notEqual/name': () => 'team',
  'AlertMatcher.notEqual/value': () => 'db',
  'AlertMatcher.regex/name': () => 'team',
  'AlertMatcher.regex/regex': () => 'db|web',
  'AlertMatcher.notRegex/name': () => 'team',
  'AlertMatcher.notRegex/regex': () => 'db|web',
  'AlertMatcher.parse/text': () => 'severity="critical"',
  'AlertReceiver.none/name': () => 'discard',
  'AlertReceiver.pagerDuty/name': () => 'pager',
  'AlertReceiver.slack/name': () => 'slack',
  'AlertReceiver.webhook/name': () => 'bridge',
  'AuditPolicy.fromYaml/text': () => 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n',
  // Any value: the question is whether it is one of the library's errors.
  'Errors.isValidationError/x': () => new Error('not ours'),
  'Falcosidekick#allowSender/namespace': () => 'apps',
  'Falcosidekick#allowSender/selector': () => ({ app: 'sender' }),
  'FalcoDeployment#addRules/name': () => 'more-rules',
  'FalcoRules.fromYaml/text': () => '- rule: Shell\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: WARNING\n',
  'FalcoRules#disableRule/name': () => 'Shell',
  'FalcoRules#addRuleTests/ruleName': () => 'Shell',
  'FalcoRules#addRuleTests/tests': () => [{ event: { 'evt.type': 'execve', 'proc.name': 'bash' }, expect: lib.FalcoTestOutcome.MATCH }],
  'FalcoRules#appendExceptions/ruleName': () => 'Shell',
  'FalcoRules#appendExceptions/exceptions': () => [{ name: 'ci_shells', fields: ['proc.name'], values: [['bash']] }],
  'FalcoRules#appendToList/listName': () => 'shell_binaries',
  'FalcoRules#appendToList/items': () => ['zsh'],
  'FalcoRules#setRulePriority/ruleName': () => 'Shell',
  'FalcoRules#requireEngineVersion/version': () => '0.26.0',
  'FalcoRules#requirePlugins/plugins': () => [{ name: 'json', version: '0.7.0' }],
  'FalcoTalon.urlFor/name': () => 'falco-talon',
  'FalcoTalon.urlFor/namespace': () => 'falco',
  'PagerDutyAlerting#routeTeam/team': () => 'db',
  'SecurityAlerts#watchAgent/namespace': () => 'security-logging',
  'SecurityAlerts#watchAgent/name': () => 'filebeat',
  'PromQL.typeOf/expr': () => 'sum(up)',
  'PromQL.typeOf/where': () => 'query',
  'PromQL.validate/expr': () => 'sum(up)',
  'PromQL.validate/where': () => 'query',
  'PrometheusSelector.custom/ruleLabels': () => ({ release: 'prometheus' }),
  'PrometheusSelector.custom/monitorLabels': () => ({ release: 'prometheus' }),
  'PrometheusSelector.kubePrometheusStack/releaseName': () => 'kube-prometheus-stack',
  'SecurityDashboard#addRow/title': () => 'More',
  'SecurityMonitoringStack#addNamespace/name': () => 'extra',
  'SecurityMonitoringStack#labelsFor/component': () => 'falco',
  'SecurityMonitoringStack#clusterScopedName/component': () => 'falco-talon',
  'SecurityMonitoringStack#metadataFor/component': () => 'falco',
  'SecurityMonitoringStack#metadataFor/name': () => 'falco',
  'SecurityMonitoringStack#metadataFor/namespace': () => 'falco',
  'SecurityMonitoringStack#podSecurityLevelOf/namespace': () => 'falco',
  'SecurityPrometheusRule#toUnitTestFile/ruleFile': () => 'rules.yaml',
  // Relative: the walk runs in a temporary directory (the default is dist/).
  'SecurityMonitoringFleet#synth/outdir': () => 'fleet-out',
  'SecurityMonitoringFleet#addGitOpsJsonPatch/kind': () => 'Kustomization',
  'SecurityMonitoringFleet#addGitOpsJsonPatch/patch': () => JsonPatch.add('/spec/suspend', true),
  'SiemAwsCredentials.irsa/roleArn': () => 'arn:aws:iam::123456789012:role/fluent-bit',
  'TalonActionner.label/labels': () => ({ quarantine: 'true' }),
};

/** The object a method is called on, built in `chart` when it is a construct. */
const RECEIVERS: Record<string, (chart: Chart) => unknown> = {
  AlertMatcher: () => lib.AlertMatcher.equal('team', 'db'),
  ApiServerAudit: (chart) => new lib.ApiServerAudit(chart, 'audit'),
  AuditPolicy: () => lib.AuditPolicy.production(),
  // Watching another DaemonSet than the one the walk adds: one listed twice is refused.
  DaemonSetHealthCheck: (chart) => new lib.DaemonSetHealthCheck(chart, 'health-check', { daemonSets: [{ name: 'fluent-bit', namespace: 'logging' }], namespace: 'security-monitoring' }),
  FalcoAuditWebhook: () => new lib.FalcoAuditWebhook(),
  FalcoDeployment: (chart) => new lib.FalcoDeployment(chart, 'falco'),
  FalcoPlugin: () => lib.FalcoPlugin.json(),
  FalcoRules: () => new lib.FalcoRules().addRule(FALCO_RULE),
  FalcoTalon: (chart) => new lib.FalcoTalon(chart, 'talon').addRule({ ...STRUCT_SAMPLES.TalonRuleProps(), name: 'Earlier rule' } as lib.TalonRuleProps),
  Falcosidekick: (chart) => new lib.Falcosidekick(chart, 'falcosidekick', STRUCT_SAMPLES.FalcosidekickProps() as lib.FalcosidekickProps),
  PagerDutyAlerting: (chart) => new lib.PagerDutyAlerting(chart, 'alerting', STRUCT_SAMPLES.PagerDutyAlertingProps() as lib.PagerDutyAlertingProps),
  PrometheusRuleGroup: (chart) => new lib.SecurityPrometheusRule(chart, 'rules').addGroup({ name: 'custom' }),
  SecurityAlerts: (chart) => new lib.SecurityAlerts(chart, 'alerts'),
  SecurityDashboard: (chart) => new lib.SecurityDashboard(chart, 'dashboard'),
  SecurityMonitoringStack: (chart) => new lib.SecurityMonitoringStack(chart, 'stack'),
  SecurityMonitoringValidation: () => new lib.SecurityMonitoringValidation({ tools: false }),
  SecurityMonitoringFleet: () => new lib.SecurityMonitoringFleet({ clusters: [{ name: 'prod-eu-1' }] }),
  SecurityPrometheusRule: (chart) => new lib.SecurityPrometheusRule(chart, 'rules'),
};

/**
 * Where a built value is checked when it is used (a destination in a pipeline,
 * rules in a deployment): the walk uses each value it gets back, so that a
 * missing prop the factory left for later is still found.
 */
const CONSUMERS: Record<string, (value: any, chart: Chart) => void> = {
  SiemDestination: (destination, chart) => new lib.SiemPipeline(chart, 'consumer', { destinations: [destination] }),
  SiemSource: (source, chart) => new lib.SiemPipeline(chart, 'consumer', { ...STRUCT_SAMPLES.SiemPipelineProps() as lib.SiemPipelineProps, sources: [source] }),
  FalcoRules: (rules, chart) => new lib.FalcoDeployment(chart, 'consumer', { plugins: [lib.FalcoPlugin.json()] }).addRules('consumed', rules),
  DashboardDelivery: (delivery, chart) => new lib.SecurityDashboard(chart, 'consumer', { deliveries: [delivery] }),
  FalcosidekickOutput: (output, chart) => new lib.FalcoDeployment(chart, 'consumer', { falcosidekick: { outputs: [output] } }),
  AlertReceiver: (receiver, chart) => new lib.PagerDutyAlerting(chart, 'consumer', { ...STRUCT_SAMPLES.PagerDutyAlertingProps(), warningReceiver: receiver } as any),
  // A Talon without rules is an error at synth: give the one under test a rule.
  FalcoTalon: (talon) => talon.addRule({ ...STRUCT_SAMPLES.TalonRuleProps(), name: 'Consumer rule' }),
  // With an evidence store: the evidence actionners (download, tcpdump) need one.
  TalonActionner: (actionner, chart) => new lib.FalcoTalon(chart, 'consumer', { evidenceStore: lib.TalonObjectStore.awsS3({ region: 'eu-west-1' }) })
    .addRule({ ...STRUCT_SAMPLES.TalonRuleProps(), actions: [{ name: 'act', actionner }] } as any),
};

/** Uses a value the way the library would, when it is one that is checked on use. */
export function consume(value: unknown, chart: Chart): void {
  const name = value?.constructor?.name;
  if (name && CONSUMERS[name]) CONSUMERS[name](value, chart);
}

/** A valid value of a type reference, or undefined when the walk has no sample for it. */
export function sampleOf(assembly: JsiiAssembly, type: JsiiTypeReference, chart: Chart): { value: unknown } | undefined {
  if (type.fqn) {
    const name = type.fqn.split('.').pop()!;
    if (name === 'Construct') return { value: chart };
    if (name === 'IConstruct') return { value: new Construct(new lib.SecurityMonitoringStack(chart, 'stack'), 'child') };
    const declared = assembly.types[type.fqn];
    if (declared?.kind === 'enum') {
      const member = (declared as unknown as { members: Array<{ name: string }> }).members[0].name;
      return { value: (lib as any)[name][member] };
    }
    if (STRUCT_SAMPLES[name]) return { value: STRUCT_SAMPLES[name]() };
    if (CLASS_SAMPLES[name]) return { value: CLASS_SAMPLES[name]() };
    if (declared?.datatype && !hasRequiredProps(assembly, type.fqn)) return { value: {} };
  }
  return undefined;
}

function hasRequiredProps(assembly: JsiiAssembly, fqn: string): boolean {
  const type = assembly.types[fqn];
  return (type.properties ?? []).some((p) => !p.optional) || (type.interfaces ?? []).some((base) => hasRequiredProps(assembly, base));
}

/** Valid arguments for an entry point, in a fresh chart; throws naming the sample that is missing. */
export function sampleArguments(assembly: JsiiAssembly, entry: EntryPoint, chart: Chart): unknown[] {
  return (entry.callable.parameters ?? []).map((p) => sampleArgument(assembly, entry, p, chart));
}

function sampleArgument(assembly: JsiiAssembly, entry: EntryPoint, parameter: JsiiParameter, chart: Chart): unknown {
  const key = `${entry.id}/${parameter.name}`;
  if (PARAMETER_SAMPLES[key]) return PARAMETER_SAMPLES[key]();
  if (parameter.type.primitive === 'string' && parameter.name === 'id') return 'subject';
  const sample = sampleOf(assembly, parameter.type, chart);
  if (sample) return sample.value;
  if (parameter.optional) return undefined;
  throw new Error(`no sample for ${key}: add one to PARAMETER_SAMPLES, STRUCT_SAMPLES or CLASS_SAMPLES in test/security/entry-point-samples.ts`);
}

/** Calls an entry point with `args` (on a fresh receiver for methods); returns what it returned and the chart it built in. */
export function callEntryPoint(entry: EntryPoint, args: unknown[], chart: Chart): unknown {
  const cls = (lib as any)[entry.type.name];
  const method = entry.callable.name!;
  switch (entry.kind) {
    case 'constructor':
      return new cls(...args);
    case 'static':
      return cls[method](...args);
    case 'method': {
      const receiver = RECEIVERS[entry.type.name];
      if (!receiver) throw new Error(`no receiver for ${entry.id}: add one to RECEIVERS in test/security/entry-point-samples.ts`);
      const object = receiver(chart) as any;
      return object[method](...args);
    }
  }
}

/** A fresh chart for one call. */
export function freshChart(): Chart {
  return Testing.chart();
}
