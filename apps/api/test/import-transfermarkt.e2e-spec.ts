import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, runCli as cli, type CliRun } from './server-process';
import type { ReplayMessage } from '@squad/client';
import { startTestApi } from './test-api';
import { daysOf, documentOf, restDocument, TypedStream } from './typed-stream';

/**
 * `npm run cli -- import-transfermarkt` on the whole data set, read in place from
 * `../shared/data/transfermarkt-transfers/` (never copied into the repository), into a store
 * that already holds the 2025 seed reports: one world, thirty seasons before the seeds.
 */
const DATA = join(ROOT, '..', 'shared', 'data', 'transfermarkt-transfers', 'data');
const HAS_DATA = existsSync(DATA);
const IN_CI = process.env.CI === 'true';
if (!HAS_DATA && !IN_CI) {
  process.stderr.write(`\n*** Transfermarkt import test SKIPPED: no data set at ${DATA} ***\n\n`);
}
const describeWithData = HAS_DATA || IN_CI ? describe : describe.skip;

const figure = (stdout: string, label: string): number => {
  const match = new RegExp(`^${label}: (\\d+)`, 'm').exec(stdout);
  if (!match) throw new Error(`no "${label}" in the summary:\n${stdout}`);
  return Number(match[1]);
};

/** Events in the SQLite store, read by another connection as an operator would. */
function eventCount(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describeWithData('npm run cli -- import-transfermarkt (the whole data set)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squad-tm-'));
  const sqlitePath = join(dir, 'squad.db');
  const env = { SQLITE_PATH: sqlitePath, READ_MODEL_SNAPSHOT_PATH: 'none' };
  let first: CliRun;

  beforeAll(async () => {
    // the seed reports first, as a fresh service would have them
    expect((await cli(['seed'], env)).code).toBe(0);
    // killed with kill -9 once it has recorded part of the history...
    const seeded = eventCount(sqlitePath);
    let poll: NodeJS.Timeout | undefined;
    const killed = await cli(['import-transfermarkt', DATA], env, (pid) => {
      poll = setInterval(() => {
        if (eventCount(sqlitePath) > seeded + 10_000) {
          clearInterval(poll);
          process.kill(pid, 'SIGKILL');
        }
      }, 20);
    });
    clearInterval(poll); // when it finished before the kill (the assertion below then says so)
    expect(killed.signal).toBe('SIGKILL');
    // ...and run again: it finishes the rest
    first = await cli(['import-transfermarkt', DATA, '--anomalies', join(dir, 'anomalies.json')], env);
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finishes after a kill -9 with nothing twice, and a third run records nothing', async () => {
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const moves = figure(first.stdout, 'moves');
    // the data set's README says 134,437 rows for 1992-2021; the files hold 138,420 data records
    expect(figure(first.stdout, 'rows read')).toBe(138_420);
    expect(moves).toBeGreaterThan(100_000);
    expect(figure(first.stdout, 'refused')).toBe(0);
    // part was recorded before the kill, the rest now: every move once
    const alreadyPresent = figure(first.stdout, 'already present');
    expect(alreadyPresent).toBeGreaterThan(0);
    expect(figure(first.stdout, 'recorded') + alreadyPresent).toBe(moves);
    const events = eventCount(sqlitePath);

    const again = await cli(['import-transfermarkt', DATA], env);
    expect(figure(again.stdout, 'recorded')).toBe(0);
    expect(figure(again.stdout, 'already present')).toBe(moves);
    expect(eventCount(sqlitePath)).toBe(events);

    // every anomaly is listed with its file, line, kind and reason
    const listed = JSON.parse(readFileSync(join(dir, 'anomalies.json'), 'utf8')) as {
      anomalies: { file: string; line: number; kind: string; reason: string }[];
    };
    expect(listed.anomalies.length).toBe(figure(first.stdout, 'anomalies'));
    expect(listed.anomalies[0]).toEqual({
      file: expect.stringMatching(/^\d{4}\/[a-z0-9-]+\.csv$/),
      line: expect.any(Number),
      kind: expect.any(String),
      reason: expect.any(String),
      disposition: expect.stringMatching(/^(recorded|refused)$/),
    });
  }, 600_000);

  it('answers as a new user expects: Juventus on 2018-09-15, Balerdi and Rugani in one history with the seeds', async () => {
    const api = await startTestApi({ SQLITE_PATH: sqlitePath, READ_MODEL_SNAPSHOT_PATH: 'none' });
    try {
      const { data: depth } = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
        params: { path: { club: 'juventus' }, query: { asOf: '2018-09-15' } },
      });
      const squad = depth!.positions.flatMap((position) => position.players.map((p) => p.player));
      expect(squad).toEqual(
        expect.arrayContaining(['cristiano-ronaldo', 'leonardo-bonucci', 'mattia-perin', 'giorgio-chiellini']),
      );
      expect(squad).not.toContain('gianluigi-buffon'); // gone to Paris that summer
      for (const group of depth!.groups)
        expect({ group: group.group, registered: group.registered > 0 }).toEqual({
          group: group.group,
          registered: true,
        });

      const { data: balerdi } = await api.client.api.GET('/v1/players/{player}/timeline', {
        params: { path: { player: 'leonardo-balerdi' } },
      });
      const moves = balerdi!.timeline
        .filter((entry) => ['TransferCompleted', 'LoanDeparted'].includes(entry.type))
        .map((entry) => `${entry.effectiveOn} ${entry.type} ${JSON.stringify(entry.details)}`);
      expect(moves[0]).toMatch(
        /^2019-01-02 TransferCompleted .*"fromClub":"boca-juniors".*"toClub":"borussia-dortmund"/,
      );
      expect(moves[1]).toMatch(/^2020-07-01 LoanDeparted .*"toClub":"marseille"/);
      // the dates are the windows' conventional days, and say so
      expect(balerdi!.timeline.find((entry) => entry.effectiveOn === '2019-01-02')?.effectiveOnApprox).toBe(true);
      // and the 2025 pursuit of the seed reports follows, in the same history
      expect(
        balerdi!.timeline.some((entry) => entry.type === 'TalksRefused' && entry.effectiveOn >= '2025-06-01'),
      ).toBe(true);

      const { data: rugani } = await api.client.api.GET('/v1/players/{player}/timeline', {
        params: { path: { player: 'daniele-rugani' } },
      });
      const ruganiMoves = rugani!.timeline.filter((entry) => entry.type === 'TransferCompleted');
      expect(ruganiMoves[0]).toMatchObject({ details: { fromClub: 'empoli', toClub: 'juventus' } });
      expect(rugani!.timeline.filter((entry) => entry.type === 'LoanDeparted').length).toBeGreaterThanOrEqual(2);
    } finally {
      await api.close(true);
    }
  }, 120_000);

  it('finds imported clubs and players by any of their names, and cites the rows behind a move', async () => {
    const api = await startTestApi({ SQLITE_PATH: sqlitePath, READ_MODEL_SNAPSHOT_PATH: 'none' });
    try {
      const clubs = async (search: string) =>
        (await api.client.api.GET('/v1/clubs', { params: { query: { search, limit: 5 } } })).data!;
      const juve = await clubs('juve');
      expect(juve.clubs[0]).toBe('juventus');
      expect([juve.matches![0].name, ...juve.matches![0].aliases]).toEqual(
        expect.arrayContaining(['Juventus FC', 'Juventus']),
      );
      expect((await clubs('bor dortmund')).clubs[0]).toBe('borussia-dortmund');
      expect((await clubs('atletico madrid')).clubs[0]).toBe('atletico-madrid');
      expect((await clubs('olympique marseille')).clubs[0]).toBe('marseille');
      const juventus = await api.client.api.GET('/v1/clubs/{club}', { params: { path: { club: 'juventus' } } });
      expect(juventus.data).toMatchObject({ club: 'juventus', country: 'Italy' });

      const players = await api.client.api.GET('/v1/players', { params: { query: { search: 'ronaldo', limit: 50 } } });
      expect(players.data!.players.map((p) => p.player)).toContain('cristiano-ronaldo');
      const cancelo = await api.client.api.GET('/v1/players', { params: { query: { search: 'Joao Cancelo' } } });
      expect(cancelo.data!.players[0]).toMatchObject({ player: 'joao-cancelo', name: 'João Cancelo' });

      // a move cites the rows it was read from: Boca Juniors' files are not in the data set, so one row
      const { data: balerdi } = await api.client.api.GET('/v1/players/{player}/timeline', {
        params: { path: { player: 'leonardo-balerdi' } },
      });
      const toDortmund = balerdi!.timeline.find((entry) => entry.type === 'TransferCompleted');
      expect(toDortmund?.evidence).toEqual([expect.stringMatching(/^2018\/1-bundesliga\.csv:\d+$/)]);
      // Bonucci's return from Milan in 2018 is one move seen from both clubs: both rows, the buyer's first
      const { data: bonucci } = await api.client.api.GET('/v1/players/{player}/timeline', {
        params: { path: { player: 'leonardo-bonucci' } },
      });
      const back = bonucci!.timeline.find(
        (entry) => entry.type === 'TransferCompleted' && entry.effectiveOn === '2018-07-01',
      );
      expect(back?.evidence).toEqual([
        expect.stringMatching(/^2018\/serie-a\.csv:\d+$/),
        expect.stringMatching(/^2018\/serie-a\.csv:\d+$/),
      ]);
    } finally {
      await api.close(true);
    }
  }, 120_000);

  it('replays the summer 2018 window for Juventus: Ronaldo arrives and Buffon leaves on their day', async () => {
    const api = await startTestApi({ SQLITE_PATH: sqlitePath, READ_MODEL_SNAPSHOT_PATH: 'none' });
    try {
      const created = await api.client.api.POST('/v1/replays', {
        body: { from: '2018-06-25', to: '2018-07-10', club: 'juventus' },
      });
      expect(created.response.status).toBe(201);
      const stream = await TypedStream.open<ReplayMessage>((options) =>
        api.client.replay(created.data!.id, {}, options),
      );
      try {
        await stream.until('the end', () => stream.messages.some((m) => m.event === 'end'), 120_000);
        const days = daysOf(stream);
        const july1 = days.find((message) => message.id === '2018-07-01');
        const claims = july1!.data.reports.flatMap((report) => report.claims);
        expect(claims).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ type: 'TransferCompleted', player: 'cristiano-ronaldo', toClub: 'juventus' }),
            expect.objectContaining({ type: 'TransferCompleted', player: 'gianluigi-buffon', fromClub: 'juventus' }),
          ]),
        );
        const depth = documentOf(july1!.data.changes, 'squad-depth');
        const squad = depth!.positions.flatMap((position) => position.players.map((p) => p.player));
        expect(squad).toContain('cristiano-ronaldo');
        expect(squad).not.toContain('gianluigi-buffon');
        // the day before, the other way round
        const before = await restDocument(api.client.api, 'squad-depth', 'juventus', {
          asOf: '2018-06-30',
          knownAt: '2018-06-30',
        });
        const squadBefore = (before as typeof depth)!.positions.flatMap((position) =>
          position.players.map((p) => p.player),
        );
        expect(squadBefore).toContain('gianluigi-buffon');
        expect(squadBefore).not.toContain('cristiano-ronaldo');
        // only the day's reports about Juventus or its players, not the thousands of every club
        const aboutJuventus = (claim: Record<string, unknown>) =>
          Object.values(claim).includes('juventus') ||
          squad.includes(claim.player as string) ||
          squadBefore.includes(claim.player as string);
        expect(july1!.data.reports.length).toBeGreaterThan(1);
        for (const report of july1!.data.reports) {
          expect({ report: report.reportId, aboutJuventus: report.claims.some(aboutJuventus) }).toEqual({
            report: report.reportId,
            aboutJuventus: true,
          });
        }
      } finally {
        stream.close();
      }

      // and the CLI replay tells the same day
      const cliReplay = await cli(['replay', '--from', '2018-06-30', '--to', '2018-07-01', '--club', 'juventus'], env);
      expect(cliReplay.code).toBe(0);
      const day = cliReplay.stdout.split('── ').find((part) => part.startsWith('2018-07-01'));
      expect(day).toMatch(/^\s+Transfermarkt: tm-2018-summer-cristiano-ronaldo-[0-9a-f]+ \(\d claims?\)$/m);
      expect(day).toMatch(/^\s+Transfermarkt: tm-2018-summer-gianluigi-buffon-[0-9a-f]+ \(\d claims?\)$/m);
    } finally {
      await api.close(true);
    }
  }, 300_000);
});
