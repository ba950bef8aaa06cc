import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BRANCHES_STREAM, branchLedgerStream, type Slug } from '@squad/domain';
import { BranchView, everyPursuer, type AppliedChange, type StoredSquadEvent } from '@squad/projections';
import type { ServerResponse } from 'node:http';
import { StreamSlots } from '../access/stream-slots';
import type { Environment } from '../config/environment';
import { unknownBranch } from '../errors/application-error';
import type { BranchOverlay } from '../histories/branch-overlay';
import { Histories } from '../histories/histories.service';
import { ReadModels, type ReadModelFollower } from '../histories/read-models.service';
import { LiveFeed } from './live-feed';
import { SseConnection } from './sse-connection';
import { sseFrame } from './update-journal';

/**
 * Branch feeds nobody follows are kept (so a client that reconnects resumes exactly) up to this
 * many, the longest idle going first; a client resuming a dropped feed gets a `reset`.
 */
const MAX_IDLE_BRANCH_FEEDS = 16;
/** A branch feed's journal holds this share of LIVE_JOURNAL_BYTES (a branch has far fewer writes than canonical history). */
const BRANCH_JOURNAL_SHARE = 16;

/** What a stream is opened with besides its response. */
export interface StreamOptions {
  /** Frees the client's connection slot (see `admit`); called once when the stream ends. */
  readonly release: () => void;
}

export interface LiveStatus {
  readonly storePosition: number;
  readonly coveredFrom: number | null;
  readonly journalEntries: number;
  readonly subscribers: { readonly club: number; readonly all: number };
  /** What-if branches followed live on this instance: their feeds kept and their streams open. */
  readonly branches: { readonly feeds: number; readonly club: number; readonly all: number };
  /** Streams open or opening (a resume waiting for its position): what the per-client cap counts. */
  readonly streamSlots: number;
  readonly slowClientsDisconnected: number;
}

/** A what-if branch's live feed: its documents come from the branch's view, its ids are the positions of the branch's writes. */
class BranchFeed extends LiveFeed {
  /** Set once the branch is deleted: the feed's streams have ended, and a stream opening on it ends at once. */
  deleted = false;
  /** Stops following the overlay's changes. */
  readonly stopListening: () => void;

  constructor(
    readonly branchId: string,
    private readonly overlay: BranchOverlay,
    source: LiveFeed['source'],
    journalBytes: number,
    formation: () => string,
  ) {
    super(source, journalBytes, formation);
    this.stopListening = overlay.onChange((change) => this.changed(change));
  }

  /** Applies the branch's writes made so far (each applied change reaches the feed through the listener). */
  catchUp(): Promise<void> {
    return this.overlay.catchUp();
  }
}

/**
 * Live updates of the club documents (squad depth, targets, outgoing) as of today: canonical
 * history's feed, fed by the read models, and a feed per what-if branch followed, fed by the
 * branch's own writes (told by the store subscription, read from the branch's stream).
 */
@Injectable()
export class LiveUpdates implements OnModuleInit, BeforeApplicationShutdown, ReadModelFollower {
  private readonly logger = new Logger('live-updates');
  private readonly canonical: LiveFeed;
  /** Branch feeds by branch id, the longest idle first among those nobody follows. */
  private readonly branchFeeds = new Map<string, BranchFeed>();
  private readonly branchByStream = new Map<string, string>();
  /** Branch feeds being opened (`branchFeed`): how many times each. */
  private readonly openingFeeds = new Map<string, number>();
  /**
   * Branches seen deleted by the store subscription while their feed was being opened: that open
   * ends with 404. Kept only while the open runs (a later open finds the branch gone itself).
   */
  private readonly deletedBranches = new Set<string>();
  private slowClientsDisconnected = 0;

  constructor(
    private readonly readModels: ReadModels,
    private readonly histories: Histories,
    private readonly slots: StreamSlots,
    private readonly config: ConfigService<Environment, true>,
  ) {
    const formation = () => this.config.get('DEFAULT_FORMATION', { infer: true });
    const projections = () => this.readModels.projections;
    this.canonical = new LiveFeed(
      {
        get documents() {
          return projections().model;
        },
        position: () => projections().position,
        hasClub: (club) => projections().model.clubs.has(club),
        affectedBy: (change) => {
          const model = projections().model;
          const clubs = new Set<Slug>(change.clubs);
          // a player's news can change the squads he belongs to and the target lists he is on
          for (const player of change.players) {
            for (const club of model.players.get(player)?.linkedClubs ?? []) clubs.add(club);
            for (const club of everyPursuer(model, player)) clubs.add(club);
          }
          return clubs;
        },
      },
      config.get('LIVE_JOURNAL_BYTES', { infer: true }),
      formation,
    );
  }

  onModuleInit(): void {
    this.readModels.follow(this);
  }

  caughtUp(position: number): void {
    this.canonical.start(position);
  }

  changed(change: AppliedChange): void {
    this.canonical.changed(change);
  }

  /** A branch's write tells its feed to read the branch's stream; a deletion ends its streams. */
  stored(event: StoredSquadEvent): void {
    const branchId = this.branchByStream.get(event.stream);
    if (branchId !== undefined) {
      this.poke(this.branchFeeds.get(branchId));
      return;
    }
    if (event.stream === BRANCHES_STREAM && event.type === 'BranchDeleted') {
      const id = (event.data as { branchId: string }).branchId;
      if (this.openingFeeds.has(id)) this.deletedBranches.add(id);
      const feed = this.branchFeeds.get(id);
      if (feed) this.endBranchFeed(feed, Number(event.position));
    }
  }

  private poke(feed: BranchFeed | undefined): void {
    feed?.catchUp().catch((error: unknown) => {
      this.logger.error({
        msg: 'a branch feed could not read its stream; retrying',
        branch: feed.branchId,
        err: error,
      });
      setTimeout(() => this.poke(this.branchFeeds.get(feed.branchId)), 1000).unref();
    });
  }

  /** Ends a deleted branch's streams with a `deleted` message (an EventSource reconnecting then gets 404). */
  private endBranchFeed(feed: BranchFeed, position: number): void {
    feed.deleted = true;
    this.dropBranchFeed(feed);
    const frame = sseFrame('deleted', position, JSON.stringify({ storePosition: position, branch: feed.branchId }));
    for (const connection of feed.connections()) {
      connection.send(frame);
      connection.close();
    }
  }

  private dropBranchFeed(feed: BranchFeed): void {
    feed.stopListening();
    if (this.branchFeeds.get(feed.branchId) === feed) this.branchFeeds.delete(feed.branchId);
    this.branchByStream.delete(branchLedgerStream(feed.branchId));
  }

  /**
   * The live feed of a what-if branch, caught up with every write made to it before the call
   * (400 for a malformed id, 404 for an unknown or deleted branch, 503 if this instance has not
   * reached its fork yet). Open the stream without awaiting anything after it: idle feeds are
   * only evicted when a stream closes, so the feed returned is still followed then.
   */
  async branchFeed(id: string): Promise<LiveFeed> {
    this.openingFeeds.set(id, (this.openingFeeds.get(id) ?? 0) + 1);
    try {
      return await this.openBranchFeed(id);
    } finally {
      const left = (this.openingFeeds.get(id) ?? 1) - 1;
      if (left > 0) this.openingFeeds.set(id, left);
      else {
        this.openingFeeds.delete(id);
        this.deletedBranches.delete(id);
      }
    }
  }

  private async openBranchFeed(id: string): Promise<LiveFeed> {
    const { branch, overlay, view: shared } = await this.histories.openBranch(id);
    if (this.deletedBranches.has(id)) throw unknownBranch(id);
    const existing = this.branchFeeds.get(id);
    if (existing) {
      await existing.catchUp();
      if (existing.deleted || this.deletedBranches.has(id)) throw unknownBranch(id);
      if (this.branchFeeds.get(id) === existing) return existing;
      // evicted while catching up: a new feed, from the overlay as it is now
    }
    // synchronous from here: the overlay has just caught up, and the feed starts at its position
    const position = () => Math.max(branch.createdPosition, overlay.model.position);
    const canonical = this.readModels.projections.model;
    // the branch's view, with the messages' position: that of the branch's last write
    const view = new BranchView(canonical, shared.fork, overlay.model, { branch: id, position });
    const feed = new BranchFeed(
      id,
      overlay,
      {
        documents: view,
        position,
        hasClub: (club) => view.hasClub(club),
        affectedBy: (change) => {
          const clubs = new Set<Slug>(change.clubs);
          for (const player of change.players) {
            for (const club of canonical.players.get(player)?.linkedClubs ?? []) clubs.add(club);
            for (const club of overlay.model.players.get(player)?.linkedClubs ?? []) clubs.add(club);
            for (const club of everyPursuer(view, player)) clubs.add(club);
          }
          return clubs;
        },
      },
      Math.ceil(this.config.get('LIVE_JOURNAL_BYTES', { infer: true }) / BRANCH_JOURNAL_SHARE),
      () => this.config.get('DEFAULT_FORMATION', { infer: true }),
    );
    // nothing was awaited since the overlay caught up: the feed starts at its position, and
    // every later write is told by `stored` (and applied through the listener)
    feed.start(position());
    this.branchFeeds.set(id, feed);
    this.branchByStream.set(branchLedgerStream(id), id);
    return feed;
  }

  private evictIdleBranchFeeds(): void {
    let idle = 0;
    for (const feed of this.branchFeeds.values()) if (this.isIdle(feed)) idle++;
    for (const feed of [...this.branchFeeds.values()]) {
      if (idle <= MAX_IDLE_BRANCH_FEEDS) return;
      if (!this.isIdle(feed)) continue;
      this.dropBranchFeed(feed);
      idle--;
    }
  }

  private isIdle(feed: LiveFeed): boolean {
    const { club, all } = feed.subscribers();
    return club + all === 0;
  }

  /**
   * Opens a club's stream (of canonical history, or of the branch whose `feed` is given). Without
   * `lastEventId` it starts with a `snapshot` of the three documents; with one, it replays the
   * journal after it (or sends a `reset` snapshot when the journal no longer reaches back that
   * far), then follows live.
   */
  openClubStream(
    club: string,
    response: ServerResponse,
    lastEventId: number | undefined,
    options: StreamOptions,
    feed: LiveFeed = this.canonical,
  ): void {
    const connection = this.connect(response, options, feed, club);
    if (connection) feed.openClubStream(club, connection, lastEventId);
  }

  /** Opens the stream of every club (of canonical history, or of a branch): `ready` (or `reset`) with the position, then updates. */
  openAllStream(
    response: ServerResponse,
    lastEventId: number | undefined,
    options: StreamOptions,
    feed: LiveFeed = this.canonical,
  ): void {
    const connection = this.connect(response, options, feed);
    if (connection) feed.openAllStream(connection, lastEventId);
  }

  /** Takes one of the client's stream slots (429 past LIVE_MAX_CONNECTIONS_PER_CLIENT); returns the release. */
  admit(client: string): () => void {
    return this.slots.admit(client);
  }

  /** What this instance holds in memory for branches' live updates: all 0 once no branch is followed or being opened. */
  heldForBranches(): { feeds: number; streams: number; opening: number; deleted: number } {
    return {
      feeds: this.branchFeeds.size,
      streams: this.branchByStream.size,
      opening: this.openingFeeds.size,
      deleted: this.deletedBranches.size,
    };
  }

  status(): LiveStatus {
    const branches = { feeds: this.branchFeeds.size, club: 0, all: 0 };
    for (const feed of this.branchFeeds.values()) {
      const { club, all } = feed.subscribers();
      branches.club += club;
      branches.all += all;
    }
    return {
      storePosition: this.readModels.projections.position,
      coveredFrom: this.canonical.coveredFrom ?? null,
      journalEntries: this.canonical.journalEntries,
      subscribers: this.canonical.subscribers(),
      branches,
      streamSlots: this.slots.taken,
      slowClientsDisconnected: this.slowClientsDisconnected,
    };
  }

  beforeApplicationShutdown(): void {
    // open streams would hold the HTTP server's close forever
    for (const feed of [this.canonical, ...this.branchFeeds.values()]) {
      for (const connection of feed.connections()) connection.close();
    }
  }

  /**
   * Waits, before a stream opens, for a position the client has seen and this instance has not
   * applied yet (another instance was ahead); 503 after a while.
   */
  whenReached(lastEventId: number | undefined): Promise<void> {
    return this.histories.reach(lastEventId, (position) => ({ storePosition: position, lastEventId }));
  }

  /** The connection, registered with its feed; undefined when the feed is a branch's deleted meanwhile (the response is ended). */
  private connect(
    response: ServerResponse,
    options: StreamOptions,
    feed: LiveFeed,
    club?: string,
  ): SseConnection | undefined {
    const deleted = feed instanceof BranchFeed && feed.deleted;
    const connection = new SseConnection(response, {
      heartbeatMs: this.config.get('LIVE_HEARTBEAT_MS', { infer: true }),
      maxBufferedBytes: this.config.get('LIVE_CLIENT_BUFFER_BYTES', { infer: true }),
      onClose: (reason) => {
        feed.unsubscribe(connection, club);
        options.release();
        if (reason === 'slow-client') {
          this.slowClientsDisconnected++;
          this.logger.warn({
            msg: 'live client dropped: it stopped reading and its buffer filled',
            bufferBytes: response.writableLength,
          });
        }
        if (feed instanceof BranchFeed && this.branchFeeds.get(feed.branchId) === feed && this.isIdle(feed)) {
          // the longest idle first: move it to the end, then keep at most MAX_IDLE_BRANCH_FEEDS idle
          this.branchFeeds.delete(feed.branchId);
          this.branchFeeds.set(feed.branchId, feed);
          this.evictIdleBranchFeeds();
        }
      },
    });
    if (deleted) {
      const position = this.readModels.projections.position;
      connection.send(
        sseFrame('deleted', position, JSON.stringify({ storePosition: position, branch: feed.branchId })),
      );
      connection.close();
      return undefined;
    }
    return connection;
  }
}
