import { Duration, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { promtool, promtoolVersion, runPromtool } from './promtool';
import { AlertOverride, AlertSeverity, SecurityAlerts, SecurityAlertsProps, SecurityMonitoringStack } from '../../src';
import { synth } from '../util';

const catalogue = (props: SecurityAlertsProps = {}) => new SecurityAlerts(Testing.chart(), 'alerts', props);
const rulesOf = (alerts: SecurityAlerts) => (parse(alerts.toRuleFile()).groups as any[]).flatMap((g) => g.rules);
const ruleOf = (alerts: SecurityAlerts, name: string) => rulesOf(alerts).find((r: any) => r.alert === name);
const testsOf = (alerts: SecurityAlerts, name: string) => (parse(alerts.toUnitTestFile('rules.yaml')).tests as any[])
  .filter((t) => t.alert_rule_test[0].alertname === name);

/** Every alert of the catalogue that compares with a threshold, with a moved one. */
const MOVED_THRESHOLDS: Record<string, number> = {
  KubeApiServerAuthenticationFailures: 7.5,
  KubeApiServerUnauthorizedSpike: 0.2,
  KubeApiServerAuthorizationDenials: 0.25,
  FalcoEventBurst: 120,
  KubeSystemContainerRestarting: 10,
  FalcoDroppingEvents: 0.001,
};

describe('per-alert tuning of the catalogue', () => {
  test('a moved threshold changes the expression and the description, and its tests fire just above it and stay silent just below', () => {
    const alerts = catalogue({ alertOverrides: { KubeApiServerAuthenticationFailures: { threshold: 7.5 } } });
    const rule = ruleOf(alerts, 'KubeApiServerAuthenticationFailures');
    expect(rule.expr).toBe('sum(rate(authentication_attempts{result="failure"}[5m])) > 7.5');
    expect(rule.annotations.description).toMatch(/^More than 7.5 failed authentications per second for 10 minutes/);
    const tests = testsOf(alerts, 'KubeApiServerAuthenticationFailures');
    expect(tests.map((t) => t.name)).toEqual([
      'KubeApiServerAuthenticationFailures: fires just above the threshold (7.65 failed authentications per second)',
      'KubeApiServerAuthenticationFailures: stays silent just below it (7.35 failed authentications per second)',
    ]);
    expect(tests[0].input_series[0]).toEqual({ series: 'authentication_attempts{result="failure"}', values: '0+459x30' });
    expect(tests[0].alert_rule_test[0].exp_alerts).toHaveLength(1);
    expect(tests[1].alert_rule_test[0].exp_alerts).toEqual([]);
  });

  test('every moved threshold, a longer for, a new severity, labels and annotations pass promtool (fires above, silent below)', () => {
    const overrides: Record<string, AlertOverride> = Object.fromEntries(
      Object.entries(MOVED_THRESHOLDS).map(([name, threshold]) => [name, { threshold }]));
    const alerts = catalogue({
      alertOverrides: {
        ...overrides,
        KubeApiServerAuthenticationFailures: { threshold: 7.5, for: Duration.minutes(30), severity: AlertSeverity.CRITICAL, labels: { team: 'platform' }, annotations: { dashboard: 'https://grafana.example.com/d/api' } },
        KubeSystemContainerRestarting: { threshold: 10, for: Duration.minutes(20) },
        PodUsesHostNetwork: { for: Duration.hours(2), keepFiringFor: Duration.minutes(30) },
        FluentBitOutputRetrying: { for: Duration.hours(1) },
        FluentBitSkippingLongLines: { for: Duration.minutes(15) },
      },
      disabledAlerts: ['Watchdog'],
      runbookUrlBase: 'https://runbooks.example.com/security/',
    });
    const { check, test } = runPromtool(alerts);
    expect(check.output).toContain('SUCCESS');
    expect(test.output).toContain('SUCCESS');
    expect(test.ok).toBe(true);
    // Not vacuous: each moved threshold has its two tests, evaluated later for a longer for.
    for (const name of Object.keys(MOVED_THRESHOLDS)) expect(testsOf(alerts, name).map((t) => t.name.split(': ')[1].split(' (')[0])).toEqual(expect.arrayContaining(['fires just above the threshold', 'stays silent just below it']));
    expect(testsOf(alerts, 'PodUsesHostNetwork')[0].alert_rule_test[0].eval_time).toBe('2h5m');
  });

  test('the catalogue tests for the old threshold fail against a moved one, so the tests must follow the tuning', () => {
    const moved = catalogue({ alertOverrides: { KubeApiServerAuthorizationDenials: { threshold: 3 } } });
    const inputs = { 'rules.yaml': moved.toRuleFile({ prometheusVersion: promtoolVersion() }), 'tests.yaml': catalogue().toUnitTestFile('rules.yaml') };
    const { ok, output } = promtool(['test', 'rules', 'tests.yaml'], inputs);
    expect(ok).toBe(false);
    expect(output).toContain('KubeApiServerAuthorizationDenials: fires just above the threshold');
  });

  test('a disabled alert is neither shipped nor tested, and a group with no alert left is left out', () => {
    const alerts = catalogue({ disabledAlerts: ['ContainerImageLatestTag', 'PodUsesHostNetwork', 'KubeSystemContainerRestarting', 'Watchdog'] });
    expect(rulesOf(alerts).map((r: any) => r.alert)).not.toContain('Watchdog');
    expect(testsOf(alerts, 'Watchdog')).toEqual([]);
    expect(alerts.groups.map((g) => g.name)).toEqual(['security.apiserver', 'security.falco', 'security.pipeline']);
    expect(alerts.tuningChanges.map((c) => `${c.alert} ${c.setting} ${c.from} -> ${c.to}`)).toEqual([
      'PodUsesHostNetwork enabled true -> false',
      'ContainerImageLatestTag enabled true -> false',
      'KubeSystemContainerRestarting enabled true -> false',
      'Watchdog enabled true -> false',
    ]);
  });

  test('severity, for, keepFiringFor, labels, annotations and the runbook base reach the rule; the changes are listed with old and new values', () => {
    const alerts = catalogue({
      ruleLabels: { team: 'security' },
      runbookUrlBase: 'https://wiki.example.com/runbooks#',
      alertOverrides: { FalcoShellInContainer: { severity: AlertSeverity.CRITICAL, keepFiringFor: Duration.minutes(30), labels: { team: 'sre' }, annotations: { playbook: 'shell' } } },
    });
    const rule = ruleOf(alerts, 'FalcoShellInContainer');
    expect(rule.labels).toEqual({ team: 'sre', severity: 'critical' });
    expect(rule.keep_firing_for).toBe('30m');
    expect(rule.annotations.playbook).toBe('shell');
    expect(rule.annotations.runbook_url).toBe('https://wiki.example.com/runbooks#falcoshellincontainer');
    expect(ruleOf(alerts, 'FalcoDown').labels).toEqual({ team: 'security', severity: 'critical' });
    expect(testsOf(alerts, 'FalcoShellInContainer')[0].alert_rule_test[0].exp_alerts[0].exp_labels).toMatchObject({ severity: 'critical', team: 'sre' });
    expect(alerts.tuningChanges).toEqual([
      { alert: 'FalcoShellInContainer', setting: 'keepFiringFor', from: 'none', to: '30m' },
      { alert: 'FalcoShellInContainer', setting: 'severity', from: 'warning', to: 'critical' },
      { alert: 'FalcoShellInContainer', setting: 'labels.team', from: 'none', to: 'sre' },
      { alert: 'FalcoShellInContainer', setting: 'annotations.playbook', from: 'none', to: 'shell' },
    ]);
  });

  test('the default runbook URLs are unchanged: one anchor per alert on the project page', () => {
    expect(ruleOf(catalogue(), 'FalcoDown').annotations.runbook_url)
      .toBe('https://github.com/cdk8s-security-monitoring/cdk8s-security-monitoring/blob/main/docs/runbooks.md#falcodown');
  });
});

describe('tuning errors', () => {
  test.each([
    [{ disabledAlerts: ['FalcoShellInContainr'] }, /disabledAlerts names "FalcoShellInContainr", which is not an alert of the catalogue.*did you mean "FalcoShellInContainer"/s],
    [{ alertOverrides: { KubeApiServerAuthFailures: { threshold: 2 } } }, /alertOverrides names "KubeApiServerAuthFailures".*use one of KubeApiServerAuthenticationFailures/s],
    [{ alertOverrides: { FalcoDown: { threshold: 2 } } }, /alertOverrides.FalcoDown: alert "FalcoDown" has no threshold to override/],
    [{ alertOverrides: { KubeApiServerUnauthorizedSpike: { threshold: 5 } } }, /threshold must be a number above 0 and below 1 \(of requests answered 401 or 403\).*5/s],
    [{ alertOverrides: { FalcoEventBurst: { threshold: -1 } } }, /threshold must be a number above 0 \(events a minute\)/],
    [{ alertOverrides: { FalcoCriticalEvent: { for: Duration.minutes(10) } } }, /fires once per new Falco event.*\(got "10m"\).*use keepFiringFor/s],
    [{ alertOverrides: { FalcoDown: { for: '10m' } } }, /alertOverrides.FalcoDown: for is not a Duration \(got "10m"\): pass a cdk8s Duration: Duration.minutes\(10\)/],
    [{ alertOverrides: { FalcoDown: { keepFiringFor: Duration.millis(0.5) } } }, /keepFiringFor is not a whole number of milliseconds \(got "0.5ms"\)/],
    [{ alertOverrides: { FalcoDown: { severity: 'page' as AlertSeverity } } }, /severity is not one of critical, warning, info/],
    [{ disabledAlerts: ['FalcoDown'], alertOverrides: { FalcoDown: { for: Duration.minutes(5) } } }, /both in disabledAlerts and in alertOverrides/],
    [{ runbookUrlBase: 'runbooks.example.com' }, /runbookUrlBase is not an http\(s\) URL/],
  ])('%j is refused', (props, message) => {
    expect(() => catalogue(props as SecurityAlertsProps)).toThrow(message);
  });

  test('an alert of a group that is off, or of a ruleset not loaded, is still a known name', () => {
    expect(() => catalogue({ falco: false, disabledAlerts: ['FalcoDown'] })).not.toThrow();
    expect(() => catalogue({ falcoRulesets: [], alertOverrides: { FalcoShellInContainer: { severity: AlertSeverity.INFO } } })).not.toThrow();
  });
});

describe('tuning in a SecurityMonitoringStack', () => {
  const stack = new SecurityMonitoringStack(Testing.chart(), 'security', {
    alerting: { pagerDuty: { routingKeySecret: { secretName: 'pagerduty', key: 'routing-key' } } },
    alerts: {
      ruleLabels: { team: 'security' },
      disabledAlerts: ['ContainerImageLatestTag'],
      alertOverrides: {
        FalcoShellInContainer: { severity: AlertSeverity.CRITICAL },
        KubeApiServerAuthenticationFailures: { threshold: 5, for: Duration.minutes(15) },
      },
    },
  });

  test('a severity raised to critical is paged: the rule carries the label PagerDuty is routed on', () => {
    const rule = ruleOf(stack.alerts!, 'FalcoShellInContainer');
    const paged = stack.alerting!.routingExpectations().find((e) => e.labels.severity === 'critical' && Object.keys(e.labels).length === 2)!;
    expect(rule.labels.severity).toBe('critical');
    expect(paged.receiver).toMatch(/pagerduty/);
    // The dashboard's "Alerts firing by severity" counts ALERTS by the same label.
    expect(JSON.stringify(synth(stack))).toContain('count by (severity) (ALERTS{');
  });

  test('ruleLabels of alerts reach every alert, under the stack\'s own', () => {
    expect(ruleOf(stack.alerts!, 'FalcoDown').labels.team).toBe('security');
  });

  test('describe() lists each disabled and overridden alert with the old and new values', () => {
    expect(stack.describe()).toContain([
      'Tuned alerts (catalogue value -> value in effect):',
      '  KubeApiServerAuthenticationFailures threshold: 1 -> 5',
      '  KubeApiServerAuthenticationFailures for: 10m -> 15m',
      '  FalcoShellInContainer severity: warning -> critical',
      '  ContainerImageLatestTag: disabled',
    ].join('\n'));
  });
});
