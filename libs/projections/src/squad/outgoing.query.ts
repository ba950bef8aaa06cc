import type { Slug } from '@squad/domain';
import { reportedIn } from '../read-model/provenance';
import { clocksOf, type TimeQuery } from '../views/clocks';
import { readView, type ReadSource } from '../views/read-view';
import { DEFAULT_FORMATION, FORMATIONS, verdict } from './formations';
import { countsOf, squadOf, type SquadMember } from './squad-at';

/** A club's outgoing candidates: who may leave and why, and the depth at his position without him. */
export function outgoingCandidates(
  source: ReadSource,
  club: Slug,
  q: TimeQuery & { formation?: string },
  squad?: readonly SquadMember[],
) {
  const model = readView(source);
  const members = squad ?? squadOf(model, club, clocksOf(q));
  const need = FORMATIONS[q.formation ?? DEFAULT_FORMATION];
  return members
    .filter((p) => Object.hasOwn(p.view.outgoing, club) && p.view.club === club)
    .map((p) => {
      const flag = p.view.outgoing[club];
      const position = p.view.position;
      const samePosition = members.filter((o) => o.view.position === position).map((o) => o.entry);
      const without = countsOf(samePosition.filter((o) => o.player !== p.entry.player));
      const withHim = countsOf(samePosition);
      return {
        player: p.entry.player,
        name: p.entry.name,
        position,
        status: p.entry.status,
        // the injury or loan behind his status, with how old its news is
        ...(p.entry.injury ? { injury: p.entry.injury } : {}),
        ...(p.entry.loan ? { loan: p.entry.loan } : {}),
        reason: flag.reason,
        flaggedOn: flag.since,
        ...(flag.sinceApprox ? { flaggedOnApprox: true as const } : {}),
        ...(flag.sinceBetween ? { flaggedOnBetween: flag.sinceBetween } : {}),
        ...reportedIn(flag.report),
        ...(p.view.returnedFromLoan ? { returnedFromLoan: p.view.returnedFromLoan } : {}),
        // who would take him: the clubs pursuing him on the day
        wantedBy: p.entry.wantedBy ?? [],
        depthAtPosition: position
          ? {
              need: need[position],
              now: { ...withHim, verdict: verdict(need[position], withHim.squad, withHim.available) },
              withoutHim: { ...without, verdict: verdict(need[position], without.squad, without.available) },
            }
          : undefined,
      };
    });
}
