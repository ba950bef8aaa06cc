import {
  ANOMALY_KINDS,
  type Anomaly,
  type AnomalyKind,
  type HistoryFilter,
  readTransfermarktDirectory,
} from './transfermarkt';
import type { Report } from '@squad/domain';
import type { Ledger } from '../ledger/ledger';
import { isClubProfile, transfermarktReports } from './transfermarkt-reports';

/** What an import did, for the command line's summary and `--anomalies FILE.json`. */
export interface TransfermarktImportSummary {
  readonly rowsRead: number;
  /** Rows of the files inside `--leagues` / `--seasons`. */
  readonly rowsSelected: number;
  readonly moves: number;
  /** Clubs introduced by a profile report of their own (names and spellings). */
  readonly clubs: number;
  /** Club profiles newly recorded (the rest were present). */
  clubProfilesRecorded: number;
  /** Moves newly recorded. */
  recorded: number;
  alreadyPresent: number;
  /** Moves made of two rows (the buyer's `in` and the seller's `out`), recorded once. */
  readonly pairsMerged: number;
  /** Moves the domain refused (none is expected: a historical record is flagged, not refused). */
  readonly refused: { reportId: string; evidence: string[]; code: string; reason: string }[];
  readonly anomalies: readonly Anomaly[];
  readonly anomaliesByKind: Readonly<Partial<Record<AnomalyKind, number>>>;
  seconds: number;
}

/**
 * The store failed partway (unreachable, full disk): what was recorded until then, in `summary`.
 * Every batch is whole or absent, so running the import again records the rest.
 */
export class TransfermarktImportStoppedError extends Error {
  constructor(
    readonly summary: TransfermarktImportSummary,
    cause: unknown,
  ) {
    super(
      `the import stopped after ${summary.recorded + summary.alreadyPresent} of ${summary.moves} moves: ${String((cause as Error)?.message ?? cause)}`,
      { cause },
    );
    this.name = 'TransfermarktImportStoppedError';
  }
}

export interface TransfermarktImportOptions {
  readonly filter?: HistoryFilter;
  /** Reports per append: one durable write each (default 500). */
  readonly batchSize?: number;
  /**
   * At most this many bytes of report JSON per append (default 512 KiB): well inside
   * EventStoreDB's 1 MiB limit on one append, whatever the reports' size.
   */
  readonly batchBytes?: number;
  /** Called after each batch. */
  readonly onProgress?: (done: number, summary: TransfermarktImportSummary) => void;
}

/**
 * Imports the Transfermarkt data set from `dir` through the ledger, the write path of
 * `POST /v1/reports`, a batch of reports per append (`Ledger.recordBatch`). A batch is recorded
 * whole or not at all, and every report is made from the data alone, so a run killed at any
 * point and run again records the rest and nothing twice.
 */
export async function importTransfermarkt(
  ledger: Ledger,
  dir: string,
  options: TransfermarktImportOptions = {},
): Promise<TransfermarktImportSummary> {
  const started = performance.now();
  const history = await readTransfermarktDirectory(dir, options.filter);
  const anomaliesByKind: Partial<Record<AnomalyKind, number>> = {};
  for (const kind of ANOMALY_KINDS) {
    const count = history.anomalies.filter((anomaly) => anomaly.kind === kind).length;
    if (count > 0) anomaliesByKind[kind] = count;
  }
  const summary: TransfermarktImportSummary = {
    rowsRead: history.rowsRead,
    rowsSelected: history.rowsSelected,
    moves: history.moves.length,
    clubs: history.clubs.length,
    clubProfilesRecorded: 0,
    recorded: 0,
    alreadyPresent: 0,
    pairsMerged: history.pairsMerged,
    refused: [],
    anomalies: history.anomalies,
    anomaliesByKind,
    seconds: 0,
  };
  const batchSize = options.batchSize ?? 500;
  const batchBytes = options.batchBytes ?? 512 * 1024;
  let batch: Report[] = [];
  let bytes = 0;
  let done = 0;
  const evidenceOf = new Map<string, readonly string[]>();
  const flush = async () => {
    let outcomes: Awaited<ReturnType<Ledger['recordBatch']>>;
    try {
      outcomes = await ledger.recordBatch(batch);
    } catch (error) {
      summary.seconds = (performance.now() - started) / 1000;
      throw new TransfermarktImportStoppedError(summary, error);
    }
    for (const outcome of outcomes) {
      if (isClubProfile(outcome.reportId)) {
        if (outcome.status === 'recorded') summary.clubProfilesRecorded++;
        else if (outcome.status === 'already-recorded') continue;
      } else if (outcome.status === 'recorded') summary.recorded++;
      else if (outcome.status === 'already-recorded') summary.alreadyPresent++;
      if (outcome.status !== 'rejected') continue;
      summary.refused.push({
        reportId: outcome.reportId,
        evidence: [...(evidenceOf.get(outcome.reportId) ?? [])],
        code: outcome.error.code,
        reason: outcome.error.message,
      });
    }
    done += batch.filter((report) => !isClubProfile(report.reportId)).length;
    batch = [];
    bytes = 0;
    options.onProgress?.(done, summary);
  };
  for (const report of transfermarktReports(history)) {
    const size = JSON.stringify(report).length;
    if (batch.length > 0 && bytes + size > batchBytes) await flush();
    batch.push(report);
    bytes += size;
    if (report.evidence) evidenceOf.set(report.reportId, report.evidence);
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
