export * from './security-monitoring-stack';
export { SecurityMonitoringComplianceOptions, SecurityMonitoringResponseOptions } from './response-compliance';
