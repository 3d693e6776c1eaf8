export * from './source';
export * from './aws-credentials';
export * from './destination-options';
export * from './destination';
export * from './destinations';
export * from './siem-pipeline';
export * from './filebeat-pipeline';
export * from './agent-context';
export { DEFAULT_BEAT_EXPORTER_IMAGE } from './beat-exporter';
