import { Module } from '@nestjs/common';
import { HistoriesModule } from '../histories/histories.module';
import { CreateBranchHandler, DeleteBranchHandler } from './branch.commands';
import { BranchesController } from './branches.controller';

/** The what-if branches' endpoints: fork, list, delete, and record reports into one. */
@Module({
  imports: [HistoriesModule],
  controllers: [BranchesController],
  providers: [CreateBranchHandler, DeleteBranchHandler],
})
export class BranchesModule {}
