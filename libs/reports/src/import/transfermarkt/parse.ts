import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';
import { quote, toRow } from './row';
import { type Anomaly, TRANSFERMARKT_COLUMNS, type TransfermarktRow } from './types';

/** One file, read: its usable rows and what was wrong with it. */
export interface ParsedFile {
  /** The file's name as given (relative to the directory read, `/`-separated). */
  readonly file: string;
  /** Data records seen (header excluded), usable or not. */
  readonly records: number;
  readonly rows: readonly TransfermarktRow[];
  readonly anomalies: readonly Anomaly[];
}

/** Raised when a directory cannot be read, holds no CSV file, or no CSV file of this format. */
export class TransfermarktDirectoryError extends Error {
  readonly code = 'TRANSFERMARKT_DIRECTORY';
  constructor(message: string) {
    super(message);
    this.name = 'TransfermarktDirectoryError';
  }
}

const HEADER = TRANSFERMARKT_COLUMNS.join(',');

interface PendingRecord {
  readonly fields: readonly string[];
  readonly raw: string;
  readonly line: number;
  readonly terminated: boolean;
}

/**
 * Parses one Transfermarkt CSV (a string, a buffer or a stream) with a real CSV parser: quoted
 * commas (`"Korea, South"`) are one field. Never throws on bad content: a foreign header, a
 * bad row, a cut at the end of the file each become an anomaly and parsing goes on.
 */
export async function parseTransfermarktCsv(input: string | Buffer | Readable, file: string): Promise<ParsedFile> {
  const rows: TransfermarktRow[] = [];
  const anomalies: Anomaly[] = [];
  let records = 0;
  let header: 'pending' | 'ok' | 'foreign' = 'pending';
  let pending: PendingRecord | undefined;
  let lastLine = 0;

  const settle = (record: PendingRecord, last: boolean): void => {
    records++;
    const result = toRow(record.fields, { file, line: record.line, raw: record.raw });
    const cut = last && !record.terminated && (!result.row || result.anomalies.some((a) => a.kind === 'bad-value'));
    if (cut) {
      anomalies.push({
        file,
        line: record.line,
        kind: 'truncated-file',
        reason: `the file stops in the middle of line ${record.line} (${quote(record.raw)}): the ${rows.length} rows before it are kept, this one is not`,
        disposition: 'refused',
      });
      return;
    }
    if (result.row) rows.push(result.row);
    anomalies.push(...result.anomalies);
  };

  const parser = parse({
    bom: true,
    raw: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined, raw: string | undefined) => {
      const line = lastLine + 1;
      const text = raw ?? '';
      if (error?.code === 'CSV_QUOTE_NOT_CLOSED') {
        anomalies.push({
          file,
          line,
          kind: 'truncated-file',
          reason: `a quote opened on line ${line} never closes (${quote(text)}): the file is unreadable from there; the ${rows.length + (pending ? 1 : 0)} rows before it are kept`,
          disposition: 'refused',
        });
      } else {
        anomalies.push({
          file,
          line,
          kind: 'wrong-column-count',
          reason: `unparseable record (${error?.message ?? 'unknown error'}): ${quote(text)}`,
          disposition: 'refused',
        });
      }
      return undefined;
    },
    on_record: (value: unknown, context) => {
      // with `raw: true` the parser hands over `{ record, raw }`, whatever its types say
      const fields = recordFields(value);
      const rawText = context.raw ?? fields.join(',');
      const body = rawText.replace(/\r?\n$|\r$/, '');
      const line = context.lines - (body.match(/\n/g)?.length ?? 0);
      lastLine = context.lines;
      if (header === 'pending') {
        const names = fields.map((field) => field.trim().toLowerCase()).join(',');
        header = names === HEADER ? 'ok' : 'foreign';
        if (header === 'foreign') {
          anomalies.push({
            file,
            line,
            kind: 'not-this-format',
            reason: `the header is ${quote(body)}, not the Transfermarkt columns ${HEADER}: the file is not read`,
            disposition: 'refused',
          });
        }
        return null;
      }
      if (header === 'foreign') return null;
      if (pending) settle(pending, false);
      pending = { fields, raw: body, line, terminated: body.length < rawText.length };
      return null;
    },
  });

  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    // records are collected in on_record; reading keeps the stream flowing
    parser.resume();
  });
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    parser.end(input);
  } else {
    input.on('error', (error) => parser.destroy(error));
    input.pipe(parser);
  }
  await done;
  if (pending) settle(pending, true);
  if (header === 'pending') {
    anomalies.push({
      file,
      line: 1,
      kind: 'not-this-format',
      reason: 'the file is empty: no header line',
      disposition: 'refused',
    });
  }
  return { file, records, rows, anomalies };
}

function recordFields(value: unknown): string[] {
  const record: unknown = typeof value === 'object' && value !== null && 'record' in value ? value.record : value;
  return Array.isArray(record) ? record.map((field) => String(field)) : [];
}

/** Every `*.csv` under `dir` (any depth), sorted by path, as paths relative to `dir` with `/`. */
export async function listCsvFiles(dir: string): Promise<string[]> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new TransfermarktDirectoryError(`${dir} is not a directory`);
  } catch (error) {
    if (error instanceof TransfermarktDirectoryError) throw error;
    throw new TransfermarktDirectoryError(`cannot read the Transfermarkt directory ${dir}: ${String(error)}`);
  }
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.csv'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
  if (files.length === 0) {
    throw new TransfermarktDirectoryError(
      `no CSV file under ${dir}: expected data/<season>/<league>.csv files of the Transfermarkt transfers data set`,
    );
  }
  return files;
}

/** Streams every CSV of a directory through `parseTransfermarktCsv`, a few files at a time, in path order. */
export async function parseTransfermarktDirectory(dir: string): Promise<ParsedFile[]> {
  const files = await listCsvFiles(dir);
  const parsed: ParsedFile[] = new Array<ParsedFile>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      const file = files[index];
      parsed[index] = await parseTransfermarktCsv(createReadStream(join(dir, file)), file);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, files.length) }, worker));
  if (parsed.every((file) => file.anomalies.some((a) => a.kind === 'not-this-format'))) {
    const first = parsed[0]?.anomalies.find((a) => a.kind === 'not-this-format');
    throw new TransfermarktDirectoryError(
      `none of the ${files.length} CSV files under ${dir} is a Transfermarkt transfers file` +
        (first ? ` (${first.file}, line ${first.line}: ${first.reason})` : ''),
    );
  }
  return parsed;
}
