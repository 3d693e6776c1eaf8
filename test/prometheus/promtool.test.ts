import { Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { promqlExpressions } from './promql-differential';
import { promtool, promtoolRejections, promtoolTemplateRejections, promtoolVersion, runPromtool } from './promtool';
import { AlertSeverity, PromQL, SecurityAlerts, SecurityMonitoringStack, SecurityPrometheusRule } from '../../src';
import { RUNBOOK_BASE } from '../../src/prometheus/catalogue/helpers';
import { agentUnavailable } from '../../src/prometheus/catalogue/pipeline';

describe('promtool', () => {
  test('is installed', () => {
    expect(promtoolVersion()).toMatch(/^\d+\.\d+$/);
  });

  test('checks the whole security alert catalogue and passes its unit tests', () => {
    const { check, test } = runPromtool(new SecurityAlerts(Testing.chart(), 'alerts'));
    expect(check.output).toContain('SUCCESS');
    expect(check.ok).toBe(true);
    expect(test.output).toContain('SUCCESS');
    expect(test.ok).toBe(true);
  });

  test('fails a generated test whose expectation is wrong, so the catalogue tests can fail', () => {
    const rules = new SecurityPrometheusRule(Testing.chart(), 'rules');
    rules.addAlert({
      alert: 'AlwaysQuiet',
      expr: 'up == 0',
      severity: AlertSeverity.INFO,
      summary: 's',
      description: 'd',
      runbookUrl: 'https://example.com',
      tests: [{ name: 'wrongly expects a firing alert', series: [{ series: 'up{job="a"}', values: '1x10' }], evalTime: Duration.minutes(5), expectedAlerts: [{ labels: { job: 'a' } }] }],
    });
    const { check, test } = runPromtool(rules);
    expect(check.ok).toBe(true);
    expect(test.ok).toBe(false);
    expect(test.output).toContain('AlwaysQuiet');
  });
});

describe('SecurityAgentUnavailable watches every agent DaemonSet of a stack', () => {
  test('fires for a Filebeat added with addFilebeatPipeline and for Falco, from the stack\'s own recording rules; not for other DaemonSets', () => {
    const stack = new SecurityMonitoringStack(Testing.chart(), 'stack');
    stack.addFilebeatPipeline('filebeat', { elasticsearch: { host: 'es.example.com' }, namespace: 'security-elastic' });
    const daemonSet = (namespace: string, name: string, desired: number, available: number) => [
      { series: `kube_daemonset_status_desired_number_scheduled{namespace="${namespace}",daemonset="${name}"}`, values: `${desired}x30` },
      { series: `kube_daemonset_status_number_available{namespace="${namespace}",daemonset="${name}"}`, values: `${available}x30` },
    ];
    const annotations = (target: string, state: string) => ({
      summary: `Security agent ${target} is not running on every node`,
      description: agentUnavailable(target, state),
      runbook_url: `${RUNBOOK_BASE}securityagentunavailable`,
    });
    const tests = stringify({
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          ...daemonSet('security-elastic', 'filebeat', 4, 3),
          ...daemonSet('falco', 'falco', 0, 0),
          ...daemonSet('kube-system', 'kube-proxy', 4, 1),
        ],
        alert_rule_test: [{
          alertname: 'SecurityAgentUnavailable',
          eval_time: '20m',
          exp_alerts: [
            { exp_labels: { severity: 'critical', namespace: 'falco', daemonset: 'falco' }, exp_annotations: annotations('falco/falco', 'targets no node') },
            {
              exp_labels: { severity: 'critical', namespace: 'security-elastic', daemonset: 'filebeat' },
              exp_annotations: annotations('security-elastic/filebeat', 'has no available pod on 1 of the nodes it must cover'),
            },
          ],
        }],
      }],
    });
    const result = promtool(['test', 'rules', 'tests.yaml'], { 'rules.yaml': stack.alerts!.toRuleFile({ prometheusVersion: promtoolVersion() }), 'tests.yaml': tests });
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });
});

describe('PromQL.validate agrees with promtool', () => {
  test('on thousands of generated expressions (differential test)', () => {
    const expressions = [...new Set(fc.sample(promqlExpressions, { numRuns: 4000, seed: 1 }))];
    const rejected = promtoolRejections(expressions);
    const disagreements = expressions.flatMap((expr) => {
      let ours = '';
      try {
        PromQL.validate(expr);
      } catch (e) {
        ours = (e as Error).message.split('\n')[0];
      }
      const theirs = rejected.get(expr);
      return (ours === '') === (theirs === undefined) ? [] : [`${expr}\n  ours: ${ours || 'valid'}\n  promtool: ${theirs ?? 'valid'}`];
    });
    expect(disagreements).toEqual([]);
    // Both outcomes are well represented, so agreement means something.
    expect(rejected.size).toBeGreaterThan(expressions.length / 2);
    expect(rejected.size).toBeLessThan(expressions.length - 200);
  });
});

describe('alert templates are judged as promtool judges them', () => {
  const templates = [
    // Valid: "}}" as text or in a string, comments, blocks, declarations, Prometheus' functions and variables.
    'a }} b', '{{ printf "%s}}" "x" }}', '{{ "{{" }}', '{{/* c }} */}}', '{{- $labels.job -}}', '{{ $value | humanizePercentage }}',
    '{{ with $labels.job }}{{ . }}{{ end }}', '{{ if and true false }}x{{ else if true }}y{{ end }}', '{{ $externalLabels.cluster }}',
    '{{ range $i, $v := query "up" }}{{ $v.Value }}{{ break }}{{ end }}', '{{ (query "up") | first | value | humanize }}', '{{ 0x1F }}',
    '{{ define "x" }}y{{ end }}', '{{ toUpper (index $labels "job") }}', '{{ $x := 1 }}{{ $x }}', '{{ $.Labels.job }}', "{{ 'a' }}",
    // Invalid: Prometheus would refuse the whole rule file.
    '{{ $labels.job', '{{ }}', '{{ if }}x{{ end }}', '{{ range }}{{ end }}', '{{ else }}', '{{ end }}', '{{ if true }}', '{{ break }}',
    '{{ if true }}{{ else }}{{ else }}{{ end }}', '{{ nosuchfunc 1 }}', '{{ humanizePercentag $value }}', '{{ $lables.job }}', '{{ $y }}',
    '{{ tmpl "a" . }}', '{{ "unterminated }}', '{{/* c', '{{ {{ x }} }}',
  ];

  test('each is accepted by both or rejected by both', () => {
    const rejected = promtoolTemplateRejections(templates);
    const disagreements = templates.flatMap((summary) => {
      let ours = '';
      try {
        new SecurityPrometheusRule(Testing.chart(), 'r').addAlert({ alert: 'A', expr: 'up == 0', severity: AlertSeverity.INFO, summary, description: 'd' });
      } catch (e) {
        ours = (e as Error).message;
      }
      const theirs = rejected.get(summary);
      return (ours === '') === (theirs === undefined) ? [] : [`${summary}\n  ours: ${ours || 'valid'}\n  promtool: ${theirs ?? 'valid'}`];
    });
    expect(disagreements).toEqual([]);
    expect(rejected.size).toBe(17);
  });
});
