export * from './claims';
export * from './events';
export * from './errors';
export * from './player';
export * from './pursuit';
export * from './record-report';
export * from './report-hash';
