import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { branchLedgerStream, type Report } from '@squad/domain';
import { SqliteEventStore } from '@squad/event-store/sqlite';
import {
  applyEvent,
  BranchView,
  emptyReadModel,
  forkDecisionContext,
  forkPointOf,
  fromDay,
  squadDepth,
  targetList,
  toDay,
  type SquadReadModel,
} from '@squad/projections';
import { BranchRegistry, Ledger } from '@squad/reports';
import { ReplayWindow } from '../../apps/api/src/replays/replay-window';
import { compareThroughput, type Figure, median, printFigure, printInfo } from './harness';
import { writeSyntheticHistory, type SyntheticWorld } from './synthetic-reports';

interface World {
  readonly store: SqliteEventStore;
  readonly world: SyntheticWorld;
  readonly model: SquadReadModel;
  readonly registry: BranchRegistry;
  head: number;
}

async function buildWorld(dir: string, events: number): Promise<World> {
  const path = join(dir, `synthetic-${events}.db`);
  const writer = SqliteEventStore.open({ path, synchronous: 'NORMAL' });
  let started = Date.now();
  const world = await writeSyntheticHistory(writer, events);
  await writer.close();
  printInfo(
    `generated ${events.toLocaleString('en-US')} synthetic events`,
    `${world.clubs.length} clubs, ${world.firstDay} to ${world.lastDay}, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const store = SqliteEventStore.open({ path, synchronous: 'NORMAL' });
  started = Date.now();
  const model = emptyReadModel();
  for await (const event of store.readAll()) applyEvent(model, event);
  printInfo(
    `read model of ${events.toLocaleString('en-US')} events`,
    `built in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { store, world, model, registry: new BranchRegistry(store), head: Number(await store.headPosition()) };
}

/** A deterministic sequence, so runs compare. */
function seeded(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/**
 * Forks a branch the way the service does: one `BranchCreated` appended to the registry stream
 * (with the fork moved to a report boundary), then the branch's view and ledger set up over the
 * canonical read model. Nothing of canonical history is read, folded or copied.
 */
async function fork(w: World, index: number, random: () => number) {
  const forkAt =
    index % 2 === 0
      ? { storePosition: 1 + Math.floor(random() * w.head) }
      : {
          knownAt: fromDay(
            toDay(w.world.firstDay) + Math.floor(random() * (toDay(w.world.lastDay) - toDay(w.world.firstDay))),
          ),
        };
  const started = process.hrtime.bigint();
  const branch = await w.registry.create({
    branchId: `bench-${index}`,
    name: `Bench ${index}`,
    forkAt,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const fork = forkPointOf(branch);
  const stream = branchLedgerStream(branch.id);
  const view = new BranchView(w.model, fork, emptyReadModel(stream), { branch: branch.id });
  const base = forkDecisionContext(w.model, fork, () => undefined);
  const ledger = new Ledger(w.store, stream, {
    ...base,
    ready: () => Promise.resolve(),
    eventsOf: () => Promise.resolve([]),
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  w.head = Math.max(w.head, branch.createdPosition);
  return { ms, branch, view, ledger };
}

/** A report about players of the club, as a game would write in a branch. */
function whatIf(w: World, id: string, club: string, random: () => number): Report {
  const other = w.world.clubs[(w.world.clubs.indexOf(club) + 1) % w.world.clubs.length];
  const player = `${other}-player-${Math.floor(random() * 25)}`;
  return {
    reportId: id,
    source: { name: 'Bench what-if' },
    publishedOn: w.world.lastDay,
    publishedOnApprox: false,
    claims: [
      { type: 'InterestDeclared', club, player, priority: 'top' },
      { type: 'MarketValueReported', player, valueEur: 25_000_000 },
      { type: 'PlayerInjured', player: `${club}-player-${Math.floor(random() * 25)}` },
    ],
  };
}

export async function benchBranchesReplays(options: {
  small: number;
  large: number;
  forks: number;
  replayRounds: number;
}): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'squad-bench-branches-'));
  const figures: Figure[] = [];
  const worlds: World[] = [];
  try {
    const small = await buildWorld(dir, options.small);
    worlds.push(small);
    const large = await buildWorld(dir, options.large);
    worlds.push(large);

    // ---------------------------------------------------------------- forks
    const randomSmall = seeded(7);
    const randomLarge = seeded(7);
    for (let i = 0; i < 20; i++) {
      await fork(small, 1_000_000 + i, randomSmall); // warm up both paths
      await fork(large, 1_000_000 + i, randomLarge);
    }
    const smallTimes: number[] = [];
    const largeTimes: number[] = [];
    let lastSmall: Awaited<ReturnType<typeof fork>> | undefined;
    let lastLarge: Awaited<ReturnType<typeof fork>> | undefined;
    for (let i = 0; i < options.forks; i++) {
      // interleaved, so machine noise hits both alike
      if (i % 2 === 0) {
        smallTimes.push((lastSmall = await fork(small, i, randomSmall)).ms);
        largeTimes.push((lastLarge = await fork(large, i, randomLarge)).ms);
      } else {
        largeTimes.push((lastLarge = await fork(large, i, randomLarge)).ms);
        smallTimes.push((lastSmall = await fork(small, i, randomSmall)).ms);
      }
    }
    const forkFigure: Figure = {
      name: `time to fork a branch with ${options.large.toLocaleString('en-US')} events stored vs ${options.small.toLocaleString('en-US')}`,
      subject: median(largeTimes),
      baseline: median(smallTimes),
      unit: 'ms',
      ratio: median(largeTimes) / median(smallTimes),
      target: '<= 2',
      met: median(largeTimes) / median(smallTimes) <= 2,
    };
    printFigure(forkFigure);
    figures.push(forkFigure);
    const p99 = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.99)];
    printInfo(
      'fork p99',
      `${p99(largeTimes).toFixed(3)} ms with ${options.large.toLocaleString('en-US')} events, ${p99(smallTimes).toFixed(3)} ms with ${options.small.toLocaleString('en-US')} (${options.forks} forks each, half at a position, half at a knownAt day)`,
    );

    // the first write and read of a fresh branch: per-entity costs (a player's, a club's history), not the log's
    for (const [label, w, last] of [
      ['small', small, lastSmall!],
      ['large', large, lastLarge!],
    ] as const) {
      const random = seeded(3);
      const club = w.world.clubs[0];
      const writes: number[] = [];
      const reads: number[] = [];
      for (let i = 0; i < 20; i++) {
        const { ledger, view } = i === 0 ? last : await fork(w, 2_000_000 + i, random);
        let started = process.hrtime.bigint();
        await ledger.record(whatIf(w, `what-if-${i}`, club, random));
        writes.push(Number(process.hrtime.bigint() - started) / 1e6);
        // the branch's own read model, caught up the way the service does it (read its stream)
        for (const event of await w.store.readStream(ledger.stream)) applyEvent(view.own!, event);
        started = process.hrtime.bigint();
        squadDepth(view, club, { asOf: w.world.lastDay, formation: '4-3-3' });
        targetList(view, club, { asOf: w.world.lastDay });
        reads.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      printInfo(
        `first write / first read (squad depth + targets) of a fresh branch, ${label} store`,
        `median ${median(writes).toFixed(2)} ms / ${median(reads).toFixed(2)} ms`,
      );
    }

    // ---------------------------------------------------------------- replay
    const w = large;
    const club = w.world.clubs[0];
    const position = w.model.position;
    const events = options.large;
    /** Walks the whole window at full speed, as the stream does, building every day's message; events/s. */
    const replay = async (clubs: string[]) => {
      const view = new BranchView(w.model, { position }, undefined, { position: () => position });
      const window = new ReplayWindow(view, w.store, {
        from: w.world.firstDay,
        to: w.world.lastDay,
        clubs,
        formation: '4-3-3',
      });
      const started = process.hrtime.bigint();
      let told = 0;
      let bytes = 0;
      for (let day = window.nextDayWithNews(window.first); day !== undefined; day = window.nextDayWithNews(day + 1)) {
        const message = await window.day(day);
        told += message.events;
        bytes += message.json.length; // what the stream would write, frame by frame
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (told !== events) throw new Error(`the replay told ${told} events of ${events}`);
      printInfo(
        'replay round',
        `${told.toLocaleString('en-US')} events over ${window.days.toLocaleString('en-US')} days in ${seconds.toFixed(1)} s, ${(bytes / 1024 / 1024).toFixed(0)} MiB of messages`,
      );
      return told / seconds;
    };
    // the figure: a game following one club (its three documents as of each day, as known that day)
    const replayFigure = await compareThroughput(
      `full-speed replay of ${events.toLocaleString('en-US')} events (one club's documents each day) vs raw readAll`,
      options.replayRounds,
      events,
      'events/s',
      0.1,
      async () => {
        const started = process.hrtime.bigint();
        let count = 0;
        for await (const event of w.store.readAll({ maxCount: events })) if (event.data && event.metadata) count++;
        return count / (Number(process.hrtime.bigint() - started) / 1e9);
      },
      () => replay([club]),
    );
    figures.push(replayFigure);
    // the same walk telling the reports only (no club followed): what reading and telling costs, without the documents
    const reportsOnly = await replay([]);
    printInfo(
      'the same replay telling reports only (no documents) vs raw readAll',
      `ratio ${(reportsOnly / replayFigure.baseline).toFixed(2)}; ${reportsOnly.toFixed(0)} events/s`,
    );
  } finally {
    for (const w of worlds) await w.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
