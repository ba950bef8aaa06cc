import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { EventToAppend } from '@squad/event-store';
import { PostgresEventStore } from '@squad/event-store/postgres';
import { applyEvent, emptyReadModel } from '@squad/projections';
import { createFreshDatabase, postgresAvailability, redactUrl, ADMIN_DATABASE_URL } from '../support/postgres';
import { compareThroughput, type Figure, median, printInfo } from './harness';
import { writeSyntheticHistory } from './synthetic-reports';

/** A claim-shaped event, as the service appends them. */
function sampleEvent(n: number): EventToAppend {
  return {
    id: randomUUID(),
    type: 'InterestDeclared',
    data: { club: 'juventus', player: `player-${n % 5000}`, priority: 'top', effectiveOn: '2025-06-17' },
    metadata: {
      reportId: `report-${Math.floor(n / 3)}`,
      source: { name: 'Tuttojuve' },
      publishedOn: '2025-06-17',
      publishedOnApprox: false,
    },
  };
}

/**
 * The PostgreSQL adapter against plain `pg` on the same server in the same run: 100-event batch
 * appends against raw multi-row INSERTs of the same rows into a table of the same shape, and a
 * projection rebuild against a raw SELECT + JSON.parse of the same events (all their columns,
 * as text); the ratio against a SELECT of the two JSON columns alone is printed beside it.
 */
export async function benchPostgres(options: { batches: number; rebuildEvents: number }): Promise<Figure[]> {
  const availability = postgresAvailability();
  if (!availability.reachable) {
    printInfo('PostgreSQL section skipped', `unreachable at ${redactUrl(ADMIN_DATABASE_URL)}: ${availability.reason}`);
    return [];
  }
  const database = await createFreshDatabase('squad_bench');
  const raw = new Client({ connectionString: database.url });
  await raw.connect();
  // rows as the server's text: no type parsing at all
  const rawText = new Client({
    connectionString: database.url,
    types: { getTypeParser: () => (text: string) => text },
  });
  await rawText.connect();
  const figures: Figure[] = [];
  try {
    await raw.query(`CREATE TABLE raw_events (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id uuid NOT NULL UNIQUE, stream text NOT NULL,
      revision bigint NOT NULL, type text NOT NULL, data text NOT NULL, metadata text NOT NULL, recorded_at timestamptz NOT NULL,
      UNIQUE (stream, revision))`);
    const store = await PostgresEventStore.open({ connectionString: database.url, schema: 'bench_store' });
    const batchSize = 100;
    let n = 0;
    const batchOf = () => Array.from({ length: batchSize }, () => sampleEvent(n++));
    let rawRevision = 0;
    figures.push(
      await compareThroughput(
        `PostgreSQL: ${batchSize}-event batch appends vs raw pg multi-row INSERTs`,
        3,
        options.batches * batchSize,
        'events/s',
        0.5,
        async () => {
          const started = process.hrtime.bigint();
          for (let b = 0; b < options.batches; b++) {
            const events = batchOf();
            await raw.query('BEGIN');
            await raw.query(
              `INSERT INTO raw_events (id, stream, revision, type, data, metadata, recorded_at)
               SELECT e.id, 'bench', $1::bigint + e.n - 1, e.type, e.data, e.metadata, now()
               FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS e (id, type, data, metadata, n)`,
              [
                rawRevision,
                events.map((e) => e.id),
                events.map((e) => e.type),
                events.map((e) => JSON.stringify(e.data)),
                events.map((e) => JSON.stringify(e.metadata)),
              ],
            );
            await raw.query('COMMIT');
            rawRevision += batchSize;
          }
          return (options.batches * batchSize) / (Number(process.hrtime.bigint() - started) / 1e9);
        },
        async () => {
          const started = process.hrtime.bigint();
          for (let b = 0; b < options.batches; b++) await store.append(`bench-${b % 10}`, batchOf());
          return (options.batches * batchSize) / (Number(process.hrtime.bigint() - started) / 1e9);
        },
      ),
    );
    await store.close();

    // rebuild: synthetic history in a store of its own
    const history = await PostgresEventStore.open({ connectionString: database.url, schema: 'bench_history' });
    const written = Date.now();
    await writeSyntheticHistory(history, options.rebuildEvents);
    printInfo(
      `wrote ${options.rebuildEvents.toLocaleString('en-US')} synthetic events through the adapter`,
      `${((Date.now() - written) / 1000).toFixed(1)} s`,
    );
    // The baseline reads the same events, every column the adapter reads, in one query, as the
    // server's text (no type parsing at all), and parses their JSON: what any reader of the log
    // pays. Ours adds the conversion to events, the paging and the whole projection fold.
    const rawRebuild = async (sql: string, data: number, metadata: number) => {
      const started = process.hrtime.bigint();
      const { rows } = await rawText.query<string[]>({ text: sql, rowMode: 'array' });
      let count = 0;
      for (const row of rows) if (JSON.parse(row[data]) && JSON.parse(row[metadata])) count++;
      if (count !== options.rebuildEvents) throw new Error(`raw read ${count}`);
      return count / (Number(process.hrtime.bigint() - started) / 1e9);
    };
    const rebuild = await compareThroughput(
      `PostgreSQL: projection rebuild of ${options.rebuildEvents.toLocaleString('en-US')} events vs raw SELECT of the events + JSON.parse`,
      5,
      options.rebuildEvents,
      'events/s',
      0.5,
      () =>
        rawRebuild(
          'SELECT position, id, stream, revision, type, data, metadata, recorded_at FROM bench_history.events ORDER BY position',
          5,
          6,
        ),
      async () => {
        global.gc?.();
        const model = emptyReadModel();
        const started = process.hrtime.bigint();
        for await (const event of history.readAll()) applyEvent(model, event);
        if (model.position !== Number(await history.headPosition())) throw new Error(`rebuilt to ${model.position}`);
        return options.rebuildEvents / (Number(process.hrtime.bigint() - started) / 1e9);
      },
    );
    figures.push(rebuild);
    // For comparison, the leanest read there is: the two JSON columns alone (no type, no position).
    const lean: number[] = [];
    for (let round = 0; round < 3; round++) {
      lean.push(await rawRebuild('SELECT data, metadata FROM bench_history.events ORDER BY position', 0, 1));
    }
    printInfo(
      'PostgreSQL: the same rebuild vs a raw SELECT of data and metadata only + JSON.parse',
      `ratio ${(rebuild.subject / median(lean)).toFixed(2)}; baseline ${Math.round(median(lean)).toLocaleString('en-US')} events/s`,
    );
    await history.close();
  } finally {
    await raw.end();
    await rawText.end();
    await database.drop();
  }
  return figures;
}
