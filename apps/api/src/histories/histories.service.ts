import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { branchLedgerStream, type Branch, type ForkAt } from '@squad/domain';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { BranchView, forkPointOf, readView, type ReadView } from '@squad/projections';
import { BranchRegistry, Ledger } from '@squad/reports';
import { readModelBehind, unknownBranch } from '../errors/application-error';
import { BranchOverlay } from './branch-overlay';
import { branchLedgerBase, FORK_WAIT_MS, whenForkReached } from './branch-ledger-base';
import { branchEventsPage, canonicalEventsPage, type EventsPage } from './history-events';
import { ReadModels } from './read-models.service';

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
 */
@Injectable()
export class Histories {
  private readonly registry: BranchRegistry;
  private readonly ledgers = new Map<string, Ledger>();
  private readonly overlays = new Map<string, BranchOverlay>();
  private readonly views = new Map<string, BranchView>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(Ledger) private readonly canonicalLedger: Ledger,
    private readonly readModels: ReadModels,
  ) {
    this.registry = new BranchRegistry(store);
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
    const branch = await this.branch(branchId);
    let ledger = this.ledgers.get(branchId);
    if (!ledger) {
      const base = branchLedgerBase(branch, this.readModels.projections, this.canonicalLedger);
      ledger = new Ledger(this.store, branchLedgerStream(branchId), base);
      this.ledgers.set(branchId, ledger);
    }
    return ledger;
  }

  /** A page of the history's events, in global order. */
  async events(branchId: string | undefined, after: number, limit: number): Promise<EventsPage & { branch?: Branch }> {
    if (branchId === undefined) return canonicalEventsPage(this.store, after, limit);
    const branch = await this.branch(branchId);
    return { branch, ...(await branchEventsPage(this.store, branch.id, forkPointOf(branch), after, limit)) };
  }

  async createBranch(name: string, forkAt: ForkAt): Promise<Branch> {
    const branch = await this.registry.create({
      branchId: newBranchId(name),
      name,
      forkAt,
      createdAt: new Date().toISOString(),
    });
    // so that the creator can read and write the branch at once
    await this.readModels.projections.whenCaughtUp(branch.createdPosition, FORK_WAIT_MS);
    return branch;
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

  listBranches(): Promise<Branch[]> {
    return this.registry.list();
  }

  /**
   * The branch, its own read model (the overlay, caught up with every write made to it so far)
   * and its view. 404 for an unknown branch, 503 while this instance has not reached its fork.
   */
  async openBranch(id: string): Promise<OpenedBranch> {
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
  }

  private forget(id: string): void {
    this.ledgers.delete(id);
    this.overlays.delete(id);
    this.views.delete(id);
  }
}

function newBranchId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${slug || 'branch'}-${randomBytes(4).toString('hex')}`;
}
