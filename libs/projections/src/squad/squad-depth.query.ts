import { POSITIONS, type Position, type Slug } from '@squad/domain';
import { playerOn } from '../player/player-at';
import { isOpen } from '../pursuit/pursuit.projection';
import { currentPursuits, pursuitNews } from '../pursuit/pursuit-at';
import { clubOn } from '../club/club.query';
import { clocksOf, type Clocks, type TimeQuery } from '../views/clocks';
import { readView, type ReadSource, type ReadView } from '../views/read-view';
import { FORMATIONS, POSITION_GROUPS, verdict } from './formations';
import { outgoingCandidates } from './outgoing.query';
import { countsOf, squadOf } from './squad-at';

/**
 * The formation squad depth is measured against: the one requested; else the one the club's
 * manager on the day prefers, when a report gave it and it is one we know; else `formation`
 * (the configured default, or a replay's).
 */
export interface FormationQuery {
  readonly formation: string;
  /** True when the client chose `formation` (a query parameter): the manager's does not apply. */
  readonly formationRequested?: boolean;
}

export type FormationFrom = 'request' | 'manager' | 'default';

export function formationFor(
  view: ReadView,
  club: Slug,
  c: Clocks,
  q: FormationQuery,
): { formation: string; formationFrom: FormationFrom } {
  if (q.formationRequested) return { formation: q.formation, formationFrom: 'request' };
  const preferred = clubOn(view, club, c).manager?.formation;
  if (preferred !== undefined && Object.hasOwn(FORMATIONS, preferred))
    return { formation: preferred, formationFrom: 'manager' };
  return { formation: q.formation, formationFrom: 'default' };
}

export function squadDepth(source: ReadSource, club: Slug, q: TimeQuery & FormationQuery) {
  return squadDepthAndOutgoing(source, club, q).squadDepth;
}

/** Squad depth and the outgoing candidates (with the formation of `formationFor`) from one reading of the squad. */
export function squadDepthAndOutgoing(source: ReadSource, club: Slug, query: TimeQuery & FormationQuery) {
  const model = readView(source);
  const c = clocksOf(query);
  const { formation, formationFrom } = formationFor(model, club, c, query);
  const q = { ...query, formation };
  const need = FORMATIONS[formation];
  const squad = squadOf(model, club, c);
  const openTargets = currentPursuits(model, club, c)
    .filter(({ pursuit }) => isOpen(pursuit.stage))
    .map(({ player, pursuit }) => {
      const view = playerOn(model, player, c);
      return {
        player,
        name: view?.name,
        position: view?.position,
        stage: pursuit.stage,
        priority: pursuit.priority,
        ...pursuitNews(pursuit, c),
      };
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
        .map(({ position: _position, ...target }) => target),
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
    formation,
    formationFrom,
    totals: countsOf(squad.map((p) => p.entry)),
    groups,
    positions,
    unpositioned: squad.filter((p) => !p.view.position).map((p) => p.entry),
  };
  return { squadDepth, outgoing };
}
