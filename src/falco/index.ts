export * from './priority';
export * from './rules';
