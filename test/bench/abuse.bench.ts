import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromDay, toDay } from '@squad/projections';
import { benchServerEnv, freePort, liveHeapMiB, spawnServer, type BenchServer } from './bench-server';
import { type Figure, printFigure, printInfo } from './harness';

/**
 * What one client can do to the service with requests it is allowed to make (issue 21):
 * - replay stall (item 4): the longest /health/live answer while the worst replays run (50 clubs,
 *   the most a replay may follow, over 100 years at 10,000 days/s, over 10 years at 1,000 days/s,
 *   at full speed over 5,000 days of news, and 20 of them at once: one client's cap), asked with a
 *   read key; target <= 50 ms, against the same server idle;
 * - error amplification (item 5): the server's resident memory while 16 clients post 1 MiB
 *   batches of 1,000 invalid reports (200 invalid claims each) at once, three rounds, against its
 *   resident memory before.
 * - branch memory (item 6): the server's live heap (after a full collection) with many what-if
 *   branches forked, each read and written once, and again once every one is deleted, against
 *   the heap before the first; and the size of `GET /v1/branches` (a page) with all of them live.
 * The server is a child process (its memory read from /proc); the load comes from this process.
 */
const WRITE_KEY = 'abuse-write-key-0123456789abcdef';
const READ_KEY = 'abuse-read-key-0123456789abcdef';
const CLUB_COUNT = 50;
const CLUBS = Array.from({ length: CLUB_COUNT }, (_, i) => `bench-club-${String(i).padStart(2, '0')}`);
const PLAYERS_PER_CLUB = 20;
const NEWS_FROM = '2012-01-01';
const NEWS_DAYS = 5000;
const NEWS_TO = fromDay(toDay(NEWS_FROM) + NEWS_DAYS - 1);
/** A /health/live not answered by then is counted as this long (and the server restarted). */
const STALL_CAP_MS = 60_000;
const STALL_TARGET_MS = 50;
const POSITIONS = ['GK', 'CB', 'CB', 'LB', 'RB', 'DM', 'CM', 'CM', 'AM', 'LW', 'RW', 'ST'];

interface ReplayLoad {
  readonly label: string;
  readonly replays: readonly { from: string; to: string; speed: number | 'max' }[];
}

const CENTURY = { from: '1926-01-01', to: '2025-12-31', speed: 10_000 } as const;
const DECADE = { from: '2015-01-01', to: '2024-12-31', speed: 1_000 } as const;
const NEWS = { from: NEWS_FROM, to: NEWS_TO, speed: 'max' } as const;
const LOADS: readonly ReplayLoad[] = [
  { label: `${CLUB_COUNT} clubs over 100 years at 10,000 days/s`, replays: [CENTURY] },
  { label: `${CLUB_COUNT} clubs over 10 years at 1,000 days/s`, replays: [DECADE] },
  { label: `${CLUB_COUNT} clubs at max over ${NEWS_DAYS.toLocaleString('en-US')} days with news`, replays: [NEWS] },
  {
    label: `20 replays of ${CLUB_COUNT} clubs at once (one client's cap): 7 of 100 years at 10,000 days/s, 7 of 10 years at 1,000 days/s, 6 at max`,
    replays: [...Array(7).fill(CENTURY), ...Array(7).fill(DECADE), ...Array(6).fill(NEWS)],
  },
];

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

async function post(server: BenchServer, path: string, body: unknown, key: string): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { ...auth(key), 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The clubs' squads on the first day of news, then a report a day for 5,000 days. */
async function writeWorld(server: BenchServer): Promise<number> {
  const squads = CLUBS.map((club) => ({
    reportId: `squad-${club}`,
    source: { name: 'Squad lists' },
    publishedOn: NEWS_FROM,
    claims: Array.from({ length: PLAYERS_PER_CLUB }, (_, n) => ({
      type: 'PlayerRegistered',
      player: `${club}-player-${n}`,
      name: `Player ${n} of ${club}`,
      club,
      position: POSITIONS[n % POSITIONS.length],
    })),
  }));
  const news = Array.from({ length: NEWS_DAYS - 1 }, (_, i) => {
    const club = CLUBS[i % CLUB_COUNT];
    const player = `${CLUBS[(i + 1) % CLUB_COUNT]}-player-${i % PLAYERS_PER_CLUB}`;
    return {
      reportId: `news-${i}`,
      source: { name: 'Daily rumours' },
      publishedOn: fromDay(toDay(NEWS_FROM) + 1 + i),
      claims: [
        { type: 'InterestDeclared', club, player, priority: ['top', 'high', 'medium', 'low'][i % 4] },
        { type: 'MarketValueReported', player, valueEur: 1_000_000 * (1 + (i % 60)) },
      ],
    };
  });
  const reports = [...squads, ...news];
  for (let i = 0; i < reports.length; i += 1000) {
    const answer = await post(server, '/v1/reports:batch', { reports: reports.slice(i, i + 1000) }, WRITE_KEY);
    const { summary } = (await answer.json()) as { summary: { recorded: number } };
    if (summary.recorded !== Math.min(1000, reports.length - i))
      throw new Error(`batch at ${i}: ${JSON.stringify(summary)}`);
  }
  return reports.length;
}

/** A replay's stream, read as fast as it comes; only its days are counted. */
function openStream(server: BenchServer, path: string): { req: ClientRequest; counted: { days: number } } {
  const counted = { days: 0 };
  const req = request(
    `${server.url}${path}`,
    { headers: { ...auth(READ_KEY), accept: 'text/event-stream' } },
    (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let from = 0;
        let end: number;
        while ((end = buffer.indexOf('\n\n', from)) !== -1) {
          if (buffer.slice(from, end).includes('\nevent: day\n')) counted.days++;
          from = end + 2;
        }
        buffer = buffer.slice(from);
      });
    },
  );
  req.on('error', () => undefined); // destroyed when the load ends
  req.end();
  return { req, counted };
}

/** How long the server's main thread (its event loop) has run on a CPU, in ms (Linux schedstat). */
function loopCpuMs(server: BenchServer): number {
  const pid = server.child.pid!;
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

interface Stalls {
  /** The longest /health/live, wall clock (what a client sees, the machine's load included). */
  longest: number;
  p99: number;
  /** The longest time the server's loop ran while one /health/live waited (the machine's load left out). */
  longestLoop: number;
  requests: number;
  /** A request went unanswered for STALL_CAP_MS: the server is held. */
  capped: boolean;
}

/** /health/live asked one request after the other for `ms`, each timed. */
async function measureHealth(server: BenchServer, ms: number): Promise<Stalls> {
  const walls: number[] = [];
  const loops: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const cpu = loopCpuMs(server);
    const sent = performance.now();
    try {
      const answer = await fetch(`${server.url}/health/live`, { signal: AbortSignal.timeout(STALL_CAP_MS) });
      await answer.arrayBuffer();
      if (!answer.ok) throw new Error(`/health/live answered ${answer.status}`);
    } catch (error) {
      if ((error as Error).name !== 'TimeoutError') throw error;
      walls.push(STALL_CAP_MS);
      loops.push(loopCpuMs(server) - cpu);
      return summarize(walls, loops, true);
    }
    const wall = performance.now() - sent;
    walls.push(wall);
    loops.push(Math.min(wall, loopCpuMs(server) - cpu));
  }
  return summarize(walls, loops, false);
}

function summarize(walls: number[], loops: number[], capped: boolean): Stalls {
  const sorted = [...walls].sort((a, b) => a - b);
  return {
    longest: sorted.at(-1) ?? NaN,
    p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? NaN,
    longestLoop: Math.max(...loops),
    requests: walls.length,
    capped,
  };
}

const fmt = (ms: number) => `${ms < 100 ? ms.toFixed(1) : ms.toFixed(0)} ms`;

async function startServer(dir: string, port: number): Promise<BenchServer> {
  return spawnServer(['apps/api/src/main.ts'], benchServerEnv(port, dir, { write: WRITE_KEY, read: READ_KEY }), port);
}

async function benchReplayStall(seconds: number): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'squad-bench-stall-'));
  const port = await freePort();
  let server = await startServer(dir, port);
  try {
    const reports = await writeWorld(server);
    printInfo(
      'replay world',
      `${reports.toLocaleString('en-US')} reports: ${CLUB_COUNT} clubs of ${PLAYERS_PER_CLUB} players, news every day from ${NEWS_FROM} to ${NEWS_TO}`,
    );
    await measureHealth(server, 1000); // warm-up
    const idle = await measureHealth(server, seconds * 1000);
    printInfo(
      '/health/live, server idle',
      `longest ${fmt(idle.longest)}, p99 ${fmt(idle.p99)}, longest server loop time waited through ${fmt(idle.longestLoop)} (${idle.requests} requests in ${seconds} s)`,
    );
    let worst: { load: ReplayLoad; stalls: Stalls } | undefined;
    for (const load of LOADS) {
      const streams: { req: ClientRequest; counted: { days: number } }[] = [];
      const ids: string[] = [];
      const paths: string[] = [];
      for (const replay of load.replays) {
        const created = await post(server, '/v1/replays', { ...replay, club: CLUBS }, READ_KEY);
        if (created.status !== 201) throw new Error(`replay refused: ${created.status} ${await created.text()}`);
        const { id, stream } = (await created.json()) as { id: string; stream: string };
        ids.push(id);
        paths.push(stream);
      }
      // all created first, then streamed together (a replay starts when its stream opens)
      for (const path of paths) streams.push(openStream(server, path));
      const stalls = await measureHealth(server, seconds * 1000);
      const told = streams.map((s) => s.counted.days);
      for (const s of streams) s.req.destroy();
      const toldBy = [...new Set(load.replays)].map((kind) => {
        const days = told.filter((_, i) => load.replays[i] === kind);
        const speed = kind.speed === 'max' ? 'max' : `${kind.speed.toLocaleString('en-US')} days/s`;
        return days.length === 1 ? `${days[0]}` : `${Math.min(...days)}-${Math.max(...days)} (${speed})`;
      });
      printInfo(
        `/health/live under ${load.label}`,
        `longest ${stalls.capped ? `>= ${fmt(stalls.longest)} (unanswered)` : fmt(stalls.longest)}, p99 ${fmt(stalls.p99)}, ` +
          `longest server loop time waited through ${fmt(stalls.longestLoop)} (${stalls.requests} requests in ${seconds} s); ` +
          `days told ${toldBy.join(', ')}`,
      );
      if (!worst || stalls.longestLoop > worst.stalls.longestLoop) worst = { load, stalls };
      if (stalls.capped) {
        // the replay holds the server: nothing else can be asked of it; start it again on the same store
        server.child.kill('SIGKILL');
        await new Promise((resolve) => server.child.once('exit', resolve));
        server = await startServer(dir, port);
      } else {
        for (const id of ids)
          await fetch(`${server.url}/v1/replays/${id}`, { method: 'DELETE', headers: auth(READ_KEY) });
      }
    }
    // the stall a replay causes: the server's own loop time a request waited through (on a
    // shared machine the wall clock also counts the time the OS gives other processes; printed above)
    const figure: Figure = {
      name: `longest /health/live stall (server loop time waited through) under the worst replay load (${worst!.load.label}) vs the server idle`,
      subject: worst!.stalls.longestLoop,
      baseline: idle.longestLoop,
      unit: 'ms',
      ratio: worst!.stalls.longestLoop / idle.longestLoop,
      target: `<= ${STALL_TARGET_MS} ms`,
      met: worst!.stalls.longestLoop <= STALL_TARGET_MS,
    };
    printFigure(figure);
    return figure;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A batch of `reports` reports of 200 claims each, every claim invalid (`{}`), padded to about `bytes` (at most). */
function invalidBatch(n: number, reports: number, bytes: number): string {
  const claims = `[${Array(200).fill('{}').join(',')}]`;
  const report = (i: number, pad: string) =>
    `{"reportId":"amplify-${n}-${i}","source":{"name":"${pad}"},"publishedOn":"2025-01-01","claims":${claims}}`;
  const batch = (pad: string) => `{"reports":[${Array.from({ length: reports }, (_, i) => report(i, pad)).join(',')}]}`;
  const room = bytes - Buffer.byteLength(batch(''));
  const body = batch('x'.repeat(Math.max(0, Math.floor(room / reports) - 1)));
  if (Buffer.byteLength(body) > bytes) throw new Error('the batch is over the body limit');
  return body;
}

/** Peak resident memory at most this many times the idle server's: 16 such requests may not take the server's memory away. */
const MEMORY_TARGET = 2;

async function benchErrorAmplification(rounds: number): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'squad-bench-amplify-'));
  const server = await startServer(dir, await freePort());
  const CONCURRENT = 16;
  const BODY_LIMIT = 1024 * 1024; // BODY_LIMIT_BYTES' default
  const mib = (kib: number) => kib / 1024;
  try {
    // warm-up: a small batch of the same kind (code paths compiled), then the server left idle a second
    const small = await post(server, '/v1/reports:batch', invalidBatch(-1, 10, 16 * 1024), WRITE_KEY);
    if (small.status !== 200) throw new Error(`a small invalid batch answered ${small.status}`);
    await measureHealth(server, 1000);
    const before = mib(server.rssKiB());
    const bodies = Array.from({ length: CONCURRENT }, (_, n) => invalidBatch(n, 1000, BODY_LIMIT));
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, mib(server.rssKiB()))), 20);
    const afterRounds: number[] = [];
    let answerBytes = 0;
    try {
      for (let round = 0; round < rounds; round++) {
        const answers = await Promise.all(bodies.map((body) => post(server, '/v1/reports:batch', body, WRITE_KEY)));
        for (const answer of answers) {
          const text = await answer.text();
          answerBytes = Math.max(answerBytes, Buffer.byteLength(text));
          const { summary } = JSON.parse(text) as { summary: { rejected: number } };
          if (answer.status !== 200 || summary.rejected !== 1000)
            throw new Error(`answered ${answer.status}: ${JSON.stringify(summary)}`);
        }
        afterRounds.push(mib(server.rssKiB()));
      }
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, ...afterRounds);
    printInfo(
      `server resident memory, ${rounds} rounds of ${CONCURRENT} concurrent ${(Buffer.byteLength(bodies[0]) / 1024 / 1024).toFixed(2)} MiB batches (1,000 reports x 200 invalid claims, every report rejected)`,
      `before ${before.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, after each round ${afterRounds.map((r) => r.toFixed(0)).join(', ')} MiB; largest answer ${(answerBytes / 1024 / 1024).toFixed(2)} MiB`,
    );
    const figure: Figure = {
      name: `server resident memory, peak under ${CONCURRENT} concurrent 1 MiB batches of invalid reports vs before`,
      subject: peak,
      baseline: before,
      unit: 'MiB',
      ratio: peak / before,
      target: `<= ${MEMORY_TARGET}`,
      met: peak / before <= MEMORY_TARGET,
    };
    printFigure(figure);
    return figure;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The live heap once every branch is deleted, at most this many times the heap before the first. */
const BRANCH_MEMORY_TARGET = 1.1;
/** Forks (and then deletions) in flight at once. */
const BRANCH_CONCURRENCY = 8;

async function benchBranchMemory(branches: number): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'squad-bench-branches-'));
  const port = await freePort();
  const probe = join(dir, 'heap-probe.jsonl');
  const server = await spawnServer(
    ['-r', './test/bench/heap-probe.ts', 'apps/api/src/main.ts'],
    benchServerEnv(
      port,
      dir,
      { write: WRITE_KEY, read: READ_KEY },
      {
        HEAP_PROBE_FILE: probe,
        WRITE_RATE_LIMIT: String(branches * 10),
        BRANCH_MAX_PER_CLIENT: String(branches),
      },
    ),
    port,
  );
  const club = CLUBS[0];
  /** Forks `count` branches, each read (its squad depth) and written (one report) once: all it may hold is held. */
  const forkAndUse = async (count: number, label: string): Promise<string[]> => {
    const ids: string[] = [];
    const next = { index: 0 };
    await Promise.all(
      Array.from({ length: BRANCH_CONCURRENCY }, async () => {
        for (let i = next.index++; i < count; i = next.index++) {
          const forked = await post(
            server,
            '/v1/branches',
            { name: `${label} ${i}`, forkAt: { knownAt: NEWS_FROM } },
            WRITE_KEY,
          );
          if (forked.status !== 201) throw new Error(`fork answered ${forked.status}: ${await forked.text()}`);
          const { id } = (await forked.json()) as { id: string };
          ids.push(id);
          const report = {
            reportId: `what-if-${i}`,
            source: { name: 'What if' },
            publishedOn: NEWS_FROM,
            claims: [{ type: 'InterestDeclared', club, player: `${CLUBS[1]}-player-0`, priority: 'top' }],
          };
          const written = await post(server, `/v1/branches/${id}/reports`, report, WRITE_KEY);
          if (written.status !== 201)
            throw new Error(`branch write answered ${written.status}: ${await written.text()}`);
          const read = await fetch(`${server.url}/v1/clubs/${club}/squad-depth?branch=${id}`, {
            headers: auth(READ_KEY),
          });
          if (read.status !== 200) throw new Error(`branch read answered ${read.status}`);
          await read.arrayBuffer();
        }
      }),
    );
    return ids;
  };
  const deleteAll = async (ids: string[]) => {
    const queue = [...ids];
    await Promise.all(
      Array.from({ length: BRANCH_CONCURRENCY }, async () => {
        for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
          const deleted = await fetch(`${server.url}/v1/branches/${id}`, {
            method: 'DELETE',
            headers: auth(WRITE_KEY),
          });
          if (deleted.status !== 204) throw new Error(`delete answered ${deleted.status}`);
        }
      }),
    );
  };
  try {
    await writeWorld(server);
    // warm-up: the same work on a few branches (code compiled, the store's caches filled), undone
    await deleteAll(await forkAndUse(50, 'Warm-up'));
    const before = await liveHeapMiB(server, probe);
    const started = performance.now();
    const ids = await forkAndUse(branches, 'Bench');
    const seconds = (performance.now() - started) / 1000;
    const live = await liveHeapMiB(server, probe);
    const page = await fetch(`${server.url}/v1/branches`, { headers: auth(READ_KEY) });
    const pageBytes = (await page.arrayBuffer()).byteLength;
    await deleteAll(ids);
    const after = await liveHeapMiB(server, probe);
    const held = await (await fetch(`${server.url}/v1/branches`, { headers: auth(READ_KEY) })).json();
    printInfo(
      `server live heap, ${branches.toLocaleString('en-US')} branches forked, written and read once each (${seconds.toFixed(1)} s)`,
      `before ${before.toFixed(1)} MiB, with them ${live.toFixed(1)} MiB (${(((live - before) * 1024) / branches).toFixed(1)} KiB a branch), ` +
        `once deleted ${after.toFixed(1)} MiB; GET /v1/branches with all live ${(pageBytes / 1024).toFixed(1)} KiB (a page), after ${JSON.stringify(held)}`,
    );
    const figure: Figure = {
      name: `server live heap once ${branches.toLocaleString('en-US')} used branches are deleted vs before they were forked`,
      subject: after,
      baseline: before,
      unit: 'MiB',
      ratio: after / before,
      target: `<= ${BRANCH_MEMORY_TARGET}`,
      met: after / before <= BRANCH_MEMORY_TARGET,
    };
    printFigure(figure);
    return figure;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchAbuse(options: { seconds: number; rounds: number; branches: number }): Promise<Figure[]> {
  return [
    await benchReplayStall(options.seconds),
    await benchErrorAmplification(options.rounds),
    await benchBranchMemory(options.branches),
  ];
}
