import type { LiveMessage, Report } from '@squad/client';
import { today } from '@squad/projections';
import { describeWithPostgres } from '../../../test/support/postgres';
import { Histories } from '../src/histories/histories.service';
import { ReadModels } from '../src/histories/read-models.service';
import { LiveUpdates } from '../src/live/live-updates.service';
import { startTestApi, type TestApi } from './test-api';
import { documentOf, TypedStream, updatesOf } from './typed-stream';

const interest = (reportId: string, player: string): Report => ({
  reportId,
  source: { name: 'What-if desk' },
  publishedOn: '2025-08-01',
  claims: [{ type: 'InterestDeclared', club: 'juventus', player, priority: 'high' }],
});

/** Two API instances on one PostgreSQL database share their branches: the registry and each branch's stream are in the store. */
describeWithPostgres('what-if branches across two instances', (database) => {
  const apis: TestApi[] = [];
  const fork = async (api: TestApi, name: string) =>
    (await api.client.api.POST('/v1/branches', { body: { name, forkAt: { storePosition: await api.head() } } })).data!;
  const recordIn = (api: TestApi, branch: string, body: Report) =>
    api.client.api.POST('/v1/branches/{id}/reports', { params: { path: { id: branch } }, body });
  const targets = (api: TestApi, query: { asOf?: string; branch?: string; minPosition?: number }) =>
    api.client.api.GET('/v1/clubs/{club}/targets', { params: { path: { club: 'juventus' }, query } });
  const remove = (api: TestApi, branch: string) =>
    api.client.api.DELETE('/v1/branches/{id}', { params: { path: { id: branch } } });

  beforeAll(async () => {
    for (const seed of [true, false]) {
      apis.push(
        await startTestApi({
          EVENT_STORE: 'postgres',
          DATABASE_URL: database().url,
          SEED_ON_EMPTY: String(seed),
          READ_MODEL_SNAPSHOT_PATH: 'none',
        }),
      );
    }
  });
  afterAll(async () => {
    for (const api of apis) await api.close();
  });

  it('forks through one instance, writes through both (concurrently), reads and deletes through either', async () => {
    const [a, b] = apis;
    const branch = await fork(a, 'Shared');

    // four writers on one stream: each lost race is retried (a ledger tries up to 5 times)
    const writes = await Promise.all([
      ...[1, 2].map((i) => recordIn(a, branch.id, interest(`via-a-${i}`, `player-a-${i}`))),
      ...[1, 2].map((i) => recordIn(b, branch.id, interest(`via-b-${i}`, `player-b-${i}`))),
    ]);
    expect(writes.map((w) => [w.response.status, w.error?.code])).toEqual(Array(4).fill([201, undefined]));
    const last = Math.max(...writes.map((w) => w.data?.storePosition ?? NaN));

    for (const api of apis) {
      const inBranch = await targets(api, { asOf: '2025-08-10', branch: branch.id, minPosition: last });
      expect(
        inBranch.data?.targets
          .map((t) => t.player)
          .filter((p) => p.startsWith('player-'))
          .sort(),
      ).toEqual(['player-a-1', 'player-a-2', 'player-b-1', 'player-b-2']);
      const canonical = await targets(api, { asOf: '2025-08-10', minPosition: last });
      expect(canonical.data?.targets.some((t) => t.player.startsWith('player-'))).toBe(false);
    }

    expect((await remove(b, branch.id)).response.status).toBe(204);
    expect((await targets(a, { branch: branch.id })).error?.code).toBe('UNKNOWN_BRANCH');
  });

  it("streams a branch's live updates on one instance for writes made through either, and ends them when the other deletes it", async () => {
    const [a, b] = apis;
    const branch = await fork(a, 'Shared live');
    const live = await TypedStream.open<LiveMessage>((options) =>
      b.client.liveUpdates({ club: 'juventus', branch: branch.id }, options),
    );
    try {
      expect(live.response?.status).toBe(200);
      await live.until('the snapshot', () => live.messages.length >= 1);
      const dated = (reportId: string, player: string) => ({ ...interest(reportId, player), publishedOn: today() });
      const positions: number[] = [];
      for (const [api, name] of [
        [a, 'a'],
        [b, 'b'],
        [a, 'c'],
      ] as const) {
        const written = await recordIn(api, branch.id, dated(`live-via-${name}`, `live-player-${name}`));
        positions.push(written.data!.storePosition!);
      }
      await live.until('every write', () => live.messages.some((m) => Number(m.id) >= positions[2]));
      const updates = updatesOf(live);
      expect(updates.map((u) => Number(u.id))).toEqual(
        positions.filter((p) => updates.some((u) => Number(u.id) === p)),
      );
      const latest = documentOf(updates.at(-1)!.data.changes, 'targets');
      expect(latest?.targets.map((t) => t.player)).toEqual(
        expect.arrayContaining(['live-player-a', 'live-player-b', 'live-player-c']),
      );

      expect((await remove(a, branch.id)).response.status).toBe(204);
      await live.until('the end of the stream', () => live.ended);
      expect(live.messages.at(-1)).toMatchObject({ event: 'deleted', data: { branch: branch.id } });
    } finally {
      live.close();
    }
  });

  it('lets go, on the other instance too, of what a branch deleted through one instance held there', async () => {
    const [a, b] = apis;
    /** What `api` holds for branches, its registry caught up with the store (as any read of it does). */
    const held = async (api: TestApi) => {
      expect((await api.client.api.GET('/v1/branches')).response.status).toBe(200);
      return { ...api.app.get(Histories).held(), live: api.app.get(LiveUpdates).heldForBranches() };
    };
    const before = await held(b);
    const branch = await fork(a, 'Held on both');
    // b reads, writes and follows it: its ledger, overlay, view and live feed are b's
    expect((await targets(b, { branch: branch.id })).response.status).toBe(200);
    expect((await recordIn(b, branch.id, interest('held-on-b', 'held-player'))).response.status).toBe(201);
    const live = await TypedStream.open<LiveMessage>((options) =>
      b.client.liveUpdates({ club: 'juventus', branch: branch.id }, options),
    );
    try {
      await live.until('the snapshot', () => live.messages.length >= 1);
      expect(await held(b)).toMatchObject({
        branches: before.branches + 1,
        ledgers: before.ledgers + 1,
        overlays: before.overlays + 1,
        views: before.views + 1,
        live: { feeds: before.live.feeds + 1 },
      });

      expect((await remove(a, branch.id)).response.status).toBe(204);
      // once b's read models passed the deletion: no waiting on anything else
      expect(await b.app.get(ReadModels).projections.whenCaughtUp(await a.head(), 10_000)).toBe(true);
      await live.until('the end of the stream', () => live.ended);
      expect(await held(b)).toEqual(before);
    } finally {
      live.close();
    }
  });
});
