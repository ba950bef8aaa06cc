import { CLAIM_TYPES, type Slug, type SquadEvent } from '@squad/domain';
import { toDay } from './calendar';
import { addFact, emptyHistory, type Fact, type History } from './bitemporal-history';
import { evolvePlayerView, initialPlayerView, playerKeyOf, type PlayerView } from './player.projection';
import type { ProjectedEvent, ReportInfo } from './projected-event';
import { evolvePursuitView, initialPursuitView, pursuitKeyOf, type PursuitView } from './pursuit.projection';
import { evolveRosterView, initialRosterView, ROSTER_EVENT_TYPES, type RosterView } from './roster.projection';

/** Bump when the projections change shape: older snapshots are then rebuilt from the store. */
export const READ_MODEL_VERSION = 2;

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
  /** The players each club pursued, by the calendar year of the pursuit's facts. */
  readonly clubTargetsByYear: Map<Slug, Map<number, Set<Slug>>>;
  /** Every club that pursued a player (to find rivals). */
  readonly pursuersOf: Map<Slug, Set<Slug>>;
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
    clubTargetsByYear: new Map(),
    pursuersOf: new Map(),
    clubs: new Set(),
  };
}

const SQUAD_EVENT_TYPES = new Set<string>(CLAIM_TYPES);

/** What an applied event changed, so live views know which documents to refresh. */
export interface AppliedChange {
  readonly position: number;
  readonly clubs: readonly Slug[];
  readonly players: readonly Slug[];
}

export interface StoredSquadEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position: bigint;
}

/** Applies one stored event; returns what it touched, or undefined for a redelivery or a foreign event. */
export function applyEvent(model: SquadReadModel, stored: StoredSquadEvent): AppliedChange | undefined {
  const position = Number(stored.position);
  if (position <= model.position) return undefined; // redelivered: already applied
  model.position = position;
  if (!SQUAD_EVENT_TYPES.has(stored.type)) return undefined;

  const { type, data } = stored as unknown as SquadEvent;
  const metadata = (stored as unknown as SquadEvent).metadata;
  if (!model.reports.has(metadata.reportId)) {
    model.reports.set(metadata.reportId, {
      reportId: metadata.reportId,
      source: metadata.source,
      publishedOn: metadata.publishedOn,
      publishedOnApprox: metadata.publishedOnApprox,
    });
  }
  const event = { type, data, reportId: metadata.reportId, claimIndex: metadata.claimIndex, position } as ProjectedEvent;
  const fact: Fact<ProjectedEvent> = { validFrom: toDay(data.effectiveOn), knownFrom: toDay(metadata.publishedOn), position, event };
  const clubs = clubsNamedBy(event);
  clubs.forEach((club) => model.clubs.add(club));

  const player = playerKeyOf(event);
  if (player) {
    const history = getOrCreate(model.players, player, emptyHistory<ProjectedEvent, PlayerView>);
    addFact(history, fact, initialPlayerView(player), evolvePlayerView);
    if (ROSTER_EVENT_TYPES.has(type)) fileInRosters(model, player, history.facts, fact, clubs);
  }
  const pursuit = pursuitKeyOf(event);
  if (pursuit) {
    const history = getOrCreate(model.pursuits, `${pursuit.club}/${pursuit.player}`, emptyHistory<ProjectedEvent, PursuitView>);
    addFact(history, fact, initialPursuitView(pursuit.club, pursuit.player), evolvePursuitView);
    const years = getOrCreate(model.clubTargetsByYear, pursuit.club, () => new Map<number, Set<Slug>>());
    getOrCreate(years, yearOf(data.effectiveOn), () => new Set<Slug>()).add(pursuit.player);
    getOrCreate(model.pursuersOf, pursuit.player, () => new Set<Slug>()).add(pursuit.club);
  }
  // a change to a player shows in every squad he belongs to and every target list he is on
  const affectedClubs = new Set(clubs);
  if (player) {
    for (const club of model.playerClubs.get(player) ?? []) affectedClubs.add(club);
    for (const club of model.pursuersOf.get(player) ?? []) affectedClubs.add(club);
  }
  return { position, clubs: [...affectedClubs], players: player ? [player] : [] };
}

/**
 * Files a squad move in the roster of every club the player has been linked to (a move to one
 * club is a departure from the others). A club linked for the first time gets the player's
 * earlier moves too, so its roster history is complete.
 */
function fileInRosters(model: SquadReadModel, player: Slug, playerFacts: readonly Fact<ProjectedEvent>[], fact: Fact<ProjectedEvent>, clubs: readonly Slug[]): void {
  const linked = getOrCreate(model.playerClubs, player, () => new Set<Slug>());
  for (const club of clubs) {
    if (linked.has(club)) continue;
    linked.add(club);
    const roster = getOrCreate(model.rosters, club, emptyHistory<ProjectedEvent, RosterView>);
    for (const earlier of playerFacts) {
      if (earlier !== fact && ROSTER_EVENT_TYPES.has(earlier.event.type)) addFact(roster, earlier, initialRosterView(club), evolveRosterView);
    }
  }
  for (const club of linked) addFact(model.rosters.get(club) ?? getOrCreate(model.rosters, club, emptyHistory<ProjectedEvent, RosterView>), fact, initialRosterView(club), evolveRosterView);
}

export const yearOf = (date: string) => Number(date.slice(0, 4));

/** The clubs an event names, in any role. */
export function clubsNamedBy(event: Pick<ProjectedEvent, 'data'>): Slug[] {
  const data = event.data as Record<string, unknown>;
  const clubs = new Set<Slug>();
  for (const key of ['club', 'fromClub', 'toClub', 'withClub', 'byClub'] as const) {
    if (typeof data[key] === 'string') clubs.add(data[key] as Slug);
  }
  return [...clubs];
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
