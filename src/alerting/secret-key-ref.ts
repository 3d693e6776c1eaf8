import { ErrorLocation, validateDnsSubdomain, validationError } from '../common/validation';

/**
 * A key of a Kubernetes Secret that holds a credential (a PagerDuty routing
 * key, a Slack webhook URL). The library only ever renders the reference,
 * never the value, so no credential reaches the synthesized manifests.
 */
export interface SecretKeyRef {
  /** Name of the Secret, in the namespace of the object that reads it. */
  readonly name: string;
  /** Key inside the Secret's `data`. */
  readonly key: string;
}

/** Secret data keys: what `kubectl create secret --from-file` accepts. */
const SECRET_DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/** Validates a reference and returns it, so missing references fail where they are passed. */
export function validateSecretKeyRef(where: ErrorLocation, field: string, ref: SecretKeyRef | undefined): SecretKeyRef {
  if (ref === undefined || ref === null || typeof ref !== 'object') {
    throw validationError(where, `${field} is missing`, ref,
      'reference the Secret that holds it, e.g. { name: "pagerduty", key: "routing-key" }; never put the value itself in the manifest');
  }
  validateDnsSubdomain(where, `${field}.name`, ref.name);
  if (typeof ref.key !== 'string' || ref.key.length > 253 || !SECRET_DATA_KEY.test(ref.key)) {
    throw validationError(where, `${field}.key is not a valid Secret key`, ref.key, "use letters, digits, '-', '_' or '.'");
  }
  return { name: ref.name, key: ref.key };
}

/**
 * Where Alertmanager reads the key when the Secret is mounted the way the
 * Prometheus Operator mounts `Alertmanager.spec.secrets`: one directory per
 * Secret under `mountDir`, one file per key.
 */
export function secretFilePath(mountDir: string, ref: SecretKeyRef): string {
  return `${mountDir}/${ref.name}/${ref.key}`;
}
