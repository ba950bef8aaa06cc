import type { Day } from './calendar';

/**
 * What makes an event a fact of an entity's history: when it holds (valid) and when it was
 * learned (known). The event itself carries these, so a history holds one object per event.
 */
export interface Fact {
  readonly validFrom: Day;
  readonly knownFrom: Day;
  /** Global store position: orders facts that share both days, and makes redelivery harmless. */
  readonly position: number;
}

/** A checkpoint state is kept after every CHECKPOINT_EVERY facts (once a read needs it). */
export const CHECKPOINT_EVERY = 16;

/**
 * The history of one entity in both clocks: its facts in valid-time order, and checkpoints of
 * the entity's state with everything known, one per 16 facts. "As of day D" is a binary search
 * for the last fact valid on D, then at most 15 steps from the checkpoint before it: the cost
 * does not depend on how long the history is. "As of D, known at K" starts from the last
 * checkpoint whose facts were all learned by K (each checkpoint keeps the latest `knownFrom` it
 * folded), then folds the facts after it learned by K: when news is reported as it happens (the
 * usual case, and a replay's, where K is D), that is the same few steps.
 *
 * Checkpoints are a cache built on demand: filing a fact only drops those it makes stale, and a
 * read builds the ones it needs. So a rebuild files a million facts without folding any of them,
 * and an entity's first read folds its own history once (a few hundred facts at most).
 *
 * Plain data, so a whole read model can be snapshotted with v8.serialize.
 */
export interface History<E extends Fact, S> {
  readonly facts: E[];
  /**
   * checkpoints[j]: the state after facts[0 .. (j + 1) * CHECKPOINT_EVERY - 1], for a prefix of j.
   * Empty ones may be shared (most histories are never read): a read replaces an empty one before
   * adding to it.
   */
  checkpoints: Checkpoint<S>[];
  /** Latest `knownFrom` among the facts. */
  maxKnownFrom: Day;
  /** Latest `validFrom` among the facts (the last fact's): a later fact is appended without reading the last one. */
  maxValidFrom: Day;
}

export interface Checkpoint<S> {
  readonly state: S;
  /** The latest `knownFrom` among the facts folded into `state` (a running maximum). */
  readonly knownBy: Day;
}

const NO_CHECKPOINTS: Checkpoint<never>[] = Object.freeze([]) as never;

/**
 * Before every day, as the latest day of an empty history. A small integer rather than -Infinity:
 * a field that ever holds a double holds each value in a number object of its own, for every
 * history sharing the shape (two objects more per history, which a rebuild makes by the ten
 * thousand).
 */
const BEFORE_EVERY_DAY: Day = -(2 ** 30);

export function emptyHistory<E extends Fact, S>(): History<E, S> {
  return { facts: [], checkpoints: NO_CHECKPOINTS, maxKnownFrom: BEFORE_EVERY_DAY, maxValidFrom: BEFORE_EVERY_DAY };
}

/** A history of one fact (its array sized for it: most pursuits never have a second). */
export function historyStartingWith<E extends Fact, S>(fact: E): History<E, S> {
  return { facts: [fact], checkpoints: NO_CHECKPOINTS, maxKnownFrom: fact.knownFrom, maxValidFrom: fact.validFrom };
}

/** The order of facts in a history: valid time, then record time, then store position. */
export function factBefore(a: Fact, b: Fact): boolean {
  if (a.validFrom !== b.validFrom) return a.validFrom < b.validFrom;
  if (a.knownFrom !== b.knownFrom) return a.knownFrom < b.knownFrom;
  return a.position < b.position;
}

/**
 * Files a fact. Facts mostly arrive in valid-time order, so this is an append; a fact about an
 * earlier day drops the checkpoints after it.
 */
export function addFact<E extends Fact, S>(history: History<E, S>, fact: E): void {
  const facts = history.facts;
  if (fact.knownFrom > history.maxKnownFrom) history.maxKnownFrom = fact.knownFrom;
  // the usual case, an append: no checkpoint covers the end, so none goes stale
  if (fact.validFrom > history.maxValidFrom) {
    history.maxValidFrom = fact.validFrom;
    facts.push(fact);
    return;
  }
  let index = facts.length;
  while (index > 0 && factBefore(fact, facts[index - 1])) index--;
  if (index === facts.length) {
    facts.push(fact);
    return;
  }
  facts.splice(index, 0, fact);
  // checkpoints from the one covering `index` on are stale
  const firstStale = Math.floor(index / CHECKPOINT_EVERY);
  if (history.checkpoints.length > firstStale) history.checkpoints.length = firstStale;
}

/** Builds the missing checkpoints up to checkpoints[upTo]. */
function ensureCheckpoints<E extends Fact, S>(
  history: History<E, S>,
  upTo: number,
  initial: () => S,
  evolve: (state: S, event: E) => S,
): void {
  const { facts } = history;
  let checkpoints = history.checkpoints;
  if (checkpoints.length > upTo) return;
  if (checkpoints.length === 0) history.checkpoints = checkpoints = []; // maybe shared (see History)
  const previous = checkpoints.length > 0 ? checkpoints[checkpoints.length - 1] : undefined;
  let state = previous ? previous.state : initial();
  let knownBy = previous ? previous.knownBy : -Infinity;
  for (let j = checkpoints.length; j <= upTo; j++) {
    for (let i = j * CHECKPOINT_EVERY; i < (j + 1) * CHECKPOINT_EVERY; i++) {
      state = evolve(state, facts[i]);
      if (facts[i].knownFrom > knownBy) knownBy = facts[i].knownFrom;
    }
    checkpoints.push({ state, knownBy });
  }
}

/** Index of the last fact valid on `day` (-1 when none), by binary search. */
export function lastValidIndex(facts: readonly Fact[], day: Day): number {
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
export function stateAt<E extends Fact, S>(
  history: History<E, S>,
  asOf: Day,
  knownAt: Day | undefined,
  initial: () => S,
  evolve: (state: S, event: E) => S,
): S {
  const last = lastValidIndex(history.facts, asOf);
  const covering = Math.floor((last + 1) / CHECKPOINT_EVERY) - 1;
  if (covering >= 0) ensureCheckpoints(history, covering, initial, evolve);
  const { facts, checkpoints } = history;
  if (knownAt === undefined || knownAt >= history.maxKnownFrom) {
    let state = covering >= 0 ? checkpoints[covering].state : initial();
    for (let i = (covering + 1) * CHECKPOINT_EVERY; i <= last; i++) state = evolve(state, facts[i]);
    return state;
  }
  // the last checkpoint (up to `covering`) whose facts were all known at `knownAt`: `knownBy` only grows
  let low = 0;
  let high = covering + 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (checkpoints[mid].knownBy <= knownAt) low = mid + 1;
    else high = mid;
  }
  const from = low - 1;
  let state = from >= 0 ? checkpoints[from].state : initial();
  for (let i = (from + 1) * CHECKPOINT_EVERY; i <= last; i++) {
    if (facts[i].knownFrom <= knownAt) state = evolve(state, facts[i]);
  }
  return state;
}

/** The facts valid on or before `asOf` (and from `validFrom` on) and known on `knownAt`, in valid-time order. */
export function factsAt<E extends Fact>(
  history: History<E, unknown>,
  asOf: Day,
  knownAt: Day | undefined,
  validFrom?: Day,
): E[] {
  const last = lastValidIndex(history.facts, asOf);
  const first = validFrom === undefined ? 0 : lastValidIndex(history.facts, validFrom - 1) + 1;
  const out: E[] = [];
  for (let i = first; i <= last; i++) {
    const fact = history.facts[i];
    if (knownAt === undefined || fact.knownFrom <= knownAt) out.push(fact);
  }
  return out;
}
