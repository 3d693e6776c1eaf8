import { createHash } from 'crypto';

/**
 * The hex SHA-256 of `parts` joined by `separator`, for the `checksum/config`
 * annotations that roll pods when their config changes. The parts are hashed
 * in turn rather than joined: rendered configs (Falco rules files) run to megabytes.
 */
export function configChecksum(parts: readonly string[], separator = ''): string {
  const hash = createHash('sha256');
  parts.forEach((part, i) => {
    if (i > 0) hash.update(separator);
    hash.update(part);
  });
  return hash.digest('hex');
}
