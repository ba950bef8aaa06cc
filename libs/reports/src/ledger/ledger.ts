import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CANONICAL_LEDGER_STREAM,
  CLAIM_TYPES,
  canonicalReportContent,
  decideRecordReport,
  type DecisionContext,
  DomainError,
  LedgerState,
  type Report,
  type SquadEvent,
} from '@squad/domain';
import {
  type AppendResult,
  DuplicateEventIdError,
  type EventStore,
  EventStoreUnavailableError,
  type EventToAppend,
  InvalidAppendError,
  type JsonObject,
  type StoredEvent,
  StreamCatchUp,
  WrongExpectedRevisionError,
} from '@squad/event-store';
import { StreamCommandHandler, type StreamDecision } from '../command-handler';
import { eventId } from '../event-ids';

/**
 * What a branch's ledger starts from: the aggregate states canonical history left at the fork
 * (the ledger's own events are folded on top of them), and the reports already there.
 */
export interface LedgerBase extends DecisionContext {
  /** Resolves once the answers are complete (e.g. the read model they come from reached the fork). */
  ready(): Promise<void>;
  /** The stored events of a report the base holds, to answer a retry of it. */
  eventsOf(reportId: string): Promise<StoredEvent[]>;
}

export interface LedgerOptions {
  /**
   * How long a report may wait while its decision goes on losing races to writers of other
   * processes (each lost race: catch up, decide again, append again), counted from its
   * `record`/`recordBatch` call: once its decision has lost a race past this, it is refused with
   * `LedgerContentionError` (503 `EVENT_STORE_UNAVAILABLE`, nothing written; sending it again is
   * safe). Defaults to 30 s. There is no cap on the number of attempts.
   */
  readonly contentionDeadlineMs?: number;
  /** Most reports decided together into one append (a batch larger than this goes alone). Defaults to 500. */
  readonly maxReportsPerAppend?: number;
}

export const DEFAULT_CONTENTION_DEADLINE_MS = 30_000;
export const DEFAULT_MAX_REPORTS_PER_APPEND = 500;
/** Backoff between rounds of lost races: full jitter, doubling from this... */
const BACKOFF_BASE_MS = 5;
/** ...up to this. */
const BACKOFF_MAX_MS = 250;

export type RecordReportResult =
  | { readonly status: 'recorded'; readonly reportId: string; readonly events: StoredEvent[] }
  | { readonly status: 'already-recorded'; readonly reportId: string; readonly events: StoredEvent[] };

/** What became of one report of a batch (`Ledger.recordBatch`). */
export type BatchReportOutcome =
  | { readonly status: 'recorded' | 'already-recorded'; readonly reportId: string }
  | { readonly status: 'rejected'; readonly reportId: string; readonly error: DomainError };

/**
 * A report refused by the domain. When the refusal came from re-deciding after another writer
 * won a race, `versionConflict` says which append lost (stream, expected and actual revision).
 */
export class ReportRejectedError extends Error {
  constructor(
    readonly domainError: DomainError,
    readonly versionConflict?: WrongExpectedRevisionError,
  ) {
    super(domainError.message);
    this.name = 'ReportRejectedError';
  }
}

/**
 * A decision that kept losing races to writers of other processes until the ledger's contention
 * deadline: nothing was written, and the same reports may be sent again. An
 * `EventStoreUnavailableError`, so it is answered 503 `EVENT_STORE_UNAVAILABLE`, as a store that
 * does not take writes for now.
 */
export class LedgerContentionError extends EventStoreUnavailableError {
  constructor(
    readonly stream: string,
    readonly waitedMs: number,
    readonly lastLostRace: WrongExpectedRevisionError,
  ) {
    super(
      `the ledger stream "${stream}" kept moving under other writers for ${waitedMs} ms, each decision ` +
        `losing its race (last: expected revision ${String(lastLostRace.expected)}, actual ${String(lastLostRace.actual)}); ` +
        'nothing was written, and the same report may be sent again',
    );
  }
}

/** Thrown out of a decision when deciding one request's report failed unexpectedly. */
class RequestFailure extends Error {
  constructor(
    readonly request: Request,
    readonly failure: unknown,
  ) {
    super('deciding a report failed');
  }
}

type HashedReport = { readonly report: Report; readonly reportHash: string };

/** One caller's request, waiting for the decision it will be part of. */
type Request = {
  readonly reports: readonly HashedReport[];
  /** When it was made (`Date.now()`). */
  readonly since: number;
  readonly reject: (error: unknown) => void;
} & (
  | { readonly kind: 'record'; readonly resolve: (result: RecordReportResult) => void }
  | { readonly kind: 'batch'; readonly resolve: (outcomes: BatchReportOutcome[]) => void }
);

/** What a decision made of one report: its events' place in the append, or why none. */
type Decided =
  | { readonly status: 'recorded'; readonly from: number; readonly count: number }
  | { readonly status: 'already-recorded' }
  | { readonly status: 'rejected'; readonly error: DomainError };

/** A decision on a group of requests (their reports in order), and its append once stored. */
interface GroupDecision {
  /** Per request, per report. */
  readonly decided: readonly (readonly Decided[])[];
  readonly eventCount: number;
  readonly appended: AppendResult | undefined;
}

/**
 * The write side of reports. Every report goes, whole, into one stream, so that it is atomic on
 * every adapter (EventStoreDB appends atomically to one stream only) and a report's events are
 * contiguous. Invariants are decided against the aggregate states folded from that stream at a
 * known revision, through the one write loop (`StreamCommandHandler`).
 *
 * Contention. A ledger takes one decision at a time: the reports and batches that arrive while a
 * decision is being stored wait, and the next decision takes all of them together (up to
 * `maxReportsPerAppend` reports), each decided in arrival order on top of the ones before it,
 * into one append. So the writers of one process never race each other, and under load a
 * process's reports share one durable write. Writers of other processes (service instances on
 * one database) can still win a race: then the decision catches up with what they appended,
 * decides every report again against the new state and appends again, as long as it takes (up
 * to `MAX_ATTEMPTS` immediate retries, then the same again after a jittered, doubling backoff of
 * up to 250 ms, and so on), until `contentionDeadlineMs`. A report that no longer holds gets its real refusal (its domain code,
 * with the race it lost); an independent one is never refused for contention before the deadline.
 */
export class Ledger {
  private readonly state: LedgerState;
  /** First revision of each recorded report, to answer a retry with the original events. */
  private readonly firstRevisionOf = new Map<string, bigint>();
  private readonly fold: StreamCatchUp;
  private readonly handler: StreamCommandHandler;
  private readonly prepare: (() => Promise<void>) | undefined;
  private readonly contentionDeadlineMs: number;
  private readonly maxReportsPerAppend: number;
  /** Requests waiting for the next decision, in arrival order. */
  private readonly waiting: Request[] = [];
  private writing = false;

  constructor(
    private readonly store: EventStore,
    readonly stream: string = CANONICAL_LEDGER_STREAM,
    /** For a what-if branch: canonical history as of its fork. */
    private readonly base?: LedgerBase,
    options: LedgerOptions = {},
  ) {
    this.state = new LedgerState(base);
    this.fold = new StreamCatchUp(store, stream, (stored) => this.apply(stored));
    this.handler = new StreamCommandHandler(store, this.fold);
    // a branch waits for canonical history to reach its fork before each attempt
    this.prepare = base && (() => base.ready());
    this.contentionDeadlineMs = options.contentionDeadlineMs ?? DEFAULT_CONTENTION_DEADLINE_MS;
    this.maxReportsPerAppend = Math.max(1, options.maxReportsPerAppend ?? DEFAULT_MAX_REPORTS_PER_APPEND);
  }

  /**
   * Records one report, answered with its stored events. A report recorded before (the same id
   * and content) is answered with the original events; two identical submissions in flight at
   * once are both answered "recorded" with the same events.
   */
  record(report: Report): Promise<RecordReportResult> {
    return new Promise((resolve, reject) =>
      this.enqueue({
        kind: 'record',
        reports: [{ report, reportHash: hashOf(report) }],
        since: Date.now(),
        resolve,
        reject,
      }),
    );
  }

  /**
   * Records many reports in one append: each is decided in turn on top of the ones before it (as
   * if they had been recorded one by one), a refused one is left out and said so, and the events
   * of the others go to the store together, so the batch costs one durable write. Each report is
   * still whole or not at all; a crash loses the whole batch or nothing, and a retry of it
   * records only what is missing. For imports: `record` answers with the stored events, this
   * with outcomes only.
   */
  recordBatch(reports: readonly Report[]): Promise<BatchReportOutcome[]> {
    const hashed = reports.map((report) => ({ report, reportHash: hashOf(report) }));
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'batch', reports: hashed, since: Date.now(), resolve, reject }),
    );
  }

  private enqueue(request: Request): void {
    this.waiting.push(request);
    if (!this.writing) void this.writeWaiting();
  }

  /** Takes decisions one after another while requests wait. Never rejects: each request is settled. */
  private async writeWaiting(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) await this.write(this.takeWaiting([]), true);
    } finally {
      this.writing = false;
    }
  }

  /** Moves the waiting requests that fit (at least one, when `group` is empty) into `group`. */
  private takeWaiting(group: Request[]): Request[] {
    let reports = group.reduce((sum, request) => sum + request.reports.length, 0);
    while (
      this.waiting.length > 0 &&
      (group.length === 0 || reports + this.waiting[0].reports.length <= this.maxReportsPerAppend)
    ) {
      const next = this.waiting.shift()!;
      reports += next.reports.length;
      group.push(next);
    }
    return group;
  }

  /**
   * Decides `group` and stores it, deciding again after every race lost to another process
   * until it is stored, or its reports no longer need writing. Each attempt also takes the
   * requests that arrived meanwhile (`absorb`). A request is refused for contention only once
   * its decision has lost a race and it has waited `contentionDeadlineMs` since it was made.
   */
  private async write(group: Request[], absorb: boolean): Promise<void> {
    let lostRace: WrongExpectedRevisionError | undefined;
    let decidedAt = -1n;
    for (let lostRounds = 0; ;) {
      let result: GroupDecision;
      try {
        result = await this.handler.handle(({ lostRace: lost }) => {
          lostRace = lost ?? lostRace;
          if (absorb) this.takeWaiting(group);
          decidedAt = this.fold.revision;
          return this.decide(group);
        }, this.prepare);
      } catch (error) {
        if (error instanceof RequestFailure) {
          // a report the decider failed on (not a refusal: a fault): its request fails, alone
          error.request.reject(error.failure);
          group.splice(group.indexOf(error.request), 1);
          if (group.length === 0) return;
          continue;
        }
        let raced: WrongExpectedRevisionError | undefined;
        try {
          raced = error instanceof WrongExpectedRevisionError ? error : await this.lostToDuplicate(error, decidedAt);
        } catch (catchUpError) {
          for (const request of group) request.reject(catchUpError);
          return;
        }
        if (raced) {
          lostRace = raced;
          const now = Date.now();
          for (const request of group.filter((r) => now - r.since >= this.contentionDeadlineMs)) {
            request.reject(new LedgerContentionError(this.stream, now - request.since, raced));
            group.splice(group.indexOf(request), 1);
          }
          if (group.length === 0) return;
          await delay(Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** lostRounds++));
          continue;
        }
        // refused by the store for what one request holds (an event too large, an append over the
        // store's size): the others must not fail with it, so each is decided and stored alone
        if (group.length > 1 && (error instanceof InvalidAppendError || error instanceof DuplicateEventIdError)) {
          for (const request of group) await this.write([request], false);
          return;
        }
        for (const request of group) request.reject(error);
        return;
      }
      // answered while the next decision goes on
      this.answer(group, result, lostRace).catch((error: unknown) => {
        for (const request of group) request.reject(error); // settles only those not answered yet
      });
      return;
    }
  }

  /**
   * An id of the append already stored, while the stream moved past the decision: a writer of
   * another process appended the same report with others (the store recognises a retry only
   * when the whole append matches). A lost race: deciding again finds the report recorded.
   */
  private async lostToDuplicate(error: unknown, decidedAt: bigint): Promise<WrongExpectedRevisionError | undefined> {
    if (!(error instanceof DuplicateEventIdError)) return undefined;
    await this.fold.catchUp();
    if (this.fold.revision <= decidedAt) return undefined;
    return new WrongExpectedRevisionError(this.stream, decidedAt < 0n ? 'no_stream' : decidedAt, this.fold.revision);
  }

  /** Every report of the group in turn, on top of the folded ledger and the reports before it. */
  private decide(group: readonly Request[]): StreamDecision<GroupDecision> {
    const decided = new LedgerState(this.state); // without touching the fold
    const events: EventToAppend[] = [];
    /** Where the events of each report this decision records sit in the append. */
    const placed = new Map<string, Decided & { status: 'recorded' }>();
    const outcomes = group.map((request) => {
      const ownIds = new Set<string>();
      return request.reports.map(({ report, reportHash }): Decided => {
        const { reportId } = report;
        let decision;
        try {
          decision = decideRecordReport({ report, reportHash }, decided);
        } catch (error) {
          if (error instanceof DomainError) return { status: 'rejected', error };
          throw new RequestFailure(request, error);
        }
        if (decision.outcome === 'already-recorded') {
          // sent again by another request of this decision: both were in flight at once, and
          // both are answered "recorded" with the same events, as two racing writers would be
          const earlier = placed.get(reportId);
          return earlier && !ownIds.has(reportId) ? earlier : { status: 'already-recorded' };
        }
        const place = { status: 'recorded' as const, from: events.length, count: decision.events.length };
        decision.events.forEach((event, index) => {
          decided.apply(event);
          events.push(this.toAppend(event, reportHash, index));
        });
        placed.set(reportId, place);
        ownIds.add(reportId);
        return place;
      });
    });
    return { events, answer: (appended) => ({ decided: outcomes, eventCount: events.length, appended }) };
  }

  /** Settles each request of a stored decision; `record` answers with the events as stored. */
  private async answer(
    group: readonly Request[],
    { decided, eventCount, appended }: GroupDecision,
    lostRace: WrongExpectedRevisionError | undefined,
  ): Promise<void> {
    // one read for the stored events of every recorded single report
    const wanted = group.flatMap((request, r) =>
      request.kind === 'record' && decided[r][0].status === 'recorded' ? [decided[r][0]] : [],
    );
    let stored: StoredEvent[] = [];
    let readFrom = 0;
    let unread: { error: unknown } | undefined;
    if (wanted.length > 0 && appended) {
      readFrom = Math.min(...wanted.map((place) => place.from));
      const readTo = Math.max(...wanted.map((place) => place.from + place.count));
      const firstRevision = appended.nextExpectedRevision - BigInt(eventCount - 1);
      try {
        stored = await this.store.readStream(this.stream, {
          fromRevision: firstRevision + BigInt(readFrom),
          maxCount: readTo - readFrom,
        });
      } catch (error) {
        // recorded, but the answer cannot be read: the same report sent again is answered with it
        unread = { error };
      }
    }
    for (const [r, request] of group.entries()) {
      if (request.kind === 'batch') {
        request.resolve(
          request.reports.map(({ report: { reportId } }, i): BatchReportOutcome => {
            const outcome = decided[r][i];
            return outcome.status === 'rejected'
              ? { status: 'rejected', reportId, error: outcome.error }
              : { status: outcome.status, reportId };
          }),
        );
        continue;
      }
      const { reportId } = request.reports[0].report;
      const outcome = decided[r][0];
      if (outcome.status === 'rejected') {
        request.reject(new ReportRejectedError(outcome.error, lostRace));
      } else if (outcome.status === 'recorded') {
        if (unread) {
          request.reject(unread.error);
          continue;
        }
        const from = outcome.from - readFrom;
        request.resolve({ status: 'recorded', reportId, events: stored.slice(from, from + outcome.count) });
      } else {
        this.eventsOf(reportId).then(
          (events) => request.resolve({ status: 'already-recorded', reportId, events }),
          request.reject,
        );
      }
    }
  }

  private toAppend(event: SquadEvent, reportHash: string, index: number): EventToAppend {
    return {
      id: eventId(this.stream, event.metadata.reportId, reportHash, index),
      type: event.type,
      data: event.data,
      metadata: event.metadata as unknown as JsonObject, // provenance is plain JSON by construction
    };
  }

  /** The content hash of a report this ledger has folded (undefined when it has not). */
  reportHash(reportId: string): string | undefined {
    const state = this.state.report(reportId);
    return state.status === 'recorded' ? state.reportHash : undefined;
  }

  /** Folds the events appended since the last look. */
  catchUp(): Promise<void> {
    return this.fold.catchUp();
  }

  private apply(stored: StoredEvent): void {
    const event = asSquadEvent(stored);
    if (event === undefined) return;
    if (event.metadata.claimIndex === 0) this.firstRevisionOf.set(event.metadata.reportId, stored.revision);
    this.state.apply(event);
  }

  /** The stored events of a recorded report (of the base's history when it is not in this stream). */
  async eventsOf(reportId: string): Promise<StoredEvent[]> {
    const first = this.firstRevisionOf.get(reportId);
    if (first === undefined) return this.base ? this.base.eventsOf(reportId) : [];
    const [head] = await this.store.readStream(this.stream, { fromRevision: first, maxCount: 1 });
    const claimCount = Number((head?.metadata as { claimCount?: number } | undefined)?.claimCount ?? 1);
    return claimCount <= 1 ? [head] : this.store.readStream(this.stream, { fromRevision: first, maxCount: claimCount });
  }
}

/** The SHA-256 of a report's canonical content: a retry with the same meaning has the same hash. */
const hashOf = (report: Report): string => createHash('sha256').update(canonicalReportContent(report)).digest('hex');

const KNOWN_TYPES = new Set<string>(CLAIM_TYPES);

/** Our own events, read back; types this build does not know (from a newer one) are skipped. */
export function asSquadEvent(stored: StoredEvent): SquadEvent | undefined {
  if (!KNOWN_TYPES.has(stored.type)) return undefined;
  return { type: stored.type, data: stored.data, metadata: stored.metadata } as unknown as SquadEvent;
}
