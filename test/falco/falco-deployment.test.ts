import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { parse } from 'yaml';
import {
  FalcoDefaultRules, FalcoDeployment, FalcoDeploymentProps, FalcoDriver, FalcoPlugin, FalcoPriority, FalcoRules, FalcoRuleset, FalcoWorkload,
  PrometheusSelector,
} from '../../src';
import { expectDeterministic, expectValidManifests, findObject, synth } from '../util';
import { falcoIn, falcoPod, falcoYaml, synthFalco } from './helpers';

const RULE = {
  name: 'Shell in container',
  description: 'A shell ran in a container',
  condition: 'evt.type = execve and proc.name = bash',
  output: 'shell %proc.name',
  priority: FalcoPriority.WARNING,
};

describe('FalcoDeployment defaults', () => {
  const { manifests } = synthFalco();
  const { template, pod, container } = falcoPod(manifests);

  test('every object validates against its schema', () => expectValidManifests(manifests));

  test('renders the chart\'s objects', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ConfigMap/falco', 'ConfigMap/falco-falcoctl', 'ConfigMap/falco-rules', 'DaemonSet/falco', 'NetworkPolicy/falco', 'Service/falco-metrics', 'ServiceAccount/falco',
    ]);
  });

  test('a NetworkPolicy admits ingress only on the webserver port (metrics, /healthz)', () => {
    expect(findObject(manifests, 'NetworkPolicy', 'falco').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': 'falco' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 8765, protocol: 'TCP' }] }],
    });
  });

  test('matches the snapshot', () => expect(manifests).toMatchSnapshot());

  test('synthesizes byte-identical YAML twice', () => {
    expectDeterministic(() => falcoIn().addRule(RULE));
  });

  test('modern eBPF least privileged: exactly the four capabilities, never privileged', () => {
    expect(container.securityContext).toEqual({
      capabilities: { add: ['BPF', 'SYS_RESOURCE', 'PERFMON', 'SYS_PTRACE'] },
      seccompProfile: { type: 'Unconfined' },
    });
    expect(JSON.stringify(manifests)).not.toContain('"privileged":true');
    expect(template.metadata.annotations['container.apparmor.security.beta.kubernetes.io/falco']).toBe('unconfined');
  });

  test('mounts exactly the host paths modern eBPF needs, read-only', () => {
    const hostVolumes = pod.volumes.filter((v: any) => v.hostPath && !v.name.startsWith('container-engine-socket'));
    expect(hostVolumes.map((v: any) => v.hostPath.path)).toEqual(['/proc', '/etc', '/sys/kernel']);
    const mounts = Object.fromEntries(container.volumeMounts.map((m: any) => [m.name, m]));
    expect(mounts['proc-fs']).toEqual({ name: 'proc-fs', mountPath: '/host/proc', readOnly: true });
    expect(mounts['etc-fs']).toEqual({ name: 'etc-fs', mountPath: '/host/etc', readOnly: true });
    expect(mounts['sys-fs']).toEqual({ name: 'sys-fs', mountPath: '/sys/kernel', readOnly: true });
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['falcoctl-artifact-install']);
  });

  test('pins the images', () => {
    const images = [...pod.initContainers, ...pod.containers].map((c: any) => c.image);
    expect(images).toEqual(['docker.io/falcosecurity/falcoctl:0.13.0', 'docker.io/falcosecurity/falco:0.44.1', 'docker.io/falcosecurity/falcoctl:0.13.0']);
  });

  test('falcoctl runs with the RuntimeDefault seccomp profile (the pod sets none)', () => {
    const falcoctl = [...pod.initContainers, ...pod.containers].filter((c: any) => c.name.startsWith('falcoctl'));
    expect(falcoctl).toHaveLength(2);
    for (const c of falcoctl) expect(c.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  test('probes the webserver /healthz on 8765', () => {
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
      expect(probe.httpGet).toEqual({ path: '/healthz', port: 8765 });
    }
    expect(container.ports).toEqual([{ name: 'web', containerPort: 8765, protocol: 'TCP' }]);
  });

  test('chart resources and control-plane tolerations', () => {
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1024Mi' } });
    expect(pod.tolerations.map((t: any) => t.key)).toEqual(['node-role.kubernetes.io/master', 'node-role.kubernetes.io/control-plane']);
  });

  test('falco.yaml: upstream rules first, modern eBPF engine, JSON, metrics with rule counters', () => {
    const config = falcoYaml(manifests);
    expect(config.rules_files).toEqual(['/etc/falco/falco_rules.yaml']);
    expect(config.engine.kind).toBe('modern_ebpf');
    expect(config.json_output).toBe(true);
    expect(config.priority).toBe('debug');
    expect(config.webserver).toEqual({ enabled: true, listen_port: 8765, k8s_healthz_endpoint: '/healthz', prometheus_metrics_enabled: true });
    expect(config.metrics).toMatchObject({ enabled: true, rules_counters_enabled: true });
    expect(config.load_plugins).toEqual(['container']);
    expect(config.http_output).toBeUndefined();
    expect(config.rules).toBeUndefined();
  });

  test('falcoctl installs falco-rules:5 and the container plugin, and follows the rules', () => {
    const falcoctl = parse(findObject(manifests, 'ConfigMap', 'falco-falcoctl').data['falcoctl.yaml']);
    expect(falcoctl.artifact.install.refs).toEqual(['falco-rules:5', 'ghcr.io/falcosecurity/plugins/plugin/container:0.7.1']);
    expect(falcoctl.artifact.follow.refs).toEqual(['falco-rules:5']);
    expect(falcoctl.artifact.follow.falcoversions).toBe('http://localhost:8765/versions');
    expect(pod.containers.map((c: any) => c.name)).toEqual(['falco', 'falcoctl-artifact-follow']);
  });

  test('metrics Service on 8765 and no API token', () => {
    const service = findObject(manifests, 'Service', 'falco-metrics');
    expect(service.spec.ports).toEqual([{ name: 'metrics', port: 8765, targetPort: 'web', protocol: 'TCP' }]);
    expect(findObject(manifests, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
  });
});

describe('FalcoDeployment drivers', () => {
  test.each([
    ['modernEbpf privileged', FalcoDriver.modernEbpf({ leastPrivileged: false }), 'modern_ebpf'],
    ['kmod', FalcoDriver.kmod(), 'kmod'],
    ['auto', FalcoDriver.auto(), 'modern_ebpf'],
  ])('%s: privileged container allows privilege escalation', (_, driver, engineKind) => {
    const { manifests } = synthFalco({ driver });
    expectValidManifests(manifests);
    const { pod, container, template } = falcoPod(manifests);
    expect(container.securityContext).toEqual({ privileged: true, allowPrivilegeEscalation: true });
    for (const c of [...pod.initContainers, ...pod.containers].filter((x: any) => x.securityContext?.privileged)) {
      expect(c.securityContext.allowPrivilegeEscalation).toBe(true);
    }
    expect(template.metadata.annotations['container.apparmor.security.beta.kubernetes.io/falco']).toBeUndefined();
    expect(falcoYaml(manifests).engine.kind).toBe(engineKind);
  });

  test('kmod: driver loader init container with kernel headers, config.d, /dev', () => {
    const { manifests } = synthFalco({ driver: FalcoDriver.kmod() });
    const { pod, container } = falcoPod(manifests);
    const loader = pod.initContainers[0];
    expect(loader.name).toBe('falco-driver-loader');
    expect(loader.image).toBe('docker.io/falcosecurity/falco-driver-loader:0.44.1');
    expect(loader.args).toEqual(['kmod']);
    expect(loader.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '1Gi' } });
    expect(loader.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/host/boot', '/host/lib/modules', '/host/usr']));
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/host/dev', '/sys/module', '/etc/falco/config.d']));
    expect(falcoYaml(manifests).config_files).toEqual(['/etc/falco/config.d']);
    expect(loader.env).toContainEqual({ name: 'FALCOCTL_DRIVER_CONFIG_UPDATE_FALCO', value: 'false' });
  });

  test('auto: the loader reads falco.yaml and writes its engine choice into config.d', () => {
    const { pod } = falcoPod(synthFalco({ driver: FalcoDriver.auto() }).manifests);
    const loader = pod.initContainers[0];
    expect(loader.args).toEqual(['auto']);
    expect(loader.volumeMounts).toContainEqual({ name: 'falco-yaml', mountPath: '/etc/falco/falco.yaml', subPath: 'falco.yaml', readOnly: true });
    expect(loader.volumeMounts).toContainEqual({ name: 'specialized-falco-configs', mountPath: '/etc/falco/config.d' });
    expect(loader.env.map((e: any) => e.name)).toEqual(['HOST_ROOT']);
  });
});

describe('FalcoDeployment options', () => {
  test('rules files load after the upstream ruleset, in the order added', () => {
    const falco = falcoIn();
    falco.addRules('network', new FalcoRules().addRule({ ...RULE, name: 'Net' }));
    falco.addRule(RULE);
    const manifests = synth(falco);
    expect(falcoYaml(manifests).rules_files).toEqual([
      '/etc/falco/falco_rules.yaml', '/etc/falco/rules.d/network.yaml', '/etc/falco/rules.d/custom-rules.yaml',
    ]);
    const rules = findObject(manifests, 'ConfigMap', 'falco-rules').data;
    expect(parse(rules['custom-rules.yaml'])[0].rule).toBe('Shell in container');
    expect(falcoPod(manifests).container.volumeMounts).toContainEqual({ name: 'rules-volume', mountPath: '/etc/falco/rules.d' });
  });

  test('addRule appends to one custom rules file', () => {
    const falco = falcoIn().addRule(RULE).addRule({ ...RULE, name: 'Second' });
    const rules = parse(findObject(synth(falco), 'ConfigMap', 'falco-rules').data['custom-rules.yaml']);
    expect(rules.map((r: any) => r.rule)).toEqual(['Shell in container', 'Second']);
  });

  test('the config checksum changes when a rule changes, and only then', () => {
    const checksum = (condition: string) => falcoPod(synth(falcoIn().addRule({ ...RULE, condition }))).template.metadata.annotations['checksum/config'];
    expect(checksum('evt.type = execve')).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum('evt.type = execve')).toBe(checksum('evt.type = execve'));
    expect(checksum('evt.type = execve')).not.toBe(checksum('evt.type = open'));
  });

  test('rule selections: disables before enables', () => {
    const config = falcoYaml(synth(falcoIn({ disabledRules: ['Terminal shell in container'], disabledTags: ['network'], enabledRules: ['Netcat Remote Code Execution in Container'] })));
    expect(config.rules).toEqual([
      { disable: { rule: 'Terminal shell in container' } },
      { disable: { tag: 'network' } },
      { enable: { rule: 'Netcat Remote Code Execution in Container' } },
    ]);
  });

  test('priority, json output, priority class, no control-plane', () => {
    const manifests = synth(falcoIn({ priority: FalcoPriority.WARNING, jsonOutput: false, priorityClassName: 'system-node-critical', runOnControlPlane: false }));
    const config = falcoYaml(manifests);
    expect(config.priority).toBe('warning');
    expect(config.json_output).toBe(false);
    const { pod } = falcoPod(manifests);
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.tolerations).toBeUndefined();
  });

  test('air-gapped: no falcoctl, the image\'s ruleset', () => {
    const manifests = synth(falcoIn({ defaultRules: FalcoDefaultRules.bundled() }));
    expectValidManifests(manifests);
    expect(manifests.find((m) => m.metadata.name === 'falco-falcoctl')).toBeUndefined();
    expect(JSON.stringify(manifests)).not.toContain('falcoctl');
    expect(falcoYaml(manifests).rules_files).toEqual(['/etc/falco/falco_rules.yaml']);
  });

  test('no upstream ruleset: only custom rules', () => {
    const manifests = synth(falcoIn({ defaultRules: FalcoDefaultRules.none() }).addRule(RULE));
    expect(falcoYaml(manifests).rules_files).toEqual(['/etc/falco/rules.d/custom-rules.yaml']);
  });

  test('custom falcoctl artifact and follow interval, in Go\'s notation (no days)', () => {
    const manifests = synth(falcoIn({ defaultRules: FalcoDefaultRules.falcoctl({ artifact: 'falco-rules:5.1', followEvery: Duration.days(1) }) }));
    const falcoctl = parse(findObject(manifests, 'ConfigMap', 'falco-falcoctl').data['falcoctl.yaml']);
    expect(falcoctl.artifact.follow).toMatchObject({ refs: ['falco-rules:5.1'], every: '24h' });
    const every = (followEvery: Duration) => parse(findObject(synth(falcoIn({ defaultRules: FalcoDefaultRules.falcoctl({ followEvery }) })),
      'ConfigMap', 'falco-falcoctl').data['falcoctl.yaml']).artifact.follow.every;
    expect([every(Duration.minutes(90)), every(Duration.days(7))]).toEqual(['1h30m', '168h']);
  });

  test('incubating and sandbox rulesets: falcoctl installs and follows them, Falco loads them after the stable file', () => {
    const manifests = synth(falcoIn({
      defaultRules: FalcoDefaultRules.falcoctl({ rulesets: [FalcoRuleset.SANDBOX, FalcoRuleset.STABLE, FalcoRuleset.INCUBATING] }),
    }).addRule(RULE));
    expectValidManifests(manifests);
    const falcoctl = parse(findObject(manifests, 'ConfigMap', 'falco-falcoctl').data['falcoctl.yaml']);
    const rulesArtifacts = ['falco-rules:5', 'falco-incubating-rules:5', 'falco-sandbox-rules:5'];
    expect(falcoctl.artifact.install.refs).toEqual([...rulesArtifacts, 'ghcr.io/falcosecurity/plugins/plugin/container:0.7.1']);
    expect(falcoctl.artifact.follow.refs).toEqual(rulesArtifacts);
    // falcoctl writes each rules artifact's file into /rulesfiles, which Falco sees as /etc/falco.
    expect(falcoYaml(manifests).rules_files).toEqual([
      '/etc/falco/falco_rules.yaml', '/etc/falco/falco-incubating_rules.yaml', '/etc/falco/falco-sandbox_rules.yaml', '/etc/falco/rules.d/custom-rules.yaml',
    ]);
  });

  test('metrics off: no Service, webserver still serves /healthz', () => {
    const manifests = synth(falcoIn({ metrics: false }));
    expect(manifests.find((m) => m.kind === 'Service')).toBeUndefined();
    const config = falcoYaml(manifests);
    expect(config.webserver.prometheus_metrics_enabled).toBe(false);
    expect(config.metrics).toBeUndefined();
  });

  test('ServiceMonitor with the selector labels scrapes the metrics port', () => {
    const manifests = synth(falcoIn({ prometheusSelector: PrometheusSelector.kubePrometheusStack('kps') }));
    expectValidManifests(manifests);
    const monitor = findObject(manifests, 'ServiceMonitor');
    expect(monitor.metadata.labels.release).toBe('kps');
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics' }]);
    expect(findObject(manifests, 'Service', 'falco-metrics').metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
  });

  test('custom resources and image', () => {
    const manifests = synth(falcoIn({ image: 'registry.local/falco:0.44.1', resources: { cpuLimit: '2', memoryLimit: '2Gi' } }));
    const { container } = falcoPod(manifests);
    expect(container.image).toBe('registry.local/falco:0.44.1');
    expect(container.resources.limits).toEqual({ cpu: '2', memory: '2Gi' });
  });

  test('a rules file keeps what it was given: later changes to the caller\'s arrays reach neither the file nor its validation', () => {
    const tags = ['mitre_execution'];
    const values = [['bash']];
    const rules = new FalcoRules().addRule({
      name: 'Shell',
      description: 'd',
      condition: 'evt.type = execve and proc.name = bash',
      output: 'x %proc.name',
      priority: FalcoPriority.WARNING,
      tags,
      exceptions: [{ name: 'known', fields: ['proc.pname'], values }],
    });
    expect(rules.validate()).toEqual([]);
    tags.push('added later');
    values.push(['a=b']);
    // A second rule makes both render again.
    rules.addRule({ name: 'Other', description: 'd', condition: 'evt.type = execve', output: 'o', priority: FalcoPriority.WARNING });
    expect(rules.toYaml()).not.toContain('added later');
    expect(rules.toYaml()).not.toContain('a=b');
    expect(rules.validate()).toEqual([]);
    expect(new FalcoRules().addRule({ name: 'Shell', description: 'd', condition: 'evt.type = execve', output: 'o', priority: FalcoPriority.WARNING, tags }).toYaml())
      .toContain('added later');
  });

  test('rule errors surface at synth; upstream macros resolve, warnings do not fail', () => {
    const rules = new FalcoRules()
      .addRule({ name: 'Bad', description: 'd', condition: 'spawn_process and proc.name = bash', output: 'x %proc.name', priority: FalcoPriority.WARNING })
      .addRule({ name: 'Upstream macro', description: 'd', condition: 'spawned_process and container', output: 'x %proc.name', priority: FalcoPriority.WARNING })
      .addRule({ name: 'Slow', description: 'd', condition: 'proc.name = bash', output: 'x %proc.name', priority: FalcoPriority.WARNING });
    const falco = falcoIn().addRules('mine', rules);
    expect(falco.node.validate()).toEqual([
      `${falco.node.path}: rules file "mine": FalcoRule "Bad": condition references macro "spawn_process" at offset 0, which is not defined `
      + '(did you mean "spawned_process"?) (got "spawn_process"): define the macro before this item (or in a rules file loaded earlier), or fix the name',
    ]);
  });
});

describe('FalcoDeployment escape hatches', () => {
  /** Every object the construct exposes, by property name. */
  const exposed = (falco: FalcoDeployment): Array<[string, ApiObject]> => [
    ['workload', falco.workload],
    ['serviceAccount', falco.serviceAccount],
    ['configMap', falco.configMap],
    ...falco.rulesConfigMaps.map((o, i): [string, ApiObject] => [`rulesConfigMaps[${i}]`, o]),
    ...(falco.falcoctlConfigMap ? [['falcoctlConfigMap', falco.falcoctlConfigMap] as [string, ApiObject]] : []),
    ['networkPolicy', falco.networkPolicy],
    ...Object.entries(falco.pluginServices).map(([plugin, o]): [string, ApiObject] => [`pluginServices.${plugin}`, o]),
    ...(falco.metricsService ? [['metricsService', falco.metricsService] as [string, ApiObject]] : []),
    ...(falco.serviceMonitor ? [['serviceMonitor', falco.serviceMonitor] as [string, ApiObject]] : []),
  ];

  test('a toleration added to the DaemonSet through ApiObject.of(falco.workload) is in the manifest, after the control-plane ones', () => {
    const falco = falcoIn();
    const gpu = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };
    ApiObject.of(falco.workload).addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations/-', gpu));
    const { pod } = falcoPod(synth(falco));
    expect(pod.tolerations).toEqual([
      { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule', operator: 'Exists' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule', operator: 'Exists' },
      gpu,
    ]);
  });

  test('the workload is the default child (id Resource): the DaemonSet, or the Deployment of a plugin-only Falco', () => {
    const daemonSet = falcoIn();
    expect(daemonSet.node.defaultChild).toBe(daemonSet.workload);
    expect(daemonSet.workload.kind).toBe('DaemonSet');
    const deployment = falcoIn({ workload: FalcoWorkload.deployment(), plugins: [FalcoPlugin.k8sAudit()] });
    expect(deployment.node.defaultChild).toBe(deployment.workload);
    expect(deployment.workload.kind).toBe('Deployment');
    ApiObject.of(deployment.workload).addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { pool: 'audit' }));
    expect(findObject(synth(deployment), 'Deployment', 'falco').spec.template.spec.nodeSelector).toEqual({ pool: 'audit' });
  });

  const auditRule = { ...RULE, name: 'Secret read', condition: 'ka.verb = get and ka.target.resource = secrets', output: 'secret read by %ka.user.name', source: 'k8s_audit' };
  test.each([
    ['the defaults', {}, RULE],
    ['a plugin-only Falco with a ServiceMonitor', {
      workload: FalcoWorkload.deployment(), plugins: [FalcoPlugin.k8sAudit()], prometheusSelector: PrometheusSelector.kubePrometheus(),
    }, auditRule],
    ['the bundled rules, without metrics', { defaultRules: FalcoDefaultRules.bundled(), metrics: false }, RULE],
  ])('with %s, every object Falco renders is exposed, and an annotation patched into each is in the manifest', (_, props: FalcoDeploymentProps, rule) => {
    const falco = falcoIn(props);
    falco.addRule(rule);
    const objects = exposed(falco);
    for (const [property, object] of objects) {
      ApiObject.of(object).addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/patched-as': property }));
    }
    const manifests = synth(falco).filter((m) => m.metadata.labels?.['app.kubernetes.io/component'] !== 'falcosidekick');
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}: ${m.metadata.annotations?.['example.com/patched-as']}`).sort())
      .toEqual(objects.map(([property, o]) => `${o.kind}/${o.name}: ${property}`).sort());
  });

  test('child ids follow the convention: Resource, then the kebab-case kind with a purpose prefix where a kind repeats', () => {
    const falco = falcoIn({ plugins: [FalcoPlugin.k8sAudit()], prometheusSelector: PrometheusSelector.kubePrometheus() });
    expect(exposed(falco).map(([property, o]) => `${property}: ${o.node.id}`)).toEqual([
      'workload: Resource',
      'serviceAccount: service-account',
      'configMap: config-map',
      'rulesConfigMaps[0]: rules-config-map',
      'falcoctlConfigMap: falcoctl-config-map',
      'networkPolicy: network-policy',
      'pluginServices.k8saudit: k8saudit-service',
      'metricsService: metrics-service',
      'serviceMonitor: service-monitor',
    ]);
  });

  test('a push plugin\'s Service is exposed by plugin name, with a kebab-case id for a snake_case plugin name', () => {
    const plugin = FalcoPlugin.custom({ name: 'gh_webhook', source: 'github', listenPort: 9000, rulesArtifact: 'github-rules:0.10', rulesFile: 'github.yaml' });
    const falco = falcoIn({ workload: FalcoWorkload.deployment(), plugins: [plugin] });
    const service = falco.pluginServices.gh_webhook;
    expect(`${service.kind}/${service.name} (${service.node.id})`).toBe('Service/falco-gh-webhook (gh-webhook-service)');
    ApiObject.of(service).addJsonPatch(JsonPatch.add('/spec/type', 'LoadBalancer'));
    expect(findObject(synth(falco), 'Service', 'falco-gh-webhook').spec.type).toBe('LoadBalancer');
  });

  test('rulesConfigMaps lists the ConfigMaps added at synthesis for rules beyond one ConfigMap\'s budget', () => {
    const falco = falcoIn();
    for (const i of [1, 2]) {
      falco.addRules(`lists-${i}`, new FalcoRules().addList({ name: `binaries_${i}`, items: Array.from({ length: 25_000 }, (_, j) => `proc-${i}-${j}`) }));
    }
    expect(falco.rulesConfigMaps.map((o) => o.name)).toEqual(['falco-rules']);
    const manifests = synth(falco);
    const names = falco.rulesConfigMaps.map((o) => o.name);
    expect(names.length).toBeGreaterThan(1);
    expect(names).toEqual(manifests.filter((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('falco-rules')).map((m) => m.metadata.name));
    expect(falco.rulesConfigMaps.map((o) => o.node.id)).toEqual(names.map((_, i) => (i === 0 ? 'rules-config-map' : `rules-config-map-${i + 1}`)));
  });
});
