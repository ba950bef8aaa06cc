/**
 * The event-store port: the only way the rest of the service touches stored events.
 *
 * Its semantics are EventStoreDB's, so that the production adapter is a thin translation and the
 * embedded (SQLite) and PostgreSQL adapters behave the same way under the one contract suite:
 * - every stream has its own revision counter, starting at 0 for its first event;
 * - every event also gets a global `position`, strictly increasing across all streams;
 * - appends are guarded by an expected revision (optimistic concurrency);
 * - a batch appended in one call is atomic;
 * - appending the same event ids to the same stream again is a retry, not a second write.
 *
 * Revisions and positions are `bigint`, as in `@eventstore/db-client`, so that no adapter has to
 * squeeze a 64-bit counter into a double.
 */

/** What the caller believes about the stream's current revision when appending. */
export type ExpectedRevision =
  /** Append whatever the stream's state. */
  | 'any'
  /** The stream must not exist yet. */
  | 'no_stream'
  /** The stream must have at least one event. */
  | 'stream_exists'
  /** The stream's last event must have exactly this revision. */
  | bigint;

/** A JSON object: what `metadata` may hold. */
export type JsonObject = { readonly [key: string]: JsonValue };
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

/** An event as a writer hands it to the store. */
export interface EventToAppend<Type extends string = string, Data = unknown> {
  /** A UUID chosen by the writer; the idempotency key of this event. */
  readonly id: string;
  readonly type: Type;
  /** Any JSON value. */
  readonly data: Data;
  /** A JSON object; defaults to `{}`. */
  readonly metadata?: JsonObject;
}

/** An event as the store hands it back. */
export interface StoredEvent<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: JsonObject;
  readonly stream: string;
  /** Position of the event inside its stream: 0, 1, 2, … */
  readonly revision: bigint;
  /** Position of the event in the whole store: strictly increasing, never reused. */
  readonly position: bigint;
  /** When the store committed the event (set by the store, never by the writer). */
  readonly recordedAt: Date;
}

export interface AppendOptions {
  /** Defaults to `'any'`. */
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event written: the expected revision for the next append. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event written. */
  readonly position: bigint;
}

export type ReadDirection = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive. Defaults to `'start'` reading forwards and `'end'` reading backwards. */
  readonly fromRevision?: bigint | 'start' | 'end';
  readonly maxCount?: number;
  readonly direction?: ReadDirection;
}

export interface ReadAllOptions {
  /** Inclusive, as in EventStoreDB. Defaults to `'start'`. */
  readonly fromPosition?: bigint | 'start';
  readonly maxCount?: number;
}

export interface SubscribeToAllOptions {
  /**
   * Exclusive: the position of the last event the subscriber has already processed (its
   * checkpoint). `'start'` delivers everything; `'end'` only events appended from now on.
   */
  readonly fromPosition?: bigint | 'start' | 'end';
}

/**
 * A catch-up subscription to all streams. Iterate it with `for await`: it first delivers the
 * stored events after `fromPosition`, then new ones as they are committed, in position order,
 * with no gap and no duplicate. It reads ahead only as fast as the consumer pulls, so a slow
 * consumer holds the subscription back instead of filling memory.
 */
export interface AllSubscription extends AsyncIterable<StoredEvent> {
  /** Ends the iteration; resolves once the subscription holds no resources. */
  stop(): Promise<void>;
  /** Position of the last event handed to the consumer (the `fromPosition` until then). */
  readonly lastPosition: bigint;
}

export interface EventStore {
  /**
   * Appends `events` to `stream` atomically. Throws `WrongExpectedRevisionError` when the
   * stream's revision does not match, `InvalidAppendError` for bad input (nothing is written),
   * `DuplicateEventIdError` when an id is already used by another event.
   */
  append(stream: string, events: readonly EventToAppend[], options?: AppendOptions): Promise<AppendResult>;

  /** Events of one stream; an empty array when the stream does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;

  /** Events of all streams in position order, read lazily page by page. */
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;

  /** Position of the last committed event, `0n` for an empty store. */
  headPosition(): Promise<bigint>;

  /** Releases connections and files; pending subscriptions end. */
  close(): Promise<void>;
}
