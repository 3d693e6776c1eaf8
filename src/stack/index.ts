export * from './security-monitoring-stack';
