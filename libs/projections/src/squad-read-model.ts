import { CLAIM_TYPES, type Slug, type SquadEvent } from '@squad/domain';
import { toDay } from './calendar';
import { addFact, emptyHistory, type Fact, type History } from './bitemporal-history';
import { evolvePlayerView, initialPlayerView, playerKeyOf, type PlayerView } from './player.projection';
import type { ProjectedEvent, ReportInfo } from './projected-event';
import { evolvePursuitView, initialPursuitView, pursuitKeyOf, type PursuitView } from './pursuit.projection';
import { evolveRosterView, initialRosterView, ROSTER_EVENT_TYPES, type RosterView } from './roster.projection';

/** Bump when the projections change shape: older snapshots are then rebuilt from the store. */
export const READ_MODEL_VERSION = 5;

/**
 * All read models of the squad planner, as plain data: per-player and per-pursuit histories in
 * both clocks, and the indexes that find them from a club. Fed one stored event at a time in
 * position order; an event at or below `position` is a redelivery and changes nothing.
 */
export interface SquadReadModel {
  readonly version: number;
  /** Store position of the last event applied (the checkpoint). */
  position: number;
  readonly reports: Map<string, ReportInfo>;
  readonly players: Map<Slug, History<ProjectedEvent, PlayerView>>;
  /** Keyed `club/player`. */
  readonly pursuits: Map<string, History<ProjectedEvent, PursuitView>>;
  /** Each club's roster in both clocks: who may be in its squad on a day. */
  readonly rosters: Map<Slug, History<ProjectedEvent, RosterView>>;
  /** Every club a player has been linked to by registration, transfer or loan. */
  readonly playerClubs: Map<Slug, Set<Slug>>;
  /** The clubs a player belongs to after his newest move (registered, on loan). */
  readonly currentClubs: Map<Slug, { readonly club?: Slug; readonly loanedTo?: Slug }>;
  /** The players each club pursued, by the calendar year of the pursuit's facts. */
  readonly clubTargetsByYear: Map<Slug, Map<number, Set<Slug>>>;
  /** Every club that pursued a player (to find rivals). */
  readonly pursuersOf: Map<Slug, Set<Slug>>;
  /** The same, by the calendar year of the pursuit's facts, so rivals are looked up per season. */
  readonly pursuersByYear: Map<Slug, Map<number, Set<Slug>>>;
  /** Every club named by any event, for 404s. */
  readonly clubs: Set<Slug>;
}

export function emptyReadModel(): SquadReadModel {
  return {
    version: READ_MODEL_VERSION,
    position: 0,
    reports: new Map(),
    players: new Map(),
    pursuits: new Map(),
    rosters: new Map(),
    playerClubs: new Map(),
    currentClubs: new Map(),
    clubTargetsByYear: new Map(),
    pursuersOf: new Map(),
    pursuersByYear: new Map(),
    clubs: new Set(),
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
}

/**
 * Applies one stored event; returns what it touched, or undefined for a redelivery or a foreign
 * event. This is the rebuild's inner loop: plain Map look-ups, no closures, no copies.
 */
export function applyEvent(model: SquadReadModel, stored: StoredSquadEvent): AppliedChange | undefined {
  const position = Number(stored.position);
  if (position <= model.position) return undefined; // redelivered: already applied
  if (!SQUAD_EVENT_TYPES.has(stored.type)) {
    model.position = position;
    return undefined;
  }

  const { type, data, metadata } = stored as unknown as SquadEvent;
  const reportId = metadata.reportId;
  if (model.reports.get(reportId) === undefined) {
    model.reports.set(reportId, { reportId, source: metadata.source, publishedOn: metadata.publishedOn, publishedOnApprox: metadata.publishedOnApprox });
  }
  const event = { type, data, reportId, claimIndex: metadata.claimIndex, position } as ProjectedEvent;
  const fact: Fact<ProjectedEvent> = { validFrom: toDay(data.effectiveOn), knownFrom: toDay(metadata.publishedOn), position, event };
  const clubs = clubsNamedBy(event);
  for (const club of clubs) model.clubs.add(club);

  const player = playerKeyOf(event);
  if (player) {
    let history = model.players.get(player);
    if (history === undefined) model.players.set(player, (history = emptyHistory()));
    addFact(history, fact, initialPlayerView(player), evolvePlayerView);
    if (ROSTER_EVENT_TYPES.has(type)) fileInRosters(model, player, history, fact, clubs);
  }
  const pursuit = pursuitKeyOf(event);
  if (pursuit) {
    const key = `${pursuit.club}/${pursuit.player}`;
    let history = model.pursuits.get(key);
    if (history === undefined) model.pursuits.set(key, (history = emptyHistory()));
    const facts = history.facts;
    addFact(history, fact, initialPursuitView(pursuit.club, pursuit.player), evolvePursuitView);
    // the year buckets only need this pursuit once per year: skip when its latest fact already was in this year
    const previous = facts.length > 1 && facts[facts.length - 1] === fact ? facts[facts.length - 2] : undefined;
    const year = yearOf(data.effectiveOn);
    if (!previous || yearOf(previous.event.data.effectiveOn) !== year) {
      addToBucket(model.clubTargetsByYear, pursuit.club, year, pursuit.player);
      addToBucket(model.pursuersByYear, pursuit.player, year, pursuit.club);
      let pursuers = model.pursuersOf.get(pursuit.player);
      if (pursuers === undefined) model.pursuersOf.set(pursuit.player, (pursuers = new Set()));
      pursuers.add(pursuit.club);
    }
  }
  model.position = position; // last: an event that throws above is not marked applied
  return { position, clubs, players: player ? [player] : [] };
}

function addToBucket(index: Map<Slug, Map<number, Set<Slug>>>, key: Slug, year: number, member: Slug): void {
  let years = index.get(key);
  if (years === undefined) index.set(key, (years = new Map()));
  let bucket = years.get(year);
  if (bucket === undefined) years.set(year, (bucket = new Set()));
  bucket.add(member);
}

/**
 * Files a squad move in the rosters it can change: those of the clubs it names, and those the
 * player belongs to at that point (a move there is a departure). For the usual move, the newest
 * in valid time, those are the clubs he is at now; a move dated before others goes to every
 * club he was ever linked to. A club linked for the first time also gets his moves dated after
 * this one, which may take him away again.
 */
function fileInRosters(model: SquadReadModel, player: Slug, history: History<ProjectedEvent, PlayerView>, fact: Fact<ProjectedEvent>, clubs: readonly Slug[]): void {
  const playerFacts = history.facts;
  const linked = model.playerClubs.get(player) ?? new Set<Slug>();
  model.playerClubs.set(player, linked);
  const newest = playerFacts[playerFacts.length - 1] === fact;
  for (const club of clubs) {
    if (linked.has(club)) continue;
    linked.add(club);
    let roster = model.rosters.get(club);
    if (roster === undefined) model.rosters.set(club, (roster = emptyHistory()));
    if (!newest) {
      for (let i = playerFacts.indexOf(fact) + 1; i < playerFacts.length; i++) {
        if (ROSTER_EVENT_TYPES.has(playerFacts[i].event.type)) addFact(roster, playerFacts[i], initialRosterView(club), evolveRosterView);
      }
    }
  }
  const before = model.currentClubs.get(player) ?? {};
  if (newest) {
    const targets = new Set(clubs);
    if (before.club) targets.add(before.club);
    if (before.loanedTo) targets.add(before.loanedTo);
    for (const club of targets) addFact(model.rosters.get(club)!, fact, initialRosterView(club), evolveRosterView);
  } else {
    for (const club of linked) addFact(model.rosters.get(club)!, fact, initialRosterView(club), evolveRosterView);
  }
  model.currentClubs.set(player, newest ? clubsAfter(before, fact.event) : clubsAfterAll(history));
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
  for (const fact of history.facts) clubs = clubsAfter(clubs, fact.event);
  return clubs;
}

export const yearOf = (date: string) => Number(date.slice(0, 4));

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
