/**
 * Fields that end up in another program's config, checked as that program
 * reads them: URLs it appends its own path to, values its API refuses, and
 * keys that must name something the pipeline has.
 */
import { Testing } from 'cdk8s';
import {
  AlertReceiver, FalcosidekickOutput, SecurityMonitoringStack, SecurityMonitoringStackProps, SiemDestination, SiemSource,
} from '../../src';
import { synth } from '../util';
import { AMTOOL } from '../util/live-tools';
import { runRecorded } from '../util/recorded-tool';

const stack = (props: SecurityMonitoringStackProps) => synth(new SecurityMonitoringStack(Testing.chart(), 'stack', props));
const ROUTING_KEY = { secretName: 'pagerduty', key: 'routing-key' };
const TOKEN = { secretName: 'splunk', key: 'token' };

describe('falcosidekick appends its own path to the output URL', () => {
  test.each([
    ['the Alertmanager API path', () => FalcosidekickOutput.alertmanager({ url: 'http://alertmanager.monitoring:9093/api/v2/alerts' }),
      'FalcosidekickOutput.alertmanager: url ends in the Alertmanager API path, but falcosidekick appends its own path to it '
        + '(got "http://alertmanager.monitoring:9093/api/v2/alerts"): give the base URL, "http(s)://host:port" (a proxy\'s path prefix stays): '
        + 'did you mean "http://alertmanager.monitoring:9093"?'],
    ['a query', () => FalcosidekickOutput.alertmanager({ url: 'http://alertmanager:9093/?timeout=5s' }),
      'FalcosidekickOutput.alertmanager: url has a query or fragment, but falcosidekick appends its own path to it (got "http://alertmanager:9093/?timeout=5s"): '
        + 'give the base URL, "http(s)://host:port" (a proxy\'s path prefix stays): did you mean "http://alertmanager:9093"?'],
    ['an Elasticsearch document path', () => FalcosidekickOutput.elasticsearch({ url: 'https://es:9200/falco/_doc' }),
      'FalcosidekickOutput.elasticsearch: url ends in a document API path, but falcosidekick appends its own path to it (got "https://es:9200/falco/_doc"): '
        + 'give the base URL, "http(s)://host:port" (a proxy\'s path prefix stays): did you mean "https://es:9200"?'],
  ])('%s is an error', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('a route prefix stays', () => {
    expect(() => FalcosidekickOutput.alertmanager({ url: 'http://gateway.monitoring/alertmanager' })).not.toThrow();
    expect(() => FalcosidekickOutput.elasticsearch({ url: 'https://gateway/es' })).not.toThrow();
  });
});

describe('Elasticsearch index names', () => {
  test.each([
    ['Falco', 'FalcosidekickOutput.elasticsearch: index has capital letters, which Elasticsearch refuses in index names (got "Falco"): '
      + 'use lowercase letters, digits, \'.\', \'_\' or \'-\', not starting with \'-\', \'_\' or \'+\' (did you mean "falco"?)'],
    ['_falco', 'FalcosidekickOutput.elasticsearch: index is not a valid Elasticsearch index name (got "_falco"): '
      + 'use lowercase letters, digits, \'.\', \'_\' or \'-\', not starting with \'-\', \'_\' or \'+\' (did you mean "falco"?)'],
    ['falco events', 'FalcosidekickOutput.elasticsearch: index is not a valid Elasticsearch index name (got "falco events"): '
      + 'use lowercase letters, digits, \'.\', \'_\' or \'-\', not starting with \'-\', \'_\' or \'+\' (did you mean "falco-events"?)'],
  ])('falcosidekick\'s index %j is an error', (index, message) => {
    expect(() => FalcosidekickOutput.elasticsearch({ url: 'https://es:9200', index })).toThrow(message);
  });
});

describe('the anomaly detector appends /api/v1 to prometheusUrl', () => {
  test('a URL with the API path is an error that offers the base', () => {
    expect(() => stack({ anomalyDetection: { prometheusUrl: 'http://prometheus:9090/prometheus/api/v1' } })).toThrow(
      'test/stack/anomaly-detector: prometheusUrl ends in the API path /api/v1, which the detector appends itself (got "http://prometheus:9090/prometheus/api/v1"): '
      + 'give the base URL (a route prefix stays): did you mean "http://prometheus:9090/prometheus"?');
  });

  test('a route prefix stays', () => {
    expect(() => stack({ anomalyDetection: { prometheusUrl: 'http://prometheus:9090/prometheus' } })).not.toThrow();
  });
});

describe('PagerDuty Events v2 severities', () => {
  test.each([
    ['high', 'AlertReceiver.pagerDuty("pager"): severity is not a PagerDuty Events v2 severity, so PagerDuty would refuse every event (got "high"): '
      + 'use one of critical, error, warning, info, or a template that yields one'],
    ['Critical', 'AlertReceiver.pagerDuty("pager"): severity is not a PagerDuty Events v2 severity, so PagerDuty would refuse every event (got "Critical"): '
      + 'use one of critical, error, warning, info (did you mean "critical"?), or a template that yields one'],
  ])('%j is an error', (severity, message) => {
    expect(() => AlertReceiver.pagerDuty('pager', { routingKeySecret: ROUTING_KEY, severity })).toThrow(message);
  });

  test.each(['error', '{{ .CommonLabels.severity }}'])('%j is accepted', (severity) => {
    expect(() => AlertReceiver.pagerDuty('pager', { routingKeySecret: ROUTING_KEY, severity })).not.toThrow();
  });
});

describe('Alertmanager group_by, as amtool check-config reads it', () => {
  test.each([
    [['alertname', 'namespace', 'alertname'], 'test/stack/alerting: groupBy repeats the label "alertname", which Alertmanager refuses '
      + '(got ["alertname","namespace","alertname"]): list each label once'],
    [['...', 'alertname'], 'test/stack/alerting: groupBy lists other labels beside "..." (every label), which Alertmanager refuses (got ["...","alertname"]): '
      + 'use ["..."] alone to group by every label, or list the labels to group by'],
  ])('%j is an error', (groupBy, message) => {
    expect(() => stack({ alerting: { pagerDuty: { routingKeySecret: ROUTING_KEY }, groupBy } })).toThrow(message);
  });

  test('["..."] alone is accepted', () => {
    expect(() => stack({ alerting: { pagerDuty: { routingKeySecret: ROUTING_KEY }, groupBy: ['...'] } })).not.toThrow();
  });

  test.each([
    ['alertname, namespace, alertname', 'duplicated label "alertname" in group_by'],
    ['"...", alertname', 'cannot have wildcard group_by (`...`) and other other labels at the same time'],
    ['"..."', undefined],
  ])('amtool check-config on group_by [%s] agrees', (groupBy, refusal) => {
    const config = `route:\n  receiver: "null"\n  group_by: [${groupBy}]\nreceivers:\n  - name: "null"\n`;
    const run = runRecorded(AMTOOL, ['check-config', 'alertmanager.yaml'], { 'alertmanager.yaml': config });
    expect(run.ok).toBe(refusal === undefined);
    if (refusal !== undefined) expect(run.stdout + run.stderr).toContain(refusal);
  });
});

describe('indexByLogType keys are log types the destination ships', () => {
  test('a key no source produces is an error', () => {
    expect(() => stack({ siem: { destinations: [SiemDestination.splunkHec({ host: 'splunk', tokenSecret: TOKEN, indexByLogType: { fallco: 'falco' } })] } })).toThrow(
      'test/stack/siem: splunkHec indexByLogType names a log type this destination does not ship (got "fallco"): '
      + 'use one of "container", "security_audit", "falco" (did you mean "falco"?), or add a source with that logType (and to logTypes, if set)');
  });

  test('so is one that logTypes leaves out', () => {
    const destination = SiemDestination.splunkHec({ host: 'splunk', tokenSecret: TOKEN, logTypes: ['falco'], indexByLogType: { container: 'k8s' } });
    expect(() => stack({ siem: { destinations: [destination], sources: [SiemSource.containerLogs(), SiemSource.falcoEvents()] } })).toThrow(
      'test/stack/siem: splunkHec indexByLogType names a log type this destination does not ship (got "container"): use one of "falco", '
      + 'or add a source with that logType (and to logTypes, if set)');
  });
});

describe('an image runs the program its container is configured for', () => {
  test.each([
    ['Falco with the Fluent Bit image', () => stack({ falco: { image: 'cr.fluentbit.io/fluent/fluent-bit:5.1.1' } }),
      'test/stack/falco: image is an image of fluent-bit, not of falco, so its container could not run falco\'s command (got "cr.fluentbit.io/fluent/fluent-bit:5.1.1"): '
        + 'use a falco image, e.g. "docker.io/falcosecurity/falco:0.44.1" (a mirror may change the registry and path, but keeps "falco" in the image name)'],
    ['Falco with the falcosidekick image', () => stack({ falco: { image: 'docker.io/falcosecurity/falcosidekick:2.32.0' } }),
      'test/stack/falco: image is an image of falcosidekick, not of falco, so its container could not run falco\'s command (got "docker.io/falcosecurity/falcosidekick:2.32.0"): '
        + 'use a falco image, e.g. "docker.io/falcosecurity/falco:0.44.1" (a mirror may change the registry and path, but keeps "falco" in the image name)'],
    ['Fluent Bit with a generic image', () => stack({ siem: { image: 'docker.io/library/busybox:1.36', destinations: [SiemDestination.splunkHec({ host: 'splunk', tokenSecret: TOKEN })] } }),
      'test/stack/siem: image is an image of busybox, not of fluent-bit, so its container could not run fluent-bit\'s command (got "docker.io/library/busybox:1.36"): '
        + 'use a fluent-bit image, e.g. "cr.fluentbit.io/fluent/fluent-bit:5.1.1" (a mirror may change the registry and path, but keeps "fluent-bit" in the image name)'],
  ])('%s is an error', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test.each([
    'registry.local/falco:0.44.1', 'docker.io/falcosecurity/falco-no-driver:0.44.1', 'mirror.example.com/hub/falcosecurity-falco:0.44.1',
    'docker.io/falcosecurity/falco@sha256:0000000000000000000000000000000000000000000000000000000000000000',
  ])('Falco from %s is accepted', (image) => {
    expect(() => stack({ falco: { image } })).not.toThrow();
  });
});
