import { CatchUpSubscription, ChangeSignal, type CatchUpSource } from './catch-up-subscription';
import { EventStoreUnavailableError } from './errors';
import type { StoredEvent } from './event-store.port';

const stored = (position: number): StoredEvent => ({
  position: BigInt(position),
  id: `event-${position}`,
  stream: 's',
  revision: BigInt(position - 1),
  type: 'T',
  data: {},
  metadata: {},
  recordedAt: new Date(0),
});

/** A store of `count` events whose reads fail while `failing` says so. */
function flakySource(count: number, isTransient?: CatchUpSource['isTransient']) {
  const log = Array.from({ length: count }, (_, i) => stored(i + 1));
  const state = { failing: false, reads: [] as bigint[], error: new Error('unreachable') };
  const source: CatchUpSource = {
    changes: new ChangeSignal(),
    readAfter: (after, limit) => {
      state.reads.push(after);
      if (state.failing) return Promise.reject(state.error);
      return Promise.resolve(log.filter((e) => e.position > after).slice(0, limit));
    },
    isTransient,
  };
  return { source, state, log };
}

describe(CatchUpSubscription.name, () => {
  it('reads again from its last delivered position after a transient failure, delivering each event once', async () => {
    const { source, state, log } = flakySource(5, (error) => error instanceof EventStoreUnavailableError);
    const retries: bigint[] = [];
    const subscription = new CatchUpSubscription(source, 0n, {
      pageSize: 2,
      pollIntervalMs: 60_000,
      onRetry: (_error, after) => retries.push(after),
    });
    const iterator = subscription[Symbol.asyncIterator]();
    const delivered = [(await iterator.next()).value, (await iterator.next()).value] as StoredEvent[];

    state.failing = true;
    state.error = new EventStoreUnavailableError('connection terminated');
    const next = iterator.next();
    // the failure is retried, not thrown: recover, and let a change end the backoff at once
    while (retries.length === 0) await new Promise(setImmediate);
    state.failing = false;
    source.changes.notify();
    delivered.push((await next).value as StoredEvent);
    for (let i = 0; i < 2; i++) delivered.push((await iterator.next()).value as StoredEvent);

    expect(delivered.map((e) => e.id)).toEqual(log.map((e) => e.id));
    expect(retries).toEqual([2n]); // from the last delivered position
    expect(subscription.lastPosition).toBe(5n);
    await subscription.stop();
  });

  it('ends with the error when the failure is not transient (or the source says nothing)', async () => {
    for (const isTransient of [undefined, () => false]) {
      const { source, state } = flakySource(1, isTransient);
      state.failing = true;
      const subscription = new CatchUpSubscription(source, 0n, { pageSize: 10, pollIntervalMs: 60_000 });
      await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBe(state.error);
    }
  });

  it('stops while it waits to retry', async () => {
    const { source, state } = flakySource(1, () => true);
    state.failing = true;
    let retried = false;
    const subscription = new CatchUpSubscription(source, 0n, {
      pageSize: 10,
      pollIntervalMs: 60_000,
      onRetry: () => (retried = true),
    });
    const next = subscription[Symbol.asyncIterator]().next();
    while (!retried) await new Promise(setImmediate);
    await subscription.stop();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
  });
});
