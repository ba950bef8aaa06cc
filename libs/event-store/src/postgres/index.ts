export { PostgresEventStore, appendLockKey, type PostgresEventStoreOptions } from './postgres-event-store';
