import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { FilebeatPipeline, FilebeatPipelineProps, PrometheusIntegration, PrometheusSelector, SecurityMonitoringStack, SiemDestination, SiemSource } from '../../src';
import { expectDeterministic, expectValidManifests, findObject, Manifest, synth } from '../util';

const PASSWORD = { secretName: 'es-credentials', key: 'password' };
const ES = { host: 'es.example.com', username: 'filebeat', passwordSecret: PASSWORD };

function inStack(props: Partial<FilebeatPipelineProps> = {}, chart: Chart = Testing.chart()) {
  const stack = new SecurityMonitoringStack(chart, 'stack');
  return stack.addFilebeatPipeline('filebeat', { elasticsearch: ES, ...props });
}

const configOf = (manifests: Manifest[]) => parse(findObject(manifests, 'ConfigMap', 'filebeat').data['filebeat.yml']);

describe('FilebeatPipeline', () => {
  const pipeline = inStack();
  const manifests = synth(pipeline);
  const config = configOf(manifests);
  const inputs = config['filebeat.inputs'];
  const container = findObject(manifests, 'DaemonSet', 'filebeat').spec.template.spec.containers[0];

  test('every object validates against its schema', () => {
    expectValidManifests(manifests);
  });

  test('one filestream input per source, each with log_type at the root and a stable id', () => {
    expect(inputs.map((i: any) => [i.type, i.id, i.paths, i.fields, i.fields_under_root])).toEqual([
      ['filestream', 'siem-container', ['/var/log/containers/*.log'], { log_type: 'container' }, true],
      ['filestream', 'siem-security_audit', ['/var/log/kubernetes/audit/audit.log'], { log_type: 'security_audit' }, true],
      ['filestream', 'siem-falco', [`/var/log/containers/*_falco_falco-${'?'.repeat(64)}.log`], { log_type: 'falco' }, true],
    ]);
  });

  test('container logs: container parser, symlinks followed, Kubernetes metadata, Falco files skipped', () => {
    expect(inputs[0]).toMatchObject({
      'parsers': [{ container: { stream: 'all', format: 'auto' } }],
      'prospector.scanner.symlinks': true,
      'prospector.scanner.exclude_files': ['^/var/log/containers/[^/]*_falco_falco-[^/]{64}\\.log$'],
      'processors': [{ add_kubernetes_metadata: { host: '${NODE_NAME}', matchers: [{ logs_path: { logs_path: '/var/log/containers/' } }] } }],
    });
    const skipped = new RegExp(inputs[0]['prospector.scanner.exclude_files'][0]);
    expect(skipped.test(`/var/log/containers/falco-abc_falco_falco-${'0'.repeat(64)}.log`)).toBe(true);
    // The driver loader's lines are not Falco alerts: they stay with the container logs.
    expect(skipped.test(`/var/log/containers/falco-abc_falco_falco-driver-loader-${'0'.repeat(64)}.log`)).toBe(false);
    expect(new RegExp(inputs[0]['prospector.scanner.exclude_files'][0]).test('/var/log/containers/web_default_nginx-123.log')).toBe(false);
  });

  test('audit log and Falco events are parsed as JSON', () => {
    expect(inputs[1].parsers).toEqual([{ ndjson: { target: '', add_error_key: true } }]);
    expect(inputs[2].parsers).toEqual([{ container: { stream: 'all', format: 'auto' } }, { ndjson: { target: '', add_error_key: true } }]);
  });

  test('daily indices with the matching template, TLS verified, password from the Secret', () => {
    expect(config['output.elasticsearch']).toEqual({
      'hosts': ['https://es.example.com:9200'],
      'index': 'security-logs-%{+yyyy.MM.dd}',
      'username': 'filebeat',
      'password': '${SIEM_ES_PASSWORD}',
      'ssl.verification_mode': 'full',
    });
    expect(config).toMatchObject({ 'setup.ilm.enabled': false, 'setup.template.name': 'security-logs', 'setup.template.pattern': 'security-logs-*' });
    expect(container.env).toEqual([
      { name: 'SIEM_ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'es-credentials', key: 'password' } } },
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    ]);
  });

  test('keeps its registry on the host and runs locked down in the privileged namespace', () => {
    const pod = findObject(manifests, 'DaemonSet', 'filebeat').spec.template.spec;
    expect(container.args).toEqual(['-c', '/etc/filebeat/filebeat.yml', '-e']);
    expect(container.image).toBe('docker.elastic.co/beats/filebeat:9.5.3');
    expect(pod.volumes).toContainEqual({ name: 'state', hostPath: { path: '/var/lib/filebeat-data/security-logging-filebeat', type: 'DirectoryOrCreate' } });
    expect(container.volumeMounts).toContainEqual({ name: 'state', mountPath: '/usr/share/filebeat/data' });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(findObject(manifests, 'Namespace', 'security-logging').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('serves its HTTP endpoint for the probes, the only ingress its NetworkPolicy admits', () => {
    expect(config).toMatchObject({ 'http.enabled': true, 'http.host': '0.0.0.0', 'http.port': 5066 });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 5066, protocol: 'TCP' }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/stats', port: 'http' });
    expect(findObject(manifests, 'NetworkPolicy', 'filebeat').spec.ingress)
      .toEqual([{ ports: [{ port: 5066, protocol: 'TCP' }] }, { ports: [{ port: 9479, protocol: 'TCP' }] }]);
    expect(container.resources.limits).toEqual({ cpu: '1', memory: '512Mi' });
  });

  test('serves Prometheus metrics through a beat-exporter sidecar, scraped as the stack says, for the Filebeat alerts', () => {
    const [, exporter] = findObject(manifests, 'DaemonSet', 'filebeat').spec.template.spec.containers;
    expect(exporter).toMatchObject({
      name: 'beat-exporter',
      image: 'docker.io/trustpilot/beat-exporter:0.4.0',
      args: ['-beat.uri=http://localhost:5066', '-web.listen-address=:9479'],
      ports: [{ name: 'metrics', containerPort: 9479, protocol: 'TCP' }],
      securityContext: { runAsNonRoot: true, runAsUser: 65534, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    });
    const service = findObject(manifests, 'Service', 'filebeat');
    expect(service.spec).toMatchObject({ selector: { 'app.kubernetes.io/name': 'filebeat', 'app.kubernetes.io/instance': 'filebeat' }, publishNotReadyAddresses: true });
    expect(service.spec.ports).toEqual([{ name: 'metrics', port: 9479, targetPort: 'metrics' }]);
    const monitor = findObject(manifests, 'ServiceMonitor', 'filebeat');
    expect(monitor.metadata.namespace).toBe('security-logging');
    expect(monitor.spec).toEqual({
      selector: { matchLabels: service.spec.selector },
      namespaceSelector: { matchNames: ['security-logging'] },
      endpoints: [{ port: 'metrics', path: '/metrics' }],
    });
    expect(pipeline.service).toBeDefined();
    expect(pipeline.serviceMonitor).toBeDefined();
  });

  test('the ServiceMonitor carries the labels of the stack\'s Prometheus, or of the pipeline\'s own', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack', { prometheus: PrometheusIntegration.prometheusOperator(PrometheusSelector.kubePrometheusStack('monitoring')) });
    const own = synth(stack.addFilebeatPipeline('filebeat', { elasticsearch: ES }));
    expect(findObject(own, 'ServiceMonitor', 'filebeat').metadata.labels).toMatchObject({ release: 'monitoring' });
    const other = synth(inStack({ serviceMonitor: PrometheusSelector.kubePrometheusStack('kps') }));
    expect(findObject(other, 'ServiceMonitor', 'filebeat').metadata.labels).toMatchObject({ release: 'kps' });
  });

  test('metrics: false runs Filebeat alone, with no Service or ServiceMonitor', () => {
    const alone = synth(inStack({ metrics: false }));
    expect(findObject(alone, 'DaemonSet', 'filebeat').spec.template.spec.containers.map((c: any) => c.name)).toEqual(['filebeat']);
    expect(alone.filter((m) => ['Service', 'ServiceMonitor'].includes(m.kind) && m.metadata.namespace === 'security-logging')).toEqual([]);
    expect(() => inStack({ metrics: false, serviceMonitor: PrometheusSelector.kubePrometheus() })).toThrow(
      'test/stack/filebeat: serviceMonitor is set but metrics is false, so there is nothing to scrape (got false): drop metrics: false, or leave serviceMonitor out');
  });

  test('a built FilebeatPipeline without serviceMonitor has the Service but no ServiceMonitor (no Prometheus Operator assumed)', () => {
    const built = synth(new FilebeatPipeline(Testing.chart(), 'filebeat', { elasticsearch: ES }));
    expect(findObject(built, 'Service', 'filebeat').spec.ports[0].name).toBe('metrics');
    expect(built.filter((m) => m.kind === 'ServiceMonitor')).toEqual([]);
  });

  test('the exporter image must be a pinned beat-exporter', () => {
    expect(() => inStack({ metricsExporterImage: 'docker.io/trustpilot/beat-exporter:latest' })).toThrow(/metricsExporterImage is not pinned to a version/);
    const mirrored = synth(inStack({ metricsExporterImage: 'registry.example.com/mirror/beat-exporter:0.4.0' }));
    expect(findObject(mirrored, 'DaemonSet', 'filebeat').spec.template.spec.containers[1].image).toBe('registry.example.com/mirror/beat-exporter:0.4.0');
  });

  test('reads only what add_kubernetes_metadata needs', () => {
    expect(findObject(manifests, 'ClusterRole').rules).toEqual([{ apiGroups: [''], resources: ['namespaces', 'nodes', 'pods'], verbs: ['get', 'list', 'watch'] }]);
  });

  test('index per log type, custom date pattern, plain HTTP, skipped verification', () => {
    const plain = configOf(synth(inStack({ elasticsearch: { host: 'es', tls: false, indexPerLogType: true, dateFormat: '%Y-%m' } })))['output.elasticsearch'];
    expect(plain.hosts).toEqual(['http://es:9200']);
    expect(plain['ssl.verification_mode']).toBeUndefined();
    expect(plain.indices).toEqual([
      { index: 'security-logs-container-%{+yyyy-MM}', when: { equals: { log_type: 'container' } } },
      { index: 'security-logs-security-audit-%{+yyyy-MM}', when: { equals: { log_type: 'security_audit' } } },
      { index: 'security-logs-falco-%{+yyyy-MM}', when: { equals: { log_type: 'falco' } } },
    ]);
    const insecure = configOf(synth(inStack({ elasticsearch: { host: 'es', insecureSkipTlsVerify: true } })))['output.elasticsearch'];
    expect(insecure['ssl.verification_mode']).toBe('none');
  });

  test('synthesizes byte-identical YAML twice, and matches the snapshot', () => {
    expectDeterministic(() => inStack());
    expect(manifests.filter((m) => m.metadata.labels?.['app.kubernetes.io/component'] === 'siem')).toMatchSnapshot();
  });
});

describe('FilebeatPipeline sources and mistakes', () => {
  test('host files by glob', () => {
    const config2 = configOf(synth(inStack({ sources: [SiemSource.hostFiles({ glob: '/var/log/audit/*.log', logType: 'auditd' })] })));
    expect(config2['filebeat.inputs']).toEqual([{
      type: 'filestream', id: 'siem-auditd', paths: ['/var/log/audit/*.log'], fields: { log_type: 'auditd' }, fields_under_root: true,
    }]);
  });

  test.each<[string, any, string]>([
    ['a Fluent Bit-only setting', { ...ES, retryLimit: 3 },
      'test/stack/filebeat: elasticsearch retryLimit is a Fluent Bit setting that Filebeat does not support (got 3): remove retryLimit, or ship with SiemPipeline'],
    ['a date format Filebeat cannot express', { ...ES, dateFormat: '%G.%V' },
      'test/stack/filebeat: elasticsearch dateFormat has no Filebeat equivalent (got "%G.%V"): use only %Y, %y, %m, %d, %H and %j'],
    ['a host with a port', { ...ES, host: 'es:9200' },
      'test/stack/filebeat: elasticsearch host is not a host name or IPv4 address (got "es:9200")'],
    ['a user without password', { host: 'es', username: 'filebeat' },
      'test/stack/filebeat: elasticsearch username and passwordSecret go together (got "filebeat"): set both username and passwordSecret, or neither'],
    ['a Fluent Bit destination, custom or built-in', SiemDestination.custom({ plugin: 'datadog' }),
      'test/stack/filebeat: elasticsearch is a SiemDestination, a Fluent Bit output (got "a SiemDestination"): pass the Elasticsearch options themselves '
      + '({ host, ... }): Filebeat ships to Elasticsearch only; ship to other destinations, custom ones included, with SiemPipeline'],
  ])('rejects %s', (_what, elasticsearch, message) => {
    expect(() => inStack({ elasticsearch })).toThrow(message);
  });
});
