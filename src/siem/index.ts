export * from './source';
export * from './aws-credentials';
export * from './destination';
export * from './siem-pipeline';
export * from './filebeat-pipeline';
export * from './agent-context';
