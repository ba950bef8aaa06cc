import { assertNever } from './assert-never';
import type { Slug } from './claims';
import { claimRefOf, type ClaimRef, type SquadEvent } from './events';

/**
 * What the write side knows of a player's registration: the invariants about transfers and
 * bids are checked against it. (Fitness, loans' dates and valuations are read-side concerns.)
 */
export type PlayerState =
  | { readonly status: 'unknown' }
  | {
      readonly status: 'registered';
      readonly club: Slug;
      /** The club he is away at on loan, if any. */
      readonly onLoanAt?: Slug;
      /** The claim that put him at `club`. */
      readonly registeredBy: ClaimRef;
    };

export const initialPlayerState = (): PlayerState => ({ status: 'unknown' });

/** The player an event changes the registration of, if any. */
export function playerOf(event: SquadEvent): Slug | undefined {
  return 'player' in event.data ? event.data.player : undefined;
}

export function evolvePlayer(state: PlayerState, event: SquadEvent): PlayerState {
  switch (event.type) {
    case 'PlayerRegistered':
      return { status: 'registered', club: event.data.club, registeredBy: claimRefOf(event) };
    case 'TransferCompleted':
      return { status: 'registered', club: event.data.toClub, registeredBy: claimRefOf(event) };
    case 'LoanDeparted':
      return state.status === 'registered' ? { ...state, onLoanAt: event.data.toClub } : state;
    case 'LoanReturned':
      return state.status === 'registered' ? { ...state, onLoanAt: undefined } : state;
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
    case 'MarketValueReported':
    case 'ManagerAppointed':
    case 'ClaimDisputed':
      return state;
    default:
      return assertNever(event);
  }
}
