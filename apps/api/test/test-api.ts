import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSquadClient, type SquadClient } from '@squad/client';
import type { Middleware } from 'openapi-fetch';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { startApi } from '../src/bootstrap';
import { assertConformance, checkAnswersOf, contract, recordConformanceCount } from './contract/conformance';

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
    /** The running application, to look at what a service holds (e.g. `app.get(Histories).held()`). */
    app: api.app,
    dir,
    sqlitePath: join(dir, 'squad.db'),
    store,
    /** The typed client (`@squad/client`), as a game or dashboard would call the API. */
    client: testClient(api.url),
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

/**
 * The typed client as the tests use it: the data of every message it streams is checked against
 * the document too, as SseClient does for raw streams (the answers are checked by the test
 * server's hook, and the violations asserted where it closes). For a server in another process,
 * which has no such hook, `checkAnswers` checks every answer the client receives; the suite
 * then asserts the violations itself (`assertConformance`).
 */
export function testClient(baseUrl: string, { checkAnswers = false } = {}): SquadClient {
  const client = createSquadClient({ baseUrl, middleware: checkAnswers ? [answersChecker] : [] });
  return {
    api: client.api,
    liveUpdates: (filter, options) => checked(client.liveUpdates(filter, options)),
    replay: (id, filter, options) => checked(client.replay(id, filter, options)),
  };
}

/** Checks each answer against the operation it was sent to (`schemaPath` is the document's path). */
const answersChecker: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    const contentType = response.headers.get('content-type') ?? '';
    // a stream's body never ends: its messages are checked as they are read
    const body = contentType.startsWith('text/event-stream') ? '' : await response.clone().text();
    contract.checkResponse(request.method, schemaPath, response.status, contentType, body);
    return response;
  },
};

async function* checked<M extends { readonly event: string; readonly data: unknown }>(
  messages: AsyncGenerator<M>,
): AsyncGenerator<M> {
  for await (const message of messages) {
    contract.checkMessage(message.event, JSON.stringify(message.data));
    yield message;
  }
}
