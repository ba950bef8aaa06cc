import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { applyEvent, clocksOf, emptyReadModel, playerAt, type SquadReadModel } from '@squad/projections';
import { SqliteEventStore } from '@squad/event-store/sqlite';
import { Ledger } from '../ledger/ledger';
import { importTransfermarkt } from './import-transfermarkt';
import { csv, type FixtureRow, line } from './transfermarkt/testing/fixtures';

/**
 * Loans the data set tells only in part, imported through the ledger into a real SQLite store
 * and read back by the read model: where is the player, season by season?
 */
describe('importTransfermarkt: loans told in part', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'squad-tm-loans-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function imported(files: Record<string, readonly FixtureRow[]>): Promise<SquadReadModel> {
    for (const [file, rows] of Object.entries(files)) {
      const path = join(dir, 'data', file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, csv(...rows.map((row) => line(`data/${file}`, row))));
    }
    const store = SqliteEventStore.open({ path: join(dir, 'store.db') });
    try {
      const summary = await importTransfermarkt(new Ledger(store), join(dir, 'data'));
      expect(summary.refused).toEqual([]);
      const model = emptyReadModel('ledger-main');
      for await (const event of store.readAll()) applyEvent(model, event);
      return model;
    } finally {
      await store.close();
    }
  }
  const clubOn = (model: SquadReadModel, player: string, day: string) => {
    const view = playerAt(model, player, clocksOf({ asOf: day }));
    return { day, club: view?.club ?? null, loanedTo: view?.loan?.toClub ?? null };
  };

  it('first seen leaving on loan: he belongs to the lender, and returns there', async () => {
    const model = await imported({
      '2017/serie-a.csv': [
        { club: 'Juventus FC', name: 'A One', movement: 'out', dealing: 'Empoli', fee: '0.0', loan: 'free loan' },
        { club: 'FC Empoli', name: 'A One', movement: 'in', dealing: 'Juventus', fee: '0.0', loan: 'free loan' },
      ],
      '2018/serie-a.csv': [
        { club: 'FC Empoli', name: 'A One', movement: 'out', dealing: 'Juventus', fee: '0.0', loan: 'end of loan' },
        { club: 'Juventus FC', name: 'A One', movement: 'in', dealing: 'Empoli', fee: '0.0', loan: 'end of loan' },
      ],
    });
    expect([clubOn(model, 'a-one', '2017-08-01'), clubOn(model, 'a-one', '2018-08-01')]).toEqual([
      { day: '2017-08-01', club: 'juventus', loanedTo: 'empoli' },
      { day: '2018-08-01', club: 'juventus', loanedTo: null },
    ]);
  });

  it('on loan at a club the data does not name: away from the lender, and back at its end', async () => {
    const model = await imported({
      // a year older each season, so the rows are one player (born in 1991)
      '2016/serie-a.csv': [
        { club: 'Juventus FC', name: 'B Two', age: 25, movement: 'in', dealing: 'Torino', fee: '1000000.0' },
      ],
      '2017/serie-a.csv': [
        {
          club: 'Juventus FC',
          name: 'B Two',
          age: 26,
          movement: 'out',
          dealing: 'Unknown',
          fee: '0.0',
          loan: 'free loan',
        },
      ],
      '2018/serie-a.csv': [
        {
          club: 'Juventus FC',
          name: 'B Two',
          age: 27,
          movement: 'in',
          dealing: 'Unknown',
          fee: '0.0',
          loan: 'end of loan',
        },
      ],
    });
    expect(['2016-08-01', '2017-08-01', '2018-08-01'].map((day) => clubOn(model, 'b-two', day))).toEqual([
      { day: '2016-08-01', club: 'juventus', loanedTo: null },
      { day: '2017-08-01', club: null, loanedTo: null },
      { day: '2018-08-01', club: 'juventus', loanedTo: null },
    ]);
  });
});
