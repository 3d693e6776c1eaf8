import { ErrorLocation, validationError } from './validation';

const IMAGE = /^[a-z0-9]+([._/:-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/**
 * Validates an image reference and requires it to be pinned: a tag other than
 * `latest`, or a digest. A floating tag would let a node pull another version
 * than the one whose configuration this library renders.
 */
export function validatePinnedImage(where: ErrorLocation, field: string, image: string): string {
  const fix = 'use a pinned reference such as "docker.io/falcosecurity/falco:0.44.1" or one with an @sha256: digest';
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop()!.split('@')[0] : undefined;
  if (!IMAGE.test(image)) throw validationError(where, `${field} is not a valid image reference`, image, fix);
  if (!image.includes('@sha256:') && (tag === undefined || tag === 'latest')) {
    throw validationError(where, `${field} is not pinned to a version`, image, fix);
  }
  return image;
}
