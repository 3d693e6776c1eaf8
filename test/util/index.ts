export * from './synth';
export * from './schema';
export * from './pod-security';
