/**
 * `npm run bench [-- --quick]`: speed and memory figures, each as a ratio against a baseline
 * measured in the same run. Not part of `npm test`: timings do not belong in pass/fail tests.
 * `--quick` shrinks the data sets for a smoke run; the issue figures come from a full run.
 * `--only=event-store|read-models` runs one section.
 */
import { benchEventStore } from './event-store.bench';
import { benchReadModels } from './read-models.bench';
import type { Figure } from './harness';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  console.log(`squad-planner bench (${quick ? 'quick' : 'full'}) on Node ${process.version}, ${new Date().toISOString()}`);
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

  const missed = figures.filter((f) => !f.met);
  console.log(`\n${figures.length - missed.length} of ${figures.length} targets met${missed.length ? `; missed: ${missed.map((f) => f.name).join('; ')}` : ''}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
