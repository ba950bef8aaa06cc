import type { Slug } from '@squad/domain';
import { compare, groupBy, hash, top } from './clubs';
import { mapPosition } from './positions';
import { slugify, withSuffix } from './slug';
import type { PlayerEntry, TransfermarktRow } from './types';

/** How far apart two birth-year estimates (`season - age`) of one player may be. */
export const BIRTH_YEAR_TOLERANCE = 1;

export interface PlayerBook {
  /** The player of each row. */
  readonly playerOf: readonly Slug[];
  readonly entries: ReadonlyMap<Slug, PlayerEntry>;
}

interface Cluster {
  readonly nationality?: string;
  readonly birthYear?: number;
  readonly rows: number[];
}

/**
 * Who each row is about. Rows whose names give the same slug are one player unless their
 * nationalities differ or their birth years (`season - age`) are more than
 * `BIRTH_YEAR_TOLERANCE` apart: then they are namesakes. A row without nationality or age joins
 * the largest namesake it does not contradict. The namesake with the most rows keeps the plain
 * slug; the others get their birth year (`danilo-1991`), then birth year and nationality
 * (`danilo-1991-brazil`), as a suffix (nationality alone when the age is unknown).
 * Built from every row of the directory, so a player's slug never depends on a filter.
 */
export function buildPlayerBook(rows: readonly TransfermarktRow[]): PlayerBook {
  const playerOf: Slug[] = new Array<Slug>(rows.length).fill('');
  const entries = new Map<Slug, PlayerEntry>();
  const byBase = groupBy(
    rows.map((_, i) => i),
    (i) => baseSlug(rows[i]?.name ?? ''),
  );
  const bases = [...byBase.keys()].sort(compare);
  const taken = new Set<Slug>(bases);
  for (const base of bases) {
    const clusters = cluster(rows, byBase.get(base) ?? []);
    clusters.sort(
      (a, b) =>
        b.rows.length - a.rows.length ||
        (a.birthYear ?? 0) - (b.birthYear ?? 0) ||
        compare(a.nationality ?? '', b.nationality ?? ''),
    );
    clusters.forEach((c, index) => {
      let slug = base;
      if (index > 0) {
        const candidates = [
          c.birthYear !== undefined ? withSuffix(base, String(c.birthYear)) : undefined,
          c.birthYear !== undefined && c.nationality !== undefined
            ? withSuffix(base, `${c.birthYear}-${c.nationality}`)
            : undefined,
          c.birthYear === undefined && c.nationality !== undefined ? withSuffix(base, c.nationality) : undefined,
        ].filter((candidate): candidate is string => candidate !== undefined);
        slug = candidates.find((candidate) => !taken.has(candidate)) ?? base;
        for (let n = 2; taken.has(slug); n++) slug = withSuffix(base, String(n));
        taken.add(slug);
      }
      for (const i of c.rows) playerOf[i] = slug;
      entries.set(slug, describePlayer(slug, rows, c));
    });
  }
  return { playerOf, entries };
}

function baseSlug(name: string): Slug {
  return slugify(name) || withSuffix('player', hash(name).toString(16));
}

export function birthYearOf(row: TransfermarktRow): number | undefined {
  return row.age === undefined ? undefined : row.season - row.age;
}

function cluster(rows: readonly TransfermarktRow[], indices: readonly number[]): Cluster[] {
  const observations = groupBy(indices, (i) => {
    const row = rows[i];
    return `${row?.nationality ?? ''}|${row && birthYearOf(row) !== undefined ? birthYearOf(row) : ''}`;
  });
  const ordered = [...observations.entries()]
    .map(([, members]) => {
      const row = rows[members[0] ?? -1];
      return { nationality: row?.nationality, birthYear: row ? birthYearOf(row) : undefined, members };
    })
    .sort(
      (a, b) =>
        Number(b.nationality !== undefined && b.birthYear !== undefined) -
          Number(a.nationality !== undefined && a.birthYear !== undefined) ||
        b.members.length - a.members.length ||
        (a.birthYear ?? 0) - (b.birthYear ?? 0) ||
        compare(a.nationality ?? '', b.nationality ?? ''),
    );
  const clusters: Cluster[] = [];
  for (const obs of ordered) {
    const fits = clusters.filter(
      (c) =>
        (obs.nationality === undefined || c.nationality === undefined || c.nationality === obs.nationality) &&
        (obs.birthYear === undefined ||
          c.birthYear === undefined ||
          Math.abs(c.birthYear - obs.birthYear) <= BIRTH_YEAR_TOLERANCE),
    );
    const largest = fits.sort((a, b) => b.rows.length - a.rows.length)[0];
    if (largest) largest.rows.push(...obs.members);
    else clusters.push({ nationality: obs.nationality, birthYear: obs.birthYear, rows: [...obs.members] });
  }
  return clusters;
}

function describePlayer(slug: Slug, rows: readonly TransfermarktRow[], c: Cluster): PlayerEntry {
  const names = new Map<string, number>();
  const nationalities = new Map<string, number>();
  const years = new Map<string, number>();
  let latest: TransfermarktRow | undefined;
  for (const i of c.rows) {
    const row = rows[i];
    if (!row) continue;
    names.set(row.name, (names.get(row.name) ?? 0) + 1);
    if (row.nationality) nationalities.set(row.nationality, (nationalities.get(row.nationality) ?? 0) + 1);
    const year = birthYearOf(row);
    if (year !== undefined) years.set(String(year), (years.get(String(year)) ?? 0) + 1);
    if (mapPosition(row.position) && (!latest || later(row, latest))) latest = row;
  }
  const year = top(years);
  return {
    slug,
    name: top(names) ?? slug,
    nationality: top(nationalities),
    birthYear: year === undefined ? undefined : Number(year),
    position: mapPosition(latest?.position),
    transfermarktPosition: latest?.position,
  };
}

function later(a: TransfermarktRow, b: TransfermarktRow): boolean {
  if (a.season !== b.season) return a.season > b.season;
  if (a.window !== b.window) return a.window === 'winter';
  return compare(a.file, b.file) > 0 || (a.file === b.file && a.line > b.line);
}
