import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredEvent } from '@squad/event-store';
import { SqliteEventStore } from '@squad/event-store/sqlite';
import { importTransfermarkt, Ledger } from '@squad/reports';
import { CANONICAL_LEDGER_STREAM } from '@squad/domain';
import { fromDay, squadDepth, type SquadReadModel, toDay } from '@squad/projections';
import { openRaw } from './event-store.bench';
import { type Figure, median, printFigure, printInfo, rssMiB } from './harness';
import {
  type AsOfQuestion,
  asOfP99,
  buildStore,
  project,
  rebuildVsReadAll,
  syntheticQuestions,
} from './read-models.bench';

/** The data set, read in place (the repository is cloned with `../shared` beside it). */
export const TRANSFERMARKT_DATA = join(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'transfermarkt-transfers',
  'data',
);

/** Raw better-sqlite3 inserts of the same events into the same table, one transaction per 1,000, at `FULL` as shipped. */
function rawInserts(path: string, events: readonly StoredEvent[]): number {
  const { db, insertBatch } = openRaw(path, 'FULL');
  const started = performance.now();
  for (let i = 0; i < events.length; i += 1000) insertBatch(CANONICAL_LEDGER_STREAM, events.slice(i, i + 1000));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return events.length / seconds;
}

/** The clubs a move names (`TransferCompleted`, `LoanDeparted`, `LoanReturned`, `PlayerRegistered`, `PlayerReleased`, ...). */
const CLUB_FIELDS = ['club', 'fromClub', 'toClub'] as const;
const QUESTIONS = 200;
/** Timed passes over each store's questions (after one to warm up), the two stores taking turns. */
const AS_OF_ROUNDS = 10;
/** Each season's clubs with the most moves that the sample draws from. */
const BUSIEST = 20;

/**
 * A fixed sample of as-of questions on the imported history, the same on every run: the seasons
 * of the data set in turn (1992/93 to 2021/22), and in each a club among the 20 with the most
 * moves that season (covered clubs, so with a roster) on a day of that season (1 July to 30 June),
 * both picked by a seeded hash of the question's index.
 */
function historyQuestions(events: readonly StoredEvent[]): AsOfQuestion[] {
  const movesBySeason = new Map<number, Map<string, number>>();
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    // a player's facts only (a club's own profile is no move)
    if (typeof data.effectiveOn !== 'string' || typeof data.player !== 'string') continue;
    const [year, month] = data.effectiveOn.split('-').map(Number);
    const season = month >= 7 ? year : year - 1;
    const clubs = movesBySeason.get(season) ?? new Map<string, number>();
    movesBySeason.set(season, clubs);
    for (const field of CLUB_FIELDS) {
      const club = data[field];
      if (typeof club === 'string') clubs.set(club, (clubs.get(club) ?? 0) + 1);
    }
  }
  const seasons = [...movesBySeason.keys()].sort((a, b) => a - b);
  const busiest = new Map(
    seasons.map((season) => [
      season,
      [...movesBySeason.get(season)!]
        .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
        .slice(0, BUSIEST)
        .map(([club]) => club),
    ]),
  );
  const hash = (i: number, salt: number) => (Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b)) >>> 0;
  return Array.from({ length: QUESTIONS }, (_, i) => {
    const season = seasons[i % seasons.length];
    const clubs = busiest.get(season)!;
    return {
      club: clubs[hash(i, 1) % clubs.length],
      asOf: fromDay(toDay(`${season}-07-01`) + (hash(i, 2) % 365)),
    };
  });
}

/**
 * The whole data set imported into the store at `path` as the CLI does (mapping, then the ledger
 * with the SQLite store as shipped), against raw inserts of the events it wrote (issue 18: >= 0.25).
 * One round each: the import takes about 20 s. Gives the number of events and the as-of sample.
 */
async function importVsRawInserts(
  dir: string,
  path: string,
): Promise<{ figure: Figure; events: number; questions: AsOfQuestion[] }> {
  const store = SqliteEventStore.open({ path });
  const started = performance.now();
  const summary = await importTransfermarkt(new Ledger(store), TRANSFERMARKT_DATA);
  const seconds = (performance.now() - started) / 1000;
  const rss = rssMiB();
  const events: StoredEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  await store.close();
  printInfo(
    'history import',
    `${summary.rowsRead.toLocaleString('en-US')} rows, ${summary.moves.toLocaleString('en-US')} moves, ` +
      `${events.length.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s ` +
      `(${Math.round(summary.moves / seconds).toLocaleString('en-US')} moves/s); RSS after import ${Math.round(rss)} MiB`,
  );
  const ours = events.length / seconds;
  const raw = rawInserts(join(dir, 'raw.db'), events);
  const ratio = ours / raw;
  const figure: Figure = {
    name: 'history import (whole data set, mapping included) vs raw inserts of its events, 1,000 per transaction',
    subject: ours,
    baseline: raw,
    unit: 'events/s',
    ratio,
    target: '>= 0.25',
    met: ratio >= 0.25,
  };
  printFigure(figure);
  return { figure, events: events.length, questions: historyQuestions(events) };
}

/**
 * The as-of p99 (squad depth + targets) of the imported history's fixed questions, against the
 * same on the synthetic 10,000-event store (issue 18: <= 2). Both models are warmed up alike (one
 * pass each), then take turns for passes over their 200 questions, so the machine's noise hits
 * both: the p99 of each pass, the median over the passes. The answers must be real: Juventus on
 * 15 September 2018 has players in all four lines, and the sample's clubs have squads.
 */
async function asOfVsSynthetic(dir: string, model: SquadReadModel, questions: AsOfQuestion[]): Promise<Figure> {
  const juventus = squadDepth(model, 'juventus', { asOf: '2018-09-15', formation: '4-3-3' });
  if (!juventus.groups.every((group) => group.squad > 0))
    throw new Error(`Juventus on 2018-09-15: ${juventus.groups.map((g) => `${g.group} ${g.squad}`).join(', ')}`);
  const synthetic = await buildStore(dir, 10_000);
  const syntheticModel = await project(synthetic.path);
  const syntheticSample = syntheticQuestions(synthetic.world, QUESTIONS);

  let empty = 0;
  let players = 0;
  let targets = 0;
  asOfP99(syntheticModel, syntheticSample);
  asOfP99(model, questions, (_, depth, list) => {
    players += depth.totals.squad;
    targets += list.length;
    if (depth.totals.squad === 0) empty++;
  });
  if (empty > QUESTIONS / 10) throw new Error(`${empty} of the ${QUESTIONS} imported clubs have no squad on their day`);
  global.gc?.();
  const ours: { p50: number; p99: number }[] = [];
  const baseline: { p50: number; p99: number }[] = [];
  for (let round = 0; round < AS_OF_ROUNDS; round++) {
    const turns = [
      () => baseline.push(asOfP99(syntheticModel, syntheticSample)),
      () => ours.push(asOfP99(model, questions)),
    ];
    for (const turn of round % 2 === 0 ? turns : turns.reverse()) turn();
  }
  const p = (passes: { p50: number; p99: number }[], key: 'p50' | 'p99') => median(passes.map((pass) => pass[key]));
  const ratio = p(ours, 'p99') / p(baseline, 'p99');
  const figure: Figure = {
    name: `as-of query p99 (squad depth + targets) on the imported history vs the synthetic 10,000-event store (${QUESTIONS} fixed questions each, median of ${AS_OF_ROUNDS} passes)`,
    subject: p(ours, 'p99'),
    baseline: p(baseline, 'p99'),
    unit: 'ms',
    ratio,
    target: '<= 2',
    met: ratio <= 2,
  };
  printFigure(figure);
  const days = questions.map((q) => q.asOf).sort();
  printInfo(
    'as-of query p50 on the imported history',
    `${p(ours, 'p50').toFixed(3)} ms (synthetic ${p(baseline, 'p50').toFixed(3)} ms); Juventus on 2018-09-15: ` +
      `${juventus.totals.squad} players; the sample's squads: ${(players / QUESTIONS).toFixed(1)} players on average, ` +
      `${empty} empty; ${(targets / QUESTIONS).toFixed(1)} targets on average; ${new Set(questions.map((q) => q.club)).size} clubs, ${days[0]} to ${days.at(-1)}`,
  );
  return figure;
}

/**
 * Issue 18's figures on the real history: the whole data set imported through the ledger vs raw
 * inserts; a rebuild of the imported store vs raw `readAll` + `JSON.parse` (>= 0.5); and the
 * as-of p99 (squad depth + targets) over a fixed sample of 200 (club, day) questions across the
 * seasons, vs the same on the synthetic 10,000-event store (<= 2).
 */
export async function benchHistoryImport(): Promise<Figure[]> {
  if (!existsSync(TRANSFERMARKT_DATA)) {
    printInfo('history import', `SKIPPED: no data set at ${TRANSFERMARKT_DATA}`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'squad-bench-history-'));
  try {
    const path = join(dir, 'import.db');
    const imported = await importVsRawInserts(dir, path);

    const { figure: rebuild, model } = await rebuildVsReadAll(
      `rebuild of the imported store (${imported.events.toLocaleString('en-US')} events) vs raw readAll + JSON.parse`,
      path,
      imported.events,
    );
    global.gc?.();
    printInfo(
      'rebuild of the imported store',
      `${(imported.events / rebuild.subject).toFixed(2)} s (median of 3); RSS after it, with its read model loaded, ` +
        `${Math.round(rssMiB())} MiB (players ${model.players.size.toLocaleString('en-US')})`,
    );

    const asOf = await asOfVsSynthetic(dir, model, imported.questions);
    return [imported.figure, rebuild, asOf];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
