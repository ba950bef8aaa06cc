import { POSITIONS, type Position, type Slug } from '@squad/domain';
import { playerOn } from '../player/player-at';
import { isOpen } from '../pursuit/pursuit.projection';
import { currentPursuits } from '../pursuit/pursuit-at';
import { clocksOf, type TimeQuery } from '../views/clocks';
import { readView, type ReadSource } from '../views/read-view';
import { FORMATIONS, POSITION_GROUPS, verdict } from './formations';
import { outgoingCandidates } from './outgoing.query';
import { countsOf, squadOf } from './squad-at';

export function squadDepth(source: ReadSource, club: Slug, q: TimeQuery & { formation: string }) {
  return squadDepthAndOutgoing(source, club, q).squadDepth;
}

/** Squad depth and the outgoing candidates (with `q.formation`) from one reading of the squad. */
export function squadDepthAndOutgoing(source: ReadSource, club: Slug, q: TimeQuery & { formation: string }) {
  const model = readView(source);
  const c = clocksOf(q);
  const need = FORMATIONS[q.formation];
  const squad = squadOf(model, club, c);
  const openTargets = currentPursuits(model, club, c)
    .filter(({ pursuit }) => isOpen(pursuit.stage))
    .map(({ player, pursuit }) => {
      const view = playerOn(model, player, c);
      return { player, name: view?.name, position: view?.position, stage: pursuit.stage, priority: pursuit.priority };
    });
  const outgoing = outgoingCandidates(model, club, q, squad);

  const positions = POSITIONS.map((position) => {
    const players = squad.filter((p) => p.view.position === position).map((p) => p.entry);
    const counts = countsOf(players);
    return {
      position,
      need: need[position],
      ...counts,
      verdict: verdict(need[position], counts.squad, counts.available),
      players,
      cover: squad
        .filter((p) => p.view.secondaryPositions?.includes(position))
        .map((p) => ({ player: p.entry.player, name: p.entry.name, status: p.entry.status })),
      incomingTargets: openTargets
        .filter((t) => t.position === position)
        .map((t) => ({ player: t.player, name: t.name, stage: t.stage, priority: t.priority })),
      outgoingCandidates: outgoing
        .filter((o) => o.position === position)
        .map((o) => ({ player: o.player, name: o.name, reason: o.reason })),
    };
  });
  const groups = Object.entries(POSITION_GROUPS).map(([group, members]) => {
    const inGroup = positions.filter((p) => (members as readonly Position[]).includes(p.position));
    const sum = (key: 'need' | 'squad' | 'available' | 'injured' | 'awayOnLoan' | 'registered') =>
      inGroup.reduce((n, p) => n + p[key], 0);
    return {
      group,
      positions: [...members],
      need: sum('need'),
      registered: sum('registered'),
      squad: sum('squad'),
      available: sum('available'),
      injured: sum('injured'),
      awayOnLoan: sum('awayOnLoan'),
      verdict: verdict(sum('need'), sum('squad'), sum('available')),
    };
  });
  const squadDepth = {
    club,
    formation: q.formation,
    totals: countsOf(squad.map((p) => p.entry)),
    groups,
    positions,
    unpositioned: squad.filter((p) => !p.view.position).map((p) => p.entry),
  };
  return { squadDepth, outgoing };
}
