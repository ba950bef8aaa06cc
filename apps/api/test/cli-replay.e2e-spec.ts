import { join } from 'node:path';
import { runCli as cli } from './server-process';
import { startTestApi } from './test-api';

describe('npm run cli -- replay', () => {
  it('prints the window day by day for a club: the reports, then depth beside open targets', async () => {
    const api = await startTestApi({ SEED_ON_EMPTY: 'true' });
    await api.close(true); // leaves the seeded store and the read-model snapshot
    const env = { SQLITE_PATH: api.sqlitePath, READ_MODEL_SNAPSHOT_PATH: join(api.dir, 'read-models.snapshot') };
    try {
      const all = await cli(['replay', '--from', '2025-06-01', '--to', '2025-09-10', '--club', 'juventus'], env);
      expect(all).toMatchObject({ code: 0, stderr: '' });
      const days = [...all.stdout.matchAll(/^── (\d{4}-\d{2}-\d{2}) · juventus/gm)].map((m) => m[1]);
      expect(days).toEqual(['2025-06-01', '2025-06-17', '2025-06-25', '2025-06-28', '2025-07-06', '2025-09-04']);
      const june17 = all.stdout.split('── ')[2];
      expect(june17).toContain('Tuttojuve: tuttojuve-2025-06-17-balerdi (5 claims)');
      expect(june17).toContain('Tuttojuve: tuttojuve-2025-06-17-balerdi-profile (1 claim)'); // about a target of Juventus
      expect(june17).toMatch(/^\s+GK\s+0\/0\s+short\s+│ leonardo-balerdi\s+talks-refused\s+top$/m);
      expect(june17).toMatch(/^\s+CB\s+3\/4\s+short\s+│$/m); // Bremer injured that day
      expect(all.stdout).toMatch(/10 reports from 2025-06-01 to 2025-09-10/);

      // at a speed, every calendar day, empty ones included
      const paced = await cli(
        ['replay', '--from', '2025-06-16', '--to', '2025-06-18', '--club', 'juventus', '--speed', '50'],
        env,
      );
      expect([...paced.stdout.matchAll(/^── (\S+)/gm)].map((m) => m[1])).toEqual([
        '2025-06-16',
        '2025-06-17',
        '2025-06-18',
      ]);
      expect(paced.stdout).toContain('(no reports)');

      const bad = await cli(['replay', '--from', '2025-06-16', '--club', 'Juve'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--club must be a club slug');
      expect(
        (await cli(['replay', '--from', '2025-06-16', '--to', '2025-06-18', '--club', 'real-madrid'], env)).stderr,
      ).toContain('no report mentions the club "real-madrid"');
    } finally {
      const { rmSync } = await import('node:fs');
      rmSync(api.dir, { recursive: true, force: true });
    }
  }, 60_000);
});
