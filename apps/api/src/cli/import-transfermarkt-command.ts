import { writeFileSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import {
  type HistoryFilter,
  importTransfermarkt,
  type Ledger,
  TransfermarktDirectoryError,
  TransfermarktImportStoppedError,
  type TransfermarktImportSummary,
} from '@squad/reports';

export const IMPORT_TRANSFERMARKT_USAGE =
  'npm run cli -- import-transfermarkt DIR [--leagues serie-a,ligue-1] [--seasons 2010-2020] [--anomalies FILE.json]';

interface ImportArguments {
  readonly dir: string;
  readonly filter: HistoryFilter;
  readonly anomaliesFile?: string;
}

/** The arguments, or what is wrong with them. */
export function parseImportArguments(argv: readonly string[]): ImportArguments | { readonly error: string } {
  const [dir, ...rest] = argv;
  if (!dir || dir.startsWith('--')) return { error: 'the data set directory is missing' };
  let leagues: string[] | undefined;
  let seasons: { from: number; to: number } | undefined;
  let anomaliesFile: string | undefined;
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined || value.startsWith('--')) return { error: `${flag} needs a value` };
    if (flag === '--leagues') leagues = value.split(',').filter(Boolean);
    else if (flag === '--anomalies') anomaliesFile = value;
    else if (flag === '--seasons') {
      const match = /^(\d{4})(?:-(\d{4}))?$/.exec(value);
      if (!match) return { error: `--seasons takes a year or a range of years (2010-2020), got "${value}"` };
      seasons = { from: Number(match[1]), to: Number(match[2] ?? match[1]) };
      if (seasons.from > seasons.to) return { error: `--seasons ${value} ends before it starts` };
    } else return { error: `unknown option ${flag}` };
  }
  return { dir, filter: { ...(leagues ? { leagues } : {}), ...(seasons ? { seasons } : {}) }, anomaliesFile };
}

/**
 * `import-transfermarkt`: the data set's moves through the ledger, with a progress bar on a
 * terminal and a summary; exit code 0 when every move is in the store, 1 when some were refused
 * or the store failed partway (the summary then says how far it got), 2 for bad arguments or a directory that is not the data set.
 */
export async function importTransfermarktCommand(ledger: Ledger, argv: readonly string[]): Promise<number> {
  const parsed = parseImportArguments(argv);
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\nusage: ${IMPORT_TRANSFERMARKT_USAGE}\n`);
    return 2;
  }
  const bar = process.stderr.isTTY
    ? new SingleBar(
        {
          format: 'importing {bar} {value}/{total} moves | recorded {recorded} | already present {present}',
          stream: process.stderr,
        },
        Presets.shades_classic,
      )
    : undefined;
  let summary: TransfermarktImportSummary;
  let barStarted = false;
  try {
    summary = await importTransfermarkt(ledger, parsed.dir, {
      filter: parsed.filter,
      onProgress: (done, progress) => {
        if (bar && !barStarted) bar.start(progress.moves, 0, { recorded: 0, present: 0 });
        barStarted = true;
        bar?.update(done, { recorded: progress.recorded, present: progress.alreadyPresent });
      },
    });
  } catch (error) {
    bar?.stop();
    if (error instanceof TransfermarktImportStoppedError) {
      // what was recorded stays recorded: the summary says how far it got, a rerun does the rest
      process.stdout.write(summaryText(error.summary, undefined));
      process.stderr.write(`${error.message}\nrun the same command again to record the rest\n`);
      return 1;
    }
    if (!(error instanceof TransfermarktDirectoryError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  bar?.stop();
  if (parsed.anomaliesFile) {
    writeFileSync(
      parsed.anomaliesFile,
      `${JSON.stringify({ anomalies: summary.anomalies, refused: summary.refused }, null, 2)}\n`,
    );
  }
  process.stdout.write(summaryText(summary, parsed.anomaliesFile));
  return summary.refused.length > 0 ? 1 : 0;
}

function summaryText(summary: TransfermarktImportSummary, anomaliesFile: string | undefined): string {
  const kinds = Object.entries(summary.anomaliesByKind).map(([kind, count]) => `  ${kind}: ${count}`);
  const lines = [
    `rows read: ${summary.rowsRead} (${summary.rowsSelected} in the selection)`,
    `moves: ${summary.moves} (${summary.pairsMerged} in/out pairs merged)`,
    `clubs: ${summary.clubs} (${summary.clubProfilesRecorded} profiles recorded now)`,
    `recorded: ${summary.recorded}`,
    `already present: ${summary.alreadyPresent}`,
    `refused: ${summary.refused.length}`,
    ...summary.refused.slice(0, 20).map((r) => `  ${r.reportId} (${r.evidence.join(', ')}): ${r.code}: ${r.reason}`),
    `anomalies: ${summary.anomalies.length}${anomaliesFile ? ` (each in ${anomaliesFile})` : ' (--anomalies FILE.json lists each)'}`,
    ...kinds,
    `time: ${summary.seconds.toFixed(1)} s`,
  ];
  return `${lines.join('\n')}\n`;
}
