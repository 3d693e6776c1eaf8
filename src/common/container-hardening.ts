import { k8s } from 'cdk8s-plus-28';

/**
 * The container hardening every pod of the stack gets unless it needs host access:
 * the `restricted` level's requirements (no privilege escalation, non-root,
 * every capability dropped) plus a read-only root filesystem. The seccomp
 * profile is set where the pod does not set it.
 */
export function hardenedContainerSecurityContext(): k8s.SecurityContext {
  return { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
}
