import type { ClaimType, Slug } from './claims';
import { claimRefOf, type ClaimRef, type SquadEvent } from './events';

/**
 * Everything claimed about one club's interest in one player, kept as references so that a
 * claim can be flagged as contradicting earlier ones (and the other way round).
 */
export interface PursuitState {
  /** Claims about this pursuit, by claim type, oldest first. */
  readonly claims: Readonly<Partial<Record<ClaimType, readonly ClaimRef[]>>>;
  /** `ClaimDisputed` claims, by the claim type they dispute. */
  readonly disputes: Readonly<Partial<Record<ClaimType, readonly ClaimRef[]>>>;
}

export const initialPursuitState = (): PursuitState => ({ claims: {}, disputes: {} });

/** `juventus/leonardo-balerdi` for events about a club and a player. */
export function pursuitKeyOf(event: { data: object }): string | undefined {
  const data = event.data as { club?: Slug; player?: Slug };
  return data.club && data.player ? pursuitKey(data.club, data.player) : undefined;
}

export const pursuitKey = (club: Slug, player: Slug) => `${club}/${player}`;

export function evolvePursuit(state: PursuitState, event: SquadEvent): PursuitState {
  const ref = claimRefOf(event);
  if (event.type === 'ClaimDisputed') {
    const disputed = event.data.disputedType;
    return { ...state, disputes: { ...state.disputes, [disputed]: [...(state.disputes[disputed] ?? []), ref] } };
  }
  return { ...state, claims: { ...state.claims, [event.type]: [...(state.claims[event.type] ?? []), ref] } };
}
