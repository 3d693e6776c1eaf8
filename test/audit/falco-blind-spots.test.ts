import * as fs from 'fs';
import { Testing } from 'cdk8s';
import {
  AuditLevel, AuditPolicy, AuditStage, FalcoAuditWebhook, FalcoPlugin, FalcoPriority, FalcoRules, SecurityMonitoringStack,
} from '../../src';
import { findAuditBlindSpots } from '../../src/audit/falco-blind-spots';
import { auditBodyNeeds } from '../../src/falco/rules/audit-body-needs';
import { K8S_AUDIT_RULES_BODY_NEEDS } from '../../src/falco/rules/k8s-audit-body-needs';
import { loadRules } from '../../src/falco/rules/loaded-rules';

const POD_RULES = ['Create Privileged Pod', 'Create Sensitive Mount Pod', 'Create HostNetwork Pod', 'Create HostPid Pod', 'Create HostIPC Pod'];

/** A stack whose API server posts audit events to a k8saudit Falco loading the k8saudit ruleset. */
function stackWith(policy?: AuditPolicy) {
  const chart = Testing.chart();
  const stack = new SecurityMonitoringStack(chart, 'stack', { auditPolicy: { policy, falcoWebhook: new FalcoAuditWebhook() } });
  return { chart, stack };
}

const podsAtMetadata = () => new AuditPolicy({
  rules: [
    { level: AuditLevel.METADATA, resources: [{ group: '', resources: ['pods'] }] },
    { level: AuditLevel.METADATA, resources: [{ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] },
    { level: AuditLevel.REQUEST_RESPONSE },
  ],
});

describe('the audit policy against the k8s_audit rules the stack loads', () => {
  test('the default (production) policy keeps configmaps at Metadata, so the configmap credentials rule is blind; nothing else is', () => {
    const { stack } = stackWith();
    expect(stack.auditBlindSpots).toEqual([{
      rule: 'Create/Modify Configmap With Private Credentials',
      resource: 'configmaps',
      subresource: undefined,
      verbs: ['create', 'update', 'patch'],
      fields: ['ka.req.configmap.obj'],
      level: AuditLevel.METADATA,
      levelNeeded: AuditLevel.REQUEST,
      policyRuleIndex: 9,
      message: 'Falco rule "Create/Modify Configmap With Private Credentials" cannot fire on create, update, patch of configmaps: it reads ka.req.configmap.obj '
        + "from the request body, but the audit policy's rules[9] logs them at Metadata; it needs Request: logging configmaps above Metadata writes secret "
        + 'values into the audit log: keep it and turn the Falco rule off, or accept that and log create/update/patch of configmaps at Request in a policy rule before rules[9]',
    }]);
    expect(stack.auditPolicy!.policy.rules[9].resources).toEqual([
      { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
      { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
    ]);
  });

  test('a policy that logs pods at Metadata blinds the five pod-body rules, each named with its fields, the deciding rule and the level needed', () => {
    const { stack } = stackWith(podsAtMetadata());
    const spots = stack.auditBlindSpots.filter((s) => s.resource === 'pods');
    expect(spots.map((s) => [s.rule, s.resource, s.verbs, s.policyRuleIndex, s.level, s.levelNeeded])).toEqual(
      POD_RULES.map((rule) => [rule, 'pods', ['create'], 0, AuditLevel.METADATA, AuditLevel.REQUEST]));
    expect(spots[2].message).toBe('Falco rule "Create HostNetwork Pod" cannot fire on create of pods: it reads ka.req.pod.host_network, '
      + "ka.req.pod.containers.image.repository from the request body, but the audit policy's rules[0] logs them at Metadata; it needs Request: "
      + 'log create of pods at Request (or RequestResponse) in a policy rule before rules[0], or turn the Falco rule off');
  });

  test('reported at synth as warnings (metadata and stack.warnings), not as errors', () => {
    const { chart, stack } = stackWith(podsAtMetadata());
    Testing.synth(chart);
    const warnings = stack.node.metadata.filter((m) => m.type === 'warning').map((m) => String(m.data));
    expect(warnings.filter((w) => w.includes('cannot fire on create of pods'))).toHaveLength(5);
    expect(stack.warnings.filter((w) => w.startsWith(`${stack.node.path}: Falco rule "Create Privileged Pod" cannot fire`))).toHaveLength(1);
  });

  test('a policy that logs every body, or no k8saudit plugin, leaves no blind spot', () => {
    expect(stackWith(AuditPolicy.seedLogEverythingExample()).stack.auditBlindSpots).toEqual([]);
    const chart = Testing.chart();
    expect(new SecurityMonitoringStack(chart, 'stack', { auditPolicy: { policy: podsAtMetadata() } }).auditBlindSpots).toEqual([]);
  });

  test('a policy that omits the ResponseComplete stage blinds the rules even at RequestResponse', () => {
    const policy = new AuditPolicy({ omitStages: [AuditStage.RESPONSE_COMPLETE], rules: [{ level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: '' }] }] });
    const [spot] = findAuditBlindSpots(policy, K8S_AUDIT_RULES_BODY_NEEDS.filter((n) => n.rule === 'Create NodePort Service'));
    expect(spot.level).toBe(AuditLevel.REQUEST_RESPONSE);
    expect(spot.message).toBe('Falco rule "Create NodePort Service" cannot fire on create of services: it reads the events of the ResponseComplete stage, '
      + 'but the audit policy omits that stage for them (omitStages of the policy or of rules[0]): remove ResponseComplete from omitStages (omit RequestReceived instead)');
  });

  test('a request no policy rule matches is not logged at all', () => {
    const policy = new AuditPolicy({ rules: [{ level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: 'apps' }] }] });
    const [spot] = findAuditBlindSpots(policy, K8S_AUDIT_RULES_BODY_NEEDS.filter((n) => n.rule === 'Create NodePort Service'));
    expect(spot.level).toBe(AuditLevel.NONE);
    expect(spot.policyRuleIndex).toBeUndefined();
    expect(spot.message).toContain('but no rule of the audit policy matches them, so they are not logged; it needs Request');
  });

  test('custom k8s_audit rules are analysed from their conditions, the response body included', () => {
    const { stack } = stackWith(podsAtMetadata());
    stack.falcoAuditReceiver!.addRules('audit-extra', new FalcoRules()
      .addMacro({ name: 'pod_write', condition: 'ka.target.resource = pods and ka.verb in (create, update)' })
      .addRule({
        name: 'Pod response named debug',
        description: 'A pod named debug was created or updated.',
        condition: 'pod_write and ka.resp.name startswith debug',
        output: 'debug pod (user=%ka.user.name)',
        priority: FalcoPriority.NOTICE,
        source: 'k8s_audit',
      })
      .addRule({
        name: 'Pod without runAsUser',
        description: 'Fires at Metadata too: a missing field is false, so "not ... exists" holds.',
        condition: 'pod_write and not ka.req.pod.run_as_user exists',
        output: 'pod (user=%ka.user.name)',
        priority: FalcoPriority.NOTICE,
        source: 'k8s_audit',
      }));
    const custom = stack.auditBlindSpots.filter((s) => s.rule.startsWith('Pod '));
    expect(custom.map((s) => [s.rule, s.verbs, s.fields, s.levelNeeded])).toEqual([
      ['Pod response named debug', ['create', 'update'], ['ka.resp.name'], AuditLevel.REQUEST_RESPONSE],
    ]);
  });

  test('a rules file with errors is left to fail synth with its own error', () => {
    const { chart, stack } = stackWith(podsAtMetadata());
    stack.falcoAuditReceiver!.addRules('broken', new FalcoRules().addRule({
      name: 'Broken', description: 'd', condition: 'ka.target.resource = pods and ka.req.pod.nosuchfield = x', output: 'o', priority: FalcoPriority.NOTICE, source: 'k8s_audit',
    }));
    expect(stack.auditBlindSpots.map((s) => s.rule)).not.toContain('Broken');
    expect(() => Testing.synth(chart)).toThrow(/FalcoRule "Broken": condition uses unknown field "ka.req.pod.nosuchfield"/);
  });

  test('a disabled upstream rule is not reported', () => {
    const chart = Testing.chart();
    const stack = new SecurityMonitoringStack(chart, 'stack', {
      auditPolicy: { policy: podsAtMetadata() },
      falco: { plugins: [FalcoPlugin.k8sAudit()], disabledRules: ['Create HostPid Pod'] },
    });
    expect(stack.auditBlindSpots.filter((s) => s.resource === 'pods').map((s) => s.rule)).toEqual(POD_RULES.filter((r) => r !== 'Create HostPid Pod'));
  });
});

/** K8SAUDIT_RULES_FILE=.../plugins/k8saudit/rules/k8s_audit_rules.yaml (tag plugins/k8saudit/v0.16.1) recomputes the recorded facts. */
const RULES_FILE = process.env.K8SAUDIT_RULES_FILE;
(RULES_FILE ? test : test.skip)('the recorded needs of the k8saudit ruleset are what the analysis finds in the file', () => {
  const loaded = loadRules((FalcoRules.fromYaml(fs.readFileSync(RULES_FILE!, 'utf8')) as any).items);
  const needs = [...loaded.rules.values()].flatMap((rule) => auditBodyNeeds(rule, loaded));
  expect(needs).toEqual(K8S_AUDIT_RULES_BODY_NEEDS);
});
