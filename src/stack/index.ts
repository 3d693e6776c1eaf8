export * from './security-monitoring-stack';
export * from './prometheus-integration';
