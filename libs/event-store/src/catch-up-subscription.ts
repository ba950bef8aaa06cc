import type { AllSubscription, StoredEvent } from './event-store.port';

/**
 * A counter bumped whenever the store may hold new events. Waiters remember the version they
 * saw before reading, so an append that lands between "read found nothing new" and "start
 * waiting" is never missed (no lost wake-up).
 */
export class ChangeSignal {
  private currentVersion = 0;
  private waiters = new Set<() => void>();

  get version(): number {
    return this.currentVersion;
  }

  notify(): void {
    this.currentVersion++;
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /**
   * Resolves when the version moves past `seenVersion`, when `timeoutMs` elapses (the polling
   * safety net for writers in other processes), or when `abort` fires.
   */
  waitForChange(seenVersion: number, timeoutMs: number, abort: AbortSignal): Promise<void> {
    if (this.currentVersion !== seenVersion || abort.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        abort.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      abort.addEventListener('abort', done);
      this.waiters.add(done);
    });
  }
}

export interface CatchUpSource {
  /** Up to `limit` committed events with a position greater than `after`, in position order. */
  readAfter(after: bigint, limit: number): Promise<readonly StoredEvent[]>;
  readonly changes: ChangeSignal;
  /**
   * Whether a failed read is an outage the store recovers from by itself (its server is
   * unreachable for now), rather than the end (the store closed). A subscription then reads
   * again from its last delivered position, with backoff, and its consumer never sees the
   * outage. Without it, every failed read ends the subscription with the error.
   */
  isTransient?(error: unknown): boolean;
}

export interface CatchUpOptions {
  /** How many events to read per query while catching up. */
  readonly pageSize: number;
  /** How long to wait for a change notification before looking anyway. */
  readonly pollIntervalMs: number;
  /** Called once when the subscription ends, by `stop()` or by the consumer leaving the loop. */
  readonly onEnd?: () => void;
  /** Told of each transient read failure (see `CatchUpSource.isTransient`) before it is retried. */
  readonly onRetry?: (error: unknown, after: bigint, delayMs: number) => void;
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5000;

/**
 * The one catch-up subscription used by the adapters: read pages after the checkpoint until a
 * page comes back short, then wait for a change signal (or the poll timeout) and read again.
 * It pulls a page only when the consumer asked for the next event, which bounds memory.
 */
export class CatchUpSubscription implements AllSubscription {
  private readonly abort = new AbortController();
  private iterated = false;
  private position: bigint | undefined;

  constructor(
    private readonly source: CatchUpSource,
    private readonly start: bigint | Promise<bigint>,
    private readonly options: CatchUpOptions,
  ) {
    if (typeof start === 'bigint') this.position = start;
  }

  get lastPosition(): bigint {
    return this.position ?? 0n;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.end();
      resolve();
    });
  }

  private end(): void {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.options.onEnd?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    if (this.iterated) throw new Error('A subscription can be iterated only once');
    this.iterated = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<StoredEvent> {
    const stopped = this.abort.signal;
    try {
      let after = this.position ?? (await this.start);
      this.position = after;
      let failures = 0;
      while (!stopped.aborted) {
        const seenVersion = this.source.changes.version;
        let page: readonly StoredEvent[];
        try {
          page = await this.source.readAfter(after, this.options.pageSize);
        } catch (error) {
          if (stopped.aborted) return;
          if (!this.source.isTransient?.(error)) throw error;
          const delayMs = Math.min(RETRY_MIN_MS * 2 ** failures++, RETRY_MAX_MS);
          this.options.onRetry?.(error, after, delayMs);
          // a change (the store reconnected, or an append of this process committed) ends the wait early
          await this.source.changes.waitForChange(seenVersion, delayMs, stopped);
          continue;
        }
        failures = 0;
        for (const event of page) {
          if (stopped.aborted) return;
          after = event.position;
          this.position = after;
          yield event;
        }
        if (page.length < this.options.pageSize) {
          await this.source.changes.waitForChange(seenVersion, this.options.pollIntervalMs, stopped);
        }
      }
    } finally {
      this.end();
    }
  }
}
