import type { Branch } from '@squad/domain';
import { forkDecisionContext, forkPointOf, type ProjectionRunner } from '@squad/projections';
import type { Ledger, LedgerBase } from '@squad/reports';
import { readModelBehind } from '../errors/application-error';

/** How long a branch write waits for the read models to reach its fork (another instance created it). */
export const FORK_WAIT_MS = 5000;

/**
 * What a branch's ledger starts from: canonical history as of the fork. Player registrations and
 * the claims about a club and a player are answered from the canonical read model's histories of
 * the players a report names (see `forkDecisionContext`): nothing is folded or copied when the
 * branch is created. Report ids and their content hashes come from the canonical ledger, which
 * holds them anyway.
 */
export function branchLedgerBase(branch: Branch, projections: ProjectionRunner, canonical: Ledger): LedgerBase {
  const context = forkDecisionContext(projections.model, forkPointOf(branch), (reportId) =>
    canonical.reportHash(reportId),
  );
  return {
    report: (reportId) => context.report(reportId),
    player: (player) => context.player(player),
    clubPlayerClaims: (club, player) => context.clubPlayerClaims(club, player),
    clubStaff: (club) => context.clubStaff(club),
    async ready() {
      await whenForkReached(projections, branch);
      await canonical.catchUp();
    },
    eventsOf: (reportId) => canonical.eventsOf(reportId),
  };
}

/** Waits until this instance's read models reached the branch's fork; 503 after a while. */
export async function whenForkReached(projections: ProjectionRunner, branch: Branch): Promise<void> {
  if (!(await projections.whenCaughtUp(branch.createdPosition, FORK_WAIT_MS))) {
    throw readModelBehind(projections.position, `the fork of branch ${branch.id} (${branch.createdPosition})`);
  }
}
