import { IsolationForest } from '../../src/anomaly/detector/isolation-forest';
import { DetectorConfig, MIN_TRAINING_POINTS, renderMetrics, scoreSeries } from '../../src/anomaly/detector/main';

const CONFIG: DetectorConfig = {
  prometheusUrl: 'http://127.0.0.1:9090',
  features: [],
  trees: 50,
  sampleSize: 64,
  contamination: 0.1,
  trainingWindowSeconds: 3600,
  stepSeconds: 60,
  scoringIntervalSeconds: 60,
  port: 8080,
  seed: 1,
};

const points = (values: number[]) => ({ labels: { namespace: 'shop' }, points: values.map((v, i) => [i * 60, v] as const) });

describe('IsolationForest', () => {
  const data = Array.from({ length: 300 }, (_, i) => [Math.sin(i), Math.cos(i / 3)]);

  test('the same seed grows the same forest', () => {
    const a = new IsolationForest({ seed: 3 }).fit(data).scoreSamples(data);
    const b = new IsolationForest({ seed: 3 }).fit(data).scoreSamples(data);
    expect(b).toEqual(a);
    expect(new IsolationForest({ seed: 4 }).fit(data).scoreSamples(data)).not.toEqual(a);
  });

  test('constant data gives equal scores and flags nothing', () => {
    const constant = Array.from({ length: 50 }, () => [1, 2]);
    const forest = new IsolationForest().fit(constant);
    expect(new Set(forest.scoreSamples(constant)).size).toBe(1);
    expect(forest.predict(constant).every((label) => label === 1)).toBe(true);
  });

  test('refuses to train on nothing', () => {
    expect(() => new IsolationForest().fit([])).toThrow('IsolationForest.fit: no training points');
  });
});

describe('detector program', () => {
  test('does not score a series with too little history', () => {
    expect(scoreSeries(CONFIG, 'f', points(Array(MIN_TRAINING_POINTS - 1).fill(1)))).toBeUndefined();
    expect(scoreSeries(CONFIG, 'f', points(Array(MIN_TRAINING_POINTS).fill(1)))).toBeDefined();
  });

  test('flags the first point of a spike, and not a usual value', () => {
    const history = Array.from({ length: 100 }, (_, i) => 100 + (i % 7));
    expect(scoreSeries(CONFIG, 'f', points([...history, 1000]))?.anomalous).toBe(true);
    expect(scoreSeries(CONFIG, 'f', points([...history, 103]))?.anomalous).toBe(false);
  });

  test('exports scores with the feature and series labels, escaped', () => {
    const result = {
      feature: 'egress',
      labels: { namespace: 'a"b\\c', feature: 'shadowed' },
      trainingPoints: 99,
      timestamp: 0,
      value: 5,
      score: 0.7,
      threshold: 0.6,
      anomalous: true,
    };
    const text = renderMetrics([result], new Map([['egress', 2]]), 1700000000);
    expect(text).toContain('security_anomaly_flag{namespace="a\\"b\\\\c",feature="egress"} 1\n');
    expect(text).toContain('security_anomaly_score{namespace="a\\"b\\\\c",feature="egress"} 0.7\n');
    expect(text).toContain('security_anomaly_query_failures_total{feature="egress"} 2\n');
    expect(text).toContain('security_anomaly_last_success_timestamp_seconds 1700000000\n');
    expect(text).toContain('# TYPE security_anomaly_threshold gauge\n');
  });
});
