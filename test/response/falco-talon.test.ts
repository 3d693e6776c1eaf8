import { ApiObject, Duration, JsonPatch, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { FalcoPriority, FalcoTalon, FalcoTalonProps, TalonActionner, TalonObjectStore } from '../../src';
import { expectDeterministic, expectValidManifests, findObject, Manifest, synth } from '../util';

const shellRule = {
  name: 'Isolate shells',
  match: { rules: ['Terminal shell in container'], minimumPriority: FalcoPriority.NOTICE },
  actions: [{ name: 'label', actionner: TalonActionner.label({ 'security.quarantine': 'true' }) }],
};

function synthTalon(props: FalcoTalonProps = { rules: [shellRule] }): Manifest[] {
  return synth(new FalcoTalon(Testing.chart(), 'talon', props));
}

const rulesOf = (manifests: Manifest[]) => parse(findObject(manifests, 'ConfigMap', 'falco-talon-rules').data['rules.yaml']);
const configOf = (manifests: Manifest[]) => parse(findObject(manifests, 'ConfigMap', 'falco-talon').data['config.yaml']);
const clusterRules = (manifests: Manifest[]) => findObject(manifests, 'ClusterRole', 'falco-falco-talon').rules;

describe('FalcoTalon', () => {
  test('its ClusterRole and binding are named after the namespace, or clusterRoleName', () => {
    const names = (manifests: Manifest[]) => manifests.filter((m) => m.kind.startsWith('Cluster')).map((m) => m.metadata.name);
    expect(names(synthTalon())).toEqual(['falco-falco-talon', 'falco-falco-talon']);
    expect(names(synthTalon({ rules: [shellRule], clusterRoleName: 'blue-falco-talon' }))).toEqual(['blue-falco-talon', 'blue-falco-talon']);
  });

  test('renders the Deployment, Service on 2803 and the config Talon reads', () => {
    const talon = new FalcoTalon(Testing.chart(), 'talon', { rules: [shellRule], namespace: 'response' });
    const manifests = synth(talon);
    expectValidManifests(manifests);
    expect(talon.url).toBe('http://falco-talon.response.svc:2803');
    const service = findObject(manifests, 'Service', 'falco-talon');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 2803, targetPort: 'http', protocol: 'TCP' }]);
    const deployment = findObject(manifests, 'Deployment', 'falco-talon');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('docker.io/falcosecurity/falco-talon:0.3.0');
    expect(container.args).toEqual(['server', '-c', '/etc/falco-talon/config.yaml', '-r', '/etc/falco-talon/rules.yaml']);
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(deployment.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(configOf(manifests)).toMatchObject({ listen_port: 2803, rules_files: ['/etc/falco-talon/rules.yaml'], default_notifiers: ['k8sevents'], deduplication: { leader_election: true } });
  });

  test('renders rules in Talon\'s format', () => {
    const manifests = synthTalon({
      rules: [{
        name: 'Contain',
        description: 'contain crypto miners',
        match: { rules: ['Detect crypto miners'], minimumPriority: FalcoPriority.CRITICAL, tags: [['container', 'mitre_execution']], outputFields: ['k8s.ns.name!=kube-system'] },
        dryRun: true,
        continue: true,
        actions: [
          { name: 'isolate', actionner: TalonActionner.networkPolicy({ allowCidrs: ['10.0.0.0/8'], allowNamespaces: ['monitoring'] }) },
          { name: 'kill', actionner: TalonActionner.terminate({ gracePeriod: Duration.seconds(5), minHealthyReplicas: '50%' }), ignoreErrors: true },
        ],
      }],
    });
    expect(rulesOf(manifests)).toEqual([{
      rule: 'Contain',
      description: 'contain crypto miners',
      match: { rules: ['Detect crypto miners'], priority: '>=Critical', tags: ['container, mitre_execution'], output_fields: ['k8s.ns.name!=kube-system'] },
      dry_run: 'true',
      continue: 'true',
      actions: [
        { action: 'isolate', actionner: 'kubernetes:networkpolicy', parameters: { allow_cidr: ['10.0.0.0/8'], allow_namespaces: ['monitoring'] } },
        {
          action: 'kill',
          actionner: 'kubernetes:terminate',
          parameters: { ignore_daemonsets: true, ignore_statefulsets: true, ignore_standalone_pods: false, grace_period_seconds: 5, min_healthy_replicas: '50%' },
          ignore_errors: 'true',
        },
      ],
    }]);
  });

  describe('RBAC is least privilege', () => {
    test('label only: get/patch/update pods, plus creating Events for the events notifier', () => {
      expect(clusterRules(synthTalon())).toEqual([
        { apiGroups: [''], resources: ['events'], verbs: ['create'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'patch', 'update'] },
      ]);
    });

    test('terminate without events: delete pods and read ReplicaSets, nothing else', () => {
      const manifests = synthTalon({
        kubernetesEvents: false,
        rules: [{ name: 'kill', match: { rules: ['R'] }, actions: [{ name: 'kill', actionner: TalonActionner.terminate() }] }],
      });
      expect(clusterRules(manifests)).toEqual([
        { apiGroups: [''], resources: ['pods'], verbs: ['delete', 'get'] },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get'] },
      ]);
    });

    test('networkpolicy and log: the union of their permissions, merged per resource', () => {
      const manifests = synthTalon({
        kubernetesEvents: false,
        rules: [{
          name: 'r',
          match: { tags: [['network']] },
          actions: [{ name: 'np', actionner: TalonActionner.networkPolicy() }, { name: 'log', actionner: TalonActionner.log({ tailLines: 50 }) }],
        }],
      });
      expect(clusterRules(manifests)).toEqual([
        { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get'] },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create', 'get', 'update'] },
      ]);
    });

    test('no wildcards anywhere; leases only in Talon\'s namespace; binding to its ServiceAccount', () => {
      const manifests = synthTalon();
      for (const role of manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'Role')) {
        for (const rule of role.rules) {
          expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain('*');
        }
      }
      expect(findObject(manifests, 'Role', 'falco-talon-leader-election').rules).toEqual([
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
      ]);
      expect(findObject(manifests, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'falco-talon', namespace: 'falco' }]);
      expect(findObject(manifests, 'ClusterRole').metadata.namespace).toBeUndefined();
    });

    test('leader election takes its Lease in Talon\'s own namespace, where the Role grants it (Talon reads NAMESPACE, else uses "falco")', () => {
      const manifests = synthTalon({ rules: [shellRule], namespace: 'response' });
      expect(findObject(manifests, 'Role').metadata.namespace).toBe('response');
      expect(findObject(manifests, 'Deployment').spec.template.spec.containers[0].env)
        .toContainEqual({ name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    });

    test('one replica: no leader election and no leases Role', () => {
      const manifests = synthTalon({ rules: [shellRule], replicas: 1 });
      expect(manifests.filter((m) => m.kind === 'Role')).toEqual([]);
      expect(configOf(manifests).deduplication.leader_election).toBe(false);
    });
  });

  test('evidence: logs uploaded to MinIO, credentials only from Secrets', () => {
    const manifests = synthTalon({
      evidenceStore: TalonObjectStore.minio({
        host: 'minio.storage.svc',
        port: 9000,
        accessKeySecret: { secretName: 'minio', key: 'access-key' },
        secretKeySecret: { secretName: 'minio', key: 'secret-key' },
      }),
      rules: [{ name: 'r', match: { rules: ['R'] }, actions: [{ name: 'logs', actionner: TalonActionner.log({ evidenceBucket: 'falco-evidence', evidencePrefix: 'logs/' }) }] }],
    });
    expectValidManifests(manifests);
    expect(rulesOf(manifests)[0].actions[0]).toEqual({
      action: 'logs', actionner: 'kubernetes:log', output: { target: 'minio:s3', parameters: { bucket: 'falco-evidence', prefix: 'logs/' } },
    });
    expect(configOf(manifests).minio).toEqual({ endpoint: 'minio.storage.svc:9000', use_ssl: true, access_key: '', secret_key: '' });
    const env = findObject(manifests, 'Deployment').spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([
      { name: 'MINIO_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'minio', key: 'access-key' } } },
      { name: 'MINIO_SECRET_KEY', valueFrom: { secretKeyRef: { name: 'minio', key: 'secret-key' } } },
    ]));
  });

  test('evidence: AWS S3 with the pod identity renders no credentials', () => {
    const manifests = synthTalon({
      evidenceStore: TalonObjectStore.awsS3({ region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/talon' }),
      rules: [{ name: 'r', match: { rules: ['R'] }, actions: [{ name: 'logs', actionner: TalonActionner.log({ evidenceBucket: 'evidence' }) }] }],
    });
    expect(configOf(manifests).aws).toEqual({ region: 'eu-west-1', role_arn: 'arn:aws:iam::123456789012:role/talon' });
    expect(rulesOf(manifests)[0].actions[0].output).toEqual({ target: 'aws:s3', parameters: { bucket: 'evidence' } });
    expect(findObject(manifests, 'Deployment').spec.template.spec.containers[0].env).toEqual([
      { name: 'LOG_LEVEL', value: 'warning' },
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ]);
  });

  test('a rules change rolls the pods', () => {
    const checksum = (manifests: Manifest[]) => findObject(manifests, 'Deployment').spec.template.metadata.annotations['checksum/config'];
    const other = { ...shellRule, dryRun: true };
    expect(checksum(synthTalon())).not.toEqual(checksum(synthTalon({ rules: [other] })));
  });

  test('addRule appends in order', () => {
    const talon = new FalcoTalon(Testing.chart(), 'talon', { rules: [shellRule] });
    talon.addRule({ name: 'second', match: { rules: ['X'] }, actions: [{ name: 'kill', actionner: TalonActionner.terminate() }] });
    expect(rulesOf(synth(talon)).map((r: any) => r.rule)).toEqual(['Isolate shells', 'second']);
  });

  test('rules keep what was validated: a later change to the caller\'s objects does not reach the manifests', () => {
    const ruleNames = ['X'];
    const actions = [{ name: 'kill', actionner: TalonActionner.terminate() }];
    const talon = new FalcoTalon(Testing.chart(), 'talon', { rules: [{ name: 'kill X', match: { rules: ruleNames }, actions }] });
    ruleNames.push('Y');
    actions.push({ name: 'isolate', actionner: TalonActionner.networkPolicy() });
    const manifests = synth(talon);
    expect(rulesOf(manifests)[0].match.rules).toEqual(['X']);
    expect(rulesOf(manifests)[0].actions.map((a: any) => a.action)).toEqual(['kill']);
  });

  test('escape hatch: every object is a public property, the Deployment the default child, and a JSON patch reaches the manifest', () => {
    const talon = new FalcoTalon(Testing.chart(), 'talon', { rules: [shellRule] });
    expect(talon.node.defaultChild).toBe(talon.workload);
    expect([
      talon.workload, talon.configMap, talon.rulesConfigMap, talon.service, talon.serviceAccount,
      talon.clusterRole, talon.clusterRoleBinding, talon.role!, talon.roleBinding!, talon.networkPolicy,
    ].map((o) => `${o.kind}/${o.name}`)).toEqual([
      'Deployment/falco-talon', 'ConfigMap/falco-talon', 'ConfigMap/falco-talon-rules', 'Service/falco-talon', 'ServiceAccount/falco-talon',
      'ClusterRole/falco-falco-talon', 'ClusterRoleBinding/falco-falco-talon', 'Role/falco-talon-leader-election', 'RoleBinding/falco-talon-leader-election',
      'NetworkPolicy/falco-talon',
    ]);
    ApiObject.of(talon.workload).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'system-cluster-critical'));
    talon.service.metadata.addAnnotation('example.com/owner', 'secops');
    const manifests = synth(talon);
    expect(findObject(manifests, 'Deployment').spec.template.spec.priorityClassName).toBe('system-cluster-critical');
    expect(findObject(manifests, 'Service').metadata.annotations).toEqual({ 'example.com/owner': 'secops' });
  });

  test('escape hatch: with one replica there is no leader-election Role to expose', () => {
    const talon = new FalcoTalon(Testing.chart(), 'talon', { rules: [shellRule], replicas: 1 });
    expect(talon.role).toBeUndefined();
    expect(talon.roleBinding).toBeUndefined();
  });

  test('is deterministic and matches the snapshot', () => {
    expect(expectDeterministic(() => new FalcoTalon(Testing.chart(), 'talon', { rules: [shellRule] }))).toMatchSnapshot();
  });
});
