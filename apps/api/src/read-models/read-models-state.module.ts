import { Module } from '@nestjs/common';
import { ReadModels } from './read-models.service';

/**
 * The process's read models, without endpoints: what the read endpoints, live updates, branches
 * and replays all read (kept apart so that branches can use them and the read endpoints can use
 * branches without a cycle).
 */
@Module({
  providers: [ReadModels],
  exports: [ReadModels],
})
export class ReadModelsStateModule {}
