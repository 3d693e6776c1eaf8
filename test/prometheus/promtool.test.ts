import { Testing } from 'cdk8s';
import { promtoolVersion, runPromtool } from './promtool';
import { AlertSeverity, SecurityAlerts, SecurityPrometheusRule } from '../../src';

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
      tests: [{ name: 'wrongly expects a firing alert', series: [{ series: 'up{job="a"}', values: '1x10' }], evalTime: '5m', expectedAlerts: [{ labels: { job: 'a' } }] }],
    });
    const { check, test } = runPromtool(rules);
    expect(check.ok).toBe(true);
    expect(test.ok).toBe(false);
    expect(test.output).toContain('AlwaysQuiet');
  });
});
