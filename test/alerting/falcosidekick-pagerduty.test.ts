import { FalcoPriority, FalcosidekickPagerDuty, PagerDutyRegion } from '../../src';

describe('FalcosidekickPagerDuty', () => {
  test('pages from critical Falco events by default, with the key from a Secret', () => {
    expect(new FalcosidekickPagerDuty({ routingKey: { secretName: 'pagerduty', key: 'routing-key' } }).env).toEqual([
      { name: 'PAGERDUTY_ROUTINGKEY', secretKeyRef: { secretName: 'pagerduty', key: 'routing-key' } },
      { name: 'PAGERDUTY_REGION', value: 'us' },
      { name: 'PAGERDUTY_MINIMUMPRIORITY', value: 'critical' },
    ]);
  });

  test('minimum priority and region', () => {
    const env = new FalcosidekickPagerDuty({ routingKey: { secretName: 'pd', key: 'k' }, minimumPriority: FalcoPriority.ALERT, region: PagerDutyRegion.EU }).env;
    expect(env.slice(1)).toEqual([{ name: 'PAGERDUTY_REGION', value: 'eu' }, { name: 'PAGERDUTY_MINIMUMPRIORITY', value: 'alert' }]);
  });

  test('missing routing key reference', () => {
    expect(() => new FalcosidekickPagerDuty({} as any)).toThrow('FalcosidekickPagerDuty: routingKey is missing (got undefined)');
  });
});
