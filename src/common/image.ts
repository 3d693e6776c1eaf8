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

/** The images of the programs this library runs, by image name: one of them in another's place runs the wrong program. */
const PROGRAM_IMAGES = ['falco', 'falcosidekick', 'falco-talon', 'falcoctl', 'falco-driver-loader', 'kube-bench', 'fluent-bit', 'filebeat'];

/** An image's name: the last path segment, without tag or digest (`falco` of `docker.io/falcosecurity/falco:0.44.1`). */
function imageName(image: string): string {
  return (image.split('/').pop() ?? '').split(/[:@]/)[0];
}

/**
 * Validates a pinned image (see `validatePinnedImage`) that must run a given
 * program: the container's command and config are that program's, so the
 * image's name must name it (`falco`, `falco-no-driver`, `mirror/falcosecurity-falco`),
 * and must not be the image of another program this library runs.
 * @param example the pinned default, whose image name is the program's
 */
export function validateProgramImage(where: ErrorLocation, field: string, image: unknown, example: string): string {
  const pinned = validatePinnedImage(where, field, image, example);
  const name = imageName(pinned);
  const program = imageName(example);
  const tokens = name.split(/[-_.]/);
  const wanted = program.split(/[-_.]/);
  const namesProgram = tokens.some((_, i) => wanted.every((w, j) => tokens[i + j] === w));
  if (!namesProgram || (name !== program && PROGRAM_IMAGES.includes(name))) {
    throw validationError(where, `${field} is an image of ${name}, not of ${program}, so its container could not run ${program}'s command`, image,
      `use a ${program} image, e.g. ${formatValue(example)} (a mirror may change the registry and path, but keeps "${program}" in the image name)`);
  }
  return pinned;
}
