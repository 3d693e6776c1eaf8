import { ErrorLocation, formatValue, validationError } from './validation';

const IMAGE = /^[a-z0-9]+([._/:-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/**
 * Validates an image reference and requires it to be pinned: a tag other than
 * `latest`, or a digest. A floating tag would let a node pull another version
 * than the one whose config this library renders, and an attacker who can push
 * that tag would run code in a security agent.
 * @param example the pinned default, shown in the fix
 */
export function validatePinnedImage(where: ErrorLocation, field: string, image: unknown, example: string): string {
  const fix = `use a pinned reference such as ${formatValue(example)} or one with an @sha256: digest`;
  if (typeof image !== 'string' || !IMAGE.test(image)) throw validationError(where, `${field} is not a valid image reference`, image, fix);
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop()!.split('@')[0] : undefined;
  if (!image.includes('@sha256:') && (tag === undefined || tag === 'latest')) {
    throw validationError(where, `${field} is not pinned to a version`, image, fix);
  }
  return image;
}
