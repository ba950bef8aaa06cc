import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@squad/event-store/sqlite';
import {
  applyEvent,
  countPursuits,
  emptyReadModel,
  fromDay,
  reportById,
  squadDepth,
  targetList,
  toDay,
  type SquadReadModel,
  type TargetEntry,
} from '@squad/projections';
import { compareThroughput, type Figure, median, printFigure, printInfo, rssMiB } from './harness';
import { writeSyntheticHistory, type SyntheticWorld } from './synthetic-reports';

interface Built {
  readonly path: string;
  readonly world: SyntheticWorld;
}

export async function buildStore(dir: string, events: number): Promise<Built> {
  const path = join(dir, `synthetic-${events}.db`);
  const store = SqliteEventStore.open({ path, synchronous: 'NORMAL' });
  const started = Date.now();
  const world = await writeSyntheticHistory(store, events);
  await store.close();
  printInfo(
    `generated ${events.toLocaleString('en-US')} synthetic events`,
    `${world.clubs.length} clubs, ${world.firstDay} to ${world.lastDay}, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { path, world };
}

export async function project(path: string): Promise<SquadReadModel> {
  const store = SqliteEventStore.open({ path });
  const model = emptyReadModel();
  for await (const event of store.readAll()) applyEvent(model, event);
  await store.close();
  return model;
}

/** An as-of question: a club's squad depth and targets on a day. */
export interface AsOfQuestion {
  readonly club: string;
  readonly asOf: string;
}

/** A seeded sample of as-of questions over a synthetic world: a random club on a random day. */
export function syntheticQuestions(world: SyntheticWorld, count: number): AsOfQuestion[] {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const first = toDay(world.firstDay) + 30;
  const last = toDay(world.lastDay);
  return Array.from({ length: count }, () => ({
    club: world.clubs[Math.floor(random() * world.clubs.length)],
    asOf: fromDay(first + Math.floor(random() * (last - first))),
  }));
}

/**
 * p50 and p99 of as-of questions (squad depth, 4-3-3, and targets), in ms; `answered` is told
 * each answer, outside the timing (a caller's sanity check).
 */
export function asOfP99(
  model: SquadReadModel,
  questions: readonly AsOfQuestion[],
  answered?: (question: AsOfQuestion, depth: ReturnType<typeof squadDepth>, targets: TargetEntry[]) => void,
): { p50: number; p99: number } {
  const timings: number[] = [];
  for (const question of questions) {
    const { club, asOf } = question;
    const started = process.hrtime.bigint();
    const depth = squadDepth(model, club, { asOf, formation: '4-3-3' });
    const targets = targetList(model, club, { asOf });
    timings.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (depth.club !== club || !Array.isArray(targets)) throw new Error('query failed');
    answered?.(question, depth, targets);
  }
  timings.sort((a, b) => a - b);
  return { p50: median(timings), p99: timings[Math.floor(timings.length * 0.99)] };
}

/**
 * A full rebuild of the store at `path` (its `events` events projected into a fresh read model),
 * against the baseline: the same events read raw through the port's `readAll` (which
 * JSON.parses each event's data and metadata), nothing applied. The median of `rounds` each;
 * the model of the last subject round is returned.
 */
export async function rebuildVsReadAll(
  name: string,
  path: string,
  events: number,
  rounds = 3,
): Promise<{ figure: Figure; model: SquadReadModel }> {
  let model: SquadReadModel | undefined;
  const figure = await compareThroughput(
    name,
    rounds,
    events,
    'events/s',
    0.5,
    async () => {
      // both sides start from the same heap: a read model left by the previous subject round
      // would slow this one's garbage collection and flatter the ratio
      model = undefined;
      global.gc?.();
      const store = SqliteEventStore.open({ path });
      const started = process.hrtime.bigint();
      let count = 0;
      for await (const event of store.readAll()) if (event.data && event.metadata) count++;
      const rate = count / (Number(process.hrtime.bigint() - started) / 1e9);
      await store.close();
      if (count !== events) throw new Error(`readAll read ${count}`);
      return rate;
    },
    async () => {
      model = undefined;
      global.gc?.();
      const started = process.hrtime.bigint();
      model = await project(path);
      if (model.position !== events) throw new Error(`rebuilt to ${model.position}`);
      return events / (Number(process.hrtime.bigint() - started) / 1e9);
    },
  );
  return { figure, model: model! };
}

export async function benchReadModels(options: { small: number; large: number }): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'squad-bench-rm-'));
  const figures: Figure[] = [];
  try {
    const small = await buildStore(dir, options.small);
    const large = await buildStore(dir, options.large);

    // Full rebuild of the large store against raw readAll; a bare SQLite SELECT + JSON.parse,
    // below the port, is printed beside it.
    const raw = new Database(large.path, { readonly: true });
    const select = raw.prepare('SELECT data, metadata FROM events ORDER BY position').raw();
    const bareSelect = () => {
      const started = process.hrtime.bigint();
      let count = 0;
      for (const row of select.iterate() as Iterable<[string, string]>) {
        if (JSON.parse(row[0]) && JSON.parse(row[1])) count++;
      }
      if (count !== options.large) throw new Error(`raw read ${count}`);
      return count / (Number(process.hrtime.bigint() - started) / 1e9);
    };
    const { figure: rebuild, model } = await rebuildVsReadAll(
      `projection rebuild of ${options.large.toLocaleString('en-US')} events vs raw readAll + JSON.parse`,
      large.path,
      options.large,
    );
    figures.push(rebuild);
    const bare = median([bareSelect(), bareSelect(), bareSelect()]);
    printInfo(
      'the same rebuild vs a bare SQLite SELECT + JSON.parse (below the port)',
      `ratio ${(rebuild.subject / bare).toFixed(2)}; bare ${bare.toFixed(0)} events/s`,
    );
    raw.close();
    global.gc?.();
    printInfo(
      `resident memory with the read model of ${options.large.toLocaleString('en-US')} events loaded`,
      `${rssMiB().toFixed(0)} MiB (players ${model.players.size})`,
    );

    // The rebuild leaves some indexing to the first read that needs it (each club's targets by
    // year, each player's pursuits, reports by id): what those first reads pay.
    const firstDay = toDay(large.world.firstDay) + 30;
    const timed = (read: () => unknown) => {
      const started = process.hrtime.bigint();
      read();
      return (Number(process.hrtime.bigint() - started) / 1e6).toFixed(1);
    };
    const club = large.world.clubs[0];
    const firstTargets = timed(() => targetList(model, club, { asOf: fromDay(firstDay + 365) }));
    const secondTargets = timed(() => targetList(model, club, { asOf: fromDay(firstDay + 400) }));
    const byId = timed(() => reportById(model, 'no such report'));
    let pursuits = 0;
    const allPursuits = timed(() => (pursuits = countPursuits(model)));
    printInfo(
      'left by the rebuild to first reads',
      `a club's first target list ${firstTargets} ms (then ${secondTargets} ms); the first report looked up by id (a branch's ledger) ${byId} ms; every player's pursuits (${pursuits.toLocaleString('en-US')}) ${allPursuits} ms in all`,
    );

    const smallModel = await project(small.path);
    const queries = 5000;
    const smallQuestions = syntheticQuestions(small.world, queries);
    const largeQuestions = syntheticQuestions(large.world, queries);
    asOfP99(smallModel, smallQuestions.slice(0, 500)); // warm up both code paths
    asOfP99(model, largeQuestions.slice(0, 500));
    const smallTimes = asOfP99(smallModel, smallQuestions);
    const largeTimes = asOfP99(model, largeQuestions);
    const figure: Figure = {
      name: `as-of query p99 (squad depth + targets) with ${options.large.toLocaleString('en-US')} events stored vs ${options.small.toLocaleString('en-US')}`,
      subject: largeTimes.p99,
      baseline: smallTimes.p99,
      unit: 'ms',
      ratio: largeTimes.p99 / smallTimes.p99,
      target: '<= 2',
      met: largeTimes.p99 / smallTimes.p99 <= 2,
    };
    printFigure(figure);
    printInfo(
      'as-of query p50',
      `${largeTimes.p50.toFixed(3)} ms with ${options.large.toLocaleString('en-US')} events, ${smallTimes.p50.toFixed(3)} ms with ${options.small.toLocaleString('en-US')}`,
    );
    figures.push(figure);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
