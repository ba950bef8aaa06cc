import { assertNever } from './assert-never';
import type { IsoDate, Slug } from './claims';
import { claimRefOf, type ClaimRef, type SquadEvent } from './events';

/**
 * Where a player is registered on one day: the invariants about transfers and bids are checked
 * against it, on the claim's own valid day. (Fitness, loans' dates and valuations are read-side
 * concerns.)
 */
export type Registration =
  | { readonly status: 'unknown' }
  | {
      readonly status: 'registered';
      readonly club: Slug;
      /** The club he is away at on loan, if any. */
      readonly onLoanAt?: Slug;
      /** The claim that put him at `club`. */
      readonly registeredBy: ClaimRef;
    }
  | {
      /** Released, retired: at no club. */
      readonly status: 'without-club';
      readonly leftBy: ClaimRef;
    };

/**
 * One claim that changes where a player is, filed at its place in valid time. The order is the
 * read models' (`History` in the projections): valid day, then publication day, then record
 * order. Both sides use it, so the write side checks a claim against the registration the read
 * models show on its day.
 */
export interface RegistrationMove {
  readonly effectiveOn: IsoDate;
  readonly publishedOn: IsoDate;
  readonly change: RegistrationChange;
  readonly by: ClaimRef;
}

/** What a move does to his registration. */
export type RegistrationChange =
  | { readonly kind: 'registered'; readonly club: Slug; readonly from?: Slug }
  | { readonly kind: 'loaned'; readonly toClub: Slug }
  | { readonly kind: 'loan-ended' }
  /** `from`: the club a move needs him at (a transfer's seller, the club he is released from). */
  | { readonly kind: 'left'; readonly from?: Slug };

/** What the write side knows of a player: the moves that change his registration, in valid time. */
export interface PlayerState {
  readonly moves: readonly RegistrationMove[];
}

export const initialPlayerState = (): PlayerState => ({ moves: [] });

/** The player an event is about, if any. */
export function playerOf(event: SquadEvent): Slug | undefined {
  return 'player' in event.data ? event.data.player : undefined;
}

/** Whether a move takes effect before another (the read models' order; `b` recorded after `a`). */
const takesEffectBefore = (a: RegistrationMove, b: { effectiveOn: IsoDate; publishedOn: IsoDate }) =>
  a.effectiveOn !== b.effectiveOn ? a.effectiveOn < b.effectiveOn : a.publishedOn <= b.publishedOn;

/** The state with one more recorded event: a move is filed at its place in valid time. */
export function evolvePlayer(state: PlayerState, event: SquadEvent): PlayerState {
  const change = registrationChangeOf(event);
  if (change === undefined) return state;
  const move: RegistrationMove = {
    effectiveOn: event.data.effectiveOn,
    publishedOn: event.metadata.publishedOn,
    change,
    by: claimRefOf(event),
  };
  const moves = state.moves.slice();
  // recorded after every move already here: it goes after the last one that takes effect before it
  let at = moves.length;
  while (at > 0 && !takesEffectBefore(moves[at - 1], move)) at--;
  moves.splice(at, 0, move);
  return { moves };
}

/**
 * Where he is registered on `day`, as known now, for a claim published on `publishedOn` that
 * is recorded after every move known (what the read models would show just before it).
 */
export function registrationOn(state: PlayerState, day: IsoDate, publishedOn: IsoDate): Registration {
  let registration: Registration = { status: 'unknown' };
  for (const move of state.moves) {
    if (!takesEffectBefore(move, { effectiveOn: day, publishedOn })) break;
    registration = applyMove(registration, move);
  }
  return registration;
}

/**
 * The first move known that takes effect after a claim of `day` published on `publishedOn` and
 * needs him at a club (a transfer, a release): a back-dated move must leave him there.
 */
export function nextMoveNeedingClub(
  state: PlayerState,
  day: IsoDate,
  publishedOn: IsoDate,
): { readonly from: Slug; readonly by: ClaimRef } | undefined {
  for (const move of state.moves) {
    if (takesEffectBefore(move, { effectiveOn: day, publishedOn })) continue;
    const { change } = move;
    if ((change.kind === 'registered' || change.kind === 'left') && change.from !== undefined)
      return { from: change.from, by: move.by };
    // a registration (or a loan) says where he is without needing him anywhere before: stop
    if (change.kind === 'registered') return undefined;
  }
  return undefined;
}

/** Where he is after every move known, whatever their days: his latest registration. */
export function latestRegistration(state: PlayerState): Registration {
  const last = state.moves[state.moves.length - 1];
  return last ? registrationOn(state, last.effectiveOn, last.publishedOn) : { status: 'unknown' };
}

function registrationChangeOf(event: SquadEvent): RegistrationChange | undefined {
  switch (event.type) {
    case 'PlayerRegistered':
      return { kind: 'registered', club: event.data.club };
    case 'TransferCompleted':
      return { kind: 'registered', club: event.data.toClub, from: event.data.fromClub };
    case 'LoanDeparted':
      return { kind: 'loaned', toClub: event.data.toClub };
    case 'LoanReturned':
      return { kind: 'loan-ended' };
    case 'PlayerReleased':
    case 'PlayerRetired':
      return event.data.fromClub === undefined ? { kind: 'left' } : { kind: 'left', from: event.data.fromClub };
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
      return undefined;
    default:
      return assertNever(event);
  }
}

function applyMove(registration: Registration, { change, by }: RegistrationMove): Registration {
  switch (change.kind) {
    case 'registered':
      return { status: 'registered', club: change.club, registeredBy: by };
    case 'loaned':
      return registration.status === 'registered' ? { ...registration, onLoanAt: change.toClub } : registration;
    case 'loan-ended':
      return registration.status === 'registered' ? { ...registration, onLoanAt: undefined } : registration;
    case 'left':
      return { status: 'without-club', leftBy: by };
    default:
      return assertNever(change);
  }
}
