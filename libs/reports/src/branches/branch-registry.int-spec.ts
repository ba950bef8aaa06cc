import { SqliteEventStore } from '@squad/event-store/sqlite';
import { PostgresEventStore } from '@squad/event-store/postgres';
import { BRANCHES_STREAM, DomainError, type Branch } from '@squad/domain';
import { type EventStore } from '@squad/event-store';
import {
  BranchLimitError,
  BranchRegistry,
  BranchRegistryContentionError,
  Ledger,
  type BranchLimits,
} from '@squad/reports';
import { describeWithPostgres } from '../../../../test/support/postgres';

const report = (reportId: string, claims: number) => ({
  reportId,
  source: { name: 'Test' },
  publishedOn: '2025-07-01',
  publishedOnApprox: false,
  claims: Array.from({ length: claims }, (_, i) => ({ type: 'PlayerInjured' as const, player: `p-${reportId}-${i}` })),
});
const createdAt = '2025-07-01T00:00:00.000Z';
const fork = (branchId: string, owner?: string) => ({
  branchId,
  name: branchId,
  forkAt: { storePosition: 0 },
  createdAt,
  ...(owner === undefined ? {} : { owner }),
});
const ids = (branches: readonly Branch[]) => branches.map((branch) => branch.id);
/** Every live branch, a page at a time. */
async function allPages(registry: BranchRegistry, limit: number): Promise<Branch[][]> {
  const pages: Branch[][] = [];
  for (let after = 0; ;) {
    const page = await registry.page({ after, limit });
    pages.push(page.branches);
    if (page.next === undefined) return pages;
    after = page.next;
  }
}

describe(BranchRegistry.name, () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = SqliteEventStore.open({ path: ':memory:' });
  });
  afterEach(() => store.close());

  it('records branches as events that any registry on the store folds, and lets concurrent creations all succeed', async () => {
    await new Ledger(store).record(report('r1', 3));
    const [a, b] = [new BranchRegistry(store), new BranchRegistry(store)];
    const branches = await Promise.all([
      a.create({ branchId: 'one', name: 'One', forkAt: { storePosition: 3 }, createdAt }),
      b.create({ branchId: 'two', name: 'Two', forkAt: { knownAt: '2025-06-30' }, createdAt }),
      a.create({ branchId: 'three', name: 'Three', forkAt: { storePosition: 0 }, createdAt }),
    ]);
    expect(branches.map((x) => x.createdPosition).sort()).toEqual([4, 5, 6]);
    const third = new BranchRegistry(store);
    expect(ids((await third.page({ limit: 10 })).branches).sort()).toEqual(['one', 'three', 'two']);
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

  it('holds nothing of a deleted branch, and refuses its id again from the store', async () => {
    const registry = new BranchRegistry(store);
    const count = 200;
    for (let i = 0; i < count; i++) await registry.create(fork(`b-${i}`, `owner-${i % 7}`));
    expect(registry.held()).toEqual({ branches: count, owners: 7 });
    for (let i = 0; i < count; i++) await registry.delete({ branchId: `b-${i}`, deletedAt: createdAt });
    expect(registry.held()).toEqual({ branches: 0, owners: 0 });
    // as a registry starting on the store folds it
    const restarted = new BranchRegistry(store);
    expect(await restarted.page({ limit: 1000 })).toEqual({ branches: [], next: undefined });
    expect(restarted.held()).toEqual({ branches: 0, owners: 0 });
    expect(await store.readStream(BRANCHES_STREAM)).toHaveLength(2 * count);

    // the store still holds its creation: the id is not created again, and nothing is written
    const again = await restarted.create(fork('b-3')).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'BRANCH_ID_TAKEN' });
    expect(await restarted.get('b-3')).toBeUndefined();
    expect(await store.readStream(BRANCHES_STREAM)).toHaveLength(2 * count);
  });

  it('pages live branches oldest first by creation position, a deletion between pages moving no other', async () => {
    const registry = new BranchRegistry(store);
    for (let i = 0; i < 7; i++) await registry.create(fork(`b-${i}`));
    expect((await allPages(registry, 3)).map(ids)).toEqual([['b-0', 'b-1', 'b-2'], ['b-3', 'b-4', 'b-5'], ['b-6']]);
    // exactly a page: no `next` pointing at an empty one
    expect((await allPages(registry, 7)).map(ids)).toEqual([['b-0', 'b-1', 'b-2', 'b-3', 'b-4', 'b-5', 'b-6']]);

    const first = await registry.page({ limit: 3 });
    await registry.delete({ branchId: 'b-2', deletedAt: createdAt }); // the last of the first page
    await registry.delete({ branchId: 'b-4', deletedAt: createdAt });
    expect(ids((await registry.page({ after: first.next, limit: 3 })).branches)).toEqual(['b-3', 'b-5', 'b-6']);
  });

  it('caps live branches per owner and in all, counted from the store, deletions giving room back', async () => {
    const limits: BranchLimits = { perOwner: 2, total: 3 };
    const registry = new BranchRegistry(store);
    await registry.create(fork('a-1', 'a'), limits);
    await registry.create(fork('a-2', 'a'), limits);
    const third = await registry.create(fork('a-3', 'a'), limits).catch((e: unknown) => e);
    expect(third).toBeInstanceOf(BranchLimitError);
    expect(third).toMatchObject({ scope: 'owner', limit: 2 });
    await registry.create(fork('b-1', 'b'), limits);
    expect(await registry.create(fork('c-1', 'c'), limits).catch((e: unknown) => e)).toMatchObject({
      scope: 'total',
      limit: 3,
    });
    expect(await store.readStream(BRANCHES_STREAM)).toHaveLength(3);

    // a restart counts what the store holds
    const restarted = new BranchRegistry(store);
    await restarted.catchUp();
    expect([restarted.count(), restarted.count('a'), restarted.count('b'), restarted.count('c')]).toEqual([3, 2, 1, 0]);
    expect(await restarted.create(fork('a-3', 'a'), limits).catch((e: unknown) => e)).toMatchObject({
      scope: 'owner',
    });
    await restarted.delete({ branchId: 'a-1', deletedAt: createdAt });
    expect((await restarted.create(fork('a-3', 'a'), limits)).id).toBe('a-3');
  });

  it('decides the caps against the registry at a known revision: concurrent creations never pass them', async () => {
    const limits: BranchLimits = { perOwner: 4, total: 6 };
    const registries = [new BranchRegistry(store), new BranchRegistry(store), new BranchRegistry(store)];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        registries[i % 3].create(fork(`b-${i}`, i % 2 === 0 ? 'even' : 'odd'), limits),
      ),
    );
    const created = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(created).toHaveLength(6);
    expect(refused.every((error) => error instanceof BranchLimitError)).toBe(true);
    const fresh = new BranchRegistry(store);
    await fresh.catchUp();
    expect([fresh.count(), fresh.count('even') <= 4, fresh.count('odd') <= 4]).toEqual([6, true, true]);
  });

  it('refuses for contention only past its deadline, having written nothing', async () => {
    const other = new BranchRegistry(store);
    let rival = 0;
    // another writer gets in before each of this registry's appends: every decision loses its race
    const losing = new Proxy(store, {
      get(target, key) {
        if (key === 'append') {
          return async (...args: Parameters<EventStore['append']>) => {
            await other.create(fork(`rival-${rival++}`));
            return target.append(...args);
          };
        }
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const registry = new BranchRegistry(losing, { contentionDeadlineMs: 0 });
    const refused = await registry.create(fork('mine')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BranchRegistryContentionError);
    expect(await registry.get('mine')).toBeUndefined();
    expect(ids((await other.page({ limit: 100 })).branches)).not.toContain('mine');
  });
});

describeWithPostgres(`${BranchRegistry.name} on PostgreSQL: forks under contention`, (database) => {
  const stores: PostgresEventStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  it('creates every one of 60 concurrent forks through four instances (none refused for a lost race), each once', async () => {
    for (let i = 0; i < 4; i++) {
      stores.push(await PostgresEventStore.open({ connectionString: database().url, schema: 'branch_contention' }));
    }
    const registries = stores.map((store) => new BranchRegistry(store));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => registries[i % 4].create(fork(`fork-${i}`, `owner-${i % 4}`))),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    const events = await stores[0].readStream(BRANCHES_STREAM);
    expect(events.map((event) => (event.data as { branchId: string }).branchId).sort()).toEqual(
      Array.from({ length: 60 }, (_, i) => `fork-${i}`).sort(),
    );
    const fresh = new BranchRegistry(stores[0]);
    await fresh.catchUp();
    expect([fresh.count(), fresh.count('owner-0')]).toEqual([60, 15]);
  });
});
