import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSquadClient } from '@squad/client';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { startApi } from '../src/bootstrap';
import { assertConformance, checkAnswersOf, recordConformanceCount } from './contract/conformance';

export const SEEDS_DIR = join(__dirname, '..', '..', '..', 'seeds');

/** A real API on a free port over a fresh SQLite file; `close()` removes both. */
export async function startTestApi(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'squad-api-'));
  const api = await startApi(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      SQLITE_PATH: join(dir, 'squad.db'),
      LOG_LEVEL: 'silent',
      SEED_ON_EMPTY: 'false',
      SEEDS_DIR,
      READ_MODEL_SNAPSHOT_PATH: join(dir, 'read-models.snapshot'),
      ...env,
    },
    { beforeListen: checkAnswersOf },
  );
  const store = api.app.get<EventStore>(EVENT_STORE);
  return {
    url: api.url,
    dir,
    sqlitePath: join(dir, 'squad.db'),
    store,
    /** The typed client (`@squad/client`), as a game or dashboard would call the API. */
    client: createSquadClient({ baseUrl: api.url }),
    head: async () => Number(await store.headPosition()),
    post: (path: string, body: unknown) =>
      fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    async close(keepFiles = false) {
      await api.app.close();
      if (!keepFiles) rmSync(dir, { recursive: true, force: true });
      recordConformanceCount();
      assertConformance();
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
