import { Module } from '@nestjs/common';
import { HistoriesModule } from '../histories/histories.module';
import { EventsController } from './events.controller';
import { ReportsController } from './reports.controller';
import { SeedOnFirstStart } from './seed-on-first-start';

/** Reports in: POST /v1/reports (and the batch), GET /v1/events, and the seed reports at first start. */
@Module({
  imports: [HistoriesModule],
  controllers: [ReportsController, EventsController],
  providers: [SeedOnFirstStart],
})
export class ReportsHttpModule {}
