import type { IsoDate } from './claims';
import { DomainError } from './errors';
import { assertNever } from './assert-never';

/**
 * What-if branches. A branch sees canonical history up to its fork point and its own reports
 * after it. The registry of branches is event-sourced like everything else: `BranchCreated` and
 * `BranchDeleted` in one stream, folded in memory.
 */

/** Where a branch leaves canonical history: a store position, or a record-time day. */
export type ForkAt = { readonly storePosition: number } | { readonly knownAt: IsoDate };

/** `BranchCreated` events recorded before API version 2 named the store position `position`: read as the current shape. */
function upcastForkAt(forkAt: ForkAt | { readonly position: number }): ForkAt {
  return 'position' in forkAt ? { storePosition: forkAt.position } : forkAt;
}

export type BranchEvent =
  | {
      readonly type: 'BranchCreated';
      readonly data: {
        readonly branchId: string;
        readonly name: string;
        readonly forkAt: ForkAt;
        readonly createdAt: string;
        /** Who created it, for the per-client cap (absent on branches created before API version 2.4). */
        readonly owner?: string;
      };
    }
  | { readonly type: 'BranchDeleted'; readonly data: { readonly branchId: string; readonly deletedAt: string } };

export const BRANCH_EVENT_TYPES = ['BranchCreated', 'BranchDeleted'] as const;

export interface Branch {
  readonly id: string;
  readonly name: string;
  readonly forkAt: ForkAt;
  readonly createdAt: string;
  /**
   * Store position of the branch's `BranchCreated` event. Canonical history the branch sees ends
   * there whatever the fork point: a report recorded later in canonical history, even one
   * published before a `knownAt` fork, is not part of the branch (its reports were decided
   * without it, so it could break the branch's invariants).
   */
  readonly createdPosition: number;
  /**
   * Who created it (a digest of the client: see the branch registry), counted by the per-client
   * cap on live branches; absent on branches created before API version 2.4.
   */
  readonly owner?: string;
}

export type BranchState =
  | { readonly status: 'unknown' }
  | { readonly status: 'active'; readonly branch: Branch }
  | { readonly status: 'deleted'; readonly branch: Branch };

export const initialBranchState = (): BranchState => ({ status: 'unknown' });

/** `position` is where the store put the event (a branch's creation position bounds what it sees). */
export function evolveBranch(state: BranchState, event: BranchEvent, position: number): BranchState {
  switch (event.type) {
    case 'BranchCreated': {
      if (state.status !== 'unknown') return state; // an id is created once
      const { branchId, name, forkAt, createdAt, owner } = event.data;
      return {
        status: 'active',
        branch: {
          id: branchId,
          name,
          forkAt: upcastForkAt(forkAt),
          createdAt,
          createdPosition: position,
          ...(owner === undefined ? {} : { owner }),
        },
      };
    }
    case 'BranchDeleted':
      return state.status === 'active' ? { status: 'deleted', branch: state.branch } : state;
    default:
      return assertNever(event);
  }
}

export interface CreateBranch {
  /** Chosen by the caller (ids and clocks come in with the command). */
  readonly branchId: string;
  readonly name: string;
  readonly forkAt: ForkAt;
  readonly createdAt: string;
  /** Who asks (see `Branch.owner`). */
  readonly owner?: string;
  /** The store's head position when deciding: a fork point cannot be ahead of history. */
  readonly headPosition: number;
}

export function decideCreateBranch(command: CreateBranch, state: BranchState): BranchEvent[] {
  if (state.status !== 'unknown') {
    throw new DomainError('BRANCH_ID_TAKEN', 'conflict', `A branch with id "${command.branchId}" already exists`, 'id');
  }
  if ('storePosition' in command.forkAt && command.forkAt.storePosition > command.headPosition) {
    throw new DomainError(
      'FORK_AHEAD_OF_HISTORY',
      'invalid',
      `forkAt.storePosition ${command.forkAt.storePosition} is ahead of the store's head position ${command.headPosition}`,
      'forkAt.storePosition',
    );
  }
  const { branchId, name, forkAt, createdAt, owner } = command;
  return [
    { type: 'BranchCreated', data: { branchId, name, forkAt, createdAt, ...(owner === undefined ? {} : { owner }) } },
  ];
}

export interface DeleteBranch {
  readonly branchId: string;
  readonly deletedAt: string;
}

export function decideDeleteBranch(command: DeleteBranch, state: BranchState): BranchEvent[] {
  if (state.status !== 'active') {
    throw new DomainError('UNKNOWN_BRANCH', 'not-found', `There is no branch "${command.branchId}"`, 'id');
  }
  return [{ type: 'BranchDeleted', data: { branchId: command.branchId, deletedAt: command.deletedAt } }];
}
