export * from './common';
export * from './falco';
export * from './prometheus';
export * from './stack';
