import type { IsoDate, Slug } from '@squad/domain';
import type { EventStore, StoredEvent } from '@squad/event-store';
import {
  CLUB_DOCUMENTS,
  clubDocumentBodies,
  clubsNamedBy,
  envelope,
  factsAt,
  fromDay,
  playerAt,
  sameDocument,
  toDay,
  withEnvelope,
  type ClubDocument,
  type Day,
  type ProjectedEvent,
  type ReadView,
  type ReportInfo,
} from '@squad/projections';

export interface ReplayWindowOptions {
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** Only these clubs' documents, on every day visited; none: the clubs each day's reports touch. */
  readonly clubs?: readonly Slug[];
  readonly formation: string;
}

/** A report as a replay tells it: the report contract (its claims with their valid day). */
export interface ReplayReport {
  readonly reportId: string;
  readonly source: ReportInfo['source'];
  readonly publishedOn: IsoDate;
  readonly publishedOnApprox: boolean;
  readonly claims: readonly ({ readonly type: string; readonly effectiveOn: IsoDate } & Record<string, unknown>)[];
}

/** One simulated day, as JSON text `{ day, reports, changes: [{ model, club, document }] }`. */
export interface ReplayDay {
  readonly day: IsoDate;
  readonly json: string;
  readonly reports: number;
  readonly events: number;
  readonly changes: readonly { readonly model: ClubDocument; readonly club: Slug; readonly json: string }[];
}

/** Events read per query at most when fetching a run of reports. */
const MAX_READ = 1000;

/**
 * A window of record time, walked one simulated day at a time: for each day, the reports
 * published that day (in store order, read from the store a day at a time, never the whole log)
 * and the club documents that changed, as of that day and as known that day (by that day's
 * reports, or by facts learned earlier that take effect that day). Documents are
 * compared with the ones told before (without their clocks), so a day carries only what changed.
 *
 * The view is fixed when the replay starts (canonical history frozen at that position, or a
 * branch), so the same replay over the same store tells the same days, byte for byte.
 */
export class ReplayWindow {
  readonly first: Day;
  readonly last: Day;
  /** The body of each document told last (its clocks aside), by `club\nmodel`. */
  private told = new Map<string, object>();

  constructor(
    readonly view: ReadView,
    private readonly store: EventStore,
    private options: ReplayWindowOptions,
  ) {
    this.first = toDay(options.from);
    this.last = toDay(options.to);
  }

  /** The clubs followed (undefined: those each day touches). */
  get clubs(): readonly Slug[] | undefined {
    return this.options.clubs;
  }

  /** Follows other clubs from the next day on (their documents are told whole). */
  follow(clubs: readonly Slug[] | undefined): void {
    this.options = { ...this.options, clubs };
    this.reset();
  }

  get days(): number {
    return this.last - this.first + 1;
  }

  /** How many reports the window holds (a day index look-up per day). */
  reportCount(): number {
    let count = 0;
    for (let day = this.first; day <= this.last; day++) count += this.view.reportsPublishedOn(day).length;
    return count;
  }

  /**
   * The first day at or after `day`, within the window, with news: reports published that day,
   * or facts learned earlier that take effect that day (a transfer reported in June, effective
   * on 1 July; a loan ending by itself after its `until` date).
   */
  nextDayWithNews(day: Day): Day | undefined {
    for (let d = Math.max(day, this.first); d <= this.last; d++) {
      if (this.view.reportsPublishedOn(d).length > 0 || this.takingEffectOn(d).length > 0) return d;
    }
    return undefined;
  }

  /** The facts that change the documents on `day`, known by then, though not published that day. */
  private takingEffectOn(day: Day): readonly ProjectedEvent[] {
    const facts = this.view.takingEffectOn(day);
    return facts.every((fact) => fact.knownFrom <= day) ? facts : facts.filter((fact) => fact.knownFrom <= day);
  }

  /** Forgets which documents were told: the next day tells its documents whole (after a seek). */
  reset(): void {
    this.told = new Map();
  }

  async day(day: Day): Promise<ReplayDay> {
    const iso = fromDay(day);
    const reports = await this.reportsOf(this.view.reportsPublishedOn(day));
    const time = { asOf: iso, knownAt: iso };
    const head = envelope(this.view, time);
    const changes: { model: ClubDocument; club: Slug; json: string }[] = [];
    for (const club of this.options.clubs ??
      this.clubsTouched(
        [
          ...reports.flatMap((r) => r.claims.map((claim) => ({ type: claim.type, fields: claim }))),
          ...this.takingEffectOn(day).map((fact) => ({ type: fact.type, fields: fact.data })),
        ],
        day,
      )) {
      const bodies = clubDocumentBodies(this.view, club, time, this.options.formation);
      for (const model of CLUB_DOCUMENTS) {
        const key = `${club}\n${model}`;
        // the clocks differ every day; compare what the document says
        if (sameDocument(this.told.get(key), bodies[model])) continue;
        this.told.set(key, bodies[model]);
        changes.push({ model, club, json: JSON.stringify(withEnvelope(head, bodies[model])) });
      }
    }
    const changesJson = changes
      .map((c) => `{"model":${JSON.stringify(c.model)},"club":${JSON.stringify(c.club)},"document":${c.json}}`)
      .join(',');
    return {
      day: iso,
      json: `{"day":${JSON.stringify(iso)},"reports":${JSON.stringify(reports)},"changes":[${changesJson}]}`,
      reports: reports.length,
      events: reports.reduce((n, r) => n + r.claims.length, 0),
      changes,
    };
  }

  /**
   * The clubs whose documents a day's news can change (the claims of its reports, and the facts
   * taking effect that day): those the claims name, the clubs a named player belongs to that
   * day, and the clubs pursuing him that day (news this season or the last, as known that day).
   */
  private clubsTouched(
    claims: readonly { readonly type: string; readonly fields: Readonly<Record<string, unknown>> }[],
    day: Day,
  ): Slug[] {
    const clubs = new Set<Slug>();
    const year = Number(fromDay(day).slice(0, 4));
    const clocks = { asOf: day, knownAt: day, asOfDate: fromDay(day) };
    for (const { type, fields } of claims) {
      for (const club of clubsNamedBy(type, fields)) clubs.add(club);
      const player = fields.player as Slug | undefined;
      if (!player) continue;
      const view = playerAt(this.view, player, clocks);
      if (view?.club) clubs.add(view.club);
      if (view?.loan) clubs.add(view.loan.toClub);
      for (const club of [
        ...(this.view.pursuersIn(player, year) ?? []),
        ...(this.view.pursuersIn(player, year - 1) ?? []),
      ]) {
        const pursuit = clubs.has(club) ? undefined : this.view.pursuitHistory(club, player);
        if (pursuit && factsAt(pursuit, day, day).length > 0) clubs.add(club);
      }
    }
    return [...clubs].filter((club) => this.view.hasClub(club)).sort();
  }

  /**
   * The reports' claims, read from the store by position. A report's claims are stored
   * together; reports stored one after the other (the usual case: a day's news recorded in
   * order) are read in one query. Every event read is checked against the report it should
   * belong to, so a guess about positions can cost a query, never a wrong claim.
   */
  private async reportsOf(infos: readonly ReportInfo[]): Promise<ReplayReport[]> {
    const out: ReplayReport[] = [];
    let i = 0;
    while (i < infos.length) {
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
      for await (const event of this.store.readAll({ fromPosition: BigInt(infos[i].position), maxCount: count }))
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
        out.push(reportOf(info, claims));
        k += info.claimCount;
      }
      if (matched === i) {
        // not where it was expected (positions with gaps): read this one report on its own
        out.push(await this.readOne(infos[i]));
        matched = i + 1;
      }
      i = matched;
    }
    return out;
  }

  private async readOne(info: ReportInfo): Promise<ReplayReport> {
    const claims: StoredEvent[] = [];
    for await (const event of this.store.readAll({ fromPosition: BigInt(info.position), maxCount: MAX_READ })) {
      const metadata = event.metadata as { reportId?: unknown };
      if (metadata.reportId === info.reportId) claims.push(event);
      if (claims.length === info.claimCount) break;
    }
    return reportOf(info, claims);
  }
}

function reportOf(info: ReportInfo, events: readonly StoredEvent[]): ReplayReport {
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
