export * from './audit-level';
export * from './audit-rule';
export * from './audit-request';
export * from './audit-diagnostic';
export * from './audit-policy';
export * from './falco-audit-webhook';
export * from './api-server-audit';
export * from './audit-blind-spot';
