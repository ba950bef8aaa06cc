import { CLAIM_TYPES, type ClaimType, type IsoDate, type Slug } from '@squad/domain';
import { CLUB_ROUTES } from '../club/club.projection';
import { PLAYER_ROUTES } from '../player/player.projection';
import { PURSUIT_ROUTES } from '../pursuit/pursuit.projection';
import { ROSTER_MOVES, type Whereabouts } from '../squad/roster.projection';
import type { EventData, RouteTable } from './projected-event';

/** Two clubs, once each (a claim naming the same club on both sides names it once). */
const pair = (a: Slug, b: Slug): readonly Slug[] => (a === b ? [a] : [a, b]);
const ownClub = (data: { club: Slug }): readonly Slug[] => [data.club];
const noClub = (): readonly Slug[] => [];

/**
 * The clubs each claim type names, in any role: they know the club (404s, a branch's fork), a
 * move is filed in their rosters, and their live documents are refreshed.
 */
export const CLUBS_NAMED: { readonly [T in ClaimType]: (data: EventData<T>) => readonly Slug[] } = {
  PlayerRegistered: ownClub,
  InterestDeclared: ownClub,
  PursuitAbandoned: ownClub,
  InterestRenewalExpected: ownClub,
  OutgoingCandidateFlagged: ownClub,
  ContractRecorded: ownClub,
  ContractExtended: ownClub,
  ManagerAppointed: ownClub,
  ManagerDeparted: ownClub,
  NotForSale: ownClub,
  ClaimDisputed: ownClub,
  TalksRequested: (data) => pair(data.club, data.withClub),
  TalksRefused: (data) => pair(data.club, data.byClub),
  BidRejected: (data) => pair(data.club, data.byClub),
  BidSubmitted: (data) => pair(data.club, data.toClub),
  TransferCompleted: (data) => pair(data.fromClub, data.toClub),
  LoanReturned: (data) => [data.fromClub],
  LoanDeparted: (data) => [data.toClub],
  PlayerReleased: (data) => [data.fromClub],
  PlayerRetired: (data) => (data.fromClub === undefined ? [] : [data.fromClub]),
  // a profile naming his captaincy refreshes that club's documents
  PlayerProfileReported: (data) => (data.captainOf === undefined ? [] : [data.captainOf]),
  // a youth side's profile names its first team too
  ClubProfileReported: (data) => (data.parentClub === undefined ? [data.club] : pair(data.club, data.parentClub)),
  PlayerInjured: noClub,
  PlayerReturnedFromInjury: noClub,
  MarketValueReported: noClub,
};

/**
 * The last day each claim type holds by itself, when it ends without another report (a loan
 * with an `until`): the read models change the day after, so a replay stops then. Null for
 * claims that hold until the next news.
 */
export const HOLDS_UNTIL: RouteTable<IsoDate | undefined> = {
  LoanDeparted: (data) => data.until,
  PlayerRegistered: null,
  InterestDeclared: null,
  TalksRequested: null,
  TalksRefused: null,
  BidSubmitted: null,
  BidRejected: null,
  PursuitAbandoned: null,
  InterestRenewalExpected: null,
  PlayerInjured: null,
  PlayerReturnedFromInjury: null,
  LoanReturned: null,
  OutgoingCandidateFlagged: null,
  ContractRecorded: null,
  ContractExtended: null,
  MarketValueReported: null,
  ManagerAppointed: null,
  ManagerDeparted: null,
  NotForSale: null,
  TransferCompleted: null,
  PlayerReleased: null,
  PlayerRetired: null,
  PlayerProfileReported: null,
  ClubProfileReported: null,
  ClaimDisputed: null,
};

/** Every projection's decision about one claim type, looked up once per event. */
export interface Route {
  /** The claim type, as one constant string: events keep it instead of the store's copy. */
  readonly type: ClaimType;
  readonly clubs: (data: object) => readonly Slug[];
  /** The player whose history files it (`PLAYER_ROUTES`). */
  readonly player: ((data: object) => Slug) | null;
  /** The club whose own history files it (`CLUB_ROUTES`): its names, its managers. */
  readonly club: ((data: object) => Slug) | null;
  /** The club whose pursuit of that player it updates (`PURSUIT_ROUTES`). */
  readonly pursuit: ((data: object) => Slug) | null;
  /** Where a move leaves the player (`ROSTER_MOVES`); null: it moves no one. */
  readonly move: ((at: Whereabouts, data: object) => void) | null;
  readonly holdsUntil: ((data: object) => IsoDate | undefined) | null;
}

/** The routes by the store's event type; an event type that is not a claim type has none. */
export const ROUTES: ReadonlyMap<string, Route> = new Map(
  CLAIM_TYPES.map((type): [string, Route] => [
    type,
    {
      type,
      clubs: CLUBS_NAMED[type] as Route['clubs'],
      player: PLAYER_ROUTES[type] as Route['player'],
      club: CLUB_ROUTES[type] as Route['club'],
      pursuit: PURSUIT_ROUTES[type] as Route['pursuit'],
      move: ROSTER_MOVES[type] as Route['move'],
      holdsUntil: HOLDS_UNTIL[type] as Route['holdsUntil'],
    },
  ]),
);

/** The route of a projected event (whose type is a claim type by construction). */
export function routeOf(event: { readonly type: ClaimType }): Route {
  return ROUTES.get(event.type)!;
}

/** The clubs a claim names (`CLUBS_NAMED`), from its type and fields; none for a type this build does not know. */
export function clubsNamedBy(type: string, data: object): readonly Slug[] {
  const route = ROUTES.get(type);
  return route === undefined ? [] : route.clubs(data);
}

/** The club whose pursuit a fact updates (`PURSUIT_ROUTES`), if any. */
export function pursuitClubOf(event: { readonly type: ClaimType; readonly data: object }): Slug | undefined {
  const pursuit = routeOf(event).pursuit;
  return pursuit === null ? undefined : pursuit(event.data);
}
