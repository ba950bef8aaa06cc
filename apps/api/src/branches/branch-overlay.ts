import type { EventStore } from '@squad/event-store';
import { applyEvent, emptyReadModel, type AppliedChange, type SquadReadModel } from '@squad/projections';

const CATCH_UP_PAGE = 1000;

/**
 * A branch's own read model: only the events of its stream, read straight from that stream
 * before each read of the branch (one indexed query when nothing is new). So a branch read sees
 * every write made to the branch before it, through any instance, and a branch nobody reads
 * costs nothing at start. Live updates of the branch listen to what each catch-up applies.
 */
export class BranchOverlay {
  readonly model: SquadReadModel;
  private revision = -1n;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readonly listeners = new Set<(change: AppliedChange) => void>();

  constructor(
    private readonly store: EventStore,
    readonly stream: string,
  ) {
    this.model = emptyReadModel(stream);
  }

  /**
   * Applies every event of the stream committed before the call. A call made while a catch-up
   * runs waits for one more that starts after it (the running one may have read before the
   * caller's write was committed); callers meanwhile share that one.
   */
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

  /** Tells `listener` of each event applied from now on (with what it changed); returns the unsubscribe. */
  onChange(listener: (change: AppliedChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async applyNewEvents(): Promise<void> {
    for (;;) {
      const page = await this.store.readStream(this.stream, { fromRevision: this.revision + 1n, maxCount: CATCH_UP_PAGE });
      for (const event of page) {
        const change = applyEvent(this.model, event);
        this.revision = event.revision;
        if (change) for (const listener of this.listeners) listener(change);
      }
      if (page.length < CATCH_UP_PAGE) return;
    }
  }
}
