import type { Branch } from '@squad/domain';
import { forkDecisionContext, forkPointOf, type ProjectionRunner } from '@squad/projections';
import type { Ledger, LedgerBase } from '@squad/reports';
import { ProblemException } from '../http/problem-details';

/** How long a branch write waits for the read models to reach its fork (another instance created it). */
const FORK_WAIT_MS = 5000;

/**
 * What a branch's ledger starts from: canonical history as of the fork. Player registrations and
 * pursuits are answered from the canonical read model's histories of the players a report names
 * (see `forkDecisionContext`): nothing is folded or copied when the branch is created. Report
 * ids and their content hashes come from the canonical ledger, which holds them anyway.
 */
export function branchLedgerBase(branch: Branch, projections: ProjectionRunner, canonical: Ledger): LedgerBase {
  const context = forkDecisionContext(projections.model, forkPointOf(branch), (reportId) => canonical.reportHash(reportId));
  return {
    report: (reportId) => context.report(reportId),
    player: (player) => context.player(player),
    clubPlayerClaims: (club, player) => context.clubPlayerClaims(club, player),
    async ready() {
      if (!(await projections.whenCaughtUp(branch.createdPosition, FORK_WAIT_MS))) {
        throw new ProblemException({
          status: 503,
          code: 'READ_MODEL_BEHIND',
          detail: `The read models have reached position ${projections.position}, not yet the fork of branch ${branch.id} (${branch.createdPosition}); retry shortly`,
        });
      }
      await canonical.catchUp();
    },
    eventsOf: (reportId) => canonical.eventsOf(reportId),
  };
}
