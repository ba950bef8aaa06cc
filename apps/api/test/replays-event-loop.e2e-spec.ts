import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { paths, Report, SquadClient } from '@squad/client';
import { fromDay, toDay } from '@squad/projections';
import { MAX_CLUBS_PER_REPLAY } from '../src/replays/replay-input';
import { assertConformance, recordConformanceCount } from './contract/conformance';
import { startServer, type Started } from './server-process';
import { testClient } from './test-api';

type NewReplay = paths['/v1/replays']['post']['requestBody']['content']['application/json'];

/** The 50 clubs a wide replay follows (the most a replay may follow). */
const CLUBS = Array.from({ length: MAX_CLUBS_PER_REPLAY }, (_, i) => `loop-club-${String(i).padStart(2, '0')}`);
const FIRST_DAY = '2000-01-01';
/** Days with news at full speed: one report a day, each club bidding for another's player. */
const NEWS_DAYS = 200;
/**
 * How long /health/live may wait for the server's own work while a replay runs. Replays are cut
 * into slices of a few milliseconds; this is generous (GC pauses, the server's other work), and
 * far below the seconds a replay held the loop before the fix.
 */
const STALL_BOUND_MS = 200;

/**
 * How long a process's main thread (its event loop) has run on a CPU, in ms: Linux's schedstat,
 * to the nanosecond; undefined elsewhere. A request that waits while the loop is held waits for
 * this thread's work; on a shared machine it also waits while the OS runs other processes, which
 * no code of ours can prevent. So a request's stall is counted as the time the server's loop ran
 * while it waited (its wall time where schedstat is missing).
 *
 * The server runs in a process of its own (the built API, as `npm start` runs it): in-process, the
 * loop would also run this test's client and whatever the Jest worker kept from earlier test
 * files (in CI, a 400 ms garbage collection of another suite's heap was counted as a stall).
 */
function loopCpuMs(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/**
 * Replays share the event loop with every other request of the process: however fast or wide a
 * replay is, it must hand the loop back every few milliseconds (issue 21, item 4).
 */
describe('replays and the event loop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squad-replay-loop-'));
  let server: Started;
  let url: string;
  let client: SquadClient;
  const open: ClientRequest[] = [];

  beforeAll(async () => {
    server = startServer({
      PORT: '0',
      HOST: '127.0.0.1',
      SQLITE_PATH: join(dir, 'squad.db'),
      SEED_ON_EMPTY: 'false',
      LIVE_HEARTBEAT_MS: '60000',
    });
    url = (await server.waitForLog((line) => line.msg === 'squad planner listening')).url as string;
    client = testClient(url, { checkAnswers: true });
    // every club with a squad of five, registered on the first day
    const squads: Report[] = CLUBS.map((club) => ({
      reportId: `squad-${club}`,
      source: { name: 'Squad lists' },
      publishedOn: FIRST_DAY,
      claims: Array.from({ length: 5 }, (_, n) => ({
        type: 'PlayerRegistered' as const,
        player: `${club}-player-${n}`,
        name: `Player ${n} of ${club}`,
        club,
        position: (['GK', 'CB', 'CM', 'LW', 'ST'] as const)[n],
      })),
    }));
    // then news every day: club i declares interest in a player of club i+1 (so two clubs' documents change a day)
    const news: Report[] = Array.from({ length: NEWS_DAYS }, (_, i) => ({
      reportId: `news-${i}`,
      source: { name: 'Daily rumours' },
      publishedOn: fromDay(toDay(FIRST_DAY) + 1 + i),
      claims: [
        {
          type: 'InterestDeclared' as const,
          club: CLUBS[i % CLUBS.length],
          player: `${CLUBS[(i + 1) % CLUBS.length]}-player-${i % 5}`,
          priority: 'medium' as const,
        },
      ],
    }));
    const reports = [...squads, ...news];
    let head = 0;
    for (let i = 0; i < reports.length; i += 1000) {
      const batch = await client.api.POST('/v1/reports:batch', { body: { reports: reports.slice(i, i + 1000) } });
      expect(batch.data?.summary.recorded).toBe(Math.min(1000, reports.length - i));
      for (const result of batch.data?.results ?? [])
        if ('storePosition' in result && result.storePosition !== null) head = Math.max(head, result.storePosition);
    }
    // the read models have caught up with every report (a read at the head waits for them)
    const caughtUp = await client.api.GET('/v1/clubs/{club}/targets', {
      params: { path: { club: CLUBS[0] }, query: { minPosition: head } },
    });
    expect(caughtUp.response.status).toBe(200);
  }, 120_000);
  afterEach(() => {
    for (const stream of open.splice(0)) stream.destroy();
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
    recordConformanceCount();
    assertConformance();
  });

  const create = async (body: NewReplay) => {
    const created = await client.api.POST('/v1/replays', { body });
    expect(created.response.status).toBe(201);
    return created.data!;
  };

  /**
   * A client that reads a replay's stream as fast as it comes and only counts its days (little
   * work of its own). Returned at once, before the stream answers: the measuring starts with it,
   * so a replay holding the loop from its first day is measured too.
   */
  const stream = (path: string) => {
    const counted = { status: 0, days: 0, ended: false };
    const req = request(`${url}${path}`, { headers: { accept: 'text/event-stream' } }, (response) => {
      counted.status = response.statusCode ?? 0;
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let from = 0;
        let end: number;
        while ((end = buffer.indexOf('\n\n', from)) !== -1) {
          const frame = buffer.slice(from, end);
          if (frame.includes('\nevent: day\n')) counted.days++;
          else if (frame.startsWith('event: end\n')) counted.ended = true;
          from = end + 2;
        }
        buffer = buffer.slice(from);
      });
    });
    req.on('error', () => undefined); // destroyed at the end of the test
    req.end();
    open.push(req);
    return counted;
  };

  /**
   * While the replay runs: /health/live asked again and again, one request after the other, each
   * timed (a request waits for whatever holds the loop). Stops once the replay has ended, or
   * after `forMs`. `longestStallMs`: the most loop time any request waited through (see
   * `loopCpuMs`); `longestWallMs`: the most wall time, the machine's load included.
   */
  const measureWhile = async (counted: { readonly ended: boolean }, forMs: number) => {
    const pid = server.child.pid!;
    const stalls: number[] = [];
    const walls: number[] = [];
    const started = performance.now();
    while (!counted.ended && performance.now() - started < forMs) {
      const sent = performance.now();
      const cpu = loopCpuMs(pid);
      const live = await fetch(`${url}/health/live`); // raw: timed, nothing but the request on the way
      await live.arrayBuffer();
      const wall = performance.now() - sent;
      walls.push(wall);
      stalls.push(cpu === undefined ? wall : Math.min(wall, loopCpuMs(pid)! - cpu));
      expect(live.status).toBe(200);
    }
    return {
      longestStallMs: Math.max(...stalls),
      longestWallMs: Math.max(...walls),
      health: stalls.length,
      seconds: (performance.now() - started) / 1000,
    };
  };

  // (the bench runs the same over 100 years; a shorter window here, so that before the fix the
  // test failed in seconds rather than holding the process for minutes)
  it(`a replay of ${MAX_CLUBS_PER_REPLAY} clubs at ${(10_000).toLocaleString('en-US')} days/s never holds the loop: /health/live answers within ${STALL_BOUND_MS} ms all along`, async () => {
    const replay = await create({ from: '1998-01-01', to: '1999-12-31', speed: 10_000, club: CLUBS });
    expect(replay).toMatchObject({ days: 730, clubs: CLUBS, speed: 10_000 });
    const counted = stream(replay.stream);
    const measured = await measureWhile(counted, 3000);
    expect(measured.longestStallMs).toBeLessThanOrEqual(STALL_BOUND_MS);
    // and the replay was working all along (CPU-bound: every calendar day, the 150 documents of its clubs)
    expect(counted.status).toBe(200);
    expect(counted.days).toBeGreaterThan(20);
    expect(measured.health).toBeGreaterThan(10);
    const deleted = await client.api.DELETE('/v1/replays/{id}', { params: { path: { id: replay.id } } });
    expect(deleted.response.status).toBe(204);
  });

  it(`a replay of ${MAX_CLUBS_PER_REPLAY} clubs at full speed over ${NEWS_DAYS.toLocaleString('en-US')} days of news never holds the loop, and tells every day`, async () => {
    const replay = await create({ from: FIRST_DAY, to: fromDay(toDay(FIRST_DAY) + NEWS_DAYS), club: CLUBS });
    expect(replay).toMatchObject({ reports: NEWS_DAYS + CLUBS.length, clubs: CLUBS, speed: 'max' });
    const counted = stream(replay.stream);
    const measured = await measureWhile(counted, 3000);
    expect(measured.longestStallMs).toBeLessThanOrEqual(STALL_BOUND_MS);
    expect(measured.health).toBeGreaterThan(10);
    // and it gets to the end, every day told (each has news)
    const deadline = Date.now() + 30_000;
    while (!counted.ended) {
      if (Date.now() > deadline) throw new Error(`the replay did not end: ${counted.days} days told`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(counted.days).toBe(NEWS_DAYS + 1);
  }, 60_000);

  it('several wide replays at once still leave the loop to others, and each of them moves on', async () => {
    const replays = await Promise.all(
      [1_000, 10_000, 'max' as const, 5_000].map((speed) =>
        create({ from: '1999-07-01', to: '2000-06-30', speed, club: CLUBS }),
      ),
    );
    const counters = replays.map((replay) => stream(replay.stream));
    const measured = await measureWhile({ ended: false }, 3000);
    expect(measured.longestStallMs).toBeLessThanOrEqual(STALL_BOUND_MS);
    // each of them made progress: the loop is shared in turns, none starves
    for (const counted of counters) expect(counted.days).toBeGreaterThan(5);
    for (const replay of replays) await client.api.DELETE('/v1/replays/{id}', { params: { path: { id: replay.id } } });
  });

  it(`refuses a replay of more than ${MAX_CLUBS_PER_REPLAY} clubs with 400, naming the field and the cap`, async () => {
    const tooMany = [...CLUBS, 'one-club-too-many'];
    const refused = await client.api.POST('/v1/replays', {
      body: { from: FIRST_DAY, to: '2000-12-31', club: tooMany },
    });
    expect(refused.response.status).toBe(400);
    expect(refused.error).toMatchObject({
      code: 'INVALID_REQUEST',
      errors: [{ field: 'club', reason: `club lists 51 clubs; a replay follows at most ${MAX_CLUBS_PER_REPLAY}` }],
    });
    // the same cap when a stream changes the clubs it follows (raw fetch: the typed client's
    // stream retries a refused open; here the refusal itself is read)
    const replay = await create({ from: FIRST_DAY, to: '2000-12-31', speed: 'step', club: CLUBS });
    const response = await fetch(`${url}${replay.stream}?club=${tooMany.join(',')}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'INVALID_REQUEST',
      errors: [{ field: 'club', reason: `club lists 51 clubs; a replay follows at most ${MAX_CLUBS_PER_REPLAY}` }],
    });
    // and exactly the cap is accepted (the replays above follow 50)
    expect(replay.clubs).toHaveLength(MAX_CLUBS_PER_REPLAY);
  });
});
