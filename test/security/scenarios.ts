/**
 * Every stack the security checks run over: the examples, and representative
 * hand-built stacks that turn on what the examples leave off. Adding a
 * component (or an example) to the checks is one entry in `SCENARIOS`.
 */
import * as os from 'os';
import { App, Chart, Testing } from 'cdk8s';
import { buildCustomRulesApp } from '../../examples/custom-rules/main';
import { buildDefaultApp } from '../../examples/default/main';
import { buildElasticApp } from '../../examples/elastic/main';
import { buildKubePrometheusStackApp } from '../../examples/kube-prometheus-stack/main';
import { buildSplunkApp } from '../../examples/splunk/main';
import {
  AlertingOutput, AlertReceiver, AuditPolicy, FalcoAuditWebhook, FalcoDefaultRules, FalcoDriver, FalcoPlugin, FalcoPriority,
  FalcosidekickOutput, FalcoWorkload, KuberhealthyApi, SecurityMonitoringStack, SecurityMonitoringStackProps,
  SiemAwsCredentials, SiemDestination, SiemSource, TalonActionner,
} from '../../src';
import { cloudtrailPlugin } from '../falco/helpers';

/** Secret references of the test stacks: their names may appear in the output, never a value. */
export const TEST_SECRETS = {
  pagerDuty: { secretName: 'test-pagerduty', key: 'routing-key' },
  slack: { secretName: 'test-slack', key: 'webhook-url' },
  splunk: { secretName: 'test-splunk-hec', key: 'token' },
  elastic: { secretName: 'test-elastic', key: 'password' },
  kafka: { secretName: 'test-kafka', key: 'password' },
  awsAccessKeyId: { secretName: 'test-aws', key: 'access-key-id' },
  awsSecretAccessKey: { secretName: 'test-aws', key: 'secret-access-key' },
  sidekickSplunk: { secretName: 'test-sidekick-splunk', key: 'token' },
  sidekickPagerDuty: { secretName: 'test-sidekick-pagerduty', key: 'routing-key' },
};

export interface Scenario {
  readonly name: string;
  /** Builds the scenario from scratch and returns the chart to synthesize. */
  readonly build: () => Chart;
}

function onlyChart(app: App): Chart {
  const [chart] = app.charts;
  return chart;
}

/** Props that turn on every component, with test secret references. */
export function fullStackProps(): SecurityMonitoringStackProps {
  return {
    auditPolicy: { policy: AuditPolicy.production() },
    alerting: {
      output: AlertingOutput.alertmanagerConfig(),
      deadMansSwitch: AlertReceiver.webhook('dead-mans-switch', { url: 'https://deadmanssnitch.example.com/ping' }),
      pagerDuty: { routingKeySecret: TEST_SECRETS.pagerDuty },
      warningReceiver: AlertReceiver.slack('security-slack', { urlSecret: TEST_SECRETS.slack }),
    },
    falco: {
      driver: FalcoDriver.modernEbpf(),
      defaultRules: FalcoDefaultRules.falcoctl(),
      falcosidekick: {
        outputs: [
          FalcosidekickOutput.splunk({ url: 'https://splunk.example.com:8088', tokenSecret: TEST_SECRETS.sidekickSplunk }),
          FalcosidekickOutput.pagerDuty({ routingKeySecret: TEST_SECRETS.sidekickPagerDuty }),
        ],
      },
    },
    siem: {
      destinations: [
        SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: TEST_SECRETS.splunk }),
        SiemDestination.elasticsearch({ host: 'es.example.com', username: 'elastic', passwordSecret: TEST_SECRETS.elastic }),
        SiemDestination.kafka({ brokers: ['kafka.example.com:9093'], username: 'shipper', passwordSecret: TEST_SECRETS.kafka }),
        SiemDestination.syslog({ host: 'syslog.example.com' }),
        SiemDestination.s3({
          bucket: 'security-archive',
          region: 'eu-west-1',
          credentials: SiemAwsCredentials.fromSecret(TEST_SECRETS.awsAccessKeyId, TEST_SECRETS.awsSecretAccessKey),
        }),
      ],
      sources: [SiemSource.containerLogs(), SiemSource.auditLog(), SiemSource.falcoEvents()],
    },
    anomalyDetection: {},
    response: {
      enabled: true,
      talon: {
        rules: [{
          name: 'Quarantine shells',
          match: { rules: ['Terminal shell in container'], minimumPriority: FalcoPriority.NOTICE },
          actions: [{ name: 'quarantine', actionner: TalonActionner.label({ 'security.quarantine': 'true' }) }],
        }],
      },
      quarantineNamespaces: ['shop'],
      kuberhealthy: KuberhealthyApi.v3(),
    },
    compliance: { enabled: true, kubeBench: { schedule: '30 2 * * 0' } },
  };
}

function fullStack(): Chart {
  const chart = Testing.chart();
  new SecurityMonitoringStack(chart, 'stack', fullStackProps());
  return chart;
}

function kmodFalco(): Chart {
  const chart = Testing.chart();
  new SecurityMonitoringStack(chart, 'stack', {
    auditPolicy: { policy: AuditPolicy.cisMinimal() },
    falco: { driver: FalcoDriver.kmod() },
  });
  return chart;
}

function autoDriverFalco(): Chart {
  const chart = Testing.chart();
  new SecurityMonitoringStack(chart, 'stack', { auditPolicy: { enabled: false }, falco: { driver: FalcoDriver.auto() } });
  return chart;
}

/** The API server's audit webhook, received by the plugin-only k8saudit Falco the stack adds, in the restricted namespace. */
function auditWebhookFalco(): Chart {
  const chart = Testing.chart();
  new SecurityMonitoringStack(chart, 'stack', {
    auditPolicy: { policy: AuditPolicy.falco(), falcoWebhook: new FalcoAuditWebhook({ namespace: 'security-monitoring' }) },
  });
  return chart;
}

/** The stack's own Falco plugin-only: a cloud pull plugin (cloudtrail) and the k8saudit webhook, as a Deployment. */
function pluginOnlyFalco(): Chart {
  const chart = Testing.chart();
  new SecurityMonitoringStack(chart, 'stack', {
    falco: {
      workload: FalcoWorkload.deployment(),
      plugins: [
        FalcoPlugin.k8sAudit(),
        cloudtrailPlugin(),
      ],
    },
  });
  return chart;
}

/** A hand-built part inside a stack, which owns the namespaces and their Pod Security labels. */
function filebeat(): Chart {
  const chart = Testing.chart();
  const stack = new SecurityMonitoringStack(chart, 'stack', { falco: { enabled: false } });
  stack.addFilebeatPipeline('filebeat', {
    elasticsearch: { host: 'es.example.com', username: 'elastic', passwordSecret: TEST_SECRETS.elastic },
  });
  return chart;
}

export const SCENARIOS: Scenario[] = [
  { name: 'examples/default', build: () => onlyChart(buildDefaultApp(os.tmpdir())) },
  { name: 'examples/splunk', build: () => onlyChart(buildSplunkApp(os.tmpdir())) },
  { name: 'examples/elastic', build: () => onlyChart(buildElasticApp(os.tmpdir())) },
  { name: 'examples/kube-prometheus-stack', build: () => onlyChart(buildKubePrometheusStackApp(os.tmpdir())) },
  { name: 'examples/custom-rules', build: () => onlyChart(buildCustomRulesApp(os.tmpdir())) },
  { name: 'stack with every component', build: fullStack },
  { name: 'stack with the kmod driver', build: kmodFalco },
  { name: 'stack with the auto driver', build: autoDriverFalco },
  { name: 'stack with the audit webhook to a plugin-only Falco', build: auditWebhookFalco },
  { name: 'stack with a plugin-only Falco Deployment', build: pluginOnlyFalco },
  { name: 'FilebeatPipeline in a stack', build: filebeat },
];
