import { randomUUID } from 'node:crypto';
import { Client, Pool, type ClientConfig, type CustomTypesConfig, type PoolClient } from 'pg';
import { CatchUpSubscription, ChangeSignal } from '../catch-up-subscription';
import {
  DuplicateEventIdError,
  EventStoreError,
  EventStoreUnavailableError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '../errors';
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
import { POSTGRES_MIGRATIONS } from './postgres-schema';

export interface PostgresEventStoreOptions {
  /** e.g. `postgres://user:password@host:5432/database`. */
  readonly connectionString: string;
  /** Schema holding the store's tables, created on first start. Defaults to `event_store`. */
  readonly schema?: string;
  /** Connections for appends and reads; the LISTEN connection comes on top. Defaults to 10. */
  readonly poolSize?: number;
  readonly maxEventBytes?: number;
  /** Events per query when reading all streams or catching up. */
  readonly readPageSize?: number;
  /** Safety-net polling, for notifications lost while the LISTEN connection was down. */
  readonly pollIntervalMs?: number;
  /**
   * How long opening a connection, or waiting for a free one of the pool, may take before the
   * operation fails with `EventStoreUnavailableError`. Defaults to 10 s.
   */
  readonly connectTimeoutMs?: number;
  /**
   * The server ends a session left idle inside a transaction this long, so a writer process
   * that freezes mid-append cannot hold the append lock (and so every writer) indefinitely.
   */
  readonly idleInTransactionTimeoutMs?: number;
  /** Shown in `pg_stat_activity`; the LISTEN connection gets a `:listen` suffix. */
  readonly applicationName?: string;
  /**
   * Errors the store recovers from by itself (a dropped idle or LISTEN connection, a failed
   * reconnect, a subscription's read retried), for logging. They are never thrown to callers.
   */
  readonly onBackgroundError?: (error: Error) => void;
}

/** Column order of every events query, read in array mode. */
type EventRow = [
  position: string,
  id: string,
  stream: string,
  revision: string,
  type: string,
  data: string,
  metadata: string,
  recordedAtMs: string,
];
const EVENT_COLUMNS =
  'position, id, stream, revision, type, data, metadata, floor(extract(epoch FROM recorded_at) * 1000)';

/**
 * Every column arrives as the server's text and is parsed here, so int8 keeps its 64 bits
 * whatever parsers other code registers globally with `pg.types`.
 */
const RAW_TEXT: CustomTypesConfig = {
  getTypeParser: () => (value: string) => value,
};

const INT8_MAX = 2n ** 63n - 1n;
/** Pages a long `readAll` asks for ahead of its consumer. */
const READ_AHEAD_PAGES = 4;
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

/**
 * The PostgreSQL adapter: a connection pool for appends and reads, plus one connection that
 * LISTENs for the `pg_notify` every append sends on commit, which wakes the subscriptions of
 * every process sharing the database.
 *
 * Global order without gaps: the position sequence hands out values before commit, so two
 * appends could commit in the opposite order of their positions, and a reader that saw the
 * later position first would move its checkpoint past the earlier one and never see it.
 * Every append therefore takes one transaction-scoped advisory lock (per schema) before it
 * draws positions, and holds it until its commit. PostgreSQL makes a commit visible before it
 * releases the transaction's locks, so the next append draws higher positions only after the
 * previous one is visible (or rolled back, leaving a gap nothing will fill): whatever a reader
 * sees is always every committed event up to some position. Readers need no extra care, and
 * a checkpoint is just a position. The cost is that appends are serialised across processes,
 * their throughput bounded by commit latency; each append holds the lock for a few
 * round-trips on one connection. Any writer that bypasses this adapter must take the same
 * lock (`appendLockKey`) before drawing positions.
 */
export class PostgresEventStore implements EventStore {
  private readonly changes = new ChangeSignal();
  private readonly subscriptions = new Set<CatchUpSubscription>();
  /** Head reads of `'end'` subscriptions still in flight. */
  private readonly pendingStarts = new Set<Promise<void>>();
  private readonly instanceId = randomUUID();
  private readonly maxEventBytes: number;
  private readonly readPageSize: number;
  private readonly pollIntervalMs: number;
  private readonly sql;
  private readonly onBackgroundError: ((error: Error) => void) | undefined;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly listener: NotificationListener,
    readonly schema: string,
    options: PostgresEventStoreOptions,
  ) {
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.readPageSize = options.readPageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.onBackgroundError = options.onBackgroundError;
    const events = `${quoteIdent(schema)}.events`;
    this.sql = {
      // One round-trip; the lock statement must come before any read of the transaction, as in
      // READ COMMITTED each later statement then takes its snapshot after the lock is held.
      begin: `BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(${appendLockKey(schema)})`,
      retried: `SELECT e.id, e.revision, e.position
                  FROM ${events} f JOIN ${events} e ON e.stream = f.stream AND e.revision >= f.revision
                 WHERE f.id = $1 AND f.stream = $2
                 ORDER BY e.revision LIMIT $3`,
      // One round-trip for the check and the write: the stream's last revision and the batch's
      // ids already stored, and the insert only if none is stored and the expected revision
      // matches ($2: any, no_stream, stream_exists or revision, with the revision in $3; two
      // parameters, as the planner may evaluate a cast of $2 in a CASE branch never taken).
      // Positions are drawn in batch order (ORDER BY n); the notification goes out on commit.
      append: `WITH state AS (
                  SELECT (SELECT revision FROM ${events} WHERE stream = $1 ORDER BY revision DESC LIMIT 1) AS last,
                         (SELECT string_agg(id::text, ',') FROM ${events} WHERE id = ANY($4::uuid[])) AS used),
                inserted AS (
                  INSERT INTO ${events} (id, stream, revision, type, data, metadata, recorded_at)
                  SELECT e.id, $1, coalesce(s.last + 1, 0) + e.n - 1, e.type, e.data, e.metadata, statement_timestamp()
                    FROM state s, unnest($4::uuid[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS e (id, type, data, metadata, n)
                   WHERE s.used IS NULL
                     AND CASE $2::text WHEN 'any' THEN true
                                       WHEN 'no_stream' THEN s.last IS NULL
                                       WHEN 'stream_exists' THEN s.last IS NOT NULL
                                       ELSE s.last = $3::bigint END
                   ORDER BY e.n
                  RETURNING position),
                appended AS (SELECT max(position) AS position FROM inserted)
                SELECT s.last, s.used, a.position,
                       CASE WHEN a.position IS NOT NULL THEN pg_notify($8::text, $9::text || a.position::text) END
                  FROM state s, appended a`,
      streamForwards: `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      streamBackwards: `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE stream = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3`,
      allAfter: `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE position > $1 ORDER BY position LIMIT $2`,
      allInRange: `SELECT ${EVENT_COLUMNS} FROM ${events} WHERE position > $1 AND position <= $2 ORDER BY position`,
      head: `SELECT coalesce(max(position), 0) FROM ${events}`,
    };
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'event_store';
    if (!SCHEMA_NAME.test(schema)) {
      throw new TypeError(
        `schema must be a plain identifier (letters, digits, _; at most 63), got ${JSON.stringify(schema)}`,
      );
    }
    const applicationName = options.applicationName ?? 'squad-event-store';
    const connection: ClientConfig = {
      connectionString: options.connectionString,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      keepAlive: true,
      types: RAW_TEXT,
    };
    const reportError = (error: Error) => options.onBackgroundError?.(error);
    const pool = new Pool({
      ...connection,
      application_name: applicationName,
      idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 10_000,
      max: options.poolSize ?? 10,
    });
    // An idle pooled connection that drops is discarded by the pool; without a listener the
    // 'error' event would crash the process.
    pool.on('error', reportError);
    let store: PostgresEventStore | undefined;
    const listener = new NotificationListener(
      { ...connection, application_name: `${applicationName}:listen` },
      notificationChannel(schema),
      (payload) => store?.onNotification(payload),
      // Appends committed while the connection was down sent their notification to nobody.
      () => store?.changes.notify(),
      reportError,
    );
    try {
      await migrate(pool, schema);
      store = new PostgresEventStore(pool, listener, schema, options);
      await listener.start();
      return store;
    } catch (error) {
      await listener.close();
      await pool.end().catch(() => undefined);
      throw translateError(error);
    }
  }

  async append(stream: string, events: readonly EventToAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    const request = prepareAppend(stream, events, options.expectedRevision, this.maxEventBytes);
    assertStorableText(stream, request.events);
    this.assertOpen();
    if (this.pendingStarts.size > 0) await Promise.all(this.pendingStarts);
    const result = await this.inAppendTransaction((client) =>
      this.appendInTransaction(client, stream, request.events, request.expectedRevision),
    );
    this.changes.notify();
    return result;
  }

  private async appendInTransaction(
    client: PoolClient,
    stream: string,
    events: PreparedEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const ids = events.map((event) => event.id);
    const [[lastRevision, usedIdList, position]] = await query<[string | null, string | null, string | null]>(
      client,
      this.sql.append,
      [
        stream,
        typeof expected === 'bigint' ? 'revision' : expected,
        typeof expected === 'bigint' && expected <= INT8_MAX ? expected.toString() : null, // past int8: matches nothing
        ids,
        events.map((event) => event.type),
        events.map((event) => event.dataJson),
        events.map((event) => event.metadataJson),
        this.listener.channel,
        `${this.instanceId} `,
      ],
    );
    const last = lastRevision === null ? undefined : BigInt(lastRevision);
    const firstRevision = last === undefined ? 0n : last + 1n;
    if (position !== null) {
      return { nextExpectedRevision: firstRevision + BigInt(events.length - 1), position: BigInt(position) };
    }

    // Nothing was written: say why, in the order the port promises (a retry first).
    const used = new Set(usedIdList?.split(','));
    if (used.has(events[0].id)) return this.originalResultOfRetry(client, stream, events);
    const actual = last ?? ('no_stream' as const);
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && actual === 'no_stream') ||
      (expected === 'stream_exists' && actual !== 'no_stream') ||
      (typeof expected === 'bigint' && actual === expected);
    if (!matches) throw new WrongExpectedRevisionError(stream, expected, actual);
    // Checked here rather than by catching the unique violation, so the error names the first
    // colliding id of the batch; the append lock keeps the answer true until commit.
    const collision = events.find((event) => used.has(event.id));
    if (collision) throw new DuplicateEventIdError(collision.id, stream);
    throw new Error(`the append to ${JSON.stringify(stream)} wrote nothing, for no reason the store knows`);
  }

  /**
   * A batch whose first id is already stored is a retry when the whole batch sits, in order, at
   * consecutive revisions of this stream: then the original result is returned and nothing is
   * written. Any other reuse of an id is refused.
   */
  private async originalResultOfRetry(
    client: PoolClient,
    stream: string,
    events: PreparedEvent[],
  ): Promise<AppendResult> {
    const stored = await query<[id: string, revision: string, position: string]>(client, this.sql.retried, [
      events[0].id,
      stream,
      events.length,
    ]);
    const mismatch = events.findIndex((event, i) => stored[i]?.[0] !== event.id);
    if (mismatch !== -1) throw new DuplicateEventIdError(events[mismatch].id, stream);
    const [, revision, position] = stored[stored.length - 1];
    return { nextExpectedRevision: BigInt(revision), position: BigInt(position) };
  }

  private async inAppendTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    try {
      return await inTransaction(this.pool, this.sql.begin, work);
    } catch (error) {
      throw translateError(error);
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const direction = parseDirection(options.direction);
    const maxCount = parseMaxCount(options.maxCount) ?? null; // LIMIT NULL means no limit
    const from = parseBound(
      'fromRevision',
      options.fromRevision,
      ['start', 'end'] as const,
      direction === 'forwards' ? 'start' : 'end',
    );
    this.assertOpen();
    if (stream.includes('\0')) return []; // no such stream can be stored
    if (direction === 'forwards') {
      if (from === 'end' || (typeof from === 'bigint' && from > INT8_MAX)) return [];
      return this.readEvents(this.sql.streamForwards, [stream, from === 'start' ? '0' : from.toString(), maxCount]);
    }
    if (from === 'start') return [];
    return this.readEvents(this.sql.streamBackwards, [stream, int8(from === 'end' ? INT8_MAX : from), maxCount]);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent> {
    const from = parseBound('fromPosition', options.fromPosition, ['start'] as const, 'start');
    let remaining = parseMaxCount(options.maxCount) ?? Infinity;
    if (remaining <= 0) return;
    this.assertOpen();
    // fromPosition is inclusive; pages are read "after" a position.
    let after = from === 'start' ? 0n : from - 1n;
    if (remaining <= this.readPageSize) {
      yield* await this.readAfter(after, remaining);
      return;
    }
    // A long read (a projection rebuild). Every committed position up to the head is visible
    // (see the class comment), so the log up to a head read now splits into ranges of positions
    // that can be asked for before the ones in front of them have arrived: READ_AHEAD_PAGES are
    // in flight, read and sent by the database while the consumer works on the current one.
    let head = await this.headPosition();
    const span = BigInt(this.readPageSize);
    const inFlight: Promise<StoredEvent[]>[] = [];
    const askAhead = () => {
      while (inFlight.length < READ_AHEAD_PAGES && after < head) {
        const upTo = head - after > span ? after + span : head;
        const page = this.readRange(after, upTo);
        page.catch(() => undefined); // a consumer that stops early leaves pages to settle unobserved
        inFlight.push(page);
        after = upTo;
      }
    };
    askAhead();
    while (inFlight.length > 0) {
      const page = await inFlight.shift()!;
      this.assertOpen();
      askAhead();
      for (const event of page) {
        yield event;
        if (--remaining === 0) return;
      }
      if (inFlight.length === 0) {
        // read up to the head seen before: go on with what was appended since
        head = await this.headPosition();
        askAhead();
      }
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const from = parseBound('fromPosition', options.fromPosition, ['start', 'end'] as const, 'start');
    this.assertOpen();
    let start: bigint | Promise<bigint>;
    if (from === 'end') {
      // Read now and awaited on iteration. Appends of this process wait for it (see append), so
      // an append made after this call returns is after the start, and delivered.
      const head = this.headPosition();
      const settled = head.then(
        () => undefined,
        () => undefined, // a subscription never iterated must not leave a rejection unhandled
      );
      this.pendingStarts.add(settled);
      void settled.then(() => this.pendingStarts.delete(settled));
      start = head;
    } else {
      start = from === 'start' ? 0n : from;
    }
    const subscription = new CatchUpSubscription(
      {
        changes: this.changes,
        readAfter: async (after, limit) => {
          this.assertOpen();
          return this.readAfter(after, limit);
        },
        // the connection was lost, not the store closed: the pool reconnects on the next read
        isTransient: (error) => error instanceof EventStoreUnavailableError && !this.closed,
      },
      start,
      {
        pageSize: this.readPageSize,
        pollIntervalMs: this.pollIntervalMs,
        onEnd: () => this.subscriptions.delete(subscription),
        onRetry: (error, after, delayMs) => {
          const reason = error instanceof Error ? error.message : String(error);
          const retrying = new EventStoreUnavailableError(
            `a subscription could not read after position ${after} (${reason}); retrying in ${delayMs} ms`,
          );
          retrying.cause = error;
          this.onBackgroundError?.(retrying);
        },
      },
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    const [[head]] = await this.query<[string]>(this.sql.head, []);
    return BigInt(head);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
    await this.listener.close();
    await this.pool.end(); // waits for queries in flight to give their connection back
  }

  private onNotification(payload: string | undefined): void {
    // This process's own appends have already bumped the signal.
    if (!payload?.startsWith(`${this.instanceId} `)) this.changes.notify();
  }

  /** The events at positions in (after, upTo]. */
  private async readRange(after: bigint, upTo: bigint): Promise<StoredEvent[]> {
    return this.readEvents(this.sql.allInRange, [after.toString(), upTo.toString()]);
  }

  private async readAfter(after: bigint, limit: number): Promise<StoredEvent[]> {
    if (after >= INT8_MAX) return [];
    return this.readEvents(this.sql.allAfter, [after.toString(), limit]);
  }

  private async readEvents(text: string, values: unknown[]): Promise<StoredEvent[]> {
    return (await this.query<EventRow>(text, values)).map(toStoredEvent);
  }

  private async query<Row extends unknown[]>(text: string, values: unknown[]): Promise<Row[]> {
    try {
      return await query<Row>(this.pool, text, values);
    } catch (error) {
      throw translateError(error);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('the PostgreSQL store is closed');
  }
}

/**
 * The key of the transaction-scoped advisory lock every append of the store in `schema` holds
 * from before it draws positions until it commits. Derived from the schema name, so stores in
 * different schemas of one database do not wait for each other.
 */
export function appendLockKey(schema: string): bigint {
  return hashKey(`squad-event-store/append/${schema}`);
}

function migrationLockKey(schema: string): bigint {
  return hashKey(`squad-event-store/migrate/${schema}`);
}

/** FNV-1a, 64 bits, as the signed bigint `pg_advisory_xact_lock` takes. */
function hashKey(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  }
  return BigInt.asIntN(64, hash);
}

/** Channel names are identifiers: at most 63 bytes, so long schema names are hashed. */
function notificationChannel(schema: string): string {
  const readable = `${schema}_events`;
  return readable.length <= 63 ? readable : `events_${BigInt.asUintN(64, hashKey(schema)).toString(16)}`;
}

/**
 * Applies the missing migrations in one transaction. Processes starting together queue on the
 * advisory lock, so exactly one of them creates the schema and the others find it done.
 */
async function migrate(pool: Pool, schema: string): Promise<void> {
  await inTransaction(pool, `BEGIN; SELECT pg_advisory_xact_lock(${migrationLockKey(schema)})`, async (client) => {
    // Checked first, as CREATE ... IF NOT EXISTS needs the CREATE privilege even when nothing is created.
    const [[schemaExists, tableExists]] = await query<[string, string]>(
      client,
      `SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1),
              EXISTS (SELECT FROM pg_tables WHERE schemaname = $1 AND tablename = 'schema_migrations')`,
      [schema],
    );
    if (schemaExists !== 't') await client.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
    await client.query(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
    if (tableExists !== 't') {
      await client.query(`CREATE TABLE schema_migrations (
        version    integer     PRIMARY KEY,
        name       text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    }
    const [[applied]] = await query<[string]>(client, 'SELECT coalesce(max(version), 0) FROM schema_migrations', []);
    const latest = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1].version;
    if (Number(applied) > latest) {
      throw new EventStoreUnavailableError(
        `the database schema "${schema}" (version ${applied}) is newer than this build knows (${latest})`,
      );
    }
    for (const migration of POSTGRES_MIGRATIONS) {
      if (migration.version <= Number(applied)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
  });
}

/**
 * Runs `work` in a transaction on a connection checked out of the pool. A checked-out
 * connection has no 'error' listener of the pool's, so a backend terminated under it (a
 * failover, a restart, an idle-connection reaper) would emit an unhandled 'error' and end the
 * process: the error is caught here (the query in flight fails with it on its own) and the
 * connection is discarded, never handed out again.
 */
async function inTransaction<T>(pool: Pool, begin: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onConnectionError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onConnectionError);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // a lost connection leaves no transaction to roll back: the server ended it, committed or not
    if (!broken) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError; // the connection is unusable: the pool must not hand it out again
      });
    }
    throw error;
  } finally {
    client.off('error', onConnectionError);
    client.release(broken);
  }
}

/**
 * The dedicated LISTEN connection. When it drops it reconnects with backoff, and on success
 * reports the reconnection so subscriptions read what they may have missed; the subscriptions'
 * polling covers the time in between.
 */
class NotificationListener {
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = RECONNECT_MIN_MS;
  private closed = false;

  constructor(
    private readonly config: ClientConfig,
    readonly channel: string,
    private readonly onNotification: (payload: string | undefined) => void,
    private readonly onReconnected: () => void,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Connects once; a failure here is the caller's (the store does not open). */
  start(): Promise<void> {
    this.connecting = this.connect();
    return this.connecting;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client(this.config);
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.onNotification(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdent(this.channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryDelayMs = RECONNECT_MIN_MS;
  }

  private lost(client: Client, error?: Error): void {
    if (client !== this.client || this.closed) return;
    this.client = undefined;
    if (error) this.onError(error);
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.retryTimer = setTimeout(() => {
      this.connecting = this.connect().then(
        () => {
          if (!this.closed) this.onReconnected();
        },
        (error: Error) => {
          if (this.closed) return;
          this.onError(error);
          this.retryDelayMs = Math.min(this.retryDelayMs * 2, RECONNECT_MAX_MS);
          this.scheduleReconnect();
        },
      );
    }, this.retryDelayMs);
    this.retryTimer.unref();
  }
}

/** PostgreSQL text cannot hold U+0000; refused here so the driver's error never leaks out. */
function assertStorableText(stream: string, events: readonly PreparedEvent[]): void {
  if (stream.includes('\0')) {
    throw new InvalidAppendError('INVALID_STREAM_NAME', 'stream', 'a stream name cannot contain the NUL character');
  }
  const index = events.findIndex((event) => event.type.includes('\0'));
  if (index !== -1) {
    throw new InvalidAppendError(
      'INVALID_EVENT_TYPE',
      `events[${index}].type`,
      'an event type cannot contain the NUL character',
    );
  }
}

async function query<Row extends unknown[]>(
  client: Pick<Pool, 'query'>,
  text: string,
  values: unknown[],
): Promise<Row[]> {
  const result = await client.query<Row>({ text, values, rowMode: 'array' });
  return result.rows;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: parseInt8(row[0]),
    id: row[1],
    stream: row[2],
    revision: parseInt8(row[3]),
    type: row[4],
    data: JSON.parse(row[5]),
    metadata: JSON.parse(row[6]) as JsonObject,
    recordedAt: new Date(Number(row[7])),
  };
}

/**
 * An int8 column's text. Up to 15 digits it is an exact double, and BigInt of a number is about
 * twice as fast as BigInt of a string: two of these per event are a measurable part of a rebuild.
 */
function parseInt8(text: string): bigint {
  return text.length < 16 ? BigInt(Number(text)) : BigInt(text);
}

/** Bounds beyond int8 would make the server fail the query; nothing can be stored past it. */
function int8(value: bigint): string {
  return (value > INT8_MAX ? INT8_MAX : value).toString();
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server lost or not taking writes for now: connection exceptions (08), operator
 * intervention (57P: terminated backend, shutdown, restart, dropped database), insufficient
 * resources (53: too many clients), a session ended for idling in its transaction (25P03), and
 * a read-only server (25006: after a failover, a connection that reached the old primary).
 */
const UNAVAILABLE_STATES = /^(08|57P|53|25P03$|25006$)/;

/**
 * Losing the server (refused, dropped, terminated or shut-down connections, too many clients)
 * becomes `EventStoreUnavailableError`; an append that fails this way may or may not have committed,
 * and retrying it with the same event ids is safe. Other errors pass through unchanged.
 */
function translateError(error: unknown): unknown {
  // Duck-typed: errors of Node's own modules may come from another realm than this `Error`.
  if (error instanceof EventStoreError || typeof error !== 'object' || error === null) return error;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  const lost =
    (typeof code === 'string' && (CONNECTION_ERRORS.has(code) || UNAVAILABLE_STATES.test(code))) ||
    /Connection terminated|not queryable|timeout exceeded when trying to connect|Client was closed/i.test(text);
  if (!lost) return error;
  const unavailable = new EventStoreUnavailableError(text || String(code));
  unavailable.cause = error;
  return unavailable;
}
