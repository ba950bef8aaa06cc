import { Module } from '@nestjs/common';
import { HistoriesModule } from '../histories/histories.module';
import { ReadModelsController } from './read-models.controller';

/** The read endpoints: squad depth, targets, outgoing candidates, players and their timelines. */
@Module({
  imports: [HistoriesModule],
  controllers: [ReadModelsController],
})
export class ReadModelsModule {}
