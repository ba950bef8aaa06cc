// NestJS wiring of the port, kept apart so the port and adapters load without the framework.
export { EVENT_STORE } from './event-store.tokens';
export { EventStoreModule, type EventStoreModuleOptions } from './event-store.module';
