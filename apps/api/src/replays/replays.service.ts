import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { BranchView, type ReadView } from '@squad/projections';
import type { Environment } from '../config/environment';
import { ApplicationError, unknownEntity } from '../errors/application-error';
import { Histories } from '../histories/histories.service';
import { ReadModels } from '../histories/read-models.service';
import type { ReplayRequest } from './replay-input';
import { ReplaySession } from './replay-session';
import { replayTurns } from './replay-turns';
import { ReplayWindow } from './replay-window';

/** Replays held in memory at most; past it, creating one answers 503 until idle ones expire. */
const MAX_SESSIONS = 1000;
/**
 * Replays one client may hold at once (by API key, or by address without one), so one client
 * cannot take the instance's whole pool. A game runs a handful; delete one to start another.
 */
export const MAX_REPLAYS_PER_CLIENT = 20;

/**
 * The replays of this process, in memory. A replay nobody streams and nobody controls for
 * REPLAY_IDLE_TIMEOUT_MS is dropped.
 */
@Injectable()
export class Replays implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('replays');
  private readonly sessions = new Map<string, ReplaySession>();
  /** Who created each replay (see `clientOf`). */
  private readonly owners = new Map<string, string>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly idleMs: number;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly histories: Histories,
    private readonly config: ConfigService<Environment, true>,
  ) {
    this.idleMs = config.get('REPLAY_IDLE_TIMEOUT_MS', { infer: true }) ?? 600_000;
    this.sweeper = setInterval(() => this.sweep(), Math.max(250, Math.min(this.idleMs / 4, 30_000)));
    this.sweeper.unref();
  }

  /** `client`: who asks (see `clientOf`), for the per-client cap. */
  async create(request: ReplayRequest, client: string): Promise<ReplaySession> {
    this.checkCapacity(client);
    // history frozen where it is now (canonical, or the branch caught up), so reports recorded during the replay do not change it
    const view: ReadView =
      request.branch === undefined
        ? frozen(this.readModels.projections.model)
        : frozenBranch((await this.histories.openBranch(request.branch)).view);
    for (const club of request.clubs ?? []) {
      if (!view.hasClub(club)) throw unknownEntity('club', club);
    }
    const formation = request.formation ?? this.config.get('DEFAULT_FORMATION', { infer: true });
    const id = randomBytes(8).toString('hex');
    const window = new ReplayWindow(view, this.store, {
      from: request.from,
      to: request.to,
      clubs: request.clubs,
      formation,
      formationRequested: request.formation !== undefined,
    });
    // which days have news, looked at once, in turns (a century of days takes tens of milliseconds)
    await window.index(replayTurns);
    const session = new ReplaySession(
      {
        id,
        from: request.from,
        to: request.to,
        branch: request.branch ?? null,
        formation,
        storePosition: view.position,
      },
      window,
      request.speed,
      (error) => this.logger.error({ msg: 'replay failed; its stream is closed', replay: id, err: error }),
      replayTurns,
    );
    // again: other replays may have been created while this one was prepared
    this.checkCapacity(client);
    this.sessions.set(id, session);
    this.owners.set(id, client);
    return session;
  }

  private checkCapacity(client: string): void {
    const held = this.heldBy(client);
    if (held >= MAX_REPLAYS_PER_CLIENT) {
      throw new ApplicationError(
        'REPLAY_LIMIT',
        'limit',
        `This client already holds ${held} replays, the most allowed; delete one (DELETE /v1/replays/{id}) or wait until an idle one expires`,
        { extensions: { limit: MAX_REPLAYS_PER_CLIENT } },
      );
    }
    if (this.sessions.size >= MAX_SESSIONS) {
      throw new ApplicationError(
        'REPLAY_CAPACITY',
        'unavailable',
        `This instance holds ${MAX_SESSIONS} replays; delete one or retry once idle ones expire`,
      );
    }
  }

  private heldBy(client: string): number {
    let held = 0;
    for (const owner of this.owners.values()) if (owner === client) held++;
    return held;
  }

  /**
   * The replay, for the client that created it (see `clientOf`): another client is told there is
   * no such replay, as for an unknown id, so one key cannot steer, read or delete another's.
   */
  get(id: string, client: string): ReplaySession {
    const session = /^[0-9a-f]{16}$/.test(id) ? this.sessions.get(id) : undefined;
    if (!session || this.owners.get(id) !== client) {
      throw new ApplicationError(
        'UNKNOWN_REPLAY',
        'not-found',
        `There is no replay "${id}" (replays are kept in memory, dropped when idle, and seen only by the client that created them)`,
      );
    }
    return session;
  }

  delete(id: string, client: string): void {
    this.get(id, client).close();
    this.sessions.delete(id);
    this.owners.delete(id);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, session] of this.sessions) {
      if (!session.streaming && now - session.lastActivity > this.idleMs) {
        session.close();
        this.sessions.delete(id);
        this.owners.delete(id);
      }
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  beforeApplicationShutdown(): void {
    // open streams would hold the HTTP server's close forever
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
    this.owners.clear();
  }
}

function frozen(model: ReadModels['projections']['model']): ReadView {
  const position = model.position;
  return new BranchView(model, { position }, undefined, { position: () => position });
}

/**
 * A branch frozen where it is now: `live` has just caught up with the branch's stream; its
 * canonical side is fixed by the fork already, and its own facts and reports stored after now
 * (the live overlay keeps catching up, for other reads) stay out.
 */
function frozenBranch(live: BranchView): ReadView {
  const position = live.position;
  return new BranchView(live.canonical, live.fork, live.own, {
    branch: live.branch,
    position: () => position,
    ownPosition: live.own?.position ?? 0,
  });
}
