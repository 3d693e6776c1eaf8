/**
 * Pod Security Standards levels, as enforced by the built-in Pod Security admission.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export enum PodSecurityLevel {
  /** Unrestricted: only for agents that need host access (Falco). */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations; no hostPath volumes. */
  BASELINE = 'baseline',
  /** Current pod hardening best practice; the default for the stack's namespace. */
  RESTRICTED = 'restricted',
}
