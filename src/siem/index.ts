export * from './source';
export * from './destination';
export * from './siem-pipeline';
export * from './filebeat-pipeline';
