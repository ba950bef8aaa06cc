import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { StoredEvent } from '@squad/event-store';
import { SqliteEventStore } from '@squad/event-store/sqlite';

interface Ack {
  batch: number;
  size: number;
  position: bigint;
}

/**
 * Runs the append loop in a child process and kills it with SIGKILL once it has acknowledged
 * `killAfter` appends. Resolves with every acknowledgement the parent received.
 */
function appendUntilKilled(path: string, firstBatch: number, killAfter: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'append-loop.child.ts'), path, String(firstBatch)],
      {
        cwd: join(__dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acks: Ack[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [, batch, size, position] = line.split(' ');
      acks.push({ batch: Number(batch), size: Number(size), position: BigInt(position) });
      if (acks.length === killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`append loop exited with ${code} before being killed: ${stderr}`));
    });
  });
}

async function readAll(path: string): Promise<StoredEvent[]> {
  const store = SqliteEventStore.open({ path });
  try {
    const out: StoredEvent[] = [];
    for await (const e of store.readAll()) out.push(e);
    return out;
  } finally {
    await store.close();
  }
}

describe('SqliteEventStore crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squad-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged batch whole and no batch half-written across repeated SIGKILLs', async () => {
    const path = join(dir, 'crash.db');
    const acknowledged: Ack[] = [];
    let nextBatch = 0;
    for (let round = 0; round < 4; round++) {
      // a random moment: somewhere between the 20th and the 400th acknowledged append
      const killAfter = 20 + Math.floor(Math.random() * 380);
      acknowledged.push(...(await appendUntilKilled(path, nextBatch, killAfter)));

      const stored = await readAll(path);
      const batches = new Map<number, StoredEvent[]>();
      for (const e of stored) {
        const { batch } = e.data as { batch: number };
        batches.set(batch, [...(batches.get(batch) ?? []), e]);
      }
      for (const ack of acknowledged) {
        const events = batches.get(ack.batch);
        expect(events?.map((e) => (e.data as { index: number }).index)).toEqual([...Array(ack.size).keys()]);
        expect(events?.[ack.size - 1].position).toBe(ack.position);
      }
      for (const [batch, events] of batches) {
        // every stored batch is complete, acknowledged or not (the kill may follow a commit)
        expect({ batch, size: events.length }).toEqual({ batch, size: (events[0].data as { size: number }).size });
      }
      nextBatch = Math.max(...batches.keys()) + 1;
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(80);
  });
});
