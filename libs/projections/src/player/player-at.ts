import type { Slug } from '@squad/domain';
import { stateAt } from '../history/bitemporal-history';
import { reportedIn } from '../read-model/provenance';
import { readView, type ReadSource, type ReadView } from '../views/read-view';
import type { Clocks } from '../views/clocks';
import { evolvePlayerView, initialPlayerView, type PlayerView } from './player.projection';

/** A player's view on `c.asOf` as known on `c.knownAt`, folded from his history. */
export function playerOn(view: ReadView, player: Slug, c: Clocks): PlayerView | undefined {
  const history = view.playerHistory(player);
  if (!history) return undefined;
  return stateAt(history, c.asOf, c.knownAt, initialPlayerView(player), evolvePlayerView);
}

/** `playerOn` from a read model or a view. */
export function playerAt(source: ReadSource, player: Slug, c: Clocks): PlayerView | undefined {
  return playerOn(readView(source), player, c);
}

/** A valuation as the documents show it, with where it was reported. */
export function valuationOf({ valueEur, on, report }: NonNullable<PlayerView['valuation']>) {
  return { valueEur, on, ...reportedIn(report) };
}
