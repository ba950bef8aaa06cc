import type { Slug } from '@squad/domain';
import {
  CLUB_DOCUMENTS,
  clubDocumentBodies,
  envelope,
  sameDocument,
  today,
  withEnvelope,
  type AppliedChange,
  type ReadSource,
} from '@squad/projections';
import type { SseConnection } from './sse-connection';
import { changesJson, JournalEntry, sseFrame, UpdateJournal, type DocumentChange } from './update-journal';

/** What a feed reads: canonical history, or one what-if branch. */
export interface FeedSource {
  /** What the documents are computed from (a read model or a branch's view). */
  readonly documents: ReadSource;
  /** The store position the documents reflect: the messages' ids. */
  position(): number;
  hasClub(club: Slug): boolean;
  /** The clubs whose documents an applied event can change (more is fine: unchanged documents are not sent). */
  affectedBy(change: AppliedChange): Iterable<Slug>;
}

/**
 * The live club documents (squad depth, targets, outgoing) of one history, canonical or a
 * branch's, as of today, and the streams that follow them.
 *
 * After each applied event the clubs it can affect are marked; once the event loop turns, their
 * documents are recomputed and those that differ from the last version are recorded in the
 * journal under the position reached, then sent to the subscribers. A burst of events thus gives
 * one update at its last position, and every subscriber sees the same sequence, so
 * `Last-Event-ID: P` means "I have everything up to P" and resuming after P is exact.
 */
export class LiveFeed {
  private readonly journal: UpdateJournal;
  /** The last version of each club document recorded, by `club\nmodel`: its day and its body. */
  private readonly lastRecorded = new Map<string, { readonly asOf: string; readonly body: object }>();
  private readonly pending = new Set<string>();
  private flushScheduled = false;
  private readonly clubSubscribers = new Map<string, Set<SseConnection>>();
  private readonly allSubscribers = new Set<SseConnection>();

  constructor(
    readonly source: FeedSource,
    journalBytes: number,
    private readonly formation: () => string,
  ) {
    this.journal = new UpdateJournal(journalBytes);
  }

  /** Starts recording: every change after `position` goes into the journal. */
  start(position: number): void {
    this.journal.start(position);
  }

  get coveredFrom(): number | undefined {
    return this.journal.coveredFrom;
  }

  get journalEntries(): number {
    return this.journal.size;
  }

  changed(change: AppliedChange): void {
    for (const club of this.source.affectedBy(change)) this.pending.add(club);
    if (!this.flushScheduled && this.pending.size > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Records and sends what changed since the last flush. Synchronous: nothing is applied meanwhile. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.size === 0) return;
    const clubs = [...this.pending].filter((club) => this.source.hasClub(club)).sort();
    this.pending.clear();
    const time = { asOf: today() };
    const formation = this.formation();
    const head = envelope(this.source.documents, time);
    const changes: DocumentChange[] = [];
    for (const club of clubs) {
      const bodies = clubDocumentBodies(this.source.documents, club, time, formation);
      for (const kind of CLUB_DOCUMENTS) {
        const key = `${club}\n${kind}`;
        // the envelope's position differs in every version: compare the day and what the document says
        const last = this.lastRecorded.get(key);
        if (last !== undefined && last.asOf === time.asOf && sameDocument(last.body, bodies[kind])) continue;
        this.lastRecorded.set(key, { asOf: time.asOf, body: bodies[kind] });
        changes.push({ model: kind, club, json: JSON.stringify(withEnvelope(head, bodies[kind])) });
      }
    }
    if (changes.length === 0) return;
    const entry = new JournalEntry(this.source.position(), changes);
    this.journal.append(entry);
    this.broadcast(entry);
  }

  private broadcast(entry: JournalEntry): void {
    const clubs = new Set(entry.changes.map((change) => change.club));
    for (const club of clubs) {
      for (const connection of this.clubSubscribers.get(club) ?? []) connection.send(entry.frame(club));
    }
    for (const connection of this.allSubscribers) connection.send(entry.frame());
  }

  /**
   * Subscribes a club's stream. Without `lastEventId` it starts with a `snapshot` of the three
   * documents; with one, it replays the journal after it (or sends a `reset` snapshot when the
   * journal no longer reaches back that far), then follows live.
   */
  openClubStream(club: string, connection: SseConnection, lastEventId: number | undefined): void {
    // synchronous: no update can slip between the replay and the subscription
    this.flush();
    let subscribers = this.clubSubscribers.get(club);
    if (!subscribers) this.clubSubscribers.set(club, (subscribers = new Set()));
    subscribers.add(connection);
    const replay = lastEventId === undefined ? undefined : this.journal.after(lastEventId);
    if (replay)
      connection.send(
        replay
          .filter((entry) => entry.touches(club))
          .map((entry) => entry.frame(club))
          .join(''),
      );
    else connection.send(this.snapshotFrame(lastEventId === undefined ? 'snapshot' : 'reset', club));
  }

  /** Subscribes the stream of every club: `ready` (or `reset`) with the position, then updates. */
  openAllStream(connection: SseConnection, lastEventId: number | undefined): void {
    this.flush();
    this.allSubscribers.add(connection);
    const replay = lastEventId === undefined ? undefined : this.journal.after(lastEventId);
    const position = this.source.position();
    if (replay) connection.send(replay.map((entry) => entry.frame()).join(''));
    else
      connection.send(
        sseFrame(lastEventId === undefined ? 'ready' : 'reset', position, JSON.stringify({ storePosition: position })),
      );
  }

  /** Forgets a connection that ended. */
  unsubscribe(connection: SseConnection, club?: string): void {
    if (club === undefined) {
      this.allSubscribers.delete(connection);
      return;
    }
    const subscribers = this.clubSubscribers.get(club);
    subscribers?.delete(connection);
    if (subscribers?.size === 0) this.clubSubscribers.delete(club);
  }

  subscribers(): { club: number; all: number } {
    let club = 0;
    for (const set of this.clubSubscribers.values()) club += set.size;
    return { club, all: this.allSubscribers.size };
  }

  /** Every open connection, to end them. */
  connections(): SseConnection[] {
    return [...[...this.clubSubscribers.values()].flatMap((set) => [...set]), ...this.allSubscribers];
  }

  private snapshotFrame(event: 'snapshot' | 'reset', club: string): string {
    const time = { asOf: today() };
    const position = this.source.position();
    const head = envelope(this.source.documents, time);
    const bodies = clubDocumentBodies(this.source.documents, club, time, this.formation());
    const changes = CLUB_DOCUMENTS.map((kind) => ({
      model: kind,
      club,
      json: JSON.stringify(withEnvelope(head, bodies[kind])),
    }));
    // the journal has just been flushed, so these are the documents at this position: later
    // updates of this club are told against them (only what differs is sent)
    for (const kind of CLUB_DOCUMENTS) {
      const key = `${club}\n${kind}`;
      if (!this.lastRecorded.has(key)) this.lastRecorded.set(key, { asOf: time.asOf, body: bodies[kind] });
    }
    return sseFrame(event, position, changesJson(position, changes));
  }
}
