import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  FalcoAuditWebhook, FalcoDefaultRules, FalcoDeployment, FalcoDeploymentProps, FalcoDriver, FalcoPlugin, FalcoPriority, FalcoRules,
  FalcoWorkload, FalcoWorkloadKind,
} from '../../src';
import { expectDeterministic, expectValidManifests, findObject, podSecurityViolations, podTemplateOf, synth } from '../util';
import { cloudtrailPlugin as cloudtrail, falcoYaml } from './helpers';

/** charts/falco values-k8saudit.yaml, in this library's terms. */
const K8SAUDIT: FalcoDeploymentProps = { workload: FalcoWorkload.deployment(), plugins: [FalcoPlugin.k8sAudit()] };

const AUDIT_RULE = {
  name: 'Exec into kube-system pod',
  description: 'Someone ran kubectl exec into a pod in kube-system',
  condition: 'kevt and pod_subresource and kcreate and ka.target.subresource = exec and ka.target.namespace = kube-system',
  output: 'exec into kube-system (user=%ka.user.name pod=%ka.target.name)',
  priority: FalcoPriority.WARNING,
  source: 'k8s_audit',
};
/** The same without the k8saudit ruleset's macros, for Falcos that do not load it. */
const PLAIN_AUDIT_RULE = { ...AUDIT_RULE, condition: 'ka.verb = create and ka.target.subresource = exec and ka.target.namespace = kube-system' };
const SYSCALL_RULE = {
  name: 'Shell in container', description: 'd', condition: 'evt.type = execve and proc.name = bash', output: 'shell %proc.name', priority: FalcoPriority.WARNING,
};


function build(props: FalcoDeploymentProps = K8SAUDIT, configure: (f: FalcoDeployment) => void = () => {}): FalcoDeployment {
  const falco = new FalcoDeployment(Testing.chart(), 'falco', props);
  configure(falco);
  return falco;
}

function pod(manifests: any[], kind = 'Deployment') {
  const template = podTemplateOf(findObject(manifests, kind))!;
  return { template, spec: template.spec, container: template.spec.containers.find((c: any) => c.name === 'falco') };
}

describe('plugin-only Falco for the k8saudit webhook (charts/falco values-k8saudit.yaml)', () => {
  const falco = build();
  const manifests = synth(falco);
  const { template, spec, container } = pod(manifests);
  const config = falcoYaml(manifests);

  test('every object validates against its schema', () => expectValidManifests(manifests));

  test('a Deployment of one replica, a Service for the webhook, no DaemonSet', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ConfigMap/falco', 'ConfigMap/falco-falcoctl', 'ConfigMap/falco-rules', 'Deployment/falco', 'NetworkPolicy/falco',
      'Service/falco-k8saudit', 'Service/falco-metrics', 'ServiceAccount/falco',
    ]);
    expect(findObject(manifests, 'Deployment').spec.replicas).toBe(1);
    expect(falco.workloadKind).toBe(FalcoWorkloadKind.DEPLOYMENT);
    expect(falco.sources).toEqual(['k8s_audit']);
  });

  test('matches the snapshot', () => expect(manifests).toMatchSnapshot());

  test('synthesizes byte-identical YAML twice', () => {
    expectDeterministic(() => build(K8SAUDIT, (f) => f.addRule(AUDIT_RULE)));
  });

  test('admitted at the restricted Pod Security level: no host access, no privilege, non-root', () => {
    expect(podSecurityViolations(template, 'restricted')).toEqual([]);
    expect(spec.volumes.filter((v: any) => v.hostPath)).toEqual([]);
    expect(spec.hostNetwork ?? spec.hostPID ?? spec.hostIPC).toBeUndefined();
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(template.metadata.annotations).not.toHaveProperty(['container.apparmor.security.beta.kubernetes.io/falco']);
  });

  test('no driver: the syscall source is off, no engine, no container plugin, no host info', () => {
    expect(container.args).toEqual(['/usr/bin/falco', '--disable-source', 'syscall']);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['falcoctl-artifact-install']);
    expect(config.engine).toBeUndefined();
    expect(config.plugins_hostinfo).toBe(false);
    expect(config.load_plugins).toEqual(['k8saudit', 'json']);
  });

  test('falco.yaml: the chart\'s k8saudit and json plugins and the k8saudit rules file', () => {
    expect(config.plugins).toEqual([
      { name: 'k8saudit', library_path: 'libk8saudit.so', init_config: '', open_params: 'http://:9765/k8s-audit' },
      { name: 'json', library_path: 'libjson.so', init_config: '' },
    ]);
    expect(config.rules_files).toEqual(['/etc/falco/k8s_audit_rules.yaml']);
    expect(config.metrics).toMatchObject({ rules_counters_enabled: true, kernel_event_counters_enabled: false, libbpf_stats_enabled: false });
  });

  test('falcoctl installs k8saudit-rules:0.16 and k8saudit:0.16 and follows the rules only', () => {
    const falcoctl = parse(findObject(manifests, 'ConfigMap', 'falco-falcoctl').data['falcoctl.yaml']);
    expect(falcoctl.artifact.install.refs).toEqual(['k8saudit-rules:0.16', 'k8saudit:0.16']);
    expect(falcoctl.artifact.follow.refs).toEqual(['k8saudit-rules:0.16']);
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/etc/falco', '/usr/share/falco/plugins']));
  });

  test('the webhook Service is the one FalcoAuditWebhook posts to, on 9765', () => {
    const service = findObject(manifests, 'Service', 'falco-k8saudit');
    expect(service.metadata.namespace).toBe('falco');
    expect(service.spec.ports).toEqual([{ name: 'webhook', port: 9765, targetPort: 9765, protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': 'falco' });
    expect(new FalcoAuditWebhook().url).toBe('http://falco-k8saudit.falco.svc:9765/k8s-audit');
    expect(container.ports).toContainEqual({ containerPort: 9765, protocol: 'TCP' });
  });

  test('the NetworkPolicy admits the webserver and the webhook port only', () => {
    expect(findObject(manifests, 'NetworkPolicy').spec.ingress).toEqual([
      { ports: [{ port: 8765, protocol: 'TCP' }] },
      { ports: [{ port: 9765, protocol: 'TCP' }] },
    ]);
  });

  test('no control-plane tolerations by default; runOnControlPlane adds them', () => {
    expect(spec.tolerations).toBeUndefined();
    const { spec: onControlPlane } = pod(synth(build({ ...K8SAUDIT, runOnControlPlane: true })));
    expect(onControlPlane.tolerations.map((t: any) => t.key)).toEqual(['node-role.kubernetes.io/master', 'node-role.kubernetes.io/control-plane']);
  });
});

describe('plugin-only Falco options', () => {
  test('replicas, and a webhook Service in another namespace and name', () => {
    const webhook = new FalcoAuditWebhook({ serviceName: 'audit-sink', namespace: 'audit' });
    const manifests = synth(build({ namespace: 'audit', workload: FalcoWorkload.deployment({ replicas: 2 }), plugins: [FalcoPlugin.k8sAudit({ webhook, version: '0.18' })] }));
    expectValidManifests(manifests);
    expect(findObject(manifests, 'Deployment').spec.replicas).toBe(2);
    expect(findObject(manifests, 'Service', 'audit-sink').metadata.namespace).toBe('audit');
    expect(parse(findObject(manifests, 'ConfigMap', 'falco-falcoctl').data['falcoctl.yaml']).artifact.install.refs).toEqual(['k8saudit-rules:0.18', 'k8saudit:0.18']);
  });

  test('custom k8s_audit rules may use the k8saudit ruleset\'s macros and lists', () => {
    const manifests = synth(build(K8SAUDIT, (f) => f.addRule(AUDIT_RULE)));
    expect(falcoYaml(manifests).rules_files).toEqual(['/etc/falco/k8s_audit_rules.yaml', '/etc/falco/rules.d/custom-rules.yaml']);
  });

  test('a pull plugin (cloudtrail): no Service, its rules installed, the json extractor loaded once', () => {
    const manifests = synth(build({ workload: FalcoWorkload.deployment(), plugins: [cloudtrail(), FalcoPlugin.json()] }));
    expectValidManifests(manifests);
    const config = falcoYaml(manifests);
    expect(config.plugins).toEqual([
      { name: 'cloudtrail', library_path: 'libcloudtrail.so', init_config: '', open_params: 'sqs://falco-cloudtrail' },
      { name: 'json', library_path: 'libjson.so', init_config: '' },
    ]);
    expect(config.rules_files).toEqual(['/etc/falco/aws_cloudtrail_rules.yaml']);
    expect(manifests.filter((m) => m.kind === 'Service').map((m) => m.metadata.name)).toEqual(['falco-metrics']);
    expect(findObject(manifests, 'NetworkPolicy').spec.ingress).toEqual([{ ports: [{ port: 8765, protocol: 'TCP' }] }]);
  });

  test('a plugin without artifacts (in the image) needs no falcoctl; its rules come from addRules', () => {
    const okta = FalcoPlugin.custom({ name: 'okta', source: 'okta', initConfig: { organization: 'example', api_token: '${OKTA_TOKEN}' } });
    const manifests = synth(build({ workload: FalcoWorkload.deployment(), plugins: [okta] }, (f) => f.addRule({
      name: 'Okta MFA deactivated', description: 'd', condition: 'okta.evt.type = "user.mfa.factor.deactivate"', output: 'MFA off', priority: FalcoPriority.WARNING, source: 'okta',
    })));
    expect(manifests.filter((m) => m.metadata.name === 'falco-falcoctl')).toEqual([]);
    expect(falcoYaml(manifests).plugins).toEqual([{ name: 'okta', library_path: 'libokta.so', init_config: { organization: 'example', api_token: '${OKTA_TOKEN}' } }]);
  });

  test('init_config credentials from a Secret: a ${VARIABLE} Falco expands, set from a secretKeyRef, never the value', () => {
    const okta = FalcoPlugin.custom({
      name: 'okta', source: 'okta', initConfig: { organization: 'example' }, initConfigSecrets: { api_token: { secretName: 'okta', key: 'api-token' } },
    });
    const manifests = synth(build({ workload: FalcoWorkload.deployment(), plugins: [okta] }, (f) => f.addRule({
      name: 'Okta MFA deactivated', description: 'd', condition: 'okta.evt.type = "user.mfa.factor.deactivate"', output: 'MFA off', priority: FalcoPriority.WARNING, source: 'okta',
    })));
    expectValidManifests(manifests);
    expect(falcoYaml(manifests).plugins).toEqual([
      { name: 'okta', library_path: 'libokta.so', init_config: { organization: 'example', api_token: '${FALCO_PLUGIN_OKTA_API_TOKEN}' } },
    ]);
    expect(pod(manifests).container.env).toContainEqual({ name: 'FALCO_PLUGIN_OKTA_API_TOKEN', valueFrom: { secretKeyRef: { name: 'okta', key: 'api-token' } } });
  });

  test('init_config credentials: a token typed into initConfig is refused; a string where the Secret belongs says what to pass', () => {
    expect(() => FalcoPlugin.custom({ name: 'okta', source: 'okta', initConfig: { api_token: 'Bearer 00aBcDeFgHiJkLmNoP' } })).toThrow(
      'FalcoPlugin.custom: initConfig.api_token contains an Authorization header value, which would be written into the manifests (got "Bearer ***"): '
      + 'keep credentials in a Secret and pass { secretName, key } to an option that takes a SecretKeyReference');
    expect(() => FalcoPlugin.custom({ name: 'okta', source: 'okta', initConfigSecrets: { api_token: '00aBcDeFgHiJkLmNoP' as any } })).toThrow(
      'FalcoPlugin "okta": initConfigSecrets["api_token"] is a string, not a reference to a Secret (got "a string of 18 characters, not shown"): pass { secretName, key }');
  });

  test('a DaemonSet with syscalls and k8saudit (charts/falco values-syscall-k8saudit.yaml)', () => {
    const manifests = synth(build({ plugins: [FalcoPlugin.k8sAudit()] }, (f) => f.addRule(AUDIT_RULE).addRule(SYSCALL_RULE)));
    expectValidManifests(manifests);
    const config = falcoYaml(manifests);
    expect(config.load_plugins).toEqual(['container', 'k8saudit', 'json']);
    expect(config.rules_files).toEqual(['/etc/falco/falco_rules.yaml', '/etc/falco/k8s_audit_rules.yaml', '/etc/falco/rules.d/custom-rules.yaml']);
    expect(config.engine.kind).toBe('modern_ebpf');
    const falcoctl = parse(findObject(manifests, 'ConfigMap', 'falco-falcoctl').data['falcoctl.yaml']);
    expect(falcoctl.artifact.install.refs).toEqual(['falco-rules:5', 'ghcr.io/falcosecurity/plugins/plugin/container:0.7.1', 'k8saudit-rules:0.16', 'k8saudit:0.16']);
    expect(falcoctl.artifact.follow.refs).toEqual(['falco-rules:5', 'k8saudit-rules:0.16']);
    expect(findObject(manifests, 'Service', 'falco-k8saudit').spec.ports[0].port).toBe(9765);
    expect(pod(manifests, 'DaemonSet').container.args).toEqual(['/usr/bin/falco']);
  });

  test('FalcoDriver.none() in a DaemonSet: plugin-only on every node, still unprivileged', () => {
    const manifests = synth(build({ driver: FalcoDriver.none(), plugins: [cloudtrail()] }));
    expect(podSecurityViolations(pod(manifests, 'DaemonSet').template, 'restricted')).toEqual([]);
  });
});

describe('plugin-only Falco mistakes: the exact error each produces', () => {
  const errors: Array<[string, () => unknown, string]> = [
    ['a syscall driver in a Deployment', () => build({ workload: FalcoWorkload.deployment(), driver: FalcoDriver.modernEbpf(), plugins: [FalcoPlugin.k8sAudit()] }),
      'test/falco: a syscall driver needs Falco on every node, but workload is a Deployment (got "modern_ebpf"): use FalcoWorkload.daemonSet() for syscall monitoring, or FalcoDriver.none() for plugin-only sources'],
    ['a Deployment without a source plugin', () => build({ workload: FalcoWorkload.deployment() }),
      'test/falco: driver is none and no plugin provides an event source (got []): add a source plugin such as FalcoPlugin.k8sAudit(), or use a syscall driver'],
    ['only an extractor plugin', () => build({ driver: FalcoDriver.none(), plugins: [FalcoPlugin.json()] }),
      'test/falco: driver is none and no plugin provides an event source (got ["json"]): add a source plugin such as FalcoPlugin.k8sAudit(), or use a syscall driver'],
    ['the upstream syscall ruleset without a driver', () => build({ ...K8SAUDIT, defaultRules: FalcoDefaultRules.falcoctl() }),
      'test/falco: defaultRules loads the upstream syscall ruleset, but driver is none (got "none"): use FalcoDefaultRules.none() with plugin-only sources, or a syscall driver'],
    ['bundled rules with falcoctl-installed plugins', () => build({ defaultRules: FalcoDefaultRules.bundled(), plugins: [FalcoPlugin.k8sAudit()] }),
      'test/falco: plugins installed by falcoctl would hide the ruleset and container plugin of the image that defaultRules bundled() uses (got ["k8saudit-rules:0.16","k8saudit:0.16"]): use FalcoDefaultRules.falcoctl(), or plugins without artifacts (shipped in the image)'],
    ['two replicas of a pull plugin', () => build({ workload: FalcoWorkload.deployment({ replicas: 2 }), plugins: [cloudtrail()] }),
      'test/falco: 2 replicas would each fetch and report every event of the pull plugins (got ["cloudtrail"]): use one replica (more only suit push plugins such as k8saudit, behind their Service)'],
    ['zero replicas', () => FalcoWorkload.deployment({ replicas: 0 }),
      'FalcoWorkload.deployment: replicas must be a positive integer (got 0): use 1 (the chart default) or more'],
    ['the webhook in another namespace than Falco', () => build({ ...K8SAUDIT, namespace: 'audit' }),
      'test/falco: plugin "k8saudit" receives events on Service falco-k8saudit.falco, outside Falco\'s namespace "audit" (got "falco"): build its FalcoAuditWebhook with namespace "audit", or deploy Falco in "falco"'],
    ['a push plugin on the webserver port', () => build({ workload: FalcoWorkload.deployment(), plugins: [FalcoPlugin.custom({ name: 'github', source: 'github', listenPort: 8765, rulesArtifact: 'github-rules:0.10', rulesFile: 'github.yaml' })] }),
      'test/falco: plugin "github" listens on port 8765, which is already taken (got 8765): give each push plugin its own port (8765 is Falco\'s webserver)'],
    ['one plugin configured twice', () => build({ workload: FalcoWorkload.deployment(), plugins: [cloudtrail(), cloudtrail({ openParams: 'sqs://other' })] }),
      'test/falco: plugin "cloudtrail" is configured twice, differently (got [{"name":"cloudtrail","library_path":"libcloudtrail.so","init_config":"","open_params":"sqs://falco-cloudtrail"},{"name":"cloudtrail","library_path":"libcloudtrail.so","init_config":"","open_params":"sqs://other"}]): Falco loads a plugin once: keep one configuration'],
    ['the container plugin as a plugin', () => build({ plugins: [FalcoPlugin.custom({ name: 'container' })] }),
      'test/falco: plugins contains the container plugin, which the deployment configures with a syscall driver (got "container"): drop it from plugins'],
    ['a plain object as a plugin (JSON config)', () => build({ plugins: [{ name: 'k8saudit' }] as any }),
      'test/falco: plugins[0] is not a FalcoPlugin (got {"name":"k8saudit"}): build each plugin with a FalcoPlugin factory, e.g. FalcoPlugin.k8sAudit()'],
    ['a workload as a string (JSON config)', () => build({ workload: 'deployment' as any }),
      'test/falco: workload is not a FalcoWorkload (got "deployment"): use FalcoWorkload.daemonSet() or FalcoWorkload.deployment()'],
    ['a plugin name with capitals', () => FalcoPlugin.custom({ name: 'CloudTrail' }),
      'FalcoPlugin: name is not a plugin name (got "CloudTrail"): use the plugin\'s registry name, e.g. "cloudtrail" or "k8saudit-eks"'],
    ['a plugin claiming the syscall source', () => FalcoPlugin.custom({ name: 'mine', source: 'syscall' }),
      'FalcoPlugin "mine": source is not a plugin event source (got "syscall"): use the source name of the plugin registry, e.g. "aws_cloudtrail" or "k8s_audit" ("syscall" belongs to the driver)'],
    ['a rules artifact without its file name', () => FalcoPlugin.custom({ name: 'okta', source: 'okta', rulesArtifact: 'okta-rules:0.12' }),
      'FalcoPlugin "okta": rulesArtifact needs rulesFile, the YAML file name it installs (got undefined): set rulesFile to the file name in the artifact, e.g. "aws_cloudtrail_rules.yaml"'],
    ['a rules file without an artifact', () => FalcoPlugin.custom({ name: 'okta', source: 'okta', rulesFile: 'okta_rules.yaml' }),
      'FalcoPlugin "okta": rulesFile is set but rulesArtifact is not (got "okta_rules.yaml"): set rulesArtifact, or add the rules with FalcoDeployment.addRules()'],
    ['a library that is not a .so', () => FalcoPlugin.custom({ name: 'okta', libraryPath: 'okta' }),
      'FalcoPlugin "okta": libraryPath is not a shared library path (got "okta"): use e.g. "libokta.so"'],
    ['a k8saudit version that is no tag', () => FalcoPlugin.k8sAudit({ version: 'v0.16 beta' }),
      'FalcoPlugin.k8sAudit: version is not a falcoctl artifact reference (got "k8saudit:v0.16 beta"): use a reference such as "k8saudit:0.16"'],
    ['a listen port out of range', () => FalcoPlugin.custom({ name: 'github', source: 'github', listenPort: 70000 }),
      'FalcoPlugin "github": listenPort is not a valid port (got 70000): use an integer from 1 to 65535'],
  ];
  test.each(errors)('%s', (_, act, message) => expect(act).toThrow(message));
  test('every message is exact', () => {
    for (const [, act, message] of errors) {
      try {
        act();
      } catch (e) {
        expect((e as Error).message).toBe(message);
        continue;
      }
      throw new Error(`no error for: ${message}`);
    }
  });

  const SYNTH = 'Validation failed with the following errors:\n  [test/falco] test/falco: ';
  const synthErrors: Array<[string, () => FalcoDeployment, string]> = [
    ['a syscall rule in plugin-only Falco', () => build(K8SAUDIT, (f) => f.addRule(SYSCALL_RULE)),
      `${SYNTH}rules file "custom-rules": FalcoRule "Shell in container": source "syscall" is not an event source of this Falco, so Falco would skip the rule (got "syscall"): a syscall rule needs a syscall driver: use a FalcoDriver other than none() (in a DaemonSet), or set the rule's source to one of: k8s_audit`],
    ['a k8s_audit rule without the k8saudit plugin', () => build({}, (f) => f.addRule(PLAIN_AUDIT_RULE)),
      `${SYNTH}rules file "custom-rules": FalcoRule "Exec into kube-system pod": source "k8s_audit" is not an event source of this Falco, so Falco would skip the rule (got "k8s_audit"): load a plugin of that source (e.g. FalcoPlugin.k8sAudit() for k8s_audit), or set the rule's source to one of: syscall`],
    ['a source plugin without rules', () => build({ workload: FalcoWorkload.deployment(), plugins: [FalcoPlugin.custom({ name: 'okta', source: 'okta' })] }),
      `${SYNTH}plugin "okta" provides the "okta" source, but no rules file has rules of it (got "okta"): give the plugin a rulesArtifact, or add rules with source: okta (addRules or addRule)`],
    ['a k8saudit macro misspelled', () => build(K8SAUDIT, (f) => f.addRule({ ...AUDIT_RULE, condition: 'kevt and pods and kcreate' })),
      `${SYNTH}rules file "custom-rules": FalcoRule "Exec into kube-system pod": condition references macro "pods" at offset 9, which is not defined (did you mean "pod"?) (got "pods"): define the macro before this item (or in a rules file loaded earlier), or fix the name`],
  ];
  test.each(synthErrors)('%s (at synth)', (_, act, message) => expect(() => synth(act())).toThrow(message));
  test('synth messages are exact', () => {
    for (const [, act, message] of synthErrors) {
      expect(() => synth(act())).toThrow(expect.objectContaining({ message }));
    }
  });

  test('rules validated standalone accept any source, as before', () => {
    expect(new FalcoRules().addRule(PLAIN_AUDIT_RULE).validate().filter((d) => d.severity === 'error')).toEqual([]);
  });
});
