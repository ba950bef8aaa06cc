import { Module } from '@nestjs/common';
import { ReportsModule } from '@squad/reports';
import { Histories } from './histories.service';
import { RecordReportHandler } from './record-report.command';
import { ReadModels } from './read-models.service';

/**
 * Canonical history and the what-if branches as every feature reads and writes them: the
 * process's read models, the canonical ledger (ReportsModule) and the branches (Histories).
 */
@Module({
  imports: [ReportsModule],
  providers: [ReadModels, Histories, RecordReportHandler],
  exports: [ReadModels, Histories, ReportsModule],
})
export class HistoriesModule {}
