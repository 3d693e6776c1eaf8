import { AlertSeverity } from '../../common/severity';
import { PrometheusRuleGroup } from '../rule-group';
import { firesAndStaysSilent, runbook } from './helpers';

/**
 * Kubernetes API server signals. Sources (kubernetes/kubernetes):
 * - `authentication_attempts{result}` and `authorization_attempts_total{result}`:
 *   staging/src/k8s.io/apiserver/pkg/endpoints/filters/metrics.go
 * - `apiserver_request_total{verb,resource,code,...}`:
 *   staging/src/k8s.io/apiserver/pkg/endpoints/metrics/metrics.go
 * - `apiserver_audit_error_total{plugin}`: staging/src/k8s.io/apiserver/pkg/audit/metrics.go; the
 *   `truncate` plugin (plugin/pkg/audit/truncate) counts events it discards as too large even
 *   without their request and response objects
 */
export function addApiServerAlerts(group: PrometheusRuleGroup): void {
  group.addAlert({
    alert: 'KubeApiServerAuthenticationFailures',
    expr: 'sum(rate(authentication_attempts{result="failure"}[5m])) > 1',
    for: '10m',
    severity: AlertSeverity.WARNING,
    summary: 'API server rejects many authentication attempts',
    description: 'More than 1 failed authentication per second for 10 minutes ({{ $value | printf "%.2f" }}/s): credential stuffing, a leaked or expired token in a loop, or a misconfigured client.',
    runbookUrl: runbook('KubeApiServerAuthenticationFailures'),
    tests: firesAndStaysSilent({
      what: '2 failures per second',
      firing: [{ series: 'authentication_attempts{result="failure"}', values: '0+120x30' }],
      normal: [{ series: 'authentication_attempts{result="failure"}', values: '0+6x30' }, { series: 'authentication_attempts{result="success"}', values: '0+600x30' }],
      annotations: { description: 'More than 1 failed authentication per second for 10 minutes (2.00/s): credential stuffing, a leaked or expired token in a loop, or a misconfigured client.' },
    }),
  });

  group.addAlert({
    alert: 'KubeApiServerUnauthorizedSpike',
    expr: 'sum by (code) (rate(apiserver_request_total{code=~"401|403"}[5m])) / ignoring(code) group_left sum(rate(apiserver_request_total[5m])) > 0.05',
    for: '10m',
    severity: AlertSeverity.WARNING,
    summary: 'Many API requests answered {{ $labels.code }}',
    description: 'More than 5% of API server requests were answered {{ $labels.code }} for 10 minutes: someone probes permissions they do not have, or a workload lost its RBAC.',
    runbookUrl: runbook('KubeApiServerUnauthorizedSpike'),
    tests: firesAndStaysSilent({
      what: '17% of requests denied',
      firing: [
        { series: 'apiserver_request_total{code="200",verb="GET",resource="pods"}', values: '0+600x30' },
        { series: 'apiserver_request_total{code="403",verb="LIST",resource="secrets"}', values: '0+120x30' },
      ],
      normal: [
        { series: 'apiserver_request_total{code="200",verb="GET",resource="pods"}', values: '0+600x30' },
        { series: 'apiserver_request_total{code="403",verb="LIST",resource="secrets"}', values: '0+6x30' },
      ],
      labels: { code: '403' },
      annotations: {
        summary: 'Many API requests answered 403',
        description: 'More than 5% of API server requests were answered 403 for 10 minutes: someone probes permissions they do not have, or a workload lost its RBAC.',
      },
    }),
  });

  group.addAlert({
    alert: 'KubeApiServerAuthorizationDenials',
    expr: 'sum(rate(authorization_attempts_total{result="denied"}[5m])) > 1',
    for: '10m',
    severity: AlertSeverity.WARNING,
    summary: 'API server denies many authorization attempts',
    description: 'The authorizer denied more than 1 request per second for 10 minutes: look for the user or service account in the audit log.',
    runbookUrl: runbook('KubeApiServerAuthorizationDenials'),
    tests: firesAndStaysSilent({
      what: '2 denials per second',
      firing: [{ series: 'authorization_attempts_total{result="denied"}', values: '0+120x30' }],
      normal: [{ series: 'authorization_attempts_total{result="denied"}', values: '0+6x30' }, { series: 'authorization_attempts_total{result="allowed"}', values: '0+600x30' }],
    }),
  });

  group.addAlert({
    alert: 'KubeApiServerAuditEventsLost',
    expr: 'sum by (plugin) (increase(apiserver_audit_error_total[10m])) > 0',
    severity: AlertSeverity.CRITICAL,
    summary: 'The API server failed to audit requests ({{ $labels.plugin }})',
    description: 'Audit backend {{ $labels.plugin }} dropped audit events in the last 10 minutes: those requests are missing from the audit log and the SIEM. With truncate, an event was larger than maxEventBytes even without its request and response objects.',
    runbookUrl: runbook('KubeApiServerAuditEventsLost'),
    tests: firesAndStaysSilent({
      what: 'events dropped by the truncate plugin',
      firing: [{ series: 'apiserver_audit_error_total{plugin="truncate"}', values: '0x10 1x20' }],
      normal: [{ series: 'apiserver_audit_error_total{plugin="truncate"}', values: '0x30' }],
      labels: { plugin: 'truncate' },
      annotations: {
        summary: 'The API server failed to audit requests (truncate)',
        description: 'Audit backend truncate dropped audit events in the last 10 minutes: those requests are missing from the audit log and the SIEM. With truncate, an event was larger than maxEventBytes even without its request and response objects.',
      },
    }),
  });
}
