import {
  BRANCH_EVENT_TYPES,
  BRANCHES_STREAM,
  CANONICAL_LEDGER_STREAM,
  decideCreateBranch,
  decideDeleteBranch,
  evolveBranch,
  initialBranchState,
  type Branch,
  type BranchEvent,
  type BranchState,
  type ForkAt,
} from '@squad/domain';
import { type EventStore, type StoredEvent, StreamCatchUp } from '@squad/event-store';
import { StreamCommandHandler } from '../command-handler';
import { branchEventId } from '../event-ids';

const BRANCH_TYPES = new Set<string>(BRANCH_EVENT_TYPES);

/**
 * The registry of what-if branches: `BranchCreated` / `BranchDeleted` events in one stream,
 * folded in memory (so it survives restarts and is shared by every instance on the store).
 * Like the ledger, it decides through the one write loop (`StreamCommandHandler`): against the
 * state at a known revision, appending with that revision. Reading it catches up with the stream first
 * (one indexed query when nothing is new), so a branch created through another instance is seen.
 */
export class BranchRegistry {
  private readonly states = new Map<string, BranchState>();
  private readonly fold: StreamCatchUp;
  private readonly handler: StreamCommandHandler;

  constructor(private readonly store: EventStore) {
    this.fold = new StreamCatchUp(store, BRANCHES_STREAM, (stored) => this.apply(stored));
    this.handler = new StreamCommandHandler(store, this.fold);
  }

  /**
   * Creates a branch. A fork at a position inside a report (whose claims are stored together)
   * is moved back to before that report: a branch sees canonical reports whole or not at all.
   */
  async create(command: { branchId: string; name: string; forkAt: ForkAt; createdAt: string }): Promise<Branch> {
    const forkAt =
      'storePosition' in command.forkAt
        ? { storePosition: await this.reportBoundaryAtOrBefore(command.forkAt.storePosition) }
        : command.forkAt;
    await this.decideAndAppend(async (state) =>
      decideCreateBranch(
        { ...command, forkAt, headPosition: Number(await this.store.headPosition()) },
        state(command.branchId),
      ),
    );
    const created = this.states.get(command.branchId);
    if (created?.status !== 'active') throw new Error(`branch ${command.branchId} was not folded after its creation`);
    return created.branch;
  }

  async delete(command: { branchId: string; deletedAt: string }): Promise<void> {
    await this.decideAndAppend((state) => decideDeleteBranch(command, state(command.branchId)));
  }

  /** The branch if it exists and is not deleted. */
  async get(branchId: string): Promise<Branch | undefined> {
    await this.catchUp();
    const state = this.states.get(branchId);
    return state?.status === 'active' ? state.branch : undefined;
  }

  /** Every branch not deleted, oldest first. */
  async list(): Promise<Branch[]> {
    await this.catchUp();
    const branches: Branch[] = [];
    for (const state of this.states.values()) if (state.status === 'active') branches.push(state.branch);
    return branches.sort((a, b) => a.createdPosition - b.createdPosition);
  }

  /** Ids of deleted branches, as folded so far. */
  isDeleted(branchId: string): boolean {
    return this.states.get(branchId)?.status === 'deleted';
  }

  catchUp(): Promise<void> {
    return this.fold.catchUp();
  }

  private decideAndAppend(
    decide: (state: (branchId: string) => BranchState) => BranchEvent[] | Promise<BranchEvent[]>,
  ): Promise<void> {
    return this.handler.handle(async () => {
      const events = await decide((id) => this.states.get(id) ?? initialBranchState());
      return {
        events: events.map((event) => ({
          id: branchEventId(event.data.branchId, event.type),
          type: event.type,
          data: event.data,
          metadata: {},
        })),
        // so that the caller reads its own write
        answer: () => this.catchUp(),
      };
    });
  }

  private apply(stored: StoredEvent): void {
    if (!BRANCH_TYPES.has(stored.type)) return;
    const event = { type: stored.type, data: stored.data } as BranchEvent;
    const id = event.data.branchId;
    this.states.set(id, evolveBranch(this.states.get(id) ?? initialBranchState(), event, Number(stored.position)));
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
