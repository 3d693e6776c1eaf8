/**
 * API groups of well-known built-in resources, for the linter's wrong-group check.
 * `events` is left out: it is served by both the core group and `events.k8s.io`.
 */
const SINGLE_GROUP: ReadonlyArray<[string, string]> = [
  ...['services', 'secrets', 'configmaps', 'serviceaccounts', 'namespaces', 'persistentvolumes',
    'persistentvolumeclaims', 'endpoints', 'limitranges', 'resourcequotas', 'replicationcontrollers'].map((r): [string, string] => [r, '']),
  ...['deployments', 'replicasets', 'daemonsets', 'statefulsets', 'controllerrevisions'].map((r): [string, string] => [r, 'apps']),
  ...['jobs', 'cronjobs'].map((r): [string, string] => [r, 'batch']),
  ...['ingresses', 'ingressclasses', 'networkpolicies'].map((r): [string, string] => [r, 'networking.k8s.io']),
  ...['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'].map((r): [string, string] => [r, 'rbac.authorization.k8s.io']),
  ['tokenreviews', 'authentication.k8s.io'],
  ...['subjectaccessreviews', 'selfsubjectaccessreviews', 'localsubjectaccessreviews', 'selfsubjectrulesreviews']
    .map((r): [string, string] => [r, 'authorization.k8s.io']),
  ['horizontalpodautoscalers', 'autoscaling'],
  ['poddisruptionbudgets', 'policy'],
  ['leases', 'coordination.k8s.io'],
  ['certificatesigningrequests', 'certificates.k8s.io'],
  ['customresourcedefinitions', 'apiextensions.k8s.io'],
  ...['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies']
    .map((r): [string, string] => [r, 'admissionregistration.k8s.io']),
  ...['storageclasses', 'csidrivers', 'csinodes', 'volumeattachments'].map((r): [string, string] => [r, 'storage.k8s.io']),
  ['priorityclasses', 'scheduling.k8s.io'],
  ['runtimeclasses', 'node.k8s.io'],
];

/** Resource name to the groups that serve it; the metrics API serves its own `pods` and `nodes`. */
export const WELL_KNOWN_RESOURCE_GROUPS: ReadonlyMap<string, readonly string[]> = new Map([
  ...SINGLE_GROUP.map(([resource, group]): [string, string[]] => [resource, [group]]),
  ['pods', ['', 'metrics.k8s.io']],
  ['nodes', ['', 'metrics.k8s.io']],
]);

/**
 * Resources whose bodies hold secret values: logging them above `Metadata`
 * writes those values into the audit log. The GCE policy logs exactly these at `Metadata`.
 */
export const SECRET_RESOURCES: ReadonlyArray<{ group: string; resource: string; subresource: string }> = [
  { group: '', resource: 'secrets', subresource: '' },
  { group: '', resource: 'configmaps', subresource: '' },
  { group: '', resource: 'serviceaccounts', subresource: 'token' },
  { group: 'authentication.k8s.io', resource: 'tokenreviews', subresource: '' },
];
