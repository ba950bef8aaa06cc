import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  AllSubscription,
  DuplicateEventIdError,
  EventStore,
  EventStoreError,
  EventToAppend,
  ExpectedRevision,
  InvalidAppendError,
  InvalidReadError,
  StoredEvent,
  WrongExpectedRevisionError,
} from '@squad/event-store';
import { ReferenceEventStore } from './reference-event-store';

/**
 * The behaviour every event-store adapter must show. Each adapter's `*.int-spec.ts` calls this
 * with a factory for a fresh, empty store; nothing here knows which adapter it is testing.
 */
export interface ContractTarget {
  /** A fresh, empty store. */
  open(): Promise<EventStore>;
  /** Page size the adapter uses for reads, so tests can cross page boundaries. */
  readonly readPageSize: number;
  /**
   * Whether the adapter refuses, with `DuplicateEventIdError`, an event id already stored outside
   * a retry of the same batch on the same stream. Defaults to true; EventStoreDB cannot (it only
   * recognises retries), so the tests of that refusal are skipped for it.
   */
  readonly enforcesUniqueEventIds?: boolean;
}

export function event(
  type = 'SomethingHappened',
  data: unknown = { n: 1 },
  metadata?: EventToAppend['metadata'],
): EventToAppend {
  return { id: randomUUID(), type, data, ...(metadata ? { metadata } : {}) };
}

export function events(count: number, type = 'SomethingHappened'): EventToAppend[] {
  return Array.from({ length: count }, (_, n) => event(type, { n }));
}

async function collect(iterable: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

/**
 * Takes the next `count` events from a subscription's iterator. The bound is a failure
 * deadline, not a wait: the promise settles as soon as the events arrive.
 */
export async function takeFrom(
  iterator: AsyncIterator<StoredEvent>,
  count: number,
  deadlineMs = 10_000,
): Promise<StoredEvent[]> {
  const received: StoredEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`subscription delivered ${received.length} of ${count} events within ${deadlineMs} ms`)),
      deadlineMs,
    );
  });
  try {
    while (received.length < count) {
      const next = await Promise.race([iterator.next(), deadline]);
      if (next.done) break;
      received.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return received;
}

/** A subscription whose events can be taken a few at a time. */
export function reader(subscription: AllSubscription) {
  const iterator = subscription[Symbol.asyncIterator]();
  return { subscription, take: (count: number) => takeFrom(iterator, count) };
}

async function expectRejected<E extends EventStoreError>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

export function describeEventStoreContract(adapterName: string, target: ContractTarget): void {
  const uniqueIds = target.enforcesUniqueEventIds ?? true;
  const itWithUniqueIds = uniqueIds ? it : it.skip;
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;

    beforeEach(async () => {
      store = await target.open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('append and read back', () => {
      it('stores every field and sets revision, position and recordedAt', async () => {
        const before = Date.now();
        const written = event('PlayerRegistered', { player: 'gleison-bremer' }, { reportId: 'r-1' });
        const result = await store.append('player-gleison-bremer', [written], { expectedRevision: 'no_stream' });

        expect(result.nextExpectedRevision).toBe(0n);
        expect(result.position).toBeGreaterThan(0n);
        const [stored] = await store.readStream('player-gleison-bremer');
        expect(stored).toEqual({
          id: written.id,
          type: 'PlayerRegistered',
          data: { player: 'gleison-bremer' },
          metadata: { reportId: 'r-1' },
          stream: 'player-gleison-bremer',
          revision: 0n,
          position: result.position,
          recordedAt: expect.any(Date),
        });
        expect(stored.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(stored.recordedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
        expect(await store.headPosition()).toBe(result.position);
      });

      it('defaults metadata to an empty object and reads a missing stream as empty', async () => {
        await store.append('s', [{ id: randomUUID(), type: 'T', data: 'plain string' }]);
        const [stored] = await store.readStream('s');
        expect(stored.metadata).toEqual({});
        expect(stored.data).toBe('plain string');
        expect(await store.readStream('never-written')).toEqual([]);
      });

      it('starts empty', async () => {
        expect(await store.headPosition()).toBe(0n);
        expect(await collect(store.readAll())).toEqual([]);
      });
    });

    describe('optimistic concurrency', () => {
      it('checks each kind of expected revision', async () => {
        await expectRejected(
          store.append('s', [event()], { expectedRevision: 'stream_exists' }),
          WrongExpectedRevisionError,
        );
        await expectRejected(store.append('s', [event()], { expectedRevision: 0n }), WrongExpectedRevisionError);
        await store.append('s', [event()], { expectedRevision: 'no_stream' });
        await store.append('s', [event()], { expectedRevision: 'stream_exists' });
        await store.append('s', [event()], { expectedRevision: 1n });
        await store.append('s', [event()], { expectedRevision: 'any' });
        await store.append('s', [event()]);

        const conflict = await expectRejected(
          store.append('s', [event()], { expectedRevision: 2n }),
          WrongExpectedRevisionError,
        );
        expect(conflict).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', stream: 's', expected: 2n, actual: 4n });
        expect(conflict.message).toContain('"s"');

        const exists = await expectRejected(
          store.append('s', [event()], { expectedRevision: 'no_stream' }),
          WrongExpectedRevisionError,
        );
        expect(exists).toMatchObject({ expected: 'no_stream', actual: 4n });

        const missing = await expectRejected(
          store.append('t', [event()], { expectedRevision: 3n }),
          WrongExpectedRevisionError,
        );
        expect(missing).toMatchObject({ stream: 't', expected: 3n, actual: 'no_stream' });
        expect(await store.readStream('s')).toHaveLength(5);
      });

      it('lets exactly one of N racing appends at the same expected revision win', async () => {
        await store.append('race', [event()], { expectedRevision: 'no_stream' });
        const racers = 16;
        const outcomes = await Promise.allSettled(
          Array.from({ length: racers }, (_, i) =>
            store.append('race', [event('Raced', { racer: i })], { expectedRevision: 0n }),
          ),
        );

        const winners = outcomes.filter((o) => o.status === 'fulfilled');
        const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(racers - 1);
        for (const loser of losers) {
          expect(loser.reason).toBeInstanceOf(WrongExpectedRevisionError);
          expect(loser.reason).toMatchObject({ stream: 'race', expected: 0n, actual: 1n });
        }
        expect(await store.readStream('race')).toHaveLength(2);
      });

      it('lets exactly one of N racing stream creations win', async () => {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.append('created', events(2), { expectedRevision: 'no_stream' })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream('created')).toHaveLength(2);
      });
    });

    describe('idempotent retries', () => {
      it('returns the original result for the same ids on the same stream and writes nothing', async () => {
        const batch = events(3);
        const original = await store.append('s', batch, { expectedRevision: 'no_stream' });
        await store.append('s', [event()], { expectedRevision: 2n });
        const head = await store.headPosition();

        // the client did not see the first acknowledgement and retries with its old expectation
        const retried = await store.append('s', batch, { expectedRevision: 'no_stream' });

        expect(retried).toEqual(original);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream('s')).toHaveLength(4);
      });

      itWithUniqueIds('refuses an id already used on another stream, writing nothing', async () => {
        const used = event();
        await store.append('a', [used]);
        const head = await store.headPosition();

        const error = await expectRejected(store.append('b', [used]), DuplicateEventIdError);
        expect(error).toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventId: used.id });
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream('b')).toEqual([]);
      });

      itWithUniqueIds('refuses a batch that only partly repeats a stored batch', async () => {
        const batch = events(2);
        await store.append('s', batch);
        const head = await store.headPosition();

        await expectRejected(store.append('s', [batch[0], event()]), DuplicateEventIdError);
        await expectRejected(store.append('s', [event(), batch[1]]), DuplicateEventIdError);
        expect(await store.headPosition()).toBe(head);
      });
    });

    describe('atomic batches and bad input', () => {
      it('writes nothing of a batch whose later event is invalid', async () => {
        await store.append('s', [event()]);
        const head = await store.headPosition();
        const circular: Record<string, unknown> = {};
        circular.self = circular;

        const error = await expectRejected(
          store.append('s', [event(), event(), event('T', circular)]),
          InvalidAppendError,
        );
        expect(error).toMatchObject({ reason: 'NOT_SERIALISABLE', field: 'events[2].data.self' });
        expect(await store.headPosition()).toBe(head);
      });

      itWithUniqueIds('writes nothing of a batch whose later id collides with a stored event', async () => {
        const stored = event();
        await store.append('other', [stored]);
        const head = await store.headPosition();

        await expectRejected(store.append('s', [event(), event(), stored]), DuplicateEventIdError);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream('s')).toEqual([]);
      });

      const badAppends: [string, () => [string, unknown, unknown], string, string][] = [
        [
          'an unknown expected revision',
          () => ['s', [event()], 'latest'],
          'UNKNOWN_EXPECTED_REVISION',
          'expectedRevision',
        ],
        ['a negative expected revision', () => ['s', [event()], -1n], 'UNKNOWN_EXPECTED_REVISION', 'expectedRevision'],
        [
          'a number instead of a bigint revision',
          () => ['s', [event()], 3],
          'UNKNOWN_EXPECTED_REVISION',
          'expectedRevision',
        ],
        ['an empty batch', () => ['s', [], 'any'], 'EMPTY_BATCH', 'events'],
        [
          'a bigint in the data',
          () => ['s', [event('T', { fee: 10n })], 'any'],
          'NOT_SERIALISABLE',
          'events[0].data.fee',
        ],
        [
          'a function in the data',
          () => ['s', [event('T', { f: () => 1 })], 'any'],
          'NOT_SERIALISABLE',
          'events[0].data.f',
        ],
        [
          'NaN in the data',
          () => ['s', [event('T', { x: [1, NaN] })], 'any'],
          'NOT_SERIALISABLE',
          'events[0].data.x[1]',
        ],
        [
          'a Date in the data',
          () => ['s', [event('T', { on: new Date() })], 'any'],
          'NOT_SERIALISABLE',
          'events[0].data.on',
        ],
        [
          'undefined data',
          () => ['s', [{ id: randomUUID(), type: 'T', data: undefined }], 'any'],
          'NOT_SERIALISABLE',
          'events[0].data',
        ],
        [
          'an event over 1 MiB',
          () => ['s', [event('T', 'x'.repeat(1024 * 1024))], 'any'],
          'EVENT_TOO_LARGE',
          'events[0]',
        ],
        [
          'an id that is not a UUID',
          () => ['s', [{ id: 'abc', type: 'T', data: 1 }], 'any'],
          'INVALID_EVENT_ID',
          'events[0].id',
        ],
        [
          'an empty type',
          () => ['s', [{ id: randomUUID(), type: '', data: 1 }], 'any'],
          'INVALID_EVENT_TYPE',
          'events[0].type',
        ],
        ['an empty stream name', () => ['', [event()], 'any'], 'INVALID_STREAM_NAME', 'stream'],
        ['a reserved stream name', () => ['$all', [event()], 'any'], 'INVALID_STREAM_NAME', 'stream'],
      ];
      it.each(badAppends)('refuses %s with a typed error naming the field', async (_, request, reason, field) => {
        await store.append('s', [event()]);
        const head = await store.headPosition();
        const [stream, batch, expectedRevision] = request();

        const error = await expectRejected(
          store.append(stream, batch as EventToAppend[], { expectedRevision: expectedRevision as ExpectedRevision }),
          InvalidAppendError,
        );
        expect(error).toMatchObject({ code: 'INVALID_APPEND', reason, field });
        expect(error.message).toContain(field);
        expect(await store.headPosition()).toBe(head);
      });

      it('accepts an event just under 1 MiB', async () => {
        const big = 'é'.repeat(400_000); // 800,000 bytes in UTF-8
        await store.append('big', [event('Big', big)]);
        const [stored] = await store.readStream('big');
        expect(stored.data).toBe(big);
      });

      it('refuses malformed read options', async () => {
        await expect(store.readStream('s', { maxCount: -1 })).rejects.toBeInstanceOf(InvalidReadError);
        await expect(collect(store.readAll({ fromPosition: -5n }))).rejects.toBeInstanceOf(InvalidReadError);
      });
    });

    describe('payloads', () => {
      it('round-trips non-ASCII text exactly', async () => {
        const data = {
          player: 'Nicolò Savona',
          club: 'Atlético Madrid',
          quote: 'Marseille «n’ont jamais bloqué» — 🇦🇷⚽',
          scripts: ['ユベントス', 'مرسيليا', 'Ювентус', 'z\u200dwj', 'e\u0301'],
          loneSurrogate: '\ud800',
          'clé spéciale': true,
        };
        await store.append('unicode', [event('Reported', data, { source: 'La Tribune Olympienne ✓' })]);
        const [stored] = await store.readStream('unicode');
        expect(stored.data).toEqual(data);
        expect(stored.metadata).toEqual({ source: 'La Tribune Olympienne ✓' });
      });

      it('round-trips deep and wide JSON', async () => {
        let deep: unknown = 'bottom';
        for (let i = 0; i < 100; i++) deep = { level: i, next: deep };
        const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i % 2 ? i : `v${i}`]));
        await store.append('shapes', [
          event('Deep', deep),
          event('Wide', wide),
          event('Values', [0, -0.5, 1e300, null, false, '']),
        ]);
        const stored = await store.readStream('shapes');
        expect(stored.map((e) => e.data)).toEqual([deep, wide, [0, -0.5, 1e300, null, false, '']]);
      });
    });

    describe('ordering and reads', () => {
      it('gives strictly increasing positions across streams and consecutive revisions per stream', async () => {
        const written: { stream: string; id: string }[] = [];
        for (let i = 0; i < 30; i++) {
          const stream = `s-${i % 3}`;
          const batch = events((i % 4) + 1);
          await store.append(stream, batch);
          written.push(...batch.map((e) => ({ stream, id: e.id })));
        }
        const all = await collect(store.readAll());
        expect(all.map((e) => ({ stream: e.stream, id: e.id }))).toEqual(written);
        for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);
        for (const stream of ['s-0', 's-1', 's-2']) {
          const revisions = (await store.readStream(stream)).map((e) => e.revision);
          expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
        }
      });

      it('reads a stream forwards, backwards, from a revision and up to a count', async () => {
        await store.append('s', events(10));
        const revisions = async (options: Parameters<EventStore['readStream']>[1]) =>
          (await store.readStream('s', options)).map((e) => Number(e.revision));

        expect(await revisions({ fromRevision: 4n, maxCount: 3 })).toEqual([4, 5, 6]);
        expect(await revisions({ direction: 'backwards', maxCount: 3 })).toEqual([9, 8, 7]);
        expect(await revisions({ direction: 'backwards', fromRevision: 2n })).toEqual([2, 1, 0]);
        expect(await revisions({ fromRevision: 'end' })).toEqual([]);
        expect(await revisions({ maxCount: 0 })).toEqual([]);
      });

      it('reads all events across page boundaries, from an inclusive position, up to a count', async () => {
        const total = target.readPageSize * 2 + 7;
        for (let i = 0; i < total; i += 100) await store.append(`bulk-${i % 3}`, events(Math.min(100, total - i)));

        const all = await collect(store.readAll());
        expect(all).toHaveLength(total);
        expect(new Set(all.map((e) => e.id)).size).toBe(total);

        const from = all[target.readPageSize - 2].position;
        const slice = await collect(store.readAll({ fromPosition: from, maxCount: 5 }));
        expect(slice.map((e) => e.id)).toEqual(
          all.slice(target.readPageSize - 2, target.readPageSize + 3).map((e) => e.id),
        );
        expect(await collect(store.readAll({ maxCount: target.readPageSize + 1 }))).toHaveLength(
          target.readPageSize + 1,
        );
      });
    });

    describe('subscribeToAll', () => {
      it('catches up on stored events, then delivers new ones live', async () => {
        await store.append('a', events(3));
        await store.append('b', events(2));
        const sub = reader(store.subscribeToAll());

        const caughtUp = await sub.take(5);
        expect(caughtUp.map((e) => e.stream)).toEqual(['a', 'a', 'a', 'b', 'b']);

        const live = sub.take(4);
        await store.append('c', events(1));
        await store.append('a', events(3));
        const delivered = await live;
        const all = await collect(store.readAll());
        expect([...caughtUp, ...delivered]).toEqual(all);
        await sub.subscription.stop();
      });

      it('resumes after a position, exclusively, and from the end', async () => {
        await store.append('s', events(6));
        const all = await collect(store.readAll());

        const resumed = reader(store.subscribeToAll({ fromPosition: all[2].position }));
        expect((await resumed.take(3)).map((e) => e.id)).toEqual(all.slice(3).map((e) => e.id));

        const fromEnd = reader(store.subscribeToAll({ fromPosition: 'end' }));
        const next = fromEnd.take(1);
        const appended = event('AfterSubscribing');
        await store.append('s', [appended]);
        expect((await next).map((e) => e.id)).toEqual([appended.id]);
        expect(fromEnd.subscription.lastPosition).toBe(await store.headPosition());
        await Promise.all([resumed.subscription.stop(), fromEnd.subscription.stop()]);
      });

      it('delivers every event exactly once, in order, while writers append concurrently', async () => {
        await store.append('seed', events(target.readPageSize + 3)); // catch-up spans pages
        const sub = reader(store.subscribeToAll());
        const batchSizes = Array.from({ length: 25 }, (_, i) => (i % 3) + 1);
        const writers = Array.from({ length: 4 }, async (_, w) => {
          for (const size of batchSizes) await store.append(`writer-${w}`, events(size));
        });
        const total = target.readPageSize + 3 + 4 * batchSizes.reduce((a, b) => a + b, 0);
        const [received] = await Promise.all([sub.take(total), Promise.all(writers)]);

        const all = await collect(store.readAll());
        expect(all).toHaveLength(total);
        expect(received.map((e) => e.position)).toEqual(all.map((e) => e.position));
        await sub.subscription.stop();
      });

      it('ends the loop when stopped, also while waiting for new events', async () => {
        await store.append('s', events(2));
        const sub = store.subscribeToAll();
        const seen: StoredEvent[] = [];
        const loop = (async () => {
          for await (const e of sub) {
            seen.push(e);
            if (seen.length === 2) queueMicrotask(() => void sub.stop());
          }
        })();
        await loop;
        expect(seen).toHaveLength(2);

        const idle = store.subscribeToAll({ fromPosition: 'end' });
        const idleLoop = collect(idle);
        await idle.stop();
        expect(await idleLoop).toEqual([]);
      });
    });

    describe('against the reference model', () => {
      type Op =
        | {
            kind: 'append';
            stream: number;
            size: number;
            expected: 'any' | 'no_stream' | 'stream_exists' | 'current' | 'stale' | 'ahead';
          }
        | { kind: 'retry'; pick: number; stream: number }
        | { kind: 'reuse-id'; pick: number; stream: number };
      const op: fc.Arbitrary<Op> = fc.oneof(
        {
          weight: 6,
          arbitrary: fc.record({
            kind: fc.constant('append' as const),
            stream: fc.integer({ min: 0, max: 2 }),
            size: fc.integer({ min: 1, max: 4 }),
            expected: fc.constantFrom('any', 'no_stream', 'stream_exists', 'current', 'stale', 'ahead'),
          }),
        },
        {
          weight: 2,
          arbitrary: fc.record({
            kind: fc.constant('retry' as const),
            pick: fc.nat(),
            stream: fc.integer({ min: 0, max: 2 }),
          }),
        },
        // reusing an id outside a retry is refused only by adapters that enforce unique ids
        {
          weight: uniqueIds ? 1 : 0,
          arbitrary: fc.record({
            kind: fc.constant('reuse-id' as const),
            pick: fc.nat(),
            stream: fc.integer({ min: 0, max: 2 }),
          }),
        },
      );

      it('agrees with the model on every outcome and on the final log', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
            const adapter = await target.open();
            try {
              const model = new ReferenceEventStore();
              const batches: { stream: string; events: EventToAppend[]; expected: ExpectedRevision }[] = [];
              const outcomes: { model: unknown; adapter: unknown }[] = [];
              for (const o of ops) {
                const stream = `stream-${o.stream}`;
                let request: { stream: string; events: EventToAppend[]; expected: ExpectedRevision };
                if (o.kind === 'append' || batches.length === 0) {
                  const size = o.kind === 'append' ? o.size : 1;
                  const current = BigInt(model.streamEvents(stream).length) - 1n;
                  const kind = o.kind === 'append' ? o.expected : 'any';
                  const expected: ExpectedRevision =
                    kind === 'current'
                      ? current < 0n
                        ? 'no_stream'
                        : current
                      : kind === 'stale'
                        ? current > 0n
                          ? current - 1n
                          : 0n
                        : kind === 'ahead'
                          ? current + 1n
                          : kind;
                  request = { stream, events: events(size), expected };
                } else if (o.kind === 'retry') {
                  request = batches[o.pick % batches.length];
                } else {
                  const reused = batches[o.pick % batches.length].events[0];
                  request = { stream, events: [reused], expected: 'any' };
                }
                batches.push(request);
                const expectedOutcome = model.append(request.stream, request.events, request.expected);
                const actualOutcome = await adapter
                  .append(request.stream, request.events, { expectedRevision: request.expected })
                  .then(
                    (r) => r,
                    (e: unknown) => ({ error: e instanceof EventStoreError ? e.code : String(e) }),
                  );
                outcomes.push({ model: expectedOutcome, adapter: actualOutcome });
              }

              // Positions are only promised to increase, so compare them through the log order.
              const log = await collect(adapter.readAll());
              const modelLog = model.all();
              expect(log.map((e) => [e.stream, e.revision, e.id, e.type, e.data])).toEqual(
                modelLog.map((e) => [e.stream, e.revision, e.id, e.type, e.data]),
              );
              const toAdapterPosition = (p: bigint) => log[Number(p) - 1]?.position;
              for (const { model: m, adapter: a } of outcomes) {
                if ('error' in (m as object)) expect(a).toEqual(m);
                else {
                  const r = m as { nextExpectedRevision: bigint; position: bigint };
                  expect(a).toEqual({
                    nextExpectedRevision: r.nextExpectedRevision,
                    position: toAdapterPosition(r.position),
                  });
                }
              }
            } finally {
              await adapter.close();
            }
          }),
          { numRuns: 60 },
        );
      });
    });
  });
}
