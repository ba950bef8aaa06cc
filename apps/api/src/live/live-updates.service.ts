import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { everyPursuer, today, type AppliedChange } from '@squad/projections';
import type { ServerResponse } from 'node:http';
import type { Environment } from '../config/environment';
import { ProblemException } from '../http/problem-details';
import { CLUB_DOCUMENTS, clubDocument } from '../read-models/documents';
import { ReadModels, type ReadModelFollower } from '../read-models/read-models.service';
import { SseConnection } from './sse-connection';
import { changesJson, JournalEntry, sseFrame, UpdateJournal, type DocumentChange } from './update-journal';

/** How long a client resuming from a position this instance has not reached yet is waited for. */
const RESUME_WAIT_MS = 5000;

/** What a stream is opened with besides its response. */
export interface StreamOptions {
  /** Frees the client's connection slot (see `admit`); called once when the stream ends. */
  readonly release: () => void;
}

export interface LiveStatus {
  readonly position: number;
  readonly coveredFrom: number | null;
  readonly journalEntries: number;
  readonly subscribers: { readonly club: number; readonly all: number };
  /** Streams open or opening (a resume waiting for its position): what the per-client cap counts. */
  readonly streamSlots: number;
  readonly slowClientsDisconnected: number;
}

/**
 * Live updates of the club documents (squad depth, targets, outgoing) as of today.
 *
 * After each applied event the clubs it can affect are marked; once the event loop turns, their
 * documents are recomputed and those that differ from the last version are recorded in the
 * journal under the store position reached, then sent to the subscribers. A burst of events
 * thus gives one update at its last position, and every subscriber sees the same sequence, so
 * `Last-Event-ID: P` means "I have everything up to P" and resuming after P is exact.
 */
@Injectable()
export class LiveUpdates implements OnModuleInit, BeforeApplicationShutdown, ReadModelFollower {
  private readonly logger = new Logger('live-updates');
  private readonly journal: UpdateJournal;
  /** The last version of each club document recorded, by `club\nmodel`. */
  private readonly lastRecorded = new Map<string, string>();
  private readonly pending = new Set<string>();
  private flushScheduled = false;
  private readonly clubSubscribers = new Map<string, Set<SseConnection>>();
  private readonly allSubscribers = new Set<SseConnection>();
  private slowClientsDisconnected = 0;
  /** Open (or opening) streams per client: an API key's name or an IP address. */
  private readonly connectionsByClient = new Map<string, number>();

  constructor(
    private readonly readModels: ReadModels,
    private readonly config: ConfigService<Environment, true>,
  ) {
    this.journal = new UpdateJournal(config.get('LIVE_JOURNAL_BYTES', { infer: true }));
  }

  onModuleInit(): void {
    this.readModels.follow(this);
  }

  caughtUp(position: number): void {
    this.journal.start(position);
  }

  changed(change: AppliedChange): void {
    const model = this.readModels.projections.model;
    for (const club of change.clubs) this.pending.add(club);
    // a player's news can change the squads he belongs to and the target lists he is on
    for (const player of change.players) {
      for (const club of model.players.get(player)?.linkedClubs ?? []) this.pending.add(club);
      for (const club of everyPursuer(model, player)) this.pending.add(club);
    }
    if (!this.flushScheduled && this.pending.size > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Records and sends what changed since the last flush. Synchronous: nothing is applied meanwhile. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.size === 0) return;
    const model = this.readModels.projections.model;
    const clubs = [...this.pending].filter((club) => model.clubs.has(club)).sort();
    this.pending.clear();
    const time = { asOf: today() };
    const formation = this.config.get('DEFAULT_FORMATION', { infer: true });
    const changes: DocumentChange[] = [];
    for (const club of clubs) {
      for (const kind of CLUB_DOCUMENTS) {
        const json = JSON.stringify(clubDocument(kind, model, club, time, formation));
        const key = `${club}\n${kind}`;
        // the envelope's position differs in every version; compare what the document says
        if (withoutPosition(this.lastRecorded.get(key)) === withoutPosition(json)) continue;
        this.lastRecorded.set(key, json);
        changes.push({ model: kind, club, json });
      }
    }
    if (changes.length === 0) return;
    const entry = new JournalEntry(model.position, changes);
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
   * Opens a club's stream. Without `lastEventId` it starts with a `snapshot` of the three
   * documents; with one, it replays the journal after it (or sends a `reset` snapshot when the
   * journal no longer reaches back that far), then follows live.
   */
  openClubStream(club: string, response: ServerResponse, lastEventId: number | undefined, options: StreamOptions): void {
    // synchronous: no update can slip between the replay and the subscription
    this.flush();
    const connection = this.connect(response, options, this.clubSubscribers.get(club) ?? new Set(), (set) => this.clubSubscribers.set(club, set));
    const replay = lastEventId === undefined ? undefined : this.journal.after(lastEventId);
    if (replay) connection.send(replay.filter((entry) => entry.touches(club)).map((entry) => entry.frame(club)).join(''));
    else connection.send(this.snapshotFrame(lastEventId === undefined ? 'snapshot' : 'reset', club));
  }

  /** Opens the stream of every club: `ready` (or `reset`) with the position, then updates. */
  openAllStream(response: ServerResponse, lastEventId: number | undefined, options: StreamOptions): void {
    this.flush();
    const connection = this.connect(response, options, this.allSubscribers);
    const replay = lastEventId === undefined ? undefined : this.journal.after(lastEventId);
    const position = this.readModels.projections.position;
    if (replay) connection.send(replay.map((entry) => entry.frame()).join(''));
    else connection.send(sseFrame(lastEventId === undefined ? 'ready' : 'reset', position, JSON.stringify({ position })));
  }

  /**
   * Takes one of the client's LIVE_MAX_CONNECTIONS_PER_CLIENT stream slots, or refuses with 429,
   * so one client cannot hold the server's sockets and memory. Returns the release (idempotent).
   */
  admit(client: string): () => void {
    const open = this.connectionsByClient.get(client) ?? 0;
    const limit = this.config.get('LIVE_MAX_CONNECTIONS_PER_CLIENT', { infer: true });
    if (open >= limit) {
      throw new ProblemException({
        status: 429,
        code: 'LIVE_CONNECTION_LIMIT',
        detail: `This client already has ${open} live streams open, the most allowed; close one first`,
        extensions: { limit },
      });
    }
    this.connectionsByClient.set(client, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.connectionsByClient.get(client) ?? 1) - 1;
      if (left > 0) this.connectionsByClient.set(client, left);
      else this.connectionsByClient.delete(client);
    };
  }

  status(): LiveStatus {
    let club = 0;
    for (const set of this.clubSubscribers.values()) club += set.size;
    return {
      position: this.readModels.projections.position,
      coveredFrom: this.journal.coveredFrom ?? null,
      journalEntries: this.journal.size,
      subscribers: { club, all: this.allSubscribers.size },
      streamSlots: [...this.connectionsByClient.values()].reduce((sum, n) => sum + n, 0),
      slowClientsDisconnected: this.slowClientsDisconnected,
    };
  }

  beforeApplicationShutdown(): void {
    // open streams would hold the HTTP server's close forever
    for (const set of [...this.clubSubscribers.values(), this.allSubscribers]) {
      for (const connection of [...set]) connection.close();
    }
  }

  /**
   * Waits, before a stream opens, for a position the client has seen and this instance has not
   * applied yet (another instance was ahead); 503 after a while.
   */
  async whenReached(lastEventId: number | undefined): Promise<void> {
    const projections = this.readModels.projections;
    if (lastEventId === undefined || lastEventId <= projections.position) return;
    if (!(await projections.whenCaughtUp(lastEventId, RESUME_WAIT_MS))) {
      throw new ProblemException({
        status: 503,
        code: 'READ_MODEL_BEHIND',
        detail: `This instance has reached position ${projections.position}, not yet ${lastEventId}; retry shortly`,
        extensions: { position: projections.position, lastEventId },
      });
    }
  }

  private connect(response: ServerResponse, options: StreamOptions, subscribers: Set<SseConnection>, register?: (set: Set<SseConnection>) => void): SseConnection {
    const connection = new SseConnection(response, {
      heartbeatMs: this.config.get('LIVE_HEARTBEAT_MS', { infer: true }),
      maxBufferedBytes: this.config.get('LIVE_CLIENT_BUFFER_BYTES', { infer: true }),
      onClose: (reason) => {
        subscribers.delete(connection);
        options.release();
        if (reason === 'slow-client') {
          this.slowClientsDisconnected++;
          this.logger.warn({ msg: 'live client dropped: it stopped reading and its buffer filled', bufferBytes: response.writableLength });
        }
      },
    });
    subscribers.add(connection);
    register?.(subscribers);
    return connection;
  }

  private snapshotFrame(event: 'snapshot' | 'reset', club: string): string {
    const model = this.readModels.projections.model;
    const time = { asOf: today() };
    const formation = this.config.get('DEFAULT_FORMATION', { infer: true });
    const changes = CLUB_DOCUMENTS.map((kind) => ({ model: kind, club, json: JSON.stringify(clubDocument(kind, model, club, time, formation)) }));
    // the journal has just been flushed, so these are the documents at this position: later
    // updates of this club are told against them (only what differs is sent)
    for (const change of changes) {
      const key = `${club}\n${change.model}`;
      if (!this.lastRecorded.has(key)) this.lastRecorded.set(key, change.json);
    }
    return sseFrame(event, model.position, changesJson(model.position, changes));
  }
}

/** The document without its envelope's `position`, which opens every document (see `envelope`). */
function withoutPosition(json: string | undefined): string | undefined {
  return json?.replace(/^(\{"asOf":"[^"]*","knownAt":null,)"position":\d+/, '$1');
}
