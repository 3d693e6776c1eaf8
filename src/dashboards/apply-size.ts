import { ApiObject } from 'cdk8s';
import { validationError } from '../common/validation';

/**
 * Kubernetes limits the total size of an object's annotations (keys plus
 * values) to 256 KiB. Client-side `kubectl apply` copies the whole object into
 * the `kubectl.kubernetes.io/last-applied-configuration` annotation, so an
 * object near that size cannot be applied that way.
 */
export const MAX_ANNOTATION_BYTES = 262_144;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Bytes the object's annotations would take after a client-side apply: its
 * own annotations plus the last-applied copy (compact JSON and the newline
 * kubectl appends).
 */
export function annotationBytesAfterApply(manifest: any): number {
  const own = Object.entries<string>(manifest?.metadata?.annotations ?? {})
    .reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
  return own + Buffer.byteLength(LAST_APPLIED) + Buffer.byteLength(JSON.stringify(manifest)) + 1;
}

/**
 * Fails synthesis, with the size and the ways out, when `kubectl apply` could
 * not store the object's last-applied configuration.
 */
export function guardApplySize(object: ApiObject): void {
  object.node.addValidation({
    validate: () => {
      const bytes = annotationBytesAfterApply(object.toJson());
      if (bytes <= MAX_ANNOTATION_BYTES) return [];
      return [validationError(object, `${object.kind} is too large for client-side kubectl apply`, `${bytes} bytes`,
        `its last-applied-configuration annotation must stay within ${MAX_ANNOTATION_BYTES} bytes: `
        + 'split the panels over several SecurityDashboards (one dashboard per object), or apply with "kubectl apply --server-side"').message];
    },
  });
}
