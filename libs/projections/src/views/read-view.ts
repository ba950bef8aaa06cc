import type { Slug } from '@squad/domain';
import type { History } from '../history/bitemporal-history';
import type { Day } from '../history/calendar';
import { clubSeenBy } from '../history/club-sightings';
import type { ClubView } from '../club/club.projection';
import type { PlayerView } from '../player/player.projection';
import type { ProjectedEvent, ReportInfo } from '../read-model/projected-event';
import type { PursuitView } from '../pursuit/pursuit.projection';
import type { RosterView } from '../squad/roster.projection';
import {
  clubTargetsIn,
  pursuerBuckets,
  pursuersIn,
  pursuitHistory,
  reportById,
  type SquadReadModel,
} from '../read-model/squad-read-model';

/**
 * What the queries read: the entity histories and the indexes that find them. Canonical history
 * reads the read model's own maps (`CanonicalView`, no copy, no indirection beyond a call); a
 * what-if branch merges canonical facts visible at its fork with its own (`BranchView`).
 *
 * Indexes may answer more than the view holds (a player pursued only after a branch's fork):
 * the queries check every candidate against its history, as they already do for time travel.
 */
export interface ReadView {
  /** The store position the answers reflect. */
  readonly position: number;
  /** The what-if branch read (undefined: canonical history). */
  readonly branch?: string;
  playerHistory(player: Slug): History<ProjectedEvent, PlayerView> | undefined;
  pursuitHistory(club: Slug, player: Slug): History<ProjectedEvent, PursuitView> | undefined;
  rosterHistory(club: Slug): History<ProjectedEvent, RosterView> | undefined;
  /** The club's own history: its names and managers. */
  clubHistory(club: Slug): History<ProjectedEvent, ClubView> | undefined;
  /** Every player with a history (a branch: perhaps some whose facts all come after its fork). */
  players(): Iterable<Slug>;
  report(reportId: string): ReportInfo | undefined;
  /** Players the club pursued with facts dated in `year` (repeats possible). */
  clubTargetsIn(club: Slug, year: number): Iterable<Slug> | undefined;
  /** Clubs that pursued the player with facts dated in `year` (repeats possible). */
  pursuersIn(player: Slug, year: number): Iterable<Slug> | undefined;
  /** Every yearly bucket of the player's pursuers. */
  pursuerBuckets(player: Slug): Iterable<Iterable<Slug>>;
  hasClub(club: Slug): boolean;
  /** Whether a report published by `knownAt` names the club. */
  clubKnownBy(club: Slug, knownAt: Day): boolean;
  clubs(): Iterable<Slug>;
  /** Reports published on `day`, in store order. */
  reportsPublishedOn(day: Day): readonly ReportInfo[];
  /**
   * Facts learned before `day` that change the read models on it (dated then, or a loan ending
   * by itself then), in store order: see `SquadReadModel.takingEffect`.
   */
  takingEffectOn(day: Day): readonly ProjectedEvent[];
}

/** Canonical history: the read model itself. */
export class CanonicalView implements ReadView {
  constructor(readonly model: SquadReadModel) {}

  get position(): number {
    return this.model.position;
  }
  playerHistory(player: Slug) {
    return this.model.players.get(player);
  }
  pursuitHistory(club: Slug, player: Slug) {
    return pursuitHistory(this.model, club, player);
  }
  rosterHistory(club: Slug) {
    return this.model.rosters.get(club);
  }
  clubHistory(club: Slug) {
    return this.model.clubHistories.get(club);
  }
  players(): Iterable<Slug> {
    return this.model.players.keys();
  }
  report(reportId: string) {
    return reportById(this.model, reportId);
  }
  clubTargetsIn(club: Slug, year: number) {
    return clubTargetsIn(this.model, club, year);
  }
  pursuersIn(player: Slug, year: number) {
    return pursuersIn(this.model, player, year);
  }
  pursuerBuckets(player: Slug): Iterable<Iterable<Slug>> {
    return pursuerBuckets(this.model, player);
  }
  hasClub(club: Slug): boolean {
    return this.model.clubs.has(club);
  }
  clubKnownBy(club: Slug, knownAt: Day): boolean {
    return clubSeenBy(this.model.clubSightings.get(club), this.model.position, knownAt);
  }
  clubs(): Iterable<Slug> {
    return this.model.clubs;
  }
  reportsPublishedOn(day: Day): readonly ReportInfo[] {
    return this.model.reportsByDay.get(day) ?? [];
  }
  takingEffectOn(day: Day): readonly ProjectedEvent[] {
    return this.model.takingEffect.get(day) ?? [];
  }
}

/** A read model (read as canonical history) or a view. */
export type ReadSource = SquadReadModel | ReadView;

const canonicalViews = new WeakMap<SquadReadModel, CanonicalView>();

export function readView(source: ReadSource): ReadView {
  if ((source as ReadView).playerHistory !== undefined) return source as ReadView;
  const model = source as SquadReadModel;
  let view = canonicalViews.get(model);
  if (view === undefined) canonicalViews.set(model, (view = new CanonicalView(model)));
  return view;
}
