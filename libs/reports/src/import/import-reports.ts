import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '@squad/domain';
import { type Ledger, ReportRejectedError } from '../ledger/ledger';

/**
 * Turns an untrusted body into a report, or says what is wrong with it: the edge's validation
 * (`parseReport`, class-validator DTOs), passed in so the import itself stays framework-free.
 */
export type ReportParser = (
  body: unknown,
) =>
  { readonly report: Report } | { readonly problems: readonly { readonly field: string; readonly reason: string }[] };

/** One report body to import, with where it came from (a file, a line) for the summary. */
export interface ReportSource {
  readonly label: string;
  readonly body: unknown;
  /** Set when the body could not even be read (e.g. a line that is not JSON). */
  readonly unreadable?: string;
}

export interface ImportSummary {
  recorded: number;
  alreadyPresent: number;
  rejected: { label: string; reportId?: string; reasons: string[] }[];
}

/**
 * Records many reports one by one (each whole or not at all), for seeding and the CLI import.
 * A bad report is listed with its reasons and the import goes on.
 */
export async function importReports(
  ledger: Ledger,
  sources: Iterable<ReportSource> | AsyncIterable<ReportSource>,
  parse: ReportParser,
  onEach?: (summary: ImportSummary) => void,
): Promise<ImportSummary> {
  const summary: ImportSummary = { recorded: 0, alreadyPresent: 0, rejected: [] };
  for await (const { label, body, unreadable } of sources) {
    const parsed = unreadable ? { problems: [{ field: 'body', reason: unreadable }] } : parse(body);
    const reportId = reportIdOf(body);
    if ('problems' in parsed) {
      summary.rejected.push({ label, reportId, reasons: parsed.problems.map((p) => `${p.field}: ${p.reason}`) });
    } else {
      try {
        const result = await ledger.record(parsed.report);
        if (result.status === 'recorded') summary.recorded++;
        else summary.alreadyPresent++;
      } catch (error) {
        if (!(error instanceof ReportRejectedError)) throw error;
        const { field, message } = error.domainError;
        summary.rejected.push({ label, reportId, reasons: [`${field ? `${field}: ` : ''}${message}`] });
      }
    }
    onEach?.(summary);
  }
  return summary;
}

/** The seed reports: every `*.json` file of `dir`, in name order. */
export async function readSeedReports(dir: string): Promise<ReportSource[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({ label: file, body: JSON.parse(await readFile(join(dir, file), 'utf8')) as unknown })),
  );
}

/** The `reportId` an untrusted report body names, if it names one. */
export function reportIdOf(body: unknown): string | undefined {
  const reportId = (body as { reportId?: unknown } | null | undefined)?.reportId;
  return typeof reportId === 'string' ? reportId : undefined;
}
