import type { Day } from './calendar';

/** One fact filed under an entity: when it holds (valid) and when it was learned (known). */
export interface Fact<E> {
  readonly validFrom: Day;
  readonly knownFrom: Day;
  /** Global store position: orders facts that share both days, and makes redelivery harmless. */
  readonly position: number;
  readonly event: E;
}

/** A checkpoint state is kept after every CHECKPOINT_EVERY facts. */
export const CHECKPOINT_EVERY = 16;

/**
 * The history of one entity in both clocks: its facts in valid-time order, and, after every
 * 16th fact, the entity's state with everything known. "As of day D" is a binary search for the
 * last fact valid on D, then at most 15 steps from the checkpoint before it: the cost does not
 * depend on how long the history is. "As of D, known at K" folds only this entity's facts
 * learned by K (unless all of them were, which is the common case).
 *
 * Plain data, so a whole read model can be snapshotted with v8.serialize.
 */
export interface History<E, S> {
  readonly facts: Fact<E>[];
  /** checkpoints[j]: the state after facts[0 .. (j + 1) * CHECKPOINT_EVERY - 1]. */
  readonly checkpoints: S[];
  /** Latest `knownFrom` among the facts. */
  maxKnownFrom: Day;
}

export function emptyHistory<E, S>(): History<E, S> {
  return { facts: [], checkpoints: [], maxKnownFrom: -Infinity };
}

function before<E>(a: Fact<E>, b: Fact<E>): boolean {
  if (a.validFrom !== b.validFrom) return a.validFrom < b.validFrom;
  if (a.knownFrom !== b.knownFrom) return a.knownFrom < b.knownFrom;
  return a.position < b.position;
}

/**
 * Files a fact. Facts mostly arrive in valid-time order, so this is an append; a fact about an
 * earlier day recomputes only the checkpoints after it.
 */
export function addFact<E, S>(history: History<E, S>, fact: Fact<E>, initial: () => S, evolve: (state: S, event: E) => S): void {
  const { facts, checkpoints } = history;
  if (fact.knownFrom > history.maxKnownFrom) history.maxKnownFrom = fact.knownFrom;
  let index = facts.length;
  while (index > 0 && before(fact, facts[index - 1])) index--;
  if (index === facts.length) facts.push(fact);
  else facts.splice(index, 0, fact);
  // checkpoints from the one covering `index` on are stale
  const firstStale = Math.floor(index / CHECKPOINT_EVERY);
  if (checkpoints.length > firstStale) checkpoints.length = firstStale;
  let state = checkpoints.length > 0 ? checkpoints[checkpoints.length - 1] : initial();
  for (let j = checkpoints.length; (j + 1) * CHECKPOINT_EVERY <= facts.length; j++) {
    for (let i = j * CHECKPOINT_EVERY; i < (j + 1) * CHECKPOINT_EVERY; i++) state = evolve(state, facts[i].event);
    checkpoints.push(state);
  }
}

/** Index of the last fact valid on `day` (-1 when none), by binary search. */
export function lastValidIndex<E>(facts: readonly Fact<E>[], day: Day): number {
  let low = 0;
  let high = facts.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (facts[mid].validFrom <= day) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

/** The entity's state on `asOf` as known on `knownAt` (undefined: everything known). */
export function stateAt<E, S>(
  history: History<E, S>,
  asOf: Day,
  knownAt: Day | undefined,
  initial: () => S,
  evolve: (state: S, event: E) => S,
): S {
  const last = lastValidIndex(history.facts, asOf);
  if (knownAt === undefined || knownAt >= history.maxKnownFrom) {
    const checkpoint = Math.floor((last + 1) / CHECKPOINT_EVERY) - 1;
    let state = checkpoint >= 0 ? history.checkpoints[checkpoint] : initial();
    for (let i = (checkpoint + 1) * CHECKPOINT_EVERY; i <= last; i++) state = evolve(state, history.facts[i].event);
    return state;
  }
  let state = initial();
  for (let i = 0; i <= last; i++) {
    if (history.facts[i].knownFrom <= knownAt) state = evolve(state, history.facts[i].event);
  }
  return state;
}

/** The facts valid on or before `asOf` (and from `validFrom` on) and known on `knownAt`, in valid-time order. */
export function factsAt<E>(history: History<E, unknown>, asOf: Day, knownAt: Day | undefined, validFrom?: Day): Fact<E>[] {
  const last = lastValidIndex(history.facts, asOf);
  const first = validFrom === undefined ? 0 : lastValidIndex(history.facts, validFrom - 1) + 1;
  const out: Fact<E>[] = [];
  for (let i = first; i <= last; i++) {
    const fact = history.facts[i];
    if (knownAt === undefined || fact.knownFrom <= knownAt) out.push(fact);
  }
  return out;
}
