import {
  clubPlayerSubjectOf,
  evolveClubPlayerClaims,
  evolveClubStaff,
  evolvePlayer,
  initialClubPlayerClaims,
  initialClubStaff,
  initialPlayerState,
  type ClubPlayerClaims,
  type ClubStaff,
  type DecisionContext,
  type PlayerState,
  type ReportState,
  type Slug,
  type SquadEvent,
} from '@squad/domain';
import { reportVisibleAt, visibleAt, type ForkPoint } from './branch-view';
import type { ProjectedEvent } from '../read-model/projected-event';
import { reportById, type SquadReadModel } from '../read-model/squad-read-model';

/**
 * The write side's states as canonical history left them at a fork, answered from the canonical
 * read model instead of re-folding the ledger: a player's registration and a club's pursuit of
 * him are folded, with the domain's own `evolve`, from that player's facts visible at the fork,
 * in store order (the order the ledger folded them). Every event that names a player is in his
 * history, and the domain's claims about a club and him are those of them whose subject is that club, so
 * the cost of an answer is one player's history, never the length of the log; forking costs
 * nothing.
 *
 * `reportHash` answers the content hash of a canonical report (the canonical ledger knows it);
 * the read model tells whether the report is visible at the fork.
 *
 * The model must have applied canonical history up to `fork.position`.
 */
export function forkDecisionContext(
  canonical: SquadReadModel,
  fork: ForkPoint,
  reportHash: (reportId: string) => string | undefined,
): DecisionContext {
  const visibleFacts = (player: Slug): ProjectedEvent[] => {
    const facts = canonical.players.get(player)?.facts ?? [];
    return facts.filter((fact) => visibleAt(fork, fact)).sort((a, b) => a.position - b.position);
  };
  const asEvent = (fact: ProjectedEvent): SquadEvent => {
    const report = fact.report;
    return {
      type: fact.type,
      data: fact.data,
      metadata: {
        reportId: fact.reportId,
        source: report.source,
        publishedOn: report.publishedOn,
        publishedOnApprox: report.publishedOnApprox,
        claimIndex: fact.claimIndex,
        claimCount: report.claimCount,
        reportHash: '',
        ...(report.evidence ? { evidence: report.evidence } : {}),
      },
    } as SquadEvent;
  };
  return {
    report(reportId: string): ReportState {
      const report = reportById(canonical, reportId);
      if (!report || !reportVisibleAt(fork, report)) return { status: 'new' };
      const hash = reportHash(reportId);
      if (hash === undefined) throw new Error(`the canonical ledger does not know report ${reportId} yet`);
      return { status: 'recorded', reportHash: hash };
    },
    player(player: Slug): PlayerState {
      let state = initialPlayerState();
      for (const fact of visibleFacts(player)) state = evolvePlayer(state, asEvent(fact));
      return state;
    },
    clubStaff(club: Slug): ClubStaff {
      // appointments and departures are the facts of the club's own history
      const facts = (canonical.clubHistories.get(club)?.facts ?? [])
        .filter((fact) => visibleAt(fork, fact))
        .sort((a, b) => a.position - b.position);
      let state = initialClubStaff();
      for (const fact of facts) state = evolveClubStaff(state, asEvent(fact));
      return state;
    },
    clubPlayerClaims(club: Slug, player: Slug): ClubPlayerClaims {
      let state = initialClubPlayerClaims();
      for (const fact of visibleFacts(player)) {
        if (clubPlayerSubjectOf(fact.type, fact.data)?.club === club)
          state = evolveClubPlayerClaims(state, asEvent(fact));
      }
      return state;
    },
  };
}
