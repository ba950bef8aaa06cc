import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CatchUpSubscription, ChangeSignal } from '../catch-up-subscription';
import {
  DuplicateEventIdError,
  EventStoreError,
  EventStoreUnavailableError,
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
import { SQLITE_MIGRATIONS } from './sqlite-schema';

export interface SqliteEventStoreOptions {
  /** A file path (created with its folder if missing) or `':memory:'`. */
  readonly path: string;
  /**
   * `FULL` (default) fsyncs the write-ahead log on every commit, so an acknowledged append
   * survives a power cut as well as a killed process. `NORMAL` survives a killed process only.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  readonly maxEventBytes?: number;
  /** Events per query when reading all streams or catching up. */
  readonly readPageSize?: number;
  /** Safety-net polling for appends made by other processes on the same file. */
  readonly pollIntervalMs?: number;
  /** How long a writer waits for another process's write lock. */
  readonly busyTimeoutMs?: number;
}

/** Column order of every events query, read in `.raw()` mode (arrays beat objects per row). */
type EventRow = [
  position: number,
  id: string,
  stream: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
  recordedAt: number,
];
const EVENT_COLUMNS = 'position, id, stream, revision, type, data, metadata, recorded_at';

/**
 * The embedded adapter: one SQLite file in WAL mode, one connection. better-sqlite3 is
 * synchronous, so an append runs to completion inside one `BEGIN IMMEDIATE` transaction without
 * yielding to the event loop: appends from this process are serialised by construction, and
 * those of other processes by SQLite's write lock.
 */
export class SqliteEventStore implements EventStore {
  private readonly changes = new ChangeSignal();
  private readonly statements;
  private readonly appendTransaction;
  private readonly maxEventBytes: number;
  private readonly readPageSize: number;
  private readonly pollIntervalMs: number;
  private readonly subscriptions = new Set<CatchUpSubscription>();

  private constructor(
    private readonly db: Database.Database,
    options: SqliteEventStoreOptions,
  ) {
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.readPageSize = options.readPageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.statements = {
      findById: db.prepare<[string], { stream: string; revision: number; position: number }>(
        'SELECT stream, revision, position FROM events WHERE id = ?',
      ),
      idsFromRevision: db.prepare<[string, number, number], { id: string; revision: number; position: number }>(
        'SELECT id, revision, position FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      lastRevision: db
        .prepare<[string], number>('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1')
        .pluck(),
      insert: db.prepare(
        'INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      streamForwards: db
        .prepare<[string, bigint, number], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
        )
        .raw(),
      streamBackwards: db
        .prepare<[string, bigint, number], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
        )
        .raw(),
      allAfter: db
        .prepare<[bigint, number], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
        )
        .raw(),
      head: db.prepare<[], number | null>('SELECT max(position) FROM events').pluck(),
    };
    this.appendTransaction = db.transaction(
      (stream: string, events: PreparedEvent[], expected: ExpectedRevision): AppendResult =>
        this.appendInTransaction(stream, events, expected),
    );
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    const inMemory = options.path === ':memory:';
    if (!inMemory) mkdirSync(dirname(options.path), { recursive: true });
    const db = new Database(options.path);
    try {
      if (!inMemory) db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      migrate(db);
      return new SqliteEventStore(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  append(stream: string, events: readonly EventToAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    return settle(() => {
      const request = prepareAppend(stream, events, options.expectedRevision, this.maxEventBytes);
      this.assertOpen();
      // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read.
      const result = this.appendTransaction.immediate(stream, request.events, request.expectedRevision);
      this.changes.notify();
      return result;
    });
  }

  private appendInTransaction(stream: string, events: PreparedEvent[], expected: ExpectedRevision): AppendResult {
    const retried = this.originalResultOfRetry(stream, events);
    if (retried) return retried;

    const last = this.statements.lastRevision.get(stream);
    const actual = last === undefined ? ('no_stream' as const) : BigInt(last);
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && actual === 'no_stream') ||
      (expected === 'stream_exists' && actual !== 'no_stream') ||
      (typeof expected === 'bigint' && actual === expected);
    if (!matches) throw new WrongExpectedRevisionError(stream, expected, actual);

    const firstRevision = last === undefined ? 0 : last + 1;
    const recordedAt = Date.now();
    let position = 0;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      try {
        const info = this.statements.insert.run(
          event.id,
          stream,
          firstRevision + i,
          event.type,
          event.dataJson,
          event.metadataJson,
          recordedAt,
        );
        position = Number(info.lastInsertRowid);
      } catch (error) {
        // The only unique key left to violate is the event id (the stream's revisions were
        // checked under the write lock); the transaction is rolled back as the error leaves it.
        if (isUniqueViolation(error)) throw new DuplicateEventIdError(event.id, stream);
        throw error;
      }
    }
    return { nextExpectedRevision: BigInt(firstRevision + events.length - 1), position: BigInt(position) };
  }

  /**
   * A batch whose first id is already stored is a retry when the whole batch sits, in order, at
   * consecutive revisions of this stream: then the original result is returned and nothing is
   * written. Any other reuse of an id is refused.
   */
  private originalResultOfRetry(stream: string, events: PreparedEvent[]): AppendResult | undefined {
    const first = this.statements.findById.get(events[0].id);
    if (!first) return undefined;
    const stored =
      first.stream === stream ? this.statements.idsFromRevision.all(stream, first.revision, events.length) : [];
    const mismatch = events.findIndex((event, i) => stored[i]?.id !== event.id);
    if (mismatch !== -1) throw new DuplicateEventIdError(events[mismatch].id, stream);
    const lastStored = stored[stored.length - 1];
    return { nextExpectedRevision: BigInt(lastStored.revision), position: BigInt(lastStored.position) };
  }

  readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    return settle(() => {
      const direction = parseDirection(options.direction);
      const maxCount = parseMaxCount(options.maxCount) ?? -1; // SQLite: a negative LIMIT means none
      const from = parseBound(
        'fromRevision',
        options.fromRevision,
        ['start', 'end'] as const,
        direction === 'forwards' ? 'start' : 'end',
      );
      this.assertOpen();
      let rows: EventRow[];
      if (direction === 'forwards') {
        if (from === 'end') return [];
        rows = this.statements.streamForwards.all(stream, from === 'start' ? 0n : from, maxCount);
      } else {
        if (from === 'start') return [];
        rows = this.statements.streamBackwards.all(
          stream,
          from === 'end' ? BigInt(Number.MAX_SAFE_INTEGER) : from,
          maxCount,
        );
      }
      return rows.map(toStoredEvent);
    });
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent> {
    const from = parseBound('fromPosition', options.fromPosition, ['start'] as const, 'start');
    let remaining = parseMaxCount(options.maxCount) ?? Infinity;
    // fromPosition is inclusive; pages are read "after" the last position seen.
    let after = from === 'start' ? 0n : from - 1n;
    while (remaining > 0) {
      const rows = await settle(() => this.rowsAfter(after, Math.min(this.readPageSize, remaining)));
      for (const row of rows) yield toStoredEvent(row);
      if (rows.length < this.readPageSize) return;
      remaining -= rows.length;
      after = BigInt(rows[rows.length - 1][0]);
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const from = parseBound('fromPosition', options.fromPosition, ['start', 'end'] as const, 'start');
    this.assertOpen();
    const start = from === 'start' ? 0n : from === 'end' ? this.currentHead() : from;
    const subscription = new CatchUpSubscription(
      {
        changes: this.changes,
        readAfter: (after, limit) => settle(() => this.rowsAfter(after, limit).map(toStoredEvent)),
      },
      start,
      {
        pageSize: this.readPageSize,
        pollIntervalMs: this.pollIntervalMs,
        onEnd: () => this.subscriptions.delete(subscription),
      },
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  headPosition(): Promise<bigint> {
    return settle(() => {
      this.assertOpen();
      return this.currentHead();
    });
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
    this.db.close();
  }

  /** A page of rows after a position; a closed store throws. */
  private rowsAfter(after: bigint, limit: number): EventRow[] {
    this.assertOpen();
    return this.statements.allAfter.all(after, limit);
  }

  private currentHead(): bigint {
    return BigInt(this.statements.head.get() ?? 0);
  }

  private assertOpen(): void {
    if (!this.db.open) throw new EventStoreUnavailableError('the SQLite store is closed');
  }
}

/**
 * Runs `work` at once (better-sqlite3 is synchronous) and settles with its result: a throw becomes
 * a rejection, as from an async method, so callers of the port see the same promise either way.
 */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: BigInt(row[0]),
    id: row[1],
    stream: row[2],
    revision: BigInt(row[3]),
    type: row[4],
    data: JSON.parse(row[5]),
    metadata: JSON.parse(row[6]) as JsonObject,
    recordedAt: new Date(row[7]),
  };
}

function migrate(db: Database.Database): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  if (applied > SQLITE_MIGRATIONS.length) {
    throw new EventStoreUnavailableError(
      `the database schema (version ${applied}) is newer than this build knows (${SQLITE_MIGRATIONS.length})`,
    );
  }
  db.transaction(() => {
    for (let version = applied; version < SQLITE_MIGRATIONS.length; version++) {
      db.exec(SQLITE_MIGRATIONS[version]);
    }
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length}`);
  }).immediate();
}

function isUniqueViolation(error: unknown): boolean {
  return (
    !(error instanceof EventStoreError) &&
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
