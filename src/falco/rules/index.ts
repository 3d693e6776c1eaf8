export * from './falco-items';
export * from './falco-rules';
