import { today } from '@squad/projections';
import { describeWithPostgres } from '../../../test/support/postgres';
import { startServer, type Started } from './server-process';
import { SseClient } from './sse-client';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * Two API processes (the built service, as `npm start` runs it) on one PostgreSQL database:
 * what is recorded through one is read, and streamed live, by the other.
 */
describeWithPostgres('two API instances on one PostgreSQL database', (database) => {
  const servers: Started[] = [];
  const urls: string[] = [];
  let live: SseClient | undefined;

  beforeAll(async () => {
    const env = (seed: boolean) => ({
      PORT: '0',
      HOST: '127.0.0.1',
      EVENT_STORE: 'postgres',
      DATABASE_URL: database().url,
      SEED_ON_EMPTY: String(seed),
      READ_MODEL_SNAPSHOT_PATH: 'none',
      LOG_LEVEL: 'info',
    });
    // the first loads the seed; the second starts on the store the first filled
    for (const seed of [true, false]) {
      const server = startServer(env(seed));
      servers.push(server);
      const listening = await server.waitForLog((line) => line.msg === 'squad planner listening');
      urls.push(listening.url as string);
    }
  });

  afterAll(async () => {
    live?.close();
    for (const server of servers) server.child.kill('SIGTERM');
    const exits = await Promise.all(servers.map((server) => server.exited));
    for (const exit of exits) expect(exit).toMatchObject({ code: 0 });
  });

  it('starts the second instance on the seed the first recorded', async () => {
    const [a, b] = await Promise.all(
      urls.map(
        async (url) => (await fetch(`${url}/v1/clubs/juventus/squad-depth?asOf=2025-06-20`)).json() as Promise<Json>,
      ),
    );
    expect(b.storePosition).toBe(a.storePosition);
    expect(b.positions).toEqual(a.positions);
  });

  it('shows a report posted to one instance in the read models and on the live stream of the other', async () => {
    const [first, second] = urls;
    live = await SseClient.open(`${second}/v1/clubs/juventus/updates`);
    await live.until('the snapshot', () => live!.messages.length >= 1);

    const response = await fetch(`${first}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        reportId: 'cross-instance',
        source: { name: 'Two instances' },
        publishedOn: today(),
        claims: [{ type: 'InterestDeclared', club: 'juventus', player: 'jonathan-david', priority: 'top' }],
      }),
    });
    expect(response.status).toBe(201);
    const { storePosition: position } = (await response.json()) as Json;

    // read-your-writes across instances: the other one waits until it has applied the position
    const targets = (await (await fetch(`${second}/v1/clubs/juventus/targets?minPosition=${position}`)).json()) as Json;
    expect(targets.storePosition).toBeGreaterThanOrEqual(position);
    expect(targets.targets.find((t: Json) => t.player === 'jonathan-david')).toMatchObject({
      stage: 'interest',
      priority: 'top',
    });

    await live.until('the update from the other instance', () =>
      live!.messages.some((m) => m.event === 'update' && Number(m.id) >= position),
    );
    const update = live.parsed('update').find((m) => Number(m.id) >= position)!;
    const changed = update.data.changes.find((c: Json) => c.model === 'targets').document;
    expect(changed.targets.map((t: Json) => t.player)).toContain('jonathan-david');
  });
});
