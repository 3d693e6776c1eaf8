/**
 * Names of the macros and lists the k8saudit ruleset defines
 * (falcosecurity/plugins `plugins/k8saudit/rules/k8s_audit_rules.yaml` at tag
 * `plugins/k8saudit/v0.16.1`, the `k8saudit-rules:0.16` artifact the falco chart
 * installs): facts about that file, not its content. Custom `k8s_audit` rules
 * loaded after it may reference them.
 */
export const K8S_AUDIT_MACROS: readonly string[] = [
  'k8s_audit_always_true', 'k8s_audit_never_true', 'non_system_user', 'kevt', 'kevt_started', 'allowed_k8s_containers',
  'response_successful', 'kget', 'kcreate', 'kmodify', 'kdelete', 'pod', 'pod_subresource', 'deployment', 'service',
  'configmap', 'namespace', 'serviceaccount', 'clusterrole', 'clusterrolebinding', 'role', 'rolebinding', 'secret',
  'health_endpoint', 'live_endpoint', 'ready_endpoint', 'sensitive_vol_mount', 'user_known_node_port_service',
  'contains_private_credentials', 'user_known_exec_pod_activities', 'user_known_portforward_activities',
  'user_known_pod_debug_activities', 'allowed_kube_namespace_pods', 'trusted_sa', 'writable_verbs',
  'consider_activity_events', 'kactivity', 'consider_all_events', 'kall', 'allowed_full_admin_users', 'ingress',
  'ingress_tls', 'node', 'allow_all_k8s_nodes',
];

/** Lists of the same file. */
export const K8S_AUDIT_LISTS: readonly string[] = [
  'k8s_audit_stages', 'vertical_pod_autoscaler_users', 'allowed_k8s_users', 'eks_allowed_k8s_users',
  'k8s_audit_sensitive_mount_images', 'k8s_audit_privileged_images', 'k8s_audit_hostnetwork_images',
  'k8s_audit_hostpid_images', 'k8s_audit_hostipc_images', 'allowed_namespaces', 'user_trusted_image_list',
  'user_allowed_kube_namespace_image_list', 'k8s_image_list', 'allowed_kube_namespace_image_list', 'user_known_sa_list',
  'known_sa_list', 'full_admin_k8s_users', 'allowed_k8s_nodes',
];
