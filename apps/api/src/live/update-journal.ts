import type { ClubDocument } from '@squad/projections';

/** One club document as it became at a store position, already serialised as JSON. */
export interface DocumentChange {
  readonly model: ClubDocument;
  readonly club: string;
  readonly json: string;
}

/**
 * The documents that changed when the read models reached `position`. Every subscriber that
 * wants this entry gets the same frame, so frames are built once per audience and kept.
 */
export class JournalEntry {
  private readonly frames = new Map<string, string>();
  /** Rough size kept in memory: the documents, then about as much again in frames. */
  readonly bytes: number;

  constructor(
    readonly position: number,
    readonly changes: readonly DocumentChange[],
  ) {
    let bytes = 64;
    for (const change of changes) bytes += change.json.length * 3;
    this.bytes = bytes;
  }

  touches(club: string): boolean {
    return this.changes.some((change) => change.club === club);
  }

  /** The SSE frame of this entry for one club's subscribers, or for all clubs' (`club` undefined). */
  frame(club?: string): string {
    const audience = club ?? '*';
    let frame = this.frames.get(audience);
    if (frame === undefined) {
      const changes = club === undefined ? this.changes : this.changes.filter((change) => change.club === club);
      frame = sseFrame('update', this.position, changesJson(this.position, changes));
      this.frames.set(audience, frame);
    }
    return frame;
  }
}

/** `{"storePosition":P,"changes":[{"model":…,"club":…,"document":{…}}]}`, splicing in the stored JSON. */
export function changesJson(position: number, changes: readonly DocumentChange[]): string {
  const parts = changes.map(
    (change) =>
      `{"model":${JSON.stringify(change.model)},"club":${JSON.stringify(change.club)},"document":${change.json}}`,
  );
  return `{"storePosition":${position},"changes":[${parts.join(',')}]}`;
}

/** One Server-Sent Events message. `data` must be one line (JSON.stringify output is). */
export function sseFrame(event: string, id: number, data: string): string {
  return `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;
}

/**
 * The recent history of live updates, so a client that reconnects with `Last-Event-ID: P` gets
 * exactly the entries after P: nothing missed, nothing twice. It holds every entry after
 * `coveredFrom`; the oldest entries go once the journal passes its size budget, and a client
 * asking from before `coveredFrom` is told to start over from a fresh snapshot.
 */
export class UpdateJournal {
  /** Evicted entries' slots (before `first`) are emptied, so the budget bounds what memory holds. */
  private entries: (JournalEntry | undefined)[] = [];
  private first = 0;
  private bytes = 0;
  private covered: number | undefined;

  constructor(private readonly maxBytes: number) {}

  /** Starts recording: every change after `position` will be in the journal. */
  start(position: number): void {
    this.covered = position;
  }

  /** Entries exist for every change after this position (undefined before `start`). */
  get coveredFrom(): number | undefined {
    return this.covered;
  }

  get size(): number {
    return this.entries.length - this.first;
  }

  get lastPosition(): number | undefined {
    return this.size > 0 ? this.entries[this.entries.length - 1]!.position : this.covered;
  }

  append(entry: JournalEntry): void {
    if (this.covered === undefined) throw new Error('the journal has not started');
    const last = this.lastPosition;
    if (last !== undefined && entry.position <= last)
      throw new Error(`journal entry ${entry.position} is not after ${last}`);
    this.entries.push(entry);
    this.bytes += entry.bytes;
    while (this.bytes > this.maxBytes && this.size > 1) {
      const evicted = this.entries[this.first]!;
      // let it go now: an evicted entry (its documents and frames) kept until the next compaction
      // held up to 1,024 entries past the budget
      this.entries[this.first++] = undefined;
      this.bytes -= evicted.bytes;
      this.covered = evicted.position;
    }
    // compact the array of emptied slots now and then rather than shift() on every eviction
    if (this.first > 1024 && this.first * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.first);
      this.first = 0;
    }
  }

  /** The entries after `position`, oldest first, or undefined when some of them are gone. */
  after(position: number): JournalEntry[] | undefined {
    if (this.covered === undefined || position < this.covered) return undefined;
    let low = this.first;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entries[mid]!.position <= position) low = mid + 1;
      else high = mid;
    }
    return this.entries.slice(low) as JournalEntry[];
  }
}
