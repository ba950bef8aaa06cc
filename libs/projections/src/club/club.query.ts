import type { Slug } from '@squad/domain';
import { stateAt } from '../history/bitemporal-history';
import { toDay } from '../history/calendar';
import { cited } from '../read-model/provenance';
import { squadOf } from '../squad/squad-at';
import { bestMatches, foldQuery, type NameCandidate } from '../search/name-search';
import { clocksOf, type Clocks, type TimeQuery } from '../views/clocks';
import { readView, type ReadSource, type ReadView } from '../views/read-view';
import { evolveClubView, initialClubView, type ClubView } from './club.projection';

/** A club's view on `c.asOf` as known on `c.knownAt` (a club with no history of its own: its slug alone). */
export function clubOn(view: ReadView, club: Slug, c: Pick<Clocks, 'asOf' | 'knownAt'>): ClubView {
  const history = view.clubHistory(club);
  if (!history) return initialClubView(club)();
  return stateAt(history, c.asOf, c.knownAt, initialClubView(club), evolveClubView);
}

/**
 * A club on a day: its names, country, first team (for a youth side), manager (or the last one,
 * while no successor is reported), and its squad in figures: size (away on loan aside), average
 * age (of those whose age is known), and value (their latest valuations summed).
 */
export function clubDetail(source: ReadSource, club: Slug, q: TimeQuery) {
  const view = readView(source);
  const c = clocksOf(q);
  const { manager, formerManager, ...profile } = clubOn(view, club, c);
  const squad = squadOf(view, club, c).filter((member) => member.entry.status !== 'away-on-loan');
  const ages = squad.flatMap((member) => (member.entry.age === undefined ? [] : [member.entry.age]));
  const values = squad.flatMap((member) => (member.view.valuation ? [member.view.valuation.valueEur] : []));
  return {
    ...profile,
    ...(manager ? { manager: cited(manager) } : {}),
    ...(formerManager ? { formerManager: cited(formerManager) } : {}),
    squad: {
      size: squad.length,
      ...(ages.length > 0 ? { averageAge: Math.round((ages.reduce((a, b) => a + b, 0) / ages.length) * 10) / 10 } : {}),
      agesKnown: ages.length,
      valueEur: values.reduce((a, b) => a + b, 0),
      valuesKnown: values.length,
    },
  };
}

export interface SearchQuery {
  readonly text: string;
  readonly limit: number;
  /** Only names reported by this day count (undefined: every name known). */
  readonly knownAt?: TimeQuery['knownAt'];
}

/** Every valid day: a club found under a name it had once is found under it for good. */
const EVER = { asOf: Infinity };

/**
 * The clubs whose names, aliases or slug match the query, best first, with their profile as
 * known at `knownAt` (names accumulate, so any name ever reported counts).
 */
export function searchClubs(source: ReadSource, q: SearchQuery) {
  const view = readView(source);
  const clocks = { ...EVER, knownAt: q.knownAt ? toDay(q.knownAt) : undefined };
  const profiles = new Map<Slug, ClubView>();
  function* candidates(): Iterable<NameCandidate> {
    for (const club of view.clubs()) {
      if (clocks.knownAt !== undefined && !view.clubKnownBy(club, clocks.knownAt)) continue;
      const profile = clubOn(view, club, clocks);
      profiles.set(club, profile);
      const names = profile.name === undefined ? profile.aliases : [profile.name, ...profile.aliases];
      yield { slug: club, names, weight: view.rosterHistory(club)?.facts.length ?? 0 };
    }
  }
  return bestMatches(foldQuery(q.text), candidates(), q.limit).map(({ slug, matched, rank }) => {
    const { manager: _manager, club, ...profile } = profiles.get(slug)!;
    return { club, ...profile, matched, match: rank };
  });
}
