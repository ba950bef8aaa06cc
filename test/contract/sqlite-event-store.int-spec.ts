import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@squad/event-store/sqlite';
import { describeEventStoreContract } from './event-store.contract';

const readPageSize = 64; // small pages so the suite crosses page boundaries cheaply

describeEventStoreContract('SQLite in memory', {
  readPageSize,
  open: () => Promise.resolve(SqliteEventStore.open({ path: ':memory:', readPageSize })),
});

// The production shape: a WAL file on disk with fsync on commit.
const dir = mkdtempSync(join(tmpdir(), 'squad-contract-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStoreContract('SQLite file (WAL)', {
  readPageSize,
  open: () =>
    Promise.resolve(
      SqliteEventStore.open({ path: join(dir, `store-${files++}.db`), readPageSize, synchronous: 'NORMAL' }),
    ),
});
