import { createHash } from 'node:crypto';
import { type IsoDate, MAX_SLUG_LENGTH, type Slug } from '@squad/domain';
import { type ClubBook, compare, type Nowhere } from './clubs';
import { truncateSlug } from './slug';
import type { Anomaly, HistoricalMove, MoveKind, RowRef, TransfermarktRow, Window } from './types';

/** A move as first derived, clubs still as internal keys. */
export interface DraftMove {
  readonly player: Slug;
  readonly season: number;
  readonly window: Window;
  kind: MoveKind;
  readonly from?: string;
  readonly to?: string;
  readonly feeEur?: number;
  readonly marketValueEur?: number;
  /** Row indices: the buyer's `in` row first when merged. */
  readonly rows: readonly number[];
  readonly singleSided: boolean;
  /** A loan with a fee (`loan with fee`, or a bare `loan`): its fee should be known. */
  readonly paidLoan: boolean;
  /** Set by `orderStories`: the moves before it leave him at no known club (see `HistoricalMove`). */
  fromNowhere?: boolean;
}

type Group = 'transfer' | 'loan' | 'end-of-loan' | 'other';

interface Side {
  readonly index: number;
  readonly kind: MoveKind;
  readonly from?: string;
  readonly to?: string;
  readonly feeEur?: number;
  readonly paidLoan: boolean;
}

/** The approximate valid time of a window: summer of season S → `S-07-01`, winter → `(S+1)-01-02`. */
export function effectiveOn(season: number, window: Window): IsoDate {
  return window === 'summer' ? `${season}-07-01` : `${season + 1}-01-02`;
}

const DEPARTURES: Readonly<Record<Nowhere, MoveKind>> = {
  'without-club': 'released',
  retired: 'retired',
  'career-break': 'career-break',
  ban: 'ban',
  unknown: 'unknown-destination',
  'own-youth': 'unknown-destination',
};
const ARRIVALS: Readonly<Record<Nowhere, MoveKind>> = {
  'without-club': 'free-agent-signing',
  retired: 'comeback',
  'career-break': 'comeback',
  ban: 'comeback',
  unknown: 'unknown-origin',
  'own-youth': 'youth-promotion',
};

/**
 * One side of a move from one row: who moves where, of what kind, for what fee. A row whose club
 * and dealing club are the same club is refused (`self-move`).
 */
function sideOf(
  row: TransfermarktRow,
  index: number,
  home: string,
  book: ClubBook,
  anomalies: Anomaly[],
): Side | undefined {
  const other = book.other[index];
  if (!other) return undefined;
  const loanKind: MoveKind | undefined =
    row.loanStatus === 'end of loan' ? 'end-of-loan' : row.isLoan ? 'loan' : undefined;
  const paidLoan = loanKind === 'loan' && row.loanStatus !== 'free loan';
  const loanFee = row.loanStatus === 'free loan' ? 0 : row.feeEur;
  if ('club' in other) {
    if (other.club === home) {
      anomalies.push({
        file: row.file,
        line: row.line,
        kind: 'self-move',
        reason: `${JSON.stringify(row.club)} and dealing club ${JSON.stringify(row.dealingClub)} are the same club (${book.slugOf(home)})`,
        disposition: 'refused',
      });
      return undefined;
    }
    const [from, to] = row.movement === 'in' ? [other.club, home] : [home, other.club];
    const kind = loanKind ?? 'transfer';
    const feeEur = kind === 'end-of-loan' ? undefined : kind === 'loan' ? loanFee : row.feeEur;
    return { index, kind, from, to, feeEur, paidLoan };
  }
  const status = other.nowhere;
  const unknownClub = status === 'unknown';
  if (loanKind && !unknownClub) {
    anomalies.push({
      file: row.file,
      line: row.line,
      kind: 'inconsistent-row',
      reason: `a ${row.loanStatus ?? 'loan'} ${row.movement === 'in' ? 'from' : 'to'} ${JSON.stringify(row.dealingClub ?? '')}: read as ${row.movement === 'in' ? ARRIVALS[status] : DEPARTURES[status]}`,
      disposition: 'recorded',
    });
  }
  if (loanKind && unknownClub) {
    // a loan to (or back from) a club Transfermarkt does not name
    const [from, to] = row.movement === 'in' ? [undefined, home] : [home, undefined];
    return { index, kind: loanKind, from, to, feeEur: loanKind === 'loan' ? loanFee : undefined, paidLoan };
  }
  if (row.movement === 'in') {
    const kind = ARRIVALS[status];
    const feeEur = kind === 'free-agent-signing' ? 0 : kind === 'unknown-origin' ? row.feeEur : undefined;
    return { index, kind, to: home, feeEur, paidLoan: false };
  }
  const kind = DEPARTURES[status];
  return { index, kind, from: home, feeEur: kind === 'unknown-destination' ? row.feeEur : undefined, paidLoan: false };
}

function groupOf(kind: MoveKind): Group {
  if (kind === 'transfer' || kind === 'loan-made-permanent') return 'transfer';
  if (kind === 'loan' || kind === 'end-of-loan') return kind;
  return 'other';
}

/**
 * Every usable row becomes a side; the buyer's `in` row and the seller's `out` row of the same
 * player, season, window and pair of clubs become one move citing both (the first unpaired
 * `out` row in file order, of the same kind if there is one). When the two disagree (a loan
 * against a transfer, two fees) the move is the buyer's and a `conflicting-pair` is recorded.
 */
export function deriveMoves(
  rows: readonly TransfermarktRow[],
  book: ClubBook,
  playerOf: readonly Slug[],
): { moves: DraftMove[]; anomalies: Anomaly[] } {
  const anomalies: Anomaly[] = [];
  const sides: Side[] = [];
  rows.forEach((row, index) => {
    const home = book.home[index];
    if (home === undefined) return;
    const side = sideOf(row, index, home, book, anomalies);
    if (side) sides.push(side);
  });

  const keyOf = (side: Side): string | undefined => {
    const row = rows[side.index];
    if (!row || side.from === undefined || side.to === undefined) return undefined;
    return `${playerOf[side.index] ?? ''}|${row.season}|${row.window}|${side.from}|${side.to}`;
  };
  const outs = new Map<string, Side[]>();
  for (const side of sides) {
    const key = keyOf(side);
    if (key === undefined || rows[side.index]?.movement !== 'out') continue;
    const list = outs.get(key);
    if (list) list.push(side);
    else outs.set(key, [side]);
  }
  const paired = new Set<number>();
  const moves: DraftMove[] = [];
  const draft = (side: Side, rowsOf: number[], singleSided: boolean, extra?: Partial<DraftMove>): DraftMove => {
    const row = rows[side.index];
    return {
      player: playerOf[side.index] ?? '',
      season: row?.season ?? 0,
      window: row?.window ?? 'summer',
      kind: side.kind,
      from: side.from,
      to: side.to,
      feeEur: side.feeEur,
      marketValueEur: row?.marketValueEur,
      rows: rowsOf,
      singleSided,
      paidLoan: side.paidLoan,
      ...extra,
    };
  };
  for (const side of sides) {
    const row = rows[side.index];
    if (!row || row.movement !== 'in') continue;
    const key = keyOf(side);
    const candidates = key === undefined ? [] : (outs.get(key) ?? []).filter((c) => !paired.has(c.index));
    const seller =
      candidates.find((c) => groupOf(c.kind) === groupOf(side.kind)) ??
      candidates.find((c) => groupOf(c.kind) !== 'other');
    if (!seller) continue;
    paired.add(seller.index);
    paired.add(side.index);
    const sellerRow = rows[seller.index];
    const conflicts: string[] = [];
    if (groupOf(seller.kind) !== groupOf(side.kind))
      conflicts.push(`the buyer records a ${side.kind}, the seller a ${seller.kind}`);
    if (side.feeEur !== undefined && seller.feeEur !== undefined && side.feeEur !== seller.feeEur) {
      conflicts.push(`the buyer's fee is ${side.feeEur}, the seller's ${seller.feeEur}`);
    }
    if (conflicts.length > 0) {
      anomalies.push({
        file: row.file,
        line: row.line,
        kind: 'conflicting-pair',
        reason: `with ${sellerRow?.file ?? '?'}:${sellerRow?.line ?? '?'}, ${conflicts.join('; ')}: the buyer's row wins`,
        disposition: 'recorded',
      });
    }
    moves.push(
      draft(side, [side.index, seller.index], false, {
        feeEur: side.feeEur ?? seller.feeEur,
        marketValueEur: row.marketValueEur ?? sellerRow?.marketValueEur,
        paidLoan: side.paidLoan || (groupOf(side.kind) === groupOf(seller.kind) && seller.paidLoan),
      }),
    );
  }
  for (const side of sides) {
    if (!paired.has(side.index)) moves.push(draft(side, [side.index], true));
  }
  return { moves, anomalies };
}

const RANK: Readonly<Record<MoveKind, number>> = {
  'end-of-loan': 0,
  'loan-made-permanent': 1,
  transfer: 1,
  'free-agent-signing': 1,
  comeback: 1,
  'unknown-origin': 1,
  'youth-promotion': 1,
  loan: 2,
  released: 3,
  retired: 3,
  'career-break': 3,
  ban: 3,
  'unknown-destination': 3,
};

interface Story {
  /** Where he plays. */
  at?: string;
  /** Who holds his registration (differs from `at` while he is away on loan). */
  owner?: string;
  /** The loan he is on, or the one that ended in `endedIn`. */
  loan?: { readonly owner?: string; readonly borrower?: string };
  endedIn?: string;
  /** The move that put him where he is, for anomaly reasons. */
  last?: DraftMove;
}

/**
 * Puts each player's moves in the order his story holds, season by season and window by window
 * (summer, then winter). Within a window: first a move from the club he is at, then from the
 * club that owns him, then a move from a club no other move of the window leads to; ties by kind
 * (a loan ends before he is sold or loaned again) and then by file and line. Walking the story:
 * a transfer from the owner to the club that has him on loan (or had him until a loan ended that
 * window) becomes `loan-made-permanent`; a move from a club he is not at, while the club he is
 * at has had its own transfer list in every season since he got there (so his departure would
 * show), is flagged `not-at-club`.
 */
export function orderStories(
  moves: readonly DraftMove[],
  rows: readonly TransfermarktRow[],
  book: ClubBook,
): { moves: DraftMove[]; anomalies: Anomaly[] } {
  const anomalies: Anomaly[] = [];
  const position = (m: DraftMove): RowRef => rows[m.rows[0] ?? -1] ?? { file: '', line: 0 };
  const byRow = (a: DraftMove, b: DraftMove): number => {
    const ra = position(a);
    const rb = position(b);
    return compare(ra.file, rb.file) || ra.line - rb.line;
  };
  const byPlayer = new Map<Slug, DraftMove[]>();
  for (const move of moves) {
    const list = byPlayer.get(move.player);
    if (list) list.push(move);
    else byPlayer.set(move.player, [move]);
  }
  const ordered: DraftMove[] = [];
  for (const player of [...byPlayer.keys()].sort(compare)) {
    const windows = new Map<string, DraftMove[]>();
    for (const move of byPlayer.get(player) ?? []) {
      const key = windowKey(move.season, move.window);
      const list = windows.get(key);
      if (list) list.push(move);
      else windows.set(key, [move]);
    }
    const story: Story = {};
    for (const key of [...windows.keys()].sort(compare)) {
      const remaining = [...(windows.get(key) ?? [])].sort(byRow);
      while (remaining.length > 0) {
        const pick = (candidates: DraftMove[]): DraftMove | undefined =>
          [...candidates].sort((a, b) => RANK[a.kind] - RANK[b.kind] || byRow(a, b))[0];
        const leadsTo = new Set(remaining.map((m) => m.to).filter((to) => to !== undefined));
        const next =
          pick(remaining.filter((m) => m.from !== undefined && m.from === story.at)) ??
          pick(remaining.filter((m) => m.from !== undefined && m.from === story.owner)) ??
          pick(remaining.filter((m) => m.from === undefined || !leadsTo.has(m.from))) ??
          pick(remaining);
        if (!next) break;
        remaining.splice(remaining.indexOf(next), 1);
        walk(story, next, key, book, position(next), anomalies);
        ordered.push(next);
      }
    }
  }
  ordered.sort((a, b) => compare(windowKey(a.season, a.window), windowKey(b.season, b.window)));
  return { moves: ordered, anomalies };
}

/** The club has its own transfer list in every season from `from` to `to`: any departure would show. */
function coveredThroughout(book: ClubBook, club: string, from: number, to: number): boolean {
  for (let season = from; season <= to; season++) if (!book.covered(club, season)) return false;
  return true;
}

function windowKey(season: number, window: Window): string {
  return `${season}-${window === 'summer' ? 0 : 1}`;
}

function walk(story: Story, move: DraftMove, key: string, book: ClubBook, at: RowRef, anomalies: Anomaly[]): void {
  move.fromNowhere = story.at === undefined && story.owner === undefined;
  if (
    move.from !== undefined &&
    story.at !== undefined &&
    move.from !== story.at &&
    move.from !== story.owner &&
    coveredThroughout(book, story.at, story.last?.season ?? move.season, move.season)
  ) {
    const last = story.last;
    anomalies.push({
      file: at.file,
      line: at.line,
      kind: 'not-at-club',
      reason:
        `a ${move.kind} from ${book.slugOf(move.from)}, but the move before it` +
        (last ? ` (${last.kind}, ${last.season} ${last.window})` : '') +
        ` left him at ${book.slugOf(story.at)}, whose own transfer lists since then show no departure`,
      disposition: 'recorded',
    });
  }
  const loan = story.loan;
  if (
    move.kind === 'transfer' &&
    loan !== undefined &&
    (story.endedIn === undefined || story.endedIn === key) &&
    loan.owner === move.from &&
    loan.borrower === move.to
  ) {
    move.kind = 'loan-made-permanent';
  }
  switch (move.kind) {
    case 'loan': {
      const keepsOwner = story.owner !== undefined && story.at === move.from && story.owner !== move.from;
      const owner = keepsOwner ? story.owner : (move.from ?? story.owner);
      story.at = move.to;
      story.owner = owner;
      story.loan = { owner, borrower: move.to };
      story.endedIn = undefined;
      break;
    }
    case 'end-of-loan':
      story.at = move.to;
      story.owner = move.to;
      story.loan = loan ?? { owner: move.to, borrower: move.from };
      story.endedIn = key;
      break;
    case 'transfer':
    case 'loan-made-permanent':
    case 'free-agent-signing':
    case 'comeback':
    case 'unknown-origin':
    case 'youth-promotion':
      story.at = move.to;
      story.owner = move.to;
      story.loan = undefined;
      story.endedIn = undefined;
      break;
    case 'released':
    case 'retired':
    case 'career-break':
    case 'ban':
    case 'unknown-destination':
      story.at = undefined;
      story.owner = undefined;
      story.loan = undefined;
      story.endedIn = undefined;
      break;
    default: {
      const unreachable: never = move.kind;
      throw new Error(`unknown move kind ${String(unreachable)}`);
    }
  }
  story.last = move;
}

/**
 * `tm-<season>-<window>-<player>-<fingerprint>`: the fingerprint is 12 hex digits of the SHA-256
 * of the move's rows as written in the files (both rows of a pair), so it depends on the data
 * alone, not on the club table, the kinds or the order: the same on every run and whatever part
 * of the history is selected. At most 80 characters.
 */
export function assignIds(
  moves: readonly DraftMove[],
  book: ClubBook,
  rows: readonly TransfermarktRow[],
): HistoricalMove[] {
  return moves.map((move) => {
    const from = move.from === undefined ? undefined : book.slugOf(move.from);
    const to = move.to === undefined ? undefined : book.slugOf(move.to);
    const texts = move.rows.map((i) => rows[i]?.raw ?? '').sort(compare);
    const fingerprint = createHash('sha256').update(texts.join('\n')).digest('hex').slice(0, 12);
    const prefix = `tm-${move.season}-${move.window}-`;
    const player = truncateSlug(move.player, MAX_SLUG_LENGTH - prefix.length - fingerprint.length - 1);
    return {
      moveId: `${prefix}${player}-${fingerprint}`,
      player: move.player,
      season: move.season,
      window: move.window,
      effectiveOn: effectiveOn(move.season, move.window),
      kind: move.kind,
      fromClub: from,
      toClub: to,
      feeEur: move.feeEur,
      marketValueEur: move.marketValueEur,
      evidence: move.rows.map((i) => {
        const row = rows[i];
        return { file: row?.file ?? '', line: row?.line ?? 0 };
      }),
      singleSided: move.singleSided,
      fromNowhere: move.fromNowhere ?? false,
    };
  });
}
