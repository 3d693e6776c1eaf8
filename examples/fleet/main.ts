/**
 * Three clusters, one definition: dev, staging and prod share a base (Splunk
 * shipping, kube-prometheus-stack, PagerDuty routing in the Alertmanager's
 * namespace) and differ where real clusters do: dev pages nobody and skips
 * the workload posture alerts, staging's nodes run an older kernel (the kmod
 * driver) and page the staging service, prod adds anomaly detection, its
 * own Splunk index and a higher failed-login threshold. Every signal names its cluster. Argo CD (an
 * ApplicationSet over the cluster directories) and Flux (a Kustomization per
 * cluster) deliver them from the repository the output is committed to.
 */
import * as path from 'path';
import {
  AlertingOutput, AlertmanagerMatcherStrategy, FalcoDriver, PrometheusIntegration, SecurityMonitoringFleet, SecurityMonitoringStackProps,
  SiemDestination,
} from '../../src';

const splunk = (index: string) => SiemDestination.splunkHec({
  host: 'splunk-hec.example.com',
  tokenSecret: { secretName: 'splunk-hec', key: 'token' },
  index,
});

/** PagerDuty routing through kube-prometheus-stack's Alertmanager, to the service whose routing key the Secret holds. */
const pagerDuty = (secretName: string): SecurityMonitoringStackProps['alerting'] => ({
  pagerDuty: { routingKeySecret: { secretName, key: 'routing-key' } },
  namespace: 'monitoring',
  output: AlertingOutput.alertmanagerConfig({
    matcherStrategy: AlertmanagerMatcherStrategy.ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE,
    alertmanagerNamespace: 'monitoring',
  }),
});

export function buildFleet(): SecurityMonitoringFleet {
  return new SecurityMonitoringFleet({
    name: 'security-monitoring',
    base: {
      labels: { team: 'security' },
      prometheus: PrometheusIntegration.kubePrometheusStack({ releaseName: 'kube-prometheus-stack' }),
      siem: { destinations: [splunk('security')] },
      alerting: pagerDuty('pagerduty'),
    },
    clusters: [
      {
        name: 'dev',
        labels: { environment: 'dev' },
        overrides: { alerting: undefined, alerts: { workloads: false }, siem: { destinations: [splunk('security-dev')] } },
      },
      {
        name: 'staging',
        labels: { environment: 'staging' },
        overrides: { falco: { driver: FalcoDriver.kmod() }, alerting: pagerDuty('pagerduty-staging') },
      },
      {
        name: 'prod-eu-1',
        labels: { environment: 'prod', region: 'eu-west-1' },
        overrides: {
          anomalyDetection: { prometheusUrl: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090' },
          // prod's API servers see more failed logins from misconfigured clients: a higher bar before paging.
          alerts: { alertOverrides: { KubeApiServerAuthenticationFailures: { threshold: 5 } } },
          siem: { destinations: [splunk('security-prod')] },
        },
      },
    ],
    repository: { url: 'https://git.example.com/platform/security-monitoring.git', revision: 'main', path: 'dist/fleet' },
    argoCd: {},
    flux: { dependsOn: ['kube-prometheus-stack'] },
  });
}

if (require.main === module) {
  const outdir = path.join(__dirname, '..', '..', 'dist', 'fleet');
  const fleet = buildFleet();
  const files = fleet.synth(outdir);
  console.log(fleet.summary());
  console.log(`${files.length} files written to ${outdir}:\n  ${files.join('\n  ')}`);
}
