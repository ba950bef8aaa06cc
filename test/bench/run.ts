/**
 * `npm run bench [-- --quick]`: speed and memory figures, each as a ratio against a baseline
 * measured in the same run. Not part of `npm test`: timings do not belong in pass/fail tests.
 * `--quick` shrinks the data sets for a smoke run; the issue figures come from a full run.
 * `--only=event-store|read-models|live|postgres|contention|soak|branches|history|abuse` runs one section.
 */
import { benchAbuse } from './abuse.bench';
import { benchBranchesReplays } from './branches-replays.bench';
import { benchEventStore } from './event-store.bench';
import { benchHistoryImport } from './history-import.bench';
import { benchLedgerContention } from './ledger-contention.bench';
import { benchLiveUpdates } from './live-updates.bench';
import { benchPostgres } from './postgres.bench';
import { benchReadModels } from './read-models.bench';
import { benchSoak } from './soak';
import type { Figure } from './harness';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  console.log(
    `squad-planner bench (${quick ? 'quick' : 'full'}) on Node ${process.version}, ${new Date().toISOString()}`,
  );
  const figures: Figure[] = [];

  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  if (!only || only === 'event-store') {
    console.log('\n# Event store (SQLite adapter)');
    figures.push(...(await benchEventStore({ readAllEvents: quick ? 50_000 : 1_000_000 })));
  }
  if (!only || only === 'read-models') {
    console.log('\n# Read models (time travel)');
    figures.push(...(await benchReadModels({ small: 10_000, large: quick ? 100_000 : 1_000_000 })));
  }
  if (!only || only === 'live') {
    console.log('\n# Live updates (SSE)');
    figures.push(...(await benchLiveUpdates({ subscribers: 1000, rounds: quick ? 30 : 200 })));
  }
  if (!only || only === 'branches') {
    console.log('\n# Branches and replays');
    figures.push(
      ...(await benchBranchesReplays({
        small: 10_000,
        large: quick ? 100_000 : 1_000_000,
        forks: quick ? 100 : 400,
        replayRounds: quick ? 1 : 3,
      })),
    );
  }
  if (!only || only === 'postgres') {
    console.log('\n# PostgreSQL adapter');
    figures.push(...(await benchPostgres({ batches: quick ? 50 : 200, rebuildEvents: quick ? 50_000 : 200_000 })));
  }
  if (!only || only === 'contention') {
    console.log('\n# Write contention (valid reports from concurrent writers through the ledger on PostgreSQL)');
    figures.push(...(await benchLedgerContention({ reportsPerRound: quick ? 240 : 800, rounds: quick ? 1 : 3 })));
  }
  if (!only || only === 'history') {
    console.log('\n# Real history (the Transfermarkt data set through the ledger)');
    figures.push(...(await benchHistoryImport()));
  }
  if (!only || only === 'abuse') {
    console.log('\n# Abuse (replay stall, error amplification memory)');
    figures.push(
      ...(await benchAbuse({ seconds: quick ? 3 : 10, rounds: quick ? 1 : 3, branches: quick ? 1000 : 12_000 })),
    );
  }
  if (!only || only === 'soak') {
    console.log('\n# Soak (mixed load: writes, as-of reads, 200 SSE subscribers)');
    figures.push(
      ...(await benchSoak({ seconds: quick ? 10 : 60, subscribers: 200, writesPerSecond: 20, readsPerSecond: 100 })),
    );
  }

  const missed = figures.filter((f) => !f.met);
  console.log(
    `\n${figures.length - missed.length} of ${figures.length} targets met${missed.length ? `; missed: ${missed.map((f) => f.name).join('; ')}` : ''}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
