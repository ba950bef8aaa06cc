import type { IsoDate, Slug } from '@squad/domain';
import { factsAt } from '../history/bitemporal-history';
import { cited, reportedIn, reportRef } from '../read-model/provenance';
import { everyPursuer, pursuitOn } from '../pursuit/pursuit-at';
import { clocksOf, type TimeQuery } from '../views/clocks';
import { readView, type ReadSource } from '../views/read-view';
import { ageOn, playerOn, valuationOf } from './player-at';
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
    .map((pursuer) => ({ club: pursuer, ...pursuitOn(model, pursuer, player, c) }))
    .filter((p) => p.stage && p.stage !== 'none')
    .map(({ player: _p, ...rest }) => rest);
  const { outgoing, valuation, notForSale, ...rest } = view;
  return {
    ...rest,
    ...ageOn(view, c.asOfDate),
    ...(notForSale ? { notForSale: cited(notForSale) } : {}),
    status,
    valuation: valuation ? valuationOf(valuation) : undefined,
    outgoingFrom: Object.entries(outgoing).map(([from, flag]) => ({
      club: from,
      reason: flag.reason,
      since: flag.since,
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
    const { effectiveOn, effectiveOnApprox, contradicts, ...details } = fact.data as Record<string, unknown> & {
      effectiveOn: IsoDate;
    };
    return {
      type: fact.type,
      effectiveOn,
      ...(effectiveOnApprox === true ? { effectiveOnApprox } : {}),
      ...reportRef(fact),
      ...(fact.report.evidence ? { evidence: fact.report.evidence } : {}),
      claimIndex: fact.claimIndex,
      storePosition: fact.position,
      details,
      ...(contradicts ? { contradicts } : {}),
    };
  });
}
