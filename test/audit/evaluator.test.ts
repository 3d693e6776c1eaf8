import * as fc from 'fast-check';
import { AuditLevel, AuditPolicy, AuditRequest, AuditStage } from '../../src';

const { NONE, METADATA, REQUEST, REQUEST_RESPONSE } = AuditLevel;
const RR = AuditStage.REQUEST_RECEIVED;
const RS = AuditStage.RESPONSE_STARTED;

/**
 * One rule per matching feature of the checker; every case below names the rule
 * it expects to decide, so a broken matcher shows which feature broke.
 */
const policy = new AuditPolicy({
  omitStages: [RR],
  rules: [
    /* 0 */ { level: NONE, users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints'] }] },
    /* 1 */ { level: NONE, userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
    /* 2 */ { level: NONE, nonResourceURLs: ['/healthz*', '/version'] },
    /* 3 */ { level: METADATA, resources: [{ group: '', resources: ['secrets', 'configmaps'] }], omitStages: [RS] },
    /* 4 */ { level: REQUEST_RESPONSE, resources: [{ group: '', resources: ['*/exec'] }] },
    /* 5 */ { level: REQUEST, resources: [{ group: 'apps', resources: ['deployments/*'] }] },
    /* 6 */ { level: REQUEST, resources: [{ group: '', resources: ['pods'], resourceNames: ['special'] }], omitManagedFields: true },
    /* 7 */ { level: REQUEST_RESPONSE, namespaces: ['prod'], verbs: ['delete'] },
    /* 8 */ { level: METADATA, namespaces: [''], resources: [{ group: 'rbac.authorization.k8s.io' }] },
    /* 9 */ { level: REQUEST, users: ['system:anonymous'] },
    /* 10 */ { level: REQUEST, userGroups: ['admins'], resources: [{ group: 'batch', resources: ['*'] }] },
    /* 11 */ { level: METADATA, nonResourceURLs: ['/apis*'] },
    /* 12 */ { level: NONE, nonResourceURLs: ['*'], verbs: ['options'] },
    /* 13 */ { level: METADATA, resources: [{ group: 'storage.k8s.io' }] },
  ],
});

const alice = { user: 'alice', groups: ['system:authenticated'] };

// [description, request, level, decisive rule index (undefined: no rule, default None)]
const cases: Array<[string, AuditRequest, AuditLevel, number | undefined]> = [
  ['named user, verb and resource match', { user: 'system:kube-proxy', verb: 'watch', resource: 'endpoints' }, NONE, 0],
  ['named user with another verb falls through', { user: 'system:kube-proxy', verb: 'list', resource: 'endpoints' }, NONE, undefined],
  ['another user falls through', { ...alice, verb: 'watch', resource: 'endpoints' }, NONE, undefined],
  ['no user information never matches users', { verb: 'watch', resource: 'endpoints' }, NONE, undefined],
  ['group member matches userGroups', { user: 'node-1', groups: ['system:nodes'], verb: 'get', resource: 'nodes' }, NONE, 1],
  ['group member, subresource listed', { user: 'node-1', groups: ['system:nodes'], verb: 'get', resource: 'nodes', subresource: 'status' }, NONE, 1],
  ['non-member does not match userGroups', { ...alice, verb: 'get', resource: 'nodes' }, NONE, undefined],
  ['groups without a user never match userGroups', { groups: ['system:nodes'], verb: 'get', resource: 'nodes' }, NONE, undefined],
  ['trailing * path prefix', { verb: 'get', path: '/healthz/etcd' }, NONE, 2],
  ['trailing * matches the bare prefix', { verb: 'get', path: '/healthz' }, NONE, 2],
  ['exact path', { verb: 'get', path: '/version' }, NONE, 2],
  ['exact path does not match a longer path', { ...alice, verb: 'get', path: '/version/x' }, NONE, undefined],
  ['a resource request never matches a path rule', { ...alice, verb: 'get', resource: 'healthz' }, NONE, undefined],
  ['secrets at Metadata', { ...alice, verb: 'create', resource: 'secrets', namespace: 'default' }, METADATA, 3],
  ['configmaps at Metadata', { ...alice, verb: 'get', resource: 'configmaps', namespace: 'kube-system', name: 'x' }, METADATA, 3],
  ['a subresource does not match its bare resource', { ...alice, verb: 'get', resource: 'secrets', subresource: 'status' }, NONE, undefined],
  ['*/sub matches the subresource of any resource', { ...alice, verb: 'create', resource: 'pods', subresource: 'exec' }, REQUEST_RESPONSE, 4],
  ['*/sub does not match the bare resource', { ...alice, verb: 'create', resource: 'exec' }, NONE, undefined],
  ['res/* matches the resource itself', { ...alice, verb: 'update', apiGroup: 'apps', resource: 'deployments' }, REQUEST, 5],
  ['res/* matches any subresource', { ...alice, verb: 'update', apiGroup: 'apps', resource: 'deployments', subresource: 'scale' }, REQUEST, 5],
  ['the group must match exactly', { ...alice, verb: 'update', apiGroup: 'extensions', resource: 'deployments' }, NONE, undefined],
  ['core group entry does not match a named group', { ...alice, verb: 'get', apiGroup: 'apps', resource: 'secrets' }, NONE, undefined],
  ['resourceNames match', { ...alice, verb: 'get', resource: 'pods', name: 'special' }, REQUEST, 6],
  ['resourceNames do not match another name', { ...alice, verb: 'get', resource: 'pods', name: 'other' }, NONE, undefined],
  ['resourceNames do not match a list (empty name)', { ...alice, verb: 'list', resource: 'pods' }, NONE, undefined],
  ['namespace selector with verb', { ...alice, verb: 'delete', resource: 'pods', namespace: 'prod', name: 'p' }, REQUEST_RESPONSE, 7],
  ['namespace selector, other namespace', { ...alice, verb: 'delete', resource: 'pods', namespace: 'dev', name: 'p' }, NONE, undefined],
  ['namespaces make a rule resource-only', { ...alice, verb: 'delete', path: '/prod' }, NONE, undefined],
  ['"" namespace matches cluster-scoped resources', { ...alice, verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles' }, METADATA, 8],
  ['"" namespace does not match namespaced ones', { ...alice, verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'roles', namespace: 'dev' }, NONE, undefined],
  ['anonymous user can be named', { user: 'system:anonymous', groups: ['system:unauthenticated'], verb: 'get', path: '/api' }, REQUEST, 9],
  ['a rule with only users matches resource requests too', { user: 'system:anonymous', verb: 'list', resource: 'pods' }, REQUEST, 9],
  ['group and resource * match', { user: 'bob', groups: ['admins'], verb: 'create', apiGroup: 'batch', resource: 'jobs' }, REQUEST, 10],
  ['resource * matches subresources', { user: 'bob', groups: ['admins'], verb: 'update', apiGroup: 'batch', resource: 'jobs', subresource: 'status' }, REQUEST, 10],
  ['any of several groups', { user: 'bob', groups: ['dev', 'admins'], verb: 'get', apiGroup: 'batch', resource: 'cronjobs' }, REQUEST, 10],
  ['prefix path rule', { ...alice, verb: 'get', path: '/apis/apps/v1' }, METADATA, 11],
  ['prefix is literal, not a segment', { ...alice, verb: 'get', path: '/apisx' }, METADATA, 11],
  ['* path matches any path', { ...alice, verb: 'options', path: '/metrics' }, NONE, 12],
  ['* path rule never matches a resource request', { ...alice, verb: 'options', resource: 'pods' }, NONE, undefined],
  ['group entry without resources matches the whole group', { ...alice, verb: 'delete', apiGroup: 'storage.k8s.io', resource: 'storageclasses' }, METADATA, 13],
  ['first match wins over a later match', { user: 'system:anonymous', verb: 'get', resource: 'secrets' }, METADATA, 3],
  ['no rule matches: default None', { ...alice, verb: 'get', path: '/metrics' }, NONE, undefined],
];

describe('AuditPolicy.evaluate follows the API server policy checker', () => {
  test('the table has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  test.each(cases)('%s', (_name, request, level, ruleIndex) => {
    const decision = policy.evaluate(request);
    expect(decision.level).toBe(level);
    expect(decision.ruleIndex).toBe(ruleIndex);
  });

  test('a rule omits its own stages joined with the policy stages', () => {
    expect(policy.evaluate({ ...alice, verb: 'get', resource: 'secrets' }).omitStages).toEqual([RR, RS]);
    expect(policy.evaluate({ ...alice, verb: 'create', resource: 'pods', subresource: 'exec' }).omitStages).toEqual([RR]);
  });

  test('without a match the policy stages still apply', () => {
    expect(policy.evaluate({ ...alice, verb: 'get', path: '/metrics' })).toEqual({ level: NONE, omitStages: [RR], omitManagedFields: false });
  });

  test('omitManagedFields: the rule overrides the policy', () => {
    const p = new AuditPolicy({ omitManagedFields: true, rules: [{ level: METADATA, verbs: ['get'], omitManagedFields: false }, { level: METADATA }] });
    expect(p.evaluate({ verb: 'get', path: '/' }).omitManagedFields).toBe(false);
    expect(p.evaluate({ verb: 'list', path: '/' }).omitManagedFields).toBe(true);
    expect(policy.evaluate({ ...alice, verb: 'get', resource: 'pods', name: 'special' }).omitManagedFields).toBe(true);
  });

  test('the production preset logs what the GCE policy logs', () => {
    const production = AuditPolicy.production();
    expect(production.evaluate({ ...alice, verb: 'get', resource: 'secrets', namespace: 'x' }).level).toBe(METADATA);
    expect(production.evaluate({ ...alice, verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'x' }).level).toBe(METADATA);
    expect(production.evaluate({ ...alice, verb: 'list', apiGroup: 'apps', resource: 'deployments' }).level).toBe(REQUEST);
    expect(production.evaluate({ ...alice, verb: 'patch', apiGroup: 'apps', resource: 'deployments' }).level).toBe(REQUEST_RESPONSE);
    expect(production.evaluate({ ...alice, verb: 'create', apiGroup: 'example.com', resource: 'widgets' }).level).toBe(METADATA);
    expect(production.evaluate({ ...alice, verb: 'get', path: '/healthz' }).level).toBe(NONE);
    expect(production.evaluate({ user: 'system:kube-proxy', verb: 'watch', resource: 'endpoints' }).level).toBe(NONE);
    expect(production.evaluate({ ...alice, verb: 'create', resource: 'events', namespace: 'x' }).level).toBe(NONE);
  });
});

describe('AuditPolicy.evaluate on arbitrary requests', () => {
  const word = fc.oneof(fc.constantFrom('', '*', 'pods', 'secrets', 'exec', 'apps', '/healthz', 'system:nodes'), fc.string());
  const request = fc.record({
    user: fc.option(word, { nil: undefined }),
    groups: fc.option(fc.array(word), { nil: undefined }),
    verb: word,
    resource: fc.option(word, { nil: undefined }),
    subresource: fc.option(word, { nil: undefined }),
    apiGroup: fc.option(word, { nil: undefined }),
    namespace: fc.option(word, { nil: undefined }),
    name: fc.option(word, { nil: undefined }),
    path: fc.option(word, { nil: undefined }),
  });

  test('never crash and always return a level and a deciding rule or none', () => {
    const policies = [policy, AuditPolicy.production(), AuditPolicy.falco(), AuditPolicy.cisMinimal()];
    fc.assert(fc.property(request, (r) => {
      for (const p of policies) {
        const d = p.evaluate(r);
        expect(Object.values(AuditLevel)).toContain(d.level);
        if (d.ruleIndex !== undefined) expect(p.rules[d.ruleIndex].level).toBe(d.level);
      }
    }), { numRuns: 500 });
  });
});
