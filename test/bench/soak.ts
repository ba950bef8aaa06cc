import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { today } from '@squad/projections';
import { benchServerEnv, freePort, liveHeapMiB, spawnServer, type BenchServer } from './bench-server';
import { type Figure, printFigure, printInfo } from './harness';

/**
 * Soak: the service (a child process, keys on, on the embedded store) under a mixed load for a
 * fixed time: writers posting reports and batches, readers asking as-of documents, and SSE
 * subscribers on every club and on the all-clubs stream. Afterwards:
 * - errors: every request answered 2xx (none failed, none refused);
 * - SSE: every club subscriber received exactly the updates of its club that a reference
 *   all-clubs subscriber received after its snapshot (same ids, same bytes), ids strictly
 *   rising, and its documents at the end equal what REST answers; every all-clubs subscriber
 *   received what the reference did;
 * - memory: the server's resident set at the start of the load and at its end.
 * The load generator is plain fetch and node:http in this process; it paces itself (a fixed
 * request rate), so the figures describe the service under a steady load, not at saturation.
 */
const WRITE_KEY = 'soak-write-key-0123456789abcdef';
const READ_KEY = 'soak-read-key-0123456789abcdef';
const SOAK_CLUBS = ['soak-rovers', 'soak-athletic', 'soak-united', 'soak-city'];
const SEED_CLUBS = ['juventus', 'marseille', 'ajax', 'atletico-madrid'];
const CLUBS = [...SEED_CLUBS, ...SOAK_CLUBS];
const MODELS = ['squad-depth', 'targets', 'outgoing'] as const;
const POSITIONS = ['GK', 'CB', 'LB', 'RB', 'DM', 'CM', 'AM', 'LW', 'RW', 'ST'];
const ALL_STREAMS = 10;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface SoakOptions {
  readonly seconds: number;
  readonly subscribers: number;
  /** Write requests per second, all writers together (one in five is a batch of three reports). */
  readonly writesPerSecond: number;
  /** As-of reads per second, all readers together. */
  readonly readsPerSecond: number;
}

const sha = (text: string) => createHash('sha1').update(text).digest('base64');

/** One SSE subscriber: the ids and hashes of its updates; the checker of a club also keeps the documents. */
class Subscriber {
  readonly updates: { id: number; hash: string }[] = [];
  snapshotId = -1;
  lastId = -1;
  outOfOrder = 0;
  resets = 0;
  closed = false;
  status = 0;
  bytes = 0;
  /** model → document, for the checker of each club. */
  readonly documents = new Map<string, Json>();
  /** The reference all-clubs subscriber: what each club's subscribers should receive, by club. */
  readonly expectedByClub = new Map<string, { id: number; hash: string }[]>();
  private req: ClientRequest | undefined;
  private waiter: { id: number; resolve: () => void } | undefined;

  constructor(
    readonly club: string | undefined,
    readonly keeps: 'hashes' | 'documents' | 'everything',
  ) {}

  open(url: string, headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = request(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        let tail = '';
        res.on('data', (chunk: string) => {
          const text = tail + chunk;
          let from = 0;
          let end: number;
          while ((end = text.indexOf('\n\n', from)) !== -1) {
            this.frame(text.slice(from, end));
            from = end + 2;
          }
          tail = text.slice(from);
        });
        res.on('close', () => {
          this.closed = true;
          this.wake();
        });
        resolve();
      });
      this.req.on('error', (error) => (this.closed ? undefined : reject(error)));
      this.req.end();
    });
  }

  /** Resolves once an update (or the first message) with id >= `id` arrived, or the stream closed. */
  reached(id: number): Promise<void> {
    if (this.lastId >= id || this.closed) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = { id, resolve }));
  }

  close(): void {
    this.closed = true;
    this.req?.destroy();
  }

  private frame(frame: string): void {
    this.bytes += frame.length + 2;
    if (frame.startsWith(':') || frame.startsWith('retry:')) return; // heartbeat, reconnection delay
    let id = NaN;
    let event = 'message';
    let data = '';
    for (const line of frame.split('\n')) {
      if (line.startsWith('id: ')) id = Number(line.slice(4));
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data = line.slice(6);
    }
    if (id <= this.lastId) this.outOfOrder++;
    this.lastId = id;
    if (event === 'snapshot' || event === 'ready') this.snapshotId = id;
    else if (event === 'reset') this.resets++;
    else if (event === 'update') this.updates.push({ id, hash: sha(data) });
    if (this.keeps === 'everything' && event === 'update') {
      // a club's frame is the same message with only that club's changes
      const message = JSON.parse(data);
      for (const club of new Set<string>(message.changes.map((c: Json) => c.club))) {
        const frame = JSON.stringify({
          storePosition: message.storePosition,
          changes: message.changes.filter((c: Json) => c.club === club),
        });
        this.expectedByClub.set(club, [...(this.expectedByClub.get(club) ?? []), { id, hash: sha(frame) }]);
      }
    }
    if (this.keeps === 'documents' && (event === 'snapshot' || event === 'update' || event === 'reset')) {
      for (const change of JSON.parse(data).changes) this.documents.set(change.model, change.document);
    }
    this.wake();
  }

  private wake(): void {
    if (this.waiter && (this.lastId >= this.waiter.id || this.closed)) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve();
    }
  }
}

/** Latencies and failures of one kind of request. */
class Tally {
  readonly times: number[] = [];
  errors = 0;
  readonly examples: string[] = [];

  async time(what: string, call: () => Promise<Response>, ok: (status: number) => boolean): Promise<Json> {
    const started = performance.now();
    try {
      const response = await call();
      const body = await response.json();
      this.times.push(performance.now() - started);
      if (!ok(response.status)) this.fail(`${what}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
      return body;
    } catch (error) {
      this.fail(`${what}: ${String(error)}`);
      return undefined;
    }
  }

  percentile(p: number): number {
    const sorted = [...this.times].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
  }

  fail(message: string): void {
    this.errors++;
    if (this.examples.length < 5) this.examples.push(message);
  }
}

const SQUAD_SIZE = 24;
const LANES = 4;
const LOAN_CLUB = 'soak-loan-club';

/**
 * What the writers talk about: a fixed pool of players at the soak clubs, each owned by one
 * writer lane (so a lane's reports never conflict with another's), who get valued, injured and
 * back, loaned out and back, sold between the soak clubs, and pursued (by the seed clubs too)
 * then given up. The squads keep their size, so the documents stay realistic in size however
 * long the soak runs: memory then says whether the service holds on to what it no longer needs.
 */
interface PoolPlayer {
  readonly slug: string;
  club: string;
  injured: boolean;
  onLoan: boolean;
}

class Pool {
  readonly players: PoolPlayer[] = [];
  private readonly pursuits: [string, string][][] = Array.from({ length: LANES }, () => []);
  private readonly counts = new Array<number>(LANES).fill(0);

  constructor() {
    for (const [c, club] of SOAK_CLUBS.entries()) {
      for (let i = 0; i < SQUAD_SIZE; i++)
        this.players.push({ slug: `soak-player-${c}-${i}`, club, injured: false, onLoan: false });
    }
  }

  /** The founding reports: every soak club's squad. */
  squads(): Json[] {
    return SOAK_CLUBS.map((club) => ({
      reportId: `soak-squad-${club}`,
      source: { name: 'Soak' },
      publishedOn: today(),
      claims: this.players
        .filter((p) => p.club === club)
        .map((p, i) => ({
          type: 'PlayerRegistered',
          player: p.slug,
          name: p.slug.replace(/-/g, ' '),
          club,
          position: POSITIONS[i % POSITIONS.length],
        })),
    }));
  }

  /** The next report of a lane, built against what that lane's earlier reports did. */
  next(lane: number): Json {
    const n = this.counts[lane]++;
    const mine = this.players.filter((_, i) => i % LANES === lane);
    const player = mine[(n * 7) % mine.length];
    const claims: Json[] = [];
    switch (n % 10) {
      case 0:
      case 1:
      case 2:
        claims.push({ type: 'MarketValueReported', player: player.slug, valueEur: 500_000 * (1 + (n % 80)) });
        break;
      case 3:
        claims.push(
          player.injured
            ? { type: 'PlayerReturnedFromInjury', player: player.slug }
            : { type: 'PlayerInjured', player: player.slug, injury: 'knock' },
        );
        player.injured = !player.injured;
        break;
      case 4:
      case 5: {
        if (player.onLoan) break;
        const to = SOAK_CLUBS[(SOAK_CLUBS.indexOf(player.club) + 1 + (n % 3)) % SOAK_CLUBS.length];
        claims.push({
          type: 'TransferCompleted',
          player: player.slug,
          fromClub: player.club,
          toClub: to,
          feeEur: 1_000_000 * (1 + (n % 20)),
        });
        player.club = to;
        break;
      }
      case 6:
      case 7: {
        const suitor = CLUBS[(n * 3) % CLUBS.length];
        if (suitor === player.club || this.pursuits[lane].some(([c, p]) => c === suitor && p === player.slug)) break;
        claims.push({
          type: 'InterestDeclared',
          club: suitor,
          player: player.slug,
          priority: ['top', 'high', 'medium', 'low'][n % 4],
        });
        this.pursuits[lane].push([suitor, player.slug]);
        break;
      }
      case 8: {
        const pursuit = this.pursuits[lane].shift();
        if (pursuit) claims.push({ type: 'PursuitAbandoned', club: pursuit[0], player: pursuit[1], reason: 'price' });
        break;
      }
      default:
        claims.push(
          player.onLoan
            ? { type: 'LoanReturned', player: player.slug, fromClub: LOAN_CLUB }
            : { type: 'LoanDeparted', player: player.slug, toClub: LOAN_CLUB, until: '2099-06-30' },
        );
        player.onLoan = !player.onLoan;
    }
    if (claims.length === 0) claims.push({ type: 'MarketValueReported', player: player.slug, valueEur: 750_000 });
    return { reportId: `soak-${lane}-${n}`, source: { name: 'Soak' }, publishedOn: today(), claims };
  }
}

/** A random as-of read: a club document or a player, on a day of 2025 or today, sometimes as then known. */
function soakRead(n: number): string {
  const club = CLUBS[n % CLUBS.length];
  const asOf =
    n % 4 === 0 ? today() : `2025-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
  const knownAt = n % 3 === 0 ? `&knownAt=2025-${String(1 + ((n >> 2) % 12)).padStart(2, '0')}-15` : '';
  switch (n % 6) {
    case 0:
    case 1:
    case 2:
      return `/v1/clubs/${club}/${MODELS[n % 3]}?asOf=${asOf}${knownAt}`;
    case 3:
      return `/v1/players/${n % 2 ? `soak-player-${n % SOAK_CLUBS.length}-${n % SQUAD_SIZE}` : 'gleison-bremer'}?asOf=${asOf}`;
    case 4:
      return `/v1/players/gleison-bremer/timeline?asOf=${asOf}${knownAt}`;
    default:
      return `/v1/events?after=${n % 50}&limit=20`;
  }
}

/** Runs `step(i)` at `perSecond` (spread over `lanes` concurrent loops) until `until`. */
async function paced(
  perSecond: number,
  lanes: number,
  until: number,
  step: (lane: number, i: number) => Promise<void>,
): Promise<number> {
  let count = 0;
  const interval = (1000 * lanes) / perSecond;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = 0; ; i++) {
        const due = started + (i + lane / lanes) * interval;
        if (due >= until) return;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await step(lane, i);
        count++;
      }
    }),
  );
  return count;
}

const post = (server: BenchServer, path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${WRITE_KEY}` },
    body: JSON.stringify(body),
  });
const get = (server: BenchServer, path: string) =>
  fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${READ_KEY}` } });

export async function benchSoak(options: SoakOptions): Promise<Figure[]> {
  const { seconds, subscribers: subscriberCount, writesPerSecond, readsPerSecond } = options;
  const dir = mkdtempSync(join(tmpdir(), 'squad-soak-'));
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
        SEED_ON_EMPTY: 'true',
        WRITE_RATE_LIMIT: String(writesPerSecond * 60 * 10),
        // every subscriber here is one client (one key): let them all in
        LIVE_MAX_CONNECTIONS_PER_CLIENT: String(subscriberCount + 10),
      },
    ),
    port,
  );
  const subscribers: Subscriber[] = [];
  try {
    // the clubs of the soak and their squads exist before anyone subscribes to them
    const pool = new Pool();
    for (const squad of pool.squads()) {
      const response = await post(server, '/v1/reports', squad);
      if (response.status !== 201)
        throw new Error(`could not found ${squad.reportId}: ${response.status} ${await response.text()}`);
    }

    // subscribers: most on one club each (the first of each club keeps its documents), some on every club
    const reference = new Subscriber(undefined, 'everything');
    subscribers.push(reference);
    for (let i = 1; i < ALL_STREAMS; i++) subscribers.push(new Subscriber(undefined, 'hashes'));
    for (let i = 0; i < subscriberCount - ALL_STREAMS; i++)
      subscribers.push(new Subscriber(CLUBS[i % CLUBS.length], i < CLUBS.length ? 'documents' : 'hashes'));
    // like the dashboard: the club streams carry the read key as access_token, the others a Bearer header
    await Promise.all(
      subscribers.map((s) =>
        s.club
          ? s.open(`${server.url}/v1/clubs/${s.club}/updates?access_token=${READ_KEY}`, {})
          : s.open(`${server.url}/v1/updates`, { authorization: `Bearer ${READ_KEY}` }),
      ),
    );
    await Promise.all(subscribers.map((s) => s.reached(0)));
    const refused = subscribers.filter((s) => s.status !== 200).length;

    // the load; the live heap after a full collection at its start, halfway (the journal of
    // live updates has filled its LIVE_JOURNAL_BYTES by then) and at its end
    const heap = [await liveHeapMiB(server, probe)];
    const rss: number[] = [server.rssKiB()];
    const sampler = setInterval(() => rss.push(server.rssKiB()), 1000);
    const halfway = setTimeout(
      () => void liveHeapMiB(server, probe).then((mib) => heap.push(mib)),
      (seconds * 1000) / 2,
    );
    const writes = new Tally();
    const reads = new Tally();
    const until = Date.now() + seconds * 1000;
    let reportsSent = 0;
    const [writeRequests, readRequests] = await Promise.all([
      paced(writesPerSecond, LANES, until, async (lane, i) => {
        if (i % 5 === 4) {
          const reports = [pool.next(lane), pool.next(lane), pool.next(lane)];
          reportsSent += 3;
          const body = await writes.time(
            'batch',
            () => post(server, '/v1/reports:batch', { reports }),
            (status) => status === 200,
          );
          if (body && body.summary?.recorded !== 3)
            writes.fail(
              `batch: ${JSON.stringify(body.results.filter((r: Json) => r.status !== 'recorded')).slice(0, 300)}`,
            );
        } else {
          reportsSent++;
          await writes.time(
            'report',
            () => post(server, '/v1/reports', pool.next(lane)),
            (status) => status === 201,
          );
        }
      }),
      paced(readsPerSecond, 8, until, async (lane, i) => {
        const path = soakRead(lane * 100_003 + i);
        await reads.time(
          path,
          () => get(server, path),
          (status) => status === 200,
        );
      }),
    ]);
    clearInterval(sampler);
    clearTimeout(halfway);
    const rssEndOfLoad = server.rssKiB();
    heap.push(await liveHeapMiB(server, probe));

    // a last report touching every club, so every stream ends on one known update
    const marker = (await (
      await post(server, '/v1/reports', {
        reportId: 'soak-marker',
        source: { name: 'Soak' },
        publishedOn: today(),
        claims: CLUBS.map((club) => ({
          type: 'InterestDeclared',
          club,
          player: 'soak-marker-prospect',
          priority: 'top',
        })),
      })
    ).json()) as Json;
    const last = marker.storePosition as number;
    // the reference gets every update, the last at the marker's position; then each stream its club's last
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, 30_000).unref());
    await Promise.race([reference.reached(last), deadline]);
    const expectedByClub = reference.expectedByClub;
    const lastOf = (s: Subscriber) => (s.club ? (expectedByClub.get(s.club)?.at(-1)?.id ?? 0) : last);
    await Promise.race([Promise.all(subscribers.map((s) => s.reached(lastOf(s)))), deadline]);

    // every club stream: exactly the reference's updates of its club after its snapshot, byte for byte
    let expected = 0;
    let received = 0;
    let mismatched = 0;
    let outOfOrder = 0;
    let resets = 0;
    const referenceUpdates = reference.updates;
    for (const s of subscribers) {
      const want = (s.club ? (expectedByClub.get(s.club) ?? []) : referenceUpdates).filter((u) => u.id > s.snapshotId);
      expected += want.length;
      received += s.updates.length;
      for (let i = 0; i < want.length; i++)
        if (s.updates[i]?.id !== want[i].id || s.updates[i]?.hash !== want[i].hash) mismatched++;
      mismatched += Math.max(0, s.updates.length - want.length);
      outOfOrder += s.outOfOrder;
      resets += s.resets;
    }
    const closedEarly = subscribers.filter((s) => s.closed).length;

    // the documents the checkers hold equal REST's (the envelope's position aside: REST's is the newest)
    let documentsDiffer = 0;
    const checkers = subscribers.filter((s) => s.keeps === 'documents');
    for (const checker of checkers) {
      for (const model of MODELS) {
        const rest = (await (
          await get(server, `/v1/clubs/${checker.club}/${model}?minPosition=${last}`)
        ).json()) as Json;
        const live = checker.documents.get(model);
        if (JSON.stringify({ ...live, storePosition: 0 }) !== JSON.stringify({ ...rest, storePosition: 0 }))
          documentsDiffer++;
      }
    }
    const status = (await (await get(server, '/v1/updates/status')).json()) as Json;
    const sseBytes = subscribers.reduce((sum, s) => sum + s.bytes, 0);
    const documentBytes = await Promise.all(
      MODELS.map(async (model) => (await (await get(server, `/v1/clubs/${SOAK_CLUBS[0]}/${model}`)).text()).length),
    );
    const rssEnd = server.rssKiB();

    const errors = writes.errors + reads.errors + refused;
    const lost = expected - (received - mismatched);
    printInfo(
      '  load',
      `${seconds} s: ${writeRequests} write requests (${reportsSent} reports, ${(writeRequests / seconds).toFixed(1)}/s), ${readRequests} as-of reads (${(readRequests / seconds).toFixed(1)}/s), ${subscribers.length} SSE subscribers (${subscribers.length - ALL_STREAMS} on ${CLUBS.length} clubs, ${ALL_STREAMS} on all clubs)`,
    );
    printInfo(
      '  latency p50 / p99',
      `writes ${writes.percentile(0.5).toFixed(1)} / ${writes.percentile(0.99).toFixed(1)} ms, reads ${reads.percentile(0.5).toFixed(1)} / ${reads.percentile(0.99).toFixed(1)} ms`,
    );
    printInfo(
      '  errors',
      `${errors} (writes ${writes.errors}, reads ${reads.errors}, subscribers refused ${refused})${[...writes.examples, ...reads.examples].map((e) => `\n         ${e}`).join('')}`,
    );
    printInfo(
      '  SSE messages',
      `expected ${expected}, received ${received}, mismatched ${mismatched}, ids out of order ${outOfOrder}, resets ${resets}, streams closed early ${closedEarly}, slow clients dropped ${status.slowClientsDisconnected}; documents differing from REST ${documentsDiffer} of ${checkers.length * MODELS.length}`,
    );
    printInfo(
      '  SSE bytes',
      `${(sseBytes / 2 ** 20).toFixed(0)} MiB received in all (${(sseBytes / 2 ** 20 / seconds).toFixed(1)} MiB/s); ${SOAK_CLUBS[0]}'s documents at the end: ${MODELS.map((m, i) => `${m} ${(documentBytes[i] / 1024).toFixed(0)} KiB`).join(', ')}`,
    );
    printInfo(
      '  server RSS',
      `at start ${(rss[0] / 1024).toFixed(1)} MiB, end of load ${(rssEndOfLoad / 1024).toFixed(1)} MiB, after checks ${(rssEnd / 1024).toFixed(1)} MiB, highest ${(Math.max(...rss, rssEndOfLoad, rssEnd) / 1024).toFixed(1)} MiB; journal ${status.journalEntries} entries, store position ${status.storePosition}`,
    );
    printInfo(
      '  server heap after a full GC',
      `at start ${heap[0].toFixed(1)} MiB, halfway ${heap[1]?.toFixed(1)} MiB, end of load ${heap.at(-1)!.toFixed(1)} MiB (the journal of live updates may hold LIVE_JOURNAL_BYTES, 64 MiB by default)`,
    );
    printInfo(
      '  server RSS every 10 s',
      rss
        .filter((_, i) => i % 10 === 0)
        .map((kib) => `${(kib / 1024).toFixed(0)}`)
        .join(' ') + ' MiB',
    );

    const requests = writeRequests + readRequests;
    const figures: Figure[] = [
      {
        name: `soak ${seconds} s: failed requests (writes, as-of reads, stream opens)`,
        subject: errors,
        baseline: requests + subscribers.length,
        unit: 'requests',
        ratio: errors / (requests + subscribers.length),
        target: '= 0',
        met: errors === 0,
      },
      {
        name: `soak ${seconds} s: SSE messages lost or wrong across ${subscribers.length} subscribers`,
        subject: lost + mismatched,
        baseline: expected,
        unit: 'messages',
        ratio: (lost + mismatched) / Math.max(1, expected),
        target: '= 0',
        met:
          lost === 0 &&
          mismatched === 0 &&
          outOfOrder === 0 &&
          resets === 0 &&
          closedEarly === 0 &&
          documentsDiffer === 0,
      },
      // what the service holds once the journal is full: the read models grow a little with the
      // data written, nothing else should (resident memory also counts garbage not yet collected)
      {
        name: `soak ${seconds} s: server live heap after a full GC, end of load vs halfway`,
        subject: heap.at(-1)!,
        baseline: heap[1] ?? NaN,
        unit: 'MiB',
        ratio: heap.at(-1)! / (heap[1] ?? NaN),
        target: '<= 1.15',
        met: heap.length === 3 && heap[2] / heap[1] <= 1.15,
      },
    ];
    for (const figure of figures) printFigure(figure);
    return figures;
  } finally {
    for (const s of subscribers) s.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
