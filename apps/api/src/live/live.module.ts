import { Module } from '@nestjs/common';
import { BranchesModule } from '../branches/branches.module';
import { ReadModelsModule } from '../read-models/read-models.module';
import { LiveController } from './live.controller';
import { LiveUpdates } from './live-updates.service';

@Module({
  imports: [ReadModelsModule, BranchesModule],
  controllers: [LiveController],
  providers: [LiveUpdates],
})
export class LiveModule {}
