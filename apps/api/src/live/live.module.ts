import { Module } from '@nestjs/common';
import { BranchesModule } from '../branches/branches.module';
import { ReadModelsModule } from '../read-models/read-models.module';
import { LiveController } from './live.controller';
import { LiveUpdates } from './live-updates.service';

@Module({
  imports: [ReadModelsModule, BranchesModule],
  controllers: [LiveController],
  providers: [LiveUpdates],
  // replays count their streams against the same per-client cap
  exports: [LiveUpdates],
})
export class LiveModule {}
