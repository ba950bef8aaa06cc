import { Client } from 'pg';
import { ADMIN_DATABASE_URL, describeWithPostgres, waitUntil } from '../../../../test/support/postgres';
import { terminateBackends } from '../../../../test/support/postgres-faults';
import { event } from '../../../../test/contract/event-store.contract';
import { EventStoreUnavailableError } from '../errors';
import type { AllSubscription, EventToAppend, StoredEvent } from '../event-store.port';
import { PostgresEventStore } from './postgres-event-store';

const CUTS = 6;
const WRITERS = 8;
/** Appends acknowledged between two cuts, so every cut lands in the middle of the load. */
const APPENDS_BETWEEN_CUTS = 40;

/**
 * Connections cut under load, as a failover, a server restart or an idle-connection reaper cuts
 * them: every backend of the test database is terminated while appends are in flight, several
 * times over. The store must stay usable and the process up: an append in flight either commits
 * or rejects with `EventStoreUnavailableError` (and its retry with the same ids is safe), later
 * appends succeed, and subscriptions, on the writing store and on another one that only hears of
 * appends through LISTEN, deliver every stored event exactly once, in order, without being
 * restarted.
 */
describeWithPostgres('PostgreSQL event store: connections cut under write load', (database) => {
  let admin: Client;
  const stores: PostgresEventStore[] = [];
  beforeAll(async () => {
    admin = new Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await admin.end();
  });

  /** Consumes a subscription in the background, keeping what it delivers and how it ended. */
  const follow = (subscription: AllSubscription) => {
    const delivered: StoredEvent[] = [];
    const ended = (async () => {
      for await (const e of subscription) delivered.push(e);
    })();
    const failure: { error?: unknown } = {};
    ended.catch((error: unknown) => (failure.error = error));
    return { delivered, failure };
  };

  it('stays usable, loses nothing acknowledged and keeps its subscriptions going', async () => {
    const schema = 'faults';
    const backgroundErrors: Error[] = [];
    const options = {
      connectionString: database().url,
      schema,
      poolSize: WRITERS + 2,
      onBackgroundError: (error: Error) => backgroundErrors.push(error),
    };
    const writerStore = await PostgresEventStore.open(options);
    stores.push(writerStore);
    // hears of the writer's appends only through LISTEN (no polling within the test's time)
    const listeningStore = await PostgresEventStore.open({ ...options, pollIntervalMs: 600_000 });
    stores.push(listeningStore);
    const followers = [follow(writerStore.subscribeToAll()), follow(listeningStore.subscribeToAll())];

    const acknowledged: string[] = [];
    let acknowledgedAppends = 0;
    let unavailable = 0;
    const unexpected: unknown[] = [];
    let writing = true;
    const writer = async (n: number) => {
      for (let i = 0; writing; i++) {
        const batch: EventToAppend[] = Array.from({ length: 1 + (i % 3) }, () => event('Written', { n, i }));
        // an append refused as unavailable may have committed: retried with the same ids until answered
        for (;;) {
          try {
            await writerStore.append(`writer-${n}`, batch);
            break;
          } catch (error) {
            if (!(error instanceof EventStoreUnavailableError)) {
              unexpected.push(error);
              return;
            }
            unavailable++;
          }
        }
        acknowledged.push(...batch.map((e) => e.id));
        acknowledgedAppends++;
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, n) => writer(n));

    const terminated: number[] = [];
    for (let cut = 0; cut < CUTS; cut++) {
      const target = acknowledgedAppends + APPENDS_BETWEEN_CUTS;
      await waitUntil(`${APPENDS_BETWEEN_CUTS} more appends are acknowledged`, () =>
        Promise.resolve(acknowledgedAppends >= target || unexpected.length > 0),
      );
      terminated.push(await terminateBackends(admin, database().name));
    }
    writing = false;
    await Promise.all(writers);
    expect(unexpected).toEqual([]);

    // after the cuts, appends go through at once
    const last = await writerStore.append('after-the-cuts', [event('Last')]);
    acknowledged.push(...(await writerStore.readStream('after-the-cuts')).map((e) => e.id));

    for (const { delivered, failure } of followers) {
      await waitUntil(
        'the subscription has delivered the last append',
        () => Promise.resolve(delivered.some((e) => e.position >= last.position) || failure.error !== undefined),
        20_000,
      );
      expect(failure.error).toBeUndefined();
    }
    const stored: StoredEvent[] = [];
    for await (const e of writerStore.readAll()) stored.push(e);

    // every acknowledged event is stored once, and nothing else (each batch was retried until answered)
    expect(new Set(stored.map((e) => e.id))).toEqual(new Set(acknowledged));
    expect(stored).toHaveLength(acknowledged.length);
    for (const { delivered } of followers) {
      expect(delivered.map((e) => e.id)).toEqual(stored.map((e) => e.id));
    }

    // the cuts did hit the load: connections were terminated and appends in flight refused
    expect(terminated.every((count) => count > 0)).toBe(true);
    expect(unavailable).toBeGreaterThan(0);
    expect(backgroundErrors.length).toBeGreaterThan(0); // reported for logging, never thrown
    process.stdout.write(
      `${CUTS} cuts (${terminated.join(', ')} backends terminated), ${acknowledgedAppends + 1} appends ` +
        `(${acknowledged.length} events) acknowledged, ${unavailable} refused as unavailable and retried\n`,
    );
  }, 120_000);
});
