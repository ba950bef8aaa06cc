import { CANONICAL_LEDGER_STREAM, upcastClaimRefs, type Slug, type Source, type SquadEvent } from '@squad/domain';
import { addFact, emptyHistory, historyStartingWith, type History } from '../history/bitemporal-history';
import { toDay, yearOf, type Day } from '../history/calendar';
import { noteClubSighting, type ClubSightings } from '../history/club-sightings';
import type { ClubView } from '../club/club.projection';
import type { PlayerView } from '../player/player.projection';
import type { PursuitView } from '../pursuit/pursuit.projection';
import type { RosterView, Whereabouts } from '../squad/roster.projection';
import type { ProjectedEvent, ReportInfo } from './projected-event';
import { pursuitClubOf, ROUTES, routeOf, type Route } from './routes';

/** Bump when the projections change shape: older snapshots are then rebuilt from the store. */
export const READ_MODEL_VERSION = 21;

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
  /**
   * Reports by id, filed on the first look-up by id (see `reportById`): a rebuild files hundreds
   * of thousands of reports, and inserting each into a map that large cost a tenth of the
   * rebuild. Queries do not look reports up: each fact points at its own. The ledgers of
   * what-if branches do (is this report id recorded?).
   */
  readonly reports: LazyIndex<ReportInfo, Map<string, ReportInfo>>;
  /** The report of the last event applied: the next event most likely belongs to it too. */
  lastReport: ReportInfo | undefined;
  /** The history of the last player an event was filed for: a report's claims are mostly about one player. */
  lastPlayer: PlayerHistory | undefined;
  /** Each player's history, with his pursuits and the indexes keyed by him (see `PlayerHistory`). */
  readonly players: Map<Slug, PlayerHistory>;
  /** Each club's roster in both clocks: who may be in its squad on a day. */
  readonly rosters: Map<Slug, History<ProjectedEvent, RosterView>>;
  /** Each club's own history in both clocks: its names and its managers (`CLUB_ROUTES`). */
  readonly clubHistories: Map<Slug, History<ProjectedEvent, ClubView>>;
  /**
   * The players each club pursued, by the calendar year of the pursuit's facts: per club, its
   * pursuit facts are appended as they arrive and filed by year when the club is next read (see
   * `clubTargetsIn`); a Set insert per fact was a tenth of the rebuild.
   */
  readonly clubTargets: Map<Slug, LazyIndex<ProjectedEvent, Map<number, Set<Slug>>>>;
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

/**
 * An index filed on demand: entries are appended to `pending` as events arrive (an append is
 * all the rebuild pays) and moved into `index` when it is next read.
 */
export interface LazyIndex<Entry, Index> {
  pending: Entry[];
  readonly index: Index;
}

/**
 * A player's history, carrying what is keyed by the player: one map look-up per event finds all
 * of it (the rebuild is bound by look-ups in maps too large for the CPU cache).
 */
export interface PlayerHistory extends History<ProjectedEvent, PlayerView>, Whereabouts {
  /** His slug, the one string kept for it (see `applyEvent`). */
  readonly player: Slug;
  /** His pursuits: built from his history when first read (see `pursuitsOf`), then kept up to date. */
  pursuitIndex: PursuitIndex | undefined;
  /**
   * Every club he has been linked to by registration, transfer or loan, in the order linked. An
   * array, replaced (never changed) when a club is added: a player is linked to a few clubs, and a
   * Set each cost more memory than his facts' array (a tenth of a rebuild's heap, all of it copied
   * by the garbage collector).
   */
  linkedClubs: readonly Slug[];
}

/** The clubs of a player linked to none yet: shared, as `linkedClubs` is replaced rather than changed. */
const NO_CLUBS: readonly Slug[] = Object.freeze([]);

function emptyPlayerHistory(player: Slug): PlayerHistory {
  // one literal with every field: a spread would leave some outside the object itself (a cache miss more per event)
  const history = emptyHistory<ProjectedEvent, PlayerView>();
  return {
    player,
    facts: history.facts,
    maxKnownFrom: history.maxKnownFrom,
    maxValidFrom: history.maxValidFrom,
    checkpoints: history.checkpoints,
    linkedClubs: NO_CLUBS,
    currentClub: undefined,
    currentLoanClub: undefined,
    pursuitIndex: undefined,
  };
}

/** One player's pursuits. */
export interface PursuitIndex {
  /** His pursuits, by club. */
  readonly byClub: Map<Slug, History<ProjectedEvent, PursuitView>>;
  /** The clubs that pursued him, by the calendar year of the pursuit's facts (rivals are looked up per season). */
  readonly pursuersByYear: Map<number, Set<Slug>>;
}

/**
 * A player's pursuits. Every pursuit fact is one of his facts, so a rebuild does not file them
 * (most players' pursuits are never read); the first read files his pursuit facts in store order,
 * as applying them would have, and from then on `applyEvent` keeps the index up to date.
 */
export function pursuitsOf(history: PlayerHistory): PursuitIndex {
  let index = history.pursuitIndex;
  if (index === undefined) {
    index = history.pursuitIndex = { byClub: new Map(), pursuersByYear: new Map() };
    const facts = history.facts
      .filter((fact) => pursuitClubOf(fact) !== undefined)
      .sort((a, b) => a.position - b.position);
    for (const fact of facts) filePursuitFact(index, pursuitClubOf(fact)!, fact);
  }
  return index;
}

function filePursuitFact(index: PursuitIndex, club: Slug, fact: ProjectedEvent): void {
  const history = index.byClub.get(club);
  if (history === undefined) index.byClub.set(club, historyStartingWith(fact));
  else addFact(history, fact);
  const year = yearOf(fact.data.effectiveOn);
  const pursuers = index.pursuersByYear.get(year);
  if (pursuers === undefined) index.pursuersByYear.set(year, new Set([club]));
  else pursuers.add(club);
}

export function emptyReadModel(stream: string = CANONICAL_LEDGER_STREAM): SquadReadModel {
  return {
    version: READ_MODEL_VERSION,
    stream,
    position: 0,
    lastReport: undefined,
    lastPlayer: undefined,
    reports: { pending: [], index: new Map() },
    players: new Map(),
    rosters: new Map(),
    clubHistories: new Map(),
    clubTargets: new Map(),
    clubs: new Set(),
    clubSightings: new Map(),
    sources: new Map(),
    reportsByDay: new Map(),
    takingEffect: new Map(),
  };
}

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
 * Applies one stored event where its route says (see `routes.ts`); returns what it touched, or
 * undefined for a redelivery or a foreign event. This is the rebuild's inner loop: one route
 * look-up, plain Map look-ups, one object kept per event (the event itself, filed in every
 * history it belongs to).
 */
export function applyEvent(model: SquadReadModel, stored: StoredSquadEvent): AppliedChange | undefined {
  const position = Number(stored.position);
  if (position <= model.position) return undefined; // redelivered: already applied
  const route = ROUTES.get(stored.type);
  if (route === undefined || stored.stream !== model.stream) {
    model.position = position;
    return undefined;
  }
  const type = route.type; // the constant string, not the store's copy

  const { data, metadata } = stored as unknown as SquadEvent;
  if (data.contradicts !== undefined)
    (data as { contradicts: unknown }).contradicts = upcastClaimRefs(data.contradicts);
  const report = reportOf(model, metadata, position);
  const event = {
    type,
    data,
    reportId: report.reportId,
    report,
    claimIndex: metadata.claimIndex,
    position,
    validFrom: toDay(data.effectiveOn),
    knownFrom: toDay(report.publishedOn),
  } as ProjectedEvent;
  const clubs = route.clubs(data);
  for (let i = 0; i < clubs.length; i++) {
    // a club's first sighting is when it joins `clubs`
    if (noteClubSighting(model.clubSightings, clubs[i], position, event.knownFrom)) model.clubs.add(clubs[i]);
  }

  /** The clubs whose documents the event may change: those it names, and for a pursuit his clubs (`wantedBy`). */
  let touched = clubs;
  let player = route.player === null ? undefined : route.player(data);
  if (player !== undefined) {
    // the claims of a report are stored together, and most are about the same player (an equal
    // string): his history without a look-up in a map of every player
    let history = model.lastPlayer;
    if (history === undefined || history.player !== player) {
      history = model.players.get(player);
      if (history === undefined) model.players.set(player, (history = emptyPlayerHistory(player)));
      model.lastPlayer = history;
    }
    // the event keeps the history's copy of the slug (an equal string): one copy per player, not per event
    player = history.player;
    (data as { player: Slug }).player = player;
    addFact(history, event);
    if (route.move !== null) fileInRosters(model, history, event, clubs, route.move);
    const club = route.pursuit === null ? undefined : route.pursuit(data);
    if (club !== undefined) {
      const targets = model.clubTargets.get(club);
      if (targets === undefined) model.clubTargets.set(club, { pending: [event], index: new Map() });
      else targets.pending.push(event);
      if (history.pursuitIndex !== undefined) filePursuitFact(history.pursuitIndex, club, event);
      // his own club's squad depth (and a loan club's) lists who pursues him: refresh it too
      const { currentClub, currentLoanClub } = history;
      if (currentClub !== undefined && !touched.includes(currentClub)) touched = [...touched, currentClub];
      if (currentLoanClub !== undefined && !touched.includes(currentLoanClub)) touched = [...touched, currentLoanClub];
    }
  }
  if (route.club !== null) {
    const club = route.club(data);
    const history = model.clubHistories.get(club);
    if (history === undefined) model.clubHistories.set(club, historyStartingWith(event));
    else addFact(history, event);
  }
  fileIfTakingEffectLater(model, event, route);
  model.position = position; // last: an event that throws above is not marked applied
  return { position, clubs: touched, players: player ? [player] : [] };
}

/** The history of one club's pursuit of one player. */
export function pursuitHistory(
  model: SquadReadModel,
  club: Slug,
  player: Slug,
): History<ProjectedEvent, PursuitView> | undefined {
  const history = model.players.get(player);
  return history && pursuitsOf(history).byClub.get(club);
}

/** The clubs that pursued a player with facts dated in `year`. */
export function pursuersIn(model: SquadReadModel, player: Slug, year: number): ReadonlySet<Slug> | undefined {
  const history = model.players.get(player);
  return history && pursuitsOf(history).pursuersByYear.get(year);
}

/** Every yearly bucket of a player's pursuers. */
export function pursuerBuckets(model: SquadReadModel, player: Slug): Iterable<ReadonlySet<Slug>> {
  const history = model.players.get(player);
  return history ? pursuitsOf(history).pursuersByYear.values() : [];
}

/** The players `club` pursued with facts dated in `year`. */
export function clubTargetsIn(model: SquadReadModel, club: Slug, year: number): ReadonlySet<Slug> | undefined {
  const targets = model.clubTargets.get(club);
  if (targets === undefined) return undefined;
  if (targets.pending.length > 0) {
    for (const fact of targets.pending) {
      const factYear = yearOf(fact.data.effectiveOn);
      const player = routeOf(fact).player!(fact.data); // a pursuit fact is one of its player's facts
      const players = targets.index.get(factYear);
      if (players === undefined) targets.index.set(factYear, new Set([player]));
      else players.add(player);
    }
    targets.pending = [];
  }
  return targets.index.get(year);
}

/** The report with this id, if the model has applied it. */
export function reportById(model: SquadReadModel, reportId: string): ReportInfo | undefined {
  const reports = model.reports;
  if (reports.pending.length > 0) {
    // the first of a report's ids wins, as it would have had the report been filed on arrival
    for (const report of reports.pending)
      if (!reports.index.has(report.reportId)) reports.index.set(report.reportId, report);
    reports.pending = [];
  }
  return reports.index.get(reportId);
}

export function countPursuits(model: SquadReadModel): number {
  let count = 0;
  for (const player of model.players.values()) count += pursuitsOf(player).byClub.size;
  return count;
}

/**
 * The report's provenance, kept once per report and shared by its claims, with one object per
 * source. (Sharing the slugs inside each event's data the same way was measured slower: writing
 * into the parsed objects costs more than the memory it saves.)
 */
function reportOf(model: SquadReadModel, metadata: SquadEvent['metadata'], position: number): ReportInfo {
  // the claims of a report are stored together (one atomic append): most events belong to the
  // previous event's report, and an event of another report is its first claim
  const previous = model.lastReport;
  if (previous !== undefined && previous.reportId === metadata.reportId) return previous;
  let report = metadata.claimIndex === 0 ? undefined : reportById(model, metadata.reportId);
  if (report === undefined) {
    const source = sharedSource(model, metadata.source, previous);
    const { reportId, publishedOn, publishedOnApprox, claimCount, evidence } = metadata;
    // two literals rather than a spread of an optional field: no object in between, and each
    // report's fields in the object itself
    report =
      evidence === undefined
        ? { reportId, source, publishedOn, publishedOnApprox, position, claimCount }
        : { reportId, source, publishedOn, publishedOnApprox, position, claimCount, evidence };
    model.reports.pending.push(report);
    fileByDay(model, report);
  }
  model.lastReport = report;
  return report;
}

/**
 * The one object kept for a source (by name and address). Reports mostly come from the source of
 * the report before them, whose object is the shared one: then no key is built or looked up.
 */
function sharedSource(model: SquadReadModel, source: Source, previous: ReportInfo | undefined): Source {
  if (previous !== undefined) {
    const last = previous.source;
    if (last.name === source.name && last.url === source.url) return last;
  }
  const key = source.url === undefined ? source.name : `${source.name}\n${source.url}`;
  let shared = model.sources.get(key);
  if (shared === undefined) model.sources.set(key, (shared = source));
  return shared;
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
function fileIfTakingEffectLater(model: SquadReadModel, event: ProjectedEvent, route: Route): void {
  if (event.validFrom > event.knownFrom) fileTakingEffect(model, event.validFrom, event);
  const until = route.holdsUntil === null ? undefined : route.holdsUntil(event.data);
  if (until !== undefined) {
    const ends = toDay(until) + 1; // `statusAt`: a loan holds through `until`
    if (ends > event.knownFrom && ends > event.validFrom) fileTakingEffect(model, ends, event);
  }
}

function fileTakingEffect(model: SquadReadModel, day: Day, event: ProjectedEvent): void {
  const facts = model.takingEffect.get(day);
  if (facts === undefined) model.takingEffect.set(day, [event]);
  else facts.push(event);
}

/**
 * Files a squad move in the rosters it can change: those of the clubs it names, and those the
 * player belongs to at that point (a move there is a departure). For the usual move, the newest
 * in valid time, those are the clubs he is at now; a move dated before others goes to every
 * club he was ever linked to. A club linked for the first time also gets his moves dated after
 * this one, which may take him away again.
 */
function fileInRosters(
  model: SquadReadModel,
  history: PlayerHistory,
  fact: ProjectedEvent,
  clubs: readonly Slug[],
  moveOf: NonNullable<Route['move']>,
): void {
  const playerFacts = history.facts;
  let linked = history.linkedClubs;
  const newest = playerFacts[playerFacts.length - 1] === fact;
  // one pass over the clubs named, one look-up in the rosters each (the order in which rosters
  // get their facts does not matter: each keeps its own in valid-time order)
  for (let c = 0; c < clubs.length; c++) {
    const club = clubs[c];
    let roster: History<ProjectedEvent, RosterView> | undefined;
    if (!linked.includes(club)) {
      history.linkedClubs = linked = linked.concat(club); // sized to fit (a spread leaves room for 16 more)
      roster = model.rosters.get(club);
      if (roster === undefined) model.rosters.set(club, (roster = emptyHistory()));
      if (!newest) {
        for (let i = playerFacts.indexOf(fact) + 1; i < playerFacts.length; i++) {
          if (routeOf(playerFacts[i]).move !== null) addFact(roster, playerFacts[i]);
        }
      }
    }
    if (newest) addFact(roster ?? model.rosters.get(club)!, fact);
  }
  if (newest) {
    // each roster once: the clubs named (above), then those he was at (all linked, so their rosters exist)
    const { currentClub, currentLoanClub } = history;
    if (currentClub && !clubs.includes(currentClub)) addFact(model.rosters.get(currentClub)!, fact);
    if (currentLoanClub && currentLoanClub !== currentClub && !clubs.includes(currentLoanClub)) {
      addFact(model.rosters.get(currentLoanClub)!, fact);
    }
    moveOf(history, fact.data);
  } else {
    for (const club of linked) addFact(model.rosters.get(club)!, fact);
    // replay his moves (rare)
    history.currentClub = history.currentLoanClub = undefined;
    for (const each of playerFacts) move(history, each);
  }
}

/** Where a player is after a fact (unchanged unless it is a move). */
function move(history: PlayerHistory, fact: ProjectedEvent): void {
  const moveOf = routeOf(fact).move;
  if (moveOf !== null) moveOf(history, fact.data);
}
