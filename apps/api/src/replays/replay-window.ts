import type { IsoDate, Slug } from '@squad/domain';
import type { EventStore } from '@squad/event-store';
import {
  CLUB_DOCUMENTS,
  claimsOfReport,
  clubDocumentBodies,
  clubsTouchedBy,
  envelope,
  fromDay,
  readDayReports,
  sameDocument,
  toDay,
  withEnvelope,
  type ClubDocument,
  type Day,
  type ClaimOfNews,
  type DayReport,
  type ProjectedEvent,
  type ReadView,
  type ReportInfo,
} from '@squad/projections';
import type { Turns } from './replay-turns';

export interface ReplayWindowOptions {
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** Only these clubs' documents, on every day visited; none: the clubs each day's reports touch. */
  readonly clubs?: readonly Slug[];
  readonly formation: string;
  /** The client named `formation`: it applies even where a club's manager prefers another. */
  readonly formationRequested?: boolean;
}

/** A report as a replay tells it: the report contract (its claims with their valid day). */
export type ReplayReport = DayReport;

/** One simulated day, as JSON text `{ day, reports, changes: [{ model, club, document }] }`. */
export interface ReplayDay {
  readonly day: IsoDate;
  readonly json: string;
  readonly reports: number;
  readonly events: number;
  readonly changes: readonly { readonly model: ClubDocument; readonly club: Slug; readonly json: string }[];
}

/** Days looked at between two checks of the time slice when indexing a window (each day: two look-ups). */
const INDEX_CHUNK_DAYS = 256;

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
  /**
   * The window's days with news, one bit a day (at most 36,600 days: 4.6 KB), and its reports,
   * counted once (`index`): the view is frozen, so what a day holds never changes, and finding
   * the next day with news is a look at a few words, never a walk over the days left.
   */
  private indexed: { readonly news: Uint32Array; readonly reports: number } | undefined;

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

  /** How many reports the window holds. */
  reportCount(): number {
    return this.indexOfDays().reports;
  }

  /**
   * Looks at every day of the window once (see `indexed`), a stretch of days at a time with
   * other work of the process running between them (a century is 36,525 days: tens of
   * milliseconds at once). A question asked before it is done is answered at once, by indexing
   * the whole window then.
   */
  async index(turns: Turns): Promise<void> {
    const building = { news: new Uint32Array(Math.ceil(this.days / 32)), reports: 0 };
    for (let day = this.first; day <= this.last && !this.indexed; day += INDEX_CHUNK_DAYS) {
      this.indexDays(building, day, Math.min(this.last, day + INDEX_CHUNK_DAYS - 1));
      const pause = turns.pause();
      if (pause) await pause;
    }
    this.indexed ??= building;
  }

  /**
   * The first day at or after `day`, within the window, with news: reports published that day,
   * or facts learned earlier that take effect that day (a transfer reported in June, effective
   * on 1 July; a loan ending by itself after its `until` date).
   */
  nextDayWithNews(day: Day): Day | undefined {
    const from = Math.max(day, this.first) - this.first;
    if (from >= this.days) return undefined;
    const { news } = this.indexOfDays();
    let word = from >>> 5;
    let bits = news[word] & (-1 << (from & 31));
    for (;;) {
      // the lowest bit set: the first day with news in this word
      if (bits !== 0) return this.first + (word << 5) + (31 - Math.clz32(bits & -bits));
      if (++word >= news.length) return undefined;
      bits = news[word];
    }
  }

  private indexOfDays(): { readonly news: Uint32Array; readonly reports: number } {
    if (!this.indexed) {
      const building = { news: new Uint32Array(Math.ceil(this.days / 32)), reports: 0 };
      this.indexDays(building, this.first, this.last);
      this.indexed = building;
    }
    return this.indexed;
  }

  private indexDays(into: { news: Uint32Array; reports: number }, from: Day, to: Day): void {
    for (let day = from; day <= to; day++) {
      const published = this.view.reportsPublishedOn(day).length;
      into.reports += published;
      const bit = day - this.first;
      if (published > 0 || this.takingEffectOn(day).length > 0) into.news[bit >>> 5] |= 1 << (bit & 31);
    }
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

  /**
   * The message of `day`. With `turns`, the work is cut at every club's documents and every run
   * of reports read, so a wide day never holds the event loop for long (see `ReplayTurns`).
   */
  async day(day: Day, turns?: Turns): Promise<ReplayDay> {
    const iso = fromDay(day);
    const published = await this.reportsOf(this.view.reportsPublishedOn(day), turns);
    const reports = this.options.clubs
      ? await this.reportsTouching(this.options.clubs, published, day, turns)
      : published;
    const time = { asOf: iso, knownAt: iso };
    const head = envelope(this.view, time);
    const changes: { model: ClubDocument; club: Slug; json: string }[] = [];
    const clubs =
      this.options.clubs ??
      (await this.clubsTouched(
        [
          ...reports.flatMap(claimsOfReport),
          ...this.takingEffectOn(day).map((fact) => ({ type: fact.type, fields: fact.data })),
        ],
        day,
        turns,
      ));
    for (const club of clubs) {
      const pause = turns?.pause();
      if (pause) await pause;
      const bodies = clubDocumentBodies(this.view, club, time, this.options.formation, this.options.formationRequested);
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
   * The reports of the day that touch one of the clubs followed (see `clubsTouched`): a replay of
   * Juventus in the imported history lists the moves of Juventus and of its players, not the
   * five thousand reports of every club published on 1 July.
   */
  private async reportsTouching(
    followed: readonly Slug[],
    reports: readonly ReplayReport[],
    day: Day,
    turns: Turns | undefined,
  ): Promise<ReplayReport[]> {
    const kept: ReplayReport[] = [];
    for (const report of reports) {
      const touched = await this.clubsTouched(claimsOfReport(report), day, turns);
      if (touched.some((club) => followed.includes(club))) kept.push(report);
    }
    return kept;
  }

  /** The clubs whose documents the claims can change that day (see `clubsTouchedBy`). */
  private clubsTouched(claims: readonly ClaimOfNews[], day: Day, turns: Turns | undefined): Promise<Slug[]> {
    return clubsTouchedBy(this.view, claims, day, turns && (() => turns.pause()));
  }

  /** The reports' claims, read from the store (see `readDayReports`). */
  private reportsOf(infos: readonly ReportInfo[], turns: Turns | undefined): Promise<ReplayReport[]> {
    return readDayReports(this.store, infos, turns && (() => turns.pause()));
  }
}
