import { createHash } from 'crypto';
import { Chart, Duration, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { parse } from 'yaml';
import {
  PrometheusSelector, SecurityMonitoringStack, SecurityMonitoringStackProps,
  SiemAwsCredentials, SiemDestination, SiemPipeline, SiemPipelineProps, SiemS3Compression, SiemSource, SiemSyslogFormat, SiemSyslogTransport,
} from '../../src';
import { DEFAULT_AUDIT_LOG_PATH } from '../../src/common/audit-log';
import { expectDeterministic, expectValidManifests, findObject, Manifest, synth } from '../util';

/** The container id part of a kubelet log file name, as a glob. */
const CONTAINER_ID = '?'.repeat(64);
const TOKEN = { secretName: 'splunk-hec', key: 'token' };
const PASSWORD = { secretName: 'es-credentials', key: 'password' };
const splunk = (extra: Partial<Parameters<typeof SiemDestination.splunkHec>[0]> = {}) =>
  SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: TOKEN, ...extra });
const elastic = (extra: Partial<Parameters<typeof SiemDestination.elasticsearch>[0]> = {}) =>
  SiemDestination.elasticsearch({ host: 'es.example.com', username: 'fluent-bit', passwordSecret: PASSWORD, ...extra });

function stackWith(siem: SiemPipelineProps, props: SecurityMonitoringStackProps = {}, chart: Chart = Testing.chart()) {
  return new SecurityMonitoringStack(chart, 'stack', { ...props, siem });
}

/** The Fluent Bit config as Fluent Bit reads it: the YAML file in the ConfigMap. */
function configOf(manifests: Manifest[]): any {
  return parse(findObject(manifests, 'ConfigMap', 'fluent-bit').data['fluent-bit.yaml']);
}

const outputsOf = (config: any, name?: string) => config.pipeline.outputs.filter((o: any) => name === undefined || o.name === name);

describe('SiemPipeline in a stack with a Splunk destination', () => {
  const stack = stackWith({ destinations: [splunk()] });
  const manifests = synth(stack);
  const config = configOf(manifests);
  const daemonSet = findObject(manifests, 'DaemonSet', 'fluent-bit');
  const pod = daemonSet.spec.template.spec;
  const container = pod.containers[0];

  test('every object validates against its schema', () => {
    expectValidManifests(manifests);
  });

  test('runs in its own privileged namespace, because it needs hostPath volumes', () => {
    const namespace = findObject(manifests, 'Namespace', 'security-logging');
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    for (const kind of ['DaemonSet', 'ConfigMap', 'ServiceAccount', 'Service']) {
      expect(findObject(manifests, kind, 'fluent-bit').metadata.namespace).toBe('security-logging');
    }
    expect(stack.siem!.namespace).toBe('security-logging');
  });

  test('ships container logs, the audit log and Falco events by default', () => {
    expect(stack.siem!.logTypes).toEqual(['container', 'security_audit', 'falco']);
    expect(config.pipeline.inputs.map((i: any) => [i.tag, i.path])).toEqual([
      ['container.*', '/var/log/containers/*.log'],
      ['security_audit.*', DEFAULT_AUDIT_LOG_PATH],
      ['falco.*', `/var/log/containers/*_falco_falco-${CONTAINER_ID}.log`],
    ]);
  });

  test('names each input by its log type, so Fluent Bit metrics say which source read what', () => {
    expect(config.pipeline.inputs.map((i: any) => i.alias)).toEqual(['container', 'security_audit', 'falco']);
  });

  test('container logs skip the Falco files that the Falco source ships', () => {
    expect(config.pipeline.inputs[0].exclude_path).toBe(`/var/log/containers/*_falco_falco-${CONTAINER_ID}.log`);
    expect(config.pipeline.inputs[0]['multiline.parser']).toBe('cri, docker');
  });

  test('parses the audit log as JSON, timed by the event\'s stageTimestamp rather than by when it was read', () => {
    expect(config.parsers).toEqual([{
      name: 'siem_json', format: 'json', time_key: 'stageTimestamp', time_format: '%Y-%m-%dT%H:%M:%S.%LZ', time_keep: 'on',
    }]);
    expect(config.pipeline.inputs[1].parser).toBe('siem_json');
  });

  test('every input buffers on disk and keeps its offsets in its own database on the host', () => {
    for (const input of config.pipeline.inputs) {
      expect(input).toMatchObject({ 'name': 'tail', 'storage.type': 'filesystem', 'skip_long_lines': 'on', 'db.locking': 'on' });
      expect(input.db).toBe(`/var/lib/fluent-bit/tail-${input.tag.replace('.*', '')}.db`);
    }
    expect(config.service['storage.path']).toBe('/var/lib/fluent-bit/storage/');
    const state = pod.volumes.find((v: any) => v.name === 'state');
    expect(state.hostPath).toEqual({ path: '/var/lib/fluent-bit/security-logging-fluent-bit', type: 'DirectoryOrCreate' });
    expect(container.volumeMounts).toContainEqual({ name: 'state', mountPath: '/var/lib/fluent-bit' });
  });

  test('files the tail database has no offset for are read from their head: nothing a pod wrote while Fluent Bit was down is lost', () => {
    for (const input of config.pipeline.inputs) expect(input).toMatchObject({ read_from_head: 'on', db: expect.stringMatching(/\.db$/) });
  });

  test('read buffers hold the longest line of each source: audit events up to the API server\'s 1 MiB, 16 KiB container lines in either runtime format', () => {
    // CRI and Docker json-file (output escaped up to 6 bytes per byte) of a 16 KiB line; the audit log's 1 MiB event; plus newline and NUL.
    // In bytes: Fluent Bit reads "1025K" as 1,025,000.
    expect(config.pipeline.inputs.map((i: any) => [i.alias, i.buffer_max_size])).toEqual([
      ['container', 98562], ['security_audit', 1048578], ['falco', 98562],
    ]);
    expect(stack.auditPolicy!.apiServerFlags()).toContain('--audit-log-truncate-max-event-size=1048576');
  });

  test('bounds the retry back-off and enables health and metrics endpoints', () => {
    expect(config.service).toMatchObject({
      'flush': 1,
      'http_server': 'on',
      'http_port': 2020,
      'health_check': 'on',
      'scheduler.base': 5,
      'scheduler.cap': 300,
      'storage.sync': 'normal',
    });
  });

  test('tags every record with log_type after the kubernetes filter, so a workload cannot override it', () => {
    const filters = config.pipeline.filters.map((f: any) => `${f.name} ${f.match}`);
    expect(filters).toEqual([
      'kubernetes container.*', 'modify container.*', 'modify security_audit.*', 'kubernetes falco.*', 'modify falco.*',
    ]);
    expect(config.pipeline.filters.filter((f: any) => f.name === 'modify').map((f: any) => f.set))
      .toEqual(['log_type container', 'log_type security_audit', 'log_type falco']);
  });

  test('a workload cannot exclude its logs or choose their parser', () => {
    for (const filter of config.pipeline.filters.filter((f: any) => f.name === 'kubernetes')) {
      expect(filter).toMatchObject({ 'k8s-logging.exclude': 'off', 'k8s-logging.parser': 'off', 'merge_log': 'on' });
      expect(filter.kube_tag_prefix).toBe(`${filter.match.replace('*', '')}var.log.containers.`);
    }
  });

  test('one Splunk output per log type, with TLS verified and unlimited retries', () => {
    const outputs = outputsOf(config, 'splunk');
    expect(outputs.map((o: any) => o.match)).toEqual(['container.*', 'security_audit.*', 'falco.*']);
    for (const output of outputs) {
      expect(output).toMatchObject({
        'host': 'splunk.example.com',
        'port': 8088,
        'splunk_token': '${SIEM_DEST1_SPLUNK_TOKEN}',
        'event_sourcetype_key': '$log_type',
        'tls': 'on',
        'tls.verify': 'on',
        'retry_limit': 'no_limits',
        'storage.total_limit_size': '1G',
      });
      expect(output.event_index).toBeUndefined();
    }
  });

  test('passes the token from its Secret as an environment variable', () => {
    expect(container.env).toEqual([{ name: 'SIEM_DEST1_SPLUNK_TOKEN', valueFrom: { secretKeyRef: { name: 'splunk-hec', key: 'token' } } }]);
  });

  test('least-privilege RBAC: read pods and namespaces, nothing else', () => {
    const role = findObject(manifests, 'ClusterRole');
    expect(role.metadata.name).toBe('security-monitoring-fluent-bit');
    expect(role.metadata.namespace).toBeUndefined();
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['get', 'list', 'watch'] }]);
    const binding = findObject(manifests, 'ClusterRoleBinding');
    expect(binding.metadata.namespace).toBeUndefined();
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'security-monitoring-fluent-bit' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'fluent-bit', namespace: 'security-logging' }]);
    expect(pod.serviceAccountName).toBe('fluent-bit');
  });

  test('locks the container down: no capabilities, read-only root and host mounts, RuntimeDefault seccomp', () => {
    expect(container.image).toBe('cr.fluentbit.io/fluent/fluent-bit:5.1.1');
    expect(container.args).toEqual(['--workdir=/fluent-bit/etc', '--config=/fluent-bit/etc/conf/fluent-bit.yaml']);
    expect(container.securityContext).toMatchObject({
      privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(container.volumeMounts).toContainEqual({ name: 'varlog', mountPath: '/var/log', readOnly: true });
    expect(container.volumeMounts).toContainEqual({ name: 'config', mountPath: '/fluent-bit/etc/conf', readOnly: true });
    expect(container.resources.limits).toEqual({ cpu: '1', memory: '512Mi' });
  });

  test('a NetworkPolicy admits ingress only on the health and metrics port', () => {
    const policy = findObject(manifests, 'NetworkPolicy', 'fluent-bit');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'fluent-bit', 'app.kubernetes.io/instance': 'fluent-bit' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 2020, protocol: 'TCP' }] }],
    });
  });

  test('runs on every node, control-plane nodes included', () => {
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('readiness reads /api/v2/health, liveness only that the process answers', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/api/v2/health', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/', port: 'http' });
    const service = findObject(manifests, 'Service', 'fluent-bit');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 2020, targetPort: 'http' }]);
    expect(service.spec.selector).toEqual(daemonSet.spec.selector.matchLabels);
    expect(service.spec.publishNotReadyAddresses).toBe(true);
  });

  test('the pod template carries the sha256 of the config, so a config change rolls the pods', () => {
    const text = findObject(manifests, 'ConfigMap', 'fluent-bit').data['fluent-bit.yaml'];
    expect(daemonSet.spec.template.metadata.annotations['checksum/config']).toBe(createHash('sha256').update(text).digest('hex'));
    const other = synth(stackWith({ destinations: [splunk({ index: 'other' })] }));
    expect(findObject(other, 'DaemonSet', 'fluent-bit').spec.template.metadata.annotations['checksum/config'])
      .not.toBe(daemonSet.spec.template.metadata.annotations['checksum/config']);
  });

  test('carries the stack labels', () => {
    expect(daemonSet.metadata.labels).toMatchObject({
      'app.kubernetes.io/part-of': 'security-monitoring', 'app.kubernetes.io/component': 'siem', 'app.kubernetes.io/name': 'fluent-bit',
    });
  });

  test('synthesizes byte-identical YAML twice', () => {
    expectDeterministic(() => stackWith({ destinations: [splunk(), elastic()] }));
  });

  test('matches the snapshot', () => {
    expect(manifests.filter((m) => m.metadata.labels?.['app.kubernetes.io/component'] === 'siem')).toMatchSnapshot();
  });
});

describe('secrets', () => {
  test('no secret value appears in any synthesized object except the Secret itself', () => {
    const chart = Testing.chart();
    const values = ['hec-token-4f1d2a', 'es-password-9c8b7a', 'loki-password-1a2b3c'];
    new k8s.KubeSecret(chart, 'user-secret', {
      metadata: { name: 'siem-credentials', namespace: 'security-logging' },
      stringData: { token: values[0], password: values[1], loki: values[2] },
    });
    const creds = (key: string) => ({ secretName: 'siem-credentials', key });
    stackWith({
      destinations: [
        SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: creds('token') }),
        SiemDestination.elasticsearch({ host: 'es.example.com', username: 'ship', passwordSecret: creds('password') }),
        SiemDestination.loki({ host: 'loki.example.com', username: 'ship', passwordSecret: creds('loki') }),
      ],
    }, {}, chart);
    const manifests = synth(chart);
    const others = JSON.stringify(manifests.filter((m) => m.kind !== 'Secret'));
    for (const value of values) expect(others).not.toContain(value);
    const config = configOf(manifests);
    expect(outputsOf(config, 'es')[0].http_passwd).toBe('${SIEM_DEST2_PASSWORD}');
    expect(outputsOf(config, 'loki')[0].http_passwd).toBe('${SIEM_DEST3_PASSWORD}');
    expect(findObject(manifests, 'DaemonSet', 'fluent-bit').spec.template.spec.containers[0].env.map((e: any) => [e.name, e.valueFrom.secretKeyRef.key]))
      .toEqual([['SIEM_DEST1_SPLUNK_TOKEN', 'token'], ['SIEM_DEST2_PASSWORD', 'password'], ['SIEM_DEST3_PASSWORD', 'loki']]);
  });
});

describe('destinations', () => {
  const render = (...destinations: SiemDestination[]) => configOf(synth(stackWith({ destinations })));

  test('Elasticsearch: daily indices, no mapping type, ids against duplicates after restarts', () => {
    const [output] = outputsOf(render(elastic()), 'es');
    expect(output).toMatchObject({
      'host': 'es.example.com',
      'port': 9200,
      'logstash_format': 'on',
      'logstash_prefix': 'security-logs',
      'logstash_dateformat': '%Y.%m.%d',
      'suppress_type_name': 'on',
      // A re-sent record keeps its _id and overwrites itself (200); `create` would answer 409 and be retried forever.
      'generate_id': 'on',
      'write_operation': 'index',
      'http_user': 'fluent-bit',
      'http_passwd': '${SIEM_DEST1_PASSWORD}',
      'tls': 'on',
      'tls.verify': 'on',
    });
  });

  test('Elasticsearch: index prefix, date format and indices per log type', () => {
    const outputs = outputsOf(render(elastic({ indexPrefix: 'sec', dateFormat: '%Y-%m', indexPerLogType: true, port: 443 })), 'es');
    expect(outputs.map((o: any) => o.logstash_prefix)).toEqual(['sec-container', 'sec-security-audit', 'sec-falco']);
    expect(outputs[0]).toMatchObject({ logstash_dateformat: '%Y-%m', port: 443 });
  });

  test('OpenSearch uses the opensearch output with the same layout', () => {
    const [output] = outputsOf(render(SiemDestination.openSearch({ host: 'os.example.com' })), 'opensearch');
    expect(output).toMatchObject({ 'logstash_prefix': 'security-logs', 'generate_id': 'on', 'suppress_type_name': 'on', 'tls.verify': 'on' });
    expect(output.http_user).toBeUndefined();
  });

  test('HTTP posts JSON to the given path', () => {
    const [output] = outputsOf(render(SiemDestination.http({ host: 'collector.example.com', path: '/ingest' })), 'http');
    expect(output).toMatchObject({ 'host': 'collector.example.com', 'port': 443, 'uri': '/ingest', 'format': 'json', 'tls.verify': 'on' });
  });

  test('HTTP: a path that carries its credential comes from a Secret, as a ${VARIABLE} Fluent Bit fills in', () => {
    const manifests = synth(stackWith({ destinations: [SiemDestination.http({ host: 'collector.example.com', pathSecret: { secretName: 'collector', key: 'ingest-path' } })] }));
    const [output] = outputsOf(configOf(manifests), 'http');
    expect(output.uri).toBe('${SIEM_DEST1_URI}');
    expect(findObject(manifests, 'DaemonSet', 'fluent-bit').spec.template.spec.containers[0].env)
      .toEqual([{ name: 'SIEM_DEST1_URI', valueFrom: { secretKeyRef: { name: 'collector', key: 'ingest-path' } } }]);
    expect(() => SiemDestination.http({ host: 'collector.example.com', path: '/ingest?token=hunter2' })).toThrow(
      'SiemDestination.http: path contains a credential query parameter, which would be written into the manifests (got "/ingest?token=***"): '
      + 'pass pathSecret: { secretName, key } of a Secret that holds the value instead');
  });

  test('Loki labels each stream with its log type', () => {
    const outputs = outputsOf(render(SiemDestination.loki({ host: 'loki.example.com', tenantId: 'security' })), 'loki');
    expect(outputs.map((o: any) => o.labels)).toEqual([
      'job=fluent-bit, log_type=container', 'job=fluent-bit, log_type=security_audit', 'job=fluent-bit, log_type=falco',
    ]);
    expect(outputs[0]).toMatchObject({ port: 3100, tenant_id: 'security', line_format: 'json' });
  });

  test('Kafka: JSON messages, TLS verified and SASL through librdkafka settings', () => {
    const [output] = outputsOf(render(SiemDestination.kafka({ brokers: ['k0.example.com:9093', 'k1.example.com:9093'], username: 'ship', passwordSecret: PASSWORD })), 'kafka');
    expect(output).toEqual({
      'name': 'kafka',
      'match': 'container.*',
      'brokers': 'k0.example.com:9093,k1.example.com:9093',
      'topics': 'security-logs',
      'format': 'json',
      'rdkafka.sasl.mechanisms': 'SCRAM-SHA-512',
      'rdkafka.sasl.username': 'ship',
      'rdkafka.sasl.password': '${SIEM_DEST1_PASSWORD}',
      'rdkafka.security.protocol': 'sasl_ssl',
      'rdkafka.enable.ssl.certificate.verification': 'true',
      'retry_limit': 'no_limits',
      'storage.total_limit_size': '1G',
    });
    const plain = outputsOf(render(SiemDestination.kafka({ brokers: ['k:9092'], topic: 'audit', tls: false })), 'kafka')[0];
    expect(plain).toMatchObject({ 'topics': 'audit', 'rdkafka.security.protocol': 'plaintext' });
    expect(plain['rdkafka.enable.ssl.certificate.verification']).toBeUndefined();
    expect(outputsOf(render(SiemDestination.kafka({ brokers: ['k:9093'], insecureSkipTlsVerify: true })), 'kafka')[0])
      .toMatchObject({ 'rdkafka.security.protocol': 'ssl', 'rdkafka.enable.ssl.certificate.verification': 'false' });
  });

  test('Splunk: index per log type, fixed sourcetype', () => {
    const outputs = outputsOf(render(splunk({ index: 'k8s', indexByLogType: { security_audit: 'k8s_audit' }, sourcetype: 'kube:log' })));
    expect(outputs.map((o: any) => o.event_index)).toEqual(['k8s', 'k8s_audit', 'k8s']);
    expect(outputs[0].event_sourcetype).toBe('kube:log');
    expect(outputs[0].event_sourcetype_key).toBeUndefined();
  });

  test('routes only the chosen log types', () => {
    const config = render(splunk({ logTypes: ['falco', 'security_audit'] }), elastic());
    expect(outputsOf(config, 'splunk').map((o: any) => o.match)).toEqual(['security_audit.*', 'falco.*']);
    expect(outputsOf(config, 'es')).toHaveLength(3);
  });

  test('retry limit and disk buffer are configurable', () => {
    const [output] = outputsOf(render(splunk({ retryLimit: 50, bufferLimit: '5G' })));
    expect(output).toMatchObject({ 'retry_limit': 50, 'storage.total_limit_size': '5G' });
  });

  test.each([
    ['splunkHec', splunk], ['elasticsearch', elastic],
    ['openSearch', (o: object) => SiemDestination.openSearch({ host: 'os', ...o })],
    ['http', (o: object) => SiemDestination.http({ host: 'h', ...o })],
    ['loki', (o: object) => SiemDestination.loki({ host: 'l', ...o })],
  ])('%s: TLS verified by default, verification off only by explicit opt-out, plain text on request', (_name, make) => {
    expect(outputsOf(render(make({})))[0]).toMatchObject({ 'tls': 'on', 'tls.verify': 'on' });
    expect(outputsOf(render(make({ insecureSkipTlsVerify: true })))[0]).toMatchObject({ 'tls': 'on', 'tls.verify': 'off' });
    const plain = outputsOf(render(make({ tls: false })))[0];
    expect(plain.tls).toBe('off');
    expect(plain['tls.verify']).toBeUndefined();
  });
});

describe('sources', () => {
  const render = (sources: SiemSource[], props: SecurityMonitoringStackProps = {}) =>
    configOf(synth(stackWith({ destinations: [splunk()], sources }, props)));

  test('host files by glob, e.g. auditd logs', () => {
    const config = render([SiemSource.hostFiles({ glob: '/var/log/audit/*.log', logType: 'host_audit' })]);
    expect(config.pipeline.inputs).toEqual([expect.objectContaining({ tag: 'host_audit.*', path: '/var/log/audit/*.log', db: '/var/lib/fluent-bit/tail-host_audit.db' })]);
    expect(config.pipeline.filters).toEqual([{ name: 'modify', match: 'host_audit.*', set: 'log_type host_audit' }]);
  });

  test('audit log path follows the API server flag', () => {
    const config = render([SiemSource.auditLog({ path: '/var/log/kube-apiserver/audit.log' })]);
    expect(config.pipeline.inputs[0].path).toBe('/var/log/kube-apiserver/audit.log');
  });

  test('Falco events follow the stack\'s Falco namespace, or the one given', () => {
    expect(render([SiemSource.falcoEvents()], { falcoNamespace: 'runtime-security' }).pipeline.inputs[0].path)
      .toBe(`/var/log/containers/*_runtime-security_falco-${CONTAINER_ID}.log`);
    expect(render([SiemSource.falcoEvents({ namespace: 'sec', containerName: 'agent' })]).pipeline.inputs[0].path)
      .toBe(`/var/log/containers/*_sec_agent-${CONTAINER_ID}.log`);
  });

  test('container logs exclude nothing without a Falco source', () => {
    expect(render([SiemSource.containerLogs()]).pipeline.inputs[0].exclude_path).toBeUndefined();
  });

  test('each source\'s read buffer follows its longest line', () => {
    const config = render([
      SiemSource.containerLogs({ maxLineBytes: 64 * 1024 }),
      SiemSource.falcoEvents({ maxLineBytes: 8 * 1024 }),
      SiemSource.hostFiles({ glob: '/var/log/audit/*.log' }),
      SiemSource.hostFiles({ glob: '/var/log/app/*.log', logType: 'app', maxLineBytes: 1024 }),
    ]);
    // 6 x 64 KiB + 256 + 2; 6 x 8 KiB + 258; 64 KiB + 2; never below Fluent Bit's 32 KiB buffer_chunk_size.
    expect(config.pipeline.inputs.map((i: any) => i.buffer_max_size)).toEqual([393474, 49410, 65538, 32768]);
  });

  test('the audit source follows the stack\'s audit policy, and may read more but not less', () => {
    const audit = (auditLog: Parameters<typeof SiemSource.auditLog>[0], auditPolicy: SecurityMonitoringStackProps['auditPolicy']) =>
      render([SiemSource.auditLog(auditLog)], { auditPolicy }).pipeline.inputs[0].buffer_max_size;
    expect(audit({}, { maxEventBytes: 2 * 1024 * 1024 })).toBe(2097154);
    expect(audit({ maxEventBytes: 4 * 1024 * 1024 }, { maxEventBytes: 2 * 1024 * 1024 })).toBe(4194306);
    // Without an audit policy in the stack, the source reads the library's default.
    expect(audit({}, { enabled: false })).toBe(1048578);
    expect(() => audit({ maxEventBytes: 512 * 1024 }, { maxEventBytes: 2 * 1024 * 1024 })).toThrow(
      "test/stack/siem: auditLog maxEventBytes is smaller than the audit policy's maxEventBytes (2097152), so larger events would be skipped (got 524288): " +
      'leave auditLog maxEventBytes unset to follow the audit policy, or lower auditPolicy.maxEventBytes to 524288');
  });
});

describe('standalone SiemPipeline', () => {
  test('works outside a stack, with its own labels and a ServiceMonitor', () => {
    const chart = Testing.chart();
    new SiemPipeline(chart, 'siem', {
      destinations: [splunk()],
      namespace: 'logging',
      name: 'shipper',
      serviceMonitor: PrometheusSelector.kubePrometheusStack('kps'),
      retryBackoffBase: Duration.seconds(2),
      retryBackoffCap: Duration.minutes(1),
    });
    const manifests = synth(chart);
    expectValidManifests(manifests);
    expect(manifests.filter((m) => m.kind === 'Namespace')).toEqual([]);
    const monitor = findObject(manifests, 'ServiceMonitor', 'shipper');
    expect(monitor.metadata).toMatchObject({ namespace: 'logging', labels: { release: 'kps' } });
    expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/api/v2/metrics/prometheus' }]);
    const config = parse(findObject(manifests, 'ConfigMap', 'shipper').data['fluent-bit.yaml']);
    expect(config.service).toMatchObject({ 'scheduler.base': 2, 'scheduler.cap': 60 });
    expect(config.pipeline.inputs[2].path).toBe(`/var/log/containers/*_falco_falco-${CONTAINER_ID}.log`);
  });
});

describe('invalid input', () => {
  const build = (siem: Partial<SiemPipelineProps>) => () => stackWith({ destinations: [splunk()], ...siem });
  const where = 'test/stack/siem';

  test.each<[string, Partial<SiemPipelineProps>, string]>([
    ['no destinations', { destinations: [] },
      `${where}: destinations is empty (got []): add at least one destination, e.g. SiemDestination.splunkHec({...}), or leave the SIEM pipeline out`],
    ['a host with a scheme', { destinations: [SiemDestination.splunkHec({ host: 'https://splunk:8088', tokenSecret: TOKEN })] },
      `${where}: splunkHec host is not a host name or IPv4 address (got "https://splunk:8088"): give the host only, without scheme, port or path, e.g. "splunk.example.com" (the port has its own field)`],
    ['an empty host', { destinations: [SiemDestination.loki({ host: '' })] },
      `${where}: loki host is not a host name or IPv4 address (got ""): give the host only, without scheme, port or path, e.g. "splunk.example.com" (the port has its own field)`],
    ['a bad port', { destinations: [splunk({ port: 70000 })] },
      `${where}: splunkHec port is not a valid port (got 70000): use an integer from 1 to 65535`],
    ['a bad Splunk index', { destinations: [splunk({ index: '_Audit' })] },
      `${where}: splunkHec index is not a valid Splunk index name (got "_Audit"): use at most 80 lowercase letters, digits, '_' or '-', not starting with '_' or '-'`],
    ['an uppercase index prefix', { destinations: [elastic({ indexPrefix: 'Security' })] },
      `${where}: elasticsearch indexPrefix is not a valid index name prefix (got "Security"): use lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. "security-logs"`],
    ['a date format with month names', { destinations: [elastic({ dateFormat: '%Y.%b' })] },
      `${where}: elasticsearch dateFormat is not an index date format (got "%Y.%b"): use numeric strftime conversions (%Y %y %m %d %H %j %V %G %g %U %W %u %w) joined by '.', '-' or '_', e.g. "%Y.%m.%d"`],
    ['a bad buffer size', { destinations: [splunk({ bufferLimit: '5 gigs' })] },
      `${where}: splunkHec bufferLimit is not a Fluent Bit unit size (got "5 gigs"): use a positive whole number with a unit K, M or G, e.g. "512K", "5M", "1G"`],
    ['a zero retry limit', { destinations: [splunk({ retryLimit: 0 })] },
      `${where}: splunkHec retryLimit is out of range (got 0): use a whole number from 1 to 1000000`],
    ['skipping TLS verification without TLS', { destinations: [splunk({ tls: false, insecureSkipTlsVerify: true })] },
      `${where}: splunkHec insecureSkipTlsVerify needs tls (got true): remove insecureSkipTlsVerify: without TLS there is no certificate to verify`],
    ['a password without user', { destinations: [SiemDestination.http({ host: 'h', passwordSecret: PASSWORD })] },
      `${where}: http username and passwordSecret go together (got {"secretName":"es-credentials","key":"password"}): set both username and passwordSecret, or neither`],
    ['a bad Secret name', { destinations: [SiemDestination.splunkHec({ host: 'h', tokenSecret: { secretName: 'Splunk_HEC', key: 'token' } })] },
      `${where}: splunkHec tokenSecret.secretName is not a valid DNS-1123 subdomain (got "Splunk_HEC"): use at most 253 characters: dot-separated labels of lowercase letters, digits or '-', each starting and ending with a letter or digit`],
    ['a Kafka broker without port', { destinations: [SiemDestination.kafka({ brokers: ['kafka.example.com'] })] },
      `${where}: kafka broker is not "host:port" (got "kafka.example.com"): write each broker as "host:port", e.g. "kafka-0.example.com:9093"`],
    ['a relative http path', { destinations: [SiemDestination.http({ host: 'h', path: 'ingest' })] },
      `${where}: http path is not an absolute path (got "ingest"): start it with "/", e.g. "/ingest"`],
    ['routing an unknown log type', { destinations: [splunk({ logTypes: ['audit'] })] },
      `${where}: splunkHec logTypes names a log type no source produces (got "audit"): use one of "container", "security_audit", "falco", or add a source with that logType`],
    ['a glob outside /var/log', { sources: [SiemSource.hostFiles({ glob: '/etc/*.log', logType: 'etc' })] },
      `${where}: hostFiles glob is not a file or glob under /var/log (got "/etc/*.log"): use an absolute path below /var/log without commas, spaces or "..", e.g. "/var/log/audit/*.log": the pipeline mounts only /var/log from the host`],
    ['an audit path escaping /var/log', { sources: [SiemSource.auditLog({ path: '/var/log/../etc/shadow' })] },
      `${where}: auditLog path is not a file or glob under /var/log (got "/var/log/../etc/shadow"): use an absolute path below /var/log without commas, spaces or "..", e.g. "/var/log/audit/*.log": the pipeline mounts only /var/log from the host`],
    ['two sources with one log type', { sources: [SiemSource.containerLogs(), SiemSource.hostFiles({ glob: '/var/log/x.log', logType: 'container' })] },
      `${where}: two sources have the same logType (got "container"): give each source its own logType option`],
    ['a bad log type', { sources: [SiemSource.containerLogs({ logType: 'Container-Logs' })] },
      `${where}: source logType is not a valid log type (got "Container-Logs"): use 1-63 lowercase letters, digits or '_', starting with a letter, e.g. "security_audit"`],
    ['an audit event limit below 16 KiB', { sources: [SiemSource.auditLog({ maxEventBytes: 4096 })] },
      `${where}: auditLog maxEventBytes is out of range (got 4096): use a whole number of bytes from 16384 (16 KiB) to 10485760 (10 MiB, the API server's default batch limit), e.g. 1048576`],
    ['containerd\'s "never split" -1', { sources: [SiemSource.containerLogs({ maxLineBytes: -1 })] },
      `${where}: containerLogs maxLineBytes is out of range (got -1): use a whole number from 1024 to 1048576`],
    ['a fractional Falco line size', { sources: [SiemSource.falcoEvents({ maxLineBytes: 1.5 })] },
      `${where}: falcoEvents maxLineBytes is out of range (got 1.5): use a whole number from 1024 to 1048576`],
    ['a host line size of 0', { sources: [SiemSource.hostFiles({ glob: '/var/log/x.log', maxLineBytes: 0 })] },
      `${where}: hostFiles maxLineBytes is out of range (got 0): use a whole number from 1024 to 16777216`],
    ['an unpinned image', { image: 'fluent/fluent-bit' },
      `${where}: image is not pinned to a version (got "fluent/fluent-bit"): use a pinned reference such as "cr.fluentbit.io/fluent/fluent-bit:5.1.1" or one with an @sha256: digest`],
    ['a floating latest tag', { image: 'fluent/fluent-bit:latest' },
      `${where}: image is not pinned to a version (got "fluent/fluent-bit:latest"): use a pinned reference such as "cr.fluentbit.io/fluent/fluent-bit:5.1.1" or one with an @sha256: digest`],
    ['a retry cap below the base', { retryBackoffBase: Duration.seconds(30), retryBackoffCap: Duration.seconds(10) },
      `${where}: retryBackoffCap is shorter than retryBackoffBase (got "10s"): use a retryBackoffCap of at least Duration.seconds(30)`],
  ])('rejects %s', (_what, props, message) => {
    expect(build(props)).toThrow(message);
  });

  test('rejects a namespace the stack already declared restricted', () => {
    expect(() => stackWith({ destinations: [splunk()], namespace: 'security-monitoring' }))
      .toThrow('test/stack: namespace "security-monitoring" is already declared with Pod Security level "restricted" (got "privileged")');
  });
});

describe('SecurityMonitoringStack wiring', () => {
  test('ships nothing and declares no logging namespace without siem', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack');
    expect(stack.siem).toBeUndefined();
    expect(synth(stack).filter((m) => m.metadata.labels?.['app.kubernetes.io/component'] === 'siem' || m.metadata.name === 'security-logging')).toEqual([]);
  });

  test('creates the pipeline with the stack\'s Falco namespace and labels', () => {
    const stack = stackWith({ destinations: [splunk()], namespace: 'shipping' }, { falcoNamespace: 'runtime', name: 'prod', labels: { team: 'sec' } });
    const manifests = synth(stack);
    expect(stack.siem).toBeInstanceOf(SiemPipeline);
    expect(stack.podSecurityLevelOf('shipping')).toBe('privileged');
    expect(configOf(manifests).pipeline.inputs[2].path).toBe(`/var/log/containers/*_runtime_falco-${CONTAINER_ID}.log`);
    expect(findObject(manifests, 'DaemonSet', 'fluent-bit').metadata.labels).toMatchObject({ 'team': 'sec', 'app.kubernetes.io/part-of': 'prod' });
    expectValidManifests(manifests);
  });
});

describe('syslog destination', () => {
  const render = (...destinations: SiemDestination[]) => configOf(synth(stackWith({ destinations })));

  test('TCP with verified TLS on port 6514 by default, RFC 5424, one output per log type named by APP-NAME', () => {
    const outputs = outputsOf(render(SiemDestination.syslog({ host: 'syslog.example.com' })), 'syslog');
    expect(outputs.map((o: any) => [o.match, o.syslog_appname_preset])).toEqual([
      ['container.*', 'container'], ['security_audit.*', 'security_audit'], ['falco.*', 'falco'],
    ]);
    expect(outputs[0]).toMatchObject({
      'host': 'syslog.example.com',
      'port': 6514,
      'mode': 'tls',
      'tls': 'on',
      'tls.verify': 'on',
      'syslog_format': 'rfc5424',
      'syslog_maxsize': 8192,
      'syslog_message_key': 'message',
      'syslog_severity_key': 'severity',
      'syslog_hostname_key': 'hostname',
      'retry_limit': 'no_limits',
      'storage.total_limit_size': '1G',
    });
  });

  test('the message is built by a Lua processor on the syslog output only, not by a filter every destination sees', () => {
    const config = render(SiemDestination.syslog({ host: 'syslog.example.com' }), splunk());
    const [syslog] = outputsOf(config, 'syslog');
    expect(syslog.processors.logs).toEqual([expect.objectContaining({ name: 'lua', call: 'siem_syslog_message' })]);
    expect(syslog.processors.logs[0].code).toContain('function siem_syslog_message(tag, timestamp, record)');
    expect(outputsOf(config, 'splunk')[0].processors).toBeUndefined();
    expect(config.pipeline.filters.map((f: any) => f.name)).not.toContain('lua');
  });

  test('plain TCP on 514, RFC 3164, UDP only without TLS', () => {
    const [tcp] = outputsOf(render(SiemDestination.syslog({ host: 'syslog', tls: false, format: SiemSyslogFormat.RFC3164 })), 'syslog');
    expect(tcp).toMatchObject({ mode: 'tcp', port: 514, tls: 'off', syslog_format: 'rfc3164' });
    expect(tcp['tls.verify']).toBeUndefined();
    const [udp] = outputsOf(render(SiemDestination.syslog({ host: 'syslog', transport: SiemSyslogTransport.UDP, tls: false })), 'syslog');
    expect(udp).toMatchObject({ mode: 'udp', port: 514, syslog_maxsize: 2048 });
    expect(() => render(SiemDestination.syslog({ host: 'syslog', transport: SiemSyslogTransport.UDP })))
      .toThrow('test/stack/siem: syslog over UDP cannot use TLS (got undefined): set tls: false to send plain-text UDP (no delivery guarantee), or use SiemSyslogTransport.TCP with TLS');
  });

  test('validates host, port, message size and enums', () => {
    expect(() => render(SiemDestination.syslog({ host: 'tcp://syslog:514' }))).toThrow('syslog host is not a host name or IPv4 address');
    expect(() => render(SiemDestination.syslog({ host: 'syslog', port: 0 }))).toThrow('syslog port is not a valid port (got 0)');
    expect(() => render(SiemDestination.syslog({ host: 'syslog', maxMessageBytes: 100 }))).toThrow('syslog maxMessageBytes is out of range (got 100): use a whole number from 480 to 1048576');
    expect(() => render(SiemDestination.syslog({ host: 'syslog', format: 'rfc5425' as any }))).toThrow('syslog format is not a SiemSyslogFormat (got "rfc5425")');
    expect(() => render(SiemDestination.syslog({ host: 'syslog', transport: 'tls' as any }))).toThrow('syslog transport is not a SiemSyslogTransport (got "tls")');
  });
});

describe('S3 archive destination', () => {
  const archive = (extra: Partial<Parameters<typeof SiemDestination.s3>[0]> = {}) => SiemDestination.s3({
    bucket: 'security-archive', region: 'eu-west-1', credentials: SiemAwsCredentials.podIdentity(), ...extra,
  });
  const manifestsWith = (...destinations: SiemDestination[]) => synth(stackWith({ destinations }));

  test('gzip JSON lines per log type, buffered in the node state directory with bounded disk and retries', () => {
    const outputs = outputsOf(configOf(manifestsWith(archive())), 's3');
    expect(outputs.map((o: any) => o.s3_key_format)).toEqual([
      '/security-logs/container/%Y/%m/%d/%H/%M-$UUID.jsonl.gz',
      '/security-logs/security_audit/%Y/%m/%d/%H/%M-$UUID.jsonl.gz',
      '/security-logs/falco/%Y/%m/%d/%H/%M-$UUID.jsonl.gz',
    ]);
    expect(outputs[0]).toEqual({
      'name': 's3',
      'match': 'container.*',
      'bucket': 'security-archive',
      'region': 'eu-west-1',
      's3_key_format': '/security-logs/container/%Y/%m/%d/%H/%M-$UUID.jsonl.gz',
      'compression': 'gzip',
      'total_file_size': '100M',
      'upload_timeout': '10m',
      'store_dir': '/var/lib/fluent-bit/s3/siem-dest1-container',
      'tls': 'on',
      'tls.verify': 'on',
      'retry_limit': 5,
      'retry_exhausted_action': 'quarantine',
      'store_dir_limit_size': '1G',
      'quarantine_dir_limit_size': '1G',
    });
    // Each output has its own buffer directory, and none uses the read-only root filesystem.
    expect(new Set(outputs.map((o: any) => o.store_dir)).size).toBe(3);
  });

  test('small files use PutObject; options reach the config', () => {
    const [output] = outputsOf(configOf(manifestsWith(archive({
      compression: SiemS3Compression.NONE, totalFileSize: '5M', uploadTimeout: Duration.minutes(1), retryLimit: 10, bufferLimit: '200M', keyFormat: '/a/$LOG_TYPE/$UUID',
    }))), 's3');
    expect(output).toMatchObject({ s3_key_format: '/a/container/$UUID', total_file_size: '5M', upload_timeout: '1m', use_put_object: 'on', retry_limit: 10, store_dir_limit_size: '200M' });
    expect(output.compression).toBeUndefined();
  });

  test('an upload timeout in whole minutes is written in minutes, any other in seconds (what Fluent Bit reads)', () => {
    const uploadTimeoutOf = (uploadTimeout: Duration) => outputsOf(configOf(manifestsWith(archive({ uploadTimeout }))), 's3')[0].upload_timeout;
    expect(uploadTimeoutOf(Duration.hours(2))).toBe('120m');
    expect(uploadTimeoutOf(Duration.seconds(90))).toBe(90);
  });

  test('static keys come from a Secret as the AWS SDK variables, never into the ConfigMap', () => {
    const manifests = manifestsWith(archive({
      credentials: SiemAwsCredentials.fromSecret({ secretName: 'aws', key: 'id' }, { secretName: 'aws', key: 'secret' }),
    }));
    const env = findObject(manifests, 'DaemonSet', 'fluent-bit').spec.template.spec.containers[0].env;
    expect(env.map((e: any) => [e.name, e.valueFrom.secretKeyRef])).toEqual([
      ['AWS_ACCESS_KEY_ID', { name: 'aws', key: 'id' }], ['AWS_SECRET_ACCESS_KEY', { name: 'aws', key: 'secret' }],
    ]);
    expect(findObject(manifests, 'ConfigMap', 'fluent-bit').data['fluent-bit.yaml']).not.toMatch(/AWS_|aws_access|secret/i);
  });

  test('IRSA annotates the ServiceAccount; pod identity renders nothing', () => {
    const irsa = manifestsWith(archive({ credentials: SiemAwsCredentials.irsa('arn:aws:iam::123456789012:role/siem-archive') }));
    expect(findObject(irsa, 'ServiceAccount', 'fluent-bit').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/siem-archive' });
    const pod = manifestsWith(archive());
    expect(findObject(pod, 'ServiceAccount', 'fluent-bit').metadata.annotations).toBeUndefined();
    expect(findObject(pod, 'DaemonSet', 'fluent-bit').spec.template.spec.containers[0].env ?? []).toEqual([]);
  });

  test('two archives must agree on credentials: one ServiceAccount and one set of AWS variables per pod', () => {
    const role = (name: string) => archive({ credentials: SiemAwsCredentials.irsa(`arn:aws:iam::123456789012:role/${name}`) });
    expect(() => manifestsWith(role('a'), role('b'))).toThrow('test/stack/siem: two destinations need different values of the ServiceAccount annotation eks.amazonaws.com/role-arn');
    const keys = (key: string) => archive({ credentials: SiemAwsCredentials.fromSecret({ secretName: 'aws', key }, { secretName: 'aws', key: 'secret' }) });
    expect(() => manifestsWith(keys('a'), keys('b'))).toThrow('test/stack/siem: two destinations read AWS_ACCESS_KEY_ID from different Secret keys');
    expect(() => manifestsWith(keys('a'), keys('a'))).not.toThrow();
  });

  test('validates bucket, region, role ARN, sizes, key format and TLS', () => {
    expect(() => manifestsWith(archive({ bucket: 's3://archive' }))).toThrow('s3 bucket is not a valid bucket name (got "s3://archive")');
    expect(() => manifestsWith(archive({ region: 'Ireland' }))).toThrow('s3 region is not an AWS region (got "Ireland")');
    expect(() => manifestsWith(archive({ credentials: SiemAwsCredentials.irsa('siem-archive') }))).toThrow('s3 credentials role ARN is not an IAM role ARN (got "siem-archive")');
    expect(() => manifestsWith(archive({ totalFileSize: '100G' }))).toThrow('s3 totalFileSize is out of range (got "100G"): use a size from "1M" to "50G"');
    expect(() => manifestsWith(archive({ keyFormat: 'logs/$UUID' }))).toThrow('s3 keyFormat is not an object key format (got "logs/$UUID")');
    expect(() => manifestsWith(archive({ tls: false }))).toThrow('s3 tls cannot be turned off (got false): remove tls: S3 is always reached over HTTPS');
    expect(() => manifestsWith(archive({ credentials: undefined as any }))).toThrow('s3 credentials is not a SiemAwsCredentials (got undefined)');
    expect(() => manifestsWith(archive({ uploadTimeout: Duration.seconds(30) })))
      .toThrow('s3 uploadTimeout must be a whole number of seconds, from 60 to 86400 (got "30000ms"): use e.g. Duration.minutes(10)');
    expect(() => manifestsWith(archive({ uploadTimeout: Duration.millis(90_500) }))).toThrow('s3 uploadTimeout must be a whole number of seconds, from 60 to 86400 (got "90500ms")');
    expect(() => manifestsWith(archive({ uploadTimeout: 10 as any }))).toThrow('s3 uploadTimeout is not a Duration (got 10): pass a cdk8s Duration, which states its unit: e.g. Duration.seconds(10) or Duration.minutes(10)');
  });
});
