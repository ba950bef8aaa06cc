import { type EventStore, StreamCatchUp } from '@squad/event-store';
import { applyEvent, emptyReadModel, type AppliedChange, type SquadReadModel } from '@squad/projections';

/**
 * A branch's own read model: only the events of its stream, read straight from that stream
 * before each read of the branch (one indexed query when nothing is new). So a branch read sees
 * every write made to the branch before it, through any instance, and a branch nobody reads
 * costs nothing at start. Live updates of the branch listen to what each catch-up applies.
 */
export class BranchOverlay {
  readonly model: SquadReadModel;
  private readonly fold: StreamCatchUp;
  private readonly listeners = new Set<(change: AppliedChange) => void>();

  constructor(store: EventStore, stream: string) {
    this.model = emptyReadModel(stream);
    this.fold = new StreamCatchUp(store, stream, (event) => {
      const change = applyEvent(this.model, event);
      if (change) for (const listener of this.listeners) listener(change);
    });
  }

  /** Applies every event of the stream committed before the call (see `StreamCatchUp`). */
  catchUp(): Promise<void> {
    return this.fold.catchUp();
  }

  /** Tells `listener` of each event applied from now on (with what it changed); returns the unsubscribe. */
  onChange(listener: (change: AppliedChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
