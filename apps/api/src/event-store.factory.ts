import { Logger } from '@nestjs/common';
import { type EventStore } from '@squad/event-store';
import { SqliteEventStore } from '@squad/event-store/sqlite';
import type { Environment } from './config/environment';

/**
 * Opens the adapter the configuration names. All three implement the same port and pass the
 * same contract suite (test/contract), so nothing above this line knows which one it got.
 */
export async function openEventStore(env: Environment): Promise<EventStore> {
  switch (env.EVENT_STORE) {
    case 'sqlite':
      return SqliteEventStore.open({ path: env.SQLITE_PATH, synchronous: env.SQLITE_SYNCHRONOUS });
    case 'postgres': {
      // loaded only when chosen, so the embedded setup never loads the other clients
      const { PostgresEventStore } = await import('@squad/event-store/postgres');
      const logger = new Logger('event-store');
      return PostgresEventStore.open({
        connectionString: env.DATABASE_URL!,
        schema: env.DATABASE_SCHEMA,
        applicationName: 'squad-planner',
        // the LISTEN connection reconnects by itself; say so rather than stay silent
        onBackgroundError: (error) =>
          logger.warn({ msg: 'PostgreSQL notification connection lost; reconnecting', err: error }),
      });
    }
    case 'eventstoredb': {
      const { EventStoreDbEventStore } = await import('@squad/event-store/eventstoredb');
      return EventStoreDbEventStore.open({ connectionString: env.EVENTSTORE_CONNECTION_STRING! });
    }
  }
}
