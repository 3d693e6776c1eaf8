export {
  TalonActionner, TalonCustomActionnerOptions, TalonDownloadOptions, TalonEvidenceOptions, TalonLogOptions, TalonNetworkPolicyOptions,
  TalonTcpdumpOptions, TalonTerminateOptions,
} from './talon-actionner';
export { TalonPolicyRule } from './rbac';
export { TalonAwsStoreOptions, TalonMinioStoreOptions, TalonObjectStore } from './talon-object-store';
export { TalonAction, TalonMatch, TalonRuleProps } from './talon-rule';
export { FalcoTalon, FalcoTalonOptions, FalcoTalonProps } from './falco-talon';
export { QuarantineNetworkPolicy, QuarantineNetworkPolicyProps } from './quarantine-network-policy';
export { KuberhealthyApi, KuberhealthyCheck, KuberhealthyCheckProps } from './kuberhealthy-check';
export { DaemonSetHealthCheck, DaemonSetHealthCheckProps, DaemonSetReference } from './daemonset-health-check';
