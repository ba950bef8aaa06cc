import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventToAppend } from '@squad/event-store';
import { SqliteEventStore } from '@squad/event-store/sqlite';
import { SQLITE_MIGRATIONS } from '../../libs/event-store/src/sqlite/sqlite-schema';
import { compareThroughput, Figure, printInfo, rssMiB, throughput } from './harness';

/** A payload shaped like the service's events: a claim with its provenance. */
function sampleEvent(n: number): EventToAppend {
  return {
    id: randomUUID(),
    type: 'InterestDeclared',
    data: { club: 'juventus', player: `player-${n % 5000}`, priority: 'top', effectiveOn: '2025-06-17' },
    metadata: {
      reportId: `report-${Math.floor(n / 3)}`,
      source: { name: 'Tuttojuve', url: 'https://www.tuttojuve.com/' },
      publishedOn: '2025-06-17',
      publishedOnApprox: false,
    },
  };
}

/** The raw baseline: the same table and the same rows, straight through better-sqlite3. */
export function openRaw(path: string, synchronous: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(SQLITE_MIGRATIONS.join('\n'));
  const insert = db.prepare(
    'INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const revisions = new Map<string, number>();
  const insertBatch = db.transaction((stream: string, events: EventToAppend[]) => {
    let revision = revisions.get(stream) ?? 0;
    const now = Date.now();
    for (const e of events) {
      insert.run(e.id, stream, revision++, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), now);
    }
    revisions.set(stream, revision);
  });
  return { db, insertBatch };
}

export async function benchEventStore(options: { readAllEvents: number }): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'squad-bench-'));
  let files = 0;
  const freshPath = () => join(dir, `bench-${files++}.db`);
  const figures: Figure[] = [];
  try {
    for (const synchronous of ['NORMAL', 'FULL'] as const) {
      const batches = synchronous === 'FULL' ? 200 : 1000;
      const batchSize = 100;
      const prepared = () =>
        Array.from({ length: batches }, (_, b) =>
          Array.from({ length: batchSize }, (_, i) => sampleEvent(b * batchSize + i)),
        );
      figures.push(
        await compareThroughput(
          `100-event batch appends vs raw inserts in one transaction (synchronous=${synchronous})`,
          3,
          batches * batchSize,
          'events/s',
          0.5,
          async () => {
            const raw = openRaw(freshPath(), synchronous);
            const work = prepared();
            const rate = await throughput(batches * batchSize, () =>
              work.forEach((batch, b) => raw.insertBatch(`stream-${b % 50}`, batch)),
            );
            raw.db.close();
            return rate;
          },
          async () => {
            const store = SqliteEventStore.open({ path: freshPath(), synchronous });
            const work = prepared();
            const rate = await throughput(batches * batchSize, async () => {
              for (let b = 0; b < work.length; b++) await store.append(`stream-${b % 50}`, work[b]);
            });
            await store.close();
            return rate;
          },
        ),
      );

      const singles = synchronous === 'FULL' ? 1000 : 20_000;
      const singleEvents = () => Array.from({ length: singles }, (_, n) => sampleEvent(n));
      figures.push(
        await compareThroughput(
          `single-event appends vs raw single-row insert transactions (synchronous=${synchronous})`,
          3,
          singles,
          'events/s',
          0.5,
          async () => {
            const raw = openRaw(freshPath(), synchronous);
            const work = singleEvents();
            const rate = await throughput(singles, () =>
              work.forEach((e, n) => raw.insertBatch(`stream-${n % 50}`, [e])),
            );
            raw.db.close();
            return rate;
          },
          async () => {
            const store = SqliteEventStore.open({ path: freshPath(), synchronous });
            const work = singleEvents();
            const rate = await throughput(singles, async () => {
              for (let n = 0; n < work.length; n++) await store.append(`stream-${n % 50}`, [work[n]]);
            });
            await store.close();
            return rate;
          },
        ),
      );
    }

    // readAll over a large store, against a raw SELECT plus JSON.parse of the same rows.
    const path = freshPath();
    const loader = SqliteEventStore.open({ path, synchronous: 'NORMAL' });
    const loadStart = process.hrtime.bigint();
    for (let n = 0; n < options.readAllEvents; n += 1000) {
      await loader.append(
        `club-${(n / 1000) % 200}`,
        Array.from({ length: Math.min(1000, options.readAllEvents - n) }, (_, i) => sampleEvent(n + i)),
      );
    }
    await loader.close();
    printInfo(
      `loaded ${options.readAllEvents.toLocaleString('en-US')} events through the port`,
      `${(Number(process.hrtime.bigint() - loadStart) / 1e9).toFixed(1)} s; RSS ${rssMiB().toFixed(0)} MiB`,
    );
    const reader = SqliteEventStore.open({ path });
    const raw = new Database(path, { readonly: true });
    const rawSelect = raw
      .prepare('SELECT position, id, stream, revision, type, data, metadata, recorded_at FROM events ORDER BY position')
      .raw();
    let checksum = 0;
    figures.push(
      await compareThroughput(
        `readAll of ${options.readAllEvents.toLocaleString('en-US')} events vs raw SELECT + JSON.parse`,
        3,
        options.readAllEvents,
        'events/s',
        0.5,
        async () =>
          throughput(options.readAllEvents, () => {
            let count = 0;
            for (const row of rawSelect.iterate() as Iterable<unknown[]>) {
              const data = JSON.parse(row[5] as string);
              const metadata = JSON.parse(row[6] as string);
              if (data && metadata) count++;
            }
            if (count !== options.readAllEvents) throw new Error(`raw read ${count} rows`);
          }),
        async () =>
          throughput(options.readAllEvents, async () => {
            let count = 0;
            for await (const e of reader.readAll()) {
              if (e.data && e.metadata) count++;
            }
            checksum += count;
            if (count !== options.readAllEvents) throw new Error(`readAll read ${count} events`);
          }),
      ),
    );
    printInfo('RSS after reading', `${rssMiB().toFixed(0)} MiB (checksum ${checksum})`);
    raw.close();
    await reader.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
