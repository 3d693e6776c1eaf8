/**
 * fast-check arbitraries shaped like the real props: mostly valid values,
 * mixed with the wrong ones users actually write (wrong case, wrong type,
 * out of range, empty). Factories (`SiemDestination.splunkHec(...)`) are called
 * inside the property, so their validation is exercised too.
 */
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { fullStackProps } from './scenarios';
import {
  AlertReceiver, AlertSeverity, AnomalyDetector, ApiServerAudit, AuditPolicy, FalcoAuditWebhook, FalcoDeployment, FalcoDriver, FalcoPlugin,
  FalcoPriority, FalcosidekickOutput, FalcoWorkload, FilebeatPipeline, PagerDutyAlerting, SecurityMonitoringStackProps, SiemDestination,
  SiemAwsCredentials, SiemPipeline, SiemS3Compression, SiemSource, SiemSyslogFormat, SiemSyslogTransport,
} from '../../src';
import { cloudtrailPlugin } from '../falco/helpers';

/** `good` most of the time, one of `bad` one time in 25: a stack has ~40 such fields, so about half the stacks carry a mistake. */
function mostly<T>(good: fc.Arbitrary<T>, ...bad: unknown[]): fc.Arbitrary<T> {
  return fc.oneof({ weight: 24, arbitrary: good }, { weight: 1, arbitrary: fc.constantFrom(...bad) as fc.Arbitrary<T> });
}

/** An optional prop: absent half the time. */
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

/**
 * The secret part of the credentials typed into URL and host fields below:
 * it must appear neither in the manifests nor in an error (see properties.test.ts).
 */
export const TYPED_CREDENTIAL = 'hunter2Zq8xK3';
const withUserInfo = (url: string) => url.replace('://', `://svc:${TYPED_CREDENTIAL}@`);
const withToken = (url: string) => `${url}?token=${TYPED_CREDENTIAL}`;
/** A URL field: the URL, or (sometimes) one with a credential in it, or no value from a jsii language. */
const urlField = (url: string, ...bad: unknown[]) => mostly(fc.constantFrom(url), ...bad, withUserInfo(url), withToken(url), null);

const dnsLabel = mostly(fc.constantFrom('security', 'sec-mon', 'a', 'logs2'), 'Security', 'sec_mon', '', '-x', 'a'.repeat(64), 42, null);
const secretName = mostly(fc.constantFrom('pagerduty', 'splunk-hec', 'es.creds'), 'PagerDuty', '', 7);
const secretKey = mostly(fc.constantFrom('token', 'routing-key', 'password'), '', 'a key', undefined);
/** A Secret key reference, or (sometimes) the credential itself typed where the reference belongs. */
const secretRef = mostly(fc.record({ secretName, key: secretKey }), TYPED_CREDENTIAL, null);
/** A Duration, with the strings and numbers of JavaScript callers and fractions of a millisecond among the mistakes. */
const duration = mostly(fc.constantFrom(Duration.seconds(30), Duration.minutes(5), Duration.minutes(90), Duration.hours(4)), '5m', '5x', '', 300, Duration.millis(0.5));
const cpuQuantity = mostly(fc.constantFrom('100m', '1', '500m', '2'), '1GB', '', 'lots', -1, '-1', '2Gi');
/** Memory, with millibytes (`512m`, meant as MiB) and fractions of a byte among the mistakes; requests above limits come from combining them. */
const memoryQuantity = mostly(fc.constantFrom('256Mi', '512Mi', '1Gi', '2Gi'), '1GB', '512m', '0.5', '', -1);
/** Namespace names, with the namespaces every cluster has (never created or relabelled) among the mistakes. */
const namespaceName = mostly(fc.constantFrom('security', 'sec-mon', 'a', 'logs2'), 'Security', 'sec_mon', '', 'default', 'kube-system', 'kube-public', 'kube-node-lease', 42);
/** CronJob schedules, with what the CronJob controller refuses (day of week 7) and dates that never come among the mistakes. */
const schedule = mostly(fc.constantFrom('0 3 * * *', '30 2 * * 0', '0 */6 * * 1-5', '@weekly'), '0 3 * * 7', '0 3 30 2 *', '0 3 * *', '@every 5m', '');
/** A pinned image of another program (nginx for Falco, Fluent Bit or kube-bench) is among the mistakes: the container's command would not run. */
const image = mostly(fc.constantFrom(undefined), 'nginx:latest', 'nginx', 'NGINX:1', '', 3, 'docker.io/library/nginx:1.27.3');
const port = mostly(fc.integer({ min: 1, max: 65535 }), '8088', 0, 70000, 1.5, -443);
const positiveInt = mostly(fc.integer({ min: 1, max: 100 }), 0, -1, 1.5, '10', NaN);
const host = mostly(fc.constantFrom('splunk.example.com', 'es.internal', '10.0.0.1'), '', 'https://splunk:8088', 'two words', `https://admin:${TYPED_CREDENTIAL}@splunk.example.com`);

const labels = opt(fc.dictionary(
  mostly(fc.constantFrom('team', 'example.com/owner', 'env'), 'Bad Key', '-x', 'a/b/c'),
  mostly(fc.constantFrom('security', 'prod', ''), 'has space', 'x'.repeat(64)),
  { maxKeys: 3 },
));

const sidekickOutput = fc.oneof(
  fc.record({ url: urlField('http://alertmanager.monitoring:9093', 'alertmanager:9093', '', 'http://alertmanager:9093/api/v2/alerts') })
    .map((o) => () => FalcosidekickOutput.alertmanager(o as any)),
  fc.record({ urlSecret: secretRef }).map((o) => () => FalcosidekickOutput.alertmanager(o as any)),
  fc.record({ url: urlField('https://splunk:8088', 'splunk', ''), tokenSecret: secretRef })
    .map((o) => () => FalcosidekickOutput.splunk(o as any)),
  fc.record({ routingKeySecret: secretRef, region: opt(mostly(fc.constantFrom('us', 'eu'), 'mars')) })
    .map((o) => () => FalcosidekickOutput.pagerDuty(o as any)),
  fc.record({ url: urlField('http://hooks.internal/falco', 'hooks', '') }).map((o) => () => FalcosidekickOutput.webhook(o as any)),
  fc.record({ urlSecret: secretRef }).map((o) => () => FalcosidekickOutput.webhook(o as any)),
  fc.record({ url: urlField('http://falco-talon.falco.svc:2803', 'talon', '') }).map((o) => () => FalcosidekickOutput.talon(o as any)),
  fc.record({ url: urlField('https://es:9200', 'es:9200', 'https://es:9200/falco/_doc'), index: opt(mostly(fc.constantFrom('falco', 'security'), 'Falco', '_x')) })
    .map((o) => () => FalcosidekickOutput.elasticsearch(o as any)),
  fc.record({
    output: mostly(fc.constantFrom('slack', 'teams', 'discord', 'sentinelone'), 'slak', 'aws', 'my-output', '', null),
    settings: opt(mostly(fc.constantFrom({ channel: '#falco' }, {}), { chanel: '#falco' }, { webhookurl: withToken('https://hooks.internal') }, { checkcert: 'false' })),
    settingSecrets: mostly(fc.record({ webhookurl: secretRef }), {}, { 'web hook': { secretName: 'slack', key: 'url' } }),
    insecureSkipTlsVerify: opt(fc.boolean()),
  }, { requiredKeys: ['output', 'settingSecrets'] }).map((o) => () => FalcosidekickOutput.custom(o as any)),
);

/** Plugins: the chart's k8saudit, a cloud pull plugin, an extractor alone, and mistakes. */
const plugin = mostly(fc.constantFrom(
  () => FalcoPlugin.k8sAudit(),
  () => FalcoPlugin.json(),
  () => cloudtrailPlugin(),
),
() => FalcoPlugin.custom({ name: 'okta', source: 'okta' }), () => FalcoPlugin.custom({ name: 'Okta' }), { name: 'k8saudit' }, 'k8saudit');

const falcoOptions = fc.record({
  driver: opt(fc.constantFrom(
    () => FalcoDriver.modernEbpf(), () => FalcoDriver.modernEbpf({ leastPrivileged: false }), () => FalcoDriver.kmod(), () => FalcoDriver.auto(),
    () => FalcoDriver.none())),
  workload: opt(mostly(
    fc.constantFrom(() => FalcoWorkload.daemonSet(), () => FalcoWorkload.deployment(), () => FalcoWorkload.deployment({ replicas: 2 })),
    () => FalcoWorkload.deployment({ replicas: 0 }), 'deployment')),
  plugins: opt(fc.array(plugin, { maxLength: 2 })),
  priority: opt(mostly(fc.constantFrom(...Object.values(FalcoPriority)), 'urgent', 'WARNING')),
  image,
  resources: opt(fc.record({
    cpuRequest: opt(cpuQuantity), cpuLimit: opt(cpuQuantity), memoryRequest: opt(memoryQuantity), memoryLimit: opt(memoryQuantity),
  }, { requiredKeys: [] })),
  disabledRules: opt(fc.array(mostly(fc.constantFrom('Terminal shell in container', 'Read sensitive file untrusted', 'PTRACE*'),
    '', 'two\nlines', 'Terminal shel in container', 'Launch Privileged Container'), { maxLength: 2 })),
  disabledTags: opt(fc.array(mostly(fc.constantFrom('maturity_stable', 'T1059', 'network'), 'mitre_exection', 'maturity_incubating'), { maxLength: 2 })),
  enabledRules: opt(fc.array(fc.constantFrom('Terminal shell in container', 'Contact K8S API Server From Container'), { maxLength: 1 })),
  priorityClassName: opt(mostly(fc.constantFrom('system-node-critical'), 'System', '')),
  falcosidekick: opt(fc.record({
    outputs: mostly(fc.array(sidekickOutput, { minLength: 1, maxLength: 2 }), []),
    replicas: opt(positiveInt),
    image,
  }, { requiredKeys: ['outputs'] })),
}, { requiredKeys: [] });
const falco = fc.oneof(fc.constant(undefined), fc.constant({ enabled: false }), falcoOptions);

const auditOptions = fc.record({
  policy: opt(fc.constantFrom(() => AuditPolicy.production(), () => AuditPolicy.cisMinimal(), () => AuditPolicy.falco())),
  logMaxAge: opt(mostly(fc.integer({ min: 30, max: 365 }).map((days) => Duration.days(days)), Duration.days(7), Duration.hours(36), 30, '30')),
  logMaxBackup: opt(mostly(fc.integer({ min: 10, max: 50 }), 1, 1.5)),
  logPath: opt(mostly(fc.constantFrom('/var/log/kubernetes/audit/audit.log'), 'audit.log', '')),
  configMapName: opt(dnsLabel),
  falcoWebhook: opt(fc.constantFrom(() => new FalcoAuditWebhook(), () => new FalcoAuditWebhook({ namespace: 'security' }))),
}, { requiredKeys: [] });
const auditPolicy = fc.oneof(fc.constant(undefined), fc.constant({ enabled: false }), auditOptions);

const siemSecret = fc.record({ secretName, key: secretKey });
const commonDestination = { logTypes: opt(fc.array(mostly(fc.constantFrom('container', 'falco', 'security_audit'), 'audit', ''), { maxLength: 2 })), tls: opt(fc.boolean()), retryLimit: opt(positiveInt) };
/** A `SiemDestination` factory's name: the record below must have every one (the compiler checks). */
type DestinationFactory = Exclude<keyof typeof SiemDestination, 'prototype'>;

/** A custom Fluent Bit output: documented options, and the mistakes (typos, options the pipeline owns, credentials in plain options). */
const customDestination = fc.record({
  plugin: mostly(fc.constantFrom('datadog', 'forward'), 'datadogg', '', 'elasticsearch', 'Datadog'),
  options: opt(mostly(fc.constantFrom({ dd_source: 'kubernetes', dd_tags: 'team:security' }, { host: 'intake.example.com', compress: 'gzip' }),
    { dd_sourc: 'kubernetes' }, { 'tls.verify': 'off' }, { apikey: TYPED_CREDENTIAL }, { header: `Authorization Bearer ${TYPED_CREDENTIAL}` },
    { dd_tags: '${TAGS}' }, { dd_tags: 3 })),
  optionSecrets: opt(fc.record({ shared_key: secretRef })),
  envSecrets: opt(fc.record({ AWS_ACCESS_KEY_ID: siemSecret })),
  insecureSkipTlsVerify: opt(fc.boolean()),
  ...commonDestination,
}, { requiredKeys: ['plugin'] });

const DESTINATIONS: Record<DestinationFactory, fc.Arbitrary<() => SiemDestination>> = {
  splunkHec: fc.record({
    host,
    port: opt(port),
    tokenSecret: siemSecret,
    index: opt(mostly(fc.constantFrom('security'), '')),
    indexByLogType: opt(fc.dictionary(mostly(fc.constantFrom('falco', 'container'), 'fallco', 'audit'), fc.constantFrom('security', 'k8s'), { maxKeys: 2 })),
    ...commonDestination,
  }, { requiredKeys: ['host', 'tokenSecret'] })
    .map((o) => () => SiemDestination.splunkHec(o as any)),
  elasticsearch: fc.record({ host, port: opt(port), username: opt(fc.constantFrom('elastic', '')), passwordSecret: opt(siemSecret), ...commonDestination }, { requiredKeys: ['host'] })
    .map((o) => () => SiemDestination.elasticsearch(o as any)),
  openSearch: fc.record({ host, port: opt(port), username: opt(fc.constantFrom('admin', '')), passwordSecret: opt(siemSecret), ...commonDestination }, { requiredKeys: ['host'] })
    .map((o) => () => SiemDestination.openSearch(o as any)),
  syslog: fc.record({
    host,
    port: opt(port),
    transport: opt(mostly(fc.constantFrom(SiemSyslogTransport.TCP, SiemSyslogTransport.UDP), 'TCP', 'tls')),
    format: opt(mostly(fc.constantFrom(SiemSyslogFormat.RFC5424, SiemSyslogFormat.RFC3164), 'rfc-5424')),
    maxMessageBytes: opt(mostly(fc.integer({ min: 1024, max: 65536 }), 0, -1, 1.5)),
    ...commonDestination,
  }, { requiredKeys: ['host'] })
    .map((o) => () => SiemDestination.syslog(o as any)),
  s3: fc.record({
    bucket: mostly(fc.constantFrom('security-logs', 'audit.example-bucket'), 'Security_Logs', '', 's3://bucket'),
    region: mostly(fc.constantFrom('eu-west-1', 'us-east-1'), '', 'EU West'),
    credentials: fc.constantFrom(
      () => SiemAwsCredentials.podIdentity(),
      () => SiemAwsCredentials.irsa('arn:aws:iam::123456789012:role/fluent-bit'),
      () => SiemAwsCredentials.irsa('fluent-bit-role'),
      () => SiemAwsCredentials.fromSecret({ secretName: 'aws', key: 'id' }, { secretName: 'aws', key: 'secret' }),
    ),
    compression: opt(mostly(fc.constantFrom(SiemS3Compression.GZIP, SiemS3Compression.ZSTD, SiemS3Compression.NONE), 'bzip2')),
    totalFileSize: opt(mostly(fc.constantFrom('50M', '1G'), '50 MB', '0')),
    uploadTimeout: opt(mostly(fc.integer({ min: 1, max: 60 }).map((m) => Duration.minutes(m)), Duration.seconds(0), Duration.millis(1500), 10, '10m')),
    ...commonDestination,
  }, { requiredKeys: ['bucket', 'region', 'credentials'] })
    .map((o) => () => SiemDestination.s3({ ...o, credentials: o.credentials() } as any)),
  http: fc.record({ host, path: opt(mostly(fc.constantFrom('/ingest'), 'ingest')), ...commonDestination }, { requiredKeys: ['host'] })
    .map((o) => () => SiemDestination.http(o as any)),
  loki: fc.record({ host, tenantId: opt(fc.constantFrom('security', '')), ...commonDestination }, { requiredKeys: ['host'] })
    .map((o) => () => SiemDestination.loki(o as any)),
  kafka: fc.record({ brokers: fc.array(mostly(fc.constantFrom('kafka-0:9093', 'kafka-1.example.com:9092'), 'kafka', ':9092'), { maxLength: 2 }), topic: opt(fc.constantFrom('security', '')) }, { requiredKeys: ['brokers'] })
    .map((o) => () => SiemDestination.kafka(o as any)),
  custom: customDestination.map((o) => () => SiemDestination.custom(o as any)),
};
const destination = fc.oneof(...Object.values(DESTINATIONS));
const source = fc.oneof(
  fc.constant(() => SiemSource.containerLogs()),
  fc.record({ path: opt(mostly(fc.constantFrom('/var/log/kubernetes/audit/audit.log'), '/etc/shadow', '/var/log/../etc')) }, { requiredKeys: [] }).map((o) => () => SiemSource.auditLog(o as any)),
  fc.constant(() => SiemSource.falcoEvents()),
  fc.record({ glob: mostly(fc.constantFrom('/var/log/auth.log'), '/etc/*.log', ''), logType: mostly(fc.constantFrom('auth'), 'Auth', '') }).map((o) => () => SiemSource.hostFiles(o as any)),
);
const siemProps = fc.record({
  destinations: mostly(fc.array(destination, { minLength: 1, maxLength: 2 }), []),
  sources: opt(fc.array(source, { maxLength: 3 })),
  namespace: opt(namespaceName),
  flushInterval: opt(mostly(fc.integer({ min: 1, max: 10 }).map((s) => Duration.seconds(s)), Duration.seconds(0), Duration.hours(1), Duration.millis(500), 1, '1s')),
  retryBackoffBase: opt(mostly(fc.integer({ min: 1, max: 5 }).map((s) => Duration.seconds(s)), Duration.seconds(0), 5)),
  retryBackoffCap: opt(mostly(fc.integer({ min: 60, max: 600 }).map((s) => Duration.seconds(s)), Duration.seconds(1), Duration.millis(1500))),
}, { requiredKeys: ['destinations'] });
const siem = opt(siemProps);

const receiver = fc.oneof(
  fc.record({ name: dnsLabel, urlSecret: fc.record({ secretName, key: secretKey }) })
    .map((o) => () => AlertReceiver.slack(o.name as any, o as any)),
  fc.record({ name: dnsLabel, url: urlField('http://bridge.monitoring.svc:8080/alerts', 'bridge', '') }).map((o) => () => AlertReceiver.webhook(o.name as any, o as any)),
  fc.record({ name: dnsLabel, urlSecret: secretRef }).map((o) => () => AlertReceiver.webhook(o.name as any, o as any)),
);
const alertingProps = fc.record({
  pagerDuty: fc.record({ routingKeySecret: secretRef, severity: opt(mostly(fc.constantFrom('critical', 'error'), 'high', 'Critical')) },
    { requiredKeys: ['routingKeySecret'] }),
  groupWait: opt(duration),
  groupInterval: opt(duration),
  repeatInterval: opt(duration),
  // Duplicates and '...' beside other labels are among what this generates: Alertmanager refuses both.
  groupBy: opt(fc.array(mostly(fc.constantFrom('alertname', 'namespace'), '__name__', 'bad-label', '...'), { maxLength: 2 })),
  warningReceiver: opt(receiver),
  name: opt(dnsLabel),
}, { requiredKeys: ['pagerDuty'] });
const alerting = opt(alertingProps);

const anomalyOptions = fc.record({
  contamination: opt(mostly(fc.double({ min: 0.01, max: 0.5, noNaN: true }), 0, 2, -0.1, NaN, '0.1')),
  trees: opt(mostly(fc.integer({ min: 1, max: 200 }), 0, 1.5, 100000)),
  sampleSize: opt(mostly(fc.integer({ min: 2, max: 256 }), 1, 0, 1e9)),
  trainingWindow: opt(mostly(fc.constantFrom(Duration.days(1), Duration.days(7)), Duration.minutes(5), '7d')),
  scoringInterval: opt(mostly(fc.constantFrom(Duration.minutes(1), Duration.seconds(30)), Duration.seconds(1), '1m')),
  prometheusUrl: opt(urlField('http://prometheus-operated.monitoring.svc:9090', 'prometheus:9090', 'http://p:9090/?x=1', 'http://p:9090/api/v1')),
  alertSeverity: opt(mostly(fc.constantFrom(AlertSeverity.WARNING, AlertSeverity.CRITICAL), 'page')),
  alertFor: opt(duration),
  features: opt(fc.array(fc.record({
    name: mostly(fc.constantFrom('api_errors', 'falco_events'), 'Bad Name', ''),
    query: mostly(fc.constantFrom('sum(rate(apiserver_request_total{code=~"401|403"}[5m]))', 'sum(rate(falcosecurity_falco_rules_matches_total[5m]))'), 'sum(rate(', ''),
  }), { maxLength: 2 })),
}, { requiredKeys: [] });
const anomalyDetection = opt(anomalyOptions);

type Thunks<T> = T extends () => infer R ? R : T extends Array<infer E> ? Array<Thunks<E>> : T extends object ? { [K in keyof T]: Thunks<T[K]> } : T;

/** Calls every factory thunk in a generated value, depth-first, so factory errors surface inside the property. */
export function realize<T>(value: T): Thunks<T> {
  if (typeof value === 'function') return (value as any)();
  if (Array.isArray(value)) return value.map(realize) as any;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, realize(v)])) as any;
  }
  return value as any;
}

/** Props of a `SecurityMonitoringStack`, with factories still to call (see `realize`). */
export const stackProps = fc.record({
  name: opt(dnsLabel),
  namespace: opt(namespaceName),
  falcoNamespace: opt(mostly(fc.constantFrom('falco', 'runtime-security'), 'Falco', 'security', 'kube-system')),
  createNamespaces: opt(fc.boolean()),
  podSecurityVersion: opt(mostly(fc.constantFrom('latest', 'v1.30'), '1.30', 'v1')),
  labels,
  falco,
  auditPolicy,
  siem,
  alerting,
  anomalyDetection,
  compliance: opt(fc.record({
    enabled: fc.boolean(),
    namespace: opt(namespaceName),
    kubeBench: opt(fc.record({ schedule: opt(schedule) }, { requiredKeys: [] })),
  }, { requiredKeys: ['enabled'] })),
}, { requiredKeys: [] }) as fc.Arbitrary<unknown> as fc.Arbitrary<SecurityMonitoringStackProps>;

/** Values of the wrong type, shape or range, as a typo or a bad template would produce them. */
const WRONG_VALUES: unknown[] = [undefined, null, '', 'Not A Name', -1, 0, 1.5, NaN, Infinity, true, [], {}, '5x', 'x'.repeat(300), [null], { a: 1 }];

/** Every path to a plain-object or array member of `value` (class instances are opaque: users cannot reach inside). */
function leafPaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const plain = Array.isArray(value) || (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype);
  if (!plain) return prefix.length > 0 ? [prefix] : [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as object);
  return [...(prefix.length > 0 ? [prefix] : []), ...entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]))];
}

function replaceAt(value: any, path: Array<string | number>, replacement: unknown): any {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = Array.isArray(value) ? [...value] : { ...value };
  copy[head] = replaceAt(value[head], rest, replacement);
  return copy;
}

/**
 * The full stack's props with one member (any depth) replaced by each wrong
 * value in turn: every (path, value) pair, named by the path.
 */
export function mutatedFullStackProps(): Array<[string, SecurityMonitoringStackProps]> {
  return leafPaths(fullStackProps()).flatMap((path) => WRONG_VALUES.map((wrong): [string, SecurityMonitoringStackProps] =>
    [`${path.join('.')} = ${String(wrong).slice(0, 12)}`, replaceAt(fullStackProps(), path, wrong)]));
}

/** Where a construct used on its own goes: the props the stack otherwise sets. */
const placement = fc.record({ name: opt(dnsLabel), namespace: opt(dnsLabel), labels }, { requiredKeys: [] });
const placed = <T>(arb: fc.Arbitrary<T>, fields: Array<'name' | 'namespace' | 'labels'>) => fc.tuple(arb, placement)
  .map(([props, where]) => ({ ...props, ...Object.fromEntries(fields.filter((f) => where[f] !== undefined).map((f) => [f, where[f]])) }));

const elasticsearch = fc.record({
  host,
  port: opt(port),
  username: opt(fc.constantFrom('filebeat')),
  passwordSecret: opt(siemSecret),
  indexPrefix: opt(mostly(fc.constantFrom('security-logs'), 'Security Logs', '')),
  dateFormat: opt(mostly(fc.constantFrom('%Y.%m.%d', '%Y.%m'), '%s', '')),
  tls: opt(fc.boolean()),
}, { requiredKeys: ['host'] });

/** A public construct used on its own, outside a stack, and arbitrary props for it. */
export interface StandaloneConstruct {
  readonly name: string;
  readonly props: fc.Arbitrary<any>;
  readonly build: (scope: Construct, props: any) => void;
}

/** Every public construct the stack composes, used on its own. Adding a component is one entry. */
export const STANDALONE: StandaloneConstruct[] = [
  { name: 'FalcoDeployment', props: placed(falcoOptions, ['name', 'namespace', 'labels']), build: (s, p) => new FalcoDeployment(s, 'falco', p) },
  { name: 'ApiServerAudit', props: placed(auditOptions, ['namespace', 'labels']), build: (s, p) => new ApiServerAudit(s, 'audit', p) },
  { name: 'SiemPipeline', props: placed(siemProps, ['name', 'namespace']), build: (s, p) => new SiemPipeline(s, 'siem', p) },
  {
    name: 'FilebeatPipeline',
    props: placed(fc.record({ elasticsearch, sources: opt(fc.array(source, { maxLength: 3 })), image }, { requiredKeys: ['elasticsearch'] }), ['name', 'namespace']),
    build: (s, p) => new FilebeatPipeline(s, 'filebeat', p),
  },
  { name: 'PagerDutyAlerting', props: placed(alertingProps, ['name', 'namespace']), build: (s, p) => new PagerDutyAlerting(s, 'alerting', p) },
  { name: 'AnomalyDetector', props: placed(anomalyOptions, ['name', 'namespace', 'labels']), build: (s, p) => new AnomalyDetector(s, 'anomaly', p) },
];
