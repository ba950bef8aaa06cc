import type { IsoDate, Slug } from '@squad/domain';
import { factsAt } from '../history/bitemporal-history';
import { cited, reportedIn, reportRef } from '../read-model/provenance';
import { everyPursuer, pursuitNews, pursuitOn } from '../pursuit/pursuit-at';
import { clocksOf, type TimeQuery } from '../views/clocks';
import { readView, type ReadSource } from '../views/read-view';
import { ageOn, injuryOf, loanOf, playerOn, valuationOf } from './player-at';
import { statusAt } from './player.projection';

/** A player on a day: his view, his status at his club, and the clubs pursuing him. */
export function playerDetail(source: ReadSource, player: Slug, q: TimeQuery) {
  const model = readView(source);
  const c = clocksOf(q);
  const view = playerOn(model, player, c);
  if (!view) return undefined;
  const club = view.club;
  // at no club: released or retired says so; a player known only from news (a target) is available
  const status = club ? statusAt(view, club, c.asOfDate).status : view.leftFootball ? 'without-club' : 'available';
  const pursuedBy = [...everyPursuer(model, player)]
    .map((pursuer) => pursuitOn(model, pursuer, player, c, view))
    .filter((pursuit) => pursuit !== undefined && pursuit.stage !== 'none')
    .map((pursuit) => {
      // lastNewsOn: the publication day of its latest report (record time), as wherever staleness is shown
      const { player: _p, latestReport: _r, lastNewsOn: _valid, lostTo, ...rest } = pursuit!;
      return { ...rest, ...(lostTo ? { lostTo: cited(lostTo) } : {}), ...pursuitNews(pursuit!, c) };
    });
  // `joined` (his latest move) is shown where it matters, as the `lostTo` of other clubs' pursuits
  const { outgoing, valuation, notForSale, injury, injuryNews: _i, loan, loanNews: _l, joined: _j, ...rest } = view;
  return {
    ...rest,
    ...(injury ? { injury: injuryOf(view, c) } : {}),
    ...(loan ? { loan: loanOf(view, c) } : {}),
    ...ageOn(view, c.asOfDate),
    ...(notForSale ? { notForSale: cited(notForSale) } : {}),
    status,
    valuation: valuation ? valuationOf(valuation) : undefined,
    outgoingFrom: Object.entries(outgoing).map(([from, flag]) => ({
      club: from,
      reason: flag.reason,
      since: flag.since,
      ...(flag.sinceApprox ? { sinceApprox: true as const } : {}),
      ...(flag.sinceBetween ? { sinceBetween: flag.sinceBetween } : {}),
      ...reportedIn(flag.report),
    })),
    pursuedBy,
  };
}

/** Every fact recorded about a player, in both clocks, as known on `q.knownAt`. */
export function playerTimeline(source: ReadSource, player: Slug, q: TimeQuery) {
  const model = readView(source);
  const history = model.playerHistory(player);
  if (!history) return undefined;
  const c = clocksOf(q);
  return factsAt(history, c.asOf, c.knownAt).map((fact) => {
    const { effectiveOn, effectiveOnApprox, effectiveBetween, contradicts, ...details } = fact.data as Record<
      string,
      unknown
    > & { effectiveOn: IsoDate };
    return {
      type: fact.type,
      effectiveOn,
      ...(effectiveOnApprox === true ? { effectiveOnApprox } : {}),
      ...(effectiveBetween !== undefined ? { effectiveBetween } : {}),
      ...reportRef(fact),
      ...(fact.report.evidence ? { evidence: fact.report.evidence } : {}),
      claimIndex: fact.claimIndex,
      storePosition: fact.position,
      details,
      ...(contradicts ? { contradicts } : {}),
    };
  });
}
