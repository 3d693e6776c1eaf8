export * from './gitops-options';
export * from './security-monitoring-fleet';
