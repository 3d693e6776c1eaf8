import { ErrorLocation, validationError } from '../common/validation';

// Pinned images. Tags checked against falcosecurity/charts (charts/falco/Chart.yaml
// appVersion 0.44.1, falcoctl.image.tag in charts/falco/values.yaml, image.tag in
// charts/falcosidekick/values.yaml): a chart upgrade moves them together.

/** Falco itself; also ships the default ruleset and the container plugin used when falcoctl is off. */
export const FALCO_IMAGE = 'docker.io/falcosecurity/falco:0.44.1';
/** Builds or downloads the kernel module (kmod/auto drivers); the chart tags it with Falco's version. */
export const FALCO_DRIVER_LOADER_IMAGE = 'docker.io/falcosecurity/falco-driver-loader:0.44.1';
/** Installs and follows rules and plugin artifacts. */
export const FALCOCTL_IMAGE = 'docker.io/falcosecurity/falcoctl:0.13.0';
/** Fans Falco events out to alerting and SIEM outputs. */
export const FALCOSIDEKICK_IMAGE = 'docker.io/falcosecurity/falcosidekick:2.32.0';

const IMAGE = /^[a-z0-9]+([._/:-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/**
 * Validates an image reference and requires it to be pinned: a tag other than
 * `latest`, or a digest. A floating tag would let a node pull another Falco
 * version than the one whose config and rules this library renders.
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
