import { AlertSeverity } from '../../common/severity';
import { PrometheusRuleGroup } from '../rule-group';
import { firesAndStaysSilent, runbook } from './helpers';

/**
 * Health of the alerting and log pipeline. Sources:
 * - `fluentbit_output_errors_total{name}`, `fluentbit_output_retries_total{name}`,
 *   `fluentbit_output_dropped_records_total{name}`: fluent/fluent-bit src/flb_output.c. Records
 *   are dropped when retries run out, when the destination rejects a chunk for good (an
 *   error, e.g. a Splunk 4xx) and when a full filesystem buffer evicts the oldest chunks
 *   (src/flb_engine.c, src/flb_input_chunk.c);
 * - `alertmanager_notifications_failed_total{integration}`: prometheus/alertmanager notify/notify.go.
 */
export function addPipelineAlerts(group: PrometheusRuleGroup): void {
  group.addAlert({
    alert: 'Watchdog',
    expr: 'vector(1)',
    severity: AlertSeverity.INFO,
    summary: 'Alerting pipeline is alive',
    description: 'This alert always fires. Route it to a dead man\'s switch: when it stops arriving, Prometheus, Alertmanager or the route is broken.',
    runbookUrl: runbook('Watchdog'),
    tests: [{ name: 'always fires', series: [], evalTime: '1m', expectedAlerts: [{}] }],
  });

  group.addAlert({
    alert: 'FluentBitOutputErrors',
    expr: 'sum by (name) (rate(fluentbit_output_errors_total[5m])) > 0',
    for: '10m',
    severity: AlertSeverity.WARNING,
    summary: 'Fluent Bit output {{ $labels.name }} fails to deliver',
    description: 'Chunks sent by output {{ $labels.name }} fail: security events are delayed on the way to the SIEM, and lost once retries run out.',
    runbookUrl: runbook('FluentBitOutputErrors'),
    tests: firesAndStaysSilent({
      what: 'steady output errors',
      firing: [{ series: 'fluentbit_output_errors_total{name="splunk.0",pod="fluent-bit-x"}', values: '0+2x30' }],
      normal: [{ series: 'fluentbit_output_errors_total{name="splunk.0",pod="fluent-bit-x"}', values: '0x30' }],
      labels: { name: 'splunk.0' },
      annotations: {
        summary: 'Fluent Bit output splunk.0 fails to deliver',
        description: 'Chunks sent by output splunk.0 fail: security events are delayed on the way to the SIEM, and lost once retries run out.',
      },
    }),
  });

  group.addAlert({
    alert: 'FluentBitOutputRetrying',
    expr: 'sum by (name) (rate(fluentbit_output_retries_total[5m])) > 0',
    for: '15m',
    severity: AlertSeverity.INFO,
    summary: 'Fluent Bit output {{ $labels.name }} keeps retrying',
    description: 'Output {{ $labels.name }} has retried chunks for 15 minutes: the destination is slow or down and the buffer grows.',
    runbookUrl: runbook('FluentBitOutputRetrying'),
    tests: firesAndStaysSilent({
      what: 'continuous retries',
      firing: [{ series: 'fluentbit_output_retries_total{name="splunk.0"}', values: '0+1x30' }],
      normal: [{ series: 'fluentbit_output_retries_total{name="splunk.0"}', values: '4x30' }],
      labels: { name: 'splunk.0' },
      annotations: {
        summary: 'Fluent Bit output splunk.0 keeps retrying',
        description: 'Output splunk.0 has retried chunks for 15 minutes: the destination is slow or down and the buffer grows.',
      },
    }),
  });

  group.addAlert({
    alert: 'FluentBitDroppingLogs',
    expr: 'sum by (name) (increase(fluentbit_output_dropped_records_total[10m])) > 0',
    severity: AlertSeverity.CRITICAL,
    summary: 'Fluent Bit output {{ $labels.name }} drops logs',
    description: 'Output {{ $labels.name }} dropped records in the last 10 minutes (retries ran out, the destination rejected them, or the filesystem buffer was full): security logs are lost.',
    runbookUrl: runbook('FluentBitDroppingLogs'),
    tests: firesAndStaysSilent({
      what: 'dropped records',
      firing: [{ series: 'fluentbit_output_dropped_records_total{name="splunk.0"}', values: '0x10 40+40x20' }],
      normal: [{ series: 'fluentbit_output_dropped_records_total{name="splunk.0"}', values: '40x30' }],
      labels: { name: 'splunk.0' },
      annotations: {
        summary: 'Fluent Bit output splunk.0 drops logs',
        description: 'Output splunk.0 dropped records in the last 10 minutes (retries ran out, the destination rejected them, or the filesystem buffer was full): security logs are lost.',
      },
    }),
  });

  group.addAlert({
    alert: 'AlertmanagerNotificationsFailing',
    expr: 'sum by (integration) (rate(alertmanager_notifications_failed_total[5m])) > 0',
    for: '10m',
    severity: AlertSeverity.CRITICAL,
    summary: 'Alertmanager cannot notify {{ $labels.integration }}',
    description: 'Notifications to {{ $labels.integration }} fail: security alerts do not reach anyone. Check the receiver\'s credentials and network egress.',
    runbookUrl: runbook('AlertmanagerNotificationsFailing'),
    tests: firesAndStaysSilent({
      what: 'failing PagerDuty notifications',
      firing: [{ series: 'alertmanager_notifications_failed_total{integration="pagerduty",reason="clientError"}', values: '0+1x30' }],
      normal: [{ series: 'alertmanager_notifications_failed_total{integration="pagerduty",reason="clientError"}', values: '0x30' }],
      labels: { integration: 'pagerduty' },
      annotations: {
        summary: 'Alertmanager cannot notify pagerduty',
        description: 'Notifications to pagerduty fail: security alerts do not reach anyone. Check the receiver\'s credentials and network egress.',
      },
    }),
  });
}
