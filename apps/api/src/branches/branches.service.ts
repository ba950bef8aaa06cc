import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { branchLedgerStream, type Branch, type ForkAt } from '@squad/domain';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { BranchView, forkPointOf } from '@squad/projections';
import { BranchRegistry, Ledger } from '@squad/reports';
import { invalidRequest, ProblemException } from '../http/problem-details';
import { ReadModels } from '../read-models/read-models.service';
import { BranchOverlay } from './branch-overlay';
import { branchLedgerBase } from './branch-ledger-base';

/** Branch ids: a slug of the name and a random suffix, e.g. `balerdi-signs-3f9a2c1d`. */
export const BRANCH_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_BRANCH_ID_LENGTH = 80;
/** How long a read waits for the read models to reach a branch's fork (created through another instance). */
const FORK_WAIT_MS = 5000;

/**
 * What-if branches in this process: the registry (event-sourced, shared through the store), a
 * ledger per branch for its writes (its own stream, its own expected revision) and a view per
 * branch for its reads (canonical history at the fork, with the branch's own read model laid
 * over it). Creating a branch appends one event; nothing is copied or folded.
 */
@Injectable()
export class Branches {
  readonly registry: BranchRegistry;
  private readonly ledgers = new Map<string, Ledger>();
  private readonly overlays = new Map<string, BranchOverlay>();
  private readonly views = new Map<string, BranchView>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(Ledger) private readonly canonical: Ledger,
    private readonly readModels: ReadModels,
  ) {
    this.registry = new BranchRegistry(store);
  }

  async create(name: string, forkAt: ForkAt): Promise<Branch> {
    const branch = await this.registry.create({ branchId: newBranchId(name), name, forkAt, createdAt: new Date().toISOString() });
    // so that the creator can read and write the branch at once
    await this.readModels.projections.whenCaughtUp(branch.createdPosition, FORK_WAIT_MS);
    return branch;
  }

  async delete(id: string): Promise<void> {
    assertBranchId(id);
    await this.registry.delete({ branchId: id, deletedAt: new Date().toISOString() });
    this.forget(id);
  }

  /** The branch, or 404 (400 for an id that cannot be one). */
  async get(id: string): Promise<Branch> {
    assertBranchId(id);
    const branch = await this.registry.get(id);
    if (!branch) {
      this.forget(id);
      throw new ProblemException({ status: 404, code: 'UNKNOWN_BRANCH', detail: `There is no branch "${id}"`, errors: [{ field: 'branch', reason: 'unknown branch' }] });
    }
    return branch;
  }

  list(): Promise<Branch[]> {
    return this.registry.list();
  }

  /** The branch's ledger: its reports, decided against canonical history at the fork plus its own. */
  async ledger(id: string): Promise<Ledger> {
    const branch = await this.get(id);
    let ledger = this.ledgers.get(id);
    if (!ledger) {
      ledger = new Ledger(this.store, branchLedgerStream(id), branchLedgerBase(branch, this.readModels.projections, this.canonical));
      this.ledgers.set(id, ledger);
    }
    return ledger;
  }

  /** The branch as the queries read it, with every write made to it so far. */
  async view(id: string): Promise<BranchView> {
    return (await this.opened(id)).view;
  }

  /**
   * The branch, its own read model (the overlay, caught up with every write made to it so far)
   * and its view: what live updates of the branch follow. 400 / 404 as `get`.
   */
  async opened(id: string): Promise<{ branch: Branch; overlay: BranchOverlay; view: BranchView }> {
    const branch = await this.get(id);
    const projections = this.readModels.projections;
    if (!(await projections.whenCaughtUp(branch.createdPosition, FORK_WAIT_MS))) {
      throw new ProblemException({
        status: 503,
        code: 'READ_MODEL_BEHIND',
        detail: `The read models have reached position ${projections.position}, not yet the fork of branch ${id} (${branch.createdPosition}); retry shortly`,
      });
    }
    let overlay = this.overlays.get(id);
    if (!overlay) this.overlays.set(id, (overlay = new BranchOverlay(this.store, branchLedgerStream(id))));
    await overlay.catchUp();
    let view = this.views.get(id);
    if (!view) this.views.set(id, (view = new BranchView(projections.model, forkPointOf(branch), overlay.model, { branch: id })));
    return { branch, overlay, view };
  }

  private forget(id: string): void {
    this.ledgers.delete(id);
    this.overlays.delete(id);
    this.views.delete(id);
  }
}

export function assertBranchId(id: string, field = 'branch'): void {
  if (id.length > MAX_BRANCH_ID_LENGTH || !BRANCH_ID.test(id)) {
    throw invalidRequest([{ field, reason: `${field} must be a branch id (a lower-case slug such as "balerdi-signs-3f9a2c1d")` }]);
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

/** A branch as the API shows it. */
export function branchView(branch: Branch) {
  return {
    id: branch.id,
    name: branch.name,
    forkAt: branch.forkAt,
    createdAt: branch.createdAt,
    createdPosition: branch.createdPosition,
    stream: branchLedgerStream(branch.id),
  };
}
