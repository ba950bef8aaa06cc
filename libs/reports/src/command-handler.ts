import {
  type AppendResult,
  type EventStore,
  type EventToAppend,
  StreamCatchUp,
  WrongExpectedRevisionError,
} from '@squad/event-store';

/** Decisions taken at most per command: one, and a new one after each lost race. */
export const MAX_ATTEMPTS = 5;

/** What a decision appends, and how the command answers once it is stored. */
export interface StreamDecision<Answer> {
  /** Nothing to append (e.g. a retry of what is already recorded): the answer comes at once. */
  readonly events: readonly EventToAppend[];
  readonly answer: (appended: AppendResult | undefined) => Answer | Promise<Answer>;
}

/** What a decision is told: the race lost before it, if any (a refusal can say so). */
export interface DecisionAttempt {
  readonly lostRace?: WrongExpectedRevisionError;
}

/**
 * The one write loop of the service, for every stream the write side decides on (a ledger, the
 * branch registry): catch the stream's fold up, decide against it at a known revision, append
 * with that revision as the expected one, and when another writer (in this process or another
 * instance) got there first, catch up and decide again. The fold is the caller's: its
 * `StreamCatchUp` applies each stored event to the state its decisions read.
 */
export class StreamCommandHandler {
  constructor(
    private readonly store: EventStore,
    readonly fold: StreamCatchUp,
  ) {}

  get stream(): string {
    return this.fold.stream;
  }

  /**
   * `prepare` runs before each attempt's catch-up (e.g. a branch waiting for canonical history to
   * reach its fork), so nothing is awaited between the catch-up and the decision: the window in
   * which another writer can get in first is as short as it can be.
   */
  async handle<Answer>(
    decide: (attempt: DecisionAttempt) => StreamDecision<Answer> | Promise<StreamDecision<Answer>>,
    prepare?: () => Promise<void>,
  ): Promise<Answer> {
    let lostRace: WrongExpectedRevisionError | undefined;
    for (let attempt = 1; ; attempt++) {
      await prepare?.();
      await this.fold.catchUp();
      const decidedAt = this.fold.revision;
      const decision = await decide({ lostRace });
      if (decision.events.length === 0) return decision.answer(undefined);
      let appended: AppendResult;
      try {
        appended = await this.store.append(this.stream, decision.events, {
          expectedRevision: decidedAt < 0n ? 'no_stream' : decidedAt,
        });
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
        lostRace = error;
        continue;
      }
      return decision.answer(appended);
    }
  }
}
