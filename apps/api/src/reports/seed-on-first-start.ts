import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { importReports, Ledger, parseReport, readSeedReports, reportIdOf } from '@squad/reports';
import type { Environment } from '../config/environment';

/**
 * An empty store gets the seed reports at start, so a new user sees data at once. Seeding goes
 * report by report (each is atomic), so a start killed halfway leaves some of them in: a store
 * that holds some seed reports and not all gets the rest at the next start. A store holding
 * none of them and other reports is someone's own history, and is left alone.
 */
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
    const empty = (await this.store.headPosition()) === 0n;
    const dir = this.config.get('SEEDS_DIR', { infer: true });
    const seeds = await readSeedReports(dir);
    if (!empty) {
      await this.ledger.catchUp();
      const present = seeds.filter((seed) => this.ledger.reportHash(reportIdOf(seed.body) ?? '') !== undefined).length;
      if (present === 0 || present === seeds.length) return;
    }
    const summary = await importReports(this.ledger, seeds, parseReport);
    this.logger.log({
      msg: empty
        ? 'loaded the seed reports into the empty store'
        : 'loaded the seed reports an interrupted start left out',
      dir,
      ...summary,
    });
    if (summary.rejected.length) throw new Error(`seed reports rejected: ${JSON.stringify(summary.rejected)}`);
  }
}
