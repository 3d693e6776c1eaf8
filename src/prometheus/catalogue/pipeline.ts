import { Duration } from 'cdk8s';
import { CatalogueAlert, firesAndStaysSilent } from './helpers';
import { AlertSeverity } from '../../common/severity';

/**
 * Health of the alerting and log pipeline. Sources:
 * - `fluentbit_output_errors_total{name}`, `fluentbit_output_retries_total{name}`,
 *   `fluentbit_output_dropped_records_total{name}`: fluent/fluent-bit src/flb_output.c. Records
 *   are dropped when retries run out, when the destination rejects a chunk for good (an
 *   error, e.g. a Splunk 4xx) and when a full filesystem buffer evicts the oldest chunks
 *   (src/flb_engine.c, src/flb_input_chunk.c);
 * - `fluentbit_input_long_line_skipped_total{name}`, `fluentbit_input_multiline_truncated_total{name}`:
 *   plugins/in_tail (tail_config.c, tail_file.c). A line longer than the input's `buffer_max_size`
 *   is skipped (with `skip_long_lines`) and a joined multiline message over `multiline_buffer_limit`
 *   is cut; neither counts as a dropped record;
 * - `alertmanager_notifications_failed_total{integration}`: prometheus/alertmanager notify/notify.go.
 */
/** FluentBitOutputRetrying's annotations for output `name` (a template for `{{ $labels.name }}`). */
const retrying = (name: string) => ({
  summary: `Fluent Bit output ${name} keeps retrying`,
  description: `Output ${name} has retried chunks for 15 minutes: the destination is slow or down and the buffer grows, or a chunk is rejected on every attempt.`,
});

/** One chunk retried every 5 minutes for 4 hours, long enough for any `for` a test may be stretched to. */
const retriedEveryFiveMinutes = Array.from({ length: 48 }, (_, i) => `${i}x4`).join(' ');

export function pipelineAlerts(): CatalogueAlert[] {
  return [
    {
      alert: 'Watchdog',
      build: () => ({
        alert: 'Watchdog',
        expr: 'vector(1)',
        severity: AlertSeverity.INFO,
        summary: 'Alerting pipeline is alive',
        description: 'This alert always fires. Route it to a dead man\'s switch: when it stops arriving, Prometheus, Alertmanager or the route is broken.',
        tests: [{ name: 'always fires', series: [], evalTime: Duration.minutes(1), expectedAlerts: [{}] }],
      }),
    },

    {
      alert: 'FluentBitOutputErrors',
      defaultFor: Duration.minutes(10),
      build: ({ for: forDuration }) => ({
        alert: 'FluentBitOutputErrors',
        expr: 'sum by (name) (rate(fluentbit_output_errors_total[5m])) > 0',
        for: forDuration,
        severity: AlertSeverity.WARNING,
        summary: 'Fluent Bit output {{ $labels.name }} fails to deliver',
        description: 'Chunks sent by output {{ $labels.name }} fail: security events are delayed on the way to the SIEM, and lost once retries run out.',
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
      }),
    },

    {
      alert: 'FluentBitOutputRetrying',
      defaultFor: Duration.minutes(15),
      build: ({ for: forDuration }) => ({
        alert: 'FluentBitOutputRetrying',
        // A chunk that never succeeds is retried about once per scheduler.cap (300 s by default):
        // a window shorter than that would see gaps and reset `for`, and a stuck chunk would never alert.
        expr: 'sum by (name) (increase(fluentbit_output_retries_total[15m])) > 0',
        for: forDuration,
        severity: AlertSeverity.INFO,
        ...retrying('{{ $labels.name }}'),
        tests: [
          ...firesAndStaysSilent({
            what: 'continuous retries',
            firing: [{ series: 'fluentbit_output_retries_total{name="splunk.0"}', values: '0+1x30' }],
            normal: [{ series: 'fluentbit_output_retries_total{name="splunk.0"}', values: '4x30' }],
            labels: { name: 'splunk.0' },
            annotations: retrying('splunk.0'),
          }),
          {
            name: 'fires on one chunk retried every 5 minutes (scheduler.cap)',
            series: [{ series: 'fluentbit_output_retries_total{name="es.0"}', values: retriedEveryFiveMinutes }],
            evalTime: Duration.minutes(40),
            expectedAlerts: [{ labels: { name: 'es.0' }, annotations: retrying('es.0') }],
          },
        ],
      }),
    },

    {
      alert: 'FluentBitDroppingLogs',
      build: () => ({
        alert: 'FluentBitDroppingLogs',
        expr: 'sum by (name) (increase(fluentbit_output_dropped_records_total[10m])) > 0',
        severity: AlertSeverity.CRITICAL,
        summary: 'Fluent Bit output {{ $labels.name }} drops logs',
        description: 'Output {{ $labels.name }} dropped records in the last 10 minutes (retries ran out, the destination rejected them, or the filesystem buffer was full): security logs are lost.',
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
      }),
    },

    {
      alert: 'FluentBitSkippingLongLines',
      build: () => ({
        alert: 'FluentBitSkippingLongLines',
        expr: 'sum by (name) (increase(fluentbit_input_long_line_skipped_total[10m])) > 0',
        severity: AlertSeverity.CRITICAL,
        summary: 'Fluent Bit input {{ $labels.name }} skips lines too long for its buffer',
        description: 'Input {{ $labels.name }} skipped lines longer than its buffer_max_size in the last 10 minutes: those log lines (audit events, container output) are lost.',
        tests: firesAndStaysSilent({
          what: 'skipped long lines',
          firing: [{ series: 'fluentbit_input_long_line_skipped_total{name="security_audit"}', values: '0x10 1+1x20' }],
          normal: [{ series: 'fluentbit_input_long_line_skipped_total{name="security_audit"}', values: '0x30' }],
          labels: { name: 'security_audit' },
          annotations: {
            summary: 'Fluent Bit input security_audit skips lines too long for its buffer',
            description: 'Input security_audit skipped lines longer than its buffer_max_size in the last 10 minutes: those log lines (audit events, container output) are lost.',
          },
        }),
      }),
    },

    {
      alert: 'FluentBitTruncatingMessages',
      build: () => ({
        alert: 'FluentBitTruncatingMessages',
        expr: 'sum by (name) (increase(fluentbit_input_multiline_truncated_total[10m])) > 0',
        severity: AlertSeverity.WARNING,
        summary: 'Fluent Bit input {{ $labels.name }} truncates joined log messages',
        description: 'Input {{ $labels.name }} cut messages joined from partial lines at multiline_buffer_limit in the last 10 minutes: their ends are missing at the SIEM, and a cut JSON message (a Falco event) is not parsed.',
        tests: firesAndStaysSilent({
          what: 'truncated messages',
          firing: [{ series: 'fluentbit_input_multiline_truncated_total{name="falco"}', values: '0x10 2+2x20' }],
          normal: [{ series: 'fluentbit_input_multiline_truncated_total{name="falco"}', values: '0x30' }],
          labels: { name: 'falco' },
          annotations: {
            summary: 'Fluent Bit input falco truncates joined log messages',
            description: 'Input falco cut messages joined from partial lines at multiline_buffer_limit in the last 10 minutes: their ends are missing at the SIEM, and a cut JSON message (a Falco event) is not parsed.',
          },
        }),
      }),
    },

    {
      alert: 'AlertmanagerNotificationsFailing',
      defaultFor: Duration.minutes(10),
      build: ({ for: forDuration }) => ({
        alert: 'AlertmanagerNotificationsFailing',
        expr: 'sum by (integration) (rate(alertmanager_notifications_failed_total[5m])) > 0',
        for: forDuration,
        severity: AlertSeverity.CRITICAL,
        summary: 'Alertmanager cannot notify {{ $labels.integration }}',
        description: 'Notifications to {{ $labels.integration }} fail: security alerts do not reach anyone. Check the receiver\'s credentials and network egress.',
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
      }),
    },
  ];
}
