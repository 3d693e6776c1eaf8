import { Testing } from 'cdk8s';
import { AlertSeverity, FalcoDefaultRules, FalcoPriority, FalcoRuleset, SecurityMonitoringStack, SecurityMonitoringStackProps } from '../../src';
import { UPSTREAM_RULES } from '../../src/falco/rules/upstream-names';
import { watchedFalcoRules } from '../../src/stack/watched-falco-rules';
import { synth } from '../util';

function stackIn(props?: SecurityMonitoringStackProps) {
  return new SecurityMonitoringStack(Testing.chart(), 'stack', props);
}

/** Every Falco rule name the stack's alerts watch, by alert. */
function watched(stack: SecurityMonitoringStack): Record<string, string[]> {
  return Object.fromEntries(stack.alerts!.groups.flatMap((g) => g._alertExpressions())
    .map(({ alert, expr }) => [alert, watchedFalcoRules(expr)] as const)
    .filter(([, rules]) => rules.length > 0));
}

function watchRule(stack: SecurityMonitoringStack, rule: string) {
  stack.alerts!.addAlert({
    alert: 'WatchesOneRule',
    expr: `sum by (rule_name) (rate(falcosecurity_falco_rules_matches_total{rule_name="${rule}"}[5m])) > 0`,
    severity: AlertSeverity.WARNING,
    summary: 's',
    description: 'd',
    runbookUrl: 'https://runbooks.example/watch',
  });
  return stack;
}

describe('built-in Falco alerts watch only rules the deployment loads', () => {
  test('default stack: stable rules only, and each is loaded', () => {
    const stack = stackIn();
    expect(stack.falco!.rulesets).toEqual([FalcoRuleset.STABLE]);
    expect(watched(stack)).toEqual({
      FalcoShellInContainer: ['Terminal shell in container'],
      FalcoPrivilegedContainer: ['Debugfs Launched in Privileged Container'],
    });
    for (const rule of Object.values(watched(stack)).flat()) expect(UPSTREAM_RULES[FalcoRuleset.STABLE]).toContain(rule);
    expect(() => synth(stack)).not.toThrow();
  });

  test('loading the incubating and sandbox rulesets widens the privileged-container alert to their rules', () => {
    const stack = stackIn({
      falco: { defaultRules: FalcoDefaultRules.falcoctl({ rulesets: [FalcoRuleset.STABLE, FalcoRuleset.INCUBATING, FalcoRuleset.SANDBOX] }) },
    });
    expect(watched(stack).FalcoPrivilegedContainer).toEqual([
      'Debugfs Launched in Privileged Container', 'Launch Privileged Container', 'Privileged Container Device Access',
    ]);
    expect(UPSTREAM_RULES[FalcoRuleset.INCUBATING]).toContain('Launch Privileged Container');
    expect(UPSTREAM_RULES[FalcoRuleset.SANDBOX]).toContain('Privileged Container Device Access');
    expect(() => synth(stack)).not.toThrow();
  });

  test('without upstream rules, the alerts on named upstream rules are left out (they could never fire)', () => {
    const stack = stackIn({ falco: { defaultRules: FalcoDefaultRules.none() } });
    expect(watched(stack)).toEqual({});
    expect(stack.alerts!.groups.flatMap((g) => g._alertExpressions().map((a) => a.alert))).toContain('FalcoCriticalEvent');
  });
});

describe('an alert on a Falco rule the deployment does not load is an error at synth', () => {
  test('a rule of a ruleset that is not loaded names the ruleset to add', () => {
    expect(() => synth(watchRule(stackIn(), 'Launch Privileged Container'))).toThrow(
      'test/stack/alerts: alert "WatchesOneRule" watches a Falco rule that is in the incubating ruleset, which this Falco does not load, so the alert can never fire for it '
      + '(got "Launch Privileged Container"): load it: falco.defaultRules: FalcoDefaultRules.falcoctl({ rulesets: [FalcoRuleset.STABLE, FalcoRuleset.INCUBATING] })');
  });

  test('a disabled rule', () => {
    expect(() => synth(watchRule(stackIn({ falco: { disabledRules: ['Terminal shell in container'] } }), 'Terminal shell in container'))).toThrow(
      'alert "FalcoShellInContainer" watches a Falco rule that is in disabledRules, so the alert can never fire for it (got "Terminal shell in container"): remove it from falco.disabledRules');
  });

  test('a rule its ruleset ships disabled, unless enabledRules turns it on', () => {
    const sandbox = { defaultRules: FalcoDefaultRules.falcoctl({ rulesets: [FalcoRuleset.STABLE, FalcoRuleset.SANDBOX] }) };
    expect(() => synth(watchRule(stackIn({ falco: sandbox }), 'Container Run as Root User'))).toThrow(
      'watches a Falco rule that ships disabled in the sandbox ruleset, so the alert can never fire for it (got "Container Run as Root User"): add it to falco.enabledRules');
    expect(() => synth(watchRule(stackIn({ falco: { ...sandbox, enabledRules: ['Container Run as Root User'] } }), 'Container Run as Root User'))).not.toThrow();
  });

  test('a misspelt rule, with did-you-mean', () => {
    expect(() => synth(watchRule(stackIn(), 'Terminal shell in containers'))).toThrow(
      'watches a Falco rule that is defined by no rules file this Falco loads, so the alert can never fire for it (got "Terminal shell in containers"): did you mean "Terminal shell in container"?');
  });

  test('a custom rule added to Falco is loaded', () => {
    const stack = stackIn();
    stack.falco!.addRule({ name: 'Crypto miner', description: 'd', condition: 'evt.type = execve and proc.name = xmrig', output: 'miner %proc.name', priority: FalcoPriority.CRITICAL });
    expect(() => synth(watchRule(stack, 'Crypto miner'))).not.toThrow();
  });
});

describe('watchedFalcoRules', () => {
  test('reads literal names from = and =~ matchers, unescaping regex escapes, and skips patterns', () => {
    expect(watchedFalcoRules('x{rule_name="A b"} or y{rule_name=~"C|Container Drift Detected \\\\(chmod\\\\)|Read .*"} or z{rule_name!="D"}'))
      .toEqual(['A b', 'C', 'Container Drift Detected (chmod)']);
  });
});
