/**
 * A key of a Kubernetes Secret. The pipeline passes it to Fluent Bit as an
 * environment variable (`valueFrom.secretKeyRef`) and the config refers to the
 * variable (`${...}`), so the value never appears in a ConfigMap or in the
 * synthesized manifests.
 */
export interface SiemSecretRef {
  /** Name of the Secret, in the namespace the pipeline runs in. */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
}
