import { Client } from 'pg';
import { EventStoreUnavailableError, InvalidAppendError, type StoredEvent } from '@squad/event-store';
import { PostgresEventStore, type PostgresEventStoreOptions } from '@squad/event-store/postgres';
import { describeWithPostgres, waitUntil } from '../support/postgres';
import { describeEventStoreContract, event, events, reader } from './event-store.contract';

const readPageSize = 64; // small pages so the suite crosses page boundaries cheaply

describeWithPostgres('PostgreSQL event store', (database) => {
  // A fresh, empty store is a fresh schema of the suite's database.
  let schemas = 0;
  const open = (options: Partial<PostgresEventStoreOptions> = {}) =>
    PostgresEventStore.open({
      connectionString: database().url,
      schema: `store_${schemas++}`,
      readPageSize,
      ...options,
    });

  describeEventStoreContract('PostgreSQL', { readPageSize, open: () => open() });

  describe('PostgreSQL specifics', () => {
    const clients: Client[] = [];
    const stores: PostgresEventStore[] = [];
    const sql = async (text: string, values: unknown[] = []) => {
      const client = new Client({ connectionString: database().url });
      clients.push(client);
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        clients.splice(clients.indexOf(client), 1);
        await client.end();
      }
    };
    const track = async (store: Promise<PostgresEventStore>) => {
      stores.push(await store);
      return stores[stores.length - 1];
    };
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((s) => s.close()));
    });

    it('migrates once when several processes start together, and records the version', async () => {
      const schema = `racing_${schemas++}`;
      const opened = await Promise.all(
        Array.from({ length: 4 }, () => track(PostgresEventStore.open({ connectionString: database().url, schema }))),
      );
      await opened[0].append('s', [event()]);
      expect(await opened[3].readStream('s')).toHaveLength(1);
      expect(await sql(`SELECT version, name FROM "${schema}".schema_migrations`)).toEqual([
        { version: 1, name: 'events' },
      ]);
    });

    it('refuses to open a schema migrated by a newer build', async () => {
      const schema = `newer_${schemas++}`;
      await (await PostgresEventStore.open({ connectionString: database().url, schema })).close();
      await sql(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (999, 'from the future')`);
      await expect(PostgresEventStore.open({ connectionString: database().url, schema })).rejects.toBeInstanceOf(
        EventStoreUnavailableError,
      );
    });

    it('stores the exact JSON text the writer serialised', async () => {
      const store = await track(open());
      const data = { b: 1, a: [1e300, -0.5, 'x\u0000y', '\ud800'], é: { z: null, y: true } };
      await store.append('s', [event('Exact', data, { z: 1, a: 2 })]);
      const [row] = await sql(`SELECT data, metadata FROM "${store.schema}".events`);
      expect(row).toEqual({ data: JSON.stringify(data), metadata: '{"z":1,"a":2}' });
      expect((await store.readStream('s'))[0].data).toEqual(data);
    });

    it('keeps positions and revisions past 2^53 exact', async () => {
      const store = await track(open());
      const beyond = 2n ** 53n + 1n; // the first integer a double cannot hold
      await sql(`ALTER TABLE "${store.schema}".events ALTER COLUMN position RESTART WITH ${beyond}`);
      // a stream that already reached a revision past 2^53 (written directly, as no test can append that many)
      await sql(
        `INSERT INTO "${store.schema}".events (id, stream, revision, type, data, metadata, recorded_at)
         VALUES (gen_random_uuid(), 'long', $1, 'T', '1', '{}', now())`,
        [beyond.toString()],
      );
      const result = await store.append('long', [event(), event()], { expectedRevision: beyond });
      expect(result).toEqual({ nextExpectedRevision: beyond + 2n, position: beyond + 2n });
      expect(await store.headPosition()).toBe(beyond + 2n);

      const read = await store.readStream('long', { fromRevision: beyond + 1n });
      expect(read.map((e) => [e.revision, e.position])).toEqual([
        [beyond + 1n, beyond + 1n],
        [beyond + 2n, beyond + 2n],
      ]);
      const all: StoredEvent[] = [];
      for await (const e of store.readAll({ fromPosition: beyond + 1n })) all.push(e);
      expect(all.map((e) => e.position)).toEqual([beyond + 1n, beyond + 2n]);
      const sub = reader(store.subscribeToAll({ fromPosition: beyond + 1n }));
      expect((await sub.take(1))[0].position).toBe(beyond + 2n);
      await sub.subscription.stop();

      // bounds past int8 find nothing rather than fail the query
      expect(await store.readStream('long', { fromRevision: 2n ** 64n })).toEqual([]);
      expect(
        (await store.readStream('long', { direction: 'backwards', fromRevision: 2n ** 64n, maxCount: 1 }))[0].revision,
      ).toBe(beyond + 2n);
    });

    it('reads a long $all across gaps in positions, and on to what is appended while it reads', async () => {
      const store = await track(open());
      const burn = (count: number) =>
        sql(
          `SELECT nextval(pg_get_serial_sequence('"${store.schema}".events', 'position')) FROM generate_series(1, $1)`,
          [count],
        );
      const written: string[] = [];
      const append = async (count: number) => {
        const batch = events(count);
        await store.append(`s-${written.length % 3}`, batch);
        written.push(...batch.map((e) => e.id));
      };
      // gaps as rolled-back appends leave them: wider than several pages (64 positions each), and small
      await append(100);
      await burn(500);
      await append(100);
      await burn(3);
      await append(50);

      const ids = async (options?: Parameters<PostgresEventStore['readAll']>[0]) => {
        const read: string[] = [];
        for await (const e of store.readAll(options)) read.push(e.id);
        return read;
      };
      expect(await ids()).toEqual(written);
      expect(await ids({ maxCount: 150 })).toEqual(written.slice(0, 150));
      const [, , third] = await (async () => {
        const first: StoredEvent[] = [];
        for await (const e of store.readAll({ maxCount: 3 })) first.push(e);
        return first;
      })();
      expect(await ids({ fromPosition: third.position, maxCount: 200 })).toEqual(written.slice(2, 202));

      // a long read sees what is appended before it reaches the head it started from
      const read: string[] = [];
      let appendedWhileReading = false;
      for await (const e of store.readAll()) {
        read.push(e.id);
        if (!appendedWhileReading) {
          appendedWhileReading = true;
          await append(70);
        }
      }
      expect(read).toEqual(written);
    });

    it('refuses names PostgreSQL text cannot hold with a typed error', async () => {
      const store = await track(open());
      await expect(store.append('a\u0000b', [event()])).rejects.toMatchObject({
        reason: 'INVALID_STREAM_NAME',
        field: 'stream',
      });
      await expect(store.append('s', [event(), event('T\u0000')])).rejects.toBeInstanceOf(InvalidAppendError);
      expect(await store.readStream('a\u0000b')).toEqual([]);
      expect(await store.headPosition()).toBe(0n);
    });

    it('delivers appends of another process live through LISTEN/NOTIFY, without waiting for the poll', async () => {
      const schema = `shared_${schemas++}`;
      const options = { connectionString: database().url, schema, pollIntervalMs: 60_000 };
      const subscriber = await track(PostgresEventStore.open(options));
      const writer = await track(PostgresEventStore.open(options));

      const sub = reader(subscriber.subscribeToAll());
      const next = sub.take(3);
      await writer.append('s', events(2));
      await writer.append('t', events(1));
      expect((await next).map((e) => e.stream)).toEqual(['s', 's', 't']);
      await sub.subscription.stop();
    });

    it('reconnects its LISTEN connection when it drops', async () => {
      const schema = `reconnect_${schemas++}`;
      const applicationName = `listener-test-${schemas}`;
      const options = { connectionString: database().url, schema, pollIntervalMs: 60_000 };
      const errors: Error[] = [];
      const subscriber = await track(
        PostgresEventStore.open({ ...options, applicationName, onBackgroundError: (e) => errors.push(e) }),
      );
      const writer = await track(PostgresEventStore.open(options));
      const listenerPid = async () =>
        (await sql('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [`${applicationName}:listen`]))[0]
          ?.pid as number | undefined;

      const sub = reader(subscriber.subscribeToAll());
      const before = sub.take(1);
      await writer.append('s', [event()]);
      await before;

      const first = await listenerPid();
      expect(first).toBeDefined();
      await sql('SELECT pg_terminate_backend($1)', [first]);
      await waitUntil('the listener is back on a new connection', async () => {
        const pid = await listenerPid();
        return pid !== undefined && pid !== first;
      });
      // LISTEN is issued right after connecting; wait until the server has registered it
      await waitUntil(
        'the new connection listens',
        async () =>
          (
            await sql(
              "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle' AND query LIKE 'LISTEN%'",
              [`${applicationName}:listen`],
            )
          ).length === 1,
      );

      const after = sub.take(2);
      await writer.append('s', events(2));
      expect(await after).toHaveLength(2);
      expect(errors.length).toBeGreaterThan(0); // the drop was reported, not thrown
      await sub.subscription.stop();
    });

    it('reports an unreachable server and a closed store as unavailable', async () => {
      await expect(
        PostgresEventStore.open({
          connectionString: 'postgres://postgres@127.0.0.1:1/nowhere',
          connectTimeoutMs: 2000,
        }),
      ).rejects.toBeInstanceOf(EventStoreUnavailableError);

      const store = await open();
      await store.close();
      await store.close(); // twice is fine
      await expect(store.append('s', [event()])).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('ends subscriptions on close', async () => {
      const store = await open();
      const sub = store.subscribeToAll({ fromPosition: 'end' });
      const loop = (async () => {
        const seen: StoredEvent[] = [];
        for await (const e of sub) seen.push(e);
        return seen;
      })();
      await store.close();
      expect(await loop).toEqual([]);
    });
  });
});
