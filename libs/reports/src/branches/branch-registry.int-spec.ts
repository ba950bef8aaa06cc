import { SqliteEventStore } from '@squad/event-store/sqlite';
import { BRANCHES_STREAM, DomainError } from '@squad/domain';
import { BranchRegistry, Ledger } from '@squad/reports';

const report = (reportId: string, claims: number) => ({
  reportId,
  source: { name: 'Test' },
  publishedOn: '2025-07-01',
  publishedOnApprox: false,
  claims: Array.from({ length: claims }, (_, i) => ({ type: 'PlayerInjured' as const, player: `p-${reportId}-${i}` })),
});

describe(BranchRegistry.name, () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = SqliteEventStore.open({ path: ':memory:' });
  });
  afterEach(() => store.close());

  it('records branches as events that any registry on the store folds, and lets concurrent creations all succeed', async () => {
    await new Ledger(store).record(report('r1', 3));
    const [a, b] = [new BranchRegistry(store), new BranchRegistry(store)];
    const createdAt = '2025-07-01T00:00:00.000Z';
    const branches = await Promise.all([
      a.create({ branchId: 'one', name: 'One', forkAt: { storePosition: 3 }, createdAt }),
      b.create({ branchId: 'two', name: 'Two', forkAt: { knownAt: '2025-06-30' }, createdAt }),
      a.create({ branchId: 'three', name: 'Three', forkAt: { storePosition: 0 }, createdAt }),
    ]);
    expect(branches.map((x) => x.createdPosition).sort()).toEqual([4, 5, 6]);
    const third = new BranchRegistry(store);
    expect((await third.list()).map((x) => x.id).sort()).toEqual(['one', 'three', 'two']);
    expect(await store.readStream(BRANCHES_STREAM)).toHaveLength(3);

    await third.delete({ branchId: 'two', deletedAt: createdAt });
    expect(await a.get('two')).toBeUndefined();
    await expect(b.delete({ branchId: 'two', deletedAt: createdAt })).rejects.toMatchObject({ code: 'UNKNOWN_BRANCH' });
  });

  it('moves a fork inside a report back before it, and refuses one ahead of the store', async () => {
    const ledger = new Ledger(store);
    await ledger.record(report('first', 2)); // positions 1-2
    await ledger.record(report('second', 4)); // positions 3-6
    const registry = new BranchRegistry(store);
    const createdAt = '2025-07-01T00:00:00.000Z';
    expect(
      (await registry.create({ branchId: 'mid', name: 'Mid', forkAt: { storePosition: 4 }, createdAt })).forkAt,
    ).toEqual({ storePosition: 2 });
    expect(
      (await registry.create({ branchId: 'end', name: 'End', forkAt: { storePosition: 6 }, createdAt })).forkAt,
    ).toEqual({ storePosition: 6 });
    expect(
      (await registry.create({ branchId: 'start', name: 'Start', forkAt: { storePosition: 3 }, createdAt })).forkAt,
    ).toEqual({ storePosition: 2 });
    const ahead = await registry
      .create({ branchId: 'ahead', name: 'Ahead', forkAt: { storePosition: 100 }, createdAt })
      .catch((e: unknown) => e);
    expect(ahead).toBeInstanceOf(DomainError);
    expect(ahead).toMatchObject({ code: 'FORK_AHEAD_OF_HISTORY' });
  });
});
