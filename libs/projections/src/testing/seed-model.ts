import { join } from 'node:path';
import { SqliteEventStore } from '@squad/event-store/sqlite';
import { applyEvent, emptyReadModel, type SquadReadModel } from '@squad/projections';
import { importReports, Ledger, readSeedReports, parseReport } from '@squad/reports';

/** The read model of the seed reports, recorded the real way (ledger into a store). */
export async function seedReadModel(): Promise<SquadReadModel> {
  const store = SqliteEventStore.open({ path: ':memory:' });
  try {
    const summary = await importReports(
      new Ledger(store),
      await readSeedReports(join(__dirname, '..', '..', '..', '..', 'seeds')),
      parseReport,
    );
    if (summary.rejected.length) throw new Error(JSON.stringify(summary.rejected));
    const model = emptyReadModel();
    for await (const event of store.readAll()) applyEvent(model, event);
    return model;
  } finally {
    await store.close();
  }
}
