export * from './alerting';
export * from './common';
export * from './audit';
export * from './falco';
export * from './stack';
export * from './response';
export * from './compliance';
