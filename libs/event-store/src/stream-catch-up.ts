import type { EventStore, StoredEvent } from './event-store.port';

/** Events read per query while catching up. */
export const CATCH_UP_PAGE = 1000;

/**
 * Keeps an in-memory fold of one stream up to date by reading it: each `catchUp()` applies, in
 * revision order and a page at a time, every event committed before the call. The one way the
 * write side (ledgers, the branch registry) and a branch's own read model follow their streams.
 *
 * One catch-up runs at a time. A call made while one runs waits for one more that starts after
 * it (the running one may have read before the caller's write was committed); every caller
 * arriving meanwhile shares that one.
 */
export class StreamCatchUp {
  private last = -1n;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    readonly stream: string,
    private readonly apply: (event: StoredEvent) => void,
  ) {}

  /** Revision of the last event applied; -1 before the first. */
  get revision(): bigint {
    return this.last;
  }

  catchUp(): Promise<void> {
    if (this.running === undefined) {
      this.running = this.applyNewEvents().finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.catchUp();
      });
    return this.queued;
  }

  private async applyNewEvents(): Promise<void> {
    for (;;) {
      const page = await this.store.readStream(this.stream, { fromRevision: this.last + 1n, maxCount: CATCH_UP_PAGE });
      for (const event of page) {
        this.apply(event);
        this.last = event.revision;
      }
      if (page.length < CATCH_UP_PAGE) return;
    }
  }
}
