/**
 * Audit events as test input: `ka.*` fields read from an audit.k8s.io/v1 Event
 * as the k8saudit plugin extracts them (falcosecurity/plugins
 * plugins/k8saudit/pkg/k8saudit/extract.go) and `jevt.value` as the json plugin does.
 */
import { FalcoPriority, FalcoRules, FalcoTestOutcome } from '../../../src';
import { parseFieldOperand } from '../../../src/falco/rules/condition-parser';
import { AuditEventFields } from '../../../src/falco/rules/evaluator/audit-event-fields';
import { resolveField } from '../../../src/falco/rules/evaluator/field-values';
import { showValue, ValueError } from '../../../src/falco/rules/evaluator/typed-values';
import { newestSourceFields } from '../../../src/falco/rules/plugin-catalogue';

/** A pod created by kubectl, as the API server logs it at RequestResponse. */
const podCreate = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'RequestResponse',
  auditID: '5f0d6c43-3b0a-4a4f-9a43-2a1f7f1b3c11',
  stage: 'ResponseComplete',
  requestURI: '/api/v1/namespaces/default/pods?fieldManager=kubectl-client-side-apply&dryRun=All',
  verb: 'create',
  user: { username: 'alice@example.com', groups: ['developers', 'system:authenticated'] },
  sourceIPs: ['10.0.0.7'],
  userAgent: 'kubectl/v1.31.0 (linux/amd64) kubernetes/abc',
  objectRef: { resource: 'pods', namespace: 'default', name: 'debug', apiVersion: 'v1' },
  responseStatus: { metadata: {}, code: 201 },
  requestObject: {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'debug', namespace: 'default' },
    spec: {
      hostNetwork: true,
      securityContext: { runAsUser: 1000, supplementalGroups: [10, 20] },
      volumes: [{ name: 'root', hostPath: { path: '/', type: 'Directory' } }, { name: 'cfg', configMap: { name: 'cfg' } }],
      containers: [
        {
          name: 'shell',
          image: 'docker.io/library/busybox:1.36',
          command: ['sh', '-c'],
          args: ['sleep 3600'],
          ports: [{ containerPort: 8080, hostPort: 80 }],
          securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN', 'SYS_TIME'] } },
        },
        { name: 'sidecar', image: 'registry.example.com:5000/tools/proxy@sha256:0123', ports: [{ containerPort: 9000 }] },
      ],
    },
  },
  responseObject: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'debug', namespace: 'default', uid: 'u-1' } },
  annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding "devs"' },
};

function read(event: Record<string, unknown>, field: string): string[] | 'missing' {
  const { operand } = parseFieldOperand(field, 0);
  const extracted = new AuditEventFields(event).get(resolveField(operand as any, newestSourceFields('k8s_audit')!));
  return extracted.state === 'values' ? extracted.values.map((v) => (typeof v === 'string' ? v : showValue(v))) : 'missing';
}

describe('ka.* fields of an audit event, as the k8saudit plugin extracts them', () => {
  test.each<[string, string[] | 'missing']>([
    ['ka.auditid', ['5f0d6c43-3b0a-4a4f-9a43-2a1f7f1b3c11']],
    ['ka.stage', ['ResponseComplete']],
    ['ka.verb', ['create']],
    ['ka.user.name', ['alice@example.com']],
    ['ka.user.groups', ['developers', 'system:authenticated']],
    ['ka.impuser.name', 'missing'],
    ['ka.uri', ['/api/v1/namespaces/default/pods?fieldManager=kubectl-client-side-apply&dryRun=All']],
    ['ka.uri.param[dryRun]', ['All']],
    ['ka.uri.param[command]', 'missing'],
    ['ka.target.resource', ['pods']],
    ['ka.target.subresource', 'missing'],
    ['ka.target.namespace', ['default']],
    ['ka.target.name', ['debug']],
    // Only for a pod without subresource, and from the response.
    ['ka.target.pod.name', ['debug']],
    ['ka.auth.decision', ['allow']],
    ['ka.auth.reason', ['RBAC: allowed by ClusterRoleBinding "devs"']],
    // Non-string JSON values are read as their JSON text.
    ['ka.response.code', ['201']],
    ['ka.useragent', ['kubectl/v1.31.0 (linux/amd64) kubernetes/abc']],
    ['ka.resp.name', ['debug']],
    ['ka.req.pod.host_network', ['true']],
    ['ka.req.pod.host_pid', 'missing'],
    ['ka.req.pod.run_as_user', ['1000']],
    ['ka.req.pod.supplemental_groups', ['10', '20']],
    // Container arrays: one value per container that has the field; [N] picks a container.
    ['ka.req.pod.containers.image', ['docker.io/library/busybox:1.36', 'registry.example.com:5000/tools/proxy@sha256:0123']],
    ['ka.req.pod.containers.image[1]', ['registry.example.com:5000/tools/proxy@sha256:0123']],
    // The repository is the image up to the first ":" and "@", registry port included (extract.go readContainerRepositories).
    ['ka.req.pod.containers.image.repository', ['docker.io/library/busybox', 'registry.example.com']],
    ['ka.req.container.image', ['docker.io/library/busybox:1.36']],
    ['ka.req.container.image.repository', ['docker.io/library/busybox']],
    ['ka.req.pod.containers.name', ['shell', 'sidecar']],
    ['ka.req.pod.containers.command', ['sh -c']],
    ['ka.req.pod.containers.args', ['sleep 3600']],
    ['ka.req.pod.containers.privileged', ['true']],
    ['ka.req.container.privileged', ['true']],
    ['ka.req.pod.containers.host_port', ['80', '9000']],
    ['ka.req.pod.containers.add_capabilities', ['["NET_ADMIN","SYS_TIME"]']],
    // The pod's spec.runAsUser (absent here, so 0) is each container's default, as the plugin reads it.
    ['ka.req.pod.containers.eff_run_as_user', ['0', '0']],
    ['ka.req.pod.volumes.hostpath', ['/']],
    ['ka.req.pod.volumes.volume_type', ['hostPath', 'configMap']],
    ['ka.req.volume.hostpath[/]', ['true']],
    ['ka.req.volume.hostpath[/var*]', ['false']],
    ['jevt.value[/objectRef/resource]', ['pods']],
    ['jevt.value[/user/groups/0]', ['developers']],
    ['jevt.value[/responseStatus]', ['{"metadata":{},"code":201}']],
  ])('%s', (field, expected) => {
    expect(read(podCreate, field)).toEqual(expected);
  });

  test('bindings: subjects by kind, service accounts also with their namespace', () => {
    const binding = {
      auditID: 'b-1',
      verb: 'create',
      objectRef: { resource: 'clusterrolebindings', name: 'ops' },
      requestObject: {
        roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'User', name: 'bob' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'build' }, { kind: 'Group', name: 'ops' }],
      },
    };
    expect(read(binding, 'ka.req.binding.role')).toEqual(['cluster-admin']);
    expect(read(binding, 'ka.req.binding.subjects.user_names')).toEqual(['bob']);
    expect(read(binding, 'ka.req.binding.subjects.serviceaccount_names')).toEqual(['ci']);
    expect(read(binding, 'ka.req.binding.subjects.serviceaccount_ns_names')).toEqual(['build:ci']);
    expect(read(binding, 'ka.req.binding.subjects.group_names')).toEqual(['ops']);
    // A list with no value is no value: libsinsp's plugin_filtercheck refuses an empty result.
    expect(read({ ...binding, requestObject: { subjects: [] } }, 'ka.req.binding.subjects.user_names')).toBe('missing');
  });

  test('at the Metadata level the bodies are absent, so every ka.req.* and ka.resp.* field is missing', () => {
    const { requestObject, responseObject, ...metadataOnly } = podCreate;
    expect([requestObject, responseObject].every(Boolean)).toBe(true);
    expect(read(metadataOnly, 'ka.req.pod.containers.privileged')).toBe('missing');
    expect(read(metadataOnly, 'ka.resp.name')).toBe('missing');
    expect(read(metadataOnly, 'ka.target.pod.name')).toBe('missing');
    expect(read(metadataOnly, 'ka.verb')).toEqual(['create']);
  });

  test('an event without auditID gives no field at all, which the test reports', () => {
    expect(() => new AuditEventFields({ verb: 'create' })).toThrow(ValueError);
    expect(() => new AuditEventFields({ verb: 'create' })).toThrow(/no "auditID"/);
  });
});

describe('k8s_audit rules tested with audit events', () => {
  const rules = () => new FalcoRules()
    .addList({ name: 'trusted_privileged_images', items: ['docker.io/falcosecurity/falco'] })
    .addMacro({
      name: 'pod_created',
      condition: 'jevt.value[/stage] = ResponseComplete and ka.verb = create and ka.target.resource = pods and not ka.target.subresource exists',
    });

  test('a privileged pod rule matches the privileged pod, not the same pod without privilege or from a trusted image', () => {
    const { requestObject } = podCreate;
    const unprivileged = {
      ...podCreate,
      requestObject: {
        ...requestObject,
        spec: { ...requestObject.spec, containers: requestObject.spec.containers.map(({ securityContext, ...c }) => c) },
      },
    };
    const file = rules().addRule({
      name: 'Privileged pod created',
      description: 'A pod with a privileged container was created.',
      condition: 'pod_created and ka.req.pod.containers.privileged intersects (true) and not ka.req.pod.containers.image.repository in (trusted_privileged_images)',
      output: 'Privileged pod (user=%ka.user.name pod=%ka.resp.name images=%ka.req.pod.containers.image)',
      priority: FalcoPriority.WARNING,
      source: 'k8s_audit',
      tests: [
        { name: 'privileged busybox', auditEvent: podCreate, expect: FalcoTestOutcome.MATCH },
        { name: 'no securityContext', auditEvent: unprivileged, expect: FalcoTestOutcome.NO_MATCH },
        { name: 'trusted image', auditEvent: podCreate, event: { 'ka.req.pod.containers.image.repository': ['docker.io/falcosecurity/falco'] }, expect: FalcoTestOutcome.NO_MATCH },
        // A plugin's empty list is no value: "intersects" is false.
        {
          name: 'an empty list of flags',
          event: { 'jevt.value[/stage]': 'ResponseComplete', 'ka.verb': 'create', 'ka.target.resource': 'pods', 'ka.req.pod.containers.privileged': [] },
          expect: FalcoTestOutcome.NO_MATCH,
        },
        { name: 'logged at Metadata', auditEvent: { ...podCreate, requestObject: undefined, level: 'Metadata' }, expect: FalcoTestOutcome.NO_MATCH },
      ],
    });
    expect(file.validate()).toEqual([]);
    const results = file.runTests();
    expect(results.map((r) => [r.test, r.passed])).toEqual([
      ['privileged busybox', true], ['no securityContext', true], ['trusted image', true], ['an empty list of flags', true], ['logged at Metadata', true],
    ]);
    expect(results[4].explanation).toBe('ka.req.pod.containers.privileged intersects (true) is false: the event has no ka.req.pod.containers.privileged');
  });

  test('a failing audit test names the event by its verb and object', () => {
    const file = rules().addRule({
      name: 'Pod exec',
      description: 'Exec into a pod.',
      condition: 'ka.verb = create and ka.target.subresource = exec',
      output: 'exec (user=%ka.user.name)',
      priority: FalcoPriority.NOTICE,
      source: 'k8s_audit',
      tests: [{ name: 'pod create', auditEvent: podCreate, expect: FalcoTestOutcome.MATCH }],
    });
    expect(file.validate().map((d) => d.message)).toEqual([
      'FalcoRule "Pod exec": test "pod create" expects a match, but the rule does not match: ka.target.subresource = exec is false: the event has no ka.target.subresource '
      + '(got {"auditEvent":{"verb":"create","objectRef":{"resource":"pods","namespace":"default","name":"debug","apiVersion":"v1"}}}): '
      + "fix the condition, or the test's event or expect if the rule is right (the part named decided)",
    ]);
  });
});
