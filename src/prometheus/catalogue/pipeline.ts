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
 * - `alertmanager_notifications_failed_total{integration}`: prometheus/alertmanager notify/notify.go;
 * - `kube_daemonset_status_desired_number_scheduled`, `kube_daemonset_status_number_available`
 *   `{namespace, daemonset}`: kubernetes/kube-state-metrics internal/store/daemonset.go (stable);
 * - `filebeat_libbeat_output_events{type}` and `filebeat_libbeat_pipeline_events{type}`: Filebeat's
 *   `/stats` (`libbeat.output.events.*`, `libbeat.pipeline.events.*`) as trustpilot/beat-exporter 0.4.0
 *   exports them (collector/libbeat.go: untyped, cumulative since Filebeat started). `failed` counts
 *   events of batches the output could not deliver (retried), `dropped` events the output gave up on
 *   (Elasticsearch rejected them for good, e.g. a mapping conflict), `retry` events handed back for another try.
 */

/**
 * The recording rule that lists the agent DaemonSets `SecurityAgentUnavailable`
 * watches: one series per DaemonSet (labels `namespace`, `daemonset`), written
 * by `SecurityAlerts.watchAgent`.
 */
export const AGENT_INVENTORY_RECORD = 'security:agent_daemonset:info';
/** FluentBitOutputRetrying's annotations for output `name` (a template for `{{ $labels.name }}`). */
const retrying = (name: string) => ({
  summary: `Fluent Bit output ${name} keeps retrying`,
  description: `Output ${name} has retried chunks for 15 minutes: the destination is slow or down and the buffer grows, or a chunk is rejected on every attempt.`,
});

/** SecurityAgentUnavailable's description of DaemonSet `daemonSet` in state `state`. */
export const agentUnavailable = (daemonSet: string, state: string) =>
  `DaemonSet ${daemonSet} ${state}: what happens on the nodes without it is not detected or not shipped to the SIEM.`;

/** One chunk retried every 5 minutes for 4 hours, long enough for any `for` a test may be stretched to. */
const retriedEveryFiveMinutes = Array.from({ length: 48 }, (_, i) => `${i}x4`).join(' ');

export function pipelineAlerts(): CatalogueAlert[] {
  return [...deliveryAlerts(), ...fluentBitOutputAlerts(), ...fluentBitInputAlerts(), ...filebeatAlerts(), alertmanagerAlert()];
}

/** That alerts and logs can flow at all: the Watchdog, and every agent DaemonSet running on every node. */
function deliveryAlerts(): CatalogueAlert[] {
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
      alert: 'SecurityAgentUnavailable',
      defaultFor: Duration.minutes(15),
      build: ({ for: forDuration }) => ({
        alert: 'SecurityAgentUnavailable',
        // Desired 0 is a DaemonSet whose nodeSelector or affinity matches no node: it runs nowhere.
        expr: 'max by (namespace, daemonset) ((kube_daemonset_status_desired_number_scheduled - kube_daemonset_status_number_available > 0) '
          + `or (kube_daemonset_status_desired_number_scheduled == 0)) and on (namespace, daemonset) ${AGENT_INVENTORY_RECORD}`,
        for: forDuration,
        severity: AlertSeverity.CRITICAL,
        summary: 'Security agent {{ $labels.namespace }}/{{ $labels.daemonset }} is not running on every node',
        description: agentUnavailable('{{ $labels.namespace }}/{{ $labels.daemonset }}',
          '{{ if eq $value 0.0 }}targets no node{{ else }}has no available pod on {{ $value }} of the nodes it must cover{{ end }}'),
        tests: firesAndStaysSilent({
          what: 'an agent DaemonSet with an unavailable pod',
          firing: [
            { series: `${AGENT_INVENTORY_RECORD}{namespace="logging",daemonset="node-agent"}`, values: '1x30' },
            { series: 'kube_daemonset_status_desired_number_scheduled{namespace="logging",daemonset="node-agent"}', values: '3x30' },
            { series: 'kube_daemonset_status_number_available{namespace="logging",daemonset="node-agent"}', values: '2x30' },
          ],
          normal: [
            { series: `${AGENT_INVENTORY_RECORD}{namespace="logging",daemonset="node-agent"}`, values: '1x30' },
            { series: 'kube_daemonset_status_desired_number_scheduled{namespace="logging",daemonset="node-agent"}', values: '3x30' },
            { series: 'kube_daemonset_status_number_available{namespace="logging",daemonset="node-agent"}', values: '3x30' },
            // Not an agent of the stack: the cluster's own DaemonSet alerts cover it.
            { series: 'kube_daemonset_status_desired_number_scheduled{namespace="shop",daemonset="cache-warmer"}', values: '3x30' },
            { series: 'kube_daemonset_status_number_available{namespace="shop",daemonset="cache-warmer"}', values: '1x30' },
          ],
          labels: { namespace: 'logging', daemonset: 'node-agent' },
          annotations: {
            summary: 'Security agent logging/node-agent is not running on every node',
            description: agentUnavailable('logging/node-agent', 'has no available pod on 1 of the nodes it must cover'),
          },
        }),
      }),
    },
  ];
}

/** Fluent Bit's delivery, from its own metrics. */
function fluentBitOutputAlerts(): CatalogueAlert[] {
  return [
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
  ];
}

/** Fluent Bit's tail inputs losing parts of what they read, from its own metrics. */
function fluentBitInputAlerts(): CatalogueAlert[] {
  return [
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
  ];
}

/** Filebeat's delivery, from its `/stats` as the beat-exporter sidecar of `FilebeatPipeline` exports them. */
function filebeatAlerts(): CatalogueAlert[] {
  return [
    {
      alert: 'FilebeatOutputErrors',
      defaultFor: Duration.minutes(10),
      build: ({ for: forDuration }) => ({
        alert: 'FilebeatOutputErrors',
        expr: 'sum by (namespace, pod) (rate(filebeat_libbeat_output_events{type="failed"}[5m])) > 0',
        for: forDuration,
        severity: AlertSeverity.WARNING,
        summary: 'Filebeat {{ $labels.pod }} fails to deliver',
        description: 'Batches sent by Filebeat {{ $labels.pod }} fail: security events are delayed on the way to the SIEM, and lost if their files rotate away before delivery.',
        tests: firesAndStaysSilent({
          what: 'steady failed events',
          firing: [{ series: 'filebeat_libbeat_output_events{type="failed",namespace="logging",pod="filebeat-x"}', values: '0+50x30' }],
          normal: [{ series: 'filebeat_libbeat_output_events{type="failed",namespace="logging",pod="filebeat-x"}', values: '7x30' }],
          labels: { namespace: 'logging', pod: 'filebeat-x' },
          annotations: {
            summary: 'Filebeat filebeat-x fails to deliver',
            description: 'Batches sent by Filebeat filebeat-x fail: security events are delayed on the way to the SIEM, and lost if their files rotate away before delivery.',
          },
        }),
      }),
    },

    {
      alert: 'FilebeatStatsUnreadable',
      defaultFor: Duration.minutes(15),
      build: ({ for: forDuration }) => ({
        alert: 'FilebeatStatsUnreadable',
        // The exporter writes 0 when Filebeat's /stats does not answer or does not parse.
        expr: 'max by (namespace, pod) (filebeat_up) == 0',
        for: forDuration,
        severity: AlertSeverity.WARNING,
        summary: 'The metrics of Filebeat {{ $labels.pod }} cannot be read',
        description: 'The beat-exporter beside Filebeat {{ $labels.pod }} cannot read or parse its /stats: the other Filebeat alerts are blind for this pod.',
        tests: firesAndStaysSilent({
          what: 'an unreadable /stats',
          firing: [{ series: 'filebeat_up{namespace="logging",pod="filebeat-x"}', values: '0x30' }],
          normal: [{ series: 'filebeat_up{namespace="logging",pod="filebeat-x"}', values: '1x30' }],
          labels: { namespace: 'logging', pod: 'filebeat-x' },
          annotations: {
            summary: 'The metrics of Filebeat filebeat-x cannot be read',
            description: 'The beat-exporter beside Filebeat filebeat-x cannot read or parse its /stats: the other Filebeat alerts are blind for this pod.',
          },
        }),
      }),
    },

    {
      alert: 'FilebeatOutputRetrying',
      defaultFor: Duration.minutes(15),
      build: ({ for: forDuration }) => ({
        alert: 'FilebeatOutputRetrying',
        expr: 'sum by (namespace, pod) (increase(filebeat_libbeat_pipeline_events{type="retry"}[15m])) > 0',
        for: forDuration,
        severity: AlertSeverity.INFO,
        summary: 'Filebeat {{ $labels.pod }} keeps retrying',
        description: 'Filebeat {{ $labels.pod }} has handed events back for retry for 15 minutes: the SIEM is slow or down, and the files it has not shipped yet must not rotate away.',
        tests: firesAndStaysSilent({
          what: 'continuous retries',
          firing: [{ series: 'filebeat_libbeat_pipeline_events{type="retry",namespace="logging",pod="filebeat-x"}', values: '0+10x40' }],
          normal: [{ series: 'filebeat_libbeat_pipeline_events{type="retry",namespace="logging",pod="filebeat-x"}', values: '20x40' }],
          evalTime: Duration.minutes(35),
          labels: { namespace: 'logging', pod: 'filebeat-x' },
          annotations: {
            summary: 'Filebeat filebeat-x keeps retrying',
            description: 'Filebeat filebeat-x has handed events back for retry for 15 minutes: the SIEM is slow or down, and the files it has not shipped yet must not rotate away.',
          },
        }),
      }),
    },

    {
      alert: 'FilebeatDroppingEvents',
      build: () => ({
        alert: 'FilebeatDroppingEvents',
        expr: 'sum by (namespace, pod) (increase(filebeat_libbeat_output_events{type="dropped"}[10m])) > 0',
        severity: AlertSeverity.CRITICAL,
        summary: 'Filebeat {{ $labels.pod }} drops events',
        description: 'Filebeat {{ $labels.pod }} dropped events in the last 10 minutes (the SIEM rejected them for good, e.g. a mapping conflict): security logs are lost.',
        tests: firesAndStaysSilent({
          what: 'dropped events',
          firing: [{ series: 'filebeat_libbeat_output_events{type="dropped",namespace="logging",pod="filebeat-x"}', values: '0x10 5+5x20' }],
          normal: [{ series: 'filebeat_libbeat_output_events{type="dropped",namespace="logging",pod="filebeat-x"}', values: '5x30' }],
          labels: { namespace: 'logging', pod: 'filebeat-x' },
          annotations: {
            summary: 'Filebeat filebeat-x drops events',
            description: 'Filebeat filebeat-x dropped events in the last 10 minutes (the SIEM rejected them for good, e.g. a mapping conflict): security logs are lost.',
          },
        }),
      }),
    },
  ];
}

function alertmanagerAlert(): CatalogueAlert {
  return {
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
  };
}
