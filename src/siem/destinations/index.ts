export { SiemCustomDestinationOptions } from './custom';
export { SiemElasticsearchOptions } from './elasticsearch';
export { SiemHttpOptions } from './http';
export { SiemKafkaOptions } from './kafka';
export { SiemLokiOptions } from './loki';
export { SiemS3Compression, SiemS3Options } from './s3';
export { SiemSplunkHecOptions } from './splunk-hec';
export { SiemSyslogFormat, SiemSyslogOptions, SiemSyslogTransport } from './syslog';
