import { Client } from 'pg';
import type { Report, ReportRecorded, SquadClient } from '@squad/client';
import { describeWithPostgres } from '../../../test/support/postgres';
import { assertConformance, recordConformanceCount } from './contract/conformance';
import { startServer, type Started } from './server-process';
import { testClient } from './test-api';

const INSTANCES = 2;
const WRITERS_PER_INSTANCE = 8;
const REPORTS_PER_WRITER = 15;

interface Answer {
  readonly reportId: string;
  readonly status: number;
  readonly code?: string;
  readonly body?: ReportRecorded;
}

/**
 * Issue 21 item 2: two instances of the built service on one PostgreSQL database, 8 HTTP
 * writers on each, posting valid reports at once. None may be refused for contention (409
 * WRONG_EXPECTED_REVISION, or 503 while the database is up): each is recorded once, with the
 * events its answer listed. A report that a concurrent write made invalid gets its own refusal.
 */
describeWithPostgres('two API instances on one PostgreSQL database, 8 writers each', (database) => {
  const servers: Started[] = [];
  const clients: SquadClient[] = [];

  beforeAll(async () => {
    for (let i = 0; i < INSTANCES; i++) {
      const server = startServer({
        PORT: '0',
        HOST: '127.0.0.1',
        EVENT_STORE: 'postgres',
        DATABASE_URL: database().url,
        SEED_ON_EMPTY: 'false',
        READ_MODEL_SNAPSHOT_PATH: 'none',
        WRITE_RATE_LIMIT: '1000000',
        LOG_LEVEL: 'info',
      });
      servers.push(server);
      const listening = await server.waitForLog((line) => line.msg === 'squad planner listening');
      clients.push(testClient(listening.url as string, { checkAnswers: true }));
    }
  });

  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGTERM');
    const exits = await Promise.all(servers.map((server) => server.exited));
    for (const exit of exits) expect(exit).toMatchObject({ code: 0 });
    recordConformanceCount();
    assertConformance();
  });

  const post = async (client: SquadClient, body: Report): Promise<Answer> => {
    const { data, error, response } = await client.api.POST('/v1/reports', { body });
    return {
      reportId: body.reportId,
      status: response.status,
      code: (error as { code?: string } | undefined)?.code,
      body: data && 'reportId' in data ? data : undefined,
    };
  };

  /** Every writer of every instance at once, each posting its reports one after another. */
  const allWriters = (write: (client: SquadClient, writer: string) => Promise<void>) =>
    Promise.all(
      clients.flatMap((client, i) =>
        Array.from({ length: WRITERS_PER_INSTANCE }, (_, w) => write(client, `${i}-${w}`)),
      ),
    );

  const independent = (name: string, writer: string, n: number): Report => ({
    reportId: `${name}-${writer}-${n}`,
    source: { name: 'Contention' },
    publishedOn: '2025-07-01',
    claims: Array.from({ length: 1 + (n % 2) }, (_, claim) => ({
      type: 'InterestDeclared' as const,
      club: `contention-club-${writer}`,
      player: `${name}-player-${writer}-${n}-${claim}`,
      priority: 'high' as const,
    })),
  });

  /** The stored events of every report, by id, in store order. */
  const storedByReport = async () => {
    const sql = new Client({ connectionString: database().url });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ report: string; ids: string[] }>(
        `SELECT metadata::json->>'reportId' AS report, array_agg(id::text ORDER BY position) AS ids
           FROM event_store.events GROUP BY 1`,
      );
      return new Map(rows.map((row) => [row.report, row.ids]));
    } finally {
      await sql.end();
    }
  };

  it('records every valid, independent report, refusing none, each once with the events its answer listed', async () => {
    const answers: Answer[] = [];
    await allWriters(async (client, writer) => {
      for (let n = 0; n < REPORTS_PER_WRITER; n++) answers.push(await post(client, independent('load', writer, n)));
    });

    const refused = answers.filter((a) => a.status !== 201).map((a) => `${a.reportId}: ${a.status} ${a.code}`);
    expect(refused).toEqual([]);
    expect(answers).toHaveLength(INSTANCES * WRITERS_PER_INSTANCE * REPORTS_PER_WRITER);
    const stored = await storedByReport();
    expect(stored.size).toBe(answers.length);
    for (const answer of answers) {
      expect({ reportId: answer.reportId, ids: stored.get(answer.reportId) }).toEqual({
        reportId: answer.reportId,
        ids: answer.body!.events.map((e) => e.id),
      });
    }

    // both instances' read models have every one of them (read-your-writes across instances)
    const last = Math.max(...answers.map((a) => a.body!.storePosition ?? 0));
    for (const [i, client] of clients.entries()) {
      const writer = `${(i + 1) % INSTANCES}-0`; // a writer of the other instance
      const { data, response } = await client.api.GET('/v1/clubs/{club}/targets', {
        params: { path: { club: `contention-club-${writer}` }, query: { minPosition: last, asOf: '2025-07-01' } },
      });
      expect(response.status).toBe(200);
      const expected = answers
        .filter((a) => a.reportId.startsWith(`load-${writer}-`))
        .flatMap((a) => a.body!.events.map((e) => e.data.player as string));
      expect(data?.targets.map((t) => t.player).sort()).toEqual(expected.sort());
    }
    process.stdout.write(
      `contention: ${answers.length} reports from ${INSTANCES * WRITERS_PER_INSTANCE} writers on ` +
        `${INSTANCES} instances, ${refused.length} refused\n`,
    );
  }, 180_000);

  it('refuses a report that a concurrent write made invalid with its domain code, never WRONG_EXPECTED_REVISION', async () => {
    const player = 'contended-player';
    const registered = await post(clients[0], {
      reportId: 'register-contended-player',
      source: { name: 'Contention' },
      publishedOn: '2025-07-01',
      claims: [{ type: 'PlayerRegistered', player, name: 'Contended Player', club: 'seller-fc', position: 'CB' }],
    });
    expect(registered.status).toBe(201);

    const sales: Answer[] = [];
    const others: Answer[] = [];
    // every writer sells him in the middle of its independent reports: one sale holds
    await allWriters(async (client, writer) => {
      for (let n = 0; n < 6; n++) {
        others.push(await post(client, independent('around-sale', writer, n)));
        if (n !== 3) continue;
        sales.push(
          await post(client, {
            reportId: `sale-${writer}`,
            source: { name: 'Contention' },
            publishedOn: '2025-07-02',
            claims: [{ type: 'TransferCompleted', player, fromClub: 'seller-fc', toClub: `buyer-${writer}` }],
          }),
        );
      }
    });

    expect(others.filter((a) => a.status !== 201)).toEqual([]);
    expect(sales.filter((a) => a.status === 201)).toHaveLength(1);
    expect(sales.filter((a) => a.status !== 201).map((a) => `${a.status} ${a.code}`)).toEqual(
      Array(INSTANCES * WRITERS_PER_INSTANCE - 1).fill('409 PLAYER_NOT_AT_CLUB'),
    );
    const stored = await storedByReport();
    expect([...stored.keys()].filter((id) => id.startsWith('sale-'))).toEqual([
      sales.find((a) => a.status === 201)!.reportId,
    ]);
  }, 180_000);
});
