import { Duration, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { ApiServerAudit, ApiServerAuditProps, AuditDiagnosticSeverity, AuditPolicy, FalcoAuditWebhook } from '../../src';
import { DEFAULT_AUDIT_LOG_PATH } from '../../src/common/audit-log';
import { expectDeterministic, expectValidManifests, findObject, synth } from '../util';

function auditIn(props?: ApiServerAuditProps) {
  return new ApiServerAudit(Testing.chart(), 'audit', props);
}

describe('ApiServerAudit defaults', () => {
  const audit = auditIn();
  const manifests = synth(audit);

  test('renders the production policy into a ConfigMap that validates against the schema', () => {
    const configMap = findObject(manifests, 'ConfigMap', 'audit-policy');
    expect(configMap.metadata.namespace).toBe('kube-system');
    expect(configMap.data['policy.yaml']).toBe(AuditPolicy.production().toYaml());
    expect(audit.policyFileContent).toBe(configMap.data['policy.yaml']);
    expectValidManifests(manifests);
  });

  test('sets the CIS minimums and the log path the SIEM pipeline tails', () => {
    expect(audit.logPath).toBe(DEFAULT_AUDIT_LOG_PATH);
    expect(audit.apiServerFlags()).toEqual([
      '--audit-policy-file=/etc/kubernetes/audit/policy.yaml',
      `--audit-log-path=${DEFAULT_AUDIT_LOG_PATH}`,
      '--audit-log-format=json',
      '--audit-log-maxage=30',
      '--audit-log-maxbackup=10',
      '--audit-log-maxsize=100',
      '--audit-log-truncate-enabled=true',
      '--audit-log-truncate-max-event-size=1048576',
    ]);
    expect(audit.maxEventBytes).toBe(1048576);
    expect(audit.webhookConfigContent).toBeUndefined();
  });

  test('truncates events at maxEventBytes: no event in the log is longer than the SIEM pipeline reads', () => {
    const custom = auditIn({ maxEventBytes: 256 * 1024 });
    expect(custom.maxEventBytes).toBe(262144);
    expect(custom.apiServerFlags()).toEqual(expect.arrayContaining(['--audit-log-truncate-enabled=true', '--audit-log-truncate-max-event-size=262144']));
    expect(parse(custom.kubeadmClusterConfiguration()).apiServer.extraArgs).toContainEqual({ name: 'audit-log-truncate-max-event-size', value: '262144' });
  });

  test('kubeadm snippet: v1beta4 extraArgs list, read-only policy and writable log volumes', () => {
    const config = parse(audit.kubeadmClusterConfiguration());
    expect(config).toMatchObject({ apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration' });
    expect(config.apiServer.extraArgs).toContainEqual({ name: 'audit-log-maxage', value: '30' });
    expect(config.apiServer.extraVolumes).toEqual([
      { name: 'audit-policy', hostPath: '/etc/kubernetes/audit', mountPath: '/etc/kubernetes/audit', readOnly: true, pathType: 'DirectoryOrCreate' },
      { name: 'audit-log', hostPath: '/var/log/kubernetes/audit', mountPath: '/var/log/kubernetes/audit', readOnly: false, pathType: 'DirectoryOrCreate' },
    ]);
  });

  test('kind snippet: the control-plane node mounts the policy file and patches kubeadm', () => {
    const cluster = parse(audit.kindClusterConfig());
    expect(cluster).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' });
    const node = cluster.nodes[0];
    expect(node.role).toBe('control-plane');
    expect(node.extraMounts).toEqual([{ hostPath: './audit-policy.yaml', containerPath: '/etc/kubernetes/audit/policy.yaml', readOnly: true }]);
    expect(parse(node.kubeadmConfigPatches[0])).toEqual({ kind: 'ClusterConfiguration', apiServer: parse(audit.kubeadmClusterConfiguration()).apiServer });
  });

  test('synthesizes byte-identical YAML twice and matches the snapshot', () => {
    expectDeterministic(() => auditIn());
    expect(manifests).toMatchSnapshot();
    expect(audit.kindClusterConfig()).toMatchSnapshot();
  });
});

describe('ApiServerAudit options', () => {
  test('Falco webhook: kubeconfig, batch flags and the Falco-side plugin config', () => {
    const webhook = new FalcoAuditWebhook({ serviceName: 'falco-audit', namespace: 'runtime' });
    const audit = auditIn({ falcoWebhook: webhook, webhookBatchMaxSize: 100, webhookBatchMaxWait: Duration.seconds(2), namespace: 'security', labels: { team: 'sec' } });
    expect(webhook.url).toBe('http://falco-audit.runtime.svc:9765/k8s-audit');
    expect(parse(audit.webhookConfigContent!).clusters).toEqual([{ name: 'falco', cluster: { server: webhook.url } }]);
    expect(audit.apiServerFlags().slice(8)).toEqual([
      '--audit-webhook-config-file=/etc/kubernetes/audit/webhook-kubeconfig.yaml',
      '--audit-webhook-mode=batch',
      '--audit-webhook-batch-max-size=100',
      '--audit-webhook-batch-max-wait=2s',
    ]);
    expect(parse(webhook.falcoConfig())).toEqual({
      rules_files: ['/etc/falco/k8s_audit_rules.yaml'],
      plugins: [
        { name: 'k8saudit', library_path: 'libk8saudit.so', init_config: '', open_params: 'http://:9765/k8s-audit' },
        { name: 'json', library_path: 'libjson.so', init_config: '' },
      ],
      load_plugins: ['k8saudit', 'json'],
    });
    expect(FalcoAuditWebhook.RULES_FILE).toBe('k8s_audit_rules.yaml');
    expect(FalcoAuditWebhook.FALCOCTL_ARTIFACTS).toEqual(['k8saudit', 'k8saudit-rules']);
    const manifests = synth(audit);
    const configMap = findObject(manifests, 'ConfigMap', 'audit-policy');
    expect(configMap.metadata).toMatchObject({ namespace: 'security', labels: { team: 'sec' } });
    expect(Object.keys(configMap.data)).toEqual(['policy.yaml', 'webhook-kubeconfig.yaml']);
    expect(parse(audit.kindClusterConfig()).nodes[0].extraMounts).toHaveLength(2);
    expectValidManifests(manifests);
  });

  test('custom paths and a webhook kubeconfig elsewhere get their own volumes', () => {
    const audit = auditIn({ policyFilePath: '/etc/audit/policy.yaml', logPath: '/var/log/audit.log', falcoWebhook: new FalcoAuditWebhook(), webhookConfigPath: '/etc/falco-hook/kubeconfig' });
    expect(parse(audit.kubeadmClusterConfiguration()).apiServer.extraVolumes.map((v: any) => [v.name, v.hostPath, v.readOnly])).toEqual([
      ['audit-policy', '/etc/audit', true], ['audit-webhook', '/etc/falco-hook', true], ['audit-log', '/var/log', false],
    ]);
  });

  test('lint errors fail synth with the standard error', () => {
    const audit = auditIn({ policy: AuditPolicy.seedLogEverythingExample() });
    expect(() => synth(audit)).toThrow('test/audit: the audit policy fails the secret-leak check (got "rules[0]"): rules[0] logs secrets, configmaps, serviceaccounts/token, tokenreviews at RequestResponse');
  });

  test('lint warnings are recorded as warning metadata; failOnLintWarnings makes them fail', () => {
    const policy = AuditPolicy.seedLogEverythingExample();
    const audit = auditIn({ policy, secretLeakSeverity: AuditDiagnosticSeverity.WARNING });
    expect(() => synth(audit)).not.toThrow();
    expect(audit.node.metadata.filter((m) => m.type === 'warning').map((m) => m.data)).toEqual([
      expect.stringMatching(/^AuditPolicy secret-leak: rules\[0\] logs secrets/),
      expect.stringMatching(/^AuditPolicy missing-request-received-omission: rules\[0\]/),
    ]);
    expect(() => synth(auditIn({ policy: AuditPolicy.cisMinimal(), failOnLintWarnings: true }))).not.toThrow();
    expect(() => synth(auditIn({ policy, secretLeakSeverity: AuditDiagnosticSeverity.WARNING, failOnLintWarnings: true })))
      .toThrow('fails the missing-request-received-omission check');
  });

  test.each<[ApiServerAuditProps, string]>([
    [{ logMaxAge: Duration.days(7) }, 'test/audit: logMaxAge is below the 30 days CIS 1.2.17 requires (got "7 days"): set logMaxAge to at least Duration.days(30)'],
    [{ logMaxAge: Duration.hours(36 * 24 + 12) }, 'test/audit: logMaxAge is not a whole number of days (got "36 days 12 hours"): the API server keeps logs for whole days: use e.g. Duration.days(30)'],
    [{ logMaxAge: 30 as any }, 'test/audit: logMaxAge is not a Duration (got 30): pass a cdk8s Duration, which states its unit: e.g. Duration.seconds(30) or Duration.minutes(30)'],
    [{ logMaxBackup: 5 }, 'test/audit: logMaxBackup is below the 10 files CIS 1.2.18 requires (got 5): set logMaxBackup to an integer of at least 10'],
    [{ logMaxSize: 99.5 }, 'test/audit: logMaxSize is below the 100 MB CIS 1.2.19 requires (got 99.5): set logMaxSize to an integer of at least 100'],
    [{ logPath: 'audit.log' }, 'test/audit: logPath is not an absolute file path (got "audit.log"): use a path such as "/etc/kubernetes/audit/policy.yaml"'],
    [{ policyFilePath: '/etc/kubernetes/audit/' }, 'test/audit: policyFilePath is not an absolute file path (got "/etc/kubernetes/audit/")'],
    [{ falcoWebhook: new FalcoAuditWebhook(), webhookBatchMaxSize: 0 }, 'test/audit: webhookBatchMaxSize must be a positive integer (got 0)'],
    [{ maxEventBytes: 1000 }, 'test/audit: maxEventBytes is out of range (got 1000): use a whole number of bytes from 16384 (16 KiB) to 10485760 (10 MiB, the API server\'s default batch limit), e.g. 1048576'],
    [{ maxEventBytes: 20 * 1024 * 1024 }, 'test/audit: maxEventBytes is out of range (got 20971520)'],
    [{ namespace: 'Kube System' }, 'test/audit: namespace is not a valid DNS-1123 label (got "Kube System")'],
    [{ configMapName: 'Audit_Policy' }, 'test/audit: configMapName is not a valid DNS-1123 subdomain (got "Audit_Policy")'],
  ])('rejects %j', (props, message) => {
    expect(() => auditIn(props)).toThrow(message);
  });

  test('FalcoAuditWebhook rejects a bad Service name', () => {
    expect(() => new FalcoAuditWebhook({ serviceName: 'Falco' })).toThrow('FalcoAuditWebhook: serviceName is not a valid DNS-1123 label (got "Falco")');
  });
});
