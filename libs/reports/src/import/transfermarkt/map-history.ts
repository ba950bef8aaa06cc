import type { Slug } from '@squad/domain';
import { buildClubBook, compare } from './clubs';
import type { CuratedClub } from './curated-clubs';
import { assignIds, deriveMoves, orderStories } from './moves';
import { type ParsedFile, parseTransfermarktDirectory } from './parse';
import { buildPlayerBook } from './players';
import { mapPosition } from './positions';
import { fileParts, quote } from './row';
import { slugify } from './slug';
import type { Anomaly, HistoryFilter, TransfermarktHistory, TransfermarktRow } from './types';

export interface MapOptions {
  readonly filter?: HistoryFilter;
  /** Replaces the curated club list (tests). */
  readonly curated?: readonly CuratedClub[];
}

/**
 * Maps parsed files to the history: pure, the same files give the same history. Identity
 * (club and player slugs, move ids, pairs, story order) is built from every file given; the
 * filter only selects what is returned.
 */
export function mapHistory(files: readonly ParsedFile[], options: MapOptions = {}): TransfermarktHistory {
  const rows: TransfermarktRow[] = files.flatMap((file) => [...file.rows]);
  const anomalies: Anomaly[] = files.flatMap((file) => [...file.anomalies]);

  // the same row twice in one file: the repeat is refused
  const usable = rows.map(() => true);
  const firstSeen = new Map<string, number>();
  rows.forEach((row, i) => {
    const key = `${row.file}\u0000${row.raw}`;
    const first = firstSeen.get(key);
    if (first === undefined) {
      firstSeen.set(key, row.line);
      return;
    }
    usable[i] = false;
    anomalies.push({
      file: row.file,
      line: row.line,
      kind: 'duplicate-row',
      reason: `the same row as line ${first}: ${quote(row.raw)}`,
      disposition: 'refused',
    });
  });
  const kept = rows.filter((_, i) => usable[i]);

  for (const row of kept) {
    if (!mapPosition(row.position)) {
      anomalies.push({
        file: row.file,
        line: row.line,
        kind: 'unmapped-position',
        reason:
          row.position === undefined
            ? 'no position: the player keeps the position of his other rows, if any'
            : `position ${quote(row.position)} (${row.shortPos ?? '-'}) is not in the position table`,
        disposition: 'recorded',
      });
    }
  }

  const book = buildClubBook(kept, options.curated);
  anomalies.push(...book.anomalies);
  const players = buildPlayerBook(kept);
  const derived = deriveMoves(kept, book, players.playerOf);
  anomalies.push(...derived.anomalies);
  const story = orderStories(derived.moves, kept, book);
  anomalies.push(...story.anomalies);
  const moves = assignIds(story.moves, book, kept);

  for (const move of story.moves) {
    const unknownFee =
      move.feeEur === undefined &&
      (move.kind === 'transfer' || move.kind === 'loan-made-permanent' || (move.kind === 'loan' && move.paidLoan));
    const first = kept[move.rows[0] ?? -1];
    if (unknownFee && first) {
      anomalies.push({
        file: first.file,
        line: first.line,
        kind: 'unknown-fee',
        reason: `the fee of this ${move.kind} is not given${move.rows.length > 1 ? ' by either row' : ''}: recorded without one`,
        disposition: 'recorded',
      });
    }
  }

  const full: TransfermarktHistory = {
    files: files.map((file) => ({ file: file.file, records: file.records })),
    rowsRead: files.reduce((sum, file) => sum + file.records, 0),
    rowsSelected: files.reduce((sum, file) => sum + file.records, 0),
    clubs: [...book.entries.values()].sort((a, b) => compare(a.slug, b.slug)),
    players: [...players.entries.values()].sort((a, b) => compare(a.slug, b.slug)),
    moves,
    pairsMerged: moves.filter((move) => !move.singleSided).length,
    anomalies: anomalies.sort((a, b) => compare(a.file, b.file) || a.line - b.line || compare(a.kind, b.kind)),
  };
  return selectHistory(full, options.filter ?? {});
}

/** Reads every CSV under `dir` and maps it (see `mapHistory`). */
export async function readTransfermarktDirectory(dir: string, filter?: HistoryFilter): Promise<TransfermarktHistory> {
  const files = await parseTransfermarktDirectory(dir);
  return mapHistory(files, { filter });
}

/**
 * The part of a history inside a filter, by file: a move is kept when one of its rows comes from
 * a file of a selected league (`serie-a.csv`; `Serie A` is accepted too) and its season is
 * selected; an anomaly when its file is. Clubs and players are those the kept moves name (plus
 * the first teams of youth sides). Pure; slugs and move ids are never recomputed.
 */
export function selectHistory(history: TransfermarktHistory, filter: HistoryFilter): TransfermarktHistory {
  const leagues = filter.leagues ? new Set(filter.leagues.map((league) => slugify(league))) : undefined;
  const seasons = filter.seasons;
  const seasonOk = (season: number | undefined): boolean =>
    !seasons || season === undefined || (season >= seasons.from && season <= seasons.to);
  const verdicts = new Map<string, { league: boolean; file: boolean }>();
  const verdict = (file: string): { league: boolean; file: boolean } => {
    let known = verdicts.get(file);
    if (!known) {
      const parts = fileParts(file);
      const league = !leagues || (parts.league !== undefined && leagues.has(slugify(parts.league)));
      known = { league, file: league && seasonOk(parts.season) };
      verdicts.set(file, known);
    }
    return known;
  };
  const leagueOk = (file: string): boolean => verdict(file).league;
  const fileOk = (file: string): boolean => verdict(file).file;
  const moves = history.moves.filter((move) => seasonOk(move.season) && move.evidence.some((e) => leagueOk(e.file)));
  const clubs = new Map(history.clubs.map((club) => [club.slug, club]));
  const clubSlugs = new Set<Slug>();
  const playerSlugs = new Set<Slug>();
  for (const move of moves) {
    playerSlugs.add(move.player);
    if (move.fromClub) clubSlugs.add(move.fromClub);
    if (move.toClub) clubSlugs.add(move.toClub);
  }
  for (const slug of [...clubSlugs]) {
    for (let parent = clubs.get(slug)?.parent; parent && !clubSlugs.has(parent); parent = clubs.get(parent)?.parent) {
      clubSlugs.add(parent);
    }
  }
  const files = history.files.filter((file) => fileOk(file.file));
  return {
    files: history.files,
    rowsRead: history.rowsRead,
    rowsSelected: files.reduce((sum, file) => sum + file.records, 0),
    clubs: history.clubs.filter((club) => clubSlugs.has(club.slug)),
    players: history.players.filter((player) => playerSlugs.has(player.slug)),
    moves,
    pairsMerged: moves.filter((move) => !move.singleSided).length,
    anomalies: history.anomalies.filter((a) => fileOk(a.file)),
  };
}
