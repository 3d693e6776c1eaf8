export * from './alerting';
export * from './anomaly';
export * from './audit';
export * from './common';
export * from './falco';
export * from './prometheus';
export * from './siem';
export * from './stack';
