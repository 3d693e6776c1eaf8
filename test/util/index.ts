export * from './synth';
export * from './schema';
