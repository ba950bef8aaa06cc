import { SqliteEventStore } from '@squad/event-store/sqlite';
import { CANONICAL_LEDGER_STREAM } from '@squad/domain';
import { Ledger, readSeedReports, importReports, parseReport, ReportRejectedError } from '@squad/reports';
import type { Report } from '@squad/domain';
import { join } from 'node:path';

const report = (reportId: string, claims: Report['claims']): Report => ({
  reportId,
  source: { name: 'Test' },
  publishedOn: '2025-07-01',
  publishedOnApprox: false,
  claims,
});
const registerBalerdi = report('register', [
  { type: 'PlayerRegistered', player: 'leonardo-balerdi', name: 'Leonardo Balerdi', club: 'marseille', position: 'CB' },
]);
const transfer = (id: string) =>
  report(id, [{ type: 'TransferCompleted', player: 'leonardo-balerdi', fromClub: 'marseille', toClub: 'juventus' }]);

describe(Ledger.name, () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = SqliteEventStore.open({ path: ':memory:' });
  });
  afterEach(() => store.close());

  it('takes report ids as given, case and all: "Case-Id-1" and "case-id-1" are two reports', async () => {
    // a report id is the client's idempotency key, an opaque string (as an Idempotency-Key header is)
    const ledger = new Ledger(store);
    const injured = (id: string) => report(id, [{ type: 'PlayerInjured', player: 'gleison-bremer' }]);
    expect(await ledger.record(injured('Case-Id-1'))).toMatchObject({ status: 'recorded' });
    expect(await ledger.record(injured('case-id-1'))).toMatchObject({ status: 'recorded' });
    expect(await ledger.record(injured('Case-Id-1'))).toMatchObject({ status: 'already-recorded' });
    expect(await store.readStream(CANONICAL_LEDGER_STREAM)).toHaveLength(2);
  });

  it('records a batch in one append, each report decided on top of the ones before it, a refused one left out', async () => {
    const ledger = new Ledger(store);
    const headBefore = await store.headPosition();
    const outcomes = await ledger.recordBatch([
      registerBalerdi,
      transfer('deal'), // needs the registration of the same batch
      transfer('deal-again'), // he is at Juventus now: refused, the others stay
      registerBalerdi, // the same report twice: recorded once
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['recorded', 'recorded', 'rejected', 'already-recorded']);
    expect(outcomes[2]).toMatchObject({ reportId: 'deal-again', error: { code: 'PLAYER_NOT_AT_CLUB' } });
    const events = await store.readStream(CANONICAL_LEDGER_STREAM);
    expect(events.map((e) => e.type)).toEqual(['PlayerRegistered', 'TransferCompleted']);
    // the events follow the head they were decided at, in the order of their reports
    expect(events.map((e) => Number(e.position) - Number(headBefore))).toEqual([1, 2]);

    // the same batch again records nothing, and a new ledger on the store agrees
    const again = await new Ledger(store).recordBatch([registerBalerdi, transfer('deal')]);
    expect(again.map((o) => o.status)).toEqual(['already-recorded', 'already-recorded']);
    expect(await store.readStream(CANONICAL_LEDGER_STREAM)).toHaveLength(2);
  });

  it('decides against the state at a revision and re-decides when another writer got there first', async () => {
    // two ledgers on one store stand for two service instances
    const first = new Ledger(store);
    const second = new Ledger(store);
    await first.record(registerBalerdi);

    const outcomes = await Promise.allSettled([first.record(transfer('deal-a')), second.record(transfer('deal-b'))]);

    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', value: { status: 'recorded' } });
    const refused = (outcomes[1] as PromiseRejectedResult).reason as ReportRejectedError;
    expect(refused).toBeInstanceOf(ReportRejectedError);
    expect(refused.domainError.code).toBe('PLAYER_NOT_AT_CLUB');
    expect(refused.versionConflict).toMatchObject({ stream: CANONICAL_LEDGER_STREAM, expected: 0n, actual: 1n });
    expect(await store.readStream(CANONICAL_LEDGER_STREAM)).toHaveLength(2);
  });

  it('lets concurrent writers of unrelated reports all succeed, retrying on version conflicts', async () => {
    const ledgers = [new Ledger(store), new Ledger(store), new Ledger(store)];
    const results = await Promise.all(
      ledgers.map((ledger, i) =>
        ledger.record(
          report(`interest-${i}`, [{ type: 'InterestDeclared', club: `club-${i}`, player: 'leonardo-balerdi' }]),
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['recorded', 'recorded', 'recorded']);
    const revisions = results.map((r) => Number(r.events[0].revision)).sort();
    expect(revisions).toEqual([0, 1, 2]);
  });

  it('writes an identical concurrent submission once and answers both with the same events', async () => {
    const a = new Ledger(store);
    const b = new Ledger(store);
    const same = report('same', [{ type: 'InterestDeclared', club: 'juventus', player: 'leonardo-balerdi' }]);
    const [x, y] = await Promise.all([a.record(same), b.record(same)]);
    expect(x.events).toEqual(y.events);
    expect(await store.headPosition()).toBe(1n);
  });

  it('loads the seed reports, flags La Tribune Olympienne against the reports it contradicts, and loads nothing twice', async () => {
    const ledger = new Ledger(store);
    const seeds = await readSeedReports(join(__dirname, '..', '..', '..', '..', 'seeds'));
    expect(seeds.every((s) => 'report' in parseReport(s.body))).toBe(true);

    const first = await importReports(ledger, seeds, parseReport);
    expect(first).toEqual({ recorded: 10, alreadyPresent: 0, rejected: [] });
    const head = await store.headPosition();
    expect(await importReports(new Ledger(store), seeds, parseReport)).toEqual({
      recorded: 0,
      alreadyPresent: 10,
      rejected: [],
    });
    expect(await store.headPosition()).toBe(head);

    const events = await store.readStream(CANONICAL_LEDGER_STREAM);
    const dispute = events.find((e) => e.type === 'ClaimDisputed');
    expect(
      (dispute?.data as { contradicts: { source: { name: string } }[] }).contradicts.map((c) => c.source.name),
    ).toEqual(['Tuttojuve', 'La Gazzetta dello Sport', 'Tuttomercatoweb']);
    const undated = events.find(
      (e) => (e.metadata as { reportId: string }).reportId === 'football-italia-2025-06-late-balerdi',
    );
    expect(undated?.metadata).toMatchObject({ publishedOnApprox: true });
  });
});
