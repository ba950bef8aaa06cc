import type { Position, Slug } from '@squad/domain';
import { stateAt } from '../history/bitemporal-history';
import { ageOn, injuryOf, loanOf, playerOn } from '../player/player-at';
import { openPursuersOf } from '../pursuit/pursuit-at';
import { statusAt, type PlayerStatus, type PlayerView } from '../player/player.projection';
import type { Clocks } from '../views/clocks';
import type { ReadView } from '../views/read-view';
import { evolveRosterView, initialRosterView, rosterMembers } from './roster.projection';

export interface SquadPlayer {
  readonly player: Slug;
  readonly name?: string;
  readonly status: PlayerStatus;
  readonly position?: Position;
  /** His injury, with how old its news is (a stale one still counts him injured). */
  readonly injury?: ReturnType<typeof injuryOf>;
  readonly loan?: ReturnType<typeof loanOf>;
  readonly registeredAt?: Slug;
  readonly nationality?: string;
  readonly age?: number;
  /** His age comes from a birth year alone (±1). */
  readonly ageApprox?: true;
  /** When his contract with the club he is registered at ends. */
  readonly contractExpiresOn?: string;
  /** He captains this club. */
  readonly captain?: true;
  /** Other clubs pursuing him on the day (open pursuits), with the stage each reached. */
  readonly wantedBy?: ReturnType<typeof openPursuersOf>;
}

/** A member of a squad: his view (for the queries) and his entry (as the documents show him). */
export interface SquadMember {
  readonly view: PlayerView;
  readonly entry: SquadPlayer;
}

/** The players of a club on a day: registered there (away on loan included) or on loan there. */
export function squadOf(model: ReadView, club: Slug, c: Clocks): SquadMember[] {
  const out: SquadMember[] = [];
  const roster = model.rosterHistory(club);
  const candidates = roster
    ? rosterMembers(stateAt(roster, c.asOf, c.knownAt, initialRosterView(club), evolveRosterView))
    : [];
  for (const player of candidates) {
    const view = playerOn(model, player, c);
    if (!view) continue;
    const { status, member } = statusAt(view, club, c.asOfDate);
    if (!member) continue;
    out.push({
      view,
      entry: {
        player,
        name: view.name,
        status,
        position: view.position,
        ...(view.injury ? { injury: injuryOf(view, c) } : {}),
        ...(view.loan && status !== 'available' ? { loan: loanOf(view, c) } : {}),
        ...(view.club !== club ? { registeredAt: view.club } : {}),
        ...(view.nationality ? { nationality: view.nationality } : {}),
        ...ageOn(view, c.asOfDate),
        ...(view.contract && view.contract.club === view.club ? { contractExpiresOn: view.contract.expiresOn } : {}),
        ...(view.captaincy?.club === club ? { captain: true as const } : {}),
        ...suitors(model, view, club, c),
      },
    });
  }
  return out.sort((a, b) => a.entry.player.localeCompare(b.entry.player));
}

function suitors(model: ReadView, him: PlayerView, club: Slug, c: Clocks) {
  const wantedBy = openPursuersOf(model, him.player, club, c, him);
  return wantedBy.length > 0 ? { wantedBy } : {};
}

export interface DepthCounts {
  readonly registered: number;
  readonly squad: number;
  readonly available: number;
  readonly injured: number;
  readonly awayOnLoan: number;
}

export function countsOf(players: readonly SquadPlayer[]): DepthCounts {
  const count = (status: PlayerStatus) => players.filter((p) => p.status === status).length;
  const awayOnLoan = count('away-on-loan');
  return {
    registered: players.length,
    squad: players.length - awayOnLoan,
    available: count('available') + count('on-loan-here'),
    injured: count('injured'),
    awayOnLoan,
  };
}
