import type { IsoDate, Slug } from '@squad/domain';
import { stateAt } from '../history/bitemporal-history';
import { reportedIn } from '../read-model/provenance';
import { newsOf, STALE_AFTER_DAYS, type News } from '../staleness/staleness';
import { readView, type ReadSource, type ReadView } from '../views/read-view';
import type { Clocks } from '../views/clocks';
import { evolvePlayerView, initialPlayerView, type PlayerView } from './player.projection';

/** A player's view on `c.asOf` as known on `c.knownAt`, folded from his history. */
export function playerOn(view: ReadView, player: Slug, c: Clocks): PlayerView | undefined {
  const history = view.playerHistory(player);
  if (!history) return undefined;
  return stateAt(history, c.asOf, c.knownAt, initialPlayerView(player), evolvePlayerView);
}

/** `playerOn` from a read model or a view. */
export function playerAt(source: ReadSource, player: Slug, c: Clocks): PlayerView | undefined {
  return playerOn(readView(source), player, c);
}

/** His age in whole years on `asOf`: exact from a birth date, approximate (±1) from a birth year. */
export function ageOn(view: PlayerView, asOf: IsoDate): { age: number; ageApprox?: true } | undefined {
  if (view.birthDate !== undefined) {
    const years = Number(asOf.slice(0, 4)) - Number(view.birthDate.slice(0, 4));
    return { age: asOf.slice(5) >= view.birthDate.slice(5) ? years : years - 1 };
  }
  if (view.birthYear !== undefined) return { age: Number(asOf.slice(0, 4)) - view.birthYear, ageApprox: true };
  return undefined;
}

/** A valuation as the documents show it, with where it was reported. */
export function valuationOf({ report, ...valuation }: NonNullable<PlayerView['valuation']>) {
  return { ...valuation, ...reportedIn(report) };
}

type Injury = NonNullable<PlayerView['injury']>;
type Loan = NonNullable<PlayerView['loan']>;

/**
 * His injury as the documents show it, with how old its news is: stale after
 * `STALE_AFTER_DAYS.injury` without news, once no return is expected any more (none was given,
 * or its day has passed). He still counts as injured: the flag warns, it does not decide.
 */
export function injuryOf(view: PlayerView, c: Clocks): (Injury & Partial<News>) | undefined {
  const { injury, injuryNews } = view;
  if (!injury) return undefined;
  // (an injury always comes with its report: see `evolvePlayerView`)
  if (!injuryNews) return injury;
  return { ...injury, ...newsOf(injuryNews, c, STALE_AFTER_DAYS.injury, injury.expectedReturnOn) };
}

/**
 * His loan as the documents show it, with how old its news is: stale after
 * `STALE_AFTER_DAYS.loan` without news when it has no `until`, or its `until` has passed with no
 * return or extension reported.
 */
export function loanOf(view: PlayerView, c: Clocks): (Loan & Partial<News>) | undefined {
  const { loan, loanNews } = view;
  if (!loan) return undefined;
  if (!loanNews) return loan;
  return { ...loan, ...newsOf(loanNews, c, STALE_AFTER_DAYS.loan, loan.until) };
}
