export * from './common';
export * from './stack';
