import { Module } from '@nestjs/common';
import { ReportsModule } from '@squad/reports';
import { ReadModelsStateModule } from '../read-models/read-models-state.module';
import { CreateBranchHandler, DeleteBranchHandler, RecordBranchReportHandler } from './branch.commands';
import { BranchesController } from './branches.controller';
import { Branches } from './branches.service';

@Module({
  imports: [ReportsModule, ReadModelsStateModule],
  controllers: [BranchesController],
  providers: [Branches, CreateBranchHandler, DeleteBranchHandler, RecordBranchReportHandler],
  exports: [Branches],
})
export class BranchesModule {}
