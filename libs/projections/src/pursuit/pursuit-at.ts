import type { IsoDate, Slug } from '@squad/domain';
import { stateAt } from '../history/bitemporal-history';
import { toDay } from '../history/calendar';
import { readView, type ReadSource, type ReadView } from '../views/read-view';
import type { Clocks } from '../views/clocks';
import { latestReport, newsOf, STALE_AFTER_DAYS, type News } from '../staleness/staleness';
import { playerOn } from '../player/player-at';
import type { PlayerView } from '../player/player.projection';
import { evolvePursuitView, initialPursuitView, isOpen, type PursuitView } from './pursuit.projection';

/**
 * A pursuit with no news for this long (valid time) leaves the target list, open or closed;
 * before that, an open one is flagged stale (`pursuitNews`).
 */
export const TARGET_NEWS_HORIZON_DAYS = 365;

/**
 * One club's pursuit of one player on `c.asOf` as known on `c.knownAt`. `him`: the player's view
 * for the same clocks, when the caller has it (else it is folded, for an open pursuit only).
 */
export function pursuitOn(
  view: ReadView,
  club: Slug,
  player: Slug,
  c: Clocks,
  him?: PlayerView,
): PursuitView | undefined {
  const history = view.pursuitHistory(club, player);
  if (!history) return undefined;
  const pursuit = stateAt(history, c.asOf, c.knownAt, initialPursuitView(club, player), evolvePursuitView);
  return isOpen(pursuit.stage) ? lostIfHeLeft(pursuit, him ?? playerOn(view, player, c)) : pursuit;
}

/**
 * An open pursuit of a player who has since joined another club is lost, for every club but
 * the one he joined: its stage says so, with the move (`lostTo`), and it is no longer open (a
 * bid on him is no bid any more). A move before the pursuit began is where the pursuer went
 * after him, not a loss.
 */
function lostIfHeLeft(pursuit: PursuitView, him: PlayerView | undefined): PursuitView {
  const joined = him?.joined;
  if (!joined || joined.club === pursuit.club || !pursuit.since || joined.on < pursuit.since) return pursuit;
  return {
    ...pursuit,
    stage: 'lost',
    lostTo: joined,
    // the move is the pursuit's latest news
    lastNewsOn: pursuit.lastNewsOn && pursuit.lastNewsOn > joined.on ? pursuit.lastNewsOn : joined.on,
    latestReport: latestReport(pursuit.latestReport, joined.report),
  };
}

/** Every club that ever pursued the player: the union of his yearly buckets (a few dozen at most). */
export function everyPursuer(source: ReadSource, player: Slug): Set<Slug> {
  const pursuers = new Set<Slug>();
  for (const bucket of readView(source).pursuerBuckets(player)) for (const club of bucket) pursuers.add(club);
  return pursuers;
}

/** The members of the year-`asOf` and previous-year buckets: a season's worth, whatever the history. */
export function recentBuckets(bucket: (year: number) => Iterable<Slug> | undefined, asOf: IsoDate): Set<Slug> {
  const year = Number(asOf.slice(0, 4));
  return new Set([...(bucket(year - 1) ?? []), ...(bucket(year) ?? [])]);
}

/** A pursuit counts on `asOf` when it has begun and had news within the horizon. */
export function isCurrent(pursuit: PursuitView | undefined, c: Clocks): pursuit is PursuitView {
  return (
    !!pursuit &&
    pursuit.stage !== 'none' &&
    !!pursuit.lastNewsOn &&
    toDay(pursuit.lastNewsOn) >= c.asOf - TARGET_NEWS_HORIZON_DAYS
  );
}

/**
 * How old a pursuit's news is: an open pursuit (a rumour) is stale after
 * `STALE_AFTER_DAYS.pursuit` without news, unless a renewal was said to come later (silence until
 * then is expected); a signed or abandoned one is an outcome, never stale.
 */
export function pursuitNews(pursuit: PursuitView, c: Clocks): News | undefined {
  if (!pursuit.latestReport) return undefined;
  const after = isOpen(pursuit.stage) ? STALE_AFTER_DAYS.pursuit : Number.POSITIVE_INFINITY;
  return newsOf(pursuit.latestReport, c, after, pursuit.renewalExpectedFrom);
}

/**
 * The other clubs pursuing a player on `asOf` (open, current pursuits: a season's buckets), by
 * club slug: a target's rivals, a squad player's suitors.
 */
export function openPursuersOf(view: ReadView, player: Slug, except: Slug | undefined, c: Clocks, him?: PlayerView) {
  return [...recentBuckets((year) => view.pursuersIn(player, year), c.asOfDate)]
    .filter((other) => other !== except)
    .map((other) => ({ club: other, pursuit: pursuitOn(view, other, player, c, him) }))
    .filter((rival) => isCurrent(rival.pursuit, c) && isOpen(rival.pursuit.stage))
    .map(({ club, pursuit }) => ({
      club,
      stage: pursuit!.stage,
      ...(pursuit!.lastBid ? { lastBid: pursuit!.lastBid } : {}),
      ...pursuitNews(pursuit!, c),
    }))
    .sort((a, b) => a.club.localeCompare(b.club));
}

/** The club's current pursuits on `asOf`: its targets before any detail is added. */
export function currentPursuits(view: ReadView, club: Slug, c: Clocks): { player: Slug; pursuit: PursuitView }[] {
  const out: { player: Slug; pursuit: PursuitView }[] = [];
  for (const player of recentBuckets((year) => view.clubTargetsIn(club, year), c.asOfDate)) {
    const pursuit = pursuitOn(view, club, player, c);
    if (isCurrent(pursuit, c)) out.push({ player, pursuit });
  }
  return out;
}
