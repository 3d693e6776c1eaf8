import { Testing } from 'cdk8s';
import { PrometheusSelector, SecurityKpiRules } from '../../src';
import { expectValidManifests, findObject, synth } from '../util';

describe('SecurityKpiRules', () => {
  const kpis = new SecurityKpiRules(Testing.chart(), 'kpis', { namespace: 'security-monitoring', prometheusSelector: PrometheusSelector.kubePrometheusStack('kps') });
  const manifests = synth(kpis);

  test('is a valid PrometheusRule carrying the selector labels', () => {
    expectValidManifests(manifests);
    const rule = findObject(manifests, 'PrometheusRule', 'security-kpis');
    expect(rule.metadata.labels).toEqual({ release: 'kps' });
    expect(rule.spec.groups[0]).toMatchObject({ name: 'security.kpis', interval: '5m' });
  });

  test('uses Falco\'s numeric priority label for critical-or-worse events', () => {
    const rules = findObject(manifests, 'PrometheusRule').spec.groups[0].rules;
    expect(rules).toEqual([
      { record: 'security:falco_critical_events:increase1d', expr: 'sum(increase(falcosecurity_falco_rules_matches_total{priority=~"0|1|2"}[1d]))' },
      { record: 'security:falco_events_by_priority:increase1d', expr: 'sum by (priority) (increase(falcosecurity_falco_rules_matches_total[1d]))' },
      { record: 'security:alerts_fired_by_severity:count1d', expr: 'count by (severity) (max_over_time(ALERTS{alertstate="firing"}[1d]))' },
    ]);
    expect(kpis.recordNames).toEqual(rules.map((r: any) => r.record));
  });
});
