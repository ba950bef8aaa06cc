import { CANONICAL_LEDGER_STREAM, type Report } from '@squad/domain';
import {
  type EventStore,
  EventStoreUnavailableError,
  InvalidAppendError,
  type StoredEvent,
  WrongExpectedRevisionError,
} from '@squad/event-store';
import { PostgresEventStore } from '@squad/event-store/postgres';
import { SqliteEventStore } from '@squad/event-store/sqlite';
import { Ledger, LedgerContentionError, type RecordReportResult, ReportRejectedError } from '@squad/reports';
import { describeWithPostgres } from '../../../../test/support/postgres';

const report = (reportId: string, claims: Report['claims'], source: Report['source'] = { name: 'Test' }): Report => ({
  reportId,
  source,
  publishedOn: '2025-07-01',
  publishedOnApprox: false,
  claims,
});
/** A valid report no other report depends on: interest in a player nobody else names. */
const independent = (id: string, claims = 1): Report =>
  report(
    id,
    Array.from({ length: claims }, (_, claim) => ({
      type: 'InterestDeclared' as const,
      club: `club-of-${id}`,
      player: `player-${id}-${claim}`,
      priority: 'high' as const,
    })),
  );
const registerBalerdi = report('register-balerdi', [
  { type: 'PlayerRegistered', player: 'leonardo-balerdi', name: 'Leonardo Balerdi', club: 'marseille', position: 'CB' },
]);
/** Only one of these can hold: he leaves Marseille once. */
const sellBalerdi = (id: string, toClub: string) =>
  report(id, [{ type: 'TransferCompleted', player: 'leonardo-balerdi', fromClub: 'marseille', toClub }]);

/** `store` seen through `before`, awaited before each of its appends (the n-th: 0, 1, ...). */
function beforeEachAppend(store: EventStore, before: (n: number) => Promise<void>): EventStore {
  let appends = 0;
  return new Proxy(store, {
    get(target, key) {
      if (key === 'append') {
        return async (...args: Parameters<EventStore['append']>) => {
          await before(appends++);
          return target.append(...args);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** `store`, counting its appends and the lost races it answered. */
function counting(store: EventStore) {
  const counts = { appends: 0, lostRaces: 0 };
  const counted = new Proxy(store, {
    get(target, key) {
      if (key === 'append') {
        return async (...args: Parameters<EventStore['append']>) => {
          counts.appends++;
          try {
            return await target.append(...args);
          } catch (error) {
            if (error instanceof WrongExpectedRevisionError) counts.lostRaces++;
            throw error;
          }
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, counts };
}

const reportIdOf = (event: StoredEvent) => (event.metadata as { reportId: string }).reportId;

/** Every report of the stream, by id, with its events. */
async function storedReports(store: EventStore): Promise<Map<string, StoredEvent[]>> {
  const byReport = new Map<string, StoredEvent[]>();
  for (const event of await store.readStream(CANONICAL_LEDGER_STREAM)) {
    byReport.set(reportIdOf(event), [...(byReport.get(reportIdOf(event)) ?? []), event]);
  }
  return byReport;
}

describe(`${Ledger.name} under write contention`, () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = SqliteEventStore.open({ path: ':memory:' });
  });
  afterEach(() => store.close());

  it('never races itself: reports in flight at once on one ledger are decided together, with no lost race', async () => {
    const { store: counted, counts } = counting(store);
    const ledger = new Ledger(counted);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => ledger.record(independent(`together-${i}`, 1 + (i % 3)))),
    );

    expect(results.map((r) => r.status)).toEqual(Array(16).fill('recorded'));
    expect(counts.lostRaces).toBe(0);
    // they all arrived while the first decision caught up: one decision, one durable write
    expect(counts.appends).toBe(1);
    // each answer lists its own events, as stored, in the order the reports came
    const stored = await storedReports(store);
    for (const [i, result] of results.entries()) {
      expect(result.events).toEqual(stored.get(`together-${i}`));
      expect(result.events).toHaveLength(1 + (i % 3));
    }
    const revisions = results.flatMap((r) => r.events.map((e) => Number(e.revision)));
    expect(revisions).toEqual(revisions.map((_, n) => n));
  });

  it('decides again past any number of lost races while the report still holds', async () => {
    const rival = new Ledger(store); // another instance, whose appends land first twelve times
    const ledger = new Ledger(
      beforeEachAppend(store, async (n) => {
        if (n < 12) await rival.record(independent(`rival-${n}`));
      }),
    );

    const result = await ledger.record(independent('ours'));

    expect(result.status).toBe('recorded');
    const stored = await storedReports(store);
    expect(stored.size).toBe(13);
    expect(stored.get('ours')).toEqual(result.events);
  });

  it("refuses with its domain code, never WRONG_EXPECTED_REVISION, a report another writer's append made invalid", async () => {
    await new Ledger(store).record(registerBalerdi);
    const rival = new Ledger(store);
    // the rival wins seven races with independent reports, then sells Balerdi first
    const ledger = new Ledger(
      beforeEachAppend(store, async (n) => {
        if (n < 7) await rival.record(independent(`rival-${n}`));
        else if (n === 7) await rival.record(sellBalerdi('rival-sale', 'juventus'));
      }),
    );

    const refused = await ledger.record(sellBalerdi('our-sale', 'ajax')).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(ReportRejectedError);
    const { domainError, versionConflict } = refused as ReportRejectedError;
    expect(domainError.code).toBe('PLAYER_NOT_AT_CLUB');
    // the race it lost last, when the sale landed
    expect(versionConflict).toMatchObject({ stream: CANONICAL_LEDGER_STREAM, expected: 7n, actual: 8n });
    expect((await storedReports(store)).has('our-sale')).toBe(false);
  });

  it('answers 503 (EVENT_STORE_UNAVAILABLE) once its decision has lost races for the contention deadline', async () => {
    const rival = new Ledger(store);
    let rivals = 0;
    const ledger = new Ledger(
      beforeEachAppend(store, async () => {
        await rival.record(independent(`rival-${rivals++}`)); // always first
      }),
      CANONICAL_LEDGER_STREAM,
      undefined,
      { contentionDeadlineMs: 150 },
    );

    const refused = await ledger.record(independent('ours')).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(LedgerContentionError);
    expect(refused).toBeInstanceOf(EventStoreUnavailableError); // what the HTTP layer answers 503
    expect(refused).toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE', stream: CANONICAL_LEDGER_STREAM });
    expect((refused as LedgerContentionError).waitedMs).toBeGreaterThanOrEqual(150);
    // far more than a fixed cap of attempts before giving up
    expect(rivals).toBeGreaterThan(5);
    expect((await storedReports(store)).has('ours')).toBe(false);
  });

  it('decides again when another instance stored the same report within an append of its own', async () => {
    const rival = new Ledger(store);
    const same = independent('sent-to-both', 2);
    let rivalAnswers: RecordReportResult[] = [];
    // the rival instance stores the same report, with another, first
    const { store: counted, counts } = counting(
      beforeEachAppend(store, async (n) => {
        if (n === 0) rivalAnswers = await Promise.all([rival.record(same), rival.record(independent('rival-only'))]);
      }),
    );
    const ledger = new Ledger(counted);

    const outcomes = await ledger.recordBatch([same, independent('ours-only')]);

    // its first append (the same report with another) was refused as reusing stored ids: a lost race
    expect(counts.appends).toBe(2);
    expect(outcomes).toEqual([
      { reportId: 'sent-to-both', status: 'already-recorded' },
      { reportId: 'ours-only', status: 'recorded' },
    ]);
    expect(await ledger.record(same)).toEqual({ ...rivalAnswers[0], status: 'already-recorded' });
    expect([...(await storedReports(store)).keys()]).toEqual(['sent-to-both', 'rival-only', 'ours-only']);
  });

  it('answers identical submissions in flight at once with the same events, stored once', async () => {
    const ledger = new Ledger(store);
    const same = independent('same', 2);
    const [a, b] = await Promise.all([ledger.record(same), ledger.record(same)]);
    expect(a).toEqual(b);
    expect(a.status).toBe('recorded');
    expect(await store.readStream(CANONICAL_LEDGER_STREAM)).toHaveLength(2);
    // sent again later: already recorded, with the same events
    expect(await ledger.record(same)).toEqual({ ...a, status: 'already-recorded' });
  });

  it('refuses, in arrival order, a report of this process that an earlier one in flight made invalid', async () => {
    const ledger = new Ledger(store);
    await ledger.record(registerBalerdi);
    const [batch, first, second] = await Promise.allSettled([
      ledger.recordBatch([independent('batch-a'), independent('batch-b'), independent('batch-a')]),
      ledger.record(sellBalerdi('first-sale', 'juventus')),
      ledger.record(sellBalerdi('second-sale', 'ajax')),
    ]);
    expect(batch).toMatchObject({
      status: 'fulfilled',
      value: [
        { reportId: 'batch-a', status: 'recorded' },
        { reportId: 'batch-b', status: 'recorded' },
        { reportId: 'batch-a', status: 'already-recorded' },
      ],
    });
    expect(first).toMatchObject({ status: 'fulfilled', value: { status: 'recorded' } });
    const refused = (second as PromiseRejectedResult).reason as ReportRejectedError;
    expect(refused).toBeInstanceOf(ReportRejectedError);
    expect(refused.domainError.code).toBe('PLAYER_NOT_AT_CLUB');
    expect(refused.versionConflict).toBeUndefined(); // no race lost: the first sale was decided before it
    expect([...(await storedReports(store)).keys()]).toEqual(['register-balerdi', 'batch-a', 'batch-b', 'first-sale']);
  });

  it('fails alone a report the decider fails on (a fault, not a refusal); the reports decided with it are recorded', async () => {
    const { store: counted, counts } = counting(store);
    const ledger = new Ledger(counted);
    // no such claim type: the decider's exhaustive switch throws, as a bug would
    const broken = report('broken', [{ type: 'NoSuchClaim', player: 'x' } as unknown as Report['claims'][number]]);
    const outcomes = await Promise.allSettled([
      ledger.record(independent('first')),
      ledger.record(independent('beside-1')),
      ledger.record(broken),
      ledger.record(independent('beside-2')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).not.toBeInstanceOf(ReportRejectedError);
    expect([...(await storedReports(store)).keys()].sort()).toEqual(['beside-1', 'beside-2', 'first']);
    expect(counts.appends).toBe(1); // decided together, the broken one left out
  });

  it('fails alone a report the store refuses; the reports decided with it are recorded', async () => {
    const small = SqliteEventStore.open({ path: ':memory:', maxEventBytes: 4096 });
    try {
      const ledger = new Ledger(small);
      const tooLarge = report('too-large', independent('too-large').claims, { name: 'x'.repeat(5000) });
      const outcomes = await Promise.allSettled([
        ledger.record(independent('before')),
        ledger.record(independent('alongside-1')),
        ledger.record(tooLarge),
        ledger.record(independent('alongside-2', 2)),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      const refused = (outcomes[2] as PromiseRejectedResult).reason as InvalidAppendError;
      expect(refused).toBeInstanceOf(InvalidAppendError);
      // named as the append of this report alone would name it
      expect(refused).toMatchObject({ reason: 'EVENT_TOO_LARGE', field: 'events[0]' });
      const stored = await storedReports(small);
      expect([...stored.keys()].sort()).toEqual(['alongside-1', 'alongside-2', 'before']);
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') expect(outcome.value.events).toEqual(stored.get(outcome.value.reportId));
      }
    } finally {
      await small.close();
    }
  });
});

const WRITERS_PER_INSTANCE = 8;
const REPORTS_PER_WRITER = 12;

/**
 * Two ledgers on two stores (two connection pools on one database) are two service instances'
 * worth of writers, as in production behind a load balancer.
 */
describeWithPostgres(`${Ledger.name} on PostgreSQL: 8 writers on each of two instances`, (database) => {
  const stores: PostgresEventStore[] = [];
  let schemas = 0;
  /** Two instances on a fresh schema. */
  const twoInstances = async () => {
    const schema = `contention_${schemas++}`;
    const pair = [
      await PostgresEventStore.open({ connectionString: database().url, schema }),
      await PostgresEventStore.open({ connectionString: database().url, schema }),
    ];
    stores.push(...pair);
    return pair;
  };
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  /** Runs `writer(instance, writer)` for every writer of both instances at once. */
  const allWriters = (ledgers: readonly Ledger[], writer: (ledger: Ledger, name: string) => Promise<void>) =>
    Promise.all(
      ledgers.flatMap((ledger, l) =>
        Array.from({ length: WRITERS_PER_INSTANCE }, (_, w) => writer(ledger, `${l}-${w}`)),
      ),
    );

  it('records every valid, independent report, refusing none, each stored once', async () => {
    const pair = await twoInstances();
    const ledgers = pair.map((store) => new Ledger(store));
    const answers = new Map<string, RecordReportResult>();
    const refused: string[] = [];

    await allWriters(ledgers, async (ledger, name) => {
      for (let n = 0; n < REPORTS_PER_WRITER; n++) {
        const body = independent(`w${name}-${n}`, 1 + (n % 2));
        await ledger.record(body).then(
          (answer) => answers.set(body.reportId, answer),
          (error: unknown) => refused.push(`${body.reportId}: ${(error as Error).name} ${(error as Error).message}`),
        );
      }
    });

    expect(refused).toEqual([]);
    const total = 2 * WRITERS_PER_INSTANCE * REPORTS_PER_WRITER;
    expect(answers.size).toBe(total);
    const stored = await storedReports(pair[0]);
    expect(stored.size).toBe(total);
    for (const [reportId, answer] of answers) {
      expect(answer.status).toBe('recorded');
      expect(stored.get(reportId)).toEqual(answer.events);
    }
    // nothing twice: one event per claim, at consecutive revisions
    const events = [...stored.values()].flat();
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.map((e) => Number(e.revision)).sort((a, b) => a - b)).toEqual(events.map((_, i) => i));
  }, 120_000);

  it('refuses a report that a concurrent write made invalid with its domain code, never WRONG_EXPECTED_REVISION', async () => {
    const pair = await twoInstances();
    const ledgers = pair.map((store) => new Ledger(store));
    await ledgers[0].record(registerBalerdi);
    const sales: { name: string; outcome: string }[] = []; // 'recorded', or why not
    const failures: string[] = [];

    // every writer tries to sell Balerdi in the middle of its independent reports: one sale holds
    await allWriters(ledgers, async (ledger, name) => {
      for (let n = 0; n < REPORTS_PER_WRITER; n++) {
        const body = independent(`w${name}-${n}`);
        await ledger.record(body).catch((error: unknown) => failures.push(`${body.reportId}: ${String(error)}`));
        if (n !== REPORTS_PER_WRITER / 2) continue;
        await ledger.record(sellBalerdi(`sale-${name}`, `club-${name}`)).then(
          () => sales.push({ name, outcome: 'recorded' }),
          (error: unknown) =>
            sales.push({
              name,
              outcome:
                error instanceof ReportRejectedError
                  ? error.domainError.code
                  : `${(error as Error).name}: ${(error as Error).message}`,
            }),
        );
      }
    });

    expect(failures).toEqual([]);
    expect(sales).toHaveLength(2 * WRITERS_PER_INSTANCE);
    expect(sales.filter((s) => s.outcome === 'recorded')).toHaveLength(1);
    expect(sales.filter((s) => s.outcome !== 'recorded').map((s) => s.outcome)).toEqual(
      Array(2 * WRITERS_PER_INSTANCE - 1).fill('PLAYER_NOT_AT_CLUB'),
    );
    const stored = await storedReports(pair[1]);
    expect([...stored.keys()].filter((id) => id.startsWith('sale-'))).toEqual([
      `sale-${sales.find((s) => s.outcome === 'recorded')!.name}`,
    ]);
    expect(stored.size).toBe(1 + 1 + 2 * WRITERS_PER_INSTANCE * REPORTS_PER_WRITER);
  }, 120_000);
});
