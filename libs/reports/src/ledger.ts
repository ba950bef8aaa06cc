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
import { type EventStore, type JsonObject, type StoredEvent, WrongExpectedRevisionError } from '@squad/event-store';

/** The canonical history of reports; each what-if branch has a stream of its own (`branchLedgerStream`). */
export { CANONICAL_LEDGER_STREAM } from '@squad/domain';

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

const MAX_ATTEMPTS = 5;
const CATCH_UP_PAGE = 1000;

/**
 * The write side of reports. Every report goes, whole, into one stream, so that it is atomic on
 * every adapter (EventStoreDB appends atomically to one stream only) and a report's events are
 * contiguous. Invariants are decided against the aggregate states folded from that stream at a
 * known revision, and the append carries that revision as its expected revision: a writer that
 * lost a race (in this process or another) re-reads, re-decides and tries again.
 */
export class Ledger {
  private readonly state: LedgerState;
  /** Revision of the last event folded into `state`; -1 before the first. */
  private revision = -1n;
  /** First revision of each recorded report, to answer a retry with the original events. */
  private readonly firstRevisionOf = new Map<string, bigint>();
  private catchingUp: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    readonly stream: string = CANONICAL_LEDGER_STREAM,
    /** For a what-if branch: canonical history as of its fork. */
    private readonly base?: LedgerBase,
  ) {
    this.state = new LedgerState(base);
  }

  async record(report: Report): Promise<RecordReportResult> {
    const reportHash = createHash('sha256').update(canonicalReportContent(report)).digest('hex');
    let lostRace: WrongExpectedRevisionError | undefined;
    for (let attempt = 1; ; attempt++) {
      await this.base?.ready();
      await this.catchUp();
      const decidedAt = this.revision;
      let decision;
      try {
        decision = decideRecordReport({ report, reportHash }, this.state);
      } catch (error) {
        if (error instanceof DomainError) throw new ReportRejectedError(error, lostRace);
        throw error;
      }
      if (decision.outcome === 'already-recorded') {
        return { status: 'already-recorded', reportId: report.reportId, events: await this.eventsOf(report.reportId) };
      }
      try {
        const toAppend = decision.events.map((event, index) => ({
          id: eventId(this.stream, report.reportId, reportHash, index),
          type: event.type,
          data: event.data,
          metadata: event.metadata as unknown as JsonObject, // provenance is plain JSON by construction
        }));
        const result = await this.store.append(this.stream, toAppend, {
          expectedRevision: decidedAt < 0n ? 'no_stream' : decidedAt,
        });
        const first = result.nextExpectedRevision - BigInt(toAppend.length - 1);
        // Two identical submissions racing both land here (the store answers the second with the
        // first one's result, as EventStoreDB does), so both get "recorded" with the same events.
        return {
          status: 'recorded',
          reportId: report.reportId,
          events: await this.store.readStream(this.stream, { fromRevision: first, maxCount: toAppend.length }),
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
        lostRace = error;
      }
    }
  }

  /** The content hash of a report this ledger has folded (undefined when it has not). */
  reportHash(reportId: string): string | undefined {
    const state = this.state.report(reportId);
    return state.status === 'recorded' ? state.reportHash : undefined;
  }

  /** Folds the events appended since the last look; one catch-up at a time. */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.foldNewEvents().finally(() => (this.catchingUp = undefined));
    return this.catchingUp;
  }

  private async foldNewEvents(): Promise<void> {
    for (;;) {
      const page = await this.store.readStream(this.stream, { fromRevision: this.revision + 1n, maxCount: CATCH_UP_PAGE });
      for (const stored of page) {
        const event = asSquadEvent(stored);
        if (event) {
          if (event.metadata.claimIndex === 0) this.firstRevisionOf.set(event.metadata.reportId, stored.revision);
          this.state.apply(event);
        }
        this.revision = stored.revision;
      }
      if (page.length < CATCH_UP_PAGE) return;
    }
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

const KNOWN_TYPES = new Set<string>(CLAIM_TYPES);

/** Our own events, read back; types this build does not know (from a newer one) are skipped. */
export function asSquadEvent(stored: StoredEvent): SquadEvent | undefined {
  if (!KNOWN_TYPES.has(stored.type)) return undefined;
  return { type: stored.type, data: stored.data, metadata: stored.metadata } as unknown as SquadEvent;
}

/**
 * Event ids derived from the report, so that a retried append of the same report carries the
 * same ids and the store recognises it (a name-based UUID, version 8 layout).
 */
export function eventId(stream: string, reportId: string, reportHash: string, claimIndex: number): string {
  const hex = createHash('sha256').update(`${stream}\n${reportId}\n${reportHash}\n${claimIndex}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
