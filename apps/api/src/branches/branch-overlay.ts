import type { EventStore } from '@squad/event-store';
import { applyEvent, emptyReadModel, type SquadReadModel } from '@squad/projections';

const CATCH_UP_PAGE = 1000;

/**
 * A branch's own read model: only the events of its stream, read straight from that stream
 * before each read of the branch (one indexed query when nothing is new). So a branch read sees
 * every write made to the branch before it, through any instance, and a branch nobody reads
 * costs nothing at start.
 */
export class BranchOverlay {
  readonly model: SquadReadModel;
  private revision = -1n;
  private catchingUp: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    readonly stream: string,
  ) {
    this.model = emptyReadModel(stream);
  }

  catchUp(): Promise<void> {
    this.catchingUp ??= this.applyNewEvents().finally(() => (this.catchingUp = undefined));
    return this.catchingUp;
  }

  private async applyNewEvents(): Promise<void> {
    for (;;) {
      const page = await this.store.readStream(this.stream, { fromRevision: this.revision + 1n, maxCount: CATCH_UP_PAGE });
      for (const event of page) {
        applyEvent(this.model, event);
        this.revision = event.revision;
      }
      if (page.length < CATCH_UP_PAGE) return;
    }
  }
}
