import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, type FactoryProvider } from '@nestjs/common';
import type { EventStore } from '../event-store.port';
import { EVENT_STORE } from './event-store.tokens';

export interface EventStoreModuleOptions {
  readonly inject?: FactoryProvider['inject'];
  /** Opens the adapter chosen by configuration. */
  readonly useFactory: (...args: never[]) => EventStore | Promise<EventStore>;
}

/**
 * Provides the one `EventStore` of the process under `EVENT_STORE` and closes it when the
 * application shuts down (after the HTTP server has stopped taking requests).
 */
@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forRootAsync(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [{ provide: EVENT_STORE, inject: options.inject ?? [], useFactory: options.useFactory }],
      exports: [EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
