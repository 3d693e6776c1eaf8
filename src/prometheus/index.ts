export * from './promql';
export * from './rule-props';
export * from './rule-group';
export * from './security-prometheus-rule';
export * from './security-alerts';
export * from './alert-override';
