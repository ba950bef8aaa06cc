import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANONICAL_LEDGER_STREAM } from '@squad/domain';
import { applyEvent, emptyReadModel, fromDay, readSnapshot, writeSnapshot } from '@squad/projections';
import { FIRST_DAY, storedEvents } from '../testing/branch-arbitraries';

describe('read-model snapshots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squad-snapshot-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a snapshot only into the store that holds the same event at its position', async () => {
    const path = join(dir, 'model.snapshot');
    const model = emptyReadModel();
    model.position = 12;
    model.clubs.add('juventus');
    writeSnapshot(path, model, 'event-12');

    const same = await readSnapshot(path, (position) => Promise.resolve(position === 12 ? 'event-12' : undefined));
    expect(same.from).toBe('snapshot');
    expect(same.model.clubs.has('juventus')).toBe(true);

    const refilled = await readSnapshot(path, () => Promise.resolve('another-event'));
    expect(refilled).toMatchObject({ from: 'empty', reason: 'snapshot of another store' });
    expect(refilled.model.position).toBe(0);

    const shorter = await readSnapshot(path, () => Promise.resolve(undefined));
    expect(shorter.from).toBe('empty');
    expect((await readSnapshot(join(dir, 'missing'), () => Promise.resolve(undefined))).reason).toBe('no snapshot');
  });

  it('refuses a damaged snapshot and rebuilds: any flipped bit, a changed byte in a slug or a date, a cut file', async () => {
    const path = join(dir, 'damaged.snapshot');
    const model = emptyReadModel();
    const events = storedEvents(
      [
        {
          known: 0,
          claims: [
            {
              claim: {
                type: 'PlayerRegistered',
                player: 'gleison-bremer',
                name: 'Gleison Bremer',
                club: 'juventus',
                position: 'CB',
              },
              valid: 0,
            },
          ],
        },
        { known: 1, claims: [{ claim: { type: 'PlayerInjured', player: 'gleison-bremer' }, valid: 1 }] },
      ],
      CANONICAL_LEDGER_STREAM,
      1,
      'r',
    );
    for (const event of events) applyEvent(model, event);
    writeSnapshot(path, model, 'event-2');
    const original = readFileSync(path);
    const idAt = (position: number) => Promise.resolve(position === 2 ? 'event-2' : undefined);
    expect((await readSnapshot(path, idAt)).from).toBe('snapshot');

    const refused = async (damaged: Buffer) => {
      writeFileSync(path, damaged);
      const read = await readSnapshot(path, idAt);
      expect(read).toMatchObject({ from: 'empty', damaged: true, reason: expect.stringMatching(/damaged|format/) });
      expect(read.model.position).toBe(0);
    };
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: original.length * 8 - 1 }), async (bit) => {
        const damaged = Buffer.from(original);
        damaged[bit >> 3] ^= 1 << (bit & 7);
        await refused(damaged);
      }),
      { numRuns: 300 },
    );
    for (const text of ['gleison-bremer', fromDay(FIRST_DAY + 1)]) {
      const at = original.indexOf(text, 0, 'latin1');
      expect(at).toBeGreaterThan(0);
      const damaged = Buffer.from(original);
      damaged[at + 1] = damaged[at + 1] === 0x78 ? 0x79 : 0x78; // another letter, same length
      await refused(damaged);
    }
    await refused(original.subarray(0, original.length - 1));
    await refused(Buffer.concat([original, Buffer.from([0])]));
  });
});
