import type { Slug } from '@squad/domain';

/**
 * Finding clubs and players by any of their names, as a picker does while the user types:
 * case, accents and punctuation do not matter ("atletico" finds "Atlético Madrid", "bor dort"
 * finds "Bor. Dortmund"), and better matches come first.
 */

/** Lower case, accents folded, anything but letters and digits a single space. */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * How a name matches, best first: the whole name (or the slug) is the query; every word of the
 * query starts a word of the name, in order; the query appears somewhere in it.
 */
export const MATCH_RANKS = ['exact', 'words', 'contains'] as const;
export type MatchRank = (typeof MATCH_RANKS)[number];

export interface FoldedQuery {
  readonly text: string;
  readonly words: readonly string[];
}

export function foldQuery(query: string): FoldedQuery {
  const text = foldName(query);
  return { text, words: text.split(' ').filter((word) => word.length > 0) };
}

/** How one folded name matches the query, or undefined. */
export function rankOf(query: FoldedQuery, folded: string): number | undefined {
  if (query.text.length === 0) return undefined;
  if (folded === query.text) return 0;
  if (!folded.includes(query.words[0] ?? '')) return undefined; // the cheap test that rules most names out
  if (wordsStartWords(query.words, folded.split(' '))) return 1;
  return folded.includes(query.text) ? 2 : undefined;
}

/** Each query word starts a word of the name, in order ("bor dort" in "bor dortmund"). */
function wordsStartWords(query: readonly string[], words: readonly string[]): boolean {
  let next = 0;
  for (const word of query) {
    while (next < words.length && !words[next].startsWith(word)) next++;
    if (next === words.length) return false;
    next++;
  }
  return true;
}

export interface NameCandidate {
  readonly slug: Slug;
  /** Its names, the usual one first. */
  readonly names: readonly string[];
  /**
   * How much the store knows of it (its facts): between equal matches the better-known comes
   * first, so "juve" finds Juventus before Juve Stabia, as a user typing it expects.
   */
  readonly weight: number;
}

export interface RankedMatch {
  readonly slug: Slug;
  /** The name that matched best (the slug itself when only the slug did). */
  readonly matched: string;
  readonly rank: MatchRank;
}

/** Folded names are cached: a picker asks again with every key the user types. */
const folded = new Map<string, string>();
const MAX_FOLDED = 200_000;
function cachedFold(name: string): string {
  let result = folded.get(name);
  if (result === undefined) {
    if (folded.size >= MAX_FOLDED) folded.clear();
    folded.set(name, (result = foldName(name)));
  }
  return result;
}

/**
 * The best `limit` candidates for a query, by match rank, then the better known, then the shorter
 * name (Juventus before Juventus U23), then alphabetically. The slug counts as a name (`juventus-u23` as "juventus u23").
 */
export function bestMatches(query: FoldedQuery, candidates: Iterable<NameCandidate>, limit: number): RankedMatch[] {
  const found: { slug: Slug; matched: string; rank: number; weight: number }[] = [];
  for (const candidate of candidates) {
    let best: { matched: string; rank: number } | undefined;
    for (const name of candidate.names) {
      const rank = rankOf(query, cachedFold(name));
      // the best rank, and at it the shortest name (the one closest to what was typed)
      if (
        rank !== undefined &&
        (best === undefined || rank < best.rank || (rank === best.rank && name.length < best.matched.length))
      )
        best = { matched: name, rank };
    }
    const bySlug = rankOf(query, candidate.slug.replaceAll('-', ' '));
    if (bySlug !== undefined && (best === undefined || bySlug < best.rank))
      best = { matched: candidate.slug, rank: bySlug };
    if (best !== undefined) found.push({ slug: candidate.slug, ...best, weight: candidate.weight });
  }
  found.sort(
    (a, b) =>
      a.rank - b.rank ||
      b.weight - a.weight ||
      a.matched.length - b.matched.length ||
      a.matched.localeCompare(b.matched) ||
      (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0),
  );
  return found.slice(0, limit).map(({ slug, matched, rank }) => ({ slug, matched, rank: MATCH_RANKS[rank] }));
}
