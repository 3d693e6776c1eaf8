import { Testing } from 'cdk8s';
import { PrometheusSelector } from '../../src';
import { createServiceMonitor } from '../../src/common/service-monitor';
import { expectValidManifests } from '../util';

describe('PrometheusSelector', () => {
  test('kube-prometheus-stack selects by the Helm release label', () => {
    const s = PrometheusSelector.kubePrometheusStack('monitoring');
    expect(s.ruleLabels).toEqual({ release: 'monitoring' });
    expect(s.monitorLabels).toEqual({ release: 'monitoring' });
  });

  test('kube-prometheus needs prometheus=k8s and role=alert-rules on rules only', () => {
    const s = PrometheusSelector.kubePrometheus();
    expect(s.ruleLabels).toEqual({ prometheus: 'k8s', role: 'alert-rules' });
    expect(s.monitorLabels).toEqual({});
  });

  test('custom labels default the monitor labels to the rule labels', () => {
    expect(PrometheusSelector.custom({ team: 'sec' }).monitorLabels).toEqual({ team: 'sec' });
    expect(PrometheusSelector.custom({ a: 'b' }, { c: 'd' }).monitorLabels).toEqual({ c: 'd' });
    expect(PrometheusSelector.none().ruleLabels).toEqual({});
  });

  test('bad input gets the standard error', () => {
    expect(() => PrometheusSelector.kubePrometheusStack('Kube_Prom')).toThrow('PrometheusSelector.kubePrometheusStack: releaseName is not a valid DNS-1123 label (got "Kube_Prom")');
    expect(() => PrometheusSelector.custom({ team: 'a b' })).toThrow('PrometheusSelector.custom: ruleLabels["team"] is not a valid label value (got "a b")');
  });
});

describe('createServiceMonitor', () => {
  test('scrapes the named port of the labelled Service with the selector labels', () => {
    const chart = Testing.chart();
    createServiceMonitor(chart, 'sm', {
      name: 'falco',
      namespace: 'falco',
      labels: { app: 'falco' },
      serviceLabels: { 'app.kubernetes.io/name': 'falco' },
      portName: 'metrics',
      path: '/metrics',
      selector: PrometheusSelector.kubePrometheusStack('kps'),
      interval: '30s',
    });
    const [sm] = Testing.synth(chart);
    expect(sm.metadata).toEqual({ name: 'falco', namespace: 'falco', labels: { app: 'falco', release: 'kps' } });
    expect(sm.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'falco' } },
      namespaceSelector: { matchNames: ['falco'] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    });
    expectValidManifests([sm]);
  });

  test('rejects an invalid scrape interval', () => {
    expect(() => createServiceMonitor(Testing.chart(), 'sm', {
      name: 'x', namespace: 'y', labels: {}, serviceLabels: {}, portName: 'm', path: '/', selector: PrometheusSelector.none(), interval: '30 s',
    })).toThrow('test/sm: interval is not a valid Prometheus duration (got "30 s")');
  });
});
