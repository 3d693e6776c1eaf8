export * from './falco-items';
export * from './falco-rules';
export * from './falco-presets';
