import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import type { Report, ReportRecorded, SquadClient } from '@squad/client';
import { today } from '@squad/projections';
import { ADMIN_DATABASE_URL, describeWithPostgres, waitUntil } from '../../../test/support/postgres';
import { startCuttableProxy, terminateBackends, type CuttableProxy } from '../../../test/support/postgres-faults';
import { assertConformance, recordConformanceCount } from './contract/conformance';
import { startServer, type Started } from './server-process';
import { testClient } from './test-api';

const CUTS = 5;
const WRITERS = 6;
/** Reports acknowledged before a cut and after it, so every cut lands mid-load and is recovered from. */
const REPORTS_BETWEEN_CUTS = 30;
/**
 * How long after a cut has ended a request may still meet a connection the service has not yet
 * seen close. A 503 to a request sent later is a failure.
 */
const CUT_GRACE_MS = 1000;
const RETRY_AFTER_UNAVAILABLE_MS = 25;

interface Attempt {
  readonly reportId: string;
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly status: number;
  readonly code?: string;
}

interface Cut {
  readonly start: number;
  readonly end: number;
}

/**
 * The built service on PostgreSQL, with writers posting reports over HTTP while its connections
 * are cut: every backend of its database terminated, several times (as a failover, a restart or
 * an idle-connection reaper does), then the server made unreachable for a while through a proxy.
 * The process must stay up, answer 503 EVENT_STORE_UNAVAILABLE only during a cut, and lose
 * nothing it acknowledged: every report answered 2xx is in the store with exactly the events its
 * answer listed, and in the read models, which the service's subscription kept feeding.
 */
describeWithPostgres('the service on PostgreSQL when its connections are cut under write load', (database) => {
  let server: Started;
  let client: SquadClient;
  let admin: Client;
  let proxy: CuttableProxy;
  let exitedEarly: Awaited<Started['exited']> | undefined;
  /** Every report acknowledged in the suite, by id. */
  const acknowledged = new Map<string, ReportRecorded>();

  beforeAll(async () => {
    admin = new Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    proxy = await startCuttableProxy(database().url);
    server = startServer({
      PORT: '0',
      HOST: '127.0.0.1',
      EVENT_STORE: 'postgres',
      DATABASE_URL: proxy.url(database().url),
      SEED_ON_EMPTY: 'false',
      READ_MODEL_SNAPSHOT_PATH: 'none',
      WRITE_RATE_LIMIT: '1000000',
      LOG_LEVEL: 'info',
    });
    void server.exited.then((exit) => (exitedEarly = exit));
    const listening = await server.waitForLog((line) => line.msg === 'squad planner listening');
    client = testClient(listening.url as string, { checkAnswers: true });
  });

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    const exit = await server?.exited;
    await proxy?.close();
    await admin?.end();
    expect(exit).toMatchObject({ code: 0 });
    recordConformanceCount();
    assertConformance();
  });

  const report = (name: string, writer: number, n: number): Report => ({
    reportId: `${name}-${writer}-${n}`,
    source: { name: 'Fault injection' },
    publishedOn: today(),
    claims: Array.from({ length: 1 + (n % 2) }, (_, claim) => ({
      type: 'InterestDeclared' as const,
      club: `cut-club-${writer}`,
      player: `${name}-player-${writer}-${n}-${claim}`,
      priority: 'high' as const,
    })),
  });

  /** WRITERS clients posting reports one after another, each until it is acknowledged. */
  const startWriters = (name: string) => {
    const attempts: Attempt[] = [];
    const unexpected: string[] = [];
    let writing = true;
    let acknowledgedHere = 0;

    // a 503 may or may not have recorded the report: the same reportId is safe to post again
    const record = async (body: Report): Promise<void> => {
      for (;;) {
        const sentAt = Date.now();
        let answer: Awaited<ReturnType<SquadClient['api']['POST']>>;
        try {
          answer = await client.api.POST('/v1/reports', { body });
        } catch (error) {
          unexpected.push(`${body.reportId}: no answer (${String(error)})`); // the process went away
          return;
        }
        const { data, error, response } = answer;
        const code = (error as { code?: string } | undefined)?.code;
        attempts.push({ reportId: body.reportId, sentAt, answeredAt: Date.now(), status: response.status, code });
        if (response.ok && data && 'reportId' in data) {
          acknowledged.set(body.reportId, data as ReportRecorded);
          acknowledgedHere++;
          return;
        }
        // only a 503 is posted again: an independent report is never refused for contention (no 409)
        if (response.status !== 503 || code !== 'EVENT_STORE_UNAVAILABLE') {
          unexpected.push(`${body.reportId}: ${response.status} ${code}`);
          return;
        }
        // backs off after a 503, as a real client would, rather than spin while the store is away
        if (response.status === 503) await delay(RETRY_AFTER_UNAVAILABLE_MS);
      }
    };
    const writers = Array.from({ length: WRITERS }, async (_, n) => {
      for (let i = 0; writing && unexpected.length === 0; i++) await record(report(name, n, i));
    });

    return {
      attempts,
      /** Resolves once `count` more reports are acknowledged (a deadline, not a wait). */
      untilAcknowledged: async (count: number) => {
        const target = acknowledgedHere + count;
        await waitUntil(
          `${count} more reports are acknowledged`,
          () => Promise.resolve(acknowledgedHere >= target || unexpected.length > 0 || exitedEarly !== undefined),
          30_000,
        );
      },
      stop: async () => {
        writing = false;
        await Promise.all(writers);
        // the process is still up (else its exit and stderr say why)
        expect({ unexpected, exit: exitedEarly }).toEqual({ unexpected: [], exit: undefined });
      },
    };
  };

  /** 503 only for requests in flight during a cut (or just after it), and only EVENT_STORE_UNAVAILABLE. */
  const expectUnavailableOnlyDuring = (cuts: readonly Cut[], attempts: readonly Attempt[]) => {
    const unavailable = attempts.filter((a) => a.status === 503);
    expect(unavailable.filter((a) => a.code !== 'EVENT_STORE_UNAVAILABLE')).toEqual([]);
    const outsideCuts = unavailable.filter(
      (a) => !cuts.some((cut) => a.sentAt <= cut.end + CUT_GRACE_MS && a.answeredAt >= cut.start),
    );
    expect(outsideCuts).toEqual([]);
    return unavailable.length;
  };

  /** Every acknowledged report is in the store with exactly the events its answer listed, and in the read models. */
  const expectEverythingAcknowledgedKept = async () => {
    const store = new Client({ connectionString: database().url });
    await store.connect();
    const { rows } = await store
      .query<{ report: string; ids: string[]; positions: string[] }>(
        `SELECT metadata::json->>'reportId' AS report,
                array_agg(id::text ORDER BY position) AS ids, array_agg(position::text ORDER BY position) AS positions
           FROM event_store.events GROUP BY 1`,
      )
      .finally(() => store.end());
    const stored = new Map(rows.map((row) => [row.report, row]));
    for (const [reportId, answer] of acknowledged) {
      expect({ reportId, ids: stored.get(reportId)?.ids, positions: stored.get(reportId)?.positions }).toEqual({
        reportId,
        ids: answer.events.map((e) => e.id),
        positions: answer.events.map((e) => String(e.storePosition)),
      });
    }
    // and nothing else: each report was posted again until it was acknowledged
    expect([...stored.keys()].sort()).toEqual([...acknowledged.keys()].sort());

    // the read models, fed by the subscription across the cuts, hold every acknowledged report
    const last = Math.max(...[...acknowledged.values()].map((answer) => answer.storePosition ?? 0));
    for (let n = 0; n < WRITERS; n++) {
      const { data, response } = await client.api.GET('/v1/clubs/{club}/targets', {
        params: { path: { club: `cut-club-${n}` }, query: { minPosition: last } },
      });
      expect(response.status).toBe(200);
      const expected = [...acknowledged.values()]
        .flatMap((answer) => answer.events)
        .filter((e) => e.data.club === `cut-club-${n}`)
        .map((e) => e.data.player as string);
      expect(data?.targets.map((t) => t.player).sort()).toEqual(expected.sort());
    }
    expect((await client.api.GET('/health')).response.status).toBe(200);
  };

  it('stays up when the backends of its database are terminated mid-load, again and again', async () => {
    const load = startWriters('terminated');
    const cuts: Cut[] = [];
    const terminated: number[] = [];
    for (let cut = 0; cut < CUTS && exitedEarly === undefined; cut++) {
      await load.untilAcknowledged(REPORTS_BETWEEN_CUTS);
      const start = Date.now();
      terminated.push(await terminateBackends(admin, database().name));
      cuts.push({ start, end: Date.now() });
    }
    await load.untilAcknowledged(REPORTS_BETWEEN_CUTS); // writes go through again after the last cut
    await load.stop();

    const unavailable = expectUnavailableOnlyDuring(cuts, load.attempts);
    expect(load.attempts.filter((a) => a.status === 409)).toEqual([]);
    await expectEverythingAcknowledgedKept();
    // the cuts hit connections and requests in flight
    expect(terminated).toHaveLength(CUTS);
    expect(terminated.every((count) => count > 0)).toBe(true);
    expect(unavailable).toBeGreaterThan(0);
    // the lost connections were logged, not thrown
    expect(server.lines.some((line) => line.context === 'event-store' && line.level === 'warn')).toBe(true);
    process.stdout.write(
      `terminated backends: ${CUTS} cuts (${terminated.join(', ')} backends), ${acknowledged.size} reports ` +
        `acknowledged, ${load.attempts.length} requests, ${unavailable} answered 503, ` +
        `${load.attempts.filter((a) => a.status === 409).length} answered 409\n`,
    );
  }, 180_000);

  it('answers 503 while its database is unreachable, and catches up once it is back', async () => {
    const load = startWriters('unreachable');
    await load.untilAcknowledged(REPORTS_BETWEEN_CUTS);
    const start = Date.now();
    proxy.cutOff();
    // the outage lasts until every writer has been refused, the service's subscription has failed
    // to read (it polls every second), and readiness says so: not for a set time
    const logged = server.lines.length;
    await waitUntil('every writer is refused and the subscription fails to read', () =>
      Promise.resolve(
        load.attempts.filter((a) => a.status === 503 && a.sentAt >= start).length >= WRITERS &&
          server.lines.slice(logged).some((line) => JSON.stringify(line).includes('a subscription could not read')),
      ),
    );
    const health = await client.api.GET('/health');
    expect(health.response.status).toBe(503);
    proxy.restore();
    const cut = { start, end: Date.now() };
    await load.untilAcknowledged(REPORTS_BETWEEN_CUTS);
    await load.stop();

    const unavailable = expectUnavailableOnlyDuring([cut], load.attempts);
    expect(load.attempts.filter((a) => a.status === 409)).toEqual([]);
    await expectEverythingAcknowledgedKept();
    process.stdout.write(
      `unreachable for ${cut.end - cut.start} ms: ${acknowledged.size} reports acknowledged in the suite, ` +
        `${load.attempts.length} requests, ${unavailable} answered 503\n`,
    );
  }, 180_000);
});
