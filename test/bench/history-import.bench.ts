import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredEvent } from '@squad/event-store';
import { SqliteEventStore } from '@squad/event-store/sqlite';
import { importTransfermarkt, Ledger } from '@squad/reports';
import { CANONICAL_LEDGER_STREAM } from '@squad/domain';
import { openRaw } from './event-store.bench';
import { type Figure, printFigure, printInfo, rssMiB } from './harness';

/** The data set, read in place (the repository is cloned with `../shared` beside it). */
export const TRANSFERMARKT_DATA = join(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'transfermarkt-transfers',
  'data',
);

/** Raw better-sqlite3 inserts of the same events into the same table, one transaction per 1,000, at `FULL` as shipped. */
function rawInserts(path: string, events: readonly StoredEvent[]): number {
  const { db, insertBatch } = openRaw(path, 'FULL');
  const started = performance.now();
  for (let i = 0; i < events.length; i += 1000) insertBatch(CANONICAL_LEDGER_STREAM, events.slice(i, i + 1000));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return events.length / seconds;
}

/**
 * The whole Transfermarkt data set imported as the CLI does (mapping, then the ledger with the
 * SQLite store as shipped), against raw inserts of the events it wrote (issue 18: >= 0.25).
 * One round each: the import takes about 20 s.
 */
export async function benchHistoryImport(): Promise<Figure[]> {
  if (!existsSync(TRANSFERMARKT_DATA)) {
    printInfo('history import', `SKIPPED: no data set at ${TRANSFERMARKT_DATA}`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'squad-bench-history-'));
  try {
    const store = SqliteEventStore.open({ path: join(dir, 'import.db') });
    const started = performance.now();
    const summary = await importTransfermarkt(new Ledger(store), TRANSFERMARKT_DATA);
    const seconds = (performance.now() - started) / 1000;
    const rss = rssMiB();
    const events: StoredEvent[] = [];
    for await (const event of store.readAll()) events.push(event);
    await store.close();
    printInfo(
      'history import',
      `${summary.rowsRead.toLocaleString('en-US')} rows, ${summary.moves.toLocaleString('en-US')} moves, ` +
        `${events.length.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s ` +
        `(${Math.round(summary.moves / seconds).toLocaleString('en-US')} moves/s); RSS after import ${Math.round(rss)} MiB`,
    );
    const ours = events.length / seconds;
    const raw = rawInserts(join(dir, 'raw.db'), events);
    const ratio = ours / raw;
    const figure: Figure = {
      name: 'history import (whole data set, mapping included) vs raw inserts of its events, 1,000 per transaction',
      subject: ours,
      baseline: raw,
      unit: 'events/s',
      ratio,
      target: '>= 0.25',
      met: ratio >= 0.25,
    };
    printFigure(figure);
    return [figure];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
