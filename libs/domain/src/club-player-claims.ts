import type { ClaimFields, ClaimType, Slug } from './claims';
import { claimRefOf, type ClaimRef, type SquadEvent } from './events';

/**
 * Everything claimed about one club and one player (an interest, a bid, a contract, a flag to
 * sell him...), kept as references so that a dispute can be matched to the claims it disputes,
 * and a later claim to the disputes of its type. This is the write side's thread of claims, not
 * the read side's pursuit (see `PURSUIT_ROUTES` in the projections).
 */
export interface ClubPlayerClaims {
  /** Claims about this club and player, by claim type, oldest first. */
  readonly claims: Readonly<Partial<Record<ClaimType, readonly ClaimRef[]>>>;
  /** `ClaimDisputed` claims, by the claim type they dispute. */
  readonly disputes: Readonly<Partial<Record<ClaimType, readonly ClaimRef[]>>>;
}

export const initialClubPlayerClaims = (): ClubPlayerClaims => ({ claims: {}, disputes: {} });

export interface ClubAndPlayer {
  readonly club: Slug;
  readonly player: Slug;
}

/**
 * For each claim type, the club and player whose thread of claims it joins, or null when it is
 * about no such pair. Exhaustive: a new claim type does not compile until someone decides
 * whether it can be disputed as a claim about a club and a player.
 */
export const CLUB_PLAYER_SUBJECT: { readonly [T in ClaimType]: ((claim: ClaimFields[T]) => ClubAndPlayer) | null } = {
  PlayerRegistered: clubAndPlayer,
  InterestDeclared: clubAndPlayer,
  TalksRequested: clubAndPlayer,
  TalksRefused: clubAndPlayer,
  BidSubmitted: clubAndPlayer,
  BidRejected: clubAndPlayer,
  PursuitAbandoned: clubAndPlayer,
  InterestRenewalExpected: clubAndPlayer,
  OutgoingCandidateFlagged: clubAndPlayer,
  ContractRecorded: clubAndPlayer,
  ContractExtended: clubAndPlayer,
  NotForSale: clubAndPlayer,
  ClaimDisputed: clubAndPlayer,
  // a transfer names two clubs and no `club`: it is disputed through the registration it changes
  TransferCompleted: null,
  PlayerReleased: null,
  PlayerRetired: null,
  PlayerProfileReported: null,
  PlayerInjured: null,
  PlayerReturnedFromInjury: null,
  LoanReturned: null,
  LoanDeparted: null,
  MarketValueReported: null,
  ManagerAppointed: null,
  ManagerDeparted: null,
  ClubProfileReported: null,
};

function clubAndPlayer({ club, player }: { club: Slug; player: Slug }): ClubAndPlayer {
  return { club, player };
}

/** The club and player a claim (or an event's data) is about, as `CLUB_PLAYER_SUBJECT` declares. */
export function clubPlayerSubjectOf(type: ClaimType, fields: object): ClubAndPlayer | undefined {
  const subject = CLUB_PLAYER_SUBJECT[type] as ((claim: object) => ClubAndPlayer) | null;
  return subject === null ? undefined : subject(fields);
}

/** `juventus/leonardo-balerdi`: the key of a club and player's thread of claims. */
export const clubPlayerKey = (club: Slug, player: Slug): string => `${club}/${player}`;

export function evolveClubPlayerClaims(state: ClubPlayerClaims, event: SquadEvent): ClubPlayerClaims {
  const ref = claimRefOf(event);
  if (event.type === 'ClaimDisputed') {
    const disputed = event.data.disputedType;
    return { ...state, disputes: { ...state.disputes, [disputed]: [...(state.disputes[disputed] ?? []), ref] } };
  }
  return { ...state, claims: { ...state.claims, [event.type]: [...(state.claims[event.type] ?? []), ref] } };
}
