import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, randomBytes } from 'node:crypto';
import { BRANCHES_STREAM, branchLedgerStream, DomainError, type Branch, type ForkAt } from '@squad/domain';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { BranchView, forkPointOf, readView, type ReadView, type StoredSquadEvent } from '@squad/projections';
import { BranchLimitError, BranchRegistry, Ledger, type BranchLimits, type BranchPage } from '@squad/reports';
import type { Environment } from '../config/environment';
import { ApplicationError, readModelBehind, unknownBranch } from '../errors/application-error';
import { BranchOverlay } from './branch-overlay';
import { branchLedgerBase, FORK_WAIT_MS, whenForkReached } from './branch-ledger-base';
import { branchEventsPage, canonicalEventsPage, type EventsPage } from './history-events';
import { ReadModels, type ReadModelFollower } from './read-models.service';

/** How long a read waits for this instance's read models to reach a position a client asks for. */
export const READ_YOUR_WRITES_TIMEOUT_MS = 5000;

/** A history as a request reads it: canonical history, or one what-if branch with every write made to it so far. */
export interface History {
  /** The branch read (undefined: canonical history). */
  readonly branch: Branch | undefined;
  /** What the queries read. */
  readonly view: ReadView;
}

/** A branch opened for live updates: its view and its own read model (whose changes a feed follows). */
export interface OpenedBranch extends History {
  readonly branch: Branch;
  readonly overlay: BranchOverlay;
  readonly view: BranchView;
}

/**
 * The one place that resolves "canonical history, or branch X" into what the features need: its
 * view for reads, its ledger for writes, its events, its own read model for live updates. Every
 * feature asks here, so none knows how branches are stored, forked or seen.
 *
 * Branches live in the registry (event-sourced, shared through the store); each branch has a
 * ledger for its writes (its own stream and expected revision), an overlay (its own read model)
 * and a view (canonical history at the fork with the overlay laid over it). Creating a branch
 * appends one event; nothing is copied or folded.
 *
 * What a branch holds in memory (its ledger, overlay and view here, its state in the registry) is
 * let go when it is deleted: at once on the instance that deletes it, and on every other instance
 * when its read models pass the `BranchDeleted` event.
 */
@Injectable()
export class Histories implements OnModuleInit, ReadModelFollower {
  private readonly registry: BranchRegistry;
  private readonly ledgers = new Map<string, Ledger>();
  private readonly overlays = new Map<string, BranchOverlay>();
  private readonly views = new Map<string, BranchView>();
  /** Branches being opened (see `whileOpening`): how many times each, and those deleted meanwhile. */
  private readonly opening = new Map<string, number>();
  private readonly deletedWhileOpening = new Set<string>();
  private readonly limits: BranchLimits;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(Ledger) private readonly canonicalLedger: Ledger,
    private readonly readModels: ReadModels,
    config: ConfigService<Environment, true>,
  ) {
    this.registry = new BranchRegistry(store);
    this.limits = {
      perOwner: config.get('BRANCH_MAX_PER_CLIENT', { infer: true }),
      total: config.get('BRANCH_MAX_TOTAL', { infer: true }),
    };
  }

  onModuleInit(): void {
    this.readModels.follow(this);
  }

  /** A branch deleted through another instance: what this one holds of it goes. */
  stored(event: StoredSquadEvent): void {
    if (event.stream !== BRANCHES_STREAM || event.type !== 'BranchDeleted') return;
    const id = (event.data as { branchId: string }).branchId;
    this.forget(id);
    if (this.opening.has(id)) this.deletedWhileOpening.add(id);
  }

  /** Canonical history, as this instance's read models hold it now. */
  canonical(): History {
    return { branch: undefined, view: readView(this.readModels.projections.model) };
  }

  /** Canonical history (no id) or the branch, caught up with every write made to it: 404 for an unknown branch. */
  async resolve(branchId: string | undefined): Promise<History> {
    return branchId === undefined ? this.canonical() : this.openBranch(branchId);
  }

  /** Waits until this instance's read models reflect `position` (read-your-writes); 503 after a while. */
  async reach(position: number | undefined, extensions: (reached: number) => Record<string, unknown>): Promise<void> {
    const projections = this.readModels.projections;
    if (position === undefined || position <= projections.position) return;
    if (!(await projections.whenCaughtUp(position, READ_YOUR_WRITES_TIMEOUT_MS))) {
      throw readModelBehind(projections.position, String(position), extensions(projections.position));
    }
  }

  /** Where a report goes: canonical history's ledger, or the branch's. */
  async ledger(branchId: string | undefined): Promise<Ledger> {
    if (branchId === undefined) return this.canonicalLedger;
    return this.whileOpening(branchId, async () => {
      const branch = await this.branch(branchId);
      let ledger = this.ledgers.get(branchId);
      if (!ledger) {
        const base = branchLedgerBase(branch, this.readModels.projections, this.canonicalLedger);
        ledger = new Ledger(this.store, branchLedgerStream(branchId), base);
        this.ledgers.set(branchId, ledger);
      }
      return ledger;
    });
  }

  /** A page of the history's events, in global order. */
  async events(branchId: string | undefined, after: number, limit: number): Promise<EventsPage & { branch?: Branch }> {
    if (branchId === undefined) return canonicalEventsPage(this.store, after, limit);
    const branch = await this.branch(branchId);
    return { branch, ...(await branchEventsPage(this.store, branch.id, forkPointOf(branch), after, limit)) };
  }

  /**
   * Forks a branch for `client` (see `clientOf`): 429 `BRANCH_LIMIT` when the client already
   * holds BRANCH_MAX_PER_CLIENT live branches, 429 `BRANCH_CAPACITY` when the store holds
   * BRANCH_MAX_TOTAL. Both are counted from the registry (the store), so a restart or another
   * instance counts the same.
   */
  async createBranch(name: string, forkAt: ForkAt, client: string): Promise<Branch> {
    const branch = await this.createWithFreshId(name, forkAt, ownerOf(client));
    // so that the creator can read and write the branch at once
    await this.readModels.projections.whenCaughtUp(branch.createdPosition, FORK_WAIT_MS);
    return branch;
  }

  private async createWithFreshId(name: string, forkAt: ForkAt, owner: string): Promise<Branch> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.registry.create(
          { branchId: newBranchId(name), name, forkAt, createdAt: new Date().toISOString(), owner },
          this.limits,
        );
      } catch (error) {
        if (error instanceof BranchLimitError) throw branchLimit(error);
        // the id is ours to choose: one already used is chosen again, never the client's problem
        if (error instanceof DomainError && error.code === 'BRANCH_ID_TAKEN' && attempt < 3) continue;
        throw error;
      }
    }
  }

  async deleteBranch(id: string): Promise<void> {
    await this.registry.delete({ branchId: id, deletedAt: new Date().toISOString() });
    this.forget(id);
  }

  /** The branch, or 404. */
  async branch(id: string): Promise<Branch> {
    const branch = await this.registry.get(id);
    if (!branch) {
      this.forget(id);
      throw unknownBranch(id);
    }
    return branch;
  }

  /** Live branches created after store position `after`, oldest first, at most `limit`. */
  listBranches(after: number, limit: number): Promise<BranchPage> {
    return this.registry.page({ after, limit });
  }

  /**
   * What this instance holds in memory for branches: live branches and owners in the registry,
   * and the branches opened here (ledgers, overlays, views). All 0 once every branch is deleted.
   */
  held(): { branches: number; owners: number; ledgers: number; overlays: number; views: number; opening: number } {
    return {
      ...this.registry.held(),
      ledgers: this.ledgers.size,
      overlays: this.overlays.size,
      views: this.views.size,
      opening: this.opening.size + this.deletedWhileOpening.size,
    };
  }

  /**
   * The branch, its own read model (the overlay, caught up with every write made to it so far)
   * and its view. 404 for an unknown branch, 503 while this instance has not reached its fork.
   */
  openBranch(id: string): Promise<OpenedBranch> {
    return this.whileOpening(id, async () => {
      const branch = await this.branch(id);
      const projections = this.readModels.projections;
      await whenForkReached(projections, branch);
      let overlay = this.overlays.get(id);
      if (!overlay) this.overlays.set(id, (overlay = new BranchOverlay(this.store, branchLedgerStream(id))));
      await overlay.catchUp();
      let view = this.views.get(id);
      if (!view)
        this.views.set(
          id,
          (view = new BranchView(projections.model, forkPointOf(branch), overlay.model, { branch: id })),
        );
      return { branch, overlay, view };
    });
  }

  /**
   * Opens what a branch keeps here (`open` may await: the registry, the fork, the branch's
   * stream). A deletion told meanwhile (`stored`) would find nothing to let go yet, so it is
   * noted for the ids being opened, and what `open` kept is let go once it is done (404).
   */
  private async whileOpening<T>(id: string, open: () => Promise<T>): Promise<T> {
    this.opening.set(id, (this.opening.get(id) ?? 0) + 1);
    try {
      const opened = await open();
      if (this.deletedWhileOpening.has(id)) {
        this.forget(id);
        throw unknownBranch(id);
      }
      return opened;
    } finally {
      const left = (this.opening.get(id) ?? 1) - 1;
      if (left > 0) this.opening.set(id, left);
      else {
        this.opening.delete(id);
        this.deletedWhileOpening.delete(id);
      }
    }
  }

  private forget(id: string): void {
    this.ledgers.delete(id);
    this.overlays.delete(id);
    this.views.delete(id);
  }
}

/** The client as a branch's owner is stored: a digest, so no address is kept in clear in a store that never forgets. */
function ownerOf(client: string): string {
  return createHash('sha256').update(client).digest('hex').slice(0, 32);
}

function branchLimit(error: BranchLimitError): ApplicationError {
  return new ApplicationError(error.scope === 'owner' ? 'BRANCH_LIMIT' : 'BRANCH_CAPACITY', 'limit', error.message, {
    extensions: { limit: error.limit },
  });
}

/**
 * A slug of the name and 64 random bits. The registry keeps no trace of deleted branches, so an
 * id must not come back: at 64 bits it does not (and the store refuses a creation it holds already).
 */
function newBranchId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${slug || 'branch'}-${randomBytes(8).toString('hex')}`;
}
