export * from './anomaly-detection-options';
export * from './anomaly-detector';
