import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SquadClient } from '@squad/client';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { RunningApi, startApi } from '../src/bootstrap';
import { assertConformance, checkAnswersOf, recordConformanceCount } from './contract/conformance';
import { testClient } from './test-api';

describe('GET /health', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squad-health-'));
  let api: RunningApi;
  let client: SquadClient;

  beforeAll(async () => {
    api = await startApi(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        SQLITE_PATH: join(dir, 'nested', 'squad.db'),
        LOG_LEVEL: 'silent',
        SEED_ON_EMPTY: 'false',
        READ_MODEL_SNAPSHOT_PATH: 'none',
      },
      { beforeListen: checkAnswersOf },
    );
    client = testClient(api.url);
  });
  afterAll(async () => {
    await api.app.close();
    rmSync(dir, { recursive: true, force: true });
    recordConformanceCount();
    assertConformance();
  });

  it('reports the store up with its head position', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const before = await client.api.GET('/health');
    expect(before.data).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up', headPosition: 0 } } });

    await store.append('health-check', [{ id: randomUUID(), type: 'Probed', data: {} }]);
    const { data, response } = await client.api.GET('/health');
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ info: { eventStore: { status: 'up', headPosition: 1 } } });
  });

  it('answers liveness without touching the store', async () => {
    const { data, response } = await client.api.GET('/health/live');
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ status: 'ok' });
  });

  it('turns 503 with the reason when the store fails, while liveness stays up', async () => {
    await api.app.get<EventStore>(EVENT_STORE).close();

    const { error: body, response } = await client.api.GET('/health');
    expect(response.status).toBe(503);
    expect(body).toMatchObject({
      status: 'error',
      error: { eventStore: { status: 'down', message: expect.stringContaining('closed') } },
    });
    expect((await client.api.GET('/health/live')).response.status).toBe(200);
  });
});
