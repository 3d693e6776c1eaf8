/*
 * The policies behind AuditPolicy's static factories. The production preset follows the
 * GCE/GKE policy (kubernetes cluster/gce/gci/configure-helper.sh, create-master-audit-policy).
 */
import { AuditLevel, AuditStage } from './audit-level';
import { AuditGroupResources, AuditRule } from './audit-rule';
import { PolicyDocument } from './policy-yaml';

const READ_VERBS = ['get', 'list', 'watch'];
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** Built-in API groups whose request and response bodies are worth logging (the GCE policy's "known APIs"). */
const KNOWN_API_GROUPS: AuditGroupResources[] = [
  '', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'apps',
  'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling', 'batch', 'certificates.k8s.io', 'extensions',
  'metrics.k8s.io', 'networking.k8s.io', 'node.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'scheduling.k8s.io',
  'storage.k8s.io',
].map((group) => ({ group }));

/** Resources whose bodies carry secret values: only ever logged at Metadata. */
const SECRET_LIKE: AuditRule = {
  level: AuditLevel.METADATA,
  resources: [
    { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
    { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
  ],
};

const HEALTH_URLS: AuditRule = { level: AuditLevel.NONE, nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version', '/swagger*', '/openapi*'] };
const EVENTS: AuditRule = { level: AuditLevel.NONE, resources: [{ group: '', resources: ['events'] }, { group: 'events.k8s.io', resources: ['events'] }] };
/** Leader-election lease renewals: several per second, no security value. */
const LEASES: AuditRule = { level: AuditLevel.NONE, verbs: ['get', 'update'], resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] };

/** High-volume, low-risk requests of control-plane components, dropped first. */
const CONTROL_PLANE_NOISE: AuditRule[] = [
  { level: AuditLevel.NONE, users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }] },
  { level: AuditLevel.NONE, userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
  {
    level: AuditLevel.NONE,
    users: ['system:kube-controller-manager', 'system:cloud-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:endpoint-controller'],
    verbs: ['get', 'update'],
    namespaces: ['kube-system'],
    resources: [{ group: '', resources: ['endpoints'] }],
  },
  { level: AuditLevel.NONE, users: ['system:apiserver'], verbs: ['get'], resources: [{ group: '', resources: ['namespaces', 'namespaces/status', 'namespaces/finalize'] }] },
  { level: AuditLevel.NONE, users: ['system:kube-controller-manager', 'system:cloud-controller-manager'], verbs: ['get', 'list'], resources: [{ group: 'metrics.k8s.io' }] },
  HEALTH_URLS,
  EVENTS,
  LEASES,
];

/** Node status updates are frequent and large: keep the request, drop the response. */
const NODE_STATUS: AuditRule = {
  level: AuditLevel.REQUEST,
  userGroups: ['system:nodes'],
  verbs: ['update', 'patch'],
  resources: [{ group: '', resources: ['nodes/status', 'pods/status'] }],
};

const CATCH_ALL_METADATA: AuditRule = { level: AuditLevel.METADATA };

export function productionPolicy(): PolicyDocument {
  return {
    omitStages: [AuditStage.REQUEST_RECEIVED],
    rules: [
      ...CONTROL_PLANE_NOISE,
      NODE_STATUS,
      // Before the namespace-controller rule (GCE has it after): that rule has no resource
      // selector, so it would log deletecollection of Secrets above Metadata.
      SECRET_LIKE,
      { level: AuditLevel.REQUEST, users: ['system:serviceaccount:kube-system:namespace-controller'], verbs: ['deletecollection'] },
      // Read responses can be large; the request says what was read.
      { level: AuditLevel.REQUEST, verbs: READ_VERBS, resources: KNOWN_API_GROUPS },
      { level: AuditLevel.REQUEST_RESPONSE, resources: KNOWN_API_GROUPS },
      CATCH_ALL_METADATA,
    ],
  };
}

/** CIS Kubernetes Benchmark 3.2.1 "minimal audit policy": who did what, never bodies of secrets. */
export function cisMinimalPolicy(): PolicyDocument {
  return {
    omitStages: [AuditStage.REQUEST_RECEIVED],
    rules: [HEALTH_URLS, SECRET_LIKE, CATCH_ALL_METADATA],
  };
}

/**
 * Tuned for Falco's k8saudit rules: they read request objects of writes (pod specs,
 * RBAC, exec) from ResponseComplete events only, so reads stay at Metadata and every
 * other stage is omitted. ConfigMaps stay at Metadata, so Falco's "configmap with
 * private credentials" rule cannot fire: the credentials would be in the log.
 */
export function falcoPolicy(): PolicyDocument {
  return {
    omitStages: [AuditStage.REQUEST_RECEIVED, AuditStage.RESPONSE_STARTED],
    rules: [
      ...CONTROL_PLANE_NOISE,
      SECRET_LIKE,
      { level: AuditLevel.METADATA, verbs: READ_VERBS },
      {
        level: AuditLevel.REQUEST_RESPONSE,
        verbs: WRITE_VERBS,
        resources: [
          { group: '', resources: ['pods', 'pods/exec', 'pods/attach', 'pods/portforward', 'pods/ephemeralcontainers', 'services', 'serviceaccounts', 'namespaces', 'nodes'] },
          { group: 'apps' },
          { group: 'batch' },
          { group: 'rbac.authorization.k8s.io' },
          { group: 'admissionregistration.k8s.io' },
          { group: 'apiextensions.k8s.io' },
          { group: 'networking.k8s.io' },
        ],
      },
      CATCH_ALL_METADATA,
    ],
  };
}

/**
 * Seed example: everything at RequestResponse. Kept so the linter's secret-leak
 * check has a real target; never deploy it.
 */
export function seedLogEverythingPolicy(): PolicyDocument {
  return { rules: [{ level: AuditLevel.REQUEST_RESPONSE }] };
}

/** Seed example: Secrets and ConfigMaps at RequestResponse "for forensics", the rest at Metadata. */
export function seedSecretForensicsPolicy(): PolicyDocument {
  return {
    rules: [
      EVENTS,
      { level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: '', resources: ['secrets', 'configmaps'] }] },
      { level: AuditLevel.REQUEST, verbs: WRITE_VERBS },
      CATCH_ALL_METADATA,
    ],
  };
}
