import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '@squad/domain';
import type { StoredEvent } from '@squad/event-store';
import { SqliteEventStore } from '@squad/event-store/sqlite';
import { Ledger } from '../ledger/ledger';
import { importTransfermarkt, TransfermarktImportStoppedError } from './import-transfermarkt';

/** The data set, read in place: the repository is cloned with `../shared` beside it. */
const DATA = join(__dirname, '../../../../../shared/data/transfermarkt-transfers/data');
/** One league and season: about a thousand moves, a few seconds. */
const SERIE_A_2018 = { leagues: ['serie-a'], seasons: { from: 2018, to: 2018 } };

async function eventsOf(path: string): Promise<StoredEvent[]> {
  const store = SqliteEventStore.open({ path });
  const events: StoredEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  await store.close();
  return events;
}

// each import maps the whole directory (identity is built from every file): seconds, more on a busy machine
jest.setTimeout(180_000);

describe('importTransfermarkt, Serie A 2018 into a real SQLite store', () => {
  let dir: string;
  beforeAll(() => expect(existsSync(DATA)).toBe(true));
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'squad-tm-import-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("introduces each club by its names before its first move, and cites each move's rows", async () => {
    const path = join(dir, 'store.db');
    const store = SqliteEventStore.open({ path });
    const summary = await importTransfermarkt(new Ledger(store), DATA, { filter: SERIE_A_2018 });
    await store.close();
    expect(summary.refused).toEqual([]);
    expect(summary.clubProfilesRecorded).toBe(summary.clubs);

    const events = await eventsOf(path);
    const juventus = events.find(
      (e) => e.type === 'ClubProfileReported' && (e.data as { club: string }).club === 'juventus',
    );
    expect(juventus?.data).toMatchObject({ club: 'juventus', country: 'Italy', effectiveOnApprox: true });
    const names = [
      (juventus!.data as { name: string }).name,
      ...((juventus!.data as { aliases?: string[] }).aliases ?? []),
    ];
    expect(names).toEqual(expect.arrayContaining(['Juventus FC', 'Juventus']));
    // every club a move names was introduced at an earlier position
    const introduced = new Map<string, bigint>();
    for (const event of events) {
      const data = event.data as Record<string, unknown>;
      if (event.type === 'ClubProfileReported') introduced.set(data.club as string, event.position);
      for (const field of ['fromClub', 'toClub', 'club']) {
        const club = data[field];
        if (typeof club !== 'string' || event.type === 'ClubProfileReported') continue;
        expect({ club, before: (introduced.get(club) ?? event.position + 1n) < event.position }).toEqual({
          club,
          before: true,
        });
      }
    }
    // a move's first event carries its evidence: the rows, file and line
    const ronaldo = events.find(
      (e) => e.type === 'TransferCompleted' && (e.data as { player: string }).player === 'cristiano-ronaldo',
    );
    const first = events.find(
      (e) => (e.metadata as { reportId: string }).reportId === (ronaldo!.metadata as { reportId: string }).reportId,
    );
    // both sides' rows, the buyer's first: Juventus' in row, then Real Madrid's out row
    expect((first!.metadata as { evidence?: string[] }).evidence).toEqual([
      expect.stringMatching(/^2018\/serie-a\.csv:\d+$/),
      expect.stringMatching(/^2018\/laliga\.csv:\d+$/),
    ]);
  });

  it('keeps each append under its byte bound', async () => {
    const store = SqliteEventStore.open({ path: join(dir, 'store.db') });
    const ledger = new Ledger(store);
    const sizes: number[] = [];
    const recordBatch = ledger.recordBatch.bind(ledger);
    ledger.recordBatch = (reports: readonly Report[]) => {
      sizes.push(reports.reduce((bytes, report) => bytes + JSON.stringify(report).length, 0));
      return recordBatch(reports);
    };
    const summary = await importTransfermarkt(ledger, DATA, { filter: SERIE_A_2018, batchBytes: 64 * 1024 });
    await store.close();
    expect(summary.recorded).toBe(summary.moves);
    expect(sizes.length).toBeGreaterThan(summary.moves / 500);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
  });

  it('stops with what it recorded when the store fails partway, and a second run records the rest', async () => {
    const path = join(dir, 'store.db');
    const store = SqliteEventStore.open({ path });
    let stopped: TransfermarktImportStoppedError | undefined;
    try {
      await importTransfermarkt(new Ledger(store), DATA, {
        filter: SERIE_A_2018,
        batchSize: 100,
        // the store goes away after the first batch, as a disk or a server would
        onProgress: () => void store.close(),
      });
    } catch (error) {
      stopped = error as TransfermarktImportStoppedError;
    }
    expect(stopped).toBeInstanceOf(TransfermarktImportStoppedError);
    const partial = stopped!.summary;
    expect(partial.recorded).toBeGreaterThan(0);
    expect(partial.recorded).toBeLessThan(partial.moves);
    expect(stopped!.message).toContain(`stopped after ${partial.recorded} of ${partial.moves} moves`);

    const reopened = SqliteEventStore.open({ path });
    const rest = await importTransfermarkt(new Ledger(reopened), DATA, { filter: SERIE_A_2018 });
    await reopened.close();
    expect(rest.alreadyPresent).toBe(partial.recorded);
    expect(rest.recorded + rest.alreadyPresent).toBe(rest.moves);
  });
});
