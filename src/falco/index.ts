export * from './priority';
export * from './rules';
export * from './driver';
export * from './default-rules';
export * from './falcosidekick-output';
export * from './falcosidekick';
export * from './falco-deployment';
