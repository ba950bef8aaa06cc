import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { SqliteEventStore } from '@squad/event-store';
import { EventStoreModule } from '@squad/event-store/nest';
import type { Environment } from './config/environment';

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
        EventStoreModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) =>
            SqliteEventStore.open({
              path: config.get('SQLITE_PATH', { infer: true }),
              synchronous: config.get('SQLITE_SYNCHRONOUS', { infer: true }),
            }),
        }),
      ],
    };
  }
}
