import type { Slug } from '@squad/domain';
import type { ProjectedEvent } from './projected-event';

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

/** The facts that move players between squads. */
export const ROSTER_EVENT_TYPES = new Set<string>(['PlayerRegistered', 'TransferCompleted', 'LoanDeparted', 'LoanReturned']);

export function evolveRosterView(view: RosterView, event: ProjectedEvent): RosterView {
  const player = (event.data as { player?: Slug }).player;
  if (!player) return view;
  const here = view.club;
  switch (event.type) {
    case 'PlayerRegistered':
      return withLists(view, toggle(view.registered, player, event.data.club === here), view.loanedIn);
    case 'TransferCompleted':
      return withLists(view, toggle(view.registered, player, event.data.toClub === here), toggle(view.loanedIn, player, false));
    case 'LoanDeparted':
      return withLists(view, view.registered, toggle(view.loanedIn, player, event.data.toClub === here));
    case 'LoanReturned':
      return withLists(view, view.registered, toggle(view.loanedIn, player, false));
    default:
      return view;
  }
}

/** The same view when nothing moved (most moves concern other clubs): no copy. */
function withLists(view: RosterView, registered: readonly Slug[], loanedIn: readonly Slug[]): RosterView {
  return registered === view.registered && loanedIn === view.loanedIn ? view : { club: view.club, registered, loanedIn };
}

function toggle(list: readonly Slug[], player: Slug, present: boolean): readonly Slug[] {
  const has = list.includes(player);
  if (has === present) return list;
  return present ? [...list, player] : list.filter((p) => p !== player);
}
