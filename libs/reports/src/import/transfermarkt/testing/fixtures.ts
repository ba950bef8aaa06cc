import { type MapOptions, mapHistory } from '../map-history';
import { type ParsedFile, parseTransfermarktCsv } from '../parse';
import { TRANSFERMARKT_COLUMNS, type TransfermarktHistory } from '../types';

type Column = (typeof TRANSFERMARKT_COLUMNS)[number];

export const HEADER = TRANSFERMARKT_COLUMNS.join(',');

/** The league column of each league file, as the data set writes it. */
const LEAGUE_NAMES: Readonly<Record<string, string>> = {
  'serie-a': 'Serie A',
  'ligue-1': 'Ligue 1',
  '1-bundesliga': '1 Bundesliga',
  laliga: 'Laliga',
  'premier-league': 'Premier League',
  eredivisie: 'Eredivisie',
  'primeira-liga': 'Primeira Liga',
};

/** A hand-written row: the columns that matter to the test, the others defaulted. */
export interface FixtureRow {
  readonly club: string;
  readonly name: string;
  readonly movement: 'in' | 'out';
  readonly dealing: string;
  readonly country?: string;
  readonly fee?: string;
  readonly loan?: 'free loan' | 'loan with fee' | 'end of loan';
  readonly window?: 'summer' | 'winter';
  /** `''` writes an empty cell. */
  readonly age?: number | '';
  /** `''` writes an empty cell. */
  readonly nationality?: string;
  readonly position?: string;
  readonly marketValue?: string;
}

function cell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line for `file` (`data/<season>/<league>.csv`): league and season come from the path. */
export function line(file: string, row: FixtureRow): string {
  const [, season = '2018', league = 'serie-a'] = /(\d{4})\/([^/]+)\.csv$/.exec(file) ?? [];
  const values: Record<Column, string> = {
    club: row.club,
    name: row.name,
    age: String(row.age ?? 25),
    nationality: row.nationality ?? 'Italy',
    position: row.position ?? 'Centre-Back',
    short_pos: '',
    market_value: row.marketValue ?? '',
    dealing_club: row.dealing,
    dealing_country: row.country ?? '',
    fee: row.fee ?? '',
    movement: row.movement,
    window: row.window ?? 'summer',
    league: LEAGUE_NAMES[league] ?? league,
    season,
    is_loan: row.loan ? 'True' : 'False',
    loan_status: row.loan ?? '',
  };
  return TRANSFERMARKT_COLUMNS.map((column) => cell(values[column])).join(',');
}

/** A whole file: the header, then the lines, each ended by a line break. */
export function csv(...lines: readonly string[]): string {
  return [HEADER, ...lines].map((text) => `${text}\n`).join('');
}

/** Parses each file (text, or rows to write) and maps them all. */
export async function parseFixtures(
  files: Readonly<Record<string, string | readonly FixtureRow[]>>,
): Promise<ParsedFile[]> {
  return Promise.all(
    Object.entries(files).map(([file, content]) =>
      parseTransfermarktCsv(
        typeof content === 'string' ? content : csv(...content.map((row) => line(file, row))),
        file,
      ),
    ),
  );
}

export async function historyOf(
  files: Readonly<Record<string, string | readonly FixtureRow[]>>,
  options?: MapOptions,
): Promise<TransfermarktHistory> {
  return mapHistory(await parseFixtures(files), options);
}
