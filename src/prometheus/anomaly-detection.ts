import { Duration } from 'cdk8s';
import { AlertTestCase, AnomalyDetectionProps } from './rule-props';
import { durationMillis, prometheusDuration } from '../common/duration';
import { AlertSeverity } from '../common/severity';
import { validationError } from '../common/validation';

/** The recording rules and the alert an anomaly detector consists of. */
export interface AnomalyRules {
  readonly records: Array<{ record: string; expr: string }>;
  readonly alert: {
    alert: string;
    expr: string;
    for: Duration;
    severity: AlertSeverity;
    summary: string;
    description: string;
    runbookUrl?: string;
    tests?: AlertTestCase[];
  };
}

/** Builds the rules of an anomaly detector; the group validates them as they are added. */
export function anomalyRules(where: string, props: AnomalyDetectionProps, groupInterval: Duration | undefined): AnomalyRules {
  const window = prometheusDuration(where, 'window', props.window ?? Duration.days(7), 'Duration.days(7)');
  const offset = prometheusDuration(where, 'seasonalOffset', props.seasonalOffset ?? Duration.days(7), 'Duration.days(7)');
  const windowMs = durationMillis(where, 'window', props.window ?? Duration.days(7));
  if (windowMs === 0) throw validationError(where, 'window must be longer than zero', window, 'use a duration such as Duration.days(7)');
  const seasonal = offset !== '0s';
  const threshold = props.threshold ?? 3;
  if (typeof threshold !== 'number' || !(threshold > 0)) {
    throw validationError(where, 'threshold must be a positive number', threshold, 'use a z-score such as 3');
  }
  const intervalMs = groupInterval === undefined ? 60_000 : durationMillis(where, 'group interval', groupInterval);
  const minSamples = props.minSamples ?? Math.ceil(0.9 * windowMs / intervalMs);
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw validationError(where, 'minSamples must be a positive integer', minSamples, 'use the number of samples the baseline needs');
  }

  const n = props.name;
  const suffix = window.replace(/[^a-z0-9]/gi, '');
  const avg = `${n}:avg_${suffix}`;
  const stddev = `${n}:stddev_${suffix}`;
  const zscore = `${n}:zscore`;
  // Statistics of the window one season back: the anomaly being detected does not
  // inflate its own baseline, and last week's pattern is what "normal" means.
  const range = `[${window}]${seasonal ? ` offset ${offset}` : ''}`;
  return {
    records: [
      { record: n, expr: props.signal },
      { record: avg, expr: `avg_over_time(${n}${range})` },
      { record: stddev, expr: `stddev_over_time(${n}${range})` },
      { record: zscore, expr: `(${n} - ${avg}) / ${stddev}` },
    ],
    alert: {
      alert: props.alert,
      // The guard: the baseline window must be (mostly) filled, else its statistics are noise.
      expr: `abs(${zscore}) > ${threshold} and count_over_time(${n}${range}) >= ${minSamples}`,
      for: props.for ?? Duration.minutes(15),
      severity: props.severity ?? AlertSeverity.WARNING,
      summary: props.summary,
      description: props.description
        ?? `${n} is {{ $value | printf "%.1f" }} standard deviations from its baseline (threshold ${threshold}).`,
      runbookUrl: props.runbookUrl,
      tests: props.tests,
    },
  };
}
