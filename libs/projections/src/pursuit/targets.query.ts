import type { ClaimRef, IsoDate, Position, Slug } from '@squad/domain';
import { factsAt } from '../history/bitemporal-history';
import { toDay } from '../history/calendar';
import { playerOn, valuationOf } from '../player/player-at';
import type { ProjectedEvent } from '../read-model/projected-event';
import { clubOn } from '../club/club.query';
import { cited, reportRef } from '../read-model/provenance';
import { clocksOf, type Clocks, type TimeQuery } from '../views/clocks';
import { readView, type ReadSource, type ReadView } from '../views/read-view';
import { isOpen, type PursuitView, type Stage } from './pursuit.projection';
import { currentPursuits, openPursuersOf, pursuitNews } from './pursuit-at';

export interface TargetEntry {
  readonly player: Slug;
  readonly name?: string;
  readonly position?: Position;
  readonly stage: Stage;
  readonly open: boolean;
  readonly priority?: string;
  [more: string]: unknown;
}

const PRIORITY_ORDER = ['top', 'high', 'medium', 'low', undefined];

/** A club's targets on a day: open ones first, by priority, each with its rivals and evidence. */
export function targetList(source: ReadSource, club: Slug, q: TimeQuery): TargetEntry[] {
  const model = readView(source);
  const c = clocksOf(q);
  const entries: TargetEntry[] = [];
  for (const { player, pursuit } of currentPursuits(model, club, c)) {
    const view = playerOn(model, player, c);
    // each rival's club, stage and how old its news is (not its bids: those are its business)
    const rivals = openPursuersOf(model, player, club, c, view).map(({ lastBid: _bid, ...rival }) => rival);
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
      ...(pursuit.sinceApprox ? { sinceApprox: true as const } : {}),
      ...(pursuit.sinceBetween ? { sinceBetween: pursuit.sinceBetween } : {}),
      // how old the news of this pursuit is: an open one without news for long is flagged, still listed
      ...pursuitNews(pursuit, c),
      renewalExpectedFrom: pursuit.renewalExpectedFrom,
      ...renewalOf(model, club, pursuit, c),
      // the holder's stance, while he is still there
      ...(view?.notForSale && view.notForSale.club === view.club ? { notForSale: cited(view.notForSale) } : {}),
      lastBid: pursuit.lastBid,
      // he joined another club while it was open: the move that ended it
      ...(pursuit.lostTo ? { lostTo: cited(pursuit.lostTo) } : {}),
      rivals,
      valuation,
      contractExpiry: view?.contract,
      // the reports of this pursuit since it began (an earlier, ended pursuit is history)
      ...evidence(
        factsAt(
          model.pursuitHistory(club, player)!,
          c.asOf,
          c.knownAt,
          pursuit.since ? toDay(pursuit.since) : undefined,
        ),
      ),
    });
  }
  const rank = (t: TargetEntry) => (t.open ? 0 : 1) * 10 + PRIORITY_ORDER.indexOf(t.priority);
  return entries.sort((a, b) => rank(a) - rank(b) || a.player.localeCompare(b.player));
}

/**
 * A renewal's condition, and whether it is now doubtful: it hinges on a manager who has left the
 * club (his departure is reported, or another manager is in charge on the day).
 */
function renewalOf(view: ReadView, club: Slug, pursuit: PursuitView, c: Clocks) {
  const condition = pursuit.renewalCondition;
  if (condition === undefined) return {};
  const manager = condition.dependsOnManager;
  if (manager === undefined) return { renewalCondition: condition };
  const now = clubOn(view, club, c);
  const gone = now.formerManager?.name === manager || (now.manager !== undefined && now.manager.name !== manager);
  return { renewalCondition: { ...condition, ...(gone ? { doubtful: true } : {}) } };
}

const sameClaim = (ref: ClaimRef, fact: ProjectedEvent) =>
  ref.reportId === fact.reportId && ref.claimIndex === fact.claimIndex;

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
  const known = new Set(facts.map((f) => `${f.reportId}#${f.claimIndex}`));
  const contradicting = disputes.map((d) => {
    const data = d.data as { statement: string; disputedType: string; effectiveOn: IsoDate; contradicts?: ClaimRef[] };
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

/** A claim's own fields, without those every claim of a pursuit shares. */
function claimDetails(event: ProjectedEvent): Record<string, unknown> {
  const {
    effectiveOn: _e,
    contradicts: _c,
    club: _club,
    player: _player,
    ...rest
  } = event.data as Record<string, unknown>;
  return rest;
}
