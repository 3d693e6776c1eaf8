import { AuditLevel, AuditPolicy, AuditPolicyProps, AuditStage } from '../../src';

const { METADATA } = AuditLevel;

describe('AuditPolicy validates like the API server, with the standard error', () => {
  test.each<[string, AuditPolicyProps, string]>([
    ['missing level', { rules: [{} as any] },
      'AuditPolicy: rules[0].level is required (got undefined): set it to one of None, Metadata, Request, RequestResponse'],
    ['unknown level', { rules: [{ level: 'Verbose' as AuditLevel }] },
      'AuditPolicy: rules[0].level is not an audit level (got "Verbose"): use one of None, Metadata, Request, RequestResponse'],
    ['relative non-resource URL', { rules: [{ level: METADATA, nonResourceURLs: ['/version', 'healthz'] }] },
      'AuditPolicy: rules[0].nonResourceURLs[1] does not begin with "/" (got "healthz"): write the path from the root, e.g. "/healthz"'],
    ['wildcard before the end', { rules: [{ level: METADATA, nonResourceURLs: ['/apis/*/v1'] }] },
      'AuditPolicy: rules[0].nonResourceURLs[0] has a "*" before its end (got "/apis/*/v1"): a wildcard may only be the last character, e.g. "/apis/*"'],
    ['paths mixed with resources', { rules: [{ level: METADATA }, { level: METADATA, nonResourceURLs: ['/healthz'], namespaces: ['default'] }] },
      'AuditPolicy: rules[1] applies to both resources and non-resource URLs (got ["/healthz"]): split it into one rule with resources/namespaces and one with nonResourceURLs'],
    ['group with a version', { rules: [{ level: METADATA, resources: [{ group: 'rbac.authorization.k8s.io/v1' }] }] },
      'AuditPolicy: rules[0].resources[0].group is not a valid DNS-1123 subdomain (got "rbac.authorization.k8s.io/v1")'],
    ['resourceNames without resources', { rules: [{ level: METADATA, resources: [{ group: 'apps', resourceNames: ['web'] }] }] },
      'AuditPolicy: rules[0].resources[0].resourceNames needs at least one resource (got ["web"]): list the resources the names belong to, e.g. resources: ["configmaps"]'],
    ['unknown rule stage', { rules: [{ level: METADATA, omitStages: ['RequestRecieved' as AuditStage] }] },
      'AuditPolicy: rules[0].omitStages[0] is not an audit stage (got "RequestRecieved"): use one of RequestReceived, ResponseStarted, ResponseComplete, Panic'],
    ['unknown policy stage', { omitStages: ['Done' as AuditStage], rules: [] },
      'AuditPolicy: omitStages[0] is not an audit stage (got "Done")'],
  ])('%s', (_name, props, message) => {
    expect(() => new AuditPolicy(props)).toThrow(message);
  });

  test('accepts what the API server accepts: "*", a trailing "*", the core group, empty rules', () => {
    expect(() => new AuditPolicy({
      rules: [
        { level: METADATA, nonResourceURLs: ['*', '/healthz*'] },
        { level: METADATA, resources: [{ group: '', resources: ['pods'], resourceNames: ['a'] }, { group: 'apps' }] },
      ],
    })).not.toThrow();
    expect(new AuditPolicy({ rules: [] }).evaluate({ verb: 'get', path: '/' }).level).toBe(AuditLevel.NONE);
  });

  test('keeps its own copy of the rules', () => {
    const rules = [{ level: METADATA, verbs: ['get'] }];
    const policy = new AuditPolicy({ rules });
    rules[0].verbs.push('list');
    expect(policy.rules[0].verbs).toEqual(['get']);
  });
});

describe('fromYaml and toYaml', () => {
  const GCE_STYLE = `
apiVersion: audit.k8s.io/v1
kind: Policy
metadata:
  name: example
omitStages: ["RequestReceived"]
rules:
  - level: None
    users: ["system:kube-proxy"]
    verbs: ["watch"]
    resources:
      - group: "" # core
        resources: ["endpoints", "services", "services/status"]
  - level: None
    nonResourceURLs: [/healthz*, /version]
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets", "configmaps"]
      - group: authentication.k8s.io
        resources: ["tokenreviews"]
    omitStages: [ResponseStarted]
    omitManagedFields: true
  - level: Request
    verbs: ["get", "list", "watch"]
    resources:
      - group: ""
      - group: "apps"
  - level: Metadata
`;

  test('loads a hand-written policy', () => {
    const policy = AuditPolicy.fromYaml(GCE_STYLE);
    expect(policy.rules).toHaveLength(5);
    expect(policy.omitStages).toEqual(['RequestReceived']);
    expect(policy.rules[2]).toMatchObject({ omitManagedFields: true, omitStages: ['ResponseStarted'] });
    expect(policy.evaluate({ user: 'a', verb: 'get', resource: 'secrets' })).toEqual({
      level: METADATA, omitStages: ['RequestReceived', 'ResponseStarted'], omitManagedFields: true, ruleIndex: 2,
    });
  });

  test.each([
    ['a hand-written policy', AuditPolicy.fromYaml(GCE_STYLE)],
    ['production', AuditPolicy.production()],
    ['cisMinimal', AuditPolicy.cisMinimal()],
    ['falco', AuditPolicy.falco()],
    ['seedSecretForensicsExample', AuditPolicy.seedSecretForensicsExample()],
  ])('round-trips %s', (_name, policy) => {
    const yaml = policy.toYaml();
    const again = AuditPolicy.fromYaml(yaml);
    expect(again.toYaml()).toBe(yaml);
    expect(again.rules).toEqual(policy.rules);
  });

  test('writes only what a rule selects on, core group explicit', () => {
    expect(new AuditPolicy({ rules: [{ level: METADATA, users: [], resources: [{ resources: ['pods'] }] }] }).toYaml()).toBe([
      'apiVersion: audit.k8s.io/v1',
      'kind: Policy',
      'rules:',
      '  - level: Metadata',
      '    resources:',
      '      - group: ""',
      '        resources:',
      '          - pods',
      '',
    ].join('\n'));
  });

  test.each([
    ['not YAML', 'rules: [', 'AuditPolicy.fromYaml: the text is not valid YAML'],
    ['another kind', 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules: []', 'AuditPolicy.fromYaml: the document is not an audit.k8s.io/v1 Policy (got "audit.k8s.io/v1beta1/Policy"): set apiVersion: audit.k8s.io/v1 and kind: Policy'],
    ['a misspelt selector', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n    verb: [get]',
      'AuditPolicy.fromYaml: rules[0] has an unknown field "verb" (got "verb"): use only level, users, userGroups, verbs, resources, namespaces, nonResourceURLs, omitStages, omitManagedFields'],
    ['a scalar where a list belongs', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n    verbs: get',
      'AuditPolicy.fromYaml: rules[0].verbs must be a list (got "get")'],
    ['a number where a string belongs', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n    resources: [{group: 1}]',
      'AuditPolicy.fromYaml: rules[0].resources[0].group must be a string (got 1)'],
    ['a quoted boolean', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitManagedFields: "true"\nrules: []',
      'AuditPolicy.fromYaml: omitManagedFields must be true or false (got "true")'],
    ['an invalid rule', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Everything',
      'AuditPolicy: rules[0].level is not an audit level (got "Everything")'],
  ])('refuses %s', (_name, text, message) => {
    expect(() => AuditPolicy.fromYaml(text)).toThrow(message);
  });
});

describe('presets', () => {
  test.each([
    ['production', AuditPolicy.production()],
    ['cisMinimal', AuditPolicy.cisMinimal()],
    ['falco', AuditPolicy.falco()],
  ])('%s lints clean', (_name, policy) => {
    expect(policy.lint()).toEqual([]);
  });

  test.each([
    ['seedLogEverythingExample', AuditPolicy.seedLogEverythingExample(), 0, 'RequestResponse'],
    ['seedSecretForensicsExample', AuditPolicy.seedSecretForensicsExample(), 1, 'RequestResponse'],
  ])('%s is flagged for logging secrets', (_name, policy, ruleIndex, level) => {
    const leak = policy.lint().find((d) => d.check === 'secret-leak' && d.ruleIndex === ruleIndex);
    expect(leak?.severity).toBe('error');
    expect(leak?.message).toContain('logs secrets, configmaps');
    expect(leak?.message).toContain(`at ${level}`);
  });

  test('the Falco preset keeps only ResponseComplete and Panic events', () => {
    expect(AuditPolicy.falco().evaluate({ user: 'a', verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'x' })).toMatchObject({
      level: AuditLevel.REQUEST_RESPONSE, omitStages: ['RequestReceived', 'ResponseStarted'],
    });
  });

  test('the production policy file matches the snapshot', () => {
    expect(AuditPolicy.production().toYaml()).toMatchSnapshot();
  });
});
