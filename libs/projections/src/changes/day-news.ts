import type { IsoDate, Slug } from '@squad/domain';
import type { EventStore, StoredEvent } from '@squad/event-store';
import { factsAt } from '../history/bitemporal-history';
import { fromDay, type Day } from '../history/calendar';
import { playerAt } from '../player/player-at';
import type { ReportInfo } from '../read-model/projected-event';
import { clubsNamedBy } from '../read-model/routes';
import type { ReadView } from '../views/read-view';

/**
 * What a day's news is made of, for the readers of record time (replays, the changes since a
 * day): the reports published that day with their claims (read from the store: the read model
 * keeps a report's provenance, not its claims in one place), and the clubs whose documents they
 * can change.
 */

/** A report with its claims, as the report contract has them (each claim with its valid day). */
export interface DayReport {
  readonly reportId: string;
  readonly source: ReportInfo['source'];
  readonly publishedOn: IsoDate;
  readonly publishedOnApprox: boolean;
  readonly claims: readonly ({ readonly type: string; readonly effectiveOn: IsoDate } & Record<string, unknown>)[];
}

/** A claim as `clubsTouchedBy` reads it: its type and its fields. */
export interface ClaimOfNews {
  readonly type: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * Asked between two units of work (a run of reports read, a claim looked at): undefined to carry
 * on, or a promise to wait for, so that a wide day never holds the event loop (see `ReplayTurns`).
 */
export type Pause = () => Promise<void> | undefined;

/** Events read per query at most when fetching a run of reports. */
const MAX_READ = 1000;

/**
 * The reports' claims, read from the store by position. A report's claims are stored
 * together; reports stored one after the other (the usual case: a day's news recorded in
 * order) are read in one query. Every event read is checked against the report it should
 * belong to, so a guess about positions can cost a query, never a wrong claim.
 */
export async function readDayReports(
  store: EventStore,
  infos: readonly ReportInfo[],
  pause?: Pause,
): Promise<DayReport[]> {
  const out: DayReport[] = [];
  let i = 0;
  while (i < infos.length) {
    const waiting = pause?.();
    if (waiting) await waiting;
    // a run of reports whose positions follow each other
    let j = i + 1;
    let count = infos[i].claimCount;
    while (
      j < infos.length &&
      infos[j].position === infos[j - 1].position + infos[j - 1].claimCount &&
      count + infos[j].claimCount <= MAX_READ
    ) {
      count += infos[j].claimCount;
      j++;
    }
    const events: StoredEvent[] = [];
    for await (const event of store.readAll({ fromPosition: BigInt(infos[i].position), maxCount: count }))
      events.push(event);
    let k = 0;
    let matched = i;
    for (; matched < j; matched++) {
      const info = infos[matched];
      const claims = events.slice(k, k + info.claimCount);
      if (
        !claims.every(
          (e, index) =>
            (e.metadata as { reportId?: unknown }).reportId === info.reportId &&
            (e.metadata as { claimIndex?: unknown }).claimIndex === index,
        ) ||
        claims.length !== info.claimCount
      )
        break;
      out.push(dayReportOf(info, claims));
      k += info.claimCount;
    }
    if (matched === i) {
      // not where it was expected (positions with gaps): read this one report on its own
      out.push(await readOne(store, infos[i]));
      matched = i + 1;
    }
    i = matched;
  }
  return out;
}

async function readOne(store: EventStore, info: ReportInfo): Promise<DayReport> {
  const claims: StoredEvent[] = [];
  for await (const event of store.readAll({ fromPosition: BigInt(info.position), maxCount: MAX_READ })) {
    const metadata = event.metadata as { reportId?: unknown };
    if (metadata.reportId === info.reportId) claims.push(event);
    if (claims.length === info.claimCount) break;
  }
  return dayReportOf(info, claims);
}

function dayReportOf(info: ReportInfo, events: readonly StoredEvent[]): DayReport {
  return {
    reportId: info.reportId,
    source: info.source,
    publishedOn: info.publishedOn,
    publishedOnApprox: info.publishedOnApprox,
    claims: events.map((event) => {
      const { contradicts: _contradicts, ...data } = event.data as Record<string, unknown> & { effectiveOn: IsoDate };
      return { type: event.type, ...data };
    }),
  };
}

/** A report's claims as `clubsTouchedBy` reads them. */
export const claimsOfReport = (report: DayReport): ClaimOfNews[] =>
  report.claims.map((claim) => ({ type: claim.type, fields: claim }));

/**
 * The clubs whose documents news of `day` can change (claims of its reports, or facts taking
 * effect that day): those the claims name, the clubs a named player belongs to that day, and
 * the clubs pursuing him that day (news this season or the last, as known that day). Sorted;
 * only clubs the view knows.
 */
export async function clubsTouchedBy(
  view: ReadView,
  claims: readonly ClaimOfNews[],
  day: Day,
  pause?: Pause,
): Promise<Slug[]> {
  const clubs = new Set<Slug>();
  const year = Number(fromDay(day).slice(0, 4));
  const clocks = { asOf: day, knownAt: day, asOfDate: fromDay(day) };
  for (const { type, fields } of claims) {
    const waiting = pause?.();
    if (waiting) await waiting;
    for (const club of clubsNamedBy(type, fields)) clubs.add(club);
    const player = fields.player as Slug | undefined;
    if (!player) continue;
    const at = playerAt(view, player, clocks);
    if (at?.club) clubs.add(at.club);
    if (at?.loan) clubs.add(at.loan.toClub);
    for (const club of [...(view.pursuersIn(player, year) ?? []), ...(view.pursuersIn(player, year - 1) ?? [])]) {
      const pursuit = clubs.has(club) ? undefined : view.pursuitHistory(club, player);
      if (pursuit && factsAt(pursuit, day, day).length > 0) clubs.add(club);
    }
  }
  return [...clubs].filter((club) => view.hasClub(club)).sort();
}
