export * from './common';
export * from './falco';
export * from './stack';
