import { serialize } from 'node:v8';
import { applyEvent, emptyReadModel } from '@squad/projections';
import { join } from 'node:path';
import { type StoredEvent } from '@squad/event-store';
import { SqliteEventStore } from '@squad/event-store/sqlite';
import { importReports, Ledger, readSeedReports, parseReport } from '@squad/reports';

describe(applyEvent.name, () => {
  it('ignores redelivered events: applying the log twice changes nothing', async () => {
    const store = SqliteEventStore.open({ path: ':memory:' });
    await importReports(
      new Ledger(store),
      await readSeedReports(join(__dirname, '..', '..', '..', '..', 'seeds')),
      parseReport,
    );
    const log: StoredEvent[] = [];
    for await (const e of store.readAll()) log.push(e);
    await store.close();

    const model = emptyReadModel();
    const changes = log.map((e) => applyEvent(model, e));
    expect(changes.every((c) => c !== undefined)).toBe(true);
    const once = serialize(model);

    expect(log.map((e) => applyEvent(model, e))).toEqual(log.map(() => undefined));
    expect(applyEvent(model, log[10])).toBeUndefined();
    expect(serialize(model).equals(once)).toBe(true);
    expect(model.position).toBe(Number(log[log.length - 1].position));
  });
});
