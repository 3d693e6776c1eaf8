import { createHash } from 'crypto';
import { Chart, Duration, Testing } from 'cdk8s';
import {
  AlertSeverity, AnomalyDetector, AnomalyDetectorProps, PrometheusSelector, SecurityMonitoringStack,
} from '../../src';
import { loadConfig } from '../../src/anomaly/detector/main';
import { DETECTOR_FILES } from '../../src/anomaly/detector-program.generated';
import { toYaml } from '../../src/common/yaml';
import { promtool } from '../prometheus/promtool';
import { expectDeterministic, expectPodSecurityAdmitted, expectValidManifests, findObject, Manifest, synth } from '../util';

function detector(props?: AnomalyDetectorProps, chart: Chart = Testing.chart()): AnomalyDetector {
  return new AnomalyDetector(chart, 'anomalies', props);
}

function configOf(manifests: Manifest[]): Record<string, any> {
  return JSON.parse(manifests.find((m) => m.kind === 'ConfigMap' && m.data?.['config.json'])!.data['config.json']);
}

const CUSTOM: AnomalyDetectorProps = {
  name: 'ml-detector',
  namespace: 'secmon',
  labels: { team: 'security' },
  features: [{ name: 'dns_queries', query: 'sum by (namespace) (rate(coredns_dns_requests_total[5m]))' }],
  trees: 50,
  sampleSize: 128,
  contamination: 0.05,
  trainingWindow: Duration.days(14),
  scoringInterval: Duration.minutes(2),
  prometheusUrl: 'https://prometheus.example.internal:9443',
  prometheusSelector: PrometheusSelector.kubePrometheusStack('kps'),
  alertSeverity: AlertSeverity.CRITICAL,
  alertFor: Duration.minutes(10),
  runbookUrl: 'https://runbooks.example.com/anomaly',
  image: 'node:22.12.0-bookworm-slim',
};

describe('AnomalyDetector defaults', () => {
  const manifests = synth(detector());

  test('renders a ConfigMap, Deployment, Service, ServiceMonitor, NetworkPolicy and PrometheusRule', () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'NetworkPolicy', 'PrometheusRule', 'Service', 'ServiceMonitor']);
    for (const m of manifests) expect(m.metadata).toMatchObject({ name: 'anomaly-detector', namespace: 'security-monitoring' });
  });

  test('ships the detector program and the default configuration', () => {
    const configMap = findObject(manifests, 'ConfigMap');
    expect(configMap.data).toMatchObject(DETECTOR_FILES);
    expect(configOf(manifests)).toEqual({
      prometheusUrl: 'http://prometheus-operated.monitoring.svc:9090/',
      features: AnomalyDetector.DEFAULT_FEATURES,
      trees: 100,
      sampleSize: 256,
      contamination: 0.1,
      trainingWindowSeconds: 604800,
      // 7d at 1m is 10,080 points: coarsened to stay under Prometheus' 11,000-point limit.
      stepSeconds: 61,
      scoringIntervalSeconds: 60,
      port: 8080,
      seed: 1,
    });
  });

  test('runs the program on the pinned official node image with hardened pod defaults', () => {
    const pod = findObject(manifests, 'Deployment').spec.template;
    const [container] = pod.spec.containers;
    expect(container.image).toBe('node:22.12.0-alpine3.21');
    expect(container.command).toEqual(['node', '--max-old-space-size=192', '/app/main.js', '/app/config.json']);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(container.resources.limits).toBeDefined();
    expect(container.resources.requests).toBeDefined();
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    const data = findObject(manifests, 'ConfigMap').data;
    expect(pod.metadata.annotations['checksum/config']).toBe(createHash('sha256').update(JSON.stringify(Object.entries(data).sort())).digest('hex'));
  });

  test('a configuration change rolls the pod', () => {
    const checksum = (m: Manifest[]) => findObject(m, 'Deployment').spec.template.metadata.annotations['checksum/config'];
    expect(checksum(synth(detector({ contamination: 0.2 })))).not.toEqual(checksum(manifests));
  });

  test('is admitted in a restricted namespace', () => {
    const chart = Testing.chart();
    new SecurityMonitoringStack(chart, 'stack', { anomalyDetection: {} });
    expectPodSecurityAdmitted(synth(chart));
  });

  test('scrapes the metrics port, keeping the series\' own labels', () => {
    const monitor = findObject(manifests, 'ServiceMonitor');
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '1m', honorLabels: true }]);
    expect(findObject(manifests, 'Service').spec.ports[0]).toMatchObject({ name: 'metrics', port: 8080, targetPort: 'metrics' });
  });

  test('lets in scrapes and lets out DNS and Prometheus only', () => {
    const policy = findObject(manifests, 'NetworkPolicy').spec;
    expect(policy.ingress).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(policy.egress[1]).toEqual({ ports: [{ port: 9090, protocol: 'TCP' }] });
  });

  test('alerts on flagged series and on a stalled detector, with severity, summary, description and runbook', () => {
    const rules = findObject(manifests, 'PrometheusRule').spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual(['SecurityAnomalyDetected', 'SecurityAnomalyDetectorStalled']);
    expect(rules[0]).toMatchObject({
      expr: 'security_anomaly_flag{job="anomaly-detector",namespace="security-monitoring"} == 1', for: '5m', labels: { severity: 'warning' },
    });
    for (const rule of rules) expect(Object.keys(rule.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
  });

  test('the rules pass promtool check rules', () => {
    const check = promtool(['check', 'rules', 'rules.yaml'], { 'rules.yaml': toYaml(findObject(manifests, 'PrometheusRule').spec) });
    expect(check).toEqual({ ok: true, output: expect.stringContaining('SUCCESS') });
  });

  test('every object validates against its schema', () => {
    expectValidManifests(manifests);
  });

  test('synthesizes byte-identical YAML twice', () => {
    expectDeterministic(() => detector());
  });

  test('matches the snapshot', () => {
    // The program text is checked by detector-bundle.test.ts, and its checksum above: keep the
    // snapshot about the manifests, so that it does not churn with every edit of the program.
    const stable = manifests.map((m) => {
      if (m.kind === 'ConfigMap') return { ...m, data: { 'config.json': m.data['config.json'] } };
      if (m.kind !== 'Deployment') return m;
      const template = { ...m.spec.template, metadata: { ...m.spec.template.metadata, annotations: { 'checksum/config': '<sha256>' } } };
      return { ...m, spec: { ...m.spec, template } };
    });
    expect(stable).toMatchSnapshot();
  });
});

describe('AnomalyDetector props', () => {
  const manifests = synth(detector(CUSTOM));

  test('every prop reaches the manifests', () => {
    expect(configOf(manifests)).toEqual({
      prometheusUrl: 'https://prometheus.example.internal:9443/',
      features: CUSTOM.features,
      trees: 50,
      sampleSize: 128,
      contamination: 0.05,
      trainingWindowSeconds: 14 * 86400,
      stepSeconds: 121,
      scoringIntervalSeconds: 120,
      port: 8080,
      seed: 1,
    });
    for (const m of manifests) {
      expect(m.metadata).toMatchObject({ name: 'ml-detector', namespace: 'secmon', labels: { team: 'security' } });
    }
    expect(findObject(manifests, 'Deployment').spec.template.spec.containers[0].image).toBe('node:22.12.0-bookworm-slim');
    expect(findObject(manifests, 'ServiceMonitor').metadata.labels.release).toBe('kps');
    expect(findObject(manifests, 'ServiceMonitor').spec.endpoints[0].interval).toBe('2m');
    expect(findObject(manifests, 'NetworkPolicy').spec.egress[1].ports[0].port).toBe(9443);
    const rule = findObject(manifests, 'PrometheusRule');
    expect(rule.metadata.labels.release).toBe('kps');
    expect(rule.spec.groups[0].rules[0]).toMatchObject({
      expr: 'security_anomaly_flag{job="ml-detector",namespace="secmon"} == 1',
      for: '10m',
      labels: { severity: 'critical' },
      annotations: { runbook_url: 'https://runbooks.example.com/anomaly#securityanomalydetected' },
    });
    expect(rule.spec.groups[0].rules[0].annotations.description).toContain('more abnormal than 95% of its history (14d)');
    expect(rule.spec.groups[0].rules[1].expr).toContain('> 360');
  });

  test('every object validates against its schema', () => {
    expectValidManifests(manifests);
  });
});

describe('a Prometheus URL that carries a credential, from a Secret', () => {
  const manifests = synth(detector({ prometheusUrlSecret: { secretName: 'prometheus-access', key: 'url' }, prometheusPort: 9443 }));

  test('the config names the variable, the container sets it from the Secret, the NetworkPolicy opens prometheusPort', () => {
    expectValidManifests(manifests);
    const config = configOf(manifests);
    expect(config.prometheusUrl).toBeUndefined();
    expect(config.prometheusUrlEnv).toBe('PROMETHEUS_URL');
    const container = findObject(manifests, 'Deployment').spec.template.spec.containers[0];
    expect(container.env).toEqual([{ name: 'PROMETHEUS_URL', valueFrom: { secretKeyRef: { name: 'prometheus-access', key: 'url' } } }]);
    expect(findObject(manifests, 'NetworkPolicy').spec.egress[1].ports).toEqual([{ port: 9443, protocol: 'TCP' }]);
  });

  test('the program reads the URL from that variable', () => {
    const config = loadConfig(JSON.stringify(configOf(manifests)), { PROMETHEUS_URL: 'https://reader:pw@prometheus.example.internal:9443' });
    expect(config.prometheusUrl).toBe('https://reader:pw@prometheus.example.internal:9443');
  });

  test.each([
    ['user-info in prometheusUrl names the Secret alternative', () => detector({ prometheusUrl: 'http://admin:hunter2@prometheus:9090' }),
      'test/anomalies: prometheusUrl contains user-info (user:password@), which would be written into the manifests (got "http://***@prometheus:9090"): '
        + 'pass prometheusUrlSecret: { secretName, key } of a Secret that holds the value instead'],
    ['both URL and Secret', () => detector({ prometheusUrl: 'http://prometheus:9090', prometheusUrlSecret: { secretName: 'p', key: 'url' } }),
      'test/anomalies: prometheusUrl and prometheusUrlSecret are both set (got ["prometheusUrl","prometheusUrlSecret"]): '
        + 'set prometheusUrl, or prometheusUrlSecret: { secretName, key } of a Secret that holds a URL carrying a credential'],
    ['a port without the Secret', () => detector({ prometheusPort: 9443 }),
      'test/anomalies: prometheusPort is set without prometheusUrlSecret (got 9443): drop prometheusPort: the port of prometheusUrl is used'],
  ])('%s', (_what, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('SecurityMonitoringStack anomalyDetection', () => {
  test('is off by default', () => {
    const chart = Testing.chart();
    const stack = new SecurityMonitoringStack(chart, 'stack');
    expect(stack.anomalyDetector).toBeUndefined();
    expect(synth(chart).filter((m) => m.kind === 'Deployment')).toEqual([]);
  });

  test('deploys the detector in the stack\'s namespace with the stack\'s labels', () => {
    const chart = Testing.chart();
    const stack = new SecurityMonitoringStack(chart, 'stack', { namespace: 'sec', labels: { team: 'blue' }, anomalyDetection: { contamination: 0.02 } });
    expect(stack.anomalyDetector?.namespace).toBe('sec');
    const manifests = synth(chart);
    const deployment = findObject(manifests, 'Deployment');
    expect(deployment.metadata.namespace).toBe('sec');
    expect(deployment.metadata.labels).toMatchObject({ 'team': 'blue', 'app.kubernetes.io/component': 'anomaly-detector', 'app.kubernetes.io/part-of': 'security-monitoring' });
    expect(configOf(manifests).contamination).toBe(0.02);
    expectValidManifests(manifests);
  });
});

describe('AnomalyDetector rejects bad input', () => {
  const cases: Array<[string, AnomalyDetectorProps, string]> = [
    ['contamination 0', { contamination: 0 },
      'test/anomalies: contamination must be in (0, 0.5] (got 0): use the expected share of anomalies in the training data, e.g. 0.01 to 0.1'],
    ['contamination above 0.5', { contamination: 0.6 },
      'test/anomalies: contamination must be in (0, 0.5] (got 0.6): use the expected share of anomalies in the training data, e.g. 0.01 to 0.1'],
    ['fractional trees', { trees: 2.5 }, 'test/anomalies: trees must be an integer from 1 to 1000 (got 2.5): set trees within 1-1000'],
    ['sample size 1', { sampleSize: 1 }, 'test/anomalies: sampleSize must be an integer from 2 to 100000 (got 1): set sampleSize within 2-100000'],
    ['no features', { features: [] },
      'test/anomalies: features must be a non-empty list (got []): pass at least one { name, query }, or omit features for the defaults'],
    ['bad feature name', { features: [{ name: 'Egress-Rate', query: 'up' }] },
      'test/anomalies: features[0].name is not a valid feature name (got "Egress-Rate"): use lowercase letters, digits and \'_\', starting with a letter or \'_\', e.g. "egress_bytes_rate"'],
    ['duplicate feature', { features: [{ name: 'a', query: 'up' }, { name: 'a', query: 'up' }] },
      'test/anomalies: features[1].name is used by another feature (got "a"): give every feature its own name'],
    ['unbalanced query', { features: [{ name: 'egress', query: 'sum(rate(x[5m])' }] },
      'test/anomalies: features[0].query ("egress"): unexpected end of expression at column 16 (got "sum(rate(x[5m])")'],
    ['unterminated string', { features: [{ name: 'auth', query: 'up{job="a}' }] },
      'test/anomalies: features[0].query ("auth"): unexpected end of expression at column 11 (got "up{job=\\"a}")'],
    ['range vector query', { features: [{ name: 'raw', query: 'container_network_transmit_bytes_total[5m]' }] },
      'test/anomalies: features[0].query ("raw") evaluates to a range vector, which query_range cannot return (got "container_network_transmit_bytes_total[5m]"): drop the trailing range selector'],
    ['unknown function', { features: [{ name: 'typo', query: 'sum(rat(x[5m]))' }] },
      'test/anomalies: features[0].query ("typo"): unknown function "rat"'],
    ['training window as a string', { trainingWindow: '7d' as any },
      'test/anomalies: trainingWindow is not a Duration (got "7d"): pass a cdk8s Duration: Duration.days(7)'],
    ['window too short', { trainingWindow: Duration.minutes(10) },
      'test/anomalies: trainingWindow covers fewer than 21 scoring intervals (got "10m"): use a trainingWindow of at least 21 × scoringInterval, or a shorter scoringInterval'],
    ['interval too short', { scoringInterval: Duration.seconds(5) },
      'test/anomalies: scoringInterval is shorter than 10s (got "5s"): score at most every 10 seconds: each pass retrains every model'],
    ['non-http Prometheus URL', { prometheusUrl: 'prometheus:9090' },
      'test/anomalies: prometheusUrl is not an http(s) URL (got "prometheus:9090"): use an absolute URL such as "http://prometheus-operated.monitoring.svc:9090"'],
    ['Prometheus URL with a query', { prometheusUrl: 'http://p:9090/?x=1' },
      'test/anomalies: prometheusUrl must not carry a query, fragment or credentials (got "http://p:9090/?x=1"): give only the base URL of the Prometheus HTTP API, e.g. "http://prometheus-operated.monitoring.svc:9090"'],
    ['unpinned image', { image: 'node:latest' },
      'test/anomalies: image is not pinned to a version (got "node:latest"): use a pinned reference such as "node:22.12.0-alpine3.21" or one with an @sha256: digest'],
    ['bad name', { name: 'Anomaly' },
      'test/anomalies: name is not a valid DNS-1123 label (got "Anomaly"): use 1-63 lowercase letters, digits or \'-\', starting and ending with a letter or digit (did you mean "anomaly"?)'],
  ];

  test.each(cases)('%s', (_, props, message) => {
    expect(() => detector(props)).toThrow(message);
  });

  test('accepts registry ports and digests in image references', () => {
    expect(() => detector({ image: 'registry.local:5000/library/node:22.12.0-alpine3.21' })).not.toThrow();
    expect(() => detector({ image: `node@sha256:${'a'.repeat(64)}` })).not.toThrow();
  });
});
