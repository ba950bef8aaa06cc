import type { LiveMessage, SquadClient } from '@squad/client';
import { assertConformance, recordConformanceCount } from './contract/conformance';
import { testClient } from './test-api';
import { today } from '@squad/projections';
import { describeWithPostgres } from '../../../test/support/postgres';
import { startServer, type Started } from './server-process';
import { documentOf, TypedStream, updatesOf } from './typed-stream';

/**
 * Two API processes (the built service, as `npm start` runs it) on one PostgreSQL database:
 * what is recorded through one is read, and streamed live, by the other.
 */
describeWithPostgres('two API instances on one PostgreSQL database', (database) => {
  const servers: Started[] = [];
  const clients: SquadClient[] = [];
  let live: TypedStream<LiveMessage> | undefined;

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
      // servers in child processes: the client checks each answer against the document
      clients.push(testClient(listening.url as string, { checkAnswers: true }));
    }
  });

  afterAll(async () => {
    live?.close();
    for (const server of servers) server.child.kill('SIGTERM');
    const exits = await Promise.all(servers.map((server) => server.exited));
    for (const exit of exits) expect(exit).toMatchObject({ code: 0 });
    recordConformanceCount();
    assertConformance();
  });

  it('starts the second instance on the seed the first recorded', async () => {
    const [a, b] = await Promise.all(
      clients.map(
        async ({ api }) =>
          (
            await api.GET('/v1/clubs/{club}/squad-depth', {
              params: { path: { club: 'juventus' }, query: { asOf: '2025-06-20' } },
            })
          ).data,
      ),
    );
    expect(b?.storePosition).toBe(a?.storePosition);
    expect(b?.positions).toEqual(a?.positions);
  });

  it('shows a report posted to one instance in the read models and on the live stream of the other', async () => {
    const [first, second] = clients;
    live = await TypedStream.open((options) => second.liveUpdates({ club: 'juventus' }, options));
    await live.until('the snapshot', () => live!.messages.length >= 1);

    const { data: recorded, response } = await first.api.POST('/v1/reports', {
      body: {
        reportId: 'cross-instance',
        source: { name: 'Two instances' },
        publishedOn: today(),
        claims: [{ type: 'InterestDeclared', club: 'juventus', player: 'jonathan-david', priority: 'top' }],
      },
    });
    expect(response.status).toBe(201);
    const position = recorded!.storePosition!;

    // read-your-writes across instances: the other one waits until it has applied the position
    const { data: targets } = await second.api.GET('/v1/clubs/{club}/targets', {
      params: { path: { club: 'juventus' }, query: { minPosition: position } },
    });
    expect(targets?.storePosition).toBeGreaterThanOrEqual(position);
    expect(targets?.targets.find((t) => t.player === 'jonathan-david')).toMatchObject({
      stage: 'interest',
      priority: 'top',
    });

    await live.until('the update from the other instance', () =>
      live!.messages.some((m) => m.event === 'update' && Number(m.id) >= position),
    );
    const update = updatesOf(live).find((m) => Number(m.id) >= position)!;
    const changed = documentOf(update.data.changes, 'targets');
    expect(changed?.targets.map((t) => t.player)).toContain('jonathan-david');
  });
});
