import { Duration } from 'cdk8s';
import { AlertSeverity } from '../../common/severity';
import { FalcoRuleset } from '../../falco/default-rules';
import { RecordingRuleProps } from '../rule-props';
import { aroundThreshold, CatalogueAlert, CatalogueThreshold, duration, firesAndStaysSilent, newEvents, num, percent } from './helpers';

/** Falco's metrics endpoint writes priorities as numbers: 0 EMERGENCY ... 7 DEBUG (userspace/engine/falco_common.h). */
const CRITICAL_OR_WORSE = '0|1|2';
const MATCHES = 'falcosecurity_falco_rules_matches_total';
const SHELL_RULES = 'Terminal shell in container';
const EVENTS_PER_MINUTE: CatalogueThreshold = { default: 10, unit: 'events a minute' };
const KERNEL_DROP_RATIO: CatalogueThreshold = { default: 0.01, unit: 'of kernel events dropped', below: 1 };
/**
 * Privileged-container rules by the ruleset that defines them: an alert watches
 * only rules the deployment loads, or it could never fire for them.
 */
const PRIVILEGED_RULES: ReadonlyArray<[FalcoRuleset, string]> = [
  [FalcoRuleset.STABLE, 'Debugfs Launched in Privileged Container'],
  [FalcoRuleset.INCUBATING, 'Launch Privileged Container'],
  [FalcoRuleset.SANDBOX, 'Privileged Container Device Access'],
];

/**
 * Falco signals (falcosecurity/falco userspace/falco/falco_metrics.cpp, with
 * `metrics.enabled` and `rules_counters_enabled`):
 * - `falcosecurity_falco_rules_matches_total{rule_name,priority,source,tag_*}`,
 *   exposed only for rules that matched at least once;
 * - `falcosecurity_falco_version_info{version}` (always present: the liveness signal);
 * - `falcosecurity_falco_outputs_queue_num_drops_total`;
 * - `falcosecurity_scap_n_evts_total` / `falcosecurity_scap_n_drops_total` (kernel buffer).
 */
export const FALCO_RECORDING_RULES: RecordingRuleProps[] = [{
  record: 'security:falco_events:rate5m',
  expr: `sum by (priority, rule_name) (rate(${MATCHES}[5m]))`,
}];

/** The privileged-container rules that `rulesets` define. */
const privilegedRulesIn = (rulesets: readonly FalcoRuleset[]) =>
  PRIVILEGED_RULES.filter(([ruleset]) => rulesets.includes(ruleset)).map(([, rule]) => rule);

/** A test series: `rule` first matches 10 minutes in. */
const event = (priority: string, rule: string) => ({ series: `${MATCHES}{rule_name="${rule}",priority="${priority}",source="syscall"}`, values: '_x10 1x20' });
/** A test series: `rule` matched before the test began and not since. */
const oldEvent = (priority: string, rule: string) => ({ series: `${MATCHES}{rule_name="${rule}",priority="${priority}",source="syscall"}`, values: '3x30' });

/** The Falco alerts; those on named rules apply only where a ruleset defining them is loaded. */
export function falcoAlerts(rulesets: readonly FalcoRuleset[]): CatalogueAlert[] {
  return [{
    alert: 'FalcoCriticalEvent',
    perEvent: true,
    build: () => ({
      alert: 'FalcoCriticalEvent',
      expr: newEvents(`${MATCHES}{priority=~"${CRITICAL_OR_WORSE}"}`, 'rule_name, priority', '5m'),
      severity: AlertSeverity.CRITICAL,
      summary: 'Falco: {{ $labels.rule_name }}',
      description: 'Falco rule "{{ $labels.rule_name }}" of priority CRITICAL or worse matched: look up the event in the SIEM and isolate the workload if it is not expected.',
      tests: firesAndStaysSilent({
        what: 'the first match of a CRITICAL rule',
        evalTime: Duration.minutes(12),
        firing: [event('2', 'Drop and execute new binary in container')],
        normal: [oldEvent('2', 'Drop and execute new binary in container'), event('5', 'Redirect STDOUT/STDIN to Network Connection in Container')],
        labels: { rule_name: 'Drop and execute new binary in container', priority: '2' },
        annotations: {
          summary: 'Falco: Drop and execute new binary in container',
          description: 'Falco rule "Drop and execute new binary in container" of priority CRITICAL or worse matched: look up the event in the SIEM and isolate the workload if it is not expected.',
        },
      }),
    }),
  }, {
    alert: 'FalcoEventBurst',
    threshold: EVENTS_PER_MINUTE,
    defaultFor: Duration.minutes(10),
    build: ({ threshold, for: forDuration }) => {
      const description = (priority: string) => `Falco rules of priority ${priority} (0 EMERGENCY ... 4 WARNING) matched more than ${num(threshold)} times a minute `
        + `for ${duration(forDuration)}: an attack in progress or a noisy rule that needs an exception.`;
      return {
        alert: 'FalcoEventBurst',
        expr: `sum by (priority) (security:falco_events:rate5m{priority=~"[0-4]"}) * 60 > ${num(threshold)}`,
        for: forDuration,
        severity: AlertSeverity.WARNING,
        summary: 'Falco raises many events of priority {{ $labels.priority }}',
        description: description('{{ $labels.priority }}'),
        tests: aroundThreshold({
          threshold: EVENTS_PER_MINUTE,
          value: threshold,
          at: (perMinute) => [{ series: `${MATCHES}{rule_name="Read sensitive file untrusted",priority="4",source="syscall"}`, values: `0+${num(perMinute)}x30` }],
          expected: () => ({ labels: { priority: '4' }, annotations: { summary: 'Falco raises many events of priority 4', description: description('4') } }),
        }),
      };
    },
  }, {
    // Alerts on named rules exist only where those rules are loaded: otherwise they could never fire.
    alert: 'FalcoShellInContainer',
    perEvent: true,
    applies: rulesets.includes(FalcoRuleset.STABLE),
    build: () => ({
      alert: 'FalcoShellInContainer',
      expr: newEvents(`${MATCHES}{rule_name=~"${SHELL_RULES}"}`, 'rule_name', '5m'),
      severity: AlertSeverity.WARNING,
      summary: 'Interactive shell in a container',
      description: 'Falco saw a terminal shell in a container (rule "{{ $labels.rule_name }}"): kubectl exec into production is an incident unless someone owns it.',
      tests: firesAndStaysSilent({
        what: 'a new shell',
        evalTime: Duration.minutes(12),
        firing: [event('5', 'Terminal shell in container')],
        normal: [oldEvent('5', 'Terminal shell in container')],
        labels: { rule_name: 'Terminal shell in container' },
        annotations: { description: 'Falco saw a terminal shell in a container (rule "Terminal shell in container"): kubectl exec into production is an incident unless someone owns it.' },
      }),
    }),
  }, {
    alert: 'FalcoPrivilegedContainer',
    perEvent: true,
    applies: privilegedRulesIn(rulesets).length > 0,
    build: () => ({
      alert: 'FalcoPrivilegedContainer',
      expr: newEvents(`${MATCHES}{rule_name=~"${privilegedRulesIn(rulesets).join('|')}"}`, 'rule_name', '5m'),
      severity: AlertSeverity.WARNING,
      summary: 'Privileged container activity',
      description: 'Falco rule "{{ $labels.rule_name }}" matched: a privileged container can take over its node.',
      tests: firesAndStaysSilent({
        what: 'a privileged container start',
        evalTime: Duration.minutes(12),
        firing: [event('5', 'Debugfs Launched in Privileged Container')],
        normal: [event('5', 'Terminal shell in container')],
        labels: { rule_name: 'Debugfs Launched in Privileged Container' },
        annotations: { description: 'Falco rule "Debugfs Launched in Privileged Container" matched: a privileged container can take over its node.' },
      }),
    }),
  }, {
    alert: 'FalcoDown',
    defaultFor: Duration.minutes(10),
    build: ({ for: forDuration }) => ({
      alert: 'FalcoDown',
      // Absent rather than up == 0: when the scrape target disappears there is no `up` series to compare.
      expr: 'absent(falcosecurity_falco_version_info)',
      for: forDuration,
      severity: AlertSeverity.CRITICAL,
      summary: 'Falco is not reporting metrics',
      description: `No Falco instance exposed metrics for ${duration(forDuration)}: runtime detection may be blind. Check the Falco DaemonSet and its ServiceMonitor.`,
      tests: firesAndStaysSilent({
        what: 'no Falco metrics',
        firing: [{ series: 'up{job="kube-state-metrics"}', values: '1x30' }],
        normal: [{ series: 'falcosecurity_falco_version_info{version="0.41.0"}', values: '1x30' }],
      }),
    }),
  }, {
    alert: 'FalcoDroppingEvents',
    threshold: KERNEL_DROP_RATIO,
    defaultFor: Duration.minutes(5),
    build: ({ threshold, for: forDuration }) => {
      const description = (instance: string) => `Falco on ${instance} drops events (output queue full, or more than ${percent(threshold)} of kernel events lost): `
        + 'attacks can go unseen. Raise the buffer size or reduce the syscall set.';
      return {
        alert: 'FalcoDroppingEvents',
        expr: 'sum by (instance) (increase(falcosecurity_falco_outputs_queue_num_drops_total[10m])) > 0 '
          + `or sum by (instance) (rate(falcosecurity_scap_n_drops_total[10m])) / sum by (instance) (rate(falcosecurity_scap_n_evts_total[10m])) > ${num(threshold)}`,
        for: forDuration,
        severity: AlertSeverity.WARNING,
        summary: 'Falco drops events on {{ $labels.instance }}',
        description: description('{{ $labels.instance }}'),
        tests: aroundThreshold({
          threshold: KERNEL_DROP_RATIO,
          value: threshold,
          at: (ratio) => [
            { series: 'falcosecurity_scap_n_evts_total{instance="node-1"}', values: '0+1000x30' },
            { series: 'falcosecurity_scap_n_drops_total{instance="node-1"}', values: `0+${num(1000 * ratio)}x30` },
          ],
          normal: [{ series: 'falcosecurity_falco_outputs_queue_num_drops_total{instance="node-1"}', values: '0x30' }],
          expected: () => ({ labels: { instance: 'node-1' }, annotations: { summary: 'Falco drops events on node-1', description: description('node-1') } }),
        }),
      };
    },
  }];
}
