/**
 * A cluster running kube-prometheus-stack (Helm release `kube-prometheus-stack`
 * in `monitoring`): every PrometheusRule and ServiceMonitor carries its
 * `release` label, the anomaly detector queries its Prometheus, and critical
 * alerts page PagerDuty through an AlertmanagerConfig in the Alertmanager's
 * namespace (which, with OnNamespaceExceptForAlertmanagerNamespace, sees the
 * alerts of every namespace).
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { AlertingOutput, AlertmanagerMatcherStrategy, PrometheusIntegration, SecurityMonitoringStack } from '../../src';
import { synthAndDescribe } from '../run';

export function buildKubePrometheusStackApp(outdir = path.join(__dirname, '..', '..', 'dist', 'kube-prometheus-stack')): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'security-monitoring');
  new SecurityMonitoringStack(chart, 'stack', {
    prometheus: PrometheusIntegration.kubePrometheusStack({ releaseName: 'kube-prometheus-stack' }),
    anomalyDetection: { prometheusUrl: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090' },
    alerting: {
      pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } },
      namespace: 'monitoring',
      output: AlertingOutput.alertmanagerConfig({
        matcherStrategy: AlertmanagerMatcherStrategy.ON_NAMESPACE_EXCEPT_FOR_ALERTMANAGER_NAMESPACE,
        alertmanagerNamespace: 'monitoring',
      }),
    },
  });
  return app;
}

if (require.main === module) synthAndDescribe(buildKubePrometheusStackApp());
