import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStoreModule } from '@squad/event-store/nest';
import type { Environment } from './config/environment';
import { openEventStore } from './event-store.factory';

/** What both entry points (the HTTP service and the CLI) stand on: configuration and the store. */
@Module({})
export class CoreModule {
  /**
   * `env` is the validated configuration (see `validateEnvironment`); it is the only source the
   * ConfigService reads, so a test's settings never leak through `process.env`.
   */
  static forRoot(env: Environment): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => ({ ...env })] }),
        CqrsModule.forRoot(),
        EventStoreModule.forRootAsync({ useFactory: () => openEventStore(env) }),
      ],
    };
  }
}
