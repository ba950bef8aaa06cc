import { mkdtempSync, rmSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CLAIMS_PER_REPORT } from '@squad/reports';
import { MAX_REPORTS_PER_BATCH } from '../src/reports/reports.controller';
import { MAX_REPLAYS_PER_CLIENT } from '../src/replays/replays.service';
import { startServer } from './server-process';
import { SseClient } from './sse-client';
import { startTestApi, type TestApi } from './test-api';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const WRITE_KEY = 'write-key-0123456789abcdef';
const OTHER_WRITE_KEY = 'write-key-fedcba9876543210';
const READ_KEY = 'read-key-0123456789abcdef';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

let reportCount = 0;
/** A report that is valid and new each time (a player nobody has yet). */
function newReport(claims = 1) {
  const id = ++reportCount;
  return {
    reportId: `access-${id}`,
    source: { name: 'Access test' },
    publishedOn: '2025-07-01',
    claims: Array.from({ length: claims }, (_, i) => ({
      type: 'InterestDeclared',
      club: 'juventus',
      player: `access-prospect-${id}-${i}`,
      priority: 'medium',
    })),
  };
}

interface Operation {
  readonly method: string;
  readonly path: string;
}

/** Every operation the OpenAPI document lists, path parameters filled in: new endpoints are covered as they come. */
async function operations(api: TestApi, methods: string[]): Promise<Operation[]> {
  const doc = (await (await fetch(`${api.url}/docs-json`, { headers: bearer(READ_KEY) })).json()) as Json;
  const found: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const method of Object.keys(item)) {
      if (!methods.includes(method)) continue;
      const filled = path
        .replace(/\{club\}/g, 'juventus')
        .replace(/\{player\}/g, 'gleison-bremer')
        .replace(/\{[^}]+\}/g, 'access-test-unknown');
      found.push({ method: method.toUpperCase(), path: filled });
    }
  }
  return found;
}

/** A body the operation would accept: a new report for the report endpoints, an empty object elsewhere. */
function bodyFor(op: Operation): unknown {
  if (op.path === '/v1/reports') return newReport();
  if (op.path === '/v1/reports:batch') return { reports: [newReport()] };
  return op.method === 'DELETE' ? undefined : {};
}

function send(api: TestApi, op: Operation, headers: Record<string, string>, body = bodyFor(op)) {
  return fetch(`${api.url}${op.path}`, {
    method: op.method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function expectProblem(response: Response, status: number, code: string): Promise<Json> {
  expect({ status: response.status, type: response.headers.get('content-type') }).toEqual({
    status,
    type: expect.stringContaining('application/problem+json'),
  });
  const body = (await response.json()) as Json;
  expect(body).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String) });
  return body;
}

describe('writes need a write key (API_KEYS), reads stay open', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      SEED_ON_EMPTY: 'true',
      API_KEYS: `${WRITE_KEY},${OTHER_WRITE_KEY}`,
      BODY_LIMIT_BYTES: '65536',
      WRITE_RATE_LIMIT: '100000',
    });
  });
  afterAll(() => api.close());

  it('refuses every write without a key, with a wrong key and with the key in the URL: 401, nothing written', async () => {
    // replays are created and steered with POST and DELETE but write nothing: they are guarded as reads (below)
    const all = await operations(api, ['post', 'put', 'patch', 'delete']);
    const writes = all.filter((op) => !op.path.startsWith('/v1/replays'));
    expect(all.length - writes.length).toBeGreaterThanOrEqual(5);
    expect(writes).toEqual(
      expect.arrayContaining([
        { method: 'POST', path: '/v1/reports' },
        { method: 'POST', path: '/v1/reports:batch' },
      ]),
    );
    const head = await api.head();
    const wrongKeys = [
      'nope',
      WRITE_KEY.slice(0, -1),
      `${WRITE_KEY}x`,
      WRITE_KEY.toUpperCase(),
      READ_KEY,
      `${WRITE_KEY} ${WRITE_KEY}`,
    ];
    for (const op of writes) {
      const missing = await expectProblem(await send(api, op, {}), 401, 'API_KEY_REQUIRED');
      expect(missing.detail).toContain('Authorization');
      for (const key of wrongKeys) {
        const response = await send(api, op, bearer(key));
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="squad-planner", error="invalid_token"');
        await expectProblem(response, 401, 'API_KEY_INVALID');
      }
      await expectProblem(await send(api, op, { authorization: WRITE_KEY }), 401, 'API_KEY_REQUIRED'); // no scheme
      await expectProblem(
        await send(api, op, { authorization: `Basic ${Buffer.from(`x:${WRITE_KEY}`).toString('base64')}` }),
        401,
        'API_KEY_REQUIRED',
      );
      // a key in the URL or a cookie never authorises a write
      await expectProblem(
        await send(api, { ...op, path: `${op.path}?access_token=${WRITE_KEY}` }, {}),
        401,
        'API_KEY_REQUIRED',
      );
      await expectProblem(await send(api, op, { cookie: `squad_api_key=${WRITE_KEY}` }), 401, 'API_KEY_REQUIRED');
    }
    expect(await api.head()).toBe(head);
  });

  it('records with a write key (either one, Bearer in any case)', async () => {
    const head = await api.head();
    const withoutKey = await api.post('/v1/reports', newReport());
    expect(withoutKey.status).toBe(401);
    const recorded = await fetch(`${api.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(WRITE_KEY) },
      body: JSON.stringify(newReport(2)),
    });
    expect(recorded.status).toBe(201);
    const batch = await fetch(`${api.url}/v1/reports:batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `bearer ${OTHER_WRITE_KEY}` },
      body: JSON.stringify({ reports: [newReport(), newReport()] }),
    });
    expect(batch.status).toBe(200);
    expect(((await batch.json()) as Json).summary).toEqual({ recorded: 2, alreadyPresent: 0, rejected: 0 });
    expect(await api.head()).toBe(head + 4);
  });

  it('keeps reads, live streams, health, the dashboard and the docs open', async () => {
    for (const path of [
      '/v1/clubs',
      '/v1/clubs/juventus/squad-depth',
      '/v1/events',
      '/health',
      '/',
      '/app.js',
      '/docs',
      '/docs-json',
    ]) {
      const response = await fetch(`${api.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
    }
    const stream = await SseClient.open(`${api.url}/v1/clubs/juventus/updates`);
    try {
      expect(stream.status).toBe(200);
      await stream.until('the snapshot', () => stream.messages.length >= 1);
    } finally {
      stream.close();
    }
  });

  it('refuses a body over BODY_LIMIT_BYTES with 413, writing nothing', async () => {
    const head = await api.head();
    const report = { ...newReport(), source: { name: 'x'.repeat(70_000) } };
    const response = await fetch(`${api.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(WRITE_KEY) },
      body: JSON.stringify(report),
    });
    await expectProblem(response, 413, 'BODY_TOO_LARGE');
    const batch = await fetch(`${api.url}/v1/reports:batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(WRITE_KEY) },
      body: JSON.stringify({ reports: Array.from({ length: 300 }, () => newReport(2)) }),
    });
    await expectProblem(batch, 413, 'BODY_TOO_LARGE');
    expect(await api.head()).toBe(head);
  });

  it(`caps claims per report at ${MAX_CLAIMS_PER_REPORT} and reports per batch at ${MAX_REPORTS_PER_BATCH}: 400 naming the field, nothing written`, async () => {
    const head = await api.head();
    const post = (path: string, body: unknown) =>
      fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(WRITE_KEY) },
        body: JSON.stringify(body),
      });

    const tooManyClaims = await expectProblem(
      await post('/v1/reports', newReport(MAX_CLAIMS_PER_REPORT + 1)),
      400,
      'INVALID_REQUEST',
    );
    expect(tooManyClaims.errors).toEqual([
      { field: 'claims', reason: expect.stringContaining(String(MAX_CLAIMS_PER_REPORT)) },
    ]);

    // a compact invalid report, so the batch stays under the body limit: the cap is checked first
    const tooManyReports = await expectProblem(
      await post('/v1/reports:batch', { reports: Array.from({ length: MAX_REPORTS_PER_BATCH + 1 }, () => ({})) }),
      400,
      'INVALID_REQUEST',
    );
    expect(tooManyReports.errors).toEqual([
      {
        field: 'reports',
        reason: `a batch holds 1 to ${MAX_REPORTS_PER_BATCH} reports, got ${MAX_REPORTS_PER_BATCH + 1}`,
      },
    ]);
    expect(await api.head()).toBe(head);

    // right at the cap is fine
    expect((await post('/v1/reports', newReport(MAX_CLAIMS_PER_REPORT))).status).toBe(201);
    expect(await api.head()).toBe(head + MAX_CLAIMS_PER_REPORT);
  });

  it('sends security headers on pages, JSON, problems and live streams', async () => {
    const stream = await SseClient.open(`${api.url}/v1/updates`);
    stream.close();
    const answers = [
      await fetch(`${api.url}/`),
      await fetch(`${api.url}/v1/clubs`),
      await fetch(`${api.url}/v1/nothing-here`),
    ];
    const headerSets = [...answers.map((r) => Object.fromEntries(r.headers.entries())), stream.response.headers];
    for (const headers of headerSets) {
      expect(headers).toMatchObject({
        'content-security-policy': expect.stringContaining("default-src 'self'"),
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'strict-transport-security': expect.stringContaining('max-age='),
      });
      // the dashboard needs nothing inline and nothing from elsewhere
      expect(headers['content-security-policy']).toContain("script-src 'self';");
      expect(headers['content-security-policy']).not.toContain('unsafe');
      expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    }
    // Swagger UI's page has inline styles: allowed there only
    expect((await fetch(`${api.url}/docs`)).headers.get('content-security-policy')).toContain(
      "style-src 'self' 'unsafe-inline'",
    );
  });

  it('takes only JSON bodies: other content types get 415, invalid UTF-8 gets 400', async () => {
    const head = await api.head();
    const post = (type: string, body: string | Buffer) =>
      fetch(`${api.url}/v1/reports`, { method: 'POST', headers: { 'content-type': type, ...bearer(WRITE_KEY) }, body });
    const report = JSON.stringify(newReport());
    const wrongType = await expectProblem(await post('text/plain', report), 415, 'UNSUPPORTED_MEDIA_TYPE');
    // the answer names the type to send instead
    expect(wrongType).toMatchObject({ acceptedContentTypes: ['application/json'] });
    expect(wrongType.detail).toContain('Content-Type: application/json');
    await expectProblem(await post('application/x-www-form-urlencoded', 'reportId=x'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectProblem(await post('application/json', '{"reportId":'), 400, 'MALFORMED_JSON');
    const latin1 = Buffer.from(report.replace('Access test', 'Acc\u00e8s test'), 'latin1');
    await expectProblem(await post('application/json', latin1), 400, 'INVALID_UTF8');
    // an empty body labelled JSON is no body: refused where one is needed, naming what is missing
    const empty = await expectProblem(await post('application/json', ''), 400, 'INVALID_REQUEST');
    expect(empty.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: expect.any(String), reason: expect.any(String) })]),
    );
    expect(await api.head()).toBe(head);
    // ...and accepted where none is (steering a replay)
    const replay = (await (
      await fetch(`${api.url}/v1/replays`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(WRITE_KEY) },
        body: JSON.stringify({ from: '2025-06-01', to: '2025-06-30', speed: 'step' }),
      })
    ).json()) as Json;
    const pause = await fetch(`${api.url}/v1/replays/${replay.id}/pause`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(WRITE_KEY) },
      body: '',
    });
    expect({ status: pause.status, state: ((await pause.json()) as Json).state }).toEqual({
      status: 200,
      state: 'paused',
    });
  });
});

/** The query a read cannot be answered without, for the reads that have one. */
function requiredQuery(path: string): string | undefined {
  if (path === '/v1/players') return 'search=rugani';
  if (path.endsWith('/changes')) return 'since=2025-06-01';
  return undefined;
}

describe('reads need a key when READ_API_KEYS is set', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true', API_KEYS: WRITE_KEY, READ_API_KEYS: READ_KEY });
  });
  afterAll(() => api.close());

  it('refuses every read without a key or with a wrong one, and serves it with a key in the header, the query or the cookie', async () => {
    const reads = (await operations(api, ['get'])).filter((op) => !op.path.startsWith('/health'));
    expect(reads.map((op) => op.path)).toEqual(
      expect.arrayContaining(['/v1/clubs', '/v1/events', '/v1/clubs/juventus/squad-depth']),
    );
    for (const op of reads.filter((r) => !r.path.endsWith('updates'))) {
      await expectProblem(await fetch(`${api.url}${op.path}`), 401, 'API_KEY_REQUIRED');
      await expectProblem(
        await fetch(`${api.url}${op.path}`, { headers: bearer('wrong-key-0123456789abcdef') }),
        401,
        'API_KEY_INVALID',
      );
      await expectProblem(
        await fetch(`${api.url}${op.path}?access_token=wrong-key-0123456789abcdef`),
        401,
        'API_KEY_INVALID',
      );
      for (const [how, init, query] of [
        ['read key in header', { headers: bearer(READ_KEY) }, ''],
        ['write key in header', { headers: bearer(WRITE_KEY) }, ''],
        ['read key in query', {}, `?access_token=${READ_KEY}`],
        ['read key in cookie', { headers: { cookie: `theme=dark; squad_api_key=${READ_KEY}` } }, ''],
      ] as const) {
        // the reads with a required query parameter: the player search its text, the changes their start
        const required = requiredQuery(op.path);
        const search = required ? `${query ? '&' : '?'}${required}` : '';
        const response = await fetch(`${api.url}${op.path}${query}${search}`, init);
        // admitted: answered (a made-up id in the path may be unknown), not refused
        expect({ path: op.path, how, status: response.status }).toEqual({
          path: op.path,
          how,
          status: op.path.includes('access-test-unknown') ? expect.any(Number) : 200,
        });
        expect([401, 403]).not.toContain(response.status);
      }
    }
  });

  it('opens live streams only with a key: the query token (EventSource) or the cookie', async () => {
    for (const path of ['/v1/clubs/juventus/updates', '/v1/updates']) {
      await expectProblem(await fetch(`${api.url}${path}`), 401, 'API_KEY_REQUIRED');
      for (const [query, headers] of [
        [`?access_token=${READ_KEY}`, {}],
        ['', { cookie: `squad_api_key=${READ_KEY}` }],
        ['', bearer(READ_KEY)],
      ] as const) {
        const stream = await SseClient.open(`${api.url}${path}${query}`, headers);
        try {
          expect(stream.status).toBe(200);
          await stream.until('the first message', () => stream.messages.length >= 1);
        } finally {
          stream.close();
        }
      }
    }
  });

  it('lets a read key read but not write (403), and keeps health, the dashboard files and the docs open', async () => {
    const head = await api.head();
    const response = await fetch(`${api.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(READ_KEY) },
      body: JSON.stringify(newReport()),
    });
    await expectProblem(response, 403, 'API_KEY_READ_ONLY');
    expect(await api.head()).toBe(head);
    for (const path of ['/health', '/health/live', '/', '/app.js', '/styles.css', '/docs', '/docs-json']) {
      const open = await fetch(`${api.url}${path}`);
      expect({ path, status: open.status }).toEqual({ path, status: 200 });
    }
  });
});

describe('replays are reads: they write nothing', () => {
  const replay = { from: '2025-06-01', to: '2025-06-30', speed: 'step' };
  const create = (api: TestApi, headers: Record<string, string>) =>
    fetch(`${api.url}/v1/replays`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(replay),
    });

  it('need a key when READ_API_KEYS is set, a read key is enough, and steering one does not count against the write rate limit', async () => {
    const api = await startTestApi({
      SEED_ON_EMPTY: 'true',
      API_KEYS: WRITE_KEY,
      READ_API_KEYS: READ_KEY,
      WRITE_RATE_LIMIT: '1',
    });
    try {
      const head = await api.head();
      await expectProblem(await create(api, {}), 401, 'API_KEY_REQUIRED');
      const created = await create(api, bearer(READ_KEY));
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as Json;
      for (let i = 0; i < 3; i++) {
        const paused = await fetch(`${api.url}/v1/replays/${id}/pause`, { method: 'POST', headers: bearer(READ_KEY) });
        expect(paused.status).toBe(200);
      }
      expect((await fetch(`${api.url}/v1/replays/${id}`, { method: 'DELETE', headers: bearer(READ_KEY) })).status).toBe(
        204,
      );
      expect(await api.head()).toBe(head);
      // the write budget (1 a minute) is untouched: the write key still records one report
      const recorded = await fetch(`${api.url}/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(WRITE_KEY) },
        body: JSON.stringify(newReport()),
      });
      expect(recorded.status).toBe(201);
    } finally {
      await api.close();
    }
  });

  it(`caps the replays one client holds at ${MAX_REPLAYS_PER_CLIENT} (429), each key and address on its own; deleting one frees its place`, async () => {
    const api = await startTestApi({ SEED_ON_EMPTY: 'true', API_KEYS: WRITE_KEY, READ_API_KEYS: READ_KEY });
    try {
      const ids: string[] = [];
      for (let i = 0; i < MAX_REPLAYS_PER_CLIENT; i++) {
        const created = await create(api, bearer(READ_KEY));
        expect(created.status).toBe(201);
        ids.push(((await created.json()) as Json).id);
      }
      const refused = await expectProblem(await create(api, bearer(READ_KEY)), 429, 'REPLAY_LIMIT');
      expect(refused).toMatchObject({ limit: MAX_REPLAYS_PER_CLIENT });
      expect((await create(api, bearer(WRITE_KEY))).status).toBe(201);
      expect(
        (await fetch(`${api.url}/v1/replays/${ids[0]}`, { method: 'DELETE', headers: bearer(READ_KEY) })).status,
      ).toBe(204);
      expect((await create(api, bearer(READ_KEY))).status).toBe(201);
    } finally {
      await api.close();
    }
  });
});

describe('write rate limit (WRITE_RATE_LIMIT per minute per key)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ API_KEYS: `${WRITE_KEY},${OTHER_WRITE_KEY}`, WRITE_RATE_LIMIT: '3' });
  });
  afterAll(() => api.close());

  it('answers 429 with Retry-After past the limit, writing nothing, and counts each key on its own; reads are not limited', async () => {
    const post = (key: string, path = '/v1/reports', body: unknown = newReport()) =>
      fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(key) },
        body: JSON.stringify(body),
      });
    // every write counts, whatever its outcome and endpoint (a batch counts once)
    expect((await post(WRITE_KEY)).status).toBe(201);
    expect((await post(WRITE_KEY, '/v1/reports', { nonsense: true })).status).toBe(400);
    expect((await post(WRITE_KEY, '/v1/reports:batch', { reports: [newReport(), newReport()] })).status).toBe(200);
    const head = await api.head();

    const limited = await post(WRITE_KEY);
    const problem = await expectProblem(limited, 429, 'WRITE_RATE_LIMITED');
    expect(problem).toMatchObject({ limit: 3, retryAfterSeconds: expect.any(Number) });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await api.head()).toBe(head);

    // a refused key is refused before the limit counts, and another key has its own budget
    await expectProblem(await post('wrong-key-0123456789abcdef'), 401, 'API_KEY_INVALID');
    const other = await post(OTHER_WRITE_KEY);
    expect(other.status).toBe(201);
    expect(other.headers.get('x-ratelimit-remaining')).toBe('2');
    for (let i = 0; i < 10; i++) expect((await fetch(`${api.url}/v1/events`)).status).toBe(200);
  });
});

describe('clients behind a proxy (TRUST_PROXY)', () => {
  const post = (api: TestApi, forwardedFor: string) =>
    fetch(`${api.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify(newReport()),
    });

  it('counts anonymous writers by their forwarded address when the proxy is trusted, and by the peer address when it is not', async () => {
    const trusting = await startTestApi({ WRITE_RATE_LIMIT: '1', TRUST_PROXY: '127.0.0.1' });
    try {
      expect((await post(trusting, '203.0.113.1')).status).toBe(201);
      expect((await post(trusting, '203.0.113.2')).status).toBe(201); // another client behind the proxy
      await expectProblem(await post(trusting, '203.0.113.1'), 429, 'WRITE_RATE_LIMITED');
    } finally {
      await trusting.close();
    }
    const untrusting = await startTestApi({ WRITE_RATE_LIMIT: '1' });
    try {
      expect((await post(untrusting, '203.0.113.1')).status).toBe(201);
      // a forged header does not buy a new budget: the peer is one client
      await expectProblem(await post(untrusting, '203.0.113.2'), 429, 'WRITE_RATE_LIMITED');
    } finally {
      await untrusting.close();
    }
  });
});

describe('live connections per client (LIVE_MAX_CONNECTIONS_PER_CLIENT)', () => {
  let api: TestApi;
  const streams: SseClient[] = [];
  beforeAll(async () => {
    api = await startTestApi({
      SEED_ON_EMPTY: 'true',
      API_KEYS: `${WRITE_KEY},${OTHER_WRITE_KEY}`,
      LIVE_MAX_CONNECTIONS_PER_CLIENT: '2',
    });
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await api.close();
  });
  const open = async (path: string, headers: Record<string, string> = {}) => {
    const stream = await SseClient.open(`${api.url}${path}`, headers);
    streams.push(stream);
    expect(stream.status).toBe(200);
    await stream.until('the first message', () => stream.messages.length >= 1);
    return stream;
  };
  const subscribers = async () => {
    const { subscribers: s } = (await (await fetch(`${api.url}/v1/updates/status`)).json()) as Json;
    return s.club + s.all;
  };

  it('refuses a client past the cap with 429, counts by key when the request carries one and by address otherwise, and frees the slot when a stream closes', async () => {
    const first = await open('/v1/clubs/juventus/updates', bearer(WRITE_KEY));
    await open('/v1/updates', bearer(WRITE_KEY));
    const refused = await expectProblem(
      await fetch(`${api.url}/v1/clubs/marseille/updates`, { headers: bearer(WRITE_KEY) }),
      429,
      'LIVE_CONNECTION_LIMIT',
    );
    expect(refused).toMatchObject({ limit: 2 });

    // another key, and the address without a key (or with a key nobody knows), have their own slots
    await open('/v1/clubs/juventus/updates', bearer(OTHER_WRITE_KEY));
    await open('/v1/clubs/juventus/updates');
    await open('/v1/clubs/juventus/updates', bearer('unknown-key-0123456789abcdef'));
    await expectProblem(await fetch(`${api.url}/v1/updates`), 429, 'LIVE_CONNECTION_LIMIT');
    expect(await subscribers()).toBe(5);

    // closing a stream gives its slot back once the server has seen the close
    first.close();
    const deadline = Date.now() + 5000;
    while ((await subscribers()) !== 4) {
      if (Date.now() > deadline) throw new Error('the closed stream was never released');
      await new Promise((resolve) => setImmediate(resolve));
    }
    await open('/v1/clubs/marseille/updates', bearer(WRITE_KEY));
  });

  it('frees the slot of a client that leaves while its resume waits for a position not reached yet', async () => {
    const slots = async () =>
      ((await (await fetch(`${api.url}/v1/updates/status`)).json()) as Json).streamSlots as number;
    const until = async (what: string, check: () => Promise<boolean>) => {
      const deadline = Date.now() + 5000;
      while (!(await check())) if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    };
    const before = await slots();
    const leaving: ClientRequest = request(`${api.url}/v1/clubs/juventus/updates`, {
      headers: { ...bearer(OTHER_WRITE_KEY), 'last-event-id': String((await api.head()) + 1) },
    });
    leaving.on('error', () => undefined);
    leaving.end();
    await until('the resume to wait, holding a slot', async () => (await slots()) === before + 1);
    leaving.destroy();
    // the position arrives: the stream opens on a response whose client is gone, and must close at once
    const recorded = await fetch(`${api.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(WRITE_KEY) },
      body: JSON.stringify(newReport()),
    });
    expect(recorded.status).toBe(201);
    await until('the slot of the client that left to be freed', async () => (await slots()) === before);
  });
});

describe('replay streams share the per-client stream cap', () => {
  it('counts a replay stream like a live one: past the cap 429, and its slot comes back when it closes', async () => {
    const api = await startTestApi({ SEED_ON_EMPTY: 'true', LIVE_MAX_CONNECTIONS_PER_CLIENT: '2' });
    const streams: SseClient[] = [];
    try {
      const replayStream = async () => {
        const created = (await (
          await api.post('/v1/replays', { from: '2025-06-01', to: '2025-06-30', speed: 'step' })
        ).json()) as Json;
        return `${api.url}/v1/replays/${created.id}/stream`;
      };
      const live = await SseClient.open(`${api.url}/v1/updates`);
      streams.push(live);
      const replay = await SseClient.open(await replayStream());
      streams.push(replay);
      expect([live.status, replay.status]).toEqual([200, 200]);
      const slots = async () =>
        ((await (await fetch(`${api.url}/v1/updates/status`)).json()) as Json).streamSlots as number;
      expect(await slots()).toBe(2);
      await expectProblem(await fetch(await replayStream()), 429, 'LIVE_CONNECTION_LIMIT');
      await expectProblem(await fetch(`${api.url}/v1/clubs/juventus/updates`), 429, 'LIVE_CONNECTION_LIMIT');
      replay.close();
      const deadline = Date.now() + 5000;
      while ((await slots()) !== 1) {
        if (Date.now() > deadline) throw new Error('the closed replay stream was never released');
        await new Promise((resolve) => setImmediate(resolve));
      }
      const again = await SseClient.open(await replayStream());
      streams.push(again);
      expect(again.status).toBe(200);
    } finally {
      for (const stream of streams) stream.close();
      await api.close();
    }
  });
});

describe('access mode in the log', () => {
  it('says at start, in one warn line, that writes are open without keys; with keys it names counts only, and no key reaches any log line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'squad-access-'));
    try {
      const open = startServer({
        PORT: '0',
        HOST: '127.0.0.1',
        SQLITE_PATH: join(dir, 'open.db'),
        SEED_ON_EMPTY: 'false',
      });
      const warned = await open.waitForLog((l) => l.context === 'access');
      expect(warned).toMatchObject({
        level: 'warn',
        mode: 'local-development',
        writes: 'open',
        msg: expect.stringContaining('writes are open'),
      });
      const listening = await open.waitForLog((l) => l.msg === 'squad planner listening');
      const response = await fetch(`${listening.url as string}/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newReport()),
      });
      expect(response.status).toBe(201);
      open.child.kill('SIGTERM');
      await open.exited;
      expect(open.lines.filter((l) => l.level === 'warn' && l.context === 'access')).toHaveLength(1);

      const closed = startServer({
        PORT: '0',
        HOST: '127.0.0.1',
        SQLITE_PATH: join(dir, 'closed.db'),
        SEED_ON_EMPTY: 'false',
        API_KEYS: WRITE_KEY,
        READ_API_KEYS: READ_KEY,
      });
      const mode = await closed.waitForLog((l) => l.context === 'access');
      expect(mode).toMatchObject({ level: 'info', mode: 'keys', writes: 'key', reads: 'key' });
      const url = (await closed.waitForLog((l) => l.msg === 'squad planner listening')).url as string;
      expect((await fetch(`${url}/v1/clubs?access_token=${READ_KEY}`)).status).toBe(200);
      expect((await fetch(`${url}/v1/events?access_token=${WRITE_KEY}&limit=1`)).status).toBe(200);
      await closed.waitForLog(
        (l) => typeof (l.req as Json)?.url === 'string' && (l.req as Json).url.includes('limit=1'),
      );
      closed.child.kill('SIGTERM');
      const { stderr } = await closed.exited;
      const everything = JSON.stringify(closed.lines) + stderr;
      expect(everything).toContain('access_token=[redacted]');
      expect(everything).not.toContain(READ_KEY);
      expect(everything).not.toContain(WRITE_KEY);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('replays belong to the client that created them', () => {
  const OTHER_READ_KEY = 'read-key-fedcba9876543210';

  it('answers another key as for an unknown replay: it cannot read, stream, steer or delete it', async () => {
    const api = await startTestApi({
      SEED_ON_EMPTY: 'true',
      API_KEYS: WRITE_KEY,
      READ_API_KEYS: `${READ_KEY},${OTHER_READ_KEY}`,
    });
    try {
      const created = await fetch(`${api.url}/v1/replays`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(READ_KEY) },
        body: JSON.stringify({ from: '2025-06-01', to: '2025-06-30', speed: 'step' }),
      });
      const { id } = (await created.json()) as Json;
      const as = (key: string, method: string, path = '') =>
        fetch(`${api.url}/v1/replays/${id}${path}`, { method, headers: bearer(key) });
      for (const [method, path] of [
        ['GET', ''],
        ['GET', '/stream'],
        ['POST', '/pause'],
        ['POST', '/step'],
        ['DELETE', ''],
      ] as const) {
        await expectProblem(await as(OTHER_READ_KEY, method, path), 404, 'UNKNOWN_REPLAY');
      }
      expect((await as(READ_KEY, 'POST', '/pause')).status).toBe(200);
      expect((await as(READ_KEY, 'DELETE')).status).toBe(204);
    } finally {
      await api.close();
    }
  });
});

describe('HEAD on a live or replay stream', () => {
  it('answers with the stream headers and ends, without opening a stream or taking a slot', async () => {
    const api = await startTestApi({ SEED_ON_EMPTY: 'true', LIVE_MAX_CONNECTIONS_PER_CLIENT: '1' });
    try {
      const created = (await (
        await api.post('/v1/replays', { from: '2025-06-01', to: '2025-06-30', speed: 'step' })
      ).json()) as Json;
      for (const path of ['/v1/updates', '/v1/clubs/juventus/updates', `/v1/replays/${created.id}/stream`]) {
        const head = await fetch(`${api.url}${path}`, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
        expect({ path, status: head.status, type: head.headers.get('content-type') }).toEqual({
          path,
          status: 200,
          type: 'text/event-stream; charset=utf-8',
        });
      }
      const status = (await (await fetch(`${api.url}/v1/updates/status`)).json()) as Json;
      expect(status.streamSlots).toBe(0);
      // checked as a GET would be: an unknown club is 404
      expect((await fetch(`${api.url}/v1/clubs/nowhere/updates`, { method: 'HEAD' })).status).toBe(404);
      // the one slot is free for a real stream
      const live = await SseClient.open(`${api.url}/v1/updates`);
      expect(live.status).toBe(200);
      live.close();
    } finally {
      await api.close();
    }
  });
});
