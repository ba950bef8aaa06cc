import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createSquadClient, type LiveMessage, type SquadClient } from '@squad/client';
import { DOCUMENT_FILE, documentText } from '../../scripts/openapi';
import { startTestApi, type TestApi } from '../test-api';
import { resolveResponse } from './conformance';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The contract as clients meet it: the document the service serves is the one the typed client
 * is generated from, every request example in it gets the answer it documents, and the typed
 * client works against a real server (its answers checked by the conformance hook).
 */
describe('the OpenAPI contract', () => {
  let api: TestApi;
  let served: Json;
  let client: SquadClient;

  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true' });
    served = (await (await fetch(`${api.url}/docs-json`)).json()) as Json;
    client = createSquadClient({ baseUrl: api.url });
  });
  afterAll(() => api.close());

  it('is what the typed client is generated from (run `npm run openapi` after changing the API)', async () => {
    expect(documentText(served)).toBe(readFileSync(DOCUMENT_FILE, 'utf8'));
    // and the client's types are what openapi-typescript makes of it (in a process of its own: it is ESM)
    const script = join(__dirname, '..', '..', 'scripts', 'openapi.ts');
    const { stderr } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', script, '--check']);
    expect(stderr).toBe('');
  });

  it('declares every answer of every operation, with a schema and an example', () => {
    for (const [path, item] of Object.entries(served.paths as Json)) {
      for (const [method, operation] of Object.entries(item as Json)) {
        const statuses = Object.keys(operation.responses);
        expect({ operation: `${method} ${path}`, has4xx: statuses.some((s) => s.startsWith('4')) }).toEqual({
          operation: `${method} ${path}`,
          has4xx: true,
        });
        for (const [status, declared] of Object.entries(operation.responses as Json)) {
          const response = resolveResponse(served, declared);
          for (const [type, media] of Object.entries((response.content ?? {}) as Json)) {
            expect({ at: `${method} ${path} ${status} ${type}`, example: media.example !== undefined }).toEqual({
              at: `${method} ${path} ${status} ${type}`,
              example: true,
            });
          }
        }
      }
    }
  });

  it('answers every request example of the document as it documents (201 where it creates, else its 2xx)', async () => {
    const branch = (
      await client.api.POST('/v1/branches', { body: { name: 'Examples', forkAt: { storePosition: 33 } } })
    ).data!;
    const replay = (await client.api.POST('/v1/replays', { body: { from: '2025-06-01', to: '2025-09-10', speed: 2 } }))
      .data!;
    const ids: Record<string, string> = {
      '/v1/branches/{id}/reports': branch.id,
      '/v1/replays/{id}/resume': replay.id,
    };
    ids['/v1/replays/{id}/seek'] = replay.id;
    let posted = 0;
    for (const [path, item] of Object.entries(served.paths as Json)) {
      for (const [method, operation] of Object.entries(item as Json)) {
        const examples = operation.requestBody?.content?.['application/json']?.examples as Json | undefined;
        if (!examples) continue;
        // each example is posted once, so where the operation creates something it is its 201
        const successes = Object.keys(operation.responses).filter((s) => s.startsWith('2'));
        const success = Number(successes.includes('201') ? '201' : successes[0]);
        for (const [name, example] of Object.entries(examples)) {
          const url = `${api.url}${path.replace('{id}', ids[path] ?? '')}`;
          const response = await fetch(url, {
            method: method.toUpperCase(),
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(example.value),
          });
          const body = await response.text();
          expect({ example: `${method} ${path} ${name}`, status: response.status }).toEqual({
            example: `${method} ${path} ${name}`,
            status: success,
          });
          expect(body.length).toBeGreaterThan(0);
          posted++;
        }
      }
    }
    // every claim type's example, the batch, both forks, the branch's report, resume and seek
    expect(posted).toBeGreaterThanOrEqual(18 + 1 + 2 + 1 + 2);
  });

  it('names the store position and the football position apart, in every document', async () => {
    const params = { path: { player: 'leonardo-balerdi' }, query: { asOf: '2025-09-10' } };
    const { data: player } = await client.api.GET('/v1/players/{player}', { params });
    expect(player).toMatchObject({ position: 'CB', storePosition: await api.head() });
    // and so with an early knownAt, where the store position is still today's
    const early = await client.api.GET('/v1/players/{player}', {
      params: { path: { player: 'leonardo-balerdi' }, query: { knownAt: '2025-06-20' } },
    });
    expect(early.data).toMatchObject({ knownAt: '2025-06-20', storePosition: await api.head() });
    expect(early.data).not.toHaveProperty('position', expect.any(Number));
    const { data: depth } = await client.api.GET('/v1/clubs/{club}/squad-depth', {
      params: { path: { club: 'juventus' }, query: { asOf: '2025-07-01' } },
    });
    expect(depth?.positions.map((p) => p.position)).toContain('CB');
    expect(depth).not.toHaveProperty('position');
  });

  it('refuses unknown query parameters, naming each and what the endpoint takes', async () => {
    const response = await fetch(`${api.url}/v1/clubs/juventus/targets?asof=2025-06-20&asOf=2025-06-20&foo=1`);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as Json;
    expect(problem.errors.map((e: Json) => e.field)).toEqual(['asof', 'foo']);
    expect(problem.errors[0].reason).toContain('asOf, branch, knownAt, minPosition');
    // the read key in the URL (for EventSource) is known everywhere
    expect((await fetch(`${api.url}/v1/clubs?access_token=anything-at-all-long`)).status).toBe(200);
  });

  it('gives one shape to every source, disputes included', async () => {
    const { data } = await client.api.GET('/v1/players/{player}/timeline', {
      params: { path: { player: 'leonardo-balerdi' } },
    });
    const refs = (data?.timeline ?? []).flatMap((entry) => entry.contradicts ?? []);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(typeof ref.source === 'object' && typeof ref.source.name).toBe('string');
    const events = await client.api.GET('/v1/events', { params: { query: { limit: 1000 } } });
    const disputed = events.data!.events.filter((e) => Array.isArray(e.data.contradicts));
    expect(disputed.length).toBeGreaterThan(0);
    for (const event of disputed) {
      for (const ref of event.data.contradicts as Json[]) expect(typeof ref.source.name).toBe('string');
    }
  });

  it('follows live updates through the typed client and resumes after the last id it saw', async () => {
    const abort = new AbortController();
    const stream = client.liveUpdates({ club: 'juventus' }, { signal: abort.signal });
    const first = await stream.next();
    const opened = first.value as LiveMessage;
    // a club's stream opens with its three documents
    expect(opened).toMatchObject({ event: 'snapshot', data: { storePosition: await api.head() } });
    expect(opened.event === 'snapshot' && opened.data.changes.map((c) => c.model).sort()).toEqual([
      'outgoing',
      'squad-depth',
      'targets',
    ]);
    const recorded = await client.api.POST('/v1/reports', {
      body: {
        reportId: 'contract-live-1',
        source: { name: 'Tuttojuve' },
        publishedOn: '2025-07-20',
        // a new goalkeeper: today's squad depth changes, so an update follows
        claims: [
          {
            type: 'PlayerRegistered',
            player: 'contract-keeper',
            name: 'Contract Keeper',
            club: 'juventus',
            position: 'GK',
          },
        ],
      },
    });
    expect(recorded.response.status).toBe(201);
    const update = (await stream.next()).value;
    expect(update).toMatchObject({ event: 'update', id: String(recorded.data!.storePosition) });
    abort.abort();
    await stream.return(undefined);

    // a new stream resuming after the `snapshot` id gets the update it missed, not a reset
    const resumed = client.liveUpdates({ club: 'juventus' }, { lastEventId: opened.id });
    expect((await resumed.next()).value).toMatchObject({ event: 'update', id: update!.id });
    await resumed.return(undefined);
  });
});
