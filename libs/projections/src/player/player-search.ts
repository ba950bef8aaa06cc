import type { History } from '../history/bitemporal-history';
import type { ProjectedEvent } from '../read-model/projected-event';
import { bestMatches, foldQuery } from '../search/name-search';
import type { SearchQuery } from '../club/club.query';
import { clocksOf, type TimeQuery } from '../views/clocks';
import { readView, type ReadSource } from '../views/read-view';
import { playerOn } from './player-at';
import type { PlayerView } from './player.projection';

/** The names of a history read without `knownAt`, kept while its facts are unchanged (a picker asks with every key). */
const namesCache = new WeakMap<History<ProjectedEvent, PlayerView>, { length: number; names: string[] }>();

/** Every name he was reported under (known by `knownAt`), the latest in valid time first. */
function namesOf(history: History<ProjectedEvent, PlayerView>, knownAt: number | undefined): string[] {
  if (knownAt === undefined) {
    const cached = namesCache.get(history);
    if (cached?.length === history.facts.length) return cached.names;
  }
  const names: string[] = [];
  for (let i = history.facts.length - 1; i >= 0; i--) {
    const fact = history.facts[i];
    if (knownAt !== undefined && fact.knownFrom > knownAt) continue;
    const name = (fact.data as { name?: string }).name;
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  if (knownAt === undefined) namesCache.set(history, { length: history.facts.length, names });
  return names;
}

/**
 * The players whose names (or slug) match the query, best first, each with his club and
 * profile on `asOf` as known on `knownAt`.
 */
export function searchPlayers(source: ReadSource, q: SearchQuery & TimeQuery) {
  const view = readView(source);
  const c = clocksOf(q);
  const found = bestMatches(
    foldQuery(q.text),
    (function* () {
      for (const player of view.players()) {
        const history = view.playerHistory(player);
        if (history === undefined) continue; // a branch's fork does not see him
        const names = namesOf(history, c.knownAt);
        if (names.length > 0 || c.knownAt === undefined) yield { slug: player, names, weight: history.facts.length };
      }
    })(),
    q.limit,
  );
  return found.map(({ slug, matched, rank }) => {
    const player = playerOn(view, slug, c);
    const names = namesOf(view.playerHistory(slug)!, c.knownAt);
    return {
      player: slug,
      name: player?.name ?? names[0],
      ...(names.length > 1 ? { otherNames: names.filter((name) => name !== (player?.name ?? names[0])) } : {}),
      ...(player?.position ? { position: player.position } : {}),
      ...(player?.nationality ? { nationality: player.nationality } : {}),
      ...(player?.birthYear !== undefined ? { birthYear: player.birthYear } : {}),
      ...(player?.club ? { club: player.club } : {}),
      matched,
      match: rank,
    };
  });
}
