import { Duration, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { FalcoTalon, TalonActionner, TalonObjectStore, TalonRuleProps } from '../../src';
import { expectValidManifests, findObject, Manifest, synth } from '../util';

const minio = TalonObjectStore.minio({
  host: 'minio.storage.svc',
  port: 9000,
  accessKeySecret: { secretName: 'minio', key: 'access-key' },
  secretKeySecret: { secretName: 'minio', key: 'secret-key' },
});

/** `evidenceStore: null` builds a Talon without one. */
function synthActions(actionners: TalonActionner[], evidenceStore: TalonObjectStore | null = minio): Manifest[] {
  const rule: TalonRuleProps = {
    name: 'Collect',
    match: { rules: ['Drop and execute new binary in container'] },
    actions: actionners.map((actionner, i) => ({ name: `step ${i}`, actionner })),
  };
  return synth(new FalcoTalon(Testing.chart(), 'talon', { rules: [rule], evidenceStore: evidenceStore ?? undefined, kubernetesEvents: false }));
}

const actionsOf = (manifests: Manifest[]) => parse(findObject(manifests, 'ConfigMap', 'falco-talon-rules').data['rules.yaml'])[0].actions;
const clusterRules = (manifests: Manifest[]) => findObject(manifests, 'ClusterRole').rules;

describe('evidence collection: kubernetes:download', () => {
  test('uploads the file to the evidence store; Talon reads pods and execs into them, nothing more', () => {
    const manifests = synthActions([TalonActionner.download({ file: '${FD_NAME}', evidenceBucket: 'falco-evidence', evidencePrefix: 'files/' })]);
    expectValidManifests(manifests);
    expect(actionsOf(manifests)).toEqual([{
      action: 'step 0',
      actionner: 'kubernetes:download',
      parameters: { file: '${FD_NAME}' },
      output: { target: 'minio:s3', parameters: { bucket: 'falco-evidence', prefix: 'files/' } },
    }]);
    expect(clusterRules(manifests)).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    ]);
  });

  test.each<[string, () => unknown, string]>([
    ['a relative path', () => TalonActionner.download({ file: 'etc/passwd', evidenceBucket: 'e-1' }),
      'TalonActionner.download: file is not an absolute path (got "etc/passwd"): use an absolute path in the container, e.g. "/tmp/payload.sh", or an event field Talon expands, e.g. "${FD_NAME}"'],
    ['no bucket: Talon fails the action without an output', () => TalonActionner.download({ file: '/tmp/x' } as any),
      'TalonActionner.download: evidenceBucket is missing, and Talon fails this action without an output (got undefined): set evidenceBucket to a bucket of the FalcoTalon\'s evidenceStore'],
    ['no options', () => TalonActionner.download(undefined as any),
      'TalonActionner.download: options is missing (got undefined): pass { file: "/etc/passwd", evidenceBucket: "falco-evidence" }'],
  ])('%s is refused', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test('without an evidence store on FalcoTalon, the rule is refused where it is added', () => {
    expect(() => synthActions([TalonActionner.download({ file: '/tmp/x', evidenceBucket: 'evidence' })], null))
      .toThrow('TalonRule "Collect": action "step 0" uploads evidence but FalcoTalon has no evidenceStore (got "evidence")');
  });
});

describe('evidence collection: kubernetes:tcpdump', () => {
  test('uploads the capture; duration and snaplen are rendered as Talon reads them', () => {
    const manifests = synthActions([TalonActionner.tcpdump({ duration: Duration.seconds(30), snaplen: 512, evidenceBucket: 'captures' })],
      TalonObjectStore.awsS3({ region: 'eu-west-1' }));
    expect(actionsOf(manifests)).toEqual([{
      action: 'step 0',
      actionner: 'kubernetes:tcpdump',
      parameters: { duration: 30, snaplen: 512 },
      output: { target: 'aws:s3', parameters: { bucket: 'captures' } },
    }]);
  });

  test('the defaults are written out: Talon 0.3.0 would otherwise run tcpdump -s 0 (whole packets)', () => {
    const action = actionsOf(synthActions([TalonActionner.tcpdump({ evidenceBucket: 'captures', image: 'registry.example.com/tools/tcpdump:4.99.5' })]))[0];
    expect(action.parameters).toEqual({ duration: 5, snaplen: 4096, image: 'registry.example.com/tools/tcpdump:4.99.5' });
  });

  test('RBAC: read the pod, add an ephemeral container, exec into it; nothing more', () => {
    expect(clusterRules(synthActions([TalonActionner.tcpdump({ evidenceBucket: 'captures' })]))).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    ]);
  });

  test.each<[string, () => unknown, string]>([
    ['a capture longer than the capture container lives', () => TalonActionner.tcpdump({ duration: Duration.minutes(1), evidenceBucket: 'captures' }),
      'TalonActionner.tcpdump: duration must be a whole number of seconds, from 1 to 50 (got "60000ms")'],
    ['a sub-second capture', () => TalonActionner.tcpdump({ duration: Duration.millis(500), evidenceBucket: 'captures' }),
      'TalonActionner.tcpdump: duration must be a whole number of seconds, from 1 to 50 (got "500ms")'],
    ['snaplen 0', () => TalonActionner.tcpdump({ snaplen: 0, evidenceBucket: 'captures' }),
      'TalonActionner.tcpdump: snaplen must be an integer from 1 to 262144 (got 0): use e.g. 4096 for headers and the start of payloads'],
    ['a floating image', () => TalonActionner.tcpdump({ image: 'issif/tcpdump:latest', evidenceBucket: 'captures' }),
      'TalonActionner.tcpdump: image is not pinned to a version (got "issif/tcpdump:latest")'],
    ['no bucket', () => TalonActionner.tcpdump({} as any),
      'TalonActionner.tcpdump: evidenceBucket is missing, and Talon fails this action without an output'],
  ])('%s is refused', (_, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('TalonActionner.custom', () => {
  const annotate = () => TalonActionner.custom({
    actionner: 'kubernetes:annotation',
    parameters: { annotations: { 'security.falco/flagged': 'true' } },
    permissions: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'patch', 'update'] }],
  });

  test('renders the actionner and its parameters as given, and merges its permissions into the ClusterRole', () => {
    const manifests = synthActions([annotate(), TalonActionner.label({ quarantine: 'true' }), TalonActionner.download({ file: '/tmp/x', evidenceBucket: 'evidence' })]);
    expect(actionsOf(manifests)[0]).toEqual({ action: 'step 0', actionner: 'kubernetes:annotation', parameters: { annotations: { 'security.falco/flagged': 'true' } } });
    expect(clusterRules(manifests)).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'patch', 'update'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    ]);
  });

  test('several groups and resources in one rule are granted each, per group and resource', () => {
    const custom = TalonActionner.custom({
      actionner: 'kubernetes:drain',
      permissions: [{ apiGroups: ['', 'policy'], resources: ['nodes', 'pods/eviction'], verbs: ['create', 'get'] }],
    });
    expect(clusterRules(synthActions([custom]))).toEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['create', 'get'] },
      { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create', 'get'] },
      { apiGroups: ['policy'], resources: ['nodes'], verbs: ['create', 'get'] },
      { apiGroups: ['policy'], resources: ['pods/eviction'], verbs: ['create', 'get'] },
    ]);
  });

  test('an actionner outside Kubernetes needs no permissions; an actionner of a newer Talon passes through unchecked', () => {
    const lambda = TalonActionner.custom({ actionner: 'aws:lambda', parameters: { aws_lambda_name: 'isolate-instance', aws_lambda_invocation_type: 'Event' } });
    const newer = TalonActionner.custom({ actionner: 'gcp:snapshot', parameters: { any_key: ['kept', 1, true] } });
    const manifests = synthActions([lambda, newer]);
    expect(actionsOf(manifests).map((a: any) => [a.actionner, a.parameters])).toEqual([
      ['aws:lambda', { aws_lambda_name: 'isolate-instance', aws_lambda_invocation_type: 'Event' }],
      ['gcp:snapshot', { any_key: ['kept', 1, true] }],
    ]);
    expect(clusterRules(manifests)).toEqual([]);
  });

  test('uploads to the evidence store where the actionner produces a result', () => {
    const sysdig = TalonActionner.custom({
      actionner: 'kubernetes:sysdig',
      parameters: { duration: 10, scope: 'pod' },
      permissions: [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'get'] }],
      evidenceBucket: 'captures',
    });
    expect(actionsOf(synthActions([sysdig]))[0].output).toEqual({ target: 'minio:s3', parameters: { bucket: 'captures' } });
  });

  test('parameters are copied: a later change to the caller\'s object does not reach the manifests', () => {
    const parameters = { annotations: { a: 'b' } };
    const custom = TalonActionner.custom({ actionner: 'kubernetes:annotation', parameters, permissions: [{ apiGroups: [''], resources: ['pods'], verbs: ['patch'] }] });
    parameters.annotations.a = 'changed';
    expect(actionsOf(synthActions([custom]))[0].parameters).toEqual({ annotations: { a: 'b' } });
  });

  const pods = (verbs: string[], resources = ['pods'], apiGroups = ['']) => [{ apiGroups, resources, verbs }];
  test.each<[string, () => unknown, string]>([
    ['a wildcard verb', () => TalonActionner.custom({ actionner: 'aws:lambda', parameters: { aws_lambda_name: 'f' }, permissions: pods(['*']) }),
      'TalonActionner.custom: permissions[0].verbs contains a wildcard, which would grant Talon more than its actions need (got "*"): name each one, e.g. ["get", "patch"]'],
    ['a wildcard resource', () => TalonActionner.custom({ actionner: 'kubernetes:exec', parameters: { command: 'id' }, permissions: pods(['create'], ['pods/*']) }),
      'TalonActionner.custom: permissions[0].resources contains a wildcard, which would grant Talon more than its actions need (got "pods/*"): name each one, e.g. ["pods", "pods/exec"]'],
    ['a wildcard API group', () => TalonActionner.custom({ actionner: 'kubernetes:delete', permissions: pods(['delete'], ['pods'], ['*']) }),
      'TalonActionner.custom: permissions[0].apiGroups contains a wildcard, which would grant Talon more than its actions need (got "*"): name each one, e.g. [""] for the core group, or ["apps"]'],
    ['an escalating verb', () => TalonActionner.custom({ actionner: 'kubernetes:delete', permissions: pods(['impersonate']) }),
      'TalonActionner.custom: permissions[0].verbs contains "impersonate", which would let Talon grant itself any permission or act as another identity (got "impersonate")'],
    ['a misspelt verb', () => TalonActionner.custom({ actionner: 'kubernetes:delete', permissions: pods(['delet']) }),
      'TalonActionner.custom: permissions[0].verbs contains a verb that is not a Kubernetes API verb (got "delet"): use one of get, list, watch, create, update, patch, delete, deletecollection, use, approve, sign (did you mean "delete"?)'],
    ['an empty verb list', () => TalonActionner.custom({ actionner: 'kubernetes:delete', permissions: pods([]) }),
      'TalonActionner.custom: permissions[0].verbs must be a non-empty list (got []): list them, e.g. ["get", "patch"]'],
    ['a Kubernetes actionner without permissions', () => TalonActionner.custom({ actionner: 'kubernetes:cordon' }),
      'TalonActionner.custom: kubernetes:cordon acts through the Kubernetes API but permissions is empty (got undefined): state the verbs and resources it calls'],
    ['a misspelt parameter', () => TalonActionner.custom({ actionner: 'kubernetes:annotation', parameters: { annotation: { a: 'b' } }, permissions: pods(['patch']) }),
      'TalonActionner.custom: kubernetes:annotation has no parameter "annotation", so Talon would ignore it (got "annotation"): it reads annotations, level (did you mean "annotations"?)'],
    ['a missing required parameter', () => TalonActionner.custom({ actionner: 'aws:lambda' }),
      'TalonActionner.custom: aws:lambda needs parameters aws_lambda_name, and Talon refuses the rules file without them (got []): set parameters.aws_lambda_name'],
    ['a misspelt actionner', () => TalonActionner.custom({ actionner: 'kubernetes:lable', permissions: pods(['patch']) }),
      'TalonActionner.custom: actionner is not one of Falco Talon 0.3.0 (got "kubernetes:lable"): use Talon\'s name of the actionner (did you mean "kubernetes:label"?)'],
    ['an actionner without category', () => TalonActionner.custom({ actionner: 'label', permissions: pods(['patch']) }),
      'TalonActionner.custom: actionner is not <category>:<name> (got "label"): use Talon\'s name of the actionner, e.g. "kubernetes:annotation" or "aws:lambda"'],
    ['evidence from an actionner that produces none', () => TalonActionner.custom({ actionner: 'aws:lambda', parameters: { aws_lambda_name: 'f' }, evidenceBucket: 'evidence' }),
      'TalonActionner.custom: aws:lambda produces nothing to upload, so evidenceBucket would be ignored (got "evidence"): drop evidenceBucket'],
    ['a parameter value YAML cannot hold', () => TalonActionner.custom({ actionner: 'gcp:snapshot', parameters: { when: () => 1 } }),
      'TalonActionner.custom: parameters.when is not a string, number, boolean, list or map (got a function): pass values as they appear in Talon\'s rules file'],
    ['a credential in a parameter', () => TalonActionner.custom({ actionner: 'gcp:snapshot', parameters: { hook: 'https://hooks.slack.com/services/T0/B0/abcdefSECRET' } }),
      'TalonActionner.custom: parameters.hook contains a Slack webhook path, which would be written into the manifests'],
  ])('%s is refused', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test('the error for a credential does not quote it', () => {
    expect(() => TalonActionner.custom({ actionner: 'gcp:snapshot', parameters: { hook: 'https://hooks.slack.com/services/T0/B0/abcdefSECRET' } }))
      .toThrow(expect.objectContaining({ message: expect.not.stringContaining('abcdefSECRET') }));
  });
});

describe('actions after one that ends the rule (Talon\'s Continue: false)', () => {
  test('after a capture, the next actions still run: the capture action says continue', () => {
    const actions = actionsOf(synthActions([
      TalonActionner.tcpdump({ evidenceBucket: 'captures' }),
      TalonActionner.label({ 'security.quarantine': 'true' }),
      TalonActionner.tcpdump({ evidenceBucket: 'captures' }),
    ]));
    expect(actions.map((a: any) => a.continue)).toEqual(['true', undefined, undefined]);
  });

  test('an action after terminate never runs, so it is refused', () => {
    expect(() => synthActions([TalonActionner.terminate(), TalonActionner.label({ 'security.quarantine': 'true' })]))
      .toThrow('TalonRule "Collect": action "step 1" comes after "step 0", whose kubernetes:terminate removes what it would act on, so Talon never runs it (got "step 1"): make "step 0" the rule\'s last action');
    expect(() => synthActions([TalonActionner.custom({ actionner: 'kubernetes:delete', permissions: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['delete'] }] }),
      TalonActionner.log()])).toThrow('whose kubernetes:delete removes what it would act on');
  });
});
