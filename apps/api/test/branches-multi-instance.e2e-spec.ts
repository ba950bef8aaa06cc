import { today } from '@squad/projections';
import { describeWithPostgres } from '../../../test/support/postgres';
import { SseClient } from './sse-client';
import { startTestApi, type TestApi } from './test-api';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const interest = (reportId: string, player: string) => ({
  reportId,
  source: { name: 'What-if desk' },
  publishedOn: '2025-08-01',
  claims: [{ type: 'InterestDeclared', club: 'juventus', player, priority: 'high' }],
});

/** Two API instances on one PostgreSQL database share their branches: the registry and each branch's stream are in the store. */
describeWithPostgres('what-if branches across two instances', (database) => {
  const apis: TestApi[] = [];
  const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Json });

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
    const branch = (
      await json(await a.post('/v1/branches', { name: 'Shared', forkAt: { storePosition: await a.head() } }))
    ).body;

    // four writers on one stream: each lost race is retried (a ledger tries up to 5 times)
    const writes = await Promise.all([
      ...[1, 2].map(async (i) =>
        json(await a.post(`/v1/branches/${branch.id}/reports`, interest(`via-a-${i}`, `player-a-${i}`))),
      ),
      ...[1, 2].map(async (i) =>
        json(await b.post(`/v1/branches/${branch.id}/reports`, interest(`via-b-${i}`, `player-b-${i}`))),
      ),
    ]);
    expect(writes.map((w) => [w.status, w.body.code])).toEqual(Array(4).fill([201, undefined]));
    const last = Math.max(...writes.map((w) => w.body.storePosition));

    for (const api of apis) {
      const targets = await json(
        await fetch(`${api.url}/v1/clubs/juventus/targets?asOf=2025-08-10&branch=${branch.id}&minPosition=${last}`),
      );
      expect(
        targets.body.targets
          .map((t: Json) => t.player)
          .filter((p: string) => p.startsWith('player-'))
          .sort(),
      ).toEqual(['player-a-1', 'player-a-2', 'player-b-1', 'player-b-2']);
      const canonical = await json(
        await fetch(`${api.url}/v1/clubs/juventus/targets?asOf=2025-08-10&minPosition=${last}`),
      );
      expect(canonical.body.targets.some((t: Json) => t.player.startsWith('player-'))).toBe(false);
    }

    expect((await fetch(`${b.url}/v1/branches/${branch.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await json(await fetch(`${a.url}/v1/clubs/juventus/targets?branch=${branch.id}`))).body.code).toBe(
      'UNKNOWN_BRANCH',
    );
  });

  it("streams a branch's live updates on one instance for writes made through either, and ends them when the other deletes it", async () => {
    const [a, b] = apis;
    const branch = (
      await json(await a.post('/v1/branches', { name: 'Shared live', forkAt: { storePosition: await a.head() } }))
    ).body;
    const live = await SseClient.open(`${b.url}/v1/clubs/juventus/updates?branch=${branch.id}`);
    try {
      expect(live.status).toBe(200);
      await live.until('the snapshot', () => live.messages.length >= 1);
      const dated = (reportId: string, player: string) => ({ ...interest(reportId, player), publishedOn: today() });
      const writes = [];
      for (const [api, name] of [
        [a, 'a'],
        [b, 'b'],
        [a, 'c'],
      ] as const) {
        writes.push(
          await json(
            await api.post(`/v1/branches/${branch.id}/reports`, dated(`live-via-${name}`, `live-player-${name}`)),
          ),
        );
      }
      const positions = writes.map((w) => w.body.storePosition);
      await live.until('every write', () => live.messages.some((m) => Number(m.id) >= positions[2]));
      const updates = live.parsed('update');
      expect(updates.map((u) => Number(u.id))).toEqual(
        positions.filter((p) => updates.some((u) => Number(u.id) === p)),
      );
      const targets = updates.at(-1)!.data.changes.find((c: Json) => c.model === 'targets').document;
      expect(targets.targets.map((t: Json) => t.player)).toEqual(
        expect.arrayContaining(['live-player-a', 'live-player-b', 'live-player-c']),
      );

      expect((await fetch(`${a.url}/v1/branches/${branch.id}`, { method: 'DELETE' })).status).toBe(204);
      await live.until('the end of the stream', () => live.closed);
      expect(live.parsed().at(-1)).toMatchObject({ event: 'deleted', data: { branch: branch.id } });
    } finally {
      live.close();
    }
  });
});
