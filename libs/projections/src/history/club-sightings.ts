import type { Slug } from '@squad/domain';

/**
 * When each club was named, in both record clocks, kept just well enough to tell whether a
 * what-if branch (or a frozen replay) sees the club: whether some fact naming it is stored at or
 * before a position and, for a record-time fork, published on or before a day.
 *
 * Per club a staircase of `[position, knownFrom]` pairs, flattened, in position order: the first
 * sighting, then each later one published earlier than every sighting before it. The last step
 * at or before a position thus holds the earliest publication day among the club's facts stored
 * up to there. Reports usually arrive in publication order, so a club has one step or a few; a
 * step costs two numbers, and answering is a binary search: forking never walks history.
 */
export type ClubSightings = Map<Slug, number[]>;

/**
 * Files a fact naming `club`, at `position` (increasing from call to call) published on day
 * `knownFrom`. True if this is the club's first sighting.
 */
export function noteClubSighting(sightings: ClubSightings, club: Slug, position: number, knownFrom: number): boolean {
  const steps = sightings.get(club);
  if (steps === undefined) {
    sightings.set(club, [position, knownFrom]);
    return true;
  }
  if (knownFrom < steps[steps.length - 1]) steps.push(position, knownFrom);
  return false;
}

/** Whether a fact naming the club is stored at or before `position` and (if given) published on or before `knownAt`. */
export function clubSeenBy(steps: readonly number[] | undefined, position: number, knownAt?: number): boolean {
  if (steps === undefined || steps[0] > position) return false;
  if (knownAt === undefined) return true;
  // the last step stored at or before `position`
  let low = 0;
  let high = steps.length / 2;
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if (steps[2 * mid] <= position) low = mid;
    else high = mid;
  }
  return steps[2 * low + 1] <= knownAt;
}
