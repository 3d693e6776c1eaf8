export * from './anomaly';
export * from './common';
export * from './falco';
export * from './stack';
