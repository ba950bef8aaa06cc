import type { Slug } from '@squad/domain';

/**
 * Clubs whose slug or spellings we fix by hand; everything else is learned from the data (see
 * `clubs.ts`). Kept small: the seed data's clubs (their slugs must match the 2025 reports) and
 * the clubs whose spellings the data cannot link on its own.
 */
export interface CuratedClub {
  readonly slug: Slug;
  /** Spellings that name this club, compared case-insensitively with accents folded. */
  readonly spellings: readonly string[];
  /** For a youth or reserve side whose name has no `U23`/`B`/`II` suffix: a spelling of its first team. */
  readonly parentSpelling?: string;
}

export const CURATED_CLUBS: readonly CuratedClub[] = [
  // the seed data's clubs
  { slug: 'juventus', spellings: ['Juventus FC', 'Juventus', 'Juventus Turin'] },
  { slug: 'marseille', spellings: ['Olympique Marseille', 'Marseille', 'Olympique de Marseille'] },
  { slug: 'ajax', spellings: ['Ajax Amsterdam', 'Ajax', 'AFC Ajax'] },
  { slug: 'atletico-madrid', spellings: ['Atlético Madrid', 'Atl. Madrid', 'Atlético de Madrid'] },
  { slug: 'borussia-dortmund', spellings: ['Borussia Dortmund', 'Bor. Dortmund', 'B. Dortmund'] },
  { slug: 'boca-juniors', spellings: ['Boca Juniors', 'CA Boca Juniors'] },
  // one club under spellings the paired rows never link (or link too weakly)
  { slug: 'paris-saint-germain', spellings: ['Paris Saint-Germain', 'Paris SG', 'PSG'] },
  { slug: 'parma', spellings: ['Parma FC', 'AC Parma', 'Parma Calcio 1913', 'Parma'] },
  { slug: 'inter', spellings: ['FC Internazionale', 'Inter Milan', 'Inter', 'Internazionale'] },
  // reserve sides named without a suffix
  { slug: 'real-madrid-castilla', spellings: ['RM Castilla', 'Real Madrid Castilla'], parentSpelling: 'Real Madrid' },
  { slug: 'sevilla-atletico', spellings: ['Sevilla Atl.', 'Sevilla Atlético'], parentSpelling: 'Sevilla FC' },
];
