/** How long replays may work before they hand the event loop back (all replays of the process together). */
export const REPLAY_SLICE_MS = 3;

/** What replay work asks between two units of work: undefined to carry on, or a promise to wait for. */
export interface Turns {
  pause(): Promise<void> | undefined;
}

/**
 * Turns on the event loop for the replays of a process. A replay is CPU work on demand (every
 * calendar day computed at a finite speed, every day with news at full speed, the documents of up
 * to 50 clubs each day), and it must never hold the loop that answers every other request. So
 * its work is cut into slices bounded by time: between two units of work (a club's documents, a
 * run of reports read, a stretch of days indexed for news) a replay asks `pause()`; while the
 * current slice has time left it carries on at once, otherwise it waits for its turn.
 *
 * The slice is shared by every replay: one turn of the event loop (one `setImmediate`) gives one
 * slice, so the loop is held for about `sliceMs` at a time however many replays run, and
 * I/O (HTTP requests, other streams, timers) runs between slices. Replays waiting take their
 * turns in order of arrival, so none starves however many others there are.
 */
export class ReplayTurns implements Turns {
  private sliceStarted = performance.now();
  private readonly waiting: (() => void)[] = [];
  private turnScheduled = false;

  constructor(readonly sliceMs = REPLAY_SLICE_MS) {}

  /**
   * Undefined while the current slice has time left (carry on: no promise, no microtask); else a
   * promise resolved at this caller's turn, in a later turn of the event loop.
   */
  pause(): Promise<void> | undefined {
    if (performance.now() - this.sliceStarted < this.sliceMs) return undefined;
    return this.nextTurn();
  }

  /** Resolves at the caller's turn, once the event loop has run everything else that was due. */
  nextTurn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    // an immediate queued while immediates run waits for the next turn of the loop, after its I/O
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.turnScheduled = false;
    this.sliceStarted = performance.now();
    this.waiting.shift()?.();
    if (this.waiting.length > 0) this.schedule();
  }
}

/** The turns every replay of this process shares. */
export const replayTurns = new ReplayTurns();
