import { POSITIONS, type ClaimRef, type IsoDate, type Position, type Slug } from '@squad/domain';
import { factsAt, stateAt } from './bitemporal-history';
import { toDay } from './calendar';
import { FORMATIONS, POSITION_GROUPS, verdict, type Verdict } from './formations';
import { initialPlayerView, statusAt, evolvePlayerView, type PlayerStatus, type PlayerView } from './player.projection';
import type { ProjectedEvent, ReportInfo } from './projected-event';
import { evolvePursuitView, initialPursuitView, isOpen, type PursuitView, type Stage } from './pursuit.projection';
import { evolveRosterView, initialRosterView, rosterMembers } from './roster.projection';
import { readView, type ReadSource, type ReadView } from './read-view';

/** The two clocks of a question: the world on `asOf`, as known on `knownAt` (undefined: now). */
export interface TimeQuery {
  readonly asOf: IsoDate;
  readonly knownAt?: IsoDate;
}

export interface Clocks {
  readonly asOf: number;
  readonly knownAt: number | undefined;
  readonly asOfDate: IsoDate;
}
const clocks = (q: TimeQuery): Clocks => ({ asOf: toDay(q.asOf), knownAt: q.knownAt ? toDay(q.knownAt) : undefined, asOfDate: q.asOf });

export function playerAt(source: ReadSource, player: Slug, c: Clocks): PlayerView | undefined {
  return playerOn(readView(source), player, c);
}

function playerOn(model: ReadView, player: Slug, c: Clocks): PlayerView | undefined {
  const history = model.playerHistory(player);
  if (!history) return undefined;
  return stateAt(history, c.asOf, c.knownAt, initialPlayerView(player), evolvePlayerView);
}

function pursuitAt(model: ReadView, club: Slug, player: Slug, c: Clocks): PursuitView | undefined {
  const history = model.pursuitHistory(club, player);
  if (!history) return undefined;
  return stateAt(history, c.asOf, c.knownAt, initialPursuitView(club, player), evolvePursuitView);
}

// ---------------------------------------------------------------- squad depth

export interface SquadPlayer {
  readonly player: Slug;
  readonly name?: string;
  readonly status: PlayerStatus;
  readonly position?: Position;
  readonly injury?: PlayerView['injury'];
  readonly loan?: PlayerView['loan'];
  readonly registeredAt?: Slug;
}

/** The players of a club on a day: registered there (away on loan included) or on loan there. */
function squadOf(model: ReadView, club: Slug, c: Clocks): { view: PlayerView; entry: SquadPlayer }[] {
  const out: { view: PlayerView; entry: SquadPlayer }[] = [];
  const roster = model.rosterHistory(club);
  const candidates = roster ? rosterMembers(stateAt(roster, c.asOf, c.knownAt, initialRosterView(club), evolveRosterView)) : [];
  for (const player of candidates) {
    const view = playerOn(model, player, c);
    if (!view) continue;
    const { status, member } = statusAt(view, club, c.asOfDate);
    if (!member) continue;
    out.push({
      view,
      entry: {
        player,
        name: view.name,
        status,
        position: view.position,
        ...(view.injury ? { injury: view.injury } : {}),
        ...(view.loan && status !== 'available' ? { loan: view.loan } : {}),
        ...(view.club !== club ? { registeredAt: view.club } : {}),
      },
    });
  }
  return out.sort((a, b) => a.entry.player.localeCompare(b.entry.player));
}

interface DepthCounts {
  readonly registered: number;
  readonly squad: number;
  readonly available: number;
  readonly injured: number;
  readonly awayOnLoan: number;
}

function countsOf(players: readonly SquadPlayer[]): DepthCounts {
  const count = (status: PlayerStatus) => players.filter((p) => p.status === status).length;
  const awayOnLoan = count('away-on-loan');
  return {
    registered: players.length,
    squad: players.length - awayOnLoan,
    available: count('available') + count('on-loan-here'),
    injured: count('injured'),
    awayOnLoan,
  };
}

export function squadDepth(source: ReadSource, club: Slug, q: TimeQuery & { formation: string }) {
  return squadDepthAndOutgoing(source, club, q).squadDepth;
}

/** Squad depth and the outgoing candidates (with `q.formation`) from one reading of the squad. */
export function squadDepthAndOutgoing(source: ReadSource, club: Slug, q: TimeQuery & { formation: string }) {
  const model = readView(source);
  const c = clocks(q);
  const need = FORMATIONS[q.formation];
  const squad = squadOf(model, club, c);
  const openTargets = currentPursuits(model, club, c).filter(({ pursuit }) => isOpen(pursuit.stage)).map(({ player, pursuit }) => {
    const view = playerOn(model, player, c);
    return { player, name: view?.name, position: view?.position, stage: pursuit.stage, priority: pursuit.priority };
  });
  const outgoing = outgoingCandidates(model, club, q, squad);

  const positions = POSITIONS.map((position) => {
    const players = squad.filter((p) => p.view.position === position).map((p) => p.entry);
    const counts = countsOf(players);
    return {
      position,
      need: need[position],
      ...counts,
      verdict: verdict(need[position], counts.squad, counts.available),
      players,
      cover: squad.filter((p) => p.view.secondaryPositions?.includes(position)).map((p) => ({ player: p.entry.player, name: p.entry.name, status: p.entry.status })),
      incomingTargets: openTargets.filter((t) => t.position === position).map((t) => ({ player: t.player, name: t.name, stage: t.stage, priority: t.priority })),
      outgoingCandidates: outgoing.filter((o) => o.position === position).map((o) => ({ player: o.player, name: o.name, reason: o.reason })),
    };
  });
  const groups = Object.entries(POSITION_GROUPS).map(([group, members]) => {
    const inGroup = positions.filter((p) => (members as readonly Position[]).includes(p.position));
    const sum = (key: 'need' | 'squad' | 'available' | 'injured' | 'awayOnLoan' | 'registered') => inGroup.reduce((n, p) => n + p[key], 0);
    return {
      group,
      positions: [...members],
      need: sum('need'),
      registered: sum('registered'),
      squad: sum('squad'),
      available: sum('available'),
      injured: sum('injured'),
      awayOnLoan: sum('awayOnLoan'),
      verdict: verdict(sum('need'), sum('squad'), sum('available')) as Verdict,
    };
  });
  const squadDepth = { club, formation: q.formation, totals: countsOf(squad.map((p) => p.entry)), groups, positions, unpositioned: squad.filter((p) => !p.view.position).map((p) => p.entry) };
  return { squadDepth, outgoing };
}

// ---------------------------------------------------------------- targets

function reportRef(fact: ProjectedEvent) {
  const { report } = fact;
  return {
    reportId: fact.reportId,
    source: report.source,
    publishedOn: report.publishedOn,
    publishedOnApprox: report.publishedOnApprox,
  };
}

const sameClaim = (ref: ClaimRef, fact: ProjectedEvent) => ref.reportId === fact.reportId && ref.claimIndex === fact.claimIndex;

/** The reports behind a pursuit, grouped by report, with disputes shown beside what they dispute. */
function evidence(facts: ProjectedEvent[]) {
  const disputes = facts.filter((f) => f.type === 'ClaimDisputed');
  const supporting = new Map<string, ReturnType<typeof reportRef> & { claims: unknown[] }>();
  for (const fact of facts) {
    if (fact.type === 'ClaimDisputed') continue;
    const contradictedBy = [
      ...disputes.filter((d) => (d.data.contradicts ?? []).some((ref) => sameClaim(ref, fact))),
      ...facts.filter((d) => (fact.data.contradicts ?? []).some((ref) => sameClaim(ref, d))),
    ].map((d) => ({ ...reportRef(d), claimIndex: d.claimIndex }));
    const entry = supporting.get(fact.reportId) ?? { ...reportRef(fact), claims: [] };
    entry.claims.push({
      type: fact.type,
      claimIndex: fact.claimIndex,
      effectiveOn: fact.data.effectiveOn,
      ...claimDetails(fact),
      ...(contradictedBy.length ? { contradictedBy } : {}),
    });
    supporting.set(fact.reportId, entry);
  }
  const contradicting = disputes.map((d) => {
    const data = d.data as { statement: string; disputedType: string; effectiveOn: IsoDate; contradicts?: ClaimRef[] };
    const known = new Set(facts.map((f) => `${f.reportId}#${f.claimIndex}`));
    return {
      ...reportRef(d),
      claimIndex: d.claimIndex,
      effectiveOn: data.effectiveOn,
      disputes: data.disputedType,
      statement: data.statement,
      contradicts: (data.contradicts ?? []).filter((ref) => known.has(`${ref.reportId}#${ref.claimIndex}`)),
    };
  });
  return { supporting: [...supporting.values()], contradicting };
}

function claimDetails(event: ProjectedEvent): Record<string, unknown> {
  const { effectiveOn: _e, contradicts: _c, club: _club, player: _player, ...rest } = event.data as Record<string, unknown>;
  return rest;
}

export interface TargetEntry {
  readonly player: Slug;
  readonly name?: string;
  readonly position?: Position;
  readonly stage: Stage;
  readonly open: boolean;
  readonly priority?: string;
  [more: string]: unknown;
}

/** A pursuit with no news for this long leaves the target list, open or closed. */
export const TARGET_NEWS_HORIZON_DAYS = 365;

/** The members of the year-`asOf` and previous-year buckets: a season's worth, whatever the history. */
/** Every club that ever pursued the player: the union of his yearly buckets (a few dozen at most). */
export function everyPursuer(source: ReadSource, player: Slug): Set<Slug> {
  const pursuers = new Set<Slug>();
  for (const bucket of readView(source).pursuerBuckets(player)) for (const club of bucket) pursuers.add(club);
  return pursuers;
}

function recentBuckets(bucket: (year: number) => Iterable<Slug> | undefined, asOf: IsoDate): Set<Slug> {
  const year = Number(asOf.slice(0, 4));
  return new Set([...(bucket(year - 1) ?? []), ...(bucket(year) ?? [])]);
}

/** A pursuit counts on `asOf` when it has begun and had news within the horizon. */
function isCurrent(pursuit: PursuitView | undefined, c: Clocks): pursuit is PursuitView {
  return !!pursuit && pursuit.stage !== 'none' && !!pursuit.lastNewsOn && toDay(pursuit.lastNewsOn) >= c.asOf - TARGET_NEWS_HORIZON_DAYS;
}

/** The club's current pursuits on `asOf`: its targets before any detail is added. */
function currentPursuits(model: ReadView, club: Slug, c: Clocks): { player: Slug; pursuit: PursuitView }[] {
  const out: { player: Slug; pursuit: PursuitView }[] = [];
  for (const player of recentBuckets((year) => model.clubTargetsIn(club, year), c.asOfDate)) {
    const pursuit = pursuitAt(model, club, player, c);
    if (isCurrent(pursuit, c)) out.push({ player, pursuit });
  }
  return out;
}

export function targetList(source: ReadSource, club: Slug, q: TimeQuery): TargetEntry[] {
  const model = readView(source);
  const c = clocks(q);
  const entries: TargetEntry[] = [];
  for (const { player, pursuit } of currentPursuits(model, club, c)) {
    const view = playerOn(model, player, c);
    const rivals = [...recentBuckets((year) => model.pursuersIn(player, year), q.asOf)]
      .filter((other) => other !== club)
      .map((other) => ({ club: other, pursuit: pursuitAt(model, other, player, c) }))
      .filter((rival) => isCurrent(rival.pursuit, c) && isOpen(rival.pursuit.stage))
      .map((rival) => ({ club: rival.club, stage: rival.pursuit!.stage }))
      .sort((a, b) => a.club.localeCompare(b.club));
    const valuation = view?.valuation ? valuationOf(view.valuation) : undefined;
    entries.push({
      player,
      name: view?.name,
      position: view?.position,
      currentClub: view?.club,
      stage: pursuit.stage,
      open: isOpen(pursuit.stage),
      priority: pursuit.priority,
      since: pursuit.since,
      renewalExpectedFrom: pursuit.renewalExpectedFrom,
      lastBid: pursuit.lastBid,
      rivals,
      valuation,
      contractExpiry: view?.contract,
      // the reports of this pursuit since it began (an earlier, ended pursuit is history)
      ...evidence(factsAt(model.pursuitHistory(club, player)!, c.asOf, c.knownAt, pursuit.since ? toDay(pursuit.since) : undefined)),
    });
  }
  const rank = (t: TargetEntry) => (t.open ? 0 : 1) * 10 + ['top', 'high', 'medium', 'low', undefined].indexOf(t.priority as never);
  return entries.sort((a, b) => rank(a) - rank(b) || a.player.localeCompare(b.player));
}

/** Where a piece of a player's view was reported. */
function reportedIn(report: ReportInfo) {
  return { reportId: report.reportId, source: report.source, publishedOn: report.publishedOn };
}

function valuationOf({ valueEur, on, report }: NonNullable<PlayerView['valuation']>) {
  return { valueEur, on, ...reportedIn(report) };
}

// ---------------------------------------------------------------- outgoing

export function outgoingCandidates(source: ReadSource, club: Slug, q: TimeQuery & { formation?: string }, squad?: ReturnType<typeof squadOf>) {
  const model = readView(source);
  squad ??= squadOf(model, club, clocks(q));
  const need = FORMATIONS[q.formation ?? '4-3-3'];
  return squad
    .filter((p) => Object.hasOwn(p.view.outgoing, club) && p.view.club === club)
    .map((p) => {
      const flag = p.view.outgoing[club];
      const position = p.view.position;
      const samePosition = squad.filter((o) => o.view.position === position).map((o) => o.entry);
      const without = countsOf(samePosition.filter((o) => o.player !== p.entry.player));
      const withHim = countsOf(samePosition);
      return {
        player: p.entry.player,
        name: p.entry.name,
        position,
        status: p.entry.status,
        reason: flag.reason,
        flaggedOn: flag.since,
        ...reportedIn(flag.report),
        ...(p.view.returnedFromLoan ? { returnedFromLoan: p.view.returnedFromLoan } : {}),
        depthAtPosition: position
          ? {
              need: need[position],
              now: { ...withHim, verdict: verdict(need[position], withHim.squad, withHim.available) },
              withoutHim: { ...without, verdict: verdict(need[position], without.squad, without.available) },
            }
          : undefined,
      };
    });
}

// ---------------------------------------------------------------- players

export function playerDetail(source: ReadSource, player: Slug, q: TimeQuery) {
  const model = readView(source);
  const c = clocks(q);
  const view = playerOn(model, player, c);
  if (!view) return undefined;
  const club = view.club;
  const status = club ? statusAt(view, club, c.asOfDate).status : 'available';
  const pursuedBy = [...everyPursuer(model, player)]
    .map((pursuer) => ({ club: pursuer, ...pursuitAt(model, pursuer, player, c) }))
    .filter((p) => p.stage && p.stage !== 'none')
    .map(({ player: _p, ...rest }) => rest);
  const { outgoing, valuation, ...rest } = view;
  return {
    ...rest,
    status,
    valuation: valuation ? valuationOf(valuation) : undefined,
    outgoingFrom: Object.entries(outgoing).map(([from, flag]) => ({ club: from, reason: flag.reason, since: flag.since, ...reportedIn(flag.report) })),
    pursuedBy,
  };
}

export function playerTimeline(source: ReadSource, player: Slug, q: TimeQuery) {
  const model = readView(source);
  const history = model.playerHistory(player);
  if (!history) return undefined;
  const c = clocks(q);
  return factsAt(history, c.asOf, c.knownAt).map((fact) => {
    const { effectiveOn, contradicts, ...details } = fact.data as Record<string, unknown> & { effectiveOn: IsoDate };
    return {
      type: fact.type,
      effectiveOn,
      ...reportRef(fact),
      claimIndex: fact.claimIndex,
      position: fact.position,
      details,
      ...(contradicts ? { contradicts } : {}),
    };
  });
}
