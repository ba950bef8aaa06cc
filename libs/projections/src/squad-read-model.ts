import { CANONICAL_LEDGER_STREAM, CLAIM_TYPES, type Slug, type SquadEvent } from '@squad/domain';
import { toDay, type Day } from './calendar';
import { noteClubSighting, type ClubSightings } from './club-sightings';
import { addFact, emptyHistory, type History } from './bitemporal-history';
import { playerKeyOf, type PlayerView } from './player.projection';
import type { ProjectedEvent, ReportInfo } from './projected-event';
import { pursuitKeyOf, type PursuitView } from './pursuit.projection';
import { ROSTER_EVENT_TYPES, type RosterView } from './roster.projection';

/** Bump when the projections change shape: older snapshots are then rebuilt from the store. */
export const READ_MODEL_VERSION = 11;

/**
 * All read models of the squad planner, as plain data: per-player and per-pursuit histories in
 * both clocks, and the indexes that find them from a club. Fed one stored event at a time in
 * position order; an event at or below `position` is a redelivery and changes nothing.
 */
export interface SquadReadModel {
  readonly version: number;
  /**
   * The ledger stream this model projects: canonical history (`ledger-main`), or one what-if
   * branch's own reports. Squad events of other streams are foreign to it.
   */
  readonly stream: string;
  /** Store position of the last event applied (the checkpoint). */
  position: number;
  readonly reports: Map<string, ReportInfo>;
  readonly players: Map<Slug, History<ProjectedEvent, PlayerView>>;
  /** Each club's pursuits, by player. */
  readonly pursuits: Map<Slug, Map<Slug, History<ProjectedEvent, PursuitView>>>;
  /** Each club's roster in both clocks: who may be in its squad on a day. */
  readonly rosters: Map<Slug, History<ProjectedEvent, RosterView>>;
  /** Every club a player has been linked to by registration, transfer or loan. */
  readonly playerClubs: Map<Slug, Set<Slug>>;
  /** The clubs a player belongs to after his newest move (registered, on loan). */
  readonly currentClubs: Map<Slug, { readonly club?: Slug; readonly loanedTo?: Slug }>;
  /** The players each club pursued, by the calendar year of the pursuit's facts. */
  readonly clubTargetsByYear: Map<Slug, Map<number, Slug[]>>;
  /** The clubs that pursued each player, by the calendar year of the pursuit's facts (rivals are looked up per season). */
  readonly pursuersByYear: Map<Slug, Map<number, Slug[]>>;
  /** Every club named by any event, for 404s. */
  readonly clubs: Set<Slug>;
  /** When each club was named, in both clocks: whether a branch's fork sees it (see `ClubSightings`). */
  readonly clubSightings: ClubSightings;
  /** One shared object per source (name and address). */
  readonly sources: Map<string, ReportInfo['source']>;
  /** The reports published on each day (record time), in store order: what a replay walks. */
  readonly reportsByDay: Map<Day, ReportInfo[]>;
  /**
   * Facts that change the read models on a day after the one they became known, by that day
   * (valid time), in store order: those dated after their report's publication, and every loan
   * with an `until` that ends after it (by itself, the day after `until`). A replay stops on
   * these days too, though nothing is published on them. Few events are filed here.
   */
  readonly takingEffect: Map<Day, ProjectedEvent[]>;
}

export function emptyReadModel(stream: string = CANONICAL_LEDGER_STREAM): SquadReadModel {
  return {
    version: READ_MODEL_VERSION,
    stream,
    position: 0,
    reports: new Map(),
    players: new Map(),
    pursuits: new Map(),
    rosters: new Map(),
    playerClubs: new Map(),
    currentClubs: new Map(),
    clubTargetsByYear: new Map(),
    pursuersByYear: new Map(),
    clubs: new Set(),
    clubSightings: new Map(),
    sources: new Map(),
    reportsByDay: new Map(),
    takingEffect: new Map(),
  };
}

const SQUAD_EVENT_TYPES = new Set<string>(CLAIM_TYPES);

/** What an applied event changed, so live views know which documents to refresh. */
export interface AppliedChange {
  readonly position: number;
  /** The clubs the event names. */
  readonly clubs: readonly Slug[];
  readonly players: readonly Slug[];
}

export interface StoredSquadEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position: bigint;
  /** Only the events of the model's own stream are applied (see `SquadReadModel.stream`). */
  readonly stream: string;
}

/**
 * Applies one stored event; returns what it touched, or undefined for a redelivery or a foreign
 * event. This is the rebuild's inner loop: plain Map look-ups, no closures, one object kept per
 * event (the event itself, filed in every history it belongs to).
 */
export function applyEvent(model: SquadReadModel, stored: StoredSquadEvent): AppliedChange | undefined {
  const position = Number(stored.position);
  if (position <= model.position) return undefined; // redelivered: already applied
  if (!SQUAD_EVENT_TYPES.has(stored.type) || stored.stream !== model.stream) {
    model.position = position;
    return undefined;
  }

  const { type, data, metadata } = stored as unknown as SquadEvent;
  const report = reportOf(model, metadata, position);
  const event = {
    type,
    data,
    reportId: report.reportId,
    claimIndex: metadata.claimIndex,
    position,
    validFrom: toDay(data.effectiveOn),
    knownFrom: toDay(report.publishedOn),
  } as ProjectedEvent;
  const clubs = clubsNamedBy(event);
  for (let i = 0; i < clubs.length; i++) {
    model.clubs.add(clubs[i]);
    noteClubSighting(model.clubSightings, clubs[i], position, event.knownFrom);
  }

  const player = playerKeyOf(event);
  if (player) {
    let history = model.players.get(player);
    if (history === undefined) model.players.set(player, (history = emptyHistory()));
    addFact(history, event);
    if (ROSTER_EVENT_TYPES.has(type)) fileInRosters(model, player, history, event, clubs);
  }
  const pursuit = pursuitKeyOf(event);
  if (pursuit) {
    let ofClub = model.pursuits.get(pursuit.club);
    if (ofClub === undefined) model.pursuits.set(pursuit.club, (ofClub = new Map()));
    let history = ofClub.get(pursuit.player);
    if (history === undefined) ofClub.set(pursuit.player, (history = emptyHistory()));
    const facts = history.facts;
    addFact(history, event);
    // the year buckets only need this pursuit once per year: skip when its latest fact already was in this year
    const previous = facts.length > 1 && facts[facts.length - 1] === event ? facts[facts.length - 2] : undefined;
    const year = yearOf(data.effectiveOn);
    if (!previous || yearOf(previous.data.effectiveOn) !== year) {
      addToBucket(model.clubTargetsByYear, pursuit.club, year, pursuit.player);
      addToBucket(model.pursuersByYear, pursuit.player, year, pursuit.club);
    }
  }
  fileIfTakingEffectLater(model, event);
  model.position = position; // last: an event that throws above is not marked applied
  return { position, clubs, players: player ? [player] : [] };
}

/** The history of one club's pursuit of one player. */
export function pursuitHistory(model: SquadReadModel, club: Slug, player: Slug): History<ProjectedEvent, PursuitView> | undefined {
  return model.pursuits.get(club)?.get(player);
}

export function countPursuits(model: SquadReadModel): number {
  let count = 0;
  for (const ofClub of model.pursuits.values()) count += ofClub.size;
  return count;
}

const lastReport = new WeakMap<SquadReadModel, ReportInfo>();

/**
 * The report's provenance, kept once per report and shared by its claims, with one object per
 * source. (Sharing the slugs inside each event's data the same way was measured slower: writing
 * into the parsed objects costs more than the memory it saves.)
 */
function reportOf(model: SquadReadModel, metadata: SquadEvent['metadata'], position: number): ReportInfo {
  // the claims of a report are stored together: most events belong to the previous event's report
  const previous = lastReport.get(model);
  if (previous !== undefined && previous.reportId === metadata.reportId) return previous;
  let report = model.reports.get(metadata.reportId);
  if (report === undefined) {
    const source = metadata.source;
    const sourceKey = source.url === undefined ? source.name : `${source.name}\n${source.url}`;
    let shared = model.sources.get(sourceKey);
    if (shared === undefined) model.sources.set(sourceKey, (shared = source));
    report = {
      reportId: metadata.reportId,
      source: shared,
      publishedOn: metadata.publishedOn,
      publishedOnApprox: metadata.publishedOnApprox,
      position,
      claimCount: metadata.claimCount,
    };
    model.reports.set(report.reportId, report);
    fileByDay(model, report);
  }
  lastReport.set(model, report);
  return report;
}

/** Files a report under its publication day, once, when its first claim arrives. */
function fileByDay(model: SquadReadModel, report: ReportInfo): void {
  const day = toDay(report.publishedOn);
  const reports = model.reportsByDay.get(day);
  if (reports === undefined) model.reportsByDay.set(day, [report]);
  else reports.push(report);
}

/**
 * Files a fact under the day it changes the read models, when that is after the day it became
 * known (see `SquadReadModel.takingEffect`). Most facts are reported on or after the day they
 * take effect: for them this is one comparison and one type check.
 */
function fileIfTakingEffectLater(model: SquadReadModel, event: ProjectedEvent): void {
  if (event.validFrom > event.knownFrom) fileTakingEffect(model, event.validFrom, event);
  if (event.type === 'LoanDeparted' && event.data.until !== undefined) {
    const ends = toDay(event.data.until) + 1; // `statusAt`: the loan holds through `until`
    if (ends > event.knownFrom && ends > event.validFrom) fileTakingEffect(model, ends, event);
  }
}

function fileTakingEffect(model: SquadReadModel, day: Day, event: ProjectedEvent): void {
  const facts = model.takingEffect.get(day);
  if (facts === undefined) model.takingEffect.set(day, [event]);
  else facts.push(event);
}

/**
 * Files `member` under `key` and `year`. A list, not a set: a pursuit is filed once per year
 * (see applyEvent), so repeats are rare (a fact dated before others), and readers dedupe.
 */
function addToBucket(index: Map<Slug, Map<number, Slug[]>>, key: Slug, year: number, member: Slug): void {
  let years = index.get(key);
  if (years === undefined) index.set(key, (years = new Map()));
  const bucket = years.get(year);
  if (bucket === undefined) years.set(year, [member]);
  else bucket.push(member);
}

/**
 * Files a squad move in the rosters it can change: those of the clubs it names, and those the
 * player belongs to at that point (a move there is a departure). For the usual move, the newest
 * in valid time, those are the clubs he is at now; a move dated before others goes to every
 * club he was ever linked to. A club linked for the first time also gets his moves dated after
 * this one, which may take him away again.
 */
function fileInRosters(model: SquadReadModel, player: Slug, history: History<ProjectedEvent, PlayerView>, fact: ProjectedEvent, clubs: readonly Slug[]): void {
  const playerFacts = history.facts;
  let linked = model.playerClubs.get(player);
  if (linked === undefined) model.playerClubs.set(player, (linked = new Set<Slug>()));
  const newest = playerFacts[playerFacts.length - 1] === fact;
  for (const club of clubs) {
    if (linked.has(club)) continue;
    linked.add(club);
    let roster = model.rosters.get(club);
    if (roster === undefined) model.rosters.set(club, (roster = emptyHistory()));
    if (!newest) {
      for (let i = playerFacts.indexOf(fact) + 1; i < playerFacts.length; i++) {
        if (ROSTER_EVENT_TYPES.has(playerFacts[i].type)) addFact(roster, playerFacts[i]);
      }
    }
  }
  const before = model.currentClubs.get(player) ?? {};
  if (newest) {
    const targets = new Set(clubs);
    if (before.club) targets.add(before.club);
    if (before.loanedTo) targets.add(before.loanedTo);
    for (const club of targets) addFact(model.rosters.get(club)!, fact);
  } else {
    for (const club of linked) addFact(model.rosters.get(club)!, fact);
  }
  model.currentClubs.set(player, newest ? clubsAfter(before, fact) : clubsAfterAll(history));
}

type CurrentClubs = { readonly club?: Slug; readonly loanedTo?: Slug };

/** Where a player is after a move, as `evolvePlayerView` and `statusAt` see it. */
function clubsAfter(before: CurrentClubs, event: ProjectedEvent): CurrentClubs {
  switch (event.type) {
    case 'PlayerRegistered':
      return { club: event.data.club, loanedTo: before.loanedTo };
    case 'TransferCompleted':
      return { club: event.data.toClub };
    case 'LoanDeparted':
      return { club: before.club, loanedTo: event.data.toClub };
    case 'LoanReturned':
      return { club: before.club };
    default:
      return before;
  }
}

/** The same after a move dated before others: replay his moves (rare). */
function clubsAfterAll(history: History<ProjectedEvent, PlayerView>): CurrentClubs {
  let clubs: CurrentClubs = {};
  for (const fact of history.facts) clubs = clubsAfter(clubs, fact);
  return clubs;
}

/** The year of a YYYY-MM-DD date, from its digits (no substring: this runs once per pursuit fact). */
export const yearOf = (date: string) =>
  (date.charCodeAt(0) - 48) * 1000 + (date.charCodeAt(1) - 48) * 100 + (date.charCodeAt(2) - 48) * 10 + (date.charCodeAt(3) - 48);

const CLUB_FIELDS = ['club', 'fromClub', 'toClub', 'withClub', 'byClub'] as const;

/** The clubs an event names, in any role. */
export function clubsNamedBy(event: Pick<ProjectedEvent, 'data'>): Slug[] {
  const data = event.data as Record<string, unknown>;
  const clubs: Slug[] = [];
  for (const key of CLUB_FIELDS) {
    const club = data[key];
    if (typeof club === 'string' && !clubs.includes(club)) clubs.push(club);
  }
  return clubs;
}
