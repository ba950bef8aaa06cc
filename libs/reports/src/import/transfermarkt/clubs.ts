import type { Slug } from '@squad/domain';
import { CURATED_CLUBS, type CuratedClub } from './curated-clubs';
import { foldAccents, slugify, withSuffix } from './slug';
import type { Anomaly, ClubEntry, TransfermarktRow } from './types';

/** The statuses `dealing_club` uses for "no club", as our vocabulary names them. */
export type Nowhere = 'without-club' | 'retired' | 'career-break' | 'ban' | 'unknown' | 'own-youth';
const NOWHERE: ReadonlyMap<string, Nowhere> = new Map([
  ['without club', 'without-club'],
  ['retired', 'retired'],
  ['career break', 'career-break'],
  ['ban', 'ban'],
  ['unknown', 'unknown'],
  ['own youth', 'own-youth'],
]);

/** The other side of a row: a club (an internal key, see `ClubBook.slugOf`) or a status. */
export type OtherSide = { readonly club: string } | { readonly nowhere: Nowhere };

/** The country of each league's clubs, by the league's slug (file name). */
export const LEAGUE_COUNTRIES: Readonly<Record<string, string>> = {
  'serie-a': 'Italy',
  'premier-league': 'England',
  laliga: 'Spain',
  '1-bundesliga': 'Germany',
  'ligue-1': 'France',
  'primeira-liga': 'Portugal',
  eredivisie: 'Netherlands',
  'premier-liga': 'Russia',
  'jupiler-pro-league': 'Belgium',
  'scottish-premiership': 'Scotland',
};

/**
 * Tokens that say "football club" rather than which club: dropped to compare spellings
 * (`AC Milan` = `Milan AC`, `Torino FC` = `Torino Calcio`) and to make slugs (`Juventus FC` → juventus).
 */
const AFFIXES = new Set(['fc', 'afc', 'cf', 'ac', 'acf', 'ssc', 'ss', 'us', 'uc', 'as', 'cfc', 'calcio', 'sc']);

/**
 * Youth and reserve suffixes, and the one name each stands for: `Juventus U23` → `u23`,
 * `Juventus Primavera` → `u19` (the Primavera is Italy's under-19 league), `B. Dortmund II` → `ii`.
 */
const YOUTH_SUFFIX = /^(.+?)\s+(u\s?-?\d{2}|sub-?\d{2}|ii|iii|2|b|c|youth|yth\.|primavera|reserves?|res\.)$/;
const YOUTH_PREFIX = /^jong\s+(.+)$/;

/** Thresholds of the learned rules, named so the tests and the README can cite them. */
export const CLUB_RULES = {
  /** A dealing spelling resolves to the club its paired rows name, given this many votes... */
  aliasMinVotes: 2,
  /** ...and this share of its votes. */
  aliasMinShare: 0.5,
  /** When the dealing country is not the club's league country (`Monaco`, Welsh clubs in England): more votes. */
  aliasMinVotesAbroad: 5,
  /** Two `club` spellings of disjoint seasons are one club when one dealing spelling gives each this many votes... */
  renameMinVotes: 5,
  /** ...and this share of that spelling's votes. */
  renameMinShare: 0.05,
  /** A block of rows is re-filed when its paired rows name another club this many times... */
  misfiledMinVotes: 3,
  /** ...at least this share of the block's votes... */
  misfiledMinShare: 0.5,
  /** ...and this many times more often than the club it is filed under. */
  misfiledMinRatio: 3,
  /** A file's club labels are shifted when at least half its blocks, and at least this many, are misfiled. */
  shiftedFileMinBlocks: 3,
} as const;

/** Lower case, accents folded, single spaces: how spellings are compared. */
export function normalizeSpelling(spelling: string): string {
  return foldAccents(spelling).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A spelling without its "football club" tokens: `Juventus FC` → `juventus`, `AC Milan` → `milan`. */
export function nameKey(spelling: string): string {
  const tokens = normalizeSpelling(spelling).split(' ');
  const kept = tokens.filter((token) => !AFFIXES.has(token.replace(/\.$/, '')));
  return kept.length > 0 && !kept.every((token) => /^\d+\.?$/.test(token)) ? kept.join(' ') : tokens.join(' ');
}

/**
 * The spelling a slug is made from: "football club" tokens dropped at either end only
 * (`Juventus FC` → `Juventus`, `AS Roma` → `Roma`, but `1. FC Köln` stays whole).
 */
export function slugBase(spelling: string): string {
  const tokens = spelling.trim().split(/\s+/);
  const isAffix = (token: string | undefined) =>
    token !== undefined && AFFIXES.has(token.toLowerCase().replace(/\.$/, ''));
  let from = 0;
  let to = tokens.length;
  while (to - from > 1 && isAffix(tokens[from])) from++;
  while (to - from > 1 && isAffix(tokens[to - 1])) to--;
  const kept = tokens.slice(from, to);
  return kept.every((token) => /^\d+\.?$/.test(token)) ? tokens.join(' ') : kept.join(' ');
}

/** `Juventus U23` → `{ base: 'juventus', suffix: 'u23' }`; `undefined` for a first team. */
export function youthSide(spelling: string): { base: string; suffix: string } | undefined {
  const text = normalizeSpelling(spelling);
  const prefixed = YOUTH_PREFIX.exec(text);
  if (prefixed?.[1]) return { base: prefixed[1], suffix: 'ii' };
  const match = YOUTH_SUFFIX.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const raw = match[2].replace(/\s|-/g, '');
  const suffix = raw.startsWith('sub')
    ? `u${raw.slice(3)}`
    : raw === 'primavera'
      ? 'u19'
      : raw === '2'
        ? 'ii'
        : raw === 'yth.'
          ? 'youth'
          : raw.startsWith('res')
            ? 'reserves'
            : raw;
  return { base: match[1], suffix };
}

/** `bor. dortmund` abbreviates `borussia dortmund`; `atl. madrid` abbreviates `atletico madrid`. */
export function abbreviates(short: string, long: string): boolean {
  const a = short.split(' ');
  const b = long.split(' ');
  if (a.length !== b.length || short === long) return false;
  return a.every((token, i) => {
    const full = b[i] ?? '';
    if (token === full) return true;
    return token.length > 2 && token.endsWith('.') && full.startsWith(token.slice(0, -1));
  });
}

/** Union-find over string keys; the root of a set is its smallest key, so results never depend on order. */
class Sets {
  private readonly parent = new Map<string, string>();
  find(key: string): string {
    let root = key;
    for (let next = this.parent.get(root); next !== undefined && next !== root; next = this.parent.get(root)) {
      root = next;
    }
    for (let at = key; at !== root;) {
      const next = this.parent.get(at) ?? root;
      this.parent.set(at, root);
      at = next;
    }
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }
}

interface LabelInfo {
  readonly label: string;
  rows: number;
  readonly seasons: Set<number>;
  readonly leagues: Map<string, number>;
  country?: string;
}

export interface ClubBook {
  /** The club (key) each row is filed under, after re-filing misfiled blocks; `undefined` when refused. */
  readonly home: readonly (string | undefined)[];
  /** The other side of each row. */
  readonly other: readonly OtherSide[];
  /** `misfiled-club` anomalies. */
  readonly anomalies: readonly Anomaly[];
  /** Whether the club (key) has its own transfer list in that season's files. */
  covered(club: string, season: number): boolean;
  slugOf(club: string): Slug;
  /** Every club, by slug. */
  readonly entries: ReadonlyMap<Slug, ClubEntry>;
}

/**
 * Resolves every `club` and `dealing_club` spelling of the rows to one club. Pure: the same rows
 * give the same book. `rows` are the usable rows of the whole directory (duplicates removed).
 */
export function buildClubBook(
  rows: readonly TransfermarktRow[],
  curated: readonly CuratedClub[] = CURATED_CLUBS,
): ClubBook {
  const sets = new Sets();
  const curatedBySpelling = new Map<string, string>();
  for (const club of curated) {
    for (const spelling of club.spellings) curatedBySpelling.set(normalizeSpelling(spelling), `C:${club.slug}`);
  }

  // 1. the clubs with transfer lists: one key per `club` spelling, merged when they are one club
  const labels = new Map<string, LabelInfo>();
  const labelByNorm = new Map<string, string>();
  for (const row of rows) {
    let info = labels.get(row.club);
    if (!info) {
      info = { label: row.club, rows: 0, seasons: new Set(), leagues: new Map() };
      labels.set(row.club, info);
    }
    info.rows++;
    info.seasons.add(row.season);
    info.leagues.set(row.league, (info.leagues.get(row.league) ?? 0) + 1);
  }
  for (const info of labels.values()) {
    const league = [...info.leagues.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    info.country = league === undefined ? undefined : LEAGUE_COUNTRIES[slugify(league)];
    const norm = normalizeSpelling(info.label);
    const previous = labelByNorm.get(norm);
    if (!previous || (labels.get(previous)?.rows ?? 0) < info.rows) labelByNorm.set(norm, info.label);
    const curatedKey = curatedBySpelling.get(norm);
    if (curatedKey) sets.union(`L:${info.label}`, curatedKey);
  }
  const rootSeasons = (root: string): Set<number> => {
    const seasons = new Set<number>();
    for (const info of labels.values()) {
      if (sets.find(`L:${info.label}`) === root) for (const season of info.seasons) seasons.add(season);
    }
    return seasons;
  };
  const disjoint = (a: Set<number>, b: Set<number>): boolean => ![...a].some((season) => b.has(season));
  const mergeIfRenamed = (a: LabelInfo, b: LabelInfo): void => {
    const ra = sets.find(`L:${a.label}`);
    const rb = sets.find(`L:${b.label}`);
    if (ra === rb || a.country !== b.country) return;
    if (disjoint(rootSeasons(ra), rootSeasons(rb))) sets.union(ra, rb);
  };
  // same name once the "football club" tokens are dropped, never in the same season: renamed
  const byNameKey = new Map<string, LabelInfo[]>();
  for (const info of [...labels.values()].sort((a, b) => compare(a.label, b.label))) {
    const key = `${info.country ?? ''}|${nameKey(info.label)}`;
    pushTo(byNameKey, key, info);
  }
  for (const group of byNameKey.values()) {
    for (let i = 1; i < group.length; i++) {
      const first = group[0];
      const other = group[i];
      if (first && other) mergeIfRenamed(first, other);
    }
  }

  const groups = groupBy(
    rows.map((_, index) => index),
    (i) => pairKey(rows[i]),
  );
  const blockIds = new Map<string, number>();
  const blockOf = rows.map((row) => {
    const key = `${row.file}\u0000${row.club}`;
    let id = blockIds.get(key);
    if (id === undefined) blockIds.set(key, (id = blockIds.size));
    return id;
  });
  let home: (string | undefined)[] = rows.map((row) => sets.find(`L:${row.club}`));
  const byLabelRoot = (key: string | undefined): string | undefined => (key === undefined ? undefined : sets.find(key));
  let misfiled: Anomaly[] = [];
  let resolver = makeResolver(rows, home, groups, sets, labels, labelByNorm, curatedBySpelling);

  // spellings of one club across seasons, linked by the spelling others use for both
  const renameByVotes = (): boolean => {
    let merged = false;
    for (const [key, byRoot] of resolver.votes) {
      const total = [...byRoot.values()].reduce((sum, n) => sum + n, 0);
      const strong = [...byRoot.entries()]
        .filter(([, n]) => n >= CLUB_RULES.renameMinVotes && n >= CLUB_RULES.renameMinShare * total)
        .map(([root]) => root)
        .filter((root) => root.startsWith('L:'))
        .sort(compare);
      // the spelling is itself a `club` spelling of other seasons (`Go Ahead Eagles` in 2021)
      const sameName = labelByNorm.get(key.slice(0, key.lastIndexOf('|')));
      if (strong.length > 0 && sameName !== undefined) strong.push(`L:${sameName}`);
      for (let i = 0; i < strong.length; i++) {
        for (let j = i + 1; j < strong.length; j++) {
          const a = labels.get((strong[i] ?? '').slice(2));
          const b = labels.get((strong[j] ?? '').slice(2));
          if (a && b && sets.find(`L:${a.label}`) !== sets.find(`L:${b.label}`)) {
            mergeIfRenamed(a, b);
            merged ||= sets.find(`L:${a.label}`) === sets.find(`L:${b.label}`);
          }
        }
      }
    }
    return merged;
  };
  const renamed = (a: string, b: string): boolean =>
    a.startsWith('L:') &&
    b.startsWith('L:') &&
    labels.get(a.slice(2))?.country === labels.get(b.slice(2))?.country &&
    disjoint(rootSeasons(sets.find(a)), rootSeasons(sets.find(b)));

  // 2. re-file misfiled blocks, learn again with the rows where they belong; renames learned
  //    from votes only once misfiled rows vote for the club they belong to
  for (let round = 0; round < 4; round++) {
    const detected = detectMisfiled(rows, blockOf, groups, resolver, sets, renamed);
    for (const [a, b] of detected.renames) sets.union(a, b);
    const next = detected.home.map(byLabelRoot);
    const changed = detected.renames.length > 0 || next.some((key, i) => key !== home[i]);
    home = next;
    misfiled = detected.anomalies;
    resolver = makeResolver(rows, home, groups, sets, labels, labelByNorm, curatedBySpelling);
    const merged = renameByVotes();
    if (merged) {
      home = home.map(byLabelRoot);
      resolver = makeResolver(rows, home, groups, sets, labels, labelByNorm, curatedBySpelling);
    }
    if (!changed && !merged) break;
  }

  const other = rows.map((row) => resolver.resolve(row.dealingClub, row.dealingCountry));
  const covered = new Set<string>();
  rows.forEach((row, i) => {
    const key = home[i];
    if (key !== undefined) covered.add(`${key}|${row.season}`);
  });

  const { slugOf, entries } = nameClubs(rows, home, other, sets, labels, curated, resolver);
  return {
    home,
    other,
    anomalies: misfiled,
    covered: (club, season) => covered.has(`${sets.find(club)}|${season}`),
    slugOf,
    entries,
  };
}

/** Two rows that can be the two sides of one move: both loans or neither, the same fee when both know it. */
export function sameDeal(a: TransfermarktRow, b: TransfermarktRow): boolean {
  const loan = (row: TransfermarktRow) => (row.loanStatus === 'end of loan' ? 'end' : row.isLoan ? 'loan' : 'transfer');
  if (loan(a) !== loan(b)) return false;
  return a.feeEur === undefined || b.feeEur === undefined || a.feeEur === b.feeEur;
}

export function pairKey(row: TransfermarktRow): string {
  return `${row.name}\u0000${row.season}\u0000${row.window}`;
}

interface Resolver {
  /** Votes of the paired rows: dealing spelling (normalised, with country) → club root → count. */
  readonly votes: ReadonlyMap<string, ReadonlyMap<string, number>>;
  resolve(spelling: string | undefined, country: string | undefined): OtherSide;
  /** For youth sides: their first team's key. */
  readonly parents: ReadonlyMap<string, string>;
}

function makeResolver(
  rows: readonly TransfermarktRow[],
  home: readonly (string | undefined)[],
  groups: ReadonlyMap<string, readonly number[]>,
  sets: Sets,
  labels: ReadonlyMap<string, LabelInfo>,
  labelByNorm: ReadonlyMap<string, string>,
  curatedBySpelling: ReadonlyMap<string, string>,
): Resolver {
  // a player's only `in` and only `out` row of a window, under two clubs: each names the other
  const votes = new Map<string, Map<string, number>>();
  const vote = (spelling: string | undefined, country: string | undefined, club: string | undefined): void => {
    if (!spelling || club === undefined) return;
    const norm = normalizeSpelling(spelling);
    if (NOWHERE.has(norm)) return;
    const key = `${norm}|${country ?? ''}`;
    let byRoot = votes.get(key);
    if (!byRoot) votes.set(key, (byRoot = new Map<string, number>()));
    byRoot.set(club, (byRoot.get(club) ?? 0) + 1);
  };
  for (const indices of groups.values()) {
    if (indices.length !== 2) continue;
    const [a, b] = indices.map((i) => ({ row: rows[i], club: home[i] }));
    if (!a?.row || !b?.row || a.row.movement === b.row.movement || a.club === b.club) continue;
    if (!sameDeal(a.row, b.row)) continue;
    vote(a.row.dealingClub, a.row.dealingCountry, b.club);
    vote(b.row.dealingClub, b.row.dealingCountry, a.club);
  }

  const rootCountry = new Map<string, string | undefined>();
  for (const info of labels.values()) rootCountry.set(sets.find(`L:${info.label}`), info.country);
  // spellings of covered clubs, for abbreviations (`Bor. Dortmund`) and youth bases (`Leverkusen II`)
  const known: { norm: string; root: string; country?: string }[] = [];
  const dotted = new Map<string, { norm: string; root: string; country?: string }[]>();
  for (const info of labels.values()) {
    known.push({ norm: normalizeSpelling(info.label), root: sets.find(`L:${info.label}`), country: info.country });
  }

  // the same spelling with any dealing country, for a country the votes never came with
  const votesByNorm = new Map<string, Map<string, number>>();
  for (const [key, byRoot] of votes) {
    const norm = key.slice(0, key.lastIndexOf('|'));
    let merged = votesByNorm.get(norm);
    if (!merged) votesByNorm.set(norm, (merged = new Map<string, number>()));
    for (const [club, n] of byRoot) merged.set(club, (merged.get(club) ?? 0) + n);
  }
  const winner = (byRoot: ReadonlyMap<string, number> | undefined): [string, number] | undefined => {
    if (!byRoot) return undefined;
    const merged = new Map<string, number>();
    for (const [club, n] of byRoot) merged.set(sets.find(club), (merged.get(sets.find(club)) ?? 0) + n);
    const total = [...merged.values()].reduce((sum, n) => sum + n, 0);
    const [top] = [...merged.entries()].sort((x, y) => y[1] - x[1] || compare(x[0], y[0]));
    if (!top || top[1] < CLUB_RULES.aliasMinVotes || top[1] < CLUB_RULES.aliasMinShare * total) return undefined;
    return top;
  };
  const voted = (norm: string, country: string | undefined): string | undefined => {
    const top = winner(votes.get(`${norm}|${country ?? ''}`));
    if (top) {
      const home = rootCountry.get(top[0]);
      const foreign = country !== undefined && home !== undefined && country !== home;
      return foreign && top[1] < CLUB_RULES.aliasMinVotesAbroad ? undefined : top[0];
    }
    const any = winner(votesByNorm.get(norm));
    return any && (country === undefined || rootCountry.get(any[0]) === country) ? any[0] : undefined;
  };
  for (const [key] of votes) {
    const [norm = '', country = ''] = key.split('|');
    const root = voted(norm, country || undefined);
    if (root) known.push({ norm, root, country: country || rootCountry.get(root) });
  }
  for (const k of known) {
    // an abbreviation has the same number of tokens and the same first letter
    const key = `${k.norm.split(' ').length}|${k.norm[0] ?? ''}`;
    pushTo(dotted, key, k);
  }
  const sameCountry = (a: string | undefined, b: string | undefined): boolean =>
    a === undefined || b === undefined || a === b;
  const uniqueRoot = (
    candidates: readonly { root: string; country?: string }[],
    country?: string,
  ): string | undefined => {
    const roots = new Set(candidates.filter((c) => sameCountry(c.country, country)).map((c) => c.root));
    return roots.size === 1 ? [...roots][0] : undefined;
  };
  const labelsByKey = new Map<string, { root: string; country?: string }[]>();
  const labelsByFirst = new Map<string, { norm: string; root: string; country?: string }[]>();
  for (const info of labels.values()) {
    const norm = normalizeSpelling(info.label);
    const first = norm.split(' ')[0] ?? '';
    pushTo(labelsByFirst, first, { norm, root: sets.find(`L:${info.label}`), country: info.country });
  }
  for (const info of labels.values()) {
    const key = nameKey(info.label);
    pushTo(labelsByKey, key, { root: sets.find(`L:${info.label}`), country: info.country });
  }

  const parents = new Map<string, string>();
  const memo = new Map<string, OtherSide>();
  const resolveNorm = (norm: string, country: string | undefined, asBase: boolean): OtherSide => {
    const nowhere = NOWHERE.get(norm);
    if (nowhere) return { nowhere };
    const curatedKey = curatedBySpelling.get(norm);
    if (curatedKey) return { club: sets.find(curatedKey) };
    const label = labelByNorm.get(norm);
    if (label !== undefined) return { club: sets.find(`L:${label}`) };
    // `Barcelona` for `FC Barcelona`: the same name but for "football club" tokens, in the same country
    const sameKey = uniqueRoot(labelsByKey.get(nameKey(norm)) ?? [], country);
    if (sameKey) return { club: sameKey };
    // `Willem II` for `Willem II Tilburg`, `Feyenoord` for `Feyenoord Rotterdam` (and never a youth side)
    const prefixed = uniqueRoot(
      (labelsByFirst.get(norm.split(' ')[0] ?? '') ?? []).filter((l) => l.norm.startsWith(`${norm} `)),
      country,
    );
    if (prefixed) return { club: prefixed };
    const youth = youthSide(norm);
    if (youth) {
      const parent = resolveNorm(youth.base, country, true);
      if ('club' in parent) {
        const key = `Y:${parent.club}|${youth.suffix}`;
        parents.set(key, parent.club);
        return { club: key };
      }
    }
    const byVotes = voted(norm, country);
    if (byVotes) return { club: byVotes };
    const abbreviated = norm.includes('.')
      ? uniqueRoot(
          (dotted.get(`${norm.split(' ').length}|${norm[0] ?? ''}`) ?? []).filter((k) => abbreviates(norm, k.norm)),
          country,
        )
      : undefined;
    if (abbreviated) return { club: abbreviated };
    if (asBase) {
      // `leverkusen` for `Bayer 04 Leverkusen`: every token of the base inside one covered club's name
      const tokens = nameKey(norm).split(' ');
      const containing = uniqueRoot(
        known.filter(
          (k) => k.country !== undefined && k.country === country && tokens.every((t) => k.norm.split(' ').includes(t)),
        ),
      );
      if (containing) return { club: containing };
    }
    return { club: `D:${norm}|${country ?? ''}` };
  };
  return {
    votes,
    parents,
    resolve: (spelling, country) => {
      if (!spelling) return { nowhere: 'unknown' };
      const key = `${spelling}\u0000${country ?? ''}`;
      let side = memo.get(key);
      if (!side) memo.set(key, (side = resolveNorm(normalizeSpelling(spelling), country, false)));
      return side;
    },
  };
}

/**
 * A block (one club's rows in one file) is misfiled when the rows paired with its rows (the
 * same player, season and window, the other movement, in another block) name another club as
 * their dealing club clearly more often than the club it is filed under (`CLUB_RULES.misfiled*`).
 * - When that club and the filed one never appear in the same season (same country), and the
 *   file's labels are otherwise sound, it is a rename, not a misfiling: the two spellings become
 *   one club (`renames`).
 * - Otherwise the block is re-filed under that club (each row `recorded`, `misfiled-club`),
 *   unless another block of the season keeps that club or claims it with more votes (`refused`).
 * - In a file where at least half the blocks (and at least 3) are misfiled, the club labels cannot be
 *   trusted: a block that is not re-filed is kept only if its own paired rows confirm it
 *   (`misfiledMinVotes` at the club it is filed under, more than at any other); else `refused`.
 */
function detectMisfiled(
  rows: readonly TransfermarktRow[],
  blockOf: readonly number[],
  groups: ReadonlyMap<string, readonly number[]>,
  resolver: Resolver,
  sets: Sets,
  renamed: (a: string, b: string) => boolean,
): { home: (string | undefined)[]; anomalies: Anomaly[]; renames: [string, string][] } {
  const blocks = groupBy(
    rows.map((_, i) => i),
    (i) => String(blockOf[i] ?? -1),
  );
  interface Verdict {
    readonly indices: readonly number[];
    readonly file: string;
    readonly filed: string;
    readonly season: number;
    readonly top?: readonly [string, number];
    readonly own: number;
    readonly total: number;
    readonly misfiled: boolean;
  }
  const verdicts: Verdict[] = [];
  const renames: [string, string][] = [];
  for (const indices of blocks.values()) {
    const first = rows[indices[0] ?? -1];
    if (!first) continue;
    const filed = sets.find(`L:${first.club}`);
    const tally = new Map<string, number>();
    for (const i of indices) {
      const row = rows[i];
      if (!row) continue;
      for (const j of groups.get(pairKey(row)) ?? []) {
        const other = rows[j];
        if (!other || other.movement === row.movement || blockOf[j] === blockOf[i]) continue;
        const side = resolver.resolve(other.dealingClub, other.dealingCountry);
        if (!('club' in side) || side.club.startsWith('D:') || side.club.startsWith('Y:')) continue;
        tally.set(side.club, (tally.get(side.club) ?? 0) + 1);
      }
    }
    const total = [...tally.values()].reduce((sum, n) => sum + n, 0);
    const own = tally.get(filed) ?? 0;
    const [top] = [...tally.entries()]
      .filter(([club]) => club !== filed)
      .sort((a, b) => b[1] - a[1] || compare(a[0], b[0]));
    const misfiled =
      top !== undefined &&
      top[1] >= CLUB_RULES.misfiledMinVotes &&
      top[1] >= CLUB_RULES.misfiledMinShare * total &&
      top[1] >= CLUB_RULES.misfiledMinRatio * own;
    verdicts.push({ indices, file: first.file, filed, season: first.season, top, own, total, misfiled });
  }
  const byFile = groupBy(verdicts, (v) => v.file);
  const untrusted = new Set<string>();
  for (const [file, list] of byFile) {
    const count = list.filter((v) => v.misfiled).length;
    if (count >= CLUB_RULES.shiftedFileMinBlocks && count * 2 >= list.length) untrusted.add(file);
  }
  // in a file whose labels hold, a "misfiled" block under a spelling of other seasons is a rename
  for (const [i, v] of verdicts.entries()) {
    if (v.misfiled && v.top && !untrusted.has(v.file) && renamed(v.filed, v.top[0])) {
      renames.push([v.filed, v.top[0]]);
      verdicts[i] = { ...v, misfiled: false };
    }
  }
  const confirmed = (v: Verdict): boolean =>
    v.own >= CLUB_RULES.misfiledMinVotes && (v.top === undefined || v.own > v.top[1]);
  // one block per club and season: a block that stays keeps its club; else the strongest claim wins
  const holders = new Set<string>();
  for (const v of verdicts) {
    if (!v.misfiled && (!untrusted.has(v.file) || confirmed(v))) holders.add(`${v.filed}|${v.season}`);
  }
  const claims = new Map<string, Verdict>();
  for (const v of verdicts) {
    if (!v.misfiled || !v.top) continue;
    const key = `${v.top[0]}|${v.season}`;
    const best = claims.get(key);
    if (!best || v.top[1] > (best.top?.[1] ?? 0)) claims.set(key, v);
  }
  const home: (string | undefined)[] = rows.map((row) => sets.find(`L:${row.club}`));
  const anomalies: Anomaly[] = [];
  for (const v of verdicts) {
    let to: string | undefined = v.filed;
    let reason: string | undefined;
    const evidence = v.top
      ? `${v.top[1]} of ${v.total} paired rows name ${describe(v.top[0])} as this block's club, ${v.own} the club it is filed under`
      : `no paired row names another club (${v.own} name the club it is filed under)`;
    if (v.misfiled && v.top) {
      const key = `${v.top[0]}|${v.season}`;
      const accepted = claims.get(key) === v && !holders.has(key);
      to = accepted ? v.top[0] : undefined;
      reason = accepted
        ? `${evidence}: re-filed there`
        : `${evidence}, but another block of the season holds that club: refused`;
    } else if (untrusted.has(v.file) && !confirmed(v)) {
      to = undefined;
      reason = `the club labels of this file are shifted (most of its blocks are misfiled) and ${evidence}: its club cannot be established, refused`;
    }
    if (reason === undefined) continue;
    for (const i of v.indices) {
      const row = rows[i];
      if (!row) continue;
      home[i] = to;
      anomalies.push({
        file: row.file,
        line: row.line,
        kind: 'misfiled-club',
        reason: `filed under ${JSON.stringify(row.club)}; ${reason}`,
        disposition: to === undefined ? 'refused' : 'recorded',
      });
    }
  }
  return { home, anomalies, renames };
}

function describe(key: string): string {
  return JSON.stringify(key.replace(/^[A-Z]:/, ''));
}

function nameClubs(
  rows: readonly TransfermarktRow[],
  home: readonly (string | undefined)[],
  other: readonly OtherSide[],
  sets: Sets,
  labels: ReadonlyMap<string, LabelInfo>,
  curated: readonly CuratedClub[],
  resolver: Resolver,
): { slugOf: (club: string) => Slug; entries: Map<Slug, ClubEntry> } {
  interface Draft {
    readonly key: string;
    readonly spellings: Map<string, number>;
    readonly labelSpellings: Map<string, number>;
    readonly countries: Map<string, number>;
    readonly leagues: Set<string>;
    uses: number;
    country?: string;
  }
  const drafts = new Map<string, Draft>();
  const draft = (key: string): Draft => {
    const root = key.startsWith('Y:') || key.startsWith('D:') ? key : sets.find(key);
    let found = drafts.get(root);
    if (!found) {
      found = {
        key: root,
        spellings: new Map(),
        labelSpellings: new Map(),
        countries: new Map(),
        leagues: new Set(),
        uses: 0,
      };
      drafts.set(root, found);
    }
    return found;
  };
  const count = (map: Map<string, number>, value: string): void => {
    map.set(value, (map.get(value) ?? 0) + 1);
  };
  rows.forEach((row, i) => {
    const filed = home[i];
    if (filed !== undefined) {
      const d = draft(filed);
      d.uses++;
      d.leagues.add(row.league);
      // a re-filed row's `club` spelling is another club's name: not an alias
      if (filed === sets.find(`L:${row.club}`)) {
        count(d.spellings, row.club);
        count(d.labelSpellings, row.club);
      }
    }
    const side = other[i];
    if (side && 'club' in side && row.dealingClub) {
      const d = draft(side.club);
      d.uses++;
      count(d.spellings, row.dealingClub);
      if (row.dealingCountry) count(d.countries, row.dealingCountry);
    }
  });
  for (const info of labels.values()) {
    const d = draft(`L:${info.label}`);
    if (info.country) d.country = info.country;
  }
  const parentOf = (key: string): string | undefined => {
    const parent = resolver.parents.get(key);
    return parent === undefined ? undefined : draft(parent).key;
  };
  const curatedBySlug = new Map(curated.map((club) => [club.slug, club]));
  // first teams known only through their youth sides (`Tongeren Res.`) are clubs too
  for (const parent of resolver.parents.values()) draft(parent);

  const slugs = new Map<string, Slug>();
  const taken = new Set<Slug>(curated.map((club) => club.slug));
  const claim = (base: Slug, d: Draft): Slug => {
    let slug = base || withSuffix('club', String(hash(d.key)));
    if (taken.has(slug)) {
      const country = d.country ?? top(d.countries);
      const withCountry = country ? withSuffix(slug, country) : slug;
      slug = withCountry;
      for (let n = 2; taken.has(slug); n++) slug = withSuffix(withCountry, String(n));
    }
    taken.add(slug);
    return slug;
  };
  const ordered = [...drafts.values()].sort((a, b) => b.uses - a.uses || compare(a.key, b.key));
  // first teams before youth sides (their slugs build on the parent's), curated before learned
  for (const d of ordered) {
    if (d.key.startsWith('C:')) slugs.set(d.key, d.key.slice(2));
  }
  for (const d of ordered) {
    if (slugs.has(d.key) || d.key.startsWith('Y:')) continue;
    const spelling = top(d.labelSpellings) ?? top(d.spellings) ?? d.key.slice(2).split('|')[0] ?? '';
    slugs.set(d.key, claim(slugify(slugBase(spelling)), d));
  }
  const youthSlug = (d: Draft): Slug => {
    const known = slugs.get(d.key);
    if (known) return known;
    const parent = parentOf(d.key);
    const parentDraft = parent === undefined ? undefined : drafts.get(parent);
    const parentSlug = parentDraft ? (slugs.get(parentDraft.key) ?? youthSlug(parentDraft)) : 'club';
    const suffix = d.key.slice(d.key.lastIndexOf('|') + 1);
    const slug = claim(withSuffix(parentSlug, suffix), d);
    slugs.set(d.key, slug);
    return slug;
  };
  for (const d of ordered) if (d.key.startsWith('Y:')) youthSlug(d);

  // curated reserve sides without a suffix (`RM Castilla`): their parent by spelling
  const curatedParents = new Map<string, Slug>();
  for (const club of curated) {
    if (club.parentSpelling === undefined) continue;
    const side = resolver.resolve(club.parentSpelling, undefined);
    if ('club' in side) curatedParents.set(`C:${club.slug}`, slugs.get(draft(side.club).key) ?? '');
  }

  const entries = new Map<Slug, ClubEntry>();
  for (const d of ordered) {
    const slug = slugs.get(d.key);
    if (!slug) continue;
    const parentKey = parentOf(d.key);
    const parent = parentKey !== undefined ? slugs.get(parentKey) : curatedParents.get(d.key) || undefined;
    const name = top(d.spellings) ?? curatedBySlug.get(slug)?.spellings[0] ?? slug;
    entries.set(slug, {
      slug,
      name,
      aliases: [...d.spellings.keys()].sort(compare),
      country: d.country ?? top(d.countries),
      leagues: d.leagues.size > 0 ? [...d.leagues].sort(compare) : undefined,
      parent,
    });
  }
  const slugCache = new Map<string, Slug>();
  return {
    slugOf: (club) => {
      let slug = slugCache.get(club);
      if (slug === undefined) {
        const key = club.startsWith('Y:') || club.startsWith('D:') ? club : sets.find(club);
        slug = slugs.get(key) ?? slugify(key.slice(2));
        slugCache.set(club, slug);
      }
      return slug;
    },
    entries,
  };
}

/** The most frequent key (ties: the first in code-point order). */
export function top(counts: ReadonlyMap<string, number>): string | undefined {
  let best: [string, number] | undefined;
  for (const entry of counts) {
    if (!best || entry[1] > best[1] || (entry[1] === best[1] && entry[0] < best[0])) best = entry;
  }
  return best?.[0];
}

function pushTo<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Code-point order: the same on every machine, unlike `localeCompare`. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** FNV-1a, 32 bits: short stable fingerprints for fallback slugs. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
