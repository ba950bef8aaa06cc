import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { HistoriesModule } from '../histories/histories.module';
import { ReplaysController } from './replays.controller';
import { Replays } from './replays.service';

/** Replays of a window of record time for simulation games, day by day, over Server-Sent Events. */
@Module({
  imports: [HistoriesModule, AccessModule],
  controllers: [ReplaysController],
  providers: [Replays],
})
export class ReplaysModule {}
