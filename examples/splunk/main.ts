/**
 * Splunk HEC and PagerDuty: security logs (containers, the audit log, Falco
 * events) go to Splunk, critical alerts page PagerDuty, warnings go to Slack.
 * Every credential is referenced by Secret name and key, never rendered:
 * create the Secrets `splunk-hec` (key `token`) in `security-logging`, and
 * `pagerduty` (key `routing-key`) and `slack` (key `webhook-url`) in
 * `security-monitoring`.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { AlertReceiver, SecurityMonitoringStack, SiemDestination } from '../../src';
import { synthAndDescribe } from '../run';

export function buildSplunkApp(outdir = path.join(__dirname, '..', '..', 'dist', 'splunk')): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'security-monitoring');
  new SecurityMonitoringStack(chart, 'stack', {
    siem: {
      destinations: [SiemDestination.splunkHec({
        host: 'splunk-hec.example.com',
        tokenSecret: { secretName: 'splunk-hec', key: 'token' },
        index: 'security',
        indexByLogType: { security_audit: 'k8s_audit', falco: 'falco' },
      })],
    },
    alerting: {
      pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } },
      warningReceiver: AlertReceiver.slack('security-slack', { urlSecret: { secretName: 'slack', key: 'webhook-url' }, channel: '#security-alerts' }),
    },
  });
  return app;
}

if (require.main === module) synthAndDescribe(buildSplunkApp());
