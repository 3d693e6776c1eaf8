import { k8s } from 'cdk8s-plus-28';
import { ErrorLocation, validateDnsSubdomain, validationError } from './validation';

/**
 * A key of an existing Kubernetes Secret, in the namespace of the workload
 * that reads it. Every credential the library handles (SIEM tokens, PagerDuty
 * routing keys, webhook URLs, object-store keys) is passed this way: the
 * library renders the reference (an env `secretKeyRef` or a mounted file),
 * never the value.
 */
export interface SecretKeyReference {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** Secret data keys: what `kubectl create secret --from-file` accepts. */
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** Validates a reference and returns it, so a missing or malformed one fails where it is passed. */
export function validateSecretKeyReference(where: ErrorLocation, field: string, ref: unknown): SecretKeyReference {
  if (typeof ref === 'string') {
    // Most likely the credential itself: say what it is, never echo it.
    throw validationError(where, `${field} is a string, not a reference to a Secret`, `a string of ${ref.length} characters, not shown`,
      'pass { secretName, key } of the Secret that holds the value, e.g. { secretName: "pagerduty", key: "routing-key" }; the value itself never goes into the manifests');
  }
  if (ref === undefined || ref === null || typeof ref !== 'object') {
    throw validationError(where, `${field} is missing`, ref,
      'reference the Secret that holds it, e.g. { secretName: "pagerduty", key: "routing-key" }; never put the value itself in the manifest');
  }
  const { secretName, key } = ref as SecretKeyReference;
  validateDnsSubdomain(where, `${field}.secretName`, secretName);
  if (typeof key !== 'string' || !SECRET_KEY.test(key)) {
    throw validationError(where, `${field}.key is not a valid Secret key`, key, "use letters, digits, '-', '_' or '.'");
  }
  return { secretName, key };
}

/** Validates a reference and turns it into the `secretKeyRef` of an environment variable. */
export function secretKeySelector(where: ErrorLocation, field: string, ref: unknown): k8s.SecretKeySelector {
  const { secretName, key } = validateSecretKeyReference(where, field, ref);
  return { name: secretName, key };
}
