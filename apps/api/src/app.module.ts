import { DynamicModule, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AccessModule } from './access/access.module';
import { BranchesModule } from './branches/branches.module';
import type { Environment } from './config/environment';
import { CoreModule } from './core.module';
import { HealthModule } from './health/health.module';
import { LiveModule } from './live/live.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { ReportsHttpModule } from './reports/reports-http.module';
import { ReplaysModule } from './replays/replays.module';

@Module({})
export class AppModule implements OnApplicationShutdown {
  private readonly logger = new Logger('lifecycle');

  static forRoot(env: Environment): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(env),
        AccessModule,
        HealthModule,
        ReportsHttpModule,
        ReadModelsModule,
        BranchesModule,
        LiveModule,
        ReplaysModule,
      ],
    };
  }

  /** Runs after the HTTP server has drained and the event store has closed. */
  onApplicationShutdown(signal?: string): void {
    this.logger.log(`stopped${signal ? ` on ${signal}` : ''}`);
  }
}
