export * from './pod-security';
export * from './prometheus-selector';
export * from './severity';
export * from './secret-key-reference';
export { ClusterIdentity } from './cluster-identity';
export { Errors } from './validation';
