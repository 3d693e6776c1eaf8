export * from './falco-rules';
