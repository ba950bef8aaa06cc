import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, runCli as cli, type CliRun } from './server-process';
import { startTestApi } from './test-api';

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
});
