import { existsSync, mkdirSync, openSync, closeSync, fsyncSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { emptyReadModel, READ_MODEL_VERSION, type SquadReadModel } from './squad-read-model';

/**
 * The read model's checkpoint on disk: the whole model and the store position it reflects, so a
 * restart resumes from there instead of replaying the store. `storeId` (the id of the store's
 * first event) ties a snapshot to its store: one taken of another store is ignored.
 */
interface SnapshotFile {
  readonly version: number;
  readonly storeId: string | undefined;
  readonly model: SquadReadModel;
}

export function writeSnapshot(path: string, model: SquadReadModel, storeId: string | undefined): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, serialize({ version: READ_MODEL_VERSION, storeId, model } satisfies SnapshotFile));
  const fd = openSync(temporary, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temporary, path); // atomic: a reader sees the old snapshot or the new one
}

/** The snapshot at `path` if it belongs to this store and this build, else a fresh model. */
export function readSnapshot(path: string, storeId: string | undefined, storeHead: number): { model: SquadReadModel; from: 'snapshot' | 'empty'; reason?: string } {
  if (!existsSync(path)) return { model: emptyReadModel(), from: 'empty', reason: 'no snapshot' };
  try {
    const file = deserialize(readFileSync(path)) as SnapshotFile;
    if (file.version !== READ_MODEL_VERSION) return { model: emptyReadModel(), from: 'empty', reason: `snapshot version ${file.version}, this build ${READ_MODEL_VERSION}` };
    if (file.storeId !== storeId || file.model.position > storeHead) return { model: emptyReadModel(), from: 'empty', reason: 'snapshot of another store' };
    return { model: file.model, from: 'snapshot' };
  } catch (error) {
    return { model: emptyReadModel(), from: 'empty', reason: `unreadable snapshot: ${(error as Error).message}` };
  }
}
