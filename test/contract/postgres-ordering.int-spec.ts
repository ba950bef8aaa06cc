import { Client } from 'pg';
import { EventToAppend, StoredEvent, WrongExpectedRevisionError, type AppendResult } from '@squad/event-store';
import { PostgresEventStore, type PostgresEventStoreOptions } from '@squad/event-store/postgres';
import { describeWithPostgres, waitUntil } from '../support/postgres';
import { event, events, reader } from './event-store.contract';

/**
 * The global order of the PostgreSQL store must hold across transactions that commit out of
 * order: a reader (readAll from a checkpoint, or a subscription) must never move past a
 * position whose transaction may still commit, or it would skip that event for good.
 *
 * Appends are paused mid-transaction, after their positions are drawn, by a test-only trigger
 * that waits for an advisory lock ("the gate") the test holds: the appends under test run the
 * adapter's real code.
 */
const GATE = 4242;

describeWithPostgres('PostgreSQL event store: gap-safe global order', (database) => {
  let schemas = 0;
  const stores: PostgresEventStore[] = [];
  const clients: Client[] = [];
  const open = async (schema: string, options: Partial<PostgresEventStoreOptions> = {}) => {
    const store = await PostgresEventStore.open({ connectionString: database().url, schema, ...options });
    stores.push(store);
    return store;
  };
  const connect = async () => {
    const client = new Client({ connectionString: database().url });
    clients.push(client);
    await client.connect();
    return client;
  };
  const sql = async (text: string, values: unknown[] = []) => {
    const client = await connect();
    try {
      return (await client.query(text, values)).rows;
    } finally {
      clients.splice(clients.indexOf(client), 1);
      await client.end();
    }
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end()));
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  /** Events of type `Gated` wait for the gate; `Doomed` fail after drawing their position; `Slow` dawdle. */
  const installTestTrigger = (schema: string) =>
    sql(`
      CREATE FUNCTION "${schema}".test_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.type = 'Gated' THEN PERFORM pg_advisory_xact_lock(${GATE}); END IF;
        IF NEW.type = 'Slow' THEN PERFORM pg_sleep(random() * 0.003); END IF;
        IF NEW.type = 'Doomed' THEN RAISE EXCEPTION 'doomed event at position %', NEW.position; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_trigger BEFORE INSERT ON "${schema}".events FOR EACH ROW EXECUTE FUNCTION "${schema}".test_trigger();
    `);

  /** Backends of this database waiting for an advisory lock (the gate, or the append lock). */
  const advisoryWaiters = async (key?: number) =>
    Number(
      (
        await sql(
          `SELECT count(*) AS n FROM pg_locks
            WHERE locktype = 'advisory' AND NOT granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND ($1::int IS NULL OR (classid = 0 AND objid = $1 AND objsubid = 1))`,
          [key ?? null],
        )
      )[0].n,
    );

  /** The sequence's last value is not transactional: it shows positions drawn by open transactions. */
  const lastDrawnPosition = async (schema: string) =>
    BigInt((await sql('SELECT last_value::text AS v FROM pg_sequences WHERE schemaname = $1', [schema]))[0].v);

  const readAll = async (store: PostgresEventStore, fromPosition: bigint | 'start' = 'start') => {
    const out: StoredEvent[] = [];
    for await (const e of store.readAll({ fromPosition })) out.push(e);
    return out;
  };

  it.each([
    ['in the same process', false],
    ['in another process', true],
  ])('never lets a reader past an append still in flight, when a later append comes %s', async (_, separateWriter) => {
    const schema = `interleave_${schemas++}`;
    const pollIntervalMs = 20; // readers look often, so a premature delivery would show
    const store = await open(schema, { pollIntervalMs });
    const writerB = separateWriter ? await open(schema, { pollIntervalMs }) : store;
    await store.append('seed', events(3));
    const seedHead = await store.headPosition();
    await installTestTrigger(schema);

    const sub = reader(store.subscribeToAll());
    expect(await sub.take(3)).toHaveLength(3);
    let checkpoint = seedHead; // a readAll reader resuming from its checkpoint

    const gate = await connect();
    await gate.query('SELECT pg_advisory_lock($1)', [GATE]);

    // A draws its positions, then waits at the gate with its transaction open.
    const batchA = [event('Gated'), event('Gated')];
    const appendA = store.append('a', batchA);
    await waitUntil('append A waits at the gate', async () => (await advisoryWaiters(GATE)) === 1);
    const aPosition = await lastDrawnPosition(schema);
    expect(aPosition).toBe(seedHead + 1n);

    // B starts after A drew its position, on another stream.
    const batchB = [event('Free')];
    let bSettled = false;
    const appendB = writerB.append('b', batchB).finally(() => {
      bSettled = true;
    });
    await waitUntil('append B commits or waits', async () => bSettled || (await advisoryWaiters()) === 2);

    // While A is open nothing at or past A's position is visible to any reader.
    const pending = sub.take(3);
    expect((await readAll(store)).map((e) => e.position).every((p) => p < aPosition)).toBe(true);
    expect(await writerB.headPosition()).toBe(seedHead);
    expect(await readAll(store, checkpoint + 1n)).toEqual([]);
    // Absence needs a window: ten of the subscription's polls, then it must still be waiting.
    let quietTimer: NodeJS.Timeout | undefined;
    const early = await Promise.race([
      pending.then(() => 'delivered'),
      new Promise((resolve) => (quietTimer = setTimeout(resolve, 10 * pollIntervalMs, 'quiet'))),
    ]);
    clearTimeout(quietTimer);
    expect(early).toBe('quiet');
    expect(sub.subscription.lastPosition).toBe(seedHead);
    // The mechanism of this adapter: appends are serialised, so B waits for A's append lock
    // instead of committing first.
    expect(bSettled).toBe(false);

    await gate.query('SELECT pg_advisory_unlock($1)', [GATE]);
    const [resultA, resultB] = await Promise.all([appendA, appendB]);
    expect(resultA.position).toBeLessThan(resultB.position);

    // Both arrive, A before B, nothing skipped, for the subscription and the checkpointed reader.
    const all = await readAll(store);
    const expectedIds = [...batchA, ...batchB].map((e) => e.id);
    expect(all.slice(3).map((e) => e.id)).toEqual(expectedIds);
    const delivered = await pending;
    expect(delivered.map((e) => e.id)).toEqual(expectedIds);
    expect(delivered.map((e) => e.position)).toEqual(all.slice(3).map((e) => e.position));
    const resumed = await readAll(store, checkpoint + 1n);
    expect(resumed.map((e) => e.id)).toEqual(expectedIds);
    checkpoint = resumed[resumed.length - 1].position;
    expect(checkpoint).toBe(resultB.position);
    await sub.subscription.stop();
  });

  it('delivers exactly the committed events under concurrent writers, failures and rollbacks', async () => {
    const seed = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = mulberry32(seed); // each writer gets its own stream of choices, seeded from this one
    const schema = `soak_${schemas++}`;
    // Two store instances stand for two processes sharing the database.
    const instances = [await open(schema, { pollIntervalMs: 200 }), await open(schema, { pollIntervalMs: 200 })];
    await installTestTrigger(schema);

    const committed = new Set<string>();
    let writing = true;

    // The subscriber from the start; it reports when it has reached the target position.
    const subscriber = instances[0].subscribeToAll({ fromPosition: 'start' });
    const received: StoredEvent[] = [];
    let target: bigint | undefined;
    let reachTarget!: () => void;
    const reached = new Promise<void>((resolve) => (reachTarget = resolve));
    const consuming = (async () => {
      for await (const e of subscriber) {
        received.push(e);
        if (target !== undefined && e.position >= target) reachTarget();
      }
    })();

    // A readAll reader that resumes from its checkpoint, as a projection would.
    const checkpointed: StoredEvent[] = [];
    const readFromCheckpoint = async () => {
      const from = (checkpointed[checkpointed.length - 1]?.position ?? 0n) + 1n;
      checkpointed.push(...(await readAll(instances[1], from)));
    };
    const checkpointReader = (async () => {
      while (writing) {
        await readFromCheckpoint();
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    // A raw transaction that draws positions and rolls back: gaps nothing will ever fill.
    const gapMaker = (async () => {
      const client = await connect();
      while (writing) {
        await client.query('BEGIN');
        await client.query(`SELECT nextval(pg_get_serial_sequence('"${schema}".events', 'position'))`);
        await client.query('ROLLBACK');
        await pause(random() * 5);
      }
    })();

    const writers = Array.from({ length: 8 }, async (_, w) => {
      const random = mulberry32(seed + 1 + w);
      const store = instances[w % 2];
      const stream = `writer-${w}`;
      let revision: bigint | undefined;
      const done: { batch: EventToAppend[]; result: AppendResult }[] = [];
      for (let op = 0; op < 40; op++) {
        await pause(random() * 4);
        const roll = random();
        if (roll < 0.5) {
          const batch = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
            event(random() < 0.3 ? 'Slow' : 'Normal'),
          );
          const result = await store.append(stream, batch, { expectedRevision: revision ?? 'no_stream' });
          revision = result.nextExpectedRevision;
          batch.forEach((e) => committed.add(e.id));
          done.push({ batch, result });
        } else if (roll < 0.62) {
          const stale = revision === undefined ? 0n : revision === 0n ? 'no_stream' : revision - 1n;
          await expect(store.append(stream, [event()], { expectedRevision: stale })).rejects.toBeInstanceOf(
            WrongExpectedRevisionError,
          );
        } else if (roll < 0.75) {
          // fails inside the insert, after drawing positions: the transaction rolls back
          await expect(
            store.append(stream, [event('Slow'), event('Doomed')], { expectedRevision: revision ?? 'any' }),
          ).rejects.toThrow(/doomed/);
        } else if (roll < 0.9) {
          const batch = [event(random() < 0.3 ? 'Slow' : 'Normal')];
          await store.append('shared', batch);
          committed.add(batch[0].id);
        } else if (done.length > 0) {
          const previous = done[Math.floor(random() * done.length)];
          expect(await store.append(stream, previous.batch)).toEqual(previous.result); // a retry writes nothing
        }
      }
    });

    try {
      await Promise.all(writers);
      writing = false;
      await Promise.all([checkpointReader, gapMaker]);
      await readFromCheckpoint();

      target = await instances[1].headPosition();
      if ((received[received.length - 1]?.position ?? 0n) >= target) reachTarget();
      await deadline(reached, 15_000, () => `the subscriber stopped at ${subscriber.lastPosition}; head is ${target}`);
      await subscriber.stop();
      await consuming;

      const all = await readAll(instances[0]);
      expect(all.length).toBe(committed.size);
      expect(all.length).toBeGreaterThan(100);
      for (const [name, seen] of [
        ['subscriber', received],
        ['checkpointed reader', checkpointed],
      ] as const) {
        const ids = seen.map((e) => e.id);
        expect({ name, duplicates: ids.length - new Set(ids).size }).toEqual({ name, duplicates: 0 });
        expect({ name, set: new Set(ids) }).toEqual({ name, set: committed });
        expect({ name, positions: seen.map((e) => e.position) }).toEqual({
          name,
          positions: all.map((e) => e.position),
        });
      }
      for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);
      // gaps were there to skip: rolled-back positions never show up
      expect(all[all.length - 1].position).toBeGreaterThan(BigInt(all.length));
    } catch (error) {
      (error as Error).message += `\n(soak seed ${seed}; rerun with SOAK_SEED=${seed})`;
      throw error;
    } finally {
      writing = false;
      await Promise.allSettled([...writers, checkpointReader, gapMaker]); // nothing left running into the next test
      await subscriber.stop();
    }
  }, 60_000);
});

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function deadline<T>(promise: Promise<T>, ms: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${describe()}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A small seeded generator, so a failing soak can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
