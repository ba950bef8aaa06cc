import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
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

/**
 * The file: a 24-byte header, then the v8-serialised `SnapshotFile`. The header holds a magic
 * string, the file format, the payload's CRC-32 and its length, so a damaged file (a flipped
 * bit, a truncated write, a changed byte in a slug or a date) is refused and the models are
 * rebuilt from the store, instead of being served, and written back, wrong. CRC-32 catches every
 * burst of up to 32 bits and all but 1 in 4 billion other damage, at memory speed; it is a check
 * against damage, not against someone who can write the file (they could write the store too).
 */
const MAGIC = Buffer.from('SQUADSNP', 'latin1');
const FORMAT = 1;
const HEADER_BYTES = 24;

export function writeSnapshot(path: string, model: SquadReadModel, storeId: string | undefined): void {
  mkdirSync(dirname(path), { recursive: true });
  const payload = serialize({ version: READ_MODEL_VERSION, storeId, model } satisfies SnapshotFile);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(FORMAT, 8);
  header.writeUInt32LE(crc32(payload), 12);
  header.writeBigUInt64LE(BigInt(payload.length), 16);
  const temporary = `${path}.tmp-${randomUUID()}`; // unique even across replicas sharing a volume
  const fd = openSync(temporary, 'w');
  try {
    writeAll(fd, header);
    writeAll(fd, payload);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path); // atomic: a reader sees the old snapshot or the new one
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written);
}

/** The payload of a snapshot file, or why it cannot be trusted. */
function checkedPayload(file: Buffer): { payload: Buffer } | { damage: string } {
  if (file.length < HEADER_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC)) {
    return { damage: 'not a snapshot of this format (or its header is damaged)' };
  }
  const format = file.readUInt32LE(8);
  if (format !== FORMAT) return { damage: `snapshot format ${format}, this build reads ${FORMAT}` };
  const length = file.readBigUInt64LE(16);
  if (length !== BigInt(file.length - HEADER_BYTES)) {
    return { damage: `damaged snapshot: ${file.length - HEADER_BYTES} bytes of payload, the header says ${length}` };
  }
  const payload = file.subarray(HEADER_BYTES);
  if (crc32(payload) !== file.readUInt32LE(12)) return { damage: 'damaged snapshot: checksum mismatch' };
  return { payload };
}

/**
 * The snapshot at `path` if it is whole and belongs to this store and this build, else a fresh
 * model and why. `eventIdAt` answers the id of the store's event at a position (undefined if none).
 */
export async function readSnapshot(
  path: string,
  eventIdAt: (position: number) => Promise<string | undefined>,
): Promise<{
  model: SquadReadModel;
  from: 'snapshot' | 'empty';
  reason?: string;
  /** The file is there but cannot be trusted: the service says so, rebuilds, and overwrites it at shutdown. */
  damaged?: boolean;
}> {
  if (!existsSync(path)) return { model: emptyReadModel(), from: 'empty', reason: 'no snapshot' };
  try {
    const checked = checkedPayload(readFileSync(path));
    if ('damage' in checked) return { model: emptyReadModel(), from: 'empty', reason: checked.damage, damaged: true };
    const file = deserialize(checked.payload) as SnapshotFile;
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
    return {
      model: emptyReadModel(),
      from: 'empty',
      reason: `unreadable snapshot: ${(error as Error).message}`,
      damaged: true,
    };
  }
}
