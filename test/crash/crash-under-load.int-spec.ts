import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { today } from '@squad/projections';
import { startServer, type Started } from '../../apps/api/test/server-process';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * The built service (`npm test` builds first) on a SQLite file, killed with SIGKILL while
 * concurrent clients post reports, then restarted on the same file: every report that was
 * answered 2xx is there in full, no report is there in part, and the read models the restarted
 * service serves (an older snapshot, caught up from the store) equal a full rebuild from the
 * store (a second service on a copy of the file, with no snapshot).
 */
const KEY = 'crash-test-write-key-0123456789';
const WRITERS = 4;
const CLUBS = ['juventus', 'marseille', 'ajax', 'crash-city', 'crash-united'];
const POSITIONS = ['GK', 'CB', 'LB', 'RB', 'DM', 'CM', 'AM', 'LW', 'RW', 'ST'];

interface Sent {
  readonly reportId: string;
  readonly claims: Json[];
}
interface Acked extends Sent {
  /** The events the 2xx answer listed. */
  readonly events: { id: string; position: number; type: string }[];
}

async function started(server: Started): Promise<string> {
  const listening = await server.waitForLog((line) => line.msg === 'squad planner listening');
  return listening.url as string;
}

async function stop(server: Started): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  await server.exited;
}

/** A report with several claims about a player nobody has yet: registered, pursued, valued, sometimes sold. */
function report(writer: number, n: number): Sent {
  const player = `crash-player-${writer}-${n}`;
  const home = CLUBS[(writer + n) % CLUBS.length];
  const suitor = CLUBS[(writer + n + 1 + (n % 3)) % CLUBS.length];
  const day = String(1 + (n % 28)).padStart(2, '0');
  const claims: Json[] = [
    {
      type: 'PlayerRegistered',
      player,
      name: `Crash Player ${writer}-${n}`,
      club: home,
      position: POSITIONS[n % POSITIONS.length],
    },
    { type: 'InterestDeclared', club: suitor, player, priority: n % 2 ? 'high' : 'medium' },
    { type: 'MarketValueReported', player, valueEur: 1_000_000 * (1 + (n % 40)) },
  ];
  if (n % 3 === 0) claims.push({ type: 'PlayerInjured', player, injury: 'knock', expectedReturnOn: `2025-09-${day}` });
  if (n % 4 === 0) claims.push({ type: 'BidSubmitted', club: suitor, player, toClub: home, amountEur: 5_000_000 });
  if (n % 5 === 0)
    claims.push({
      type: 'TransferCompleted',
      player,
      fromClub: home,
      toClub: suitor,
      feeEur: 6_000_000,
      effectiveOn: `2025-08-${day}`,
    });
  if (n % 7 === 0) claims.push({ type: 'OutgoingCandidateFlagged', club: home, player, reason: 'surplus' });
  return {
    reportId: `crash-${writer}-${n}`,
    claims: claims.map((claim) => ({ ...claim, effectiveOn: claim.effectiveOn ?? `2025-07-${day}` })),
  };
}

const body = (sent: Sent) => ({
  reportId: sent.reportId,
  source: { name: 'Crash test' },
  publishedOn: `2025-07-${sent.claims[0].effectiveOn.slice(-2)}`,
  claims: sent.claims,
});

async function post(url: string, path: string, payload: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify(payload),
  });
}

/** Every stored event, a page at a time. */
async function allEvents(url: string): Promise<Json[]> {
  const events: Json[] = [];
  for (let after = 0; ;) {
    const page = (await (await fetch(`${url}/v1/events?after=${after}&limit=1000`)).json()) as Json;
    events.push(...page.events);
    if (page.events.length === 0) return events;
    after = page.nextAfter;
  }
}

describe('crash under load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squad-crash-load-'));
  const servers: Started[] = [];
  const start = (env: Record<string, string>) => {
    const server = startServer({
      PORT: '0',
      HOST: '127.0.0.1',
      API_KEYS: KEY,
      WRITE_RATE_LIMIT: '1000000',
      SEED_ON_EMPTY: 'true',
      ...env,
    });
    servers.push(server);
    return server;
  };
  afterAll(async () => {
    for (const server of servers) await stop(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged report whole, none half-present, and read models equal to a full rebuild', async () => {
    const store = join(dir, 'squad.db');
    const env = { SQLITE_PATH: store, READ_MODEL_SNAPSHOT_PATH: join(dir, 'read-models.snapshot') };
    const sent = new Map<string, Sent>();
    const acked = new Map<string, Acked>();

    // 1. a first life that ends cleanly: seeds, a few reports, and a read-model snapshot at shutdown
    const first = start(env);
    const firstUrl = await started(first);
    for (let n = 0; n < 10; n++) {
      const r = report(9, n);
      sent.set(r.reportId, r);
      expect((await post(firstUrl, '/v1/reports', body(r))).status).toBe(201);
    }
    await stop(first);
    expect(existsSync(env.READ_MODEL_SNAPSHOT_PATH)).toBe(true);

    // 2. a second life under load from several writers (single reports and batches), killed mid-flight
    const second = start(env);
    const url = await started(second);
    const killAfter = 150 + Math.floor(Math.random() * 250);
    let stopped = false;
    const refused: string[] = [];
    const acknowledge = (r: Sent, result: Json) => {
      acked.set(r.reportId, {
        ...r,
        events: result.events.map((e: Json) => ({ id: e.id, position: e.storePosition, type: e.type })),
      });
      if (acked.size >= killAfter && !stopped) {
        stopped = true;
        second.child.kill('SIGKILL');
      }
    };
    const writer = async (w: number) => {
      for (let n = 0; !stopped; n++) {
        const batch = w === 0 ? [report(w, 2 * n), report(w, 2 * n + 1)] : [report(w, n)];
        for (const r of batch) sent.set(r.reportId, r);
        let response: Response;
        let answer: Json;
        try {
          response =
            batch.length > 1
              ? await post(url, '/v1/reports:batch', { reports: batch.map(body) })
              : await post(url, '/v1/reports', body(batch[0]));
          answer = await response.json();
        } catch {
          return; // the server died with this request in flight: its report may or may not be there
        }
        if (batch.length === 1) {
          if (response.status === 201) acknowledge(batch[0], answer);
          else refused.push(`${batch[0].reportId}: ${response.status} ${JSON.stringify(answer)}`);
        } else if (response.status === 200) {
          for (const result of answer.results) {
            if (result.status === 'recorded') acknowledge(batch[result.index], result);
            else refused.push(`${batch[result.index].reportId}: ${JSON.stringify(result)}`);
          }
        } else refused.push(`batch: ${response.status} ${JSON.stringify(answer)}`);
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    const killed = await second.exited;
    expect(killed.signal).toBe('SIGKILL');
    expect(refused).toEqual([]);
    expect(acked.size).toBeGreaterThanOrEqual(killAfter);

    // a byte-for-byte copy of the store as the crash left it, for the full rebuild
    const copyDir = join(dir, 'copy');
    mkdirSync(copyDir);
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(`${store}${suffix}`)) copyFileSync(`${store}${suffix}`, join(copyDir, `squad.db${suffix}`));

    // 3. restart on the same file (the snapshot of life 1, caught up from the store), and a rebuild beside it
    const restarted = start(env);
    const rebuilt = start({ SQLITE_PATH: join(copyDir, 'squad.db'), READ_MODEL_SNAPSHOT_PATH: 'none' });
    const [restartedUrl, rebuiltUrl] = await Promise.all([started(restarted), started(rebuilt)]);

    const events = await allEvents(restartedUrl);
    const byReport = new Map<string, Json[]>();
    for (const event of events)
      byReport.set(event.metadata.reportId, [...(byReport.get(event.metadata.reportId) ?? []), event]);

    // every acknowledged report is there in full: the very events its answer listed, with what was sent
    for (const report of acked.values()) {
      const stored = byReport.get(report.reportId) ?? [];
      expect({
        reportId: report.reportId,
        events: stored.map((e) => ({ id: e.id, position: e.storePosition, type: e.type })),
      }).toEqual({ reportId: report.reportId, events: report.events });
      expect(stored.map(({ type, data }) => ({ type, ...data }))).toEqual(
        report.claims.map((claim) => expect.objectContaining(claim)),
      );
    }
    // no report is there in part, acknowledged or not: all its claims, at consecutive positions
    for (const [reportId, stored] of byReport) {
      const expected = sent.get(reportId)?.claims.length ?? stored[0].metadata.claimCount;
      expect({
        reportId,
        claims: stored.length,
        consecutive: stored.every((e, i) => e.storePosition === stored[0].storePosition + i),
      }).toEqual({ reportId, claims: expected, consecutive: true });
    }
    const unacknowledgedPresent = [...byReport.keys()].filter(
      (id) => sent.has(id) && !acked.has(id) && !id.startsWith('crash-9-'),
    ).length;

    // 4. the read models after the restart equal a full rebuild from the store
    const head = events.at(-1).storePosition;
    const read = async (base: string, path: string) => {
      const response = await fetch(`${base}${path}${path.includes('?') ? '&' : '?'}minPosition=${head}`);
      return { status: response.status, body: (await response.json()) as Json };
    };
    const clubs = (await read(restartedUrl, '/v1/clubs')).body.clubs as string[];
    expect((await read(rebuiltUrl, '/v1/clubs')).body.clubs).toEqual(clubs);
    expect(clubs).toEqual(expect.arrayContaining(CLUBS));
    const paths: string[] = [];
    for (const club of clubs) {
      for (const model of ['squad-depth', 'targets', 'outgoing']) {
        for (const clock of [
          'asOf=2025-06-20',
          'asOf=2025-07-15',
          'asOf=2025-08-31',
          `asOf=${today()}`,
          'asOf=2025-08-31&knownAt=2025-07-14',
        ])
          paths.push(`/v1/clubs/${club}/${model}?${clock}`);
      }
    }
    const players = [...acked.values()].filter((_, i) => i % 10 === 0).map((r) => r.claims[0].player as string);
    for (const player of [...players, 'gleison-bremer', 'leonardo-balerdi']) {
      paths.push(`/v1/players/${player}?asOf=2025-08-31`, `/v1/players/${player}/timeline`);
    }
    for (const path of paths) {
      const [after, full] = await Promise.all([read(restartedUrl, path), read(rebuiltUrl, path)]);
      expect({ path, status: after.status }).toEqual({ path, status: 200 });
      expect({ path, document: after.body }).toEqual({ path, document: full.body });
    }

    // and the restarted service goes on recording
    expect((await post(restartedUrl, '/v1/reports', body(report(8, 0)))).status).toBe(201);
    process.stdout.write(
      `crash under load: ${acked.size} reports acknowledged before SIGKILL (${WRITERS} writers), ${unacknowledgedPresent} in flight stored whole, ${events.length} events, ${paths.length} documents equal to a rebuild\n`,
    );
  }, 120_000);
});
