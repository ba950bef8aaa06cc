/**
 * Where reports are recorded. Canonical history is one stream; every what-if branch has a stream
 * of its own, so nothing written to a branch can appear in canonical history or in another branch,
 * and each stream's expected revision guards only its own writers.
 */
export const CANONICAL_LEDGER_STREAM = 'ledger-main';

/** The registry of what-if branches: `BranchCreated` and `BranchDeleted` events. */
export const BRANCHES_STREAM = 'branches';

const BRANCH_STREAM_PREFIX = 'ledger-branch-';

/** `ledger-branch-<id>`: the reports written to one branch. */
export const branchLedgerStream = (branchId: string): string => `${BRANCH_STREAM_PREFIX}${branchId}`;

/** The branch a stream belongs to (undefined for canonical and other streams). */
export function branchOfStream(stream: string): string | undefined {
  return stream.startsWith(BRANCH_STREAM_PREFIX) ? stream.slice(BRANCH_STREAM_PREFIX.length) : undefined;
}
