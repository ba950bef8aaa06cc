// The port and what every adapter shares. Adapters load their drivers, so each has its own
// entry point: '@squad/event-store/sqlite', '@squad/event-store/postgres',
// '@squad/event-store/eventstoredb' (and '@squad/event-store/nest' for the Nest module).
export * from './event-store.port';
export * from './errors';
export * from './stream-catch-up';
export { DEFAULT_MAX_EVENT_BYTES } from './request-validation';
