import { k8s } from 'cdk8s-plus-28';
import { validateDnsSubdomain, validationError } from './validation';

/** A key of an existing Kubernetes Secret in the namespace of the workload that reads it. */
export interface SecretKeyReference {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Validates a reference and turns it into the `secretKeyRef` of an environment variable. */
export function secretKeySelector(where: string, field: string, ref: SecretKeyReference): k8s.SecretKeySelector {
  validateDnsSubdomain(where, `${field}.secretName`, ref?.secretName);
  if (typeof ref.key !== 'string' || !SECRET_KEY.test(ref.key)) {
    throw validationError(where, `${field}.key is not a valid Secret key`, ref.key, "use letters, digits, '-', '_' or '.'");
  }
  return { name: ref.secretName, key: ref.key };
}
