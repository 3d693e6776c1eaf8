import { AuditBodyNeed } from './audit-body-needs';

/**
 * The requests whose bodies the rules of the k8saudit ruleset read
 * (falcosecurity/plugins `plugins/k8saudit/rules/k8s_audit_rules.yaml` at tag
 * `plugins/k8saudit/v0.16.1`, the `k8saudit-rules:0.16` artifact): facts about
 * that file, computed by `auditBodyNeeds()` over it, for a deployment that
 * loads the file through falcoctl and so has no copy of it.
 * `test/falco/rules/audit-body-needs.test.ts` recomputes them when
 * K8SAUDIT_RULES_FILE names a copy of the file.
 */
export const K8S_AUDIT_RULES_BODY_NEEDS: readonly AuditBodyNeed[] = [
  need('Create Privileged Pod', 'pods', ['create'], ['ka.req.pod.containers.privileged', 'ka.req.pod.containers.image.repository']),
  need('Create Sensitive Mount Pod', 'pods', ['create'], ['ka.req.pod.containers.image.repository', 'ka.req.pod.volumes.hostpath']),
  need('Create HostNetwork Pod', 'pods', ['create'], ['ka.req.pod.host_network', 'ka.req.pod.containers.image.repository']),
  need('Create HostPid Pod', 'pods', ['create'], ['ka.req.pod.host_pid', 'ka.req.pod.containers.image.repository']),
  need('Create HostIPC Pod', 'pods', ['create'], ['ka.req.pod.host_ipc', 'ka.req.pod.containers.image.repository']),
  need('Create NodePort Service', 'services', ['create'], ['ka.req.service.type']),
  need('Create/Modify Configmap With Private Credentials', 'configmaps', ['create', 'update', 'patch'], ['ka.req.configmap.obj']),
  need('Attach to cluster-admin Role', 'clusterrolebindings', ['create'], ['ka.req.binding.role']),
  need('ClusterRole With Wildcard Created', 'roles', ['create'], ['ka.req.role.rules.resources', 'ka.req.role.rules.verbs']),
  need('ClusterRole With Wildcard Created', 'clusterroles', ['create'], ['ka.req.role.rules.resources', 'ka.req.role.rules.verbs']),
  need('ClusterRole With Write Privileges Created', 'roles', ['create'], ['ka.req.role.rules.verbs']),
  need('ClusterRole With Write Privileges Created', 'clusterroles', ['create'], ['ka.req.role.rules.verbs']),
  need('ClusterRole With Pod Exec Created', 'roles', ['create'], ['ka.req.role.rules.resources']),
  need('ClusterRole With Pod Exec Created', 'clusterroles', ['create'], ['ka.req.role.rules.resources']),
];

/** Every need of the ruleset is of a request body, for the resource itself. */
function need(rule: string, resource: string, verbs: string[], fields: string[]): AuditBodyNeed {
  return { rule, resource, subresource: '', verbs, level: 'Request', fields };
}
