import { isIsoDate, isSlug, POSITIONS, type IsoDate, type Slug } from '@squad/domain';
import type { EventStore } from '@squad/event-store';
import { fromDay, toDay, type Day } from '../history/calendar';
import { sameDocument } from '../documents/same-document';
import { targetsBody, type ClubDocument } from '../documents/club-documents';
import type { TargetEntry } from '../pursuit/targets.query';
import { squadDepthAndOutgoing } from '../squad/squad-depth.query';
import type { ReadView } from '../views/read-view';
import { claimsOfReport, clubsTouchedBy, readDayReports, type DayReport, type Pause } from './day-news';

/**
 * What the news published in a span of record time changed in the club documents (squad depth,
 * targets, outgoing candidates): a dashboard's "since your last visit".
 *
 * A day's changes are the difference between the club's documents as known the day before and
 * as known that day, both as of that day (valid time): exactly what that day's reports changed,
 * whatever their `effectiveOn`. A report published on 10 July about an injury dated 1 July shows
 * on 10 July, its publication day; a fact reported earlier that takes effect on a later day is
 * no news of that day (both sides know it). A back-dated fact whose effect was over by its
 * publication day (injured and back, both reported afterwards) changes nothing as of that day
 * and is not told.
 */

/**
 * `disputed`: a target gains a report contradicting one of its claims (a `ClaimDisputed`, or a
 * later claim that contradicts an earlier one). The claim vocabulary has no retraction yet
 * (`libs/domain/src/claims.ts`): when it gets one, `retracted` joins these.
 */
export const CHANGE_KINDS = ['added', 'changed', 'removed', 'disputed'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What an entry is about: a player (in any document), or a position's depth (squad depth). */
export type ChangeSubjectKind = 'player' | 'position';

export interface ChangeEntry {
  /** The publication day of the reports that made the change. */
  readonly publishedOn: IsoDate;
  readonly club: Slug;
  readonly document: ClubDocument;
  readonly change: ChangeKind;
  readonly subjectKind: ChangeSubjectKind;
  /** A player's slug, or a football position (`CB`). */
  readonly subject: string;
  /** The subject's entry in the document as known the day before (absent: it was not there). */
  readonly before?: object;
  /** Its entry as known that day (absent: it left the document). */
  readonly after?: object;
  /** The reports published that day that changed it (those about the player; else every report of the day touching the club). */
  readonly reports: readonly string[];
}

/** Where a page resumes: on `day`, at `club` (clubs sorted; those before it are done), skipping `skip` of its entries. */
export interface ChangesCursor {
  readonly day: IsoDate;
  readonly club?: Slug;
  readonly skip: number;
}

export interface ChangesQuery {
  readonly since: IsoDate;
  readonly until: IsoDate;
  /** One club; undefined: every club the news touched. */
  readonly club?: Slug;
  readonly limit: number;
  readonly cursor?: ChangesCursor;
  /** The default formation (squad depth's verdicts): a manager's preferred one wins, as in the documents. */
  readonly formation: string;
}

export interface ChangesPage {
  /** Newest day first; within a day by club, then document (squad depth, targets, outgoing), then subject. */
  readonly entries: ChangeEntry[];
  /** Where the next page starts; undefined: this page is the last. A page may be short while more follow. */
  readonly next: ChangesCursor | undefined;
}

/**
 * What one page may cost, whatever `limit`: club-days whose documents are compared (each is six
 * documents), and reports read from the store (a day is read whole once begun: the imported
 * history has ~5,000 reports on one 1 July). Past either, the page ends short with `next`.
 */
export interface ChangesBudget {
  readonly clubDays: number;
  readonly reports: number;
}
export const CHANGES_BUDGET: ChangesBudget = { clubDays: 100, reports: 20_000 };

/** The widest window asked at once: `since` at most this many years before `until`. */
export const MAX_CHANGES_WINDOW_YEARS = 10;

/** The earliest `since` allowed with `until` (the same day of the month, `MAX_CHANGES_WINDOW_YEARS` earlier). */
export const earliestSince = (until: IsoDate): IsoDate =>
  `${String(Number(until.slice(0, 4)) - MAX_CHANGES_WINDOW_YEARS).padStart(4, '0')}${until.slice(4)}`;

/** A page of the changes, from the cursor (or `until`) back to `since`. */
export async function changesPage(
  view: ReadView,
  store: EventStore,
  q: ChangesQuery,
  pause?: Pause,
  budget: ChangesBudget = CHANGES_BUDGET,
): Promise<ChangesPage> {
  const entries: ChangeEntry[] = [];
  const first = toDay(q.since);
  const start = q.cursor ? toDay(q.cursor.day) : toDay(q.until);
  let clubDays = 0;
  let reportsRead = 0;
  for (let day = start; day >= first; day--) {
    const infos = view.reportsPublishedOn(day);
    if (infos.length === 0) continue;
    // the first day is read whole, so every page moves on
    if (reportsRead > 0 && reportsRead + infos.length > budget.reports)
      return { entries, next: { day: fromDay(day), skip: 0 } };
    reportsRead += infos.length;
    const touching = await reportsByClub(view, await readDayReports(store, infos, pause), day, q.club, pause);
    const resume = day === start ? q.cursor : undefined;
    const clubs = [...touching.keys()].filter((club) => resume?.club === undefined || club >= resume.club);
    for (let c = 0; c < clubs.length; c++) {
      const club = clubs[c];
      if (clubDays >= budget.clubDays) return { entries, next: { day: fromDay(day), club, skip: 0 } };
      clubDays++;
      const waiting = pause?.();
      if (waiting) await waiting;
      const changes = documentChanges(view, club, day, q.formation, touching.get(club)!);
      const skip = resume?.club === club ? resume.skip : 0;
      const taken = changes.slice(skip, skip + q.limit - entries.length);
      entries.push(...taken);
      if (entries.length < q.limit) continue;
      const end = skip + taken.length;
      if (end < changes.length) return { entries, next: { day: fromDay(day), club, skip: end } };
      if (c + 1 < clubs.length) return { entries, next: { day: fromDay(day), club: clubs[c + 1], skip: 0 } };
      return { entries, next: day - 1 >= first ? { day: fromDay(day - 1), skip: 0 } : undefined };
    }
  }
  return { entries, next: undefined };
}

/** The day's reports by the club whose documents each can change (only `only`'s, if given), clubs sorted. */
async function reportsByClub(
  view: ReadView,
  reports: readonly DayReport[],
  day: Day,
  only: Slug | undefined,
  pause: Pause | undefined,
): Promise<Map<Slug, DayReport[]>> {
  const byClub = new Map<Slug, DayReport[]>();
  for (const report of reports) {
    for (const club of await clubsTouchedBy(view, claimsOfReport(report), day, pause)) {
      if (only !== undefined && club !== only) continue;
      const list = byClub.get(club);
      if (list === undefined) byClub.set(club, [report]);
      else list.push(report);
    }
  }
  return new Map([...byClub].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * What the news of `day` changed in the club's documents: each document as known the day before
 * and as known that day, both as of that day, compared entry by entry (a player's, a position's
 * depth), entries said the same as JSON being unchanged. `reports`: the day's reports touching
 * the club, to which each change is put down.
 */
export function documentChanges(
  view: ReadView,
  club: Slug,
  day: Day,
  formation: string,
  reports: readonly DayReport[],
): ChangeEntry[] {
  const publishedOn = fromDay(day);
  const before = bodiesOf(view, club, { asOf: publishedOn, knownAt: fromDay(day - 1) }, formation);
  const after = bodiesOf(view, club, { asOf: publishedOn, knownAt: publishedOn }, formation);
  const entry = (
    document: ClubDocument,
    subjectKind: ChangeSubjectKind,
    subject: string,
    change: ChangeKind,
    was: object | undefined,
    now: object | undefined,
    by: readonly string[],
  ): ChangeEntry => ({
    publishedOn,
    club,
    document,
    change,
    subjectKind,
    subject,
    ...(was !== undefined ? { before: was } : {}),
    ...(now !== undefined ? { after: now } : {}),
    reports: by,
  });
  const everyReport = reports.map((r) => r.reportId);
  const aboutPlayers = (players: Iterable<Slug>): readonly string[] => {
    const wanted = new Set(players);
    const about = reports.filter((r) => r.claims.some((claim) => wanted.has(claim.player as Slug)));
    return about.length > 0 ? about.map((r) => r.reportId) : everyReport;
  };

  const out: ChangeEntry[] = [];
  // squad depth: each player's entry, then each position's counts and verdict
  const squadChanges = keyedChanges(before.squadPlayers, after.squadPlayers, plainKind);
  const movedAt = new Map<string, Slug[]>();
  for (const { key, change, was, now } of squadChanges) {
    out.push(entry('squad-depth', 'player', key, change, was, now, aboutPlayers([key])));
    for (const position of new Set([was?.position, now?.position])) {
      if (position !== undefined) movedAt.set(position, [...(movedAt.get(position) ?? []), key]);
    }
  }
  for (const { key, change, was, now } of keyedChanges(before.positions, after.positions, plainKind)) {
    out.push(entry('squad-depth', 'position', key, change, was, now, aboutPlayers(movedAt.get(key) ?? [])));
  }
  for (const { key, change, was, now } of keyedChanges(before.targets, after.targets, targetKind)) {
    out.push(entry('targets', 'player', key, change, was, now, aboutPlayers([key])));
  }
  for (const { key, change, was, now } of keyedChanges(before.outgoing, after.outgoing, plainKind)) {
    out.push(entry('outgoing', 'player', key, change, was, now, aboutPlayers([key])));
  }
  return out;
}

interface Bodies {
  readonly squadPlayers: Map<string, { readonly player: Slug; readonly position?: string }>;
  readonly positions: Map<string, object>;
  readonly targets: Map<string, TargetEntry>;
  readonly outgoing: Map<string, { readonly player: Slug }>;
}

/** The club's three documents (as `clubDocumentBodies` reads them), keyed by subject. */
function bodiesOf(view: ReadView, club: Slug, time: { asOf: IsoDate; knownAt: IsoDate }, formation: string): Bodies {
  const { squadDepth, outgoing } = squadDepthAndOutgoing(view, club, { ...time, formation });
  const squadPlayers = new Map<string, { readonly player: Slug; readonly position?: string }>();
  for (const position of squadDepth.positions) for (const p of position.players) squadPlayers.set(p.player, p);
  for (const p of squadDepth.unpositioned) squadPlayers.set(p.player, p);
  const positions = new Map<string, object>();
  for (const { position, need, registered, squad, available, injured, awayOnLoan, verdict } of squadDepth.positions) {
    positions.set(position, { position, need, registered, squad, available, injured, awayOnLoan, verdict });
  }
  return {
    squadPlayers,
    positions,
    targets: new Map(targetsBody(view, club, time).targets.map((t) => [t.player, t])),
    outgoing: new Map(outgoing.map((o) => [o.player, o])),
  };
}

/** Subjects in order: players by slug, positions in the order of `POSITIONS`. */
const subjectOrder = (a: string, b: string): number => {
  const pa = (POSITIONS as readonly string[]).indexOf(a);
  const pb = (POSITIONS as readonly string[]).indexOf(b);
  if (pa >= 0 && pb >= 0) return pa - pb;
  return a < b ? -1 : a > b ? 1 : 0;
};

function keyedChanges<T extends object>(
  before: ReadonlyMap<string, T>,
  after: ReadonlyMap<string, T>,
  kindOf: (was: T, now: T) => ChangeKind,
): { key: string; change: ChangeKind; was?: T; now?: T }[] {
  const out: { key: string; change: ChangeKind; was?: T; now?: T }[] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort(subjectOrder)) {
    const was = before.get(key);
    const now = after.get(key);
    if (was === undefined) out.push({ key, change: 'added', now });
    else if (now === undefined) out.push({ key, change: 'removed', was });
    else if (!sameDocument(was, now)) out.push({ key, change: kindOf(was, now), was, now });
  }
  return out;
}

const plainKind = (): ChangeKind => 'changed';

/** A target is disputed when it gains a contradiction; any other change is a change. */
function targetKind(was: TargetEntry, now: TargetEntry): ChangeKind {
  const known = contradictionsOf(was);
  for (const key of contradictionsOf(now)) if (!known.has(key)) return 'disputed';
  return 'changed';
}

interface ClaimKey {
  readonly reportId: string;
  readonly claimIndex: number;
}

/** Every contradiction a target shows: disputing reports, and claims contradicting one of its claims. */
function contradictionsOf(target: TargetEntry): Set<string> {
  const keys = new Set<string>();
  const key = (ref: ClaimKey) => `${ref.reportId}#${ref.claimIndex}`;
  for (const dispute of (target.contradicting ?? []) as readonly ClaimKey[]) keys.add(key(dispute));
  for (const report of (target.supporting ?? []) as readonly { claims: readonly { contradictedBy?: ClaimKey[] }[] }[])
    for (const claim of report.claims) for (const by of claim.contradictedBy ?? []) keys.add(key(by));
  return keys;
}

/** The cursor on the wire: `2018-07-01` (that day, from its first club) or `2018-07-01.juventus.12`. */
export function formatChangesCursor(cursor: ChangesCursor): string {
  return cursor.club === undefined ? cursor.day : `${cursor.day}.${cursor.club}.${cursor.skip}`;
}

/** The cursor a page gave (`formatChangesCursor`); undefined when the text is not one. */
export function parseChangesCursor(text: string): ChangesCursor | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:\.([a-z0-9-]{1,80})\.(\d{1,9}))?$/.exec(text);
  if (!match || !isIsoDate(match[1])) return undefined;
  if (match[2] === undefined) return { day: match[1], skip: 0 };
  if (!isSlug(match[2])) return undefined;
  return { day: match[1], club: match[2], skip: Number(match[3]) };
}
