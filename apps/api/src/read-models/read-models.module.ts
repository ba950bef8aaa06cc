import { Module } from '@nestjs/common';
import { ReadModelsController } from './read-models.controller';
import { ReadModels } from './read-models.service';

@Module({
  controllers: [ReadModelsController],
  providers: [ReadModels],
  exports: [ReadModels],
})
export class ReadModelsModule {}
