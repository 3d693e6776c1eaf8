import { ClusterIdentity } from '../common/cluster-identity';

/**
 * Where a log shipping agent sits among the other components: what a
 * `SecurityMonitoringStack` passes to its SIEM pipeline, and what a pipeline
 * built by hand sets to get the same wiring.
 */
export interface SiemAgentContextProps {
  /**
   * Labels of every object the pipeline creates, beside
   * `app.kubernetes.io/component: siem` and the agent's name and instance labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Name of the ClusterRole and ClusterRoleBinding that let the agent read
   * pod metadata. Cluster-scoped names are shared by every installation in
   * the cluster: a `SecurityMonitoringStack` passes `<stack name>-<agent name>`.
   * @default - `<namespace>-<name>`
   */
  readonly clusterRoleName?: string;

  /**
   * Namespace Falco runs in: where `SiemSource.falcoEvents()` reads by default.
   * @default 'falco'
   */
  readonly falcoNamespace?: string;

  /**
   * Largest audit event the API server writes (`ApiServerAudit.maxEventBytes`):
   * `SiemSource.auditLog()` reads lines this long by default, and may not be
   * set smaller.
   * @default - the audit source's own default, 1048576 (1 MiB)
   */
  readonly auditMaxEventBytes?: number;

  /**
   * The cluster the records come from: its name (`cluster`) and identity
   * labels are added to every record, after `recordFields`.
   * @default - records do not name a cluster
   */
  readonly cluster?: ClusterIdentity;
}
