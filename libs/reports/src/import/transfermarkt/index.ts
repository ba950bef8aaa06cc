/**
 * # Transfermarkt transfers → historical moves
 *
 * Maps the Transfermarkt transfers data set (`data/<season>/<league>.csv`, 16 columns, seasons
 * 1992–2021, ten leagues) to clubs, players and moves with our slugs. Framework-free and pure
 * apart from reading the files: `parseTransfermarktDirectory` (or `parseTransfermarktCsv` per
 * file) → `mapHistory(files, { filter })` → `selectHistory(history, filter)`;
 * `readTransfermarktDirectory(dir, filter)` does all three.
 *
 * ## Reading
 * - A real CSV parser (csv-parse): `"Korea, South"` is one field. A row with too many fields is
 *   an unquoted comma: the fields are rejoined at the one text column where the row then types
 *   cleanly (`shifted-fields`, recorded), else refused. Too few fields: `wrong-column-count`.
 * - A file whose header is not the 16 columns is not read (`not-this-format`, line 1); a
 *   directory with no CSV, or with no CSV of this format, is an error (`TransfermarktDirectoryError`).
 * - A last line cut in the middle (no line break, and does not type), or a quote that never
 *   closes, is `truncated-file`: the rows before are kept, the anomaly says the line.
 * - Cells: empty is `undefined`, never 0. `fee`/`market_value` in euros (`36400000.0`; also
 *   `€50.00m`, `free transfer` = 0; `?`/`-` = unknown). `age` `31.0` = 31. A cell that does not
 *   read is dropped (`bad-value`, recorded); an unreadable movement, window, season or is_loan
 *   refuses the row. A loan status without `is_loan`, a season other than the folder's, a
 *   league other than the file's: `inconsistent-row`, recorded (the row's own value wins).
 * - The same row twice in one file: the repeat is refused (`duplicate-row`).
 *
 * ## Clubs
 * - Every `club` spelling with a transfer list (a "covered" club) and every `dealing_club`
 *   spelling resolve to one club. In order: a status (`Without Club`, `Retired`, `Career break`,
 *   `Ban`, `Unknown`, `Own Youth`, empty); the curated list (`curated-clubs.ts`); the exact
 *   `club` spelling; the same name without "football club" tokens (FC, AC, AS, SSC, Calcio...)
 *   in the same country (`Barcelona` = `FC Barcelona`); the start of a covered club's name in
 *   the same country (`Willem II` = `Willem II Tilburg`); a youth or reserve suffix; the
 *   learned alias table; a dotted abbreviation (`Bor. Dortmund`, `Atl. Madrid`); else a club of
 *   its own, per spelling and `dealing_country` (two `Nacional`s stay apart).
 * - Learned aliases: a player's only `in` and only `out` row of a window, under two clubs,
 *   that are the same deal (both loans or neither, equal fees when both are known), each vote
 *   "the other row's club" for the spelling they use. A spelling resolves to a club with at least
 *   2 votes and half of its votes (5 when the dealing country is not the club's league country).
 * - Renames: two `club` spellings never used in the same season, in the same country, are one
 *   club when they are the same name without "football club" tokens (`AC Milan`/`Milan AC`), or
 *   when one dealing spelling gives each at least 5 votes and 5% of its votes
 *   (`Genoa CFC`/`Genoa 1893`, `Go Ahead Eagles Deventer`/`Go Ahead Eagles`), or when one's
 *   rows look misfiled under the other (below): then it is a rename, not a misfiling.
 * - Youth and reserve sides (`U17`…`U23`, `II`, `B`, `C`, `Youth`, `Reserves`, `Res.`,
 *   `Sub-23`, `Jong …`; `Primavera` = `U19`) are clubs of their own, slug = first team's slug +
 *   suffix (`juventus-u23`), `parent` = the first team.
 * - Slugs: curated, else from the most used `club` spelling (or dealing spelling) without the
 *   "football club" tokens at either end (`Juventus FC` → `juventus`, `1. FC Köln` → `1-fc-koln`);
 *   lower case, accents folded, `[a-z0-9-]`, at most 80 characters. When two clubs would share
 *   a slug the more used keeps it, the other gets its country (`nacional-uruguay`), then a number.
 *   The seed clubs come out as juventus, marseille, ajax, atletico-madrid, borussia-dortmund,
 *   boca-juniors (curated).
 * - Misfiled blocks (the 2021 files): a block (one club's rows in one file) whose paired rows
 *   (same player, season, window, other movement, other block) name another club at least 3
 *   times, half of the votes and 3× the club it is filed under is re-filed there (`misfiled-club`,
 *   recorded); one block per club and season, the strongest claim wins, the others are refused.
 *   In a file where at least half the blocks (and at least 3) are misfiled, a block is kept only if its own paired
 *   rows confirm it (3 votes, more than any other club); else refused. A row whose club and
 *   dealing club are one club: `self-move`, refused.
 *
 * ## Players
 * - Slug from the name, accents folded (`João Cancelo` → `joao-cancelo`), built from every row of
 *   the directory so it never depends on the filter. Rows of one name are one player unless the
 *   nationalities differ or the birth years (`season - age`, approximate) are more than 1 apart.
 *   A row without age or nationality joins the largest namesake it does not contradict. The
 *   namesake with the most rows keeps the plain slug; the others get `-<birth year>`, then
 *   `-<birth year>-<nationality>` (`-<nationality>` when the age is unknown), then a number.
 * - Position: ours (GK RB CB LB DM CM AM RW LW ST) from his latest row with a known label, by the
 *   table in `positions.ts` (Sweeper → CB, Left/Right Midfield → LW/RW, Second Striker → ST,
 *   generic defence/midfield/attack → CB/CM/ST). A row without a known label: `unmapped-position`.
 *
 * ## Moves
 * - One move, two rows: the buyer's `in` row and the seller's `out` row of the same player,
 *   season, window and pair of clubs are one move citing both (buyer's first). When they disagree
 *   (fee, loan or not) the buyer's row wins (`conflicting-pair`). A move seen from one side only
 *   is kept, `singleSided`.
 * - Kinds: `transfer` (fee in euros; 0 = free transfer; unknown = `undefined` and `unknown-fee`),
 *   `loan` (free loan = 0, loan with fee = its fee), `end-of-loan` (from the borrower back to the
 *   owner, no fee), `loan-made-permanent` (a transfer from the owner to the club that has him on
 *   loan, or had him until a loan ended that same window), `free-agent-signing` (from Without
 *   Club, fee 0), `released` / `retired` / `career-break` / `ban` / `unknown-destination`
 *   (to Without Club / Retired / Career break / Ban / Unknown or empty; no fee, except a fee
 *   given for a move to an unknown club), `unknown-origin`
 *   (from Unknown or empty), `comeback` (from Retired, Career break or Ban), `youth-promotion`
 *   (from Own Youth). A loan to or from a status is read as the status (`inconsistent-row`),
 *   except `Unknown`: a loan to an unnamed club.
 * - `effectiveOn` is approximate: summer of season S → `S-07-01`; winter of season S →
 *   `(S+1)-01-02`.
 * - Order: season, window (summer, winter), player slug, then the order his story holds: first a
 *   move from the club he is at, then from the club that owns him, then from a club no other move
 *   of the window leads to; ties: end of loan, then transfers and arrivals, then loans, then
 *   departures to nowhere, then file and line. So his loan ends before he is sold, and one loan
 *   ends before the next begins.
 * - `not-at-club` (recorded): a move from a club he is not at, while the club he is at has had its
 *   own transfer list in every season since he got there (his departure would show).
 * - `moveId` = `tm-<season>-<window>-<player>-<fingerprint>`, the fingerprint 12 hex digits of
 *   the SHA-256 of the move's rows as written (both rows of a pair): the same on every run and
 *   for every filter (moves are built from the whole directory, the filter only selects), and
 *   unchanged by edits to the club table or the kinds; it changes only with the rows, the
 *   pairing, or the player's slug.
 *
 * ## Filter
 * - `leagues` (file names such as `serie-a`, or the league column `Serie A`) and `seasons`
 *   select the moves with a row from a selected file and season, the anomalies of the selected
 *   files, and the clubs and players those moves name. Identity never changes with the filter.
 */
export * from './types';
export { mapHistory, readTransfermarktDirectory, selectHistory, type MapOptions } from './map-history';
export {
  parseTransfermarktCsv,
  parseTransfermarktDirectory,
  listCsvFiles,
  TransfermarktDirectoryError,
  type ParsedFile,
} from './parse';
export { CURATED_CLUBS, type CuratedClub } from './curated-clubs';
export { CLUB_RULES } from './clubs';
export { BIRTH_YEAR_TOLERANCE } from './players';
export { TRANSFERMARKT_POSITIONS, mapPosition } from './positions';
export { effectiveOn } from './moves';
export { slugify, foldAccents } from './slug';
