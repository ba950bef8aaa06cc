import type { AllSubscription, EventStore } from '@squad/event-store';
import { applyEvent, type AppliedChange, type SquadReadModel, type StoredSquadEvent } from './squad-read-model';

export interface ProjectionRunnerOptions {
  /** Told of every applied change, in position order (live views subscribe here). */
  readonly onChange?: (change: AppliedChange) => void;
  /**
   * Told of every event the subscription delivers once the model has passed it, its own or
   * foreign (a branch's report, the branch registry's), in position order.
   */
  readonly onEvent?: (event: StoredSquadEvent) => void;
  /** Told of an event the projections failed on; the runner logs it and goes on. */
  readonly onError?: (error: unknown, position: bigint) => void;
}

/**
 * Feeds the read model from the store's `$all` subscription, starting after the model's own
 * checkpoint (its position), and lets readers wait until a position has been applied
 * (read-your-writes). Redelivered events are ignored by `applyEvent`.
 */
export class ProjectionRunner {
  private subscription: AllSubscription | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private waiters: { position: number; resolve: (reached: boolean) => void }[] = [];

  constructor(
    private readonly store: EventStore,
    readonly model: SquadReadModel,
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  get position(): number {
    return this.model.position;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.follow();
  }

  /** Follows the store; when the subscription fails (the store went away), resubscribes from the checkpoint. */
  private async follow(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const subscription = this.store.subscribeToAll({ fromPosition: BigInt(this.model.position) });
      this.subscription = subscription;
      try {
        for await (const event of subscription) {
          failures = 0;
          let change: AppliedChange | undefined;
          try {
            change = applyEvent(this.model, event);
          } catch (error) {
            // a bug or a malformed event must not stall every read model behind it
            this.model.position = Math.max(this.model.position, Number(event.position));
            this.options.onError?.(error, event.position);
          }
          if (change) this.options.onChange?.(change);
          this.options.onEvent?.(event);
          this.release();
        }
      } catch (error) {
        if (this.stopping) return;
        this.options.onError?.(error, BigInt(this.model.position));
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** failures++, 5000)));
      }
    }
  }

  /**
   * Resolves true once the model has applied `position`, or false after `timeoutMs`.
   */
  whenCaughtUp(position: number | bigint, timeoutMs: number): Promise<boolean> {
    const target = Number(position);
    if (this.model.position >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position: target,
        resolve: (reached: boolean) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
    await this.loop;
    this.loop = undefined;
    this.subscription = undefined;
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters = [];
  }

  private release(): void {
    if (this.waiters.length === 0) return;
    const reached = this.waiters.filter((w) => w.position <= this.model.position);
    if (reached.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.position > this.model.position);
    for (const waiter of reached) waiter.resolve(true);
  }
}
