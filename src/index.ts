export * from './alerting';
export * from './common';
export * from './audit';
export * from './falco';
export * from './siem';
export * from './stack';
