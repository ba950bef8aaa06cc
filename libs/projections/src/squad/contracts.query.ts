import { POSITIONS, type IsoDate, type Position, type Slug } from '@squad/domain';
import type { PlayerView } from '../player/player.projection';
import { clocksOf, type TimeQuery } from '../views/clocks';
import { readView, type ReadSource } from '../views/read-view';
import { FORMATIONS, POSITION_GROUPS, verdict } from './formations';
import { squadOf, type SquadMember } from './squad-at';
import { formationFor, type FormationQuery } from './squad-depth.query';

/** How many seasons the contracts view looks at: the one containing `asOf` and the next two (as Football Manager does). */
export const CONTRACT_SEASONS = 3;

/** The season a day falls in, by its first year: season S runs from S-07-01 to (S+1)-06-30. */
export function seasonOf(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5) >= '07-01' ? year : year - 1;
}

/** `2025/26` */
export const seasonName = (season: number): string => `${season}/${String((season + 1) % 100).padStart(2, '0')}`;

const seasonStart = (season: number): IsoDate => `${season}-07-01`;
const seasonEnd = (season: number): IsoDate => `${season + 1}-06-30`;

export type DepartureReason = 'contract-expires' | 'loan-ends';

/** When a member of the squad leaves if nobody renews: undefined when no expiry is known. */
interface Departure {
  readonly on: IsoDate;
  readonly reason: DepartureReason;
}

function departureOf({ view, entry }: SquadMember, club: Slug): Departure | undefined {
  // the squad entry's expiry: his contract with the club he is registered at (see `squadOf`)
  const expiry = entry.contractExpiresOn;
  const loanUntil = view.club !== club && view.loan?.toClub === club ? view.loan.until : undefined;
  // a loanee goes back to his parent club when the loan ends, or sooner if his contract there ends first
  if (loanUntil !== undefined && (expiry === undefined || loanUntil <= expiry))
    return { on: loanUntil, reason: 'loan-ends' };
  return expiry === undefined ? undefined : { on: expiry, reason: 'contract-expires' };
}

/** Whether one of the club's players is still away on loan on `day` (a loan ends by itself after `until`). */
function awayOnLoanOn(view: PlayerView, club: Slug, day: IsoDate): boolean {
  const loan = view.loan;
  return view.club === club && loan !== undefined && loan.toClub !== club && (!loan.until || day <= loan.until);
}

/** The loan a departure entry shows: one that ends within `[from, to]`. */
function loanEndingIn(view: PlayerView, from: IsoDate, to: IsoDate) {
  const until = view.loan?.until;
  return view.loan && until !== undefined && from <= until && until <= to ? { loan: view.loan } : {};
}

const identity = ({ entry }: SquadMember) => ({
  player: entry.player,
  ...(entry.name !== undefined ? { name: entry.name } : {}),
  ...(entry.position !== undefined ? { position: entry.position } : {}),
  ...(entry.registeredAt !== undefined ? { registeredAt: entry.registeredAt } : {}),
});

/**
 * A club's contract expiries by season, for the season containing `asOf` and the next two: who
 * leaves in each (his contract ends, or a loan here does) and who would be left at each position
 * at its end if nobody renews and nobody is signed, with squad depth's verdict against the
 * formation. Read in both clocks from the squad on `asOf` (an extension known by then moves a
 * player to a later season). Injuries are not projected: everyone left counts as available.
 * Players with no known expiry are in `expiryUnknown` and stay in every `remaining`; those whose
 * recorded contract ended before the first season, and who are still registered, in `expired`.
 */
export function contractExpiries(source: ReadSource, club: Slug, query: TimeQuery & FormationQuery) {
  const model = readView(source);
  const c = clocksOf(query);
  const { formation, formationFrom } = formationFor(model, club, c, query);
  const need = FORMATIONS[formation];
  const squad = squadOf(model, club, c).map((member) => ({ member, departure: departureOf(member, club) }));
  const first = seasonOf(query.asOf);

  const seasons = Array.from({ length: CONTRACT_SEASONS }, (_, i) => {
    const season = first + i;
    const startsOn = seasonStart(season);
    const endsOn = seasonEnd(season);
    const leaving = squad
      .filter(({ departure }) => departure !== undefined && seasonOf(departure.on) === season)
      .sort(
        (a, b) =>
          a.departure!.on.localeCompare(b.departure!.on) || a.member.entry.player.localeCompare(b.member.entry.player),
      )
      .map(({ member, departure }) => ({
        ...identity(member),
        status: member.entry.status,
        leavesOn: departure!.on,
        reason: departure!.reason,
        ...(member.entry.contractExpiresOn !== undefined ? { contractExpiresOn: member.entry.contractExpiresOn } : {}),
        ...loanEndingIn(member.view, startsOn, endsOn),
      }));
    // left at the end of the season: those leaving later, and those with no known expiry
    const left = squad
      .filter(({ departure }) => departure === undefined || departure.on > endsOn)
      .map(({ member, departure }) => {
        // on the first day after the season: a loan until its last day is over by then
        const away = awayOnLoanOn(member.view, club, seasonStart(season + 1));
        const entry = {
          ...identity(member),
          ...(departure === undefined ? { expiryUnknown: true as const } : { leavesOn: departure.on }),
          ...(away ? { awayOnLoan: true as const } : {}),
        };
        return { member, away, entry };
      });
    const leavingAt = (position: Position) => leaving.filter((p) => p.position === position).length;
    const positions = POSITIONS.map((position) => {
      const here = left.filter((p) => p.member.view.position === position);
      const registered = here.length;
      const awayOnLoan = here.filter((p) => p.away).length;
      const inSquad = registered - awayOnLoan;
      return {
        position,
        need: need[position],
        leaving: leavingAt(position),
        registered,
        squad: inSquad,
        awayOnLoan,
        verdict: verdict(need[position], inSquad, inSquad),
        players: here.map((p) => p.entry),
      };
    });
    const groups = Object.entries(POSITION_GROUPS).map(([group, members]) => {
      const inGroup = positions.filter((p) => (members as readonly Position[]).includes(p.position));
      const sum = (key: 'need' | 'leaving' | 'registered' | 'squad' | 'awayOnLoan') =>
        inGroup.reduce((n, p) => n + p[key], 0);
      return {
        group,
        positions: [...members],
        need: sum('need'),
        leaving: sum('leaving'),
        registered: sum('registered'),
        squad: sum('squad'),
        awayOnLoan: sum('awayOnLoan'),
        verdict: verdict(sum('need'), sum('squad'), sum('squad')),
      };
    });
    return {
      season: seasonName(season),
      startsOn,
      endsOn,
      leaving,
      remaining: {
        groups,
        positions,
        unpositioned: left.filter((p) => !p.member.view.position).map((p) => p.entry),
      },
    };
  });

  const statusOf = ({ member }: { member: SquadMember }) => ({
    ...identity(member),
    status: member.entry.status,
    ...(member.entry.loan ? { loan: member.entry.loan } : {}),
  });
  return {
    club,
    formation,
    formationFrom,
    seasons,
    expiryUnknown: squad.filter(({ departure }) => departure === undefined).map(statusOf),
    expired: squad
      .filter(({ departure }) => departure !== undefined && departure.on < seasonStart(first))
      .map((p) => ({ ...statusOf(p), leavesOn: p.departure!.on, reason: p.departure!.reason })),
  };
}
