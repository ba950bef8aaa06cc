import type { IsoDate } from '@squad/domain';
import { toDay } from '../history/calendar';
import type { ReportInfo } from '../read-model/projected-event';
import type { Clocks } from '../views/clocks';

/**
 * How long a fact that only news keeps true may go without news before it is flagged `stale`
 * (README, "Staleness"). The flag never changes a verdict: a stale injury still counts the
 * player injured, a stale pursuit is still listed; it says the fact is an old report, not news.
 */
export const STALE_AFTER_DAYS = {
  /** An injury with no expected return date, or past it. */
  injury: 60,
  /** An open pursuit (interest, talks, a bid), unless a renewal is expected later. */
  pursuit: 90,
  /** A loan with no `until`, or past it without a return or an extension reported: a season. */
  loan: 365,
} as const;

/** When we last had news of a fact, and whether that is too long ago to take it as current. */
export interface News {
  /** Record time: the publication day of the latest report about the fact, among those known at `knownAt`. */
  readonly lastNewsOn: IsoDate;
  /** That publication day is approximate (an undated article, a data provider's window day). */
  readonly lastNewsOnApprox?: true;
  readonly stale: boolean;
}

/**
 * The later of two reports about one fact, by publication day: the latest news of it. (The
 * histories fold facts in valid-time order, so the report folded last is not always the newest.)
 */
export function latestReport(known: ReportInfo | undefined, report: ReportInfo): ReportInfo {
  return known === undefined || report.publishedOn >= known.publishedOn ? report : known;
}

/**
 * The news of a fact on `asOf`: stale when more than `staleAfterDays` passed since its latest
 * report, unless the reports gave it an end still ahead (`forecastUntil`: an expected return, a
 * loan's `until`), since silence until then is what was reported. Record time is the report's
 * publication day whatever its source: an imported record's window day counts as given, so a
 * thirty-year-old record is stale decades later rather than current because it was imported now.
 */
export function newsOf(report: ReportInfo, c: Clocks, staleAfterDays: number, forecastUntil?: IsoDate): News {
  const expected = forecastUntil !== undefined && c.asOfDate <= forecastUntil;
  const stale = !expected && c.asOf - toDay(report.publishedOn) > staleAfterDays;
  return {
    lastNewsOn: report.publishedOn,
    ...(report.publishedOnApprox ? { lastNewsOnApprox: true as const } : {}),
    stale,
  };
}
