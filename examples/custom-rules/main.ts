/**
 * Custom detection: typed Falco rules (two presets with the site's
 * allow-lists and one rule of our own) and a custom SecurityPrometheusRule
 * whose alert comes with promtool unit tests. Next to the manifests, the rule
 * file and its tests are written to the outdir for
 * `promtool check rules security-rules.yaml` and `promtool test rules security-rules.test.yaml`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Duration } from 'cdk8s';
import { AlertSeverity, FalcoPresets, FalcoRules, FalcoPriority, FalcoTestOutcome, SecurityMonitoringStack, SecurityPrometheusRule } from '../../src';
import { synthAndDescribe } from '../run';

/** The rule file and its promtool tests, written next to the manifests. */
export const RULE_FILE = 'security-rules.yaml';
export const RULE_TEST_FILE = 'security-rules.test.yaml';

export function buildCustomRulesApp(outdir = path.join(__dirname, '..', '..', 'dist', 'custom-rules')): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'security-monitoring');
  const stack = new SecurityMonitoringStack(chart, 'stack');
  const falco = stack.falco!;

  falco.addRules('sensitive-files', FalcoPresets.sensitiveFileAccess({ files: ['/etc/kubernetes/admin.conf'], allowedProcesses: ['kubelet'] }));
  falco.addRules('privilege-escalation', FalcoPresets.privilegeEscalation({ allowedParentProcesses: ['entrypoint.sh'] }));
  // The deployment loads the container plugin (with the upstream rules), so its container.* fields are known.
  falco.addRules('netcat', new FalcoRules({ plugins: ['container'] }).addRule({
    name: 'Netcat in container',
    description: 'A netcat binary ran in a container: a common reverse-shell and exfiltration tool.',
    condition: 'evt.type in (execve, execveat) and container.id != host and proc.name in (nc, ncat, netcat)',
    output: 'Netcat ran in a container (command=%proc.cmdline container=%container.name image=%container.image.repository)',
    priority: FalcoPriority.WARNING,
    tags: ['container', 'network', 'mitre_command_and_control'],
    // Checked at synth, like the promtool tests of the alert below.
    tests: [
      { name: 'ncat in a container', event: { 'evt.type': 'execve', 'proc.name': 'ncat', 'container.id': '3f1c2a9b8e7d' }, expect: FalcoTestOutcome.MATCH },
      { name: 'nc on the host', event: { 'evt.type': 'execve', 'proc.name': 'nc', 'container.id': 'host' }, expect: FalcoTestOutcome.NO_MATCH },
    ],
  }));

  const rules = new SecurityPrometheusRule(stack, 'custom-alerts', { name: 'custom-security-alerts', namespace: stack.namespace, labels: stack.labelsFor('alerts') });
  rules.addGroup({ name: 'security.custom' }).addAlert({
    alert: 'FalcoNetcatInContainer',
    expr: 'sum by (rule_name) (increase(falcosecurity_falco_rules_matches_total{rule_name="Netcat in container"}[5m])) > 0',
    severity: AlertSeverity.WARNING,
    summary: 'Netcat ran in a container',
    description: 'Falco saw netcat run in a container in the last 5 minutes: check the event in the SIEM.',
    runbookUrl: 'https://runbooks.example.com/security/netcat-in-container',
    tests: [{
      name: 'fires when the rule matches',
      series: [{ series: 'falcosecurity_falco_rules_matches_total{rule_name="Netcat in container"}', values: '0 0 1 1 1' }],
      evalTime: Duration.minutes(4),
      expectedAlerts: [{ labels: { rule_name: 'Netcat in container' } }],
    }, {
      name: 'stays silent without matches',
      series: [{ series: 'falcosecurity_falco_rules_matches_total{rule_name="Netcat in container"}', values: '0 0 0 0 0' }],
      evalTime: Duration.minutes(4),
      expectedAlerts: [],
    }],
  });

  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, RULE_FILE), rules.toRuleFile());
  fs.writeFileSync(path.join(outdir, RULE_TEST_FILE), rules.toUnitTestFile(RULE_FILE));
  return app;
}

if (require.main === module) synthAndDescribe(buildCustomRulesApp());
