import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  FalcoPriority, FalcosidekickOutput, KubeBenchTarget, KuberhealthyApi, PrometheusSelector, SecurityMonitoringStack, SecurityMonitoringStackProps,
  SiemDestination, TalonActionner,
} from '../../src';
import { expectDeterministic, expectPodSecurityAdmitted, expectValidManifests, findObject, Manifest, synth } from '../util';

const talonRule = {
  name: 'Quarantine shells',
  match: { rules: ['Terminal shell in container'], minimumPriority: FalcoPriority.NOTICE },
  dryRun: true,
  actions: [{ name: 'quarantine', actionner: TalonActionner.label({ 'security.quarantine': 'true' }) }],
};

const full: SecurityMonitoringStackProps = {
  falco: { falcosidekick: { outputs: [] } },
  response: {
    enabled: true,
    talon: { rules: [talonRule] },
    quarantineNamespaces: ['shop'],
    quarantineAllowDns: true,
    kuberhealthy: KuberhealthyApi.v2Legacy(),
  },
  compliance: {
    enabled: true,
    kubeBench: { schedule: '0 4 * * 6', benchmark: 'cis-1.10', targets: [KubeBenchTarget.NODE] },
    prometheusSelector: PrometheusSelector.kubePrometheus(),
  },
};

const stackIn = (props?: SecurityMonitoringStackProps) => new SecurityMonitoringStack(Testing.chart(), 'stack', props);
const kinds = (manifests: Manifest[]) => manifests.map((m) => m.kind);

describe('SecurityMonitoringStack response and compliance', () => {
  test('are off without their options, and off with enabled: false', () => {
    const off = stackIn({ response: { enabled: false, talon: { rules: [talonRule] } }, compliance: { enabled: false, kubeBench: {} } });
    expect(off.talon).toBeUndefined();
    expect(off.kubeBench).toBeUndefined();
    expect(kinds(synth(off))).toEqual(kinds(synth(stackIn())));
    expect(stackIn().talon).toBeUndefined();
  });

  test('presence means on: giving response or compliance deploys them', () => {
    const stack = stackIn({ response: { talon: { rules: [talonRule] } }, compliance: { kubeBench: {} } });
    expect(stack.talon).toBeDefined();
    expect(stack.kubeBench).toBeDefined();
    expect(kinds(synth(stack))).toEqual(expect.arrayContaining(['CronJob', 'Deployment']));
  });

  describe('when enabled', () => {
    const stack = stackIn(full);
    const manifests = synth(stack);

    test('every object is valid and every pod admitted in its namespace', () => {
      expectValidManifests(manifests);
      expectPodSecurityAdmitted(manifests);
    });

    test('Talon runs in the restricted stack namespace and falcosidekick feeds it', () => {
      expect(stack.talon!.url).toBe('http://falco-talon.security-monitoring.svc:2803');
      expect(findObject(manifests, 'Deployment', 'falco-talon').metadata.namespace).toBe('security-monitoring');
      const sidekick = findObject(manifests, 'Deployment', 'falco-falcosidekick').spec.template.spec.containers[0];
      expect(sidekick.env).toContainEqual({ name: 'TALON_ADDRESS', value: 'http://falco-talon.security-monitoring.svc:2803' });
      expect(parse(findObject(manifests, 'ConfigMap', 'falco-talon-rules').data['rules.yaml'])[0]).toMatchObject({ rule: 'Quarantine shells', dry_run: 'true' });
    });

    test('kube-bench runs in its own privileged namespace', () => {
      const namespace = findObject(manifests, 'Namespace', 'security-compliance');
      expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
      const cronJob = findObject(manifests, 'CronJob', 'kube-bench');
      expect(cronJob.metadata.namespace).toBe('security-compliance');
      expect(cronJob.spec.schedule).toBe('0 4 * * 6');
      expect(cronJob.spec.jobTemplate.spec.template.spec.containers[0].args).toEqual(['run', '--targets=node', '--benchmark=cis-1.10', '--json']);
      expect(stack.podSecurityLevelOf('security-compliance')).toBe('privileged');
    });

    test('the health check watches Falco, the quarantine and KPI rules are in place', () => {
      expect(findObject(manifests, 'KuberhealthyCheck', 'security-daemonsets').spec.podSpec.containers[0].env)
        .toEqual([{ name: 'DAEMONSETS', value: 'falco/falco' }]);
      expect(findObject(manifests, 'NetworkPolicy', 'security-quarantine').metadata.namespace).toBe('shop');
      expect(findObject(manifests, 'PrometheusRule', 'security-kpis').metadata.labels).toMatchObject({ prometheus: 'k8s', role: 'alert-rules' });
    });

    test('the dashboard shows the KPI series the compliance rules record', () => {
      const dashboard = JSON.parse(findObject(manifests, 'ConfigMap', 'security-monitoring-security-overview').data['k8s-security-overview.json']);
      const exprs = dashboard.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr)).join('\n');
      const kpis = findObject(manifests, 'PrometheusRule', 'security-kpis').spec.groups[0].rules.map((r: any) => r.record);
      expect(exprs).toContain(kpis[0]);
      expect(exprs).toContain('security:alerts_fired_by_severity:count1d');
      expect(kpis).toContain('security:alerts_fired_by_severity:count1d');
    });

    test('the health check also watches the Fluent Bit DaemonSet when the SIEM pipeline is deployed', () => {
      const withSiem = synth(stackIn({
        ...full,
        siem: { destinations: [SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'hec', key: 'token' } })] },
      }));
      expect(findObject(withSiem, 'KuberhealthyCheck', 'security-daemonsets').spec.podSpec.containers[0].env)
        .toEqual([{ name: 'DAEMONSETS', value: 'falco/falco security-logging/fluent-bit' }]);
    });

    test('a Filebeat pipeline added to the stack later is watched too, with a Role to read its DaemonSet', () => {
      const withFilebeat = stackIn({
        ...full,
        siem: { destinations: [SiemDestination.splunkHec({ host: 'splunk.example.com', tokenSecret: { secretName: 'hec', key: 'token' } })] },
      });
      withFilebeat.addFilebeatPipeline('filebeat', { elasticsearch: { host: 'es.example.com' }, namespace: 'security-elastic' });
      const output = synth(withFilebeat);
      expect(findObject(output, 'KuberhealthyCheck', 'security-daemonsets').spec.podSpec.containers[0].env)
        .toEqual([{ name: 'DAEMONSETS', value: 'falco/falco security-logging/fluent-bit security-elastic/filebeat' }]);
      const role = output.find((m) => m.kind === 'Role' && m.metadata.name === 'security-daemonsets' && m.metadata.namespace === 'security-elastic')!;
      expect(role.rules).toEqual([{ apiGroups: ['apps'], resources: ['daemonsets'], resourceNames: ['filebeat'], verbs: ['get'] }]);
      const binding = output.find((m) => m.kind === 'RoleBinding' && m.metadata.namespace === 'security-elastic')!;
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'security-daemonsets', namespace: 'security-monitoring' }]);
      expect(withFilebeat.agentDaemonSets.map((ds) => `${ds.namespace}/${ds.name}`)).toEqual(['falco/falco', 'security-logging/fluent-bit', 'security-elastic/filebeat']);
    });

    test('a second agent in a watched namespace joins that namespace\'s Role, names sorted', () => {
      const twoInOne = stackIn(full);
      twoInOne.addFilebeatPipeline('filebeat', { elasticsearch: { host: 'es.example.com' }, namespace: 'falco', name: 'beats' });
      const output = synth(twoInOne);
      expect(findObject(output, 'KuberhealthyCheck', 'security-daemonsets').spec.podSpec.containers[0].env)
        .toEqual([{ name: 'DAEMONSETS', value: 'falco/beats falco/falco' }]);
      const roles = output.filter((m) => m.kind === 'Role' && m.metadata.name === 'security-daemonsets');
      expect(roles.map((r) => [r.metadata.namespace, r.rules[0].resourceNames])).toEqual([['falco', ['beats', 'falco']]]);
    });

    test('every object carries the stack labels', () => {
      for (const m of manifests) expect(m.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'security-monitoring' });
    });
  });

  test('Talon implies falcosidekick with the Talon output', () => {
    const stack = stackIn({ response: { talon: { rules: [talonRule] } } });
    const sidekick = findObject(synth(stack), 'Deployment', 'falco-falcosidekick');
    const env = sidekick.spec.template.spec.containers[0].env.map((e: any) => `${e.name}=${e.value ?? ''}`);
    expect(env).toContain('TALON_ADDRESS=http://falco-talon.security-monitoring.svc:2803');
  });

  test('a Talon output of your own is an error that says the stack adds it', () => {
    const own = FalcosidekickOutput.talon({ url: 'http://falco-talon.security-monitoring.svc:2803' });
    expect(() => stackIn({ falco: { falcosidekick: { outputs: [own] } }, response: { talon: { rules: [talonRule] } } })).toThrow(
      'test/stack: falco.falcosidekick.outputs has a Talon output, but the stack adds one itself for response.talon (got "talon"): '
      + 'remove it from falco.falcosidekick.outputs: the stack points falcosidekick at its Talon (http://falco-talon.security-monitoring.svc:2803)');
  });

  test('the health check without Falco is an error', () => {
    expect(() => stackIn({ falco: { enabled: false }, response: { enabled: true, kuberhealthy: KuberhealthyApi.v3() } })).toThrow(
      'test/stack: response.kuberhealthy checks the stack\'s DaemonSets but Falco is disabled (got "falco.enabled: false"): enable Falco, or build a DaemonSetHealthCheck for your own DaemonSets');
  });

  test('is deterministic and matches the snapshot', () => {
    expect(expectDeterministic(() => stackIn(full))).toMatchSnapshot();
  });
});
