import { Duration, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { runPromtool } from './promtool';
import { AlertSeverity, AnomalyDetectionProps, SecurityPrometheusRule } from '../../src';

const SIGNAL = 'sum(rate(authentication_attempts{result="failure"}[5m]))';
const NAME = 'security:auth_failures:rate5m';

/** Cumulative counter values from per-minute increments. */
function counter(increments: number[]): string {
  let total = 0;
  return increments.map((i) => (total += i)).join(' ');
}

/** 10 and 14 failures a minute, alternating: normal, slightly noisy traffic. */
const normal = (minutes: number) => Array.from({ length: minutes }, (_, i) => (i % 2 === 0 ? 10 : 14));

function detector(props: Partial<AnomalyDetectionProps> = {}) {
  const rules = new SecurityPrometheusRule(Testing.chart(), 'rules');
  rules.addGroup({ name: 'anomalies' }).addAnomalyDetection({
    name: NAME,
    signal: SIGNAL,
    alert: 'AuthFailureAnomaly',
    summary: 'Unusual rate of failed authentications',
    ...props,
  });
  return rules;
}

describe('anomaly detection', () => {
  test('records signal, mean and stddev of last week\'s week, and z-score; alerts at |z| > 3 once history exists', () => {
    const group = parse(detector().toRuleFile()).groups[0];
    expect(group.rules).toEqual([
      { record: NAME, expr: SIGNAL },
      { record: `${NAME}:avg_1w`, expr: `avg_over_time(${NAME}[1w] offset 1w)` },
      { record: `${NAME}:stddev_1w`, expr: `stddev_over_time(${NAME}[1w] offset 1w)` },
      { record: `${NAME}:zscore`, expr: `(${NAME} - ${NAME}:avg_1w) / ${NAME}:stddev_1w` },
      {
        alert: 'AuthFailureAnomaly',
        // 90% of a week of 1-minute samples.
        expr: `abs(${NAME}:zscore) > 3 and count_over_time(${NAME}[1w] offset 1w) >= 9072`,
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Unusual rate of failed authentications',
          description: `${NAME} is {{ $value | printf "%.1f" }} standard deviations from its baseline (threshold 3).`,
        },
      },
    ]);
  });

  test('without seasonality the window ends now; the guard follows the group interval', () => {
    const rules = new SecurityPrometheusRule(Testing.chart(), 'rules');
    rules.addGroup({ name: 'g', interval: Duration.minutes(5) }).addAnomalyDetection({ name: 'x:y', signal: 'sum(up)', alert: 'A', summary: 's', seasonalOffset: Duration.seconds(0), window: Duration.days(1), threshold: 4 });
    const group = parse(rules.toRuleFile()).groups[0];
    expect(group.rules[1]).toEqual({ record: 'x:y:avg_1d', expr: 'avg_over_time(x:y[1d])' });
    expect(group.rules[4].expr).toBe('abs(x:y:zscore) > 4 and count_over_time(x:y[1d]) >= 260');
  });

  test.each<[Partial<AnomalyDetectionProps>, string]>([
    [{ window: Duration.seconds(0) }, 'window must be longer than zero (got "0s")'],
    [{ window: 'week' as any }, 'window is not a Duration (got "week"): pass a cdk8s Duration, e.g. Duration.days(7)'],
    [{ window: '1w' as any }, 'window is not a Duration (got "1w"): pass a cdk8s Duration: Duration.days(7)'],
    [{ threshold: -1 }, 'threshold must be a positive number (got -1)'],
    [{ minSamples: 0.5 }, 'minSamples must be a positive integer (got 0.5)'],
    [{ signal: 'rate(x)' }, 'argument 1 of function "rate" must be a range vector'],
    [{ name: 'not a name' }, 'record name is not a valid metric name (got "not a name")'],
  ])('rejects %j', (props, message) => {
    expect(() => detector(props)).toThrow(message);
  });

  test('promtool: fires on a spike after enough history, stays silent on normal traffic and without history', () => {
    const description = 'Failed authentications deviate from the baseline.';
    const spikeAt = (minute: number, total: number) => [...normal(minute), ...Array(total - minute).fill(300)];
    const rules = detector({
      window: Duration.hours(1),
      seasonalOffset: Duration.hours(1),
      minSamples: 50,
      for: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      description,
      runbookUrl: 'https://example.com',
      tests: [
        { name: 'fires on a spike after two hours of history', series: [{ series: 'authentication_attempts{result="failure"}', values: counter(spikeAt(150, 180)) }], evalTime: Duration.minutes(170), expectedAlerts: [{}] },
        { name: 'stays silent on normal traffic', series: [{ series: 'authentication_attempts{result="failure"}', values: counter(normal(180)) }], evalTime: Duration.minutes(170), expectedAlerts: [] },
        { name: 'stays silent on a spike before enough history exists', series: [{ series: 'authentication_attempts{result="failure"}', values: counter(spikeAt(70, 100)) }], evalTime: Duration.minutes(95), expectedAlerts: [] },
      ],
    });
    const { check, test } = runPromtool(rules);
    expect(check.output).toContain('SUCCESS');
    expect(test.output).toContain('SUCCESS');
  });
});
