import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SquadClient } from '@squad/client';
import { assertConformance, recordConformanceCount } from './contract/conformance';
import { testClient } from './test-api';
import { CLI, ROOT, startServer } from './server-process';

/** The typed client of a server started by `startServer`, from its "listening" log line. */
// a server in a child process: the client checks each answer against the document
const clientOf = (listening: Record<string, unknown>) => testClient(listening.url as string, { checkAnswers: true });
afterAll(() => {
  recordConformanceCount();
  assertConformance();
});

describe('API server process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squad-process-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on a fresh path, serves /health, logs JSON and stops cleanly on SIGTERM', async () => {
    const sqlitePath = join(dir, 'fresh', 'folder', 'squad.db');
    const server = startServer({ PORT: '0', HOST: '127.0.0.1', SQLITE_PATH: sqlitePath, SEED_ON_EMPTY: 'false' });
    const listening = await server.waitForLog((l) => l.msg === 'squad planner listening');
    expect(existsSync(sqlitePath)).toBe(true);

    const { data, response } = await clientOf(listening).api.GET('/health');
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up' } } });
    await server.waitForLog((l) => l.msg === 'request completed');

    server.child.kill('SIGTERM');
    const exit = await server.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(server.lines.some((l) => l.msg === 'stopped on SIGTERM')).toBe(true);
    for (const line of server.lines)
      expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), service: 'squad-planner' });
  });

  it('refuses to start on invalid configuration and names the variable', async () => {
    const server = startServer({ PORT: 'not-a-port', EVENT_STORE: 'mongodb', SQLITE_PATH: join(dir, 'never.db') });
    const exit = await server.exited;
    expect(exit.code).toBe(1);
    const logged = JSON.parse(exit.stderr.trim()) as { level: string; msg: string };
    expect(logged.level).toBe('fatal');
    expect(logged.msg).toContain('PORT="not-a-port"');
    expect(logged.msg).toContain('EVENT_STORE="mongodb"');
    expect(existsSync(join(dir, 'never.db'))).toBe(false);
  });
});

const run = promisify(execFile);

/** The CLI as `npm run cli` runs it; resolves with its exit code and output. */
async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('seed data and the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squad-seed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function headAfterStart(sqlitePath: string): Promise<unknown> {
    const server = startServer({ PORT: '0', HOST: '127.0.0.1', SQLITE_PATH: sqlitePath, LOG_LEVEL: 'info' });
    const listening = await server.waitForLog((l) => l.msg === 'squad planner listening');
    const { data: health } = await clientOf(listening).api.GET('/health');
    server.child.kill('SIGTERM');
    await server.exited;
    return health?.info.eventStore.headPosition;
  }

  it('loads the seed reports into an empty store at first start, and never again', async () => {
    const sqlitePath = join(dir, 'first-start.db');
    const seeded = await headAfterStart(sqlitePath);
    expect(seeded).toBe(42); // the claims of the ten seed reports
    expect(await headAfterStart(sqlitePath)).toBe(seeded);

    const again = await cli(['seed'], { SQLITE_PATH: sqlitePath });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('recorded: 0\nalready present: 10\nrejected: 0');
  });

  it('finishes seeding that a killed start left halfway, and leaves a store of other reports alone', async () => {
    // the first two seed reports, as a start killed after them leaves the store
    const partial = join(dir, 'partial-seed.db');
    const firstTwo = join(dir, 'first-two-seeds.ndjson');
    const seedFiles = readdirSync(join(ROOT, 'seeds'))
      .filter((file) => file.endsWith('.json'))
      .sort();
    writeFileSync(
      firstTwo,
      seedFiles
        .slice(0, 2)
        .map((file) => JSON.stringify(JSON.parse(readFileSync(join(ROOT, 'seeds', file), 'utf8'))))
        .join('\n'),
    );
    expect((await cli(['import', firstTwo], { SQLITE_PATH: partial })).code).toBe(0);
    const partly = await headAfterStart(partial);
    expect(partly).toBe(42); // all ten seed reports' claims
    expect((await cli(['seed'], { SQLITE_PATH: partial })).stdout).toContain(
      'recorded: 0\nalready present: 10\nrejected: 0',
    );

    // a store seeded before issue 20 (the six reports 00 to 05) gets the four added since at its next start
    const older = join(dir, 'older-seeds.db');
    const firstSix = join(dir, 'first-six-seeds.ndjson');
    writeFileSync(
      firstSix,
      seedFiles
        .filter((file) => file < '06')
        .map((file) => JSON.stringify(JSON.parse(readFileSync(join(ROOT, 'seeds', file), 'utf8'))))
        .join('\n'),
    );
    expect((await cli(['import', firstSix], { SQLITE_PATH: older })).stdout).toContain('recorded: 6\n');
    expect(await headAfterStart(older)).toBe(42);

    const own = join(dir, 'own-reports.db');
    const ownReport = join(dir, 'own-report.ndjson');
    const report = {
      reportId: 'own-1',
      source: { name: 'Test' },
      publishedOn: '2025-06-01',
      claims: [{ type: 'PlayerRegistered', player: 'someone', name: 'Someone', club: 'ajax', position: 'GK' }],
    };
    writeFileSync(ownReport, JSON.stringify(report));
    expect((await cli(['import', ownReport], { SQLITE_PATH: own })).code).toBe(0);
    expect(await headAfterStart(own)).toBe(1);
  });

  it('imports an NDJSON file with a summary of what was recorded, already present and rejected', async () => {
    const sqlitePath = join(dir, 'import.db');
    const file = join(dir, 'reports.ndjson');
    const register = {
      reportId: 'register',
      source: { name: 'Test' },
      publishedOn: '2025-06-01',
      claims: [
        {
          type: 'PlayerRegistered',
          player: 'leonardo-balerdi',
          name: 'Leonardo Balerdi',
          club: 'marseille',
          position: 'CB',
        },
      ],
    };
    writeFileSync(
      file,
      [
        JSON.stringify(register),
        '{"reportId": "broken"',
        JSON.stringify({ ...register, reportId: 'bad-date', publishedOn: '2025-02-30' }),
        JSON.stringify(register),
        '',
      ].join('\n'),
    );

    const result = await cli(['import', file], { SQLITE_PATH: sqlitePath });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('recorded: 1\nalready present: 1\nrejected: 2');
    expect(result.stdout).toContain('line 2:\n    - body: not valid JSON');
    expect(result.stdout).toContain(
      'line 3 (bad-date):\n    - publishedOn: publishedOn must be a calendar date written YYYY-MM-DD',
    );

    const usage = await cli(['import'], { SQLITE_PATH: sqlitePath });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run cli -- import FILE.ndjson | seed');
  });
});

describe('read-model checkpoints and rebuild', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squad-rebuild-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const juventus = { club: 'juventus' };
  /** The answers compared across restarts. */
  const reads = ({ api }: SquadClient) =>
    Promise.all([
      api.GET('/v1/clubs/{club}/squad-depth', { params: { path: juventus, query: { asOf: '2025-06-20' } } }),
      api.GET('/v1/clubs/{club}/squad-depth', {
        params: { path: juventus, query: { asOf: '2025-06-20', knownAt: '2025-06-18' } },
      }),
      api.GET('/v1/clubs/{club}/targets', {
        params: { path: juventus, query: { asOf: '2025-09-10', knownAt: '2025-09-10' } },
      }),
      api.GET('/v1/clubs/{club}/outgoing', { params: { path: juventus, query: { asOf: '2025-06-30' } } }),
      api.GET('/v1/players/{player}', {
        params: { path: { player: 'leonardo-balerdi' }, query: { asOf: '2025-09-10' } },
      }),
      api.GET('/v1/players/{player}/timeline', {
        params: { path: { player: 'daniele-rugani' }, query: { asOf: '2025-12-31' } },
      }),
    ]);

  /** Starts the server, reads every `reads` answer, stops it (which writes the snapshot). */
  async function readAllViews(env: Record<string, string>) {
    const server = startServer({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
    const listening = await server.waitForLog((l) => l.msg === 'squad planner listening');
    const caughtUp = server.lines.find((l) => l.msg === 'read models caught up');
    const answers = (await reads(clientOf(listening))).map((answer) => answer.data ?? answer.error);
    server.child.kill('SIGTERM');
    await server.exited;
    return {
      answers,
      from: caughtUp?.from,
      snapshotWritten: server.lines.some((l) => l.msg === 'read-model snapshot written'),
      damagedWarning: server.lines.find(
        (l) => l.level === 'warn' && String(l.msg).startsWith('read-model snapshot damaged'),
      ),
    };
  }

  it('resumes from its snapshot after a restart, and answers the same after a rebuild or without any snapshot', async () => {
    const env = { SQLITE_PATH: join(dir, 'squad.db'), READ_MODEL_SNAPSHOT_PATH: join(dir, 'read-models.snapshot') };
    const first = await readAllViews(env);
    expect(first.from).toBe('empty');
    expect(first.snapshotWritten).toBe(true);
    expect(first.answers[0]).toMatchObject({ club: 'juventus', storePosition: 42 });

    const restarted = await readAllViews(env);
    expect(restarted.from).toBe('snapshot');
    expect(restarted.answers).toEqual(first.answers);

    const rebuilt = await cli(['rebuild'], env);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toContain('rebuilt read models: 42 events up to position 42');
    const afterRebuild = await readAllViews(env);
    expect(afterRebuild.from).toBe('snapshot');
    expect(afterRebuild.answers).toEqual(first.answers);

    // a byte changed in the middle of the snapshot: said in the log, rebuilt from the store, the same answers
    const snapshot = readFileSync(env.READ_MODEL_SNAPSHOT_PATH);
    snapshot[snapshot.length >> 1] ^= 0x10;
    writeFileSync(env.READ_MODEL_SNAPSHOT_PATH, snapshot);
    const damaged = await readAllViews(env);
    expect(damaged.from).toBe('empty');
    expect(damaged.damagedWarning).toMatchObject({ reason: 'damaged snapshot: checksum mismatch' });
    expect(damaged.answers).toEqual(first.answers);
    expect(damaged.snapshotWritten).toBe(true);
    expect((await readAllViews(env)).from).toBe('snapshot'); // the good one written at shutdown

    rmSync(env.READ_MODEL_SNAPSHOT_PATH);
    const replayed = await readAllViews(env);
    expect(replayed.from).toBe('empty');
    expect(replayed.answers).toEqual(first.answers);
  });
});
