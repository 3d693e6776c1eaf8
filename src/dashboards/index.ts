export * from './panel';
export * from './dashboard-delivery';
export * from './security-dashboard';
