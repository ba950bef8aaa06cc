import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyReadModel, readSnapshot, writeSnapshot } from '@squad/projections';

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
});
