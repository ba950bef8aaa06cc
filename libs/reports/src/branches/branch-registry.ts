import { setTimeout as delay } from 'node:timers/promises';
import {
  BRANCH_EVENT_TYPES,
  BRANCHES_STREAM,
  CANONICAL_LEDGER_STREAM,
  decideCreateBranch,
  decideDeleteBranch,
  DomainError,
  evolveBranch,
  initialBranchState,
  type Branch,
  type BranchEvent,
  type BranchState,
  type ForkAt,
} from '@squad/domain';
import {
  type EventStore,
  EventStoreUnavailableError,
  type StoredEvent,
  StreamCatchUp,
  WrongExpectedRevisionError,
} from '@squad/event-store';
import { StreamCommandHandler } from '../command-handler';
import { branchEventId } from '../event-ids';

const BRANCH_TYPES = new Set<string>(BRANCH_EVENT_TYPES);

/** Caps on live (not deleted) branches, decided with the creation, against the registry at a known revision. */
export interface BranchLimits {
  /** Live branches one owner (`Branch.owner`) may hold. */
  readonly perOwner: number;
  /** Live branches in the store, every owner together (every instance on the store shares them). */
  readonly total: number;
}

/** A creation refused by a cap on live branches: nothing was written. */
export class BranchLimitError extends Error {
  constructor(
    /** Which cap: the owner's, or the store's. */
    readonly scope: 'owner' | 'total',
    readonly limit: number,
  ) {
    super(
      scope === 'owner'
        ? `This client already holds ${limit} branches, the most allowed; delete one (DELETE /v1/branches/{id}) to fork another`
        : `The store holds ${limit} branches, the most allowed; delete one (DELETE /v1/branches/{id}) to fork another`,
    );
    this.name = 'BranchLimitError';
  }
}

/**
 * A decision that kept losing races on the registry's stream to writers of other processes until
 * the registry's contention deadline: nothing was written, and the same request may be sent
 * again. An `EventStoreUnavailableError`, so it is answered 503 `EVENT_STORE_UNAVAILABLE`.
 */
export class BranchRegistryContentionError extends EventStoreUnavailableError {
  constructor(
    readonly waitedMs: number,
    readonly lastLostRace: WrongExpectedRevisionError,
  ) {
    super(
      `the branch registry's stream kept moving under other writers for ${waitedMs} ms, each decision losing ` +
        `its race (last: expected revision ${String(lastLostRace.expected)}, actual ${String(lastLostRace.actual)}); ` +
        'nothing was written, and the same request may be sent again',
    );
  }
}

export interface BranchRegistryOptions {
  /**
   * How long a creation or deletion may go on losing races to writers of other processes (each
   * lost race: catch up, decide again, append again), counted from its call: past it, it is
   * refused with `BranchRegistryContentionError`. Defaults to 30 s, as the ledger's. There is no
   * cap on the number of attempts.
   */
  readonly contentionDeadlineMs?: number;
}

/** A page of live branches, oldest first. */
export interface BranchPage {
  readonly branches: Branch[];
  /** The `after` of the next page (the creation position of this page's last branch); undefined: none follows. */
  readonly next: number | undefined;
}

/** Backoff between rounds of lost races: full jitter, doubling from this... */
const BACKOFF_BASE_MS = 5;
/** ...up to this. */
const BACKOFF_MAX_MS = 250;
const DEFAULT_CONTENTION_DEADLINE_MS = 30_000;

/**
 * The registry of what-if branches: `BranchCreated` / `BranchDeleted` events in one stream,
 * folded in memory (so it survives restarts and is shared by every instance on the store).
 * Like the ledger, it decides through the one write loop (`StreamCommandHandler`): against the
 * state at a known revision, appending with that revision. Reading it catches up with the stream first
 * (one indexed query when nothing is new), so a branch created through another instance is seen.
 *
 * Only live branches are held: a deleted one leaves nothing in memory (its events stay in the
 * store). So a deleted id is not remembered: ids are the service's choice, with 64 random bits
 * (see the API's `Histories`), and an id the store already holds a creation of is refused when
 * the store recognises that creation (SQLite, PostgreSQL).
 *
 * Decisions of one registry are taken one at a time (they never race each other); one that loses
 * a race to another process decides again, after a jittered backoff, until it is stored or its
 * contention deadline passes.
 */
export class BranchRegistry {
  /** Live branches by id, in creation order (the stream's). */
  private readonly live = new Map<string, Branch>();
  /** Live branches per owner (branches without one are counted in `live` only). */
  private readonly liveByOwner = new Map<string, number>();
  private readonly fold: StreamCatchUp;
  private readonly handler: StreamCommandHandler;
  private readonly contentionDeadlineMs: number;
  /** The last decision queued: the next one starts once it has settled. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    options: BranchRegistryOptions = {},
  ) {
    this.fold = new StreamCatchUp(store, BRANCHES_STREAM, (stored) => this.apply(stored));
    this.handler = new StreamCommandHandler(store, this.fold);
    this.contentionDeadlineMs = options.contentionDeadlineMs ?? DEFAULT_CONTENTION_DEADLINE_MS;
  }

  /**
   * Creates a branch. A fork at a position inside a report (whose claims are stored together)
   * is moved back to before that report: a branch sees canonical reports whole or not at all.
   * With `limits`, refused with `BranchLimitError` when the owner or the store already holds
   * as many live branches as allowed.
   */
  async create(
    command: { branchId: string; name: string; forkAt: ForkAt; createdAt: string; owner?: string },
    limits?: BranchLimits,
  ): Promise<Branch> {
    const forkAt =
      'storePosition' in command.forkAt
        ? { storePosition: await this.reportBoundaryAtOrBefore(command.forkAt.storePosition) }
        : command.forkAt;
    let headPosition = 0;
    await this.decideAndAppend(
      (state) => {
        if (limits) this.checkLimits(command.owner, limits);
        return decideCreateBranch({ ...command, forkAt, headPosition }, state(command.branchId));
      },
      {
        // read before the catch-up, so that nothing is awaited between it and the decision
        prepare: async () => {
          headPosition = Number(await this.store.headPosition());
        },
        mustBeNew: command.branchId,
      },
    );
    const created = this.live.get(command.branchId);
    if (!created) throw new Error(`branch ${command.branchId} was not folded after its creation`);
    return created;
  }

  async delete(command: { branchId: string; deletedAt: string }): Promise<void> {
    await this.decideAndAppend((state) => decideDeleteBranch(command, state(command.branchId)));
  }

  /** The branch if it exists and is not deleted. */
  async get(branchId: string): Promise<Branch | undefined> {
    await this.catchUp();
    return this.live.get(branchId);
  }

  /** Live branches created after store position `after`, oldest first, at most `limit`. */
  async page({ after = 0, limit }: { after?: number; limit: number }): Promise<BranchPage> {
    await this.catchUp();
    const branches: Branch[] = [];
    for (const branch of this.live.values()) {
      if (branch.createdPosition <= after) continue;
      if (branches.length === limit) return { branches, next: branches[branches.length - 1].createdPosition };
      branches.push(branch);
    }
    return { branches, next: undefined };
  }

  /** Live branches as folded so far: in all, and held by `owner`. */
  count(owner?: string): number {
    return owner === undefined ? this.live.size : (this.liveByOwner.get(owner) ?? 0);
  }

  /** What the registry holds in memory (live branches, owners counted): both 0 once every branch is deleted. */
  held(): { readonly branches: number; readonly owners: number } {
    return { branches: this.live.size, owners: this.liveByOwner.size };
  }

  catchUp(): Promise<void> {
    return this.fold.catchUp();
  }

  private checkLimits(owner: string | undefined, limits: BranchLimits): void {
    if (owner !== undefined && this.count(owner) >= limits.perOwner)
      throw new BranchLimitError('owner', limits.perOwner);
    if (this.live.size >= limits.total) throw new BranchLimitError('total', limits.total);
  }

  /** Queues the decision behind this registry's previous one, then decides and appends it. */
  private decideAndAppend(
    decide: (state: (branchId: string) => BranchState) => BranchEvent[],
    options: { prepare?: () => Promise<void>; mustBeNew?: string } = {},
  ): Promise<void> {
    const decision = this.queue.then(() => this.decideUntilStored(decide, options));
    this.queue = decision.catch(() => undefined);
    return decision;
  }

  /**
   * The one write loop, deciding again after every race lost to another process (the decision,
   * the caps included, is taken again against what that process appended) until it is stored
   * or the contention deadline passes.
   */
  private async decideUntilStored(
    decide: (state: (branchId: string) => BranchState) => BranchEvent[],
    { prepare, mustBeNew }: { prepare?: () => Promise<void>; mustBeNew?: string },
  ): Promise<void> {
    const since = Date.now();
    for (let lostRounds = 0; ; lostRounds++) {
      try {
        return await this.handler.handle(() => {
          const decidedAt = this.fold.revision;
          const events = decide((id) => {
            const branch = this.live.get(id);
            return branch ? { status: 'active', branch } : initialBranchState();
          });
          return {
            events: events.map((event) => ({
              id: branchEventId(event.data.branchId, event.type),
              type: event.type,
              data: event.data,
              metadata: {},
            })),
            answer: async (appended) => {
              // the store answered with an earlier append of the same event: this id was created before
              if (mustBeNew !== undefined && appended && appended.nextExpectedRevision <= decidedAt) {
                throw new DomainError(
                  'BRANCH_ID_TAKEN',
                  'conflict',
                  `A branch with id "${mustBeNew}" was created before`,
                  'id',
                );
              }
              // so that the caller reads its own write
              await this.catchUp();
            },
          };
        }, prepare);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        const waited = Date.now() - since;
        if (waited >= this.contentionDeadlineMs) throw new BranchRegistryContentionError(waited, error);
        await delay(Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** lostRounds));
      }
    }
  }

  private apply(stored: StoredEvent): void {
    if (!BRANCH_TYPES.has(stored.type)) return;
    const event = { type: stored.type, data: stored.data } as BranchEvent;
    const id = event.data.branchId;
    const before = this.live.get(id);
    const state = evolveBranch(
      before ? { status: 'active', branch: before } : initialBranchState(),
      event,
      Number(stored.position),
    );
    if (state.status === 'active' && !before) {
      this.live.set(id, state.branch);
      const { owner } = state.branch;
      if (owner !== undefined) this.liveByOwner.set(owner, (this.liveByOwner.get(owner) ?? 0) + 1);
    } else if (state.status === 'deleted' && before) {
      this.live.delete(id);
      const { owner } = before;
      if (owner === undefined) return;
      const left = (this.liveByOwner.get(owner) ?? 1) - 1;
      if (left > 0) this.liveByOwner.set(owner, left);
      else this.liveByOwner.delete(owner);
    }
  }

  /**
   * `position`, or the position just before the canonical report it falls inside. Reads the one
   * event after `position`: when it is a claim of canonical history other than a report's first,
   * the report began at or before `position`, and the fork moves before its first claim.
   */
  private async reportBoundaryAtOrBefore(position: number): Promise<number> {
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new RangeError(`forkAt.storePosition must be a whole number, 0 or more; got ${position}`);
    }
    for await (const next of this.store.readAll({ fromPosition: BigInt(position) + 1n, maxCount: 1 })) {
      const claimIndex = (next.metadata as { claimIndex?: unknown }).claimIndex;
      if (next.stream !== CANONICAL_LEDGER_STREAM || typeof claimIndex !== 'number' || claimIndex === 0)
        return position;
      const [first] = await this.store.readStream(CANONICAL_LEDGER_STREAM, {
        fromRevision: next.revision - BigInt(claimIndex),
        maxCount: 1,
      });
      return first ? Number(first.position) - 1 : position;
    }
    return position;
  }
}
