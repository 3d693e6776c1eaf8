import { ErrorLocation, validateDnsLabel, validateLabelValue, validationError } from './validation';

/** The label (and field) that names the cluster in every signal. */
export const CLUSTER_LABEL = 'cluster';

/**
 * Which cluster a stack runs in. Every signal the stack emits carries it:
 * alert labels (and the PagerDuty summary and details), Falco events' output
 * fields, every record the SIEM pipeline ships, the anomaly detector's series,
 * and the dashboard filters on it.
 */
export interface ClusterIdentity {
  /**
   * Name of the cluster, the value of the `cluster` label and field, e.g.
   * `prod-eu-1`. A DNS-1123 label, so that it can also name a directory, an
   * Argo CD Application and a Flux Kustomization.
   */
  readonly name: string;

  /**
   * More labels that identify the cluster, set beside `cluster` on every
   * signal, e.g. `{ environment: 'prod', region: 'eu-west-1' }`. Keys are
   * Prometheus label names (they are alert labels, Falco output fields and SIEM
   * record fields at once); values are Kubernetes label values.
   *
   * @default {}
   */
  readonly labels?: { [key: string]: string };
}

/** A key that is a Prometheus label name, and so also a plain Falco output field and a SIEM record key. */
const FIELD_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Labels that alerts, events and records already carry with another meaning:
 * an identity label of the same name would overwrite them.
 */
const RESERVED = ['alertname', 'severity', 'namespace', 'job', 'instance', 'log_type', 'rule', 'priority', 'source', 'hostname', 'time', 'output', 'tags'];

/**
 * Validates a map of fields set on every signal (identity labels, SIEM record
 * fields, Falco output fields): keys that every consumer accepts unchanged,
 * and non-empty Kubernetes label values, which contain no character that
 * Fluent Bit, Falco's format strings or Go templates would read as syntax.
 */
export function validateSignalFields(where: ErrorLocation, field: string, fields: unknown): Record<string, string> {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw validationError(where, `${field} must be a map of names to values`, fields, 'pass an object such as { environment: "prod" }');
  }
  for (const [key, value] of Object.entries(fields)) {
    if (!FIELD_NAME.test(key) || key.startsWith('__')) {
      throw validationError(where, `${field} key is not a valid label name`, key,
        "use letters, digits and '_', not starting with a digit or '__': it becomes an alert label, a Falco output field and a SIEM record field");
    }
    if (RESERVED.includes(key)) {
      throw validationError(where, `${field} key "${key}" is reserved`, key,
        `alerts, Falco events or SIEM records already carry "${key}" with another meaning: pick another name, e.g. "cluster_${key}"`);
    }
    validateLabelValue(where, `${field}["${key}"]`, value);
    if (value === '') throw validationError(where, `${field}["${key}"] is empty`, value, 'give it a value, or leave the key out');
  }
  return { ...(fields as Record<string, string>) };
}

/**
 * The labels that name the cluster, validated: `cluster` first, then the
 * identity labels in key order (so the output does not depend on the order
 * they were written in).
 */
export function clusterIdentityLabels(where: ErrorLocation, identity: ClusterIdentity): Record<string, string> {
  if (identity === null || typeof identity !== 'object') {
    throw validationError(where, 'cluster must be an object', identity, 'pass cluster: { name: "prod-eu-1" }');
  }
  const name = validateDnsLabel(where, 'cluster.name', identity.name);
  const labels = validateSignalFields(where, 'cluster.labels', identity.labels ?? {});
  if (CLUSTER_LABEL in labels) {
    throw validationError(where, `cluster.labels sets "${CLUSTER_LABEL}"`, labels[CLUSTER_LABEL], 'set the cluster name with cluster.name instead');
  }
  return { [CLUSTER_LABEL]: name, ...Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}
