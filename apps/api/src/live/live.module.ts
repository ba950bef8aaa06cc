import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { HistoriesModule } from '../histories/histories.module';
import { LiveController } from './live.controller';
import { LiveUpdates } from './live-updates.service';

/** Live updates of the club documents over Server-Sent Events, canonical and per branch. */
@Module({
  imports: [HistoriesModule, AccessModule],
  controllers: [LiveController],
  providers: [LiveUpdates],
})
export class LiveModule {}
