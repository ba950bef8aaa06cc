import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { SingleBar, Presets } from 'cli-progress';
import {
  importReports,
  Ledger,
  readSeedReports,
  ReportsModule,
  type ImportSummary,
  type ReportSource,
  parseReport,
} from '@squad/reports';
import { validateEnvironment, type Environment, InvalidEnvironmentError } from '../config/environment';
import { CoreModule } from '../core.module';
import { eventIdAt } from '../histories/store-identity';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { applyEvent, countPursuits, emptyReadModel, writeSnapshot } from '@squad/projections';
import { createRootLogger, NestPinoLogger } from '../logging/logger';
import { REPLAY_USAGE, replayCommand } from './replay-command';
import { IMPORT_TRANSFERMARKT_USAGE, importTransfermarktCommand } from './import-transfermarkt-command';

/**
 * The service's command line, on the same configuration and store as the API:
 *   npm run cli -- import FILE.ndjson   one report per line
 *   npm run cli -- seed                 the seed reports (what an empty store loads at start)
 *   npm run cli -- rebuild              the read models from the store, into their snapshot
 *   npm run cli -- replay --from D --to D --club C [--speed N]   a window day by day
 *   npm run cli -- import-transfermarkt DIR [--leagues L,L] [--seasons Y-Y]   thirty seasons of real moves
 * Safe beside a running server on the same SQLite file: the ledger re-reads before deciding.
 */
@Module({})
class CliModule {
  static forRoot(env: Environment): DynamicModule {
    return { module: CliModule, imports: [CoreModule.forRoot(env), ReportsModule] };
  }
}

const USAGE = `usage: npm run cli -- import FILE.ndjson | seed | rebuild | replay ... | import-transfermarkt ...\n       ${REPLAY_USAGE}\n       ${IMPORT_TRANSFERMARKT_USAGE}`;
const COMMANDS = new Set(['seed', 'rebuild', 'replay', 'import', 'import-transfermarkt']);

async function main(argv: string[]): Promise<number> {
  const [command, file] = argv;
  if (!COMMANDS.has(command) || (command === 'import' && !file)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const env = validateEnvironment(process.env);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(env), {
    logger: new NestPinoLogger(createRootLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL)),
  });
  try {
    if (command === 'rebuild') return await rebuild(app.get<EventStore>(EVENT_STORE), env.READ_MODEL_SNAPSHOT_PATH);
    if (command === 'replay') return await replayCommand(app.get<EventStore>(EVENT_STORE), env, argv.slice(1));
    const ledger = app.get(Ledger);
    if (command === 'import-transfermarkt') return await importTransfermarktCommand(ledger, argv.slice(1));
    const sources = command === 'seed' ? await readSeedReports(env.SEEDS_DIR) : ndjsonReports(file);
    const total = command === 'seed' ? (sources as ReportSource[]).length : await countLines(file);
    const bar = new SingleBar(
      {
        format: '{bar} {value}/{total} reports | recorded {recorded} | already present {present} | rejected {rejected}',
        stream: process.stderr,
      },
      Presets.shades_classic,
    );
    bar.start(total, 0, { recorded: 0, present: 0, rejected: 0 });
    const summary = await importReports(ledger, sources, parseReport, (s) =>
      bar.increment({ recorded: s.recorded, present: s.alreadyPresent, rejected: s.rejected.length }),
    );
    bar.stop();
    printSummary(summary);
    return summary.rejected.length ? 1 : 0;
  } finally {
    await app.close();
  }
}

/** Replays the whole store into fresh read models and writes them as the snapshot. */
async function rebuild(store: EventStore, snapshotPath: string): Promise<number> {
  if (snapshotPath === 'none') {
    process.stderr.write('READ_MODEL_SNAPSHOT_PATH is "none": the service rebuilds its read models at every start\n');
    return 2;
  }
  const started = Date.now();
  const head = Number(await store.headPosition());
  const model = emptyReadModel();
  const bar = new SingleBar(
    { format: 'rebuilding read models {bar} {percentage}% | position {value}/{total}', stream: process.stderr },
    Presets.shades_classic,
  );
  bar.start(head, 0);
  let applied = 0;
  for await (const event of store.readAll()) {
    applyEvent(model, event);
    if (++applied % 1000 === 0) bar.update(Number(event.position));
  }
  bar.update(head);
  bar.stop();
  writeSnapshot(snapshotPath, model, await eventIdAt(store, model.position));
  process.stdout.write(
    `rebuilt read models: ${applied} events up to position ${model.position}, ${model.players.size} players, ${countPursuits(model)} pursuits, in ${Date.now() - started} ms\nsnapshot: ${snapshotPath}\n`,
  );
  return 0;
}

async function* ndjsonReports(file: string): AsyncGenerator<ReportSource> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    try {
      yield { label: `line ${line}`, body: JSON.parse(text) as unknown };
    } catch (error) {
      yield { label: `line ${line}`, body: undefined, unreadable: `not valid JSON: ${(error as Error).message}` };
    }
  }
}

async function countLines(file: string): Promise<number> {
  let count = 0;
  for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity }))
    if (text.trim()) count++;
  return count;
}

function printSummary(summary: ImportSummary): void {
  const lines = [
    `recorded: ${summary.recorded}`,
    `already present: ${summary.alreadyPresent}`,
    `rejected: ${summary.rejected.length}`,
    ...summary.rejected.flatMap((r) => [
      `  ${r.label}${r.reportId ? ` (${r.reportId})` : ''}:`,
      ...r.reasons.map((reason) => `    - ${reason}`),
    ]),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof InvalidEnvironmentError ? error.message : String((error as Error)?.stack ?? error)}\n`,
    );
    process.exit(1);
  },
);
