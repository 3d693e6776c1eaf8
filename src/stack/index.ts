export * from './security-monitoring-stack';
export * from './prometheus-integration';
export { SecurityMonitoringComplianceOptions, SecurityMonitoringResponseOptions } from './response-compliance';
export * from './fleet';
