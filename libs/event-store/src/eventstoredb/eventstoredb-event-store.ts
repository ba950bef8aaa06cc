import {
  AccessDeniedError,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  InvalidArgumentError,
  isCommandError,
  MaxAppendSizeExceededError,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  streamNameFilter,
  TimeoutError,
  UnavailableError,
  UnsupportedError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type CurrentRevision,
  type Direction,
  type JSONEventData,
  type JSONType,
  type Position,
  type ReadPosition,
  type RecordedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, InvalidAppendError, WrongExpectedRevisionError } from '../errors';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeToAllOptions,
} from '../event-store.port';
import {
  DEFAULT_MAX_EVENT_BYTES,
  parseBound,
  parseDirection,
  parseMaxCount,
  PreparedEvent,
  prepareAppend,
} from '../request-validation';

export interface EventStoreDbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false`, or `esdb+discover://…` for a cluster. */
  readonly connectionString: string;
  /**
   * Confines the store to the streams named `${streamPrefix}…`: names are prefixed on the way
   * in and unprefixed on the way out, and `readAll`, `subscribeToAll` and `headPosition` see
   * only those streams. Lets several isolated stores share one server (e.g. one per contract
   * test). Must not start with `$`. Defaults to none. Reads of `$all` are filtered here (this
   * client cannot filter them on the server), so they scan the other stores' events too.
   */
  readonly streamPrefix?: string;
  readonly maxEventBytes?: number;
  /** Events per request when reading all streams. */
  readonly readPageSize?: number;
  /** First wait before resubscribing after a subscription dropped; doubles up to 30 s. */
  readonly resubscribeDelayMs?: number;
  /** Errors the store recovers from by itself (a dropped subscription), for logging; never thrown. */
  readonly onBackgroundError?: (error: Error) => void;
}

/** ESDB revisions and positions are signed 64-bit on the server. */
const INT64_MAX = 2n ** 63n - 1n;
const MAX_RESUBSCRIBE_DELAY_MS = 30_000;

/**
 * The production adapter: a thin translation onto EventStoreDB / KurrentDB over gRPC
 * (`@eventstore/db-client`). Streams, revisions, expected revisions, atomic batches and
 * catch-up subscriptions are the server's own; this class maps names, positions and errors.
 *
 * Global positions: ESDB orders `$all` by a (commit, prepare) pair. Every event appended over
 * gRPC is its own commit-alike record (an implicit transaction whose prepares all carry the
 * committed flag), so its commit and prepare positions are both its log position: the commit
 * position alone is unique and strictly increasing, and `{ commit: p, prepare: p }` names the
 * event at `p` exactly. The port's `position` is therefore the commit position. Only the
 * legacy explicit transactions of the TCP API (not available over gRPC; never written here)
 * share a commit position among several events. Positions handed back to `readAll` and
 * `subscribeToAll` must be ones this store returned: ESDB cannot seek to an arbitrary byte.
 *
 * Deviation from the port: ESDB deduplicates an event id only within a retry on the same
 * stream (for `'any'`/`'stream_exists'` from an in-memory cache of recent ids), so an id reused
 * in another stream is written again, and a batch that repeats part of a stored batch fails with
 * `WrongExpectedRevisionError` (or is written, when its first id is new) instead of
 * `DuplicateEventIdError`. This adapter never throws `DuplicateEventIdError`; enforcing global
 * id uniqueness would need an index ESDB does not have.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly prefix: string;
  private readonly maxEventBytes: number;
  private readonly readPageSize: number;
  private readonly resubscribeDelayMs: number;
  private readonly subscriptions = new Set<EventStoreDbAllSubscription>();
  /** Head reads of `'end'` subscriptions in flight; see `append`. */
  private readonly pendingStarts = new Set<Promise<unknown>>();
  private closed = false;

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbEventStoreOptions,
  ) {
    this.prefix = options.streamPrefix ?? '';
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.readPageSize = Math.max(2, options.readPageSize ?? 1000); // a continued page re-reads one event
    this.resubscribeDelayMs = options.resubscribeDelayMs ?? 500;
  }

  /** Connects and reads the last event of `$all` once, so a wrong address or missing rights fail here. */
  static async open(options: EventStoreDbEventStoreOptions): Promise<EventStoreDbEventStore> {
    if (options.streamPrefix?.startsWith('$')) {
      throw new Error('streamPrefix must not start with "$": those streams are reserved for the server');
    }
    const client = EventStoreDBClient.connectionString(options.connectionString);
    const store = new EventStoreDbEventStore(client, options);
    try {
      await store.readAllPage(END, BACKWARDS, 1);
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw error;
    }
    return store;
  }

  async append(stream: string, events: readonly EventToAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    const request = prepareAppend(stream, events, options.expectedRevision, this.maxEventBytes);
    this.assertOpen();
    // An 'end' subscription starts after the head it is reading; an append from this process
    // issued after subscribeToAll() returned must land after that head, or it would be missed.
    if (this.pendingStarts.size > 0) await Promise.allSettled(this.pendingStarts);
    const name = this.prefix + stream;
    let result;
    try {
      result = await this.client.appendToStream(name, request.events.map(toEventData), {
        expectedRevision: request.expectedRevision,
      });
    } catch (error) {
      throw this.closed ? this.closedError() : translateAppendError(error, stream, request.expectedRevision);
    }
    // An idempotent retry is acknowledged without a position: look up the original's.
    const position =
      result.position && result.position.commit > 0n
        ? result.position.commit
        : await this.positionOfRevision(name, result.nextExpectedRevision);
    return { nextExpectedRevision: result.nextExpectedRevision, position };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const direction = parseDirection(options.direction);
    const maxCount = parseMaxCount(options.maxCount);
    const from = parseBound(
      'fromRevision',
      options.fromRevision,
      ['start', 'end'] as const,
      direction === 'forwards' ? 'start' : 'end',
    );
    this.assertOpen();
    if (maxCount === 0 || typeof stream !== 'string' || stream === '' || stream.startsWith('$')) return [];
    let fromRevision: bigint | typeof START | typeof END = from;
    if (direction === 'forwards') {
      if (from === 'end' || (typeof from === 'bigint' && from > INT64_MAX)) return [];
    } else {
      if (from === 'start') return [];
      if (typeof from === 'bigint' && from > INT64_MAX) fromRevision = END;
    }
    const read = this.client.readStream(this.prefix + stream, {
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
      fromRevision,
      ...(maxCount === undefined ? {} : { maxCount }),
    });
    const stored: StoredEvent[] = [];
    try {
      for await (const resolved of read) {
        const event = this.toVisibleEvent(resolved);
        if (event) stored.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError) return [];
      throw this.translate(error);
    }
    return stored;
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent> {
    const from = parseBound('fromPosition', options.fromPosition, ['start'] as const, 'start');
    let remaining = parseMaxCount(options.maxCount) ?? Infinity;
    if (typeof from === 'bigint' && from > INT64_MAX) return;
    // Both ESDB and the port read $all from an inclusive position. Later pages restart at the
    // last event seen (inclusive again) and skip it; system events and, with a prefix, other
    // streams are filtered here, as this client cannot filter a read of $all on the server.
    let cursor: ReadPosition = from === 'start' || from === 0n ? START : esdbPosition(from);
    let last = from === 'start' ? -1n : from - 1n;
    let pageSize = this.readPageSize;
    while (remaining > 0) {
      this.assertOpen();
      const page = await this.readAllPage(cursor, FORWARDS, pageSize);
      const before = last;
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (position <= last) continue;
        last = position;
        const event = this.toVisibleEvent(resolved);
        if (!event) continue;
        yield event;
        if (--remaining === 0) return;
      }
      if (page.length < pageSize) return;
      if (last === before) throw new Error(`EventStoreDB returned a page of $all without progress at position ${last}`);
      cursor = esdbPosition(last);
      pageSize = this.readPageSize + 1;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const from = parseBound('fromPosition', options.fromPosition, ['start', 'end'] as const, 'start');
    this.assertOpen();
    let start: bigint | Promise<bigint>;
    if (from === 'end') {
      // Resolved now rather than with ESDB's END when iteration starts, so "from now on" means
      // after this call, as on the other adapters.
      start = this.headPosition();
      const pending = start.catch(() => undefined);
      this.pendingStarts.add(pending);
      void pending.then(() => this.pendingStarts.delete(pending));
    } else {
      start = from === 'start' ? 0n : from;
    }
    const subscription = new EventStoreDbAllSubscription(
      {
        subscribe: (after) =>
          this.client.subscribeToAll({
            fromPosition: after === 0n ? START : esdbPosition(after > INT64_MAX ? INT64_MAX : after),
            filter: this.prefix ? streamNameFilter({ prefixes: [this.prefix] }) : excludeSystemEvents(),
          }),
        head: () => this.headPosition(),
        toEvent: (resolved) => this.toVisibleEvent(resolved),
        translate: (error) => this.translate(error),
        onDrop: (error) => this.options.onBackgroundError?.(error),
        resubscribeDelayMs: this.resubscribeDelayMs,
      },
      start,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Reads `$all` backwards until the first event this store shows (one request when it is the last). */
  async headPosition(): Promise<bigint> {
    this.assertOpen();
    let cursor: ReadPosition = END;
    let pageSize = 1;
    let oldest: bigint | undefined;
    for (;;) {
      const page = await this.readAllPage(cursor, BACKWARDS, pageSize);
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (oldest !== undefined && position >= oldest) continue;
        oldest = position;
        if (this.toVisibleEvent(resolved)) return position;
      }
      if (page.length < pageSize || oldest === undefined) return 0n;
      if (esdbCursorIs(cursor, oldest)) {
        throw new Error(`EventStoreDB returned a page of $all without progress at position ${oldest}`);
      }
      cursor = esdbPosition(oldest); // exclusive when reading backwards
      pageSize = this.readPageSize;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
    // Cancels the calls still open (the shared append stream among them).
    await this.client.dispose();
  }

  private async readAllPage(
    fromPosition: ReadPosition,
    direction: Direction,
    maxCount: number,
  ): Promise<AllStreamResolvedEvent[]> {
    const read = this.client.readAll({ fromPosition, direction, maxCount });
    const page: AllStreamResolvedEvent[] = [];
    try {
      for await (const resolved of read) page.push(resolved);
    } catch (error) {
      throw this.translate(error);
    }
    return page;
  }

  private async positionOfRevision(name: string, revision: bigint): Promise<bigint> {
    try {
      for await (const resolved of this.client.readStream(name, { fromRevision: revision, maxCount: 1 })) {
        return positionOf(resolved);
      }
    } catch (error) {
      throw this.translate(error);
    }
    throw new Error(`EventStoreDB acknowledged revision ${revision} of "${name}" but has no event there`);
  }

  private toVisibleEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | undefined {
    const recorded = resolved.event;
    if (!recorded || !isVisibleEvent(recorded.streamId, recorded.type, this.prefix)) return undefined;
    return toStoredEvent(recorded, positionOf(resolved), this.prefix);
  }

  private translate(error: unknown): unknown {
    return this.closed ? this.closedError() : translateError(error);
  }

  private closedError(): EventStoreUnavailableError {
    return new EventStoreUnavailableError('the EventStoreDB store is closed');
  }

  private assertOpen(): void {
    if (this.closed) throw this.closedError();
  }
}

function esdbCursorIs(cursor: ReadPosition, position: bigint): boolean {
  return typeof cursor === 'object' && cursor.commit === position;
}

/** `{ commit: p, prepare: p }`: the event at commit position `p` (see the class comment). */
export function esdbPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

/**
 * Whether an ESDB event belongs to the port's log: not a system event (type starting with `$`,
 * exactly what the server's `excludeSystemEvents()` filter drops) and, with a prefix, in one of
 * the store's streams. readAll and the subscriptions use this one rule, so they agree.
 */
export function isVisibleEvent(streamId: string, type: string, prefix: string): boolean {
  return type.length > 0 && !type.startsWith('$') && streamId.startsWith(prefix) && !streamId.startsWith('$');
}

export function toStoredEvent(recorded: RecordedEvent, position: bigint, prefix: string): StoredEvent {
  return {
    id: recorded.id.toLowerCase(),
    type: recorded.type,
    // Events this adapter wrote are JSON; a binary event written by another client keeps its bytes.
    data: recorded.data,
    metadata: isJsonObject(recorded.metadata) ? recorded.metadata : {},
    stream: recorded.streamId.slice(prefix.length),
    revision: recorded.revision,
    position,
    recordedAt: recorded.created,
  };
}

/** The commit position of a read event (the record's own, or the response's on older servers). */
function positionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): bigint {
  const position = resolved.event?.position?.commit ?? resolved.link?.position?.commit ?? resolved.commitPosition;
  if (position === undefined) {
    throw new Error('EventStoreDB returned an event without its position (servers before 22.6 do not)');
  }
  return position;
}

function toEventData(event: PreparedEvent): JSONEventData {
  return {
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    // The client serialises `data` itself; parsing the validated text hands it exactly what
    // was checked and measured, even if the caller mutates its object meanwhile.
    data: JSON.parse(event.dataJson) as JSONType,
    // Our metadata goes to ESDB's metadata field as is (a Uint8Array is sent without re-encoding).
    metadata: new Uint8Array(Buffer.from(event.metadataJson, 'utf8')),
  };
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** The client's errors in the port's vocabulary; anything else passes through unchanged. */
export function translateAppendError(error: unknown, stream: string, expected: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(stream, expected, actualRevision(error.actualVersion));
  }
  if (error instanceof MaxAppendSizeExceededError) {
    // ESDB bounds the whole batch (its MaxAppendSize, 1 MiB by default), not each event.
    return new InvalidAppendError(
      'EVENT_TOO_LARGE',
      'events',
      `the batch exceeds the server's maximum append size of ${error.maxAppendSize} bytes`,
    );
  }
  const translated = translateError(error);
  if (translated instanceof EventStoreUnavailableError && error instanceof DeadlineExceededError) {
    translated.message += '; the append may have been written, and retrying it with the same ids is safe';
  }
  return translated;
}

export function translateError(error: unknown): unknown {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError
  ) {
    const translated = new EventStoreUnavailableError(`EventStoreDB did not answer (${error.type}: ${error.message})`);
    translated.cause = error;
    return translated;
  }
  return error;
}

function actualRevision(current: CurrentRevision): bigint | 'no_stream' {
  return typeof current === 'bigint' && current >= 0n ? current : 'no_stream';
}

/**
 * Whether a subscription that failed with `error` is subscribed again: a driver or connection
 * error is a drop; refused rights or a malformed request would fail again, and any other error
 * is a bug, so those reach the consumer.
 */
export function isResubscribable(error: unknown): boolean {
  if (
    error instanceof AccessDeniedError ||
    error instanceof InvalidArgumentError ||
    error instanceof UnsupportedError
  ) {
    return false;
  }
  if (error instanceof EventStoreUnavailableError) return true;
  return error instanceof Error && (isCommandError(error) || typeof (error as { code?: unknown }).code === 'number');
}

interface SubscriptionSource {
  /** A server-side catch-up subscription delivering the events after `after`. */
  subscribe(after: bigint): AllStreamSubscription;
  head(): Promise<bigint>;
  toEvent(resolved: AllStreamResolvedEvent): StoredEvent | undefined;
  translate(error: unknown): unknown;
  onDrop(error: Error): void;
  readonly resubscribeDelayMs: number;
}

const ABORTED = Symbol('aborted');

/**
 * The port's subscription over ESDB's catch-up subscription to `$all`. ESDB delivers stored
 * events, then live ones, in position order; when the call drops (the server restarted, the
 * connection broke, or the consumer fell so far behind that the server gave up on it), this
 * subscribes again after the last event handed out, so the consumer sees no gap and no
 * duplicate. Backpressure is the stream's: the client reads from gRPC only as the consumer
 * pulls, and a server whose buffer fills drops the call, which is caught up again from here.
 */
class EventStoreDbAllSubscription implements AllSubscription {
  private readonly abort = new AbortController();
  private iterated = false;
  private position: bigint | undefined;
  private failures = 0;
  private current: AllStreamSubscription | undefined;
  /** The head read that will give the start of an `'end'` subscription. */
  private pendingStart: Promise<bigint> | undefined;

  constructor(
    private readonly source: SubscriptionSource,
    start: bigint | Promise<bigint>,
    private readonly onEnd: () => void,
  ) {
    if (typeof start === 'bigint') this.position = start;
    else this.pendingStart = start;
  }

  get lastPosition(): bigint {
    return this.position ?? 0n;
  }

  /** Safe from inside the consumer's loop: it releases the call without waiting for the loop. */
  async stop(): Promise<void> {
    this.end();
    await this.release();
  }

  [Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    if (this.iterated) throw new Error('A subscription can be iterated only once');
    this.iterated = true;
    return this.run();
  }

  private end(): void {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.onEnd();
  }

  private async release(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (!current) return;
    // Destroying the readable settles a pending read; cancelling ends the gRPC call itself.
    current.destroy();
    await current.unsubscribe().catch(() => undefined);
  }

  private async *run(): AsyncGenerator<StoredEvent> {
    const stopped = this.abort.signal;
    try {
      while (!stopped.aborted) {
        try {
          if (this.position === undefined) {
            this.pendingStart ??= this.source.head();
            const start = await untilAborted(this.pendingStart, stopped);
            if (start === ABORTED) return;
            this.position = start;
          }
          yield* this.follow(this.position, stopped);
          if (stopped.aborted) return;
          this.failures++; // the server ended the call without an error: subscribe again
        } catch (error) {
          if (stopped.aborted) return;
          if (!isResubscribable(error)) throw this.source.translate(error);
          this.source.onDrop(error as Error);
          this.failures++;
          this.pendingStart = undefined; // read the head again, if it was what failed
        }
        const delay = Math.min(this.source.resubscribeDelayMs * 2 ** (this.failures - 1), MAX_RESUBSCRIBE_DELAY_MS);
        await sleep(delay, stopped);
      }
    } finally {
      this.end();
      await this.release();
    }
  }

  private async *follow(after: bigint, stopped: AbortSignal): AsyncGenerator<StoredEvent> {
    const subscription = this.source.subscribe(after);
    this.current = subscription;
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await untilAborted(iterator.next(), stopped);
        if (next === ABORTED || next.done) return;
        const event = this.source.toEvent(next.value);
        // The server filters; this guards the port's promises across resubscriptions.
        if (!event || event.position <= (this.position ?? -1n)) continue;
        this.position = event.position;
        this.failures = 0;
        yield event;
        if (stopped.aborted) return;
      }
    } finally {
      if (this.current === subscription) await this.release();
    }
  }
}

/** Settles with the promise, or with `ABORTED` as soon as the signal fires. */
function untilAborted<T>(promise: T | Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) {
    void Promise.resolve(promise).catch(() => undefined);
    return Promise.resolve(ABORTED);
  }
  const settled = Promise.resolve(promise);
  return new Promise((resolve) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    settled.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      () => {
        signal.removeEventListener('abort', onAbort);
        // settles as the rejected promise did, with its reason
        resolve(settled);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
