import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { JournalEntry, UpdateJournal } from './update-journal';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** An entry about one club whose document is `size` characters long. */
const entry = (position: number, size = 1000) =>
  new JournalEntry(position, [
    { model: 'targets', club: 'juventus', json: JSON.stringify({ position, text: 'x'.repeat(size) }) },
  ]);

describe(UpdateJournal.name, () => {
  it('replays exactly the entries after a position while it still holds them, and says when it does not', () => {
    const journal = new UpdateJournal(64 * 1024);
    journal.start(10);
    for (const position of [12, 15, 20]) journal.append(entry(position));
    expect(journal.after(10)?.map((e) => e.position)).toEqual([12, 15, 20]);
    expect(journal.after(15)?.map((e) => e.position)).toEqual([20]);
    expect(journal.after(20)).toEqual([]);
    expect(journal.after(9)).toBeUndefined();
    expect(() => journal.append(entry(20))).toThrow(/not after/);
  });

  it('evicts the oldest entries past its byte budget and moves coveredFrom with them', () => {
    const journal = new UpdateJournal(10_000);
    journal.start(0);
    for (let position = 1; position <= 50; position++) journal.append(entry(position, 1000));
    expect(journal.size).toBeLessThan(10);
    expect(journal.coveredFrom).toBe(50 - journal.size);
    expect(journal.after(journal.coveredFrom!)?.map((e) => e.position)).toEqual(
      Array.from({ length: journal.size }, (_, i) => 51 - journal.size + i),
    );
    expect(journal.after(journal.coveredFrom! - 1)).toBeUndefined();
  });

  it('lets evicted entries go at once, so memory stays within the budget (not 1,024 entries past it)', async () => {
    const journal = new UpdateJournal(20_000);
    journal.start(0);
    const evictedEarly: WeakRef<JournalEntry>[] = [];
    for (let position = 1; position <= 200; position++) {
      const e = entry(position, 2000);
      if (position <= 100) evictedEarly.push(new WeakRef(e));
      journal.append(e);
    }
    expect(journal.coveredFrom).toBeGreaterThan(100);
    await new Promise((resolve) => setImmediate(resolve)); // WeakRef targets live until the job ends
    gc();
    expect(evictedEarly.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
  });
});
