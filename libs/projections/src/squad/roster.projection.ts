import { assertNever, type ClaimType, type Slug } from '@squad/domain';
import type { EventData, ProjectedEvent } from '../read-model/projected-event';

/**
 * Who belongs to one club's squad on a day, as far as moves go: registered there, or there on
 * loan. It mirrors the club and loan of each player's own history (every move of a player is
 * filed in the roster of every club he was linked to), so a squad query reads one roster instead
 * of every player the club ever had. Members are still checked against their own history (a
 * loan also ends by its `until` date).
 */
export interface RosterView {
  readonly club: Slug;
  readonly registered: readonly Slug[];
  readonly loanedIn: readonly Slug[];
}

export const initialRosterView = (club: Slug) => (): RosterView => ({ club, registered: [], loanedIn: [] });

export function rosterMembers(view: RosterView): Slug[] {
  return [...new Set([...view.registered, ...view.loanedIn])];
}

/** Where a player is after his newest move: the club he is registered at, and the club he is on loan at. */
export interface Whereabouts {
  currentClub: Slug | undefined;
  currentLoanClub: Slug | undefined;
}

/**
 * The claims that move players between squads, each moving the player where it leaves him (as
 * `evolvePlayerView` and `statusAt` see it), or null for claims that move no one. A move is
 * filed in the rosters of the clubs it names and of the clubs the player was at (see
 * `fileInRosters`). The moves update his whereabouts in place (they are fields of his history):
 * this runs once per move in a rebuild, where an object per move was measurably slower.
 */
export const ROSTER_MOVES: {
  readonly [T in ClaimType]: ((at: Whereabouts, data: EventData<T>) => void) | null;
} = {
  PlayerRegistered: (at, data) => {
    at.currentClub = data.club;
  },
  TransferCompleted: (at, data) => {
    at.currentClub = data.toClub;
    at.currentLoanClub = undefined;
  },
  LoanDeparted: (at, data) => {
    at.currentLoanClub = data.toClub;
  },
  LoanReturned: (at) => {
    at.currentLoanClub = undefined;
  },
  PlayerReleased: leaveFootball,
  PlayerRetired: leaveFootball,
  PlayerProfileReported: null,
  InterestDeclared: null,
  TalksRequested: null,
  TalksRefused: null,
  BidSubmitted: null,
  BidRejected: null,
  PursuitAbandoned: null,
  InterestRenewalExpected: null,
  PlayerInjured: null,
  PlayerReturnedFromInjury: null,
  OutgoingCandidateFlagged: null,
  ContractRecorded: null,
  ContractExtended: null,
  MarketValueReported: null,
  ManagerAppointed: null,
  ManagerDeparted: null,
  NotForSale: null,
  ClubProfileReported: null,
  ClaimDisputed: null,
};

/** Released or retired: in no squad, neither his club's nor a loan club's. */
function leaveFootball(at: Whereabouts): void {
  at.currentClub = undefined;
  at.currentLoanClub = undefined;
}

export function evolveRosterView(view: RosterView, event: ProjectedEvent): RosterView {
  const here = view.club;
  switch (event.type) {
    case 'PlayerRegistered':
      return withLists(view, toggle(view.registered, event.data.player, event.data.club === here), view.loanedIn);
    case 'TransferCompleted':
      return withLists(
        view,
        toggle(view.registered, event.data.player, event.data.toClub === here),
        toggle(view.loanedIn, event.data.player, false),
      );
    case 'LoanDeparted':
      return withLists(view, view.registered, toggle(view.loanedIn, event.data.player, event.data.toClub === here));
    case 'LoanReturned':
      return withLists(view, view.registered, toggle(view.loanedIn, event.data.player, false));
    case 'PlayerReleased':
    case 'PlayerRetired':
      return withLists(
        view,
        toggle(view.registered, event.data.player, false),
        toggle(view.loanedIn, event.data.player, false),
      );
    // not moves: ROSTER_MOVES never files them in a roster
    case 'InterestDeclared':
    case 'TalksRequested':
    case 'TalksRefused':
    case 'BidSubmitted':
    case 'BidRejected':
    case 'PursuitAbandoned':
    case 'InterestRenewalExpected':
    case 'PlayerInjured':
    case 'PlayerReturnedFromInjury':
    case 'OutgoingCandidateFlagged':
    case 'ContractRecorded':
    case 'ContractExtended':
    case 'MarketValueReported':
    case 'ManagerAppointed':
    case 'ManagerDeparted':
    case 'NotForSale':
    case 'PlayerProfileReported':
    case 'ClubProfileReported':
    case 'ClaimDisputed':
      return view;
    default:
      return assertNever(event);
  }
}

/** The same view when nothing moved (most moves concern other clubs): no copy. */
function withLists(view: RosterView, registered: readonly Slug[], loanedIn: readonly Slug[]): RosterView {
  return registered === view.registered && loanedIn === view.loanedIn
    ? view
    : { club: view.club, registered, loanedIn };
}

function toggle(list: readonly Slug[], player: Slug, present: boolean): readonly Slug[] {
  const has = list.includes(player);
  if (has === present) return list;
  return present ? [...list, player] : list.filter((p) => p !== player);
}
