export * from './common';
export * from './falco';
export * from './siem';
export * from './stack';
