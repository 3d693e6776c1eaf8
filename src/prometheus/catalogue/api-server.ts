import { Duration } from 'cdk8s';
import { aroundThreshold, CatalogueAlert, CatalogueThreshold, duration, firesAndStaysSilent, num, percent } from './helpers';
import { AlertSeverity } from '../../common/severity';

const PER_SECOND_AUTHN: CatalogueThreshold = { default: 1, unit: 'failed authentications per second' };
const DENIED_RATIO: CatalogueThreshold = { default: 0.05, unit: 'of requests answered 401 or 403', below: 1 };
const PER_SECOND_AUTHZ: CatalogueThreshold = { default: 1, unit: 'authorization denials per second' };

/** A counter growing by `perSecond` each second, sampled every minute for 30 minutes. */
const counter = (series: string, perSecond: number) => ({ series, values: `0+${num(perSecond * 60)}x30` });

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
export function apiServerAlerts(): CatalogueAlert[] {
  return [{
    alert: 'KubeApiServerAuthenticationFailures',
    threshold: PER_SECOND_AUTHN,
    defaultFor: Duration.minutes(10),
    build: ({ threshold, for: forDuration }) => {
      const description = (value: string) => `More than ${num(threshold)} failed authentication${threshold === 1 ? '' : 's'} per second for ${duration(forDuration)} (${value}/s): `
        + 'credential stuffing, a leaked or expired token in a loop, or a misconfigured client.';
      return {
        alert: 'KubeApiServerAuthenticationFailures',
        expr: `sum(rate(authentication_attempts{result="failure"}[5m])) > ${num(threshold)}`,
        for: forDuration,
        severity: AlertSeverity.WARNING,
        summary: 'API server rejects many authentication attempts',
        description: description('{{ $value | printf "%.2f" }}'),
        tests: aroundThreshold({
          threshold: PER_SECOND_AUTHN,
          value: threshold,
          at: (perSecond) => [counter('authentication_attempts{result="failure"}', perSecond)],
          normal: [counter('authentication_attempts{result="success"}', 10)],
          expected: (perSecond) => ({ annotations: { description: description(perSecond.toFixed(2)) } }),
        }),
      };
    },
  }, {
    alert: 'KubeApiServerUnauthorizedSpike',
    threshold: DENIED_RATIO,
    defaultFor: Duration.minutes(10),
    build: ({ threshold, for: forDuration }) => {
      const description = (code: string) => `More than ${percent(threshold)} of API server requests were answered ${code} for ${duration(forDuration)}: `
        + 'someone probes permissions they do not have, or a workload lost its RBAC.';
      return {
        alert: 'KubeApiServerUnauthorizedSpike',
        expr: 'sum by (code) (rate(apiserver_request_total{code=~"401|403"}[5m])) / ignoring(code) group_left sum(rate(apiserver_request_total[5m])) '
          + `> ${num(threshold)}`,
        for: forDuration,
        severity: AlertSeverity.WARNING,
        summary: 'Many API requests answered {{ $labels.code }}',
        description: description('{{ $labels.code }}'),
        tests: aroundThreshold({
          threshold: DENIED_RATIO,
          value: threshold,
          // 10 successful requests a second, and as many 403s as make the given share of all requests.
          at: (ratio) => [
            counter('apiserver_request_total{code="200",verb="GET",resource="pods"}', 10),
            counter('apiserver_request_total{code="403",verb="LIST",resource="secrets"}', (10 * ratio) / (1 - ratio)),
          ],
          expected: () => ({ labels: { code: '403' }, annotations: { summary: 'Many API requests answered 403', description: description('403') } }),
        }),
      };
    },
  }, {
    alert: 'KubeApiServerAuthorizationDenials',
    threshold: PER_SECOND_AUTHZ,
    defaultFor: Duration.minutes(10),
    build: ({ threshold, for: forDuration }) => ({
      alert: 'KubeApiServerAuthorizationDenials',
      expr: `sum(rate(authorization_attempts_total{result="denied"}[5m])) > ${num(threshold)}`,
      for: forDuration,
      severity: AlertSeverity.WARNING,
      summary: 'API server denies many authorization attempts',
      description: `The authorizer denied more than ${num(threshold)} request${threshold === 1 ? '' : 's'} per second for ${duration(forDuration)}: look for the user or service account in the audit log.`,
      tests: aroundThreshold({
        threshold: PER_SECOND_AUTHZ,
        value: threshold,
        at: (perSecond) => [counter('authorization_attempts_total{result="denied"}', perSecond)],
        normal: [counter('authorization_attempts_total{result="allowed"}', 10)],
        expected: () => ({}),
      }),
    }),
  }, {
    alert: 'KubeApiServerAuditEventsLost',
    build: ({ for: forDuration }) => ({
      alert: 'KubeApiServerAuditEventsLost',
      expr: 'sum by (plugin) (increase(apiserver_audit_error_total[10m])) > 0',
      for: forDuration,
      severity: AlertSeverity.CRITICAL,
      summary: 'The API server failed to audit requests ({{ $labels.plugin }})',
      description: 'Audit backend {{ $labels.plugin }} dropped audit events in the last 10 minutes: those requests are missing from the audit log and the SIEM. With truncate, an event was larger than maxEventBytes even without its request and response objects.',
      tests: firesAndStaysSilent({
        what: 'events dropped by the truncate plugin',
        // Dropping on: a for set by alertOverrides stretches the test, and a single drop lasts only the window.
        firing: [{ series: 'apiserver_audit_error_total{plugin="truncate"}', values: '0x10 1+1x20' }],
        normal: [{ series: 'apiserver_audit_error_total{plugin="truncate"}', values: '0x30' }],
        labels: { plugin: 'truncate' },
        annotations: {
          summary: 'The API server failed to audit requests (truncate)',
          description: 'Audit backend truncate dropped audit events in the last 10 minutes: those requests are missing from the audit log and the SIEM. With truncate, an event was larger than maxEventBytes even without its request and response objects.',
        },
      }),
    }),
  }];
}
