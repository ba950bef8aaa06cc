import {
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  fsyncSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { emptyReadModel, READ_MODEL_VERSION, type SquadReadModel } from './squad-read-model';

/**
 * The read model's checkpoint on disk: the whole model and the store position it reflects, so a
 * restart resumes from there instead of replaying the store. `storeId` is the id of the event
 * at the model's position: a snapshot is used only if the store holds that same event there
 * (event ids are derived from reports, so the first event alone would not tell a store wiped
 * and refilled differently from the original).
 */
interface SnapshotFile {
  readonly version: number;
  readonly storeId: string | undefined;
  readonly model: SquadReadModel;
}

export function writeSnapshot(path: string, model: SquadReadModel, storeId: string | undefined): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${randomUUID()}`; // unique even across replicas sharing a volume
  writeFileSync(temporary, serialize({ version: READ_MODEL_VERSION, storeId, model } satisfies SnapshotFile));
  const fd = openSync(temporary, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temporary, path); // atomic: a reader sees the old snapshot or the new one
}

/**
 * The snapshot at `path` if it belongs to this store and this build, else a fresh model.
 * `eventIdAt` answers the id of the store's event at a position (undefined if none).
 */
export async function readSnapshot(
  path: string,
  eventIdAt: (position: number) => Promise<string | undefined>,
): Promise<{ model: SquadReadModel; from: 'snapshot' | 'empty'; reason?: string }> {
  if (!existsSync(path)) return { model: emptyReadModel(), from: 'empty', reason: 'no snapshot' };
  try {
    const file = deserialize(readFileSync(path)) as SnapshotFile;
    if (file.version !== READ_MODEL_VERSION)
      return {
        model: emptyReadModel(),
        from: 'empty',
        reason: `snapshot version ${file.version}, this build ${READ_MODEL_VERSION}`,
      };
    if (file.model.position > 0 && file.storeId !== (await eventIdAt(file.model.position))) {
      return { model: emptyReadModel(), from: 'empty', reason: 'snapshot of another store' };
    }
    return { model: file.model, from: 'snapshot' };
  } catch (error) {
    return { model: emptyReadModel(), from: 'empty', reason: `unreadable snapshot: ${(error as Error).message}` };
  }
}
