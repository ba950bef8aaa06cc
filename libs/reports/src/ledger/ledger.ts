import { createHash } from 'node:crypto';
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
  type EventStore,
  type EventToAppend,
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
 * The write side of reports. Every report goes, whole, into one stream, so that it is atomic on
 * every adapter (EventStoreDB appends atomically to one stream only) and a report's events are
 * contiguous. Invariants are decided against the aggregate states folded from that stream at a
 * known revision, through the one write loop (`StreamCommandHandler`).
 */
export class Ledger {
  private readonly state: LedgerState;
  /** First revision of each recorded report, to answer a retry with the original events. */
  private readonly firstRevisionOf = new Map<string, bigint>();
  private readonly fold: StreamCatchUp;
  private readonly handler: StreamCommandHandler;

  constructor(
    private readonly store: EventStore,
    readonly stream: string = CANONICAL_LEDGER_STREAM,
    /** For a what-if branch: canonical history as of its fork. */
    private readonly base?: LedgerBase,
  ) {
    this.state = new LedgerState(base);
    this.fold = new StreamCatchUp(store, stream, (stored) => this.apply(stored));
    this.handler = new StreamCommandHandler(store, this.fold);
  }

  record(report: Report): Promise<RecordReportResult> {
    const reportHash = hashOf(report);
    const base = this.base;
    return this.handler.handle(
      ({ lostRace }): StreamDecision<RecordReportResult> => {
        let decision;
        try {
          decision = decideRecordReport({ report, reportHash }, this.state);
        } catch (error) {
          if (error instanceof DomainError) throw new ReportRejectedError(error, lostRace);
          throw error;
        }
        if (decision.outcome === 'already-recorded') {
          return {
            events: [],
            answer: async () => ({
              status: 'already-recorded',
              reportId: report.reportId,
              events: await this.eventsOf(report.reportId),
            }),
          };
        }
        const events = decision.events.map((event, index) => this.toAppend(event, reportHash, index));
        return {
          events,
          // Two identical submissions racing both end here (the store answers the second with the
          // first one's result, as EventStoreDB does), so both get "recorded" with the same events.
          answer: async (appended) => ({
            status: 'recorded',
            reportId: report.reportId,
            events: await this.store.readStream(this.stream, {
              fromRevision: appended!.nextExpectedRevision - BigInt(events.length - 1),
              maxCount: events.length,
            }),
          }),
        };
      },
      // a branch waits for canonical history to reach its fork before each attempt
      base && (() => base.ready()),
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
    const base = this.base;
    return this.handler.handle(
      (): StreamDecision<BatchReportOutcome[]> => {
        // the reports before this one, on top of the folded ledger, without touching it
        const decided = new LedgerState(this.state);
        const outcomes: BatchReportOutcome[] = [];
        const events: EventToAppend[] = [];
        for (const { report, reportHash } of hashed) {
          const { reportId } = report;
          let decision;
          try {
            decision = decideRecordReport({ report, reportHash }, decided);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            outcomes.push({ status: 'rejected', reportId, error });
            continue;
          }
          if (decision.outcome === 'already-recorded') {
            outcomes.push({ status: 'already-recorded', reportId });
            continue;
          }
          decision.events.forEach((event, index) => {
            decided.apply(event);
            events.push(this.toAppend(event, reportHash, index));
          });
          outcomes.push({ status: 'recorded', reportId });
        }
        return { events, answer: () => Promise.resolve(outcomes) };
      },
      base && (() => base.ready()),
    );
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
