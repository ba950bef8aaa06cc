import {
  decideCreateBranch,
  decideDeleteBranch,
  DomainError,
  evolveBranch,
  initialBranchState,
  type BranchEvent,
  type BranchState,
} from '@squad/domain';

const created = (branchId: string, position = 10): BranchEvent => ({
  type: 'BranchCreated',
  data: { branchId, name: branchId, forkAt: { storePosition: position }, createdAt: '2025-07-01T00:00:00.000Z' },
});
const given = (events: [BranchEvent, number][]): BranchState =>
  events.reduce((state, [event, position]) => evolveBranch(state, event, position), initialBranchState());
const refusal = (decide: () => unknown) => {
  try {
    decide();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('what-if branches (registry)', () => {
  it('reads a BranchCreated recorded before API version 2 (forkAt.position) as forkAt.storePosition', () => {
    const old = {
      type: 'BranchCreated',
      data: { branchId: 'old', name: 'Old', forkAt: { position: 7 }, createdAt: '2025-07-01T00:00:00.000Z' },
    } as unknown as BranchEvent;
    const state = given([[old, 9]]);
    expect(state).toMatchObject({ status: 'active', branch: { forkAt: { storePosition: 7 }, createdPosition: 9 } });
  });

  const create = {
    branchId: 'what-if-1',
    name: 'What if',
    forkAt: { storePosition: 12 },
    createdAt: '2025-07-01T00:00:00.000Z',
    headPosition: 40,
  };

  it('creates a branch once, remembering where its creation was stored', () => {
    expect(decideCreateBranch(create, initialBranchState())).toEqual([
      {
        type: 'BranchCreated',
        data: { branchId: 'what-if-1', name: 'What if', forkAt: { storePosition: 12 }, createdAt: create.createdAt },
      },
    ]);
    const state = given([[created('what-if-1', 12), 41]]);
    expect(state).toEqual({
      status: 'active',
      branch: {
        id: 'what-if-1',
        name: 'what-if-1',
        forkAt: { storePosition: 12 },
        createdAt: create.createdAt,
        createdPosition: 41,
      },
    });
    expect(refusal(() => decideCreateBranch(create, state))).toMatchObject({
      code: 'BRANCH_ID_TAKEN',
      kind: 'conflict',
    });
    // a redelivered creation changes nothing
    expect(evolveBranch(state, created('what-if-1', 99), 77)).toBe(state);
  });

  it('refuses a fork point ahead of the store', () => {
    expect(
      refusal(() => decideCreateBranch({ ...create, forkAt: { storePosition: 41 } }, initialBranchState())),
    ).toMatchObject({ code: 'FORK_AHEAD_OF_HISTORY', field: 'forkAt.storePosition' });
    expect(decideCreateBranch({ ...create, forkAt: { knownAt: '2030-01-01' } }, initialBranchState())).toHaveLength(1);
  });

  it('deletes an active branch, once', () => {
    const active = given([[created('b'), 11]]);
    const deletion = decideDeleteBranch({ branchId: 'b', deletedAt: 'now' }, active);
    expect(deletion).toEqual([{ type: 'BranchDeleted', data: { branchId: 'b', deletedAt: 'now' } }]);
    const deleted = evolveBranch(active, deletion[0], 12);
    expect(deleted.status).toBe('deleted');
    expect(refusal(() => decideDeleteBranch({ branchId: 'b', deletedAt: 'later' }, deleted))).toMatchObject({
      code: 'UNKNOWN_BRANCH',
      kind: 'not-found',
    });
    expect(refusal(() => decideDeleteBranch({ branchId: 'x', deletedAt: 'now' }, initialBranchState()))).toMatchObject({
      code: 'UNKNOWN_BRANCH',
    });
    // and a deleted id is never created again
    expect(refusal(() => decideCreateBranch({ ...create, branchId: 'b' }, deleted))).toMatchObject({
      code: 'BRANCH_ID_TAKEN',
    });
  });
});
