import { AuditDiagnosticSeverity, AuditLevel, AuditLintCheck, AuditPolicy, AuditRule, AuditStage } from '../../src';

const { NONE, METADATA, REQUEST, REQUEST_RESPONSE } = AuditLevel;
const CATCH_ALL: AuditRule = { level: METADATA };

/** Lints rules in a policy that omits RequestReceived, ending with a catch-all unless told otherwise. */
function lint(rules: AuditRule[], catchAll = true) {
  return new AuditPolicy({ omitStages: [AuditStage.REQUEST_RECEIVED], rules: catchAll ? [...rules, CATCH_ALL] : rules }).lint();
}
const checks = (rules: AuditRule[]) => lint(rules).map((d) => [d.check, d.ruleIndex]);

describe('secret-leak', () => {
  test.each<[string, AuditRule[], Array<[string, number]>]>([
    ['secrets at RequestResponse', [{ level: REQUEST_RESPONSE, resources: [{ group: '', resources: ['secrets'] }] }], [['secret-leak', 0]]],
    ['configmaps at Request', [{ level: REQUEST, resources: [{ resources: ['configmaps'] }] }], [['secret-leak', 0]]],
    ['serviceaccounts/token via */token', [{ level: REQUEST, resources: [{ group: '', resources: ['*/token'] }] }], [['secret-leak', 0]]],
    ['tokenreviews via the whole group', [{ level: REQUEST_RESPONSE, resources: [{ group: 'authentication.k8s.io' }] }], [['secret-leak', 0]]],
    ['a verb-limited Metadata rule does not protect later rules',
      [{ level: METADATA, verbs: ['get'], resources: [{ resources: ['secrets'] }] }, { level: REQUEST, resources: [{ group: '' }] }],
      [['secret-leak', 1]]],
    ['a Metadata rule for every secret request protects later rules',
      [{ level: METADATA, resources: [{ resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] },
        { level: REQUEST_RESPONSE }],
      []],
    ['Metadata and None are fine', [{ level: NONE, resources: [{ resources: ['secrets'] }] }, { level: METADATA, resources: [{ resources: ['configmaps'] }] }], []],
    ['a rule for other groups cannot leak', [{ level: REQUEST_RESPONSE, resources: [{ group: 'apps' }] }], []],
    ['a path rule cannot leak', [{ level: REQUEST_RESPONSE, nonResourceURLs: ['/apis*'] }], []],
  ])('%s', (_name, rules, expected) => {
    expect(checks(rules).filter(([c]) => c === 'secret-leak')).toEqual(expected);
  });

  test('says what leaks and how to fix it; severity is an error unless lowered', () => {
    const policy = new AuditPolicy({ omitStages: [AuditStage.REQUEST_RECEIVED], rules: [{ level: REQUEST_RESPONSE, resources: [{ resources: ['secrets'] }] }, CATCH_ALL] });
    expect(policy.lint()).toEqual([{
      check: AuditLintCheck.SECRET_LEAK,
      severity: AuditDiagnosticSeverity.ERROR,
      ruleIndex: 0,
      message: 'rules[0] logs secrets at RequestResponse, which writes secret values into the audit log: add an earlier rule that logs them at Metadata (as the GCE policy does)',
    }]);
    expect(policy.lint({ secretLeakSeverity: AuditDiagnosticSeverity.WARNING })[0].severity).toBe(AuditDiagnosticSeverity.WARNING);
  });
});

describe('shadowed-rule', () => {
  test.each<[string, AuditRule[], Array<[string, number]>]>([
    ['after a catch-all', [{ level: METADATA }, { level: REQUEST, verbs: ['get'] }], [['shadowed-rule', 1], ['shadowed-rule', 2]]],
    ['verbs subset', [{ level: NONE, verbs: ['get', 'list'] }, { level: REQUEST, verbs: ['get'] }], [['shadowed-rule', 1]]],
    ['verbs not a subset', [{ level: NONE, verbs: ['get'] }, { level: REQUEST, verbs: ['get', 'list'] }], []],
    ['users: a rule without users is not covered by one with users', [{ level: NONE, users: ['a'] }, { level: REQUEST, verbs: ['get'] }], []],
    ['users subset', [{ level: NONE, users: ['a', 'b'] }, { level: REQUEST, users: ['a'], verbs: ['get'] }], [['shadowed-rule', 1]]],
    ['whole group covers its resources', [{ level: NONE, resources: [{ group: 'apps' }] }, { level: REQUEST, resources: [{ group: 'apps', resources: ['deployments'] }] }], [['shadowed-rule', 1]]],
    ['* covers subresources', [{ level: NONE, resources: [{ resources: ['*'] }] }, { level: REQUEST, resources: [{ resources: ['pods/exec'] }] }], [['shadowed-rule', 1]]],
    ['res/* covers res and res/sub', [{ level: NONE, resources: [{ resources: ['pods/*'] }] }, { level: REQUEST, resources: [{ resources: ['pods', 'pods/log'] }] }], [['shadowed-rule', 1]]],
    ['*/sub covers res/sub', [{ level: NONE, resources: [{ resources: ['*/exec'] }] }, { level: REQUEST, resources: [{ resources: ['pods/exec'] }] }], [['shadowed-rule', 1]]],
    ['*/sub does not cover res', [{ level: NONE, resources: [{ resources: ['*/exec'] }] }, { level: REQUEST, resources: [{ resources: ['pods'] }] }], []],
    ['resourceNames narrow the earlier rule', [{ level: NONE, resources: [{ resources: ['pods'], resourceNames: ['a'] }] }, { level: REQUEST, resources: [{ resources: ['pods'] }] }], []],
    ['namespaces subset', [{ level: NONE, namespaces: ['a', 'b'] }, { level: REQUEST, namespaces: ['a'], resources: [{ resources: ['pods'] }] }], [['shadowed-rule', 1]]],
    ['path prefix covers a longer prefix', [{ level: NONE, nonResourceURLs: ['/health*'] }, { level: REQUEST, nonResourceURLs: ['/healthz*', '/health'] }], [['shadowed-rule', 1]]],
    ['path rule does not cover resource rule', [{ level: NONE, nonResourceURLs: ['*'] }, { level: REQUEST, resources: [{ resources: ['pods'] }] }], []],
  ])('%s', (_name, rules, expected) => {
    expect(checks(rules).filter(([c]) => c === 'shadowed-rule')).toEqual(expected);
  });

  test('names the earlier rule', () => {
    expect(lint([{ level: NONE, verbs: ['get', 'list'] }, { level: METADATA, verbs: ['get'] }])[0].message)
      .toBe('rules[1] can never match: rules[0] comes first and matches every request it matches; move it before rules[0] or remove it');
  });
});

describe('wrong-api-group, missing RequestReceived omission, no catch-all', () => {
  test('deployments in the core group', () => {
    expect(lint([{ level: REQUEST, resources: [{ group: '', resources: ['deployments/scale', 'pods'] }] }])).toEqual([expect.objectContaining({
      check: AuditLintCheck.WRONG_API_GROUP,
      severity: AuditDiagnosticSeverity.WARNING,
      ruleIndex: 0,
      message: 'rules[0].resources[0] lists "deployments/scale" under group "", so it never matches: "deployments" is in group "apps"',
    })]);
  });

  test('pods and nodes are also served by the metrics API', () => {
    expect(checks([{ level: NONE, resources: [{ group: 'metrics.k8s.io', resources: ['pods', 'nodes'] }] }])).toEqual([]);
    expect(lint([{ level: NONE, resources: [{ group: 'apps', resources: ['pods'] }] }])[0].message)
      .toBe('rules[0].resources[0] lists "pods" under group "apps", so it never matches: "pods" is in group "" or "metrics.k8s.io"');
  });

  test('secrets under apps flagged; unknown resources and wildcards are left alone', () => {
    expect(checks([{ level: NONE, resources: [{ group: 'apps', resources: ['secrets', 'widgets', '*'] }] }])).toEqual([['wrong-api-group', 0]]);
  });

  test('logging rules without a RequestReceived omission, unless the policy omits it', () => {
    const rules: AuditRule[] = [{ level: NONE, verbs: ['watch'] }, { level: METADATA, verbs: ['get'], omitStages: [AuditStage.REQUEST_RECEIVED] }, { level: METADATA }];
    expect(new AuditPolicy({ rules }).lint().map((d) => [d.check, d.ruleIndex])).toEqual([['missing-request-received-omission', 2]]);
    expect(new AuditPolicy({ rules, omitStages: [AuditStage.REQUEST_RECEIVED] }).lint()).toEqual([]);
  });

  test('no catch-all rule', () => {
    expect(lint([{ level: METADATA, verbs: ['get'] }], false)).toEqual([{
      check: AuditLintCheck.NO_CATCH_ALL,
      severity: AuditDiagnosticSeverity.WARNING,
      message: 'no rule matches every request, so requests no rule expects are not logged: end the policy with a rule that has only a level (e.g. Metadata)',
    }]);
  });
});
