import { Module } from '@nestjs/common';
import { BranchesModule } from '../branches/branches.module';
import { LiveModule } from '../live/live.module';
import { ReadModelsStateModule } from '../read-models/read-models-state.module';
import { ReplaysController } from './replays.controller';
import { Replays } from './replays.service';

@Module({
  imports: [ReadModelsStateModule, BranchesModule, LiveModule],
  controllers: [ReplaysController],
  providers: [Replays],
})
export class ReplaysModule {}
