import type { Branch, Slug } from '@squad/domain';
import { factBefore, type Fact, type History } from '../history/bitemporal-history';
import { toDay, type Day } from '../history/calendar';
import { clubSeenBy } from '../history/club-sightings';
import type { ProjectedEvent, ReportInfo } from '../read-model/projected-event';
import type { ReadView } from './read-view';
import {
  clubTargetsIn,
  pursuerBuckets,
  pursuersIn,
  pursuitHistory,
  reportById,
  type SquadReadModel,
} from '../read-model/squad-read-model';

/**
 * Where a what-if branch leaves canonical history: the canonical facts it sees are those stored
 * at or before `position` and, for a record-time fork, learned (published) on or before `knownAt`.
 */
export interface ForkPoint {
  readonly position: number;
  readonly knownAt?: Day;
}

/**
 * A branch's fork point. A record-time fork also stops at the branch's creation: canonical
 * reports recorded after it are not part of the branch, even when published before `knownAt`.
 */
export function forkPointOf(branch: Pick<Branch, 'forkAt' | 'createdPosition'>): ForkPoint {
  const { forkAt, createdPosition } = branch;
  return 'storePosition' in forkAt
    ? { position: Math.min(forkAt.storePosition, createdPosition) }
    : { position: createdPosition, knownAt: toDay(forkAt.knownAt) };
}

/** Whether a canonical fact is part of a branch forked at `fork`. */
export function visibleAt(fork: ForkPoint, fact: Fact): boolean {
  return fact.position <= fork.position && (fork.knownAt === undefined || fact.knownFrom <= fork.knownAt);
}

/** Whether a canonical report is part of the branch (its claims are stored together, so all or none are). */
export function reportVisibleAt(fork: ForkPoint, report: Pick<ReportInfo, 'position' | 'publishedOn'>): boolean {
  return report.position <= fork.position && (fork.knownAt === undefined || toDay(report.publishedOn) <= fork.knownAt);
}

/**
 * The facts of one entity in a branch: the canonical ones visible at the fork merged with the
 * branch's own, in history order (valid time, record time, position). Both inputs are in that
 * order already, so this is one linear merge: its cost is the entity's history, never the log's.
 */
export function mergeFacts<E extends Fact>(canonical: readonly E[], fork: ForkPoint, own: readonly E[]): E[] {
  const out: E[] = [];
  let j = 0;
  for (const fact of canonical) {
    if (!visibleAt(fork, fact)) continue;
    while (j < own.length && factBefore(own[j], fact)) out.push(own[j++]);
    out.push(fact);
  }
  while (j < own.length) out.push(own[j++]);
  return out;
}

function historyOf<S>(facts: ProjectedEvent[]): History<ProjectedEvent, S> {
  let maxKnownFrom = -Infinity;
  for (const fact of facts) if (fact.knownFrom > maxKnownFrom) maxKnownFrom = fact.knownFrom;
  return {
    facts,
    checkpoints: [],
    maxKnownFrom,
    maxValidFrom: facts.length > 0 ? facts[facts.length - 1].validFrom : -Infinity,
  };
}

interface Merged {
  readonly canonical: History<ProjectedEvent, unknown> | undefined;
  readonly canonicalLength: number;
  readonly own: History<ProjectedEvent, unknown> | undefined;
  readonly ownLength: number;
  readonly history: History<ProjectedEvent, unknown> | undefined;
}

/** Merged histories kept per view; past this many the cache starts over. */
const MAX_CACHED_HISTORIES = 20_000;

/**
 * A what-if branch as the queries read it: canonical history as of the fork, seen through the
 * visibility predicate, with the branch's own read model (holding only its events) laid over it.
 * Nothing is copied at fork time; each entity's history is merged when a query first reads it,
 * then kept until either side files a new fact about that entity. An entity the branch has not
 * touched and whose canonical facts are all visible is read straight from the canonical model,
 * checkpoints included.
 *
 * Without `own`, it is canonical history frozen at `fork` (what a replay reads, so that reports
 * recorded during the replay do not change it); with `ownPosition`, a branch frozen the same way.
 */
export class BranchView implements ReadView {
  private readonly merged = new Map<string, Merged>();

  constructor(
    readonly canonical: SquadReadModel,
    readonly fork: ForkPoint,
    readonly own?: SquadReadModel,
    private readonly options: {
      /** The branch's id, echoed by the documents read through this view. */
      readonly branch?: string;
      /** The position answers are said to reflect; by default the furthest either model reached. */
      readonly position?: () => number;
      /**
       * The branch frozen at this position (a replay): its own facts and reports stored after it
       * stay out, though `own` keeps catching up. By default, all of them.
       */
      readonly ownPosition?: number;
    } = {},
  ) {}

  get branch(): string | undefined {
    return this.options.branch;
  }

  get position(): number {
    return this.options.position ? this.options.position() : Math.max(this.canonical.position, this.own?.position ?? 0);
  }

  playerHistory(player: Slug) {
    if (this.unchanged) return this.canonical.players.get(player);
    return this.history(`p\n${player}`, this.canonical.players.get(player), this.own?.players.get(player));
  }

  pursuitHistory(club: Slug, player: Slug) {
    if (this.unchanged) return pursuitHistory(this.canonical, club, player);
    return this.history(
      `t\n${club}\n${player}`,
      pursuitHistory(this.canonical, club, player),
      this.own && pursuitHistory(this.own, club, player),
    );
  }

  rosterHistory(club: Slug) {
    if (this.unchanged) return this.canonical.rosters.get(club);
    return this.history(`r\n${club}`, this.canonical.rosters.get(club), this.own?.rosters.get(club));
  }

  clubHistory(club: Slug) {
    if (this.unchanged) return this.canonical.clubHistories.get(club);
    return this.history(`c\n${club}`, this.canonical.clubHistories.get(club), this.own?.clubHistories.get(club));
  }

  *players(): Iterable<Slug> {
    yield* this.canonical.players.keys();
    if (this.own) for (const player of this.own.players.keys()) if (!this.canonical.players.has(player)) yield player;
  }

  /**
   * Canonical history frozen at a position it has not moved past (a replay while nothing new is
   * stored): every canonical fact is visible and there is nothing of its own, so the canonical
   * histories are the answers, read without merging or caching.
   */
  private get unchanged(): boolean {
    return this.own === undefined && this.fork.knownAt === undefined && this.canonical.position <= this.fork.position;
  }

  report(reportId: string): ReportInfo | undefined {
    const own = this.own && reportById(this.own, reportId);
    if (own && this.ownVisible(own)) return own;
    const canonical = reportById(this.canonical, reportId);
    return canonical && reportVisibleAt(this.fork, canonical) ? canonical : undefined;
  }

  clubTargetsIn(club: Slug, year: number) {
    return union(clubTargetsIn(this.canonical, club, year), this.own && clubTargetsIn(this.own, club, year));
  }

  pursuersIn(player: Slug, year: number) {
    return union(pursuersIn(this.canonical, player, year), this.own && pursuersIn(this.own, player, year));
  }

  *pursuerBuckets(player: Slug): Iterable<Iterable<Slug>> {
    yield* pursuerBuckets(this.canonical, player);
    if (this.own) yield* pursuerBuckets(this.own, player);
  }

  /**
   * Clubs named by a canonical fact visible at the fork, or by the branch's own reports. A club
   * first named in canonical history after the fork is not part of the branch.
   */
  hasClub(club: Slug): boolean {
    return !!this.own?.clubs.has(club) || this.canonicalSees(club);
  }

  clubKnownBy(club: Slug, knownAt: Day): boolean {
    const own = this.own && clubSeenBy(this.own.clubSightings.get(club), this.options.ownPosition ?? Infinity, knownAt);
    const forkKnownAt = this.fork.knownAt === undefined ? knownAt : Math.min(knownAt, this.fork.knownAt);
    return !!own || clubSeenBy(this.canonical.clubSightings.get(club), this.fork.position, forkKnownAt);
  }

  clubs(): Iterable<Slug> {
    if (this.unchanged) return this.canonical.clubs;
    const clubs = new Set<Slug>(this.own?.clubs);
    for (const club of this.canonical.clubs) if (this.canonicalSees(club)) clubs.add(club);
    return clubs;
  }

  private canonicalSees(club: Slug): boolean {
    return clubSeenBy(this.canonical.clubSightings.get(club), this.fork.position, this.fork.knownAt);
  }

  reportsPublishedOn(day: Day): readonly ReportInfo[] {
    const canonical = (this.canonical.reportsByDay.get(day) ?? []).filter((report) =>
      reportVisibleAt(this.fork, report),
    );
    const own = this.ownOnly(this.own?.reportsByDay.get(day));
    if (own.length === 0) return canonical;
    return [...canonical, ...own].sort((a, b) => a.position - b.position);
  }

  takingEffectOn(day: Day): readonly ProjectedEvent[] {
    const all = this.canonical.takingEffect.get(day) ?? [];
    const canonical = this.unchanged ? all : all.filter((fact) => visibleAt(this.fork, fact));
    const own = this.ownOnly(this.own?.takingEffect.get(day));
    if (own.length === 0) return canonical;
    return [...canonical, ...own].sort((a, b) => a.position - b.position);
  }

  /** Whether something of the branch's own was stored by the position the view is frozen at (if any). */
  private ownVisible(item: { readonly position: number }): boolean {
    return this.options.ownPosition === undefined || item.position <= this.options.ownPosition;
  }

  /** The branch's own items the view sees: all of them, or those stored by its frozen position. */
  private ownOnly<T extends { readonly position: number }>(items: readonly T[] | undefined): readonly T[] {
    if (items === undefined) return [];
    return items.every((item) => this.ownVisible(item)) ? items : items.filter((item) => this.ownVisible(item));
  }

  private history<S>(
    key: string,
    canonical: History<ProjectedEvent, S> | undefined,
    own: History<ProjectedEvent, S> | undefined,
  ): History<ProjectedEvent, S> | undefined {
    const canonicalLength = canonical?.facts.length ?? 0;
    const ownLength = own?.facts.length ?? 0; // the cache's key: what `own` holds, seen or not
    const ownFacts = this.ownOnly(own?.facts);
    const cached = this.merged.get(key);
    if (
      cached &&
      cached.canonical === canonical &&
      cached.own === own &&
      cached.canonicalLength === canonicalLength &&
      cached.ownLength === ownLength
    ) {
      return cached.history as History<ProjectedEvent, S> | undefined;
    }
    let history: History<ProjectedEvent, S> | undefined;
    if (ownFacts.length === 0) {
      if (canonical && canonical.facts.every((fact) => visibleAt(this.fork, fact))) history = canonical;
      else if (canonical)
        history = nonEmpty(historyOf<S>(canonical.facts.filter((fact) => visibleAt(this.fork, fact))));
    } else {
      history = historyOf<S>(mergeFacts(canonical?.facts ?? [], this.fork, ownFacts));
    }
    if (this.merged.size >= MAX_CACHED_HISTORIES) this.merged.clear();
    this.merged.set(key, { canonical, canonicalLength, own, ownLength, history });
    return history;
  }
}

function nonEmpty<S>(history: History<ProjectedEvent, S>): History<ProjectedEvent, S> | undefined {
  return history.facts.length > 0 ? history : undefined;
}

function union(a: Iterable<Slug> | undefined, b: Iterable<Slug> | undefined): Iterable<Slug> | undefined {
  if (!b) return a;
  if (!a) return b;
  return [...a, ...b];
}
