import { Module } from '@nestjs/common';
import { BranchesModule } from '../branches/branches.module';
import { ReadModelsController } from './read-models.controller';
import { ReadModelsStateModule } from './read-models-state.module';

@Module({
  imports: [ReadModelsStateModule, BranchesModule],
  controllers: [ReadModelsController],
  exports: [ReadModelsStateModule],
})
export class ReadModelsModule {}
