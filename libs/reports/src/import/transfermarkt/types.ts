import type { IsoDate, Position, Slug } from '@squad/domain';

/** The 16 columns of the data set, in file order: the header every file must start with. */
export const TRANSFERMARKT_COLUMNS = [
  'club',
  'name',
  'age',
  'nationality',
  'position',
  'short_pos',
  'market_value',
  'dealing_club',
  'dealing_country',
  'fee',
  'movement',
  'window',
  'league',
  'season',
  'is_loan',
  'loan_status',
] as const;

export type Window = 'summer' | 'winter';
export type Movement = 'in' | 'out';
/** `loan` is the generic label older scrapes use; this data set says `free loan` or `loan with fee`. */
export type LoanStatus = 'loan' | 'free loan' | 'loan with fee' | 'end of loan';

/** Where a row was read: the file as given to the parser (relative to the directory) and its 1-based line. */
export interface RowRef {
  readonly file: string;
  readonly line: number;
}

/** One data row of a Transfermarkt CSV, typed. Empty cells are `undefined`, never `0` or `''`. */
export interface TransfermarktRow extends RowRef {
  /** The club whose transfer page the row comes from (the buyer of an `in`, the seller of an `out`). */
  readonly club: string;
  /** The player, as Transfermarkt spells him. */
  readonly name: string;
  /** Age at the transfer, whole years (`31.0` in the older files reads as 31). */
  readonly age?: number;
  /** Nationality per FIFA eligibility; Transfermarkt gives one, the current one, for every season. */
  readonly nationality?: string;
  /** Transfermarkt's position label: `Centre-Back`, `Second Striker`, or a generic `defence`/`midfield`/`attack`. */
  readonly position?: string;
  /** The label's abbreviation: `CB`, `SS`, or the generic label again. */
  readonly shortPos?: string;
  /** Transfermarkt's market value at the time, euros. */
  readonly marketValueEur?: number;
  /** The other side: a club name (`Juventus`, `Bor. Dortmund`) or a status (`Without Club`, `Retired`, `Career break`, `Ban`, `Unknown`, `Own Youth`). */
  readonly dealingClub?: string;
  /** Country the dealing club plays in; empty for statuses. */
  readonly dealingCountry?: string;
  /** Fee in euros: 0 is a free transfer or a free loan, `undefined` is unknown or not applicable. */
  readonly feeEur?: number;
  readonly movement: Movement;
  /** `winter` of season S is January of S+1. */
  readonly window: Window;
  /** The league column as written (`Serie A`, `1 Bundesliga`, `Laliga`). */
  readonly league: string;
  /** First year of the season: 2018 is 2018/19. */
  readonly season: number;
  readonly isLoan: boolean;
  /** Set on loans and loan returns, `undefined` otherwise. */
  readonly loanStatus?: LoanStatus;
  /** The row's text as read (without its line break), for duplicate detection and for anomaly reasons. */
  readonly raw: string;
}

export const ANOMALY_KINDS = [
  /** The file's header is not the 16 columns of this data set: the file is not read. */
  'not-this-format',
  /** A row with the wrong number of fields that no repair explains: refused. */
  'wrong-column-count',
  /** A comma inside a field that was not quoted shifted the fields; repaired (recorded) or not (refused). */
  'shifted-fields',
  /** A cell that cannot be read as its column's type (`movement` = `sideways`, `season` = `abc`...). */
  'bad-value',
  /** A row that contradicts itself or its file (a loan status on a non-loan, a season that is not the folder's). */
  'inconsistent-row',
  /** The file stops in the middle of a row (or a quote never closes): the rows before the cut are kept. */
  'truncated-file',
  /** The same row twice in one file: the repeat is refused. */
  'duplicate-row',
  /** A row filed under a club whose paired rows place it at another club (the 2021 files). */
  'misfiled-club',
  /** A row whose club and dealing club are the same club. */
  'self-move',
  /** A move from a club the player is not at, per the move derived before it. */
  'not-at-club',
  /** A transfer or paid loan whose fee is unknown: recorded with `feeEur` undefined. */
  'unknown-fee',
  /** The two rows of one move disagree (fee, loan or not): one move, the buyer's row wins. */
  'conflicting-pair',
  /** A position label our table does not map (or none at all). */
  'unmapped-position',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** Something wrong or suspicious in the input. Nothing is dropped without one. */
export interface Anomaly extends RowRef {
  readonly kind: AnomalyKind;
  /** Human-readable, names the values involved. */
  readonly reason: string;
  /** `recorded`: the row still yields a move (perhaps repaired or flagged); `refused`: it yields none. */
  readonly disposition: 'recorded' | 'refused';
}

export const MOVE_KINDS = [
  'transfer',
  'loan',
  'end-of-loan',
  'loan-made-permanent',
  'free-agent-signing',
  'released',
  'retired',
  'career-break',
  'ban',
  'unknown-destination',
  'unknown-origin',
  'comeback',
  'youth-promotion',
] as const;
/**
 * - `transfer`: permanent move between two clubs (`feeEur` 0 = free transfer).
 * - `loan`: from the owner to the borrower (`feeEur` 0 = free loan).
 * - `end-of-loan`: back from the borrower to the owner.
 * - `loan-made-permanent`: the borrower buys the player it had on loan.
 * - `free-agent-signing`: arrival from `Without Club`.
 * - `released` / `retired` / `career-break` / `ban` / `unknown-destination`: departures to nowhere.
 * - `unknown-origin`: arrival from `Unknown` or from an empty dealing club.
 * - `comeback`: arrival from `Retired`, `Career break` or `Ban`.
 * - `youth-promotion`: arrival from `Own Youth`.
 */
export type MoveKind = (typeof MOVE_KINDS)[number];

export interface HistoricalMove {
  /** Stable across runs and across league/season subsets: an idempotency key. Slug-safe, at most 80 characters. */
  readonly moveId: string;
  readonly player: Slug;
  readonly season: number;
  readonly window: Window;
  /** Approximate valid time: summer of season S is `S-07-01`, winter of season S is `(S+1)-01-02`. */
  readonly effectiveOn: IsoDate;
  readonly kind: MoveKind;
  /** Undefined for arrivals from nowhere (and from an unknown club). */
  readonly fromClub?: Slug;
  /** Undefined for departures to nowhere (and to an unknown club). */
  readonly toClub?: Slug;
  /** Euros; undefined when unknown or not applicable; 0 only for a known free transfer, free loan or free agent. */
  readonly feeEur?: number;
  /** Transfermarkt's market value at the move, euros. */
  readonly marketValueEur?: number;
  /** The rows behind the move: one, or both (buyer's `in` row first) when merged. */
  readonly evidence: readonly RowRef[];
  /** True when only one of the two clubs' files records the move. */
  readonly singleSided: boolean;
  /**
   * True when his moves before it (in the whole data set) leave him at no known club: his first
   * row, or his first after a release. A loan out then names an owner the store has never seen
   * him at, and the report registers him there first (see `reportOfMove`).
   */
  readonly fromNowhere: boolean;
}

export interface ClubEntry {
  readonly slug: Slug;
  /** The most used spelling. */
  readonly name: string;
  /** Every spelling seen for the club (as `club` or as `dealing_club`), sorted. */
  readonly aliases: readonly string[];
  /** The league's country for a covered club; else the most given `dealing_country`. */
  readonly country?: string;
  /** Leagues whose files list the club as `club` (league column as written), sorted. */
  readonly leagues?: readonly string[];
  /** For a youth or reserve side (`Juventus U23`, `Marseille B`): the first team's slug. */
  readonly parent?: Slug;
}

export interface PlayerEntry {
  readonly slug: Slug;
  /** The most used spelling of his name. */
  readonly name: string;
  readonly nationality?: string;
  /** Approximate: the most frequent `season - age` of his rows (true year within ±1). */
  readonly birthYear?: number;
  /** Ours, mapped from his latest row with a mapped label; undefined only when no row has one. */
  readonly position?: Position;
  /** The Transfermarkt label `position` was mapped from. */
  readonly transfermarktPosition?: string;
}

export interface TransfermarktHistory {
  /** Every file read, with its data records (header excluded, usable or not). */
  readonly files: readonly { readonly file: string; readonly records: number }[];
  /** Data rows read from every file of the directory (identity is built from all of them). */
  readonly rowsRead: number;
  /** Data rows of the files inside the filter (every row without one). */
  readonly rowsSelected: number;
  /** Clubs named by the selected moves (plus the first teams of youth sides), by slug. */
  readonly clubs: readonly ClubEntry[];
  /** Players of the selected moves, by slug. */
  readonly players: readonly PlayerEntry[];
  /** The selected moves in recording order: season, window, player slug, then the order his story holds. */
  readonly moves: readonly HistoricalMove[];
  /** Selected moves made of two rows (the buyer's `in` and the seller's `out`). */
  readonly pairsMerged: number;
  /** Anomalies of the files inside the filter, in file and line order. */
  readonly anomalies: readonly Anomaly[];
}

/** Which part of the history to return; identity (slugs, move ids) never depends on it. */
export interface HistoryFilter {
  /** League ids as in the file names (`serie-a`, `1-bundesliga`) or as in the league column (`Serie A`). */
  readonly leagues?: readonly string[];
  /** Inclusive range of seasons (first year). */
  readonly seasons?: { readonly from: number; readonly to: number };
}
