/**
 * Child process of the crash test: appends batches to a SQLite store forever and prints
 * `ack <batch> <size> <position>` on stdout after each append is acknowledged. Pipes are
 * written synchronously on Linux, so a line the parent reads was printed after the commit.
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@squad/event-store/sqlite';

async function main(): Promise<void> {
  const [path, firstBatchArg] = process.argv.slice(2);
  const store = SqliteEventStore.open({ path });
  for (let batch = Number(firstBatchArg); ; batch++) {
    const size = (batch % 7) + 1;
    const events = Array.from({ length: size }, (_, index) => ({
      id: randomUUID(),
      type: 'CrashTested',
      data: { batch, index, size, padding: 'x'.repeat((batch * 37) % 2000) },
    }));
    const result = await store.append(`crash-${batch % 5}`, events);
    process.stdout.write(`ack ${batch} ${size} ${result.position}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
