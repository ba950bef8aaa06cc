import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import {
  emptyReadModel,
  ProjectionRunner,
  readSnapshot,
  writeSnapshot,
  type AppliedChange,
  type StoredSquadEvent,
} from '@squad/projections';
import type { Environment } from '../config/environment';
import { eventIdAt } from './store-identity';

/** Replaying a large store takes seconds; a start that takes longer than this has a problem. */
const STARTUP_CATCH_UP_LIMIT_MS = 10 * 60 * 1000;

/** Something that follows the read models as they change (live updates, the branches' memory). */
export interface ReadModelFollower {
  /** The read models have caught up with the store as it was at start; changes follow from `position`. */
  caughtUp?(position: number): void;
  /** One applied event after that, in position order, called right after it was applied. */
  changed?(change: AppliedChange): void;
  /** Every event after that, whatever its stream (a branch's, the branch registry's), once the read models passed it. */
  stored?(event: StoredSquadEvent): void;
}

/**
 * Owns the read models of this process: loads the last snapshot (the checkpoint), follows the
 * store from there, and writes a new snapshot when the service stops.
 */
@Injectable()
export class ReadModels implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('read-models');
  private runner: ProjectionRunner | undefined;
  private readonly followers: ReadModelFollower[] = [];
  /** Set once caught up at start: the replay of history is not news for followers. */
  private live = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  get projections(): ProjectionRunner {
    if (!this.runner) throw new Error('read models not started');
    return this.runner;
  }

  /** Registers a follower; call before the application bootstraps (e.g. in onModuleInit). */
  follow(follower: ReadModelFollower): void {
    this.followers.push(follower);
    if (this.live && this.runner) follower.caughtUp?.(this.runner.position);
  }

  async onApplicationBootstrap(): Promise<void> {
    const head = Number(await this.store.headPosition());
    const path = this.snapshotPath();
    const loaded = path ? await readSnapshot(path, (position) => eventIdAt(this.store, position)) : undefined;
    if (loaded?.damaged) {
      this.logger.warn({
        msg: 'read-model snapshot damaged: not used, rebuilding from the store',
        path,
        reason: loaded.reason,
      });
    }
    const model = loaded?.model ?? emptyReadModel();
    this.runner = new ProjectionRunner(this.store, model, {
      onError: (error, position) =>
        this.logger.error({ msg: 'projection failed on an event; skipped', position: Number(position), err: error }),
      onChange: (change) => {
        if (!this.live) return;
        for (const follower of this.followers) follower.changed?.(change);
      },
      onEvent: (event) => {
        if (!this.live) return;
        for (const follower of this.followers) follower.stored?.(event);
      },
    });
    const started = Date.now();
    this.runner.start();
    // serve only once caught up with what was stored at start
    if (!(await this.runner.whenCaughtUp(head, STARTUP_CATCH_UP_LIMIT_MS))) {
      throw new Error(
        `read models reached position ${this.runner.position} of ${head} within ${STARTUP_CATCH_UP_LIMIT_MS} ms`,
      );
    }
    // no await from here to the flag: every change after this position reaches the followers
    this.live = true;
    for (const follower of this.followers) follower.caughtUp?.(this.runner.position);
    this.logger.log({
      msg: 'read models caught up',
      from: loaded?.from ?? 'empty',
      ...(loaded?.reason ? { reason: loaded.reason } : {}),
      position: this.runner.position,
      ms: Date.now() - started,
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.runner) return;
    await this.runner.stop();
    const path = this.snapshotPath();
    if (path) {
      writeSnapshot(path, this.runner.model, await eventIdAt(this.store, this.runner.position));
      this.logger.log({ msg: 'read-model snapshot written', path, position: this.runner.position });
    }
  }

  private snapshotPath(): string | undefined {
    const path = this.config.get('READ_MODEL_SNAPSHOT_PATH', { infer: true });
    return path && path !== 'none' ? path : undefined;
  }
}
