/**
 * Kubernetes' limits on the size of one object, as the API server and
 * `kubectl apply` enforce them.
 */

/**
 * Kubernetes limits the total size of an object's annotations (keys plus
 * values) to 256 KiB. Client-side `kubectl apply` copies the whole object into
 * the `kubectl.kubernetes.io/last-applied-configuration` annotation, so an
 * object near that size cannot be applied that way.
 */
export const MAX_ANNOTATION_BYTES = 262_144;

/** The API server refuses a ConfigMap whose values (data plus binaryData) exceed 1 MiB (ValidateConfigMap). */
export const MAX_CONFIG_MAP_DATA_BYTES = 1_048_576;

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

/** The bytes of a ConfigMap's values as the API server counts them (UTF-8; binaryData decoded). */
export function configMapDataBytes(manifest: any): number {
  const text = Object.values<string>(manifest?.data ?? {}).reduce((sum, value) => sum + Buffer.byteLength(String(value)), 0);
  const binary = Object.values<string>(manifest?.binaryData ?? {}).reduce((sum, value) => sum + Buffer.from(String(value), 'base64').length, 0);
  return text + binary;
}

/**
 * The largest request etcd accepts by default (`--max-request-bytes`, 1.5 MiB):
 * the API server cannot store a larger object, whatever its kind.
 */
export const MAX_OBJECT_BYTES = 1_572_864;

/** Why the API server (or etcd behind it) would refuse an object for its size; empty when it fits. */
export function objectSizeErrors(manifest: any): string[] {
  const errors: string[] = [];
  if (manifest?.kind === 'ConfigMap' || manifest?.kind === 'Secret') {
    const data = configMapDataBytes(manifest);
    if (data > MAX_CONFIG_MAP_DATA_BYTES) errors.push(`${manifest.kind} data has ${data} bytes, more than the ${MAX_CONFIG_MAP_DATA_BYTES} the API server accepts`);
  }
  const bytes = Buffer.byteLength(JSON.stringify(manifest));
  if (bytes > MAX_OBJECT_BYTES) errors.push(`the object has ${bytes} bytes, more than the ${MAX_OBJECT_BYTES} etcd stores by default`);
  return errors;
}
