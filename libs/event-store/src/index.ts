export * from './event-store.port';
export * from './errors';
export { DEFAULT_MAX_EVENT_BYTES } from './request-validation';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
// The PostgreSQL and EventStoreDB adapters load their clients (pg, gRPC): import them from
// '@squad/event-store/postgres' and '@squad/event-store/eventstoredb' where they are wanted.
