import { Module } from '@nestjs/common';
import { ReportsModule } from '@squad/reports';
import { BranchesModule } from '../branches/branches.module';
import { EventsController } from './events.controller';
import { RecordReportHandler } from './record-report.command';
import { ReportsController } from './reports.controller';
import { SeedOnFirstStart } from './seed-on-first-start';

@Module({
  imports: [ReportsModule, BranchesModule],
  controllers: [ReportsController, EventsController],
  providers: [RecordReportHandler, SeedOnFirstStart],
})
export class ReportsHttpModule {}
