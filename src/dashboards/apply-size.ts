import { ApiObject } from 'cdk8s';
import { annotationBytesAfterApply, MAX_ANNOTATION_BYTES } from '../common/object-size';
import { validationError } from '../common/validation';

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
