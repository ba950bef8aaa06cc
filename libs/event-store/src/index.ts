export * from './event-store.port';
export * from './errors';
export { DEFAULT_MAX_EVENT_BYTES } from './request-validation';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
