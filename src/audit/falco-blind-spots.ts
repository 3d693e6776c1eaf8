import { AuditBlindSpot } from './audit-blind-spot';
import { AuditLevel, AuditStage } from './audit-level';
import { AuditPolicy } from './audit-policy';
import { AuditRequest } from './audit-request';
import { SECRET_RESOURCES, WELL_KNOWN_RESOURCE_GROUPS } from './well-known-resources';
import { AuditBodyNeed } from '../falco/rules/audit-body-needs';

const RANK: Record<AuditLevel, number> = {
  [AuditLevel.NONE]: 0, [AuditLevel.METADATA]: 1, [AuditLevel.REQUEST]: 2, [AuditLevel.REQUEST_RESPONSE]: 3,
};

/** Cluster-scoped built-in resources: their requests have no namespace. */
const CLUSTER_SCOPED = new Set([
  'namespaces', 'nodes', 'persistentvolumes', 'clusterroles', 'clusterrolebindings', 'customresourcedefinitions', 'storageclasses',
  'priorityclasses', 'validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies',
  'certificatesigningrequests', 'csidrivers', 'csinodes', 'runtimeclasses', 'ingressclasses', 'volumeattachments', 'tokenreviews',
]);

/**
 * The request the cross-check asks the policy about: an ordinary authenticated
 * user acting in the `default` namespace (or cluster-wide), so that rules for
 * control-plane users or system namespaces do not decide.
 */
function requestFor(need: AuditBodyNeed, verb: string): AuditRequest {
  return {
    user: 'security-monitoring:blind-spot-check',
    groups: ['system:authenticated'],
    verb,
    resource: need.resource,
    subresource: need.subresource || undefined,
    apiGroup: WELL_KNOWN_RESOURCE_GROUPS.get(need.resource)?.[0] ?? '',
    namespace: CLUSTER_SCOPED.has(need.resource) ? '' : 'default',
  };
}

/**
 * Each need of `needs` that `policy` does not meet: the policy logs the
 * requests below the level the rule needs, so the rule cannot fire on them.
 */
export function findAuditBlindSpots(policy: AuditPolicy, needs: readonly AuditBodyNeed[]): AuditBlindSpot[] {
  const spots: AuditBlindSpot[] = [];
  for (const need of needs) {
    const needed = need.level === 'Request' ? AuditLevel.REQUEST : AuditLevel.REQUEST_RESPONSE;
    // Verbs decided by the same policy rule at the same level are one blind spot.
    const groups = new Map<string, { verbs: string[]; level: AuditLevel; index?: number; stageOmitted: boolean }>();
    for (const verb of need.verbs) {
      const decision = policy.evaluate(requestFor(need, verb));
      // The analysis (and the k8saudit ruleset's kevt macro) reads events at ResponseComplete.
      const stageOmitted = decision.omitStages.includes(AuditStage.RESPONSE_COMPLETE);
      if (RANK[decision.level] >= RANK[needed] && !stageOmitted) continue;
      const key = `${decision.ruleIndex}/${decision.level}/${stageOmitted}`;
      const group = groups.get(key) ?? { verbs: [], level: decision.level, index: decision.ruleIndex, stageOmitted };
      group.verbs.push(verb);
      groups.set(key, group);
    }
    for (const { verbs, level, index, stageOmitted } of groups.values()) {
      spots.push({
        rule: need.rule,
        resource: need.resource,
        subresource: need.subresource || undefined,
        verbs,
        fields: [...need.fields],
        level,
        levelNeeded: needed,
        policyRuleIndex: index,
        message: RANK[level] >= RANK[needed] && stageOmitted
          ? stageMessage(need, verbs, index)
          : blindSpotMessage(need, verbs, level, needed, index),
      });
    }
  }
  return spots;
}

function stageMessage(need: AuditBodyNeed, verbs: string[], index: number | undefined): string {
  const target = need.subresource ? `${need.resource}/${need.subresource}` : need.resource;
  return `Falco rule "${need.rule}" cannot fire on ${verbs.join(', ')} of ${target}: it reads the events of the ResponseComplete stage, `
    + `but the audit policy omits that stage for them (omitStages${index === undefined ? '' : ` of the policy or of rules[${index}]`}): `
    + 'remove ResponseComplete from omitStages (omit RequestReceived instead)';
}

function blindSpotMessage(need: AuditBodyNeed, verbs: string[], level: AuditLevel, needed: AuditLevel, index: number | undefined): string {
  const target = need.subresource ? `${need.resource}/${need.subresource}` : need.resource;
  const body = needed === AuditLevel.REQUEST ? 'request body' : 'request and response bodies';
  const decider = index === undefined ? 'no rule of the audit policy matches them, so they are not logged' : `the audit policy's rules[${index}] logs them at ${level}`;
  const secret = SECRET_RESOURCES.some((s) => s.resource === need.resource && s.subresource === (need.subresource ?? ''));
  const where = index === undefined ? '' : ` before rules[${index}]`;
  const fix = secret
    ? `logging ${target} above Metadata writes secret values into the audit log: keep it and turn the Falco rule off, or accept that and log ${verbs.join('/')} of ${target} at ${needed} in a policy rule${where}`
    : `log ${verbs.join('/')} of ${target} at ${needed} (or RequestResponse) in a policy rule${where}, or turn the Falco rule off`;
  return `Falco rule "${need.rule}" cannot fire on ${verbs.join(', ')} of ${target}: it reads ${need.fields.join(', ')} from the ${body}, `
    + `but ${decider}; it needs ${needed}: ${fix}`;
}
