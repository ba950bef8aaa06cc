import { DynamicModule, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { SqliteEventStore } from '@squad/event-store';
import { EventStoreModule } from '@squad/event-store/nest';
import type { Environment } from './config/environment';
import { HealthModule } from './health/health.module';

@Module({})
export class AppModule implements OnApplicationShutdown {
  private readonly logger = new Logger('lifecycle');

  /** Runs after the HTTP server has drained and the event store has closed. */
  onApplicationShutdown(signal?: string): void {
    this.logger.log(`stopped${signal ? ` on ${signal}` : ''}`);
  }

  /**
   * `env` is the validated configuration (see `validateEnvironment`); it is the only source the
   * ConfigService reads, so a test's settings never leak through `process.env`.
   */
  static forRoot(env: Environment): DynamicModule {
    return {
      module: AppModule,
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
        HealthModule,
      ],
    };
  }
}
