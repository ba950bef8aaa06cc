import { slugify } from './slug';
import {
  type Anomaly,
  type LoanStatus,
  type Movement,
  type RowRef,
  TRANSFERMARKT_COLUMNS,
  type TransfermarktRow,
  type Window,
} from './types';

const COLUMN_COUNT = TRANSFERMARKT_COLUMNS.length;
type Column = (typeof TRANSFERMARKT_COLUMNS)[number];
const INDEX = Object.fromEntries(TRANSFERMARKT_COLUMNS.map((name, index) => [name, index])) as Record<Column, number>;

/** Columns of free text, where a stray comma can hide (the others are typed and would not validate). */
const TEXT_COLUMNS: readonly Column[] = ['club', 'name', 'nationality', 'position', 'dealing_club', 'dealing_country'];

const MOVEMENTS: readonly Movement[] = ['in', 'out'];
const WINDOWS: readonly Window[] = ['summer', 'winter'];
const LOAN_STATUSES: readonly LoanStatus[] = ['loan', 'free loan', 'loan with fee', 'end of loan'];
/** Fee cells that mean "no amount known" (or not applicable). */
const NO_AMOUNT = new Set(['', '?', '-', 'unknown', 'loan', 'loan transfer', 'end of loan', 'draft']);
const FREE = new Set(['free', 'free transfer', 'ablösefrei']);
const NUMBER = /^\d+(?:\.\d+)?$/;
/** `€50.00m`, `€500k`, `€500Th.`, `€1.2bn`: the site's own display format. */
const DISPLAY_AMOUNT = /^€\s?(\d+(?:\.\d+)?)\s?(bn|m|k|th\.)?$/i;
const DISPLAY_FACTOR: Readonly<Record<string, number>> = { bn: 1e9, m: 1e6, k: 1e3, 'th.': 1e3 };

export type Amount = { ok: true; value: number | undefined } | { ok: false };

/**
 * A fee or market value cell in euros. `36400000.0` → 36400000, `4099999.9999999995` →
 * 4100000 (whole euros), `free transfer` → 0, empty / `?` / `-` → undefined.
 */
export function parseAmount(cell: string): Amount {
  const text = cell.trim().toLowerCase();
  if (NO_AMOUNT.has(text)) return { ok: true, value: undefined };
  if (FREE.has(text)) return { ok: true, value: 0 };
  if (NUMBER.test(text)) return { ok: true, value: Math.round(Number(text)) };
  const display = DISPLAY_AMOUNT.exec(text);
  if (display) {
    const factor = display[2] ? (DISPLAY_FACTOR[display[2].toLowerCase()] ?? 1) : 1;
    return { ok: true, value: Math.round(Number(display[1]) * factor) };
  }
  return { ok: false };
}

export interface RowContext extends RowRef {
  /** The record's text, without its line break. */
  readonly raw: string;
}

export interface RowResult {
  readonly row?: TransfermarktRow;
  readonly anomalies: readonly Anomaly[];
}

const leagueChecks = new Map<string, boolean>();
/** `Serie A` is the league of `serie-a.csv`; memoised, the pair repeats on every row of a file. */
function sameLeague(column: string, fileLeague: string): boolean {
  const key = `${column}\u0000${fileLeague}`;
  let same = leagueChecks.get(key);
  if (same === undefined) {
    same = slugify(column) === slugify(fileLeague);
    leagueChecks.set(key, same);
  }
  return same;
}

/** Season folder and league file of a path such as `data/2018/serie-a.csv`, when it has them. */
export function fileParts(file: string): { season?: number; league?: string } {
  const parts = file.split(/[\\/]/);
  const base = parts[parts.length - 1] ?? '';
  const folder = parts[parts.length - 2];
  return {
    league: base.toLowerCase().endsWith('.csv') ? base.slice(0, -4) : undefined,
    season: folder !== undefined && /^\d{4}$/.test(folder) ? Number(folder) : undefined,
  };
}

/** Types the 16 cells of a record, or says why the record cannot be used. */
export function toRow(fields: readonly string[], context: RowContext): RowResult {
  if (fields.length === COLUMN_COUNT) return typed(fields, context);
  if (fields.length > COLUMN_COUNT) return repairShift(fields, context);
  return {
    anomalies: [
      refused(
        context,
        'wrong-column-count',
        `${fields.length} fields, expected ${COLUMN_COUNT}: ${quote(context.raw)}`,
      ),
    ],
  };
}

/**
 * Too many fields: a comma inside a text cell that was not quoted. Rejoins the fields at each
 * text column in turn; keeps the one repair that types cleanly (preferring a comma followed by
 * a space, `Korea, South`), refuses the row when none or several do.
 */
function repairShift(fields: readonly string[], context: RowContext): RowResult {
  const extra = fields.length - COLUMN_COUNT;
  const candidates: { column: Column; joined: string; result: RowResult }[] = [];
  for (const column of TEXT_COLUMNS) {
    const at = INDEX[column];
    const joined = fields.slice(at, at + extra + 1).join(',');
    const repaired = [...fields.slice(0, at), joined, ...fields.slice(at + extra + 1)];
    const result = typed(repaired, context);
    if (result.row && result.anomalies.length === 0) candidates.push({ column, joined, result });
  }
  const spaced = candidates.filter((c) => /, /.test(c.joined));
  const chosen = spaced.length === 1 ? spaced[0] : candidates.length === 1 ? candidates[0] : undefined;
  if (!chosen) {
    const options = candidates.map((c) => `${c.column} = ${quote(c.joined)}`).join(' or ');
    return {
      anomalies: [
        refused(
          context,
          'shifted-fields',
          `${fields.length} fields, expected ${COLUMN_COUNT}: an unquoted comma shifted the fields and ` +
            (candidates.length === 0 ? 'no rejoining types cleanly' : `the repair is ambiguous (${options})`),
        ),
      ],
    };
  }
  return {
    row: chosen.result.row,
    anomalies: [
      {
        ...ref(context),
        kind: 'shifted-fields',
        reason: `${fields.length} fields, expected ${COLUMN_COUNT}: an unquoted comma in ${chosen.column} shifted the fields; rejoined as ${quote(chosen.joined)}`,
        disposition: 'recorded',
      },
    ],
  };
}

function typed(fields: readonly string[], context: RowContext): RowResult {
  const cell = (column: Column): string => (fields[INDEX[column]] ?? '').trim();
  const optional = (column: Column): string | undefined => cell(column) || undefined;
  const anomalies: Anomaly[] = [];
  const problems: string[] = [];

  const club = cell('club');
  const name = cell('name');
  if (!club) problems.push('club is empty');
  if (!name) problems.push('name is empty');
  const movement = MOVEMENTS.find((value) => value === cell('movement').toLowerCase());
  if (!movement) problems.push(`movement ${quote(cell('movement'))} is not in/out`);
  const window = WINDOWS.find((value) => value === cell('window').toLowerCase());
  if (!window) problems.push(`window ${quote(cell('window'))} is not summer/winter`);
  const league = cell('league');
  if (!league) problems.push('league is empty');
  const seasonText = cell('season');
  const season = /^\d{4}$/.test(seasonText) ? Number(seasonText) : undefined;
  if (season === undefined) problems.push(`season ${quote(seasonText)} is not a year`);
  const isLoanText = cell('is_loan').toLowerCase();
  const isLoan = isLoanText === 'true' ? true : isLoanText === 'false' ? false : undefined;
  if (isLoan === undefined) problems.push(`is_loan ${quote(cell('is_loan'))} is not True/False`);
  if (problems.length > 0 || !movement || !window || season === undefined || isLoan === undefined) {
    return { anomalies: [refused(context, 'bad-value', `${problems.join('; ')}: ${quote(context.raw)}`)] };
  }

  const dropped = (column: Column, why: string) =>
    anomalies.push({
      ...ref(context),
      kind: 'bad-value',
      reason: `${column} ${why}; read as empty`,
      disposition: 'recorded',
    });

  const ageText = cell('age');
  let age: number | undefined;
  if (/^\d+(?:\.0+)?$/.test(ageText)) age = Number(ageText);
  else if (ageText) dropped('age', `${quote(ageText)} is not a whole number`);

  const fee = parseAmount(cell('fee'));
  if (!fee.ok) dropped('fee', `${quote(cell('fee'))} is not an amount`);
  const marketValue = parseAmount(cell('market_value'));
  if (!marketValue.ok) dropped('market_value', `${quote(cell('market_value'))} is not an amount`);

  const statusText = cell('loan_status').toLowerCase();
  let loanStatus = LOAN_STATUSES.find((status) => status === statusText);
  if (statusText && !loanStatus) dropped('loan_status', `${quote(cell('loan_status'))} is not a known loan status`);
  if (isLoan && !loanStatus) {
    loanStatus = 'loan';
    anomalies.push(inconsistent(context, 'is_loan is True without a loan status: read as a loan of unknown fee'));
  }
  if (!isLoan && loanStatus) {
    anomalies.push(inconsistent(context, `is_loan is False but loan_status is ${quote(loanStatus)}: the status wins`));
  }

  const parts = fileParts(context.file);
  if (parts.season !== undefined && parts.season !== season) {
    anomalies.push(
      inconsistent(context, `season ${season} in a file of folder ${parts.season}: the row's season wins`),
    );
  }
  if (parts.league !== undefined && !sameLeague(league, parts.league)) {
    anomalies.push(inconsistent(context, `league ${quote(league)} in file ${parts.league}.csv: the row's league wins`));
  }

  const row: TransfermarktRow = {
    file: context.file,
    line: context.line,
    club,
    name,
    age,
    nationality: optional('nationality'),
    position: optional('position'),
    shortPos: optional('short_pos'),
    marketValueEur: marketValue.ok ? marketValue.value : undefined,
    dealingClub: optional('dealing_club'),
    dealingCountry: optional('dealing_country'),
    feeEur: fee.ok ? fee.value : undefined,
    movement,
    window,
    league,
    season,
    isLoan: isLoan || loanStatus !== undefined,
    loanStatus,
    raw: context.raw,
  };
  return { row, anomalies };
}

function ref(context: RowContext): RowRef {
  return { file: context.file, line: context.line };
}

function refused(context: RowContext, kind: Anomaly['kind'], reason: string): Anomaly {
  return { ...ref(context), kind, reason, disposition: 'refused' };
}

function inconsistent(context: RowContext, reason: string): Anomaly {
  return { ...ref(context), kind: 'inconsistent-row', reason, disposition: 'recorded' };
}

/** `"text"`, shortened to keep reasons readable. */
export function quote(text: string): string {
  const short = text.length > 160 ? `${text.slice(0, 157)}...` : text;
  return JSON.stringify(short);
}
