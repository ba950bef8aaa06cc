import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { importReports, Ledger, readSeedReports, parseReport } from '@squad/reports';
import type { Environment } from '../config/environment';

/** An empty store gets the seed reports at start, so a new user sees data at once. */
@Injectable()
export class SeedOnFirstStart implements OnModuleInit {
  private readonly logger = new Logger('seed');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(Ledger) private readonly ledger: Ledger,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  // onModuleInit runs before any bootstrap hook, so the read models start after the seeds are in
  async onModuleInit(): Promise<void> {
    if (!this.config.get('SEED_ON_EMPTY', { infer: true })) return;
    if ((await this.store.headPosition()) !== 0n) return;
    const dir = this.config.get('SEEDS_DIR', { infer: true });
    const summary = await importReports(this.ledger, await readSeedReports(dir), parseReport);
    this.logger.log({ msg: 'loaded the seed reports into the empty store', dir, ...summary });
    if (summary.rejected.length) throw new Error(`seed reports rejected: ${JSON.stringify(summary.rejected)}`);
  }
}
