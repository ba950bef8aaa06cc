import { Module } from '@nestjs/common';
import { ReadModelsModule } from '../read-models/read-models.module';
import { LiveController } from './live.controller';
import { LiveUpdates } from './live-updates.service';

@Module({
  imports: [ReadModelsModule],
  controllers: [LiveController],
  providers: [LiveUpdates],
})
export class LiveModule {}
