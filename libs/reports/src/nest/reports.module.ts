import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { Ledger } from '../ledger/ledger';

/** The write side of reports: the canonical ledger, folded before the app takes requests. */
@Module({
  providers: [{ provide: Ledger, inject: [EVENT_STORE], useFactory: (store: EventStore) => new Ledger(store) }],
  exports: [Ledger],
})
export class ReportsModule implements OnApplicationBootstrap {
  constructor(@Inject(Ledger) private readonly ledger: Ledger) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ledger.catchUp();
  }
}
