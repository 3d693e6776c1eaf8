export * from './alerting';
export * from './common';
export * from './falco';
export * from './stack';
