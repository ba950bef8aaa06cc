import type { components } from '@squad/client';
import type { BatchRecorded, Problem, Report } from '@squad/client';
import { CLAIM_TYPES } from '@squad/domain';
import { exampleReport } from '@squad/reports';
import { startTestApi, type TestApi } from './test-api';

/** Sent as it is, though the types refuse it: the service must refuse it too (a client without the types could send it). */
const untyped = <T>(body: unknown) => body as T;

/** The problem of a rejected report of a batch. */
const problemOf = (result: BatchRecorded['results'][number] | undefined): Problem | undefined =>
  result && 'problem' in result ? result.problem : undefined;

const balerdiAtMarseille: Report = {
  reportId: 'baseline-balerdi',
  source: { name: 'Squad Planner baseline' },
  publishedOn: '2025-06-01',
  claims: [
    {
      type: 'PlayerRegistered',
      player: 'leonardo-balerdi',
      name: 'Leonardo Balerdi',
      club: 'marseille',
      position: 'CB',
    },
  ],
};

const transfer = (reportId: string): Report => ({
  reportId,
  source: { name: 'Fabrizio' },
  publishedOn: '2025-08-30',
  claims: [
    {
      type: 'TransferCompleted',
      player: 'leonardo-balerdi',
      fromClub: 'marseille',
      toClub: 'juventus',
      feeEur: 30_000_000,
    },
  ],
});

describe('POST /v1/reports', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi({ BODY_LIMIT_BYTES: '65536' });
  });
  afterEach(() => api.close());

  it('records every claim as an event and lists them with stream and global position', async () => {
    const { data: body, response } = await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'tuttojuve-2025-06-17-balerdi',
        source: { name: 'Tuttojuve', url: 'https://www.tuttojuve.com/' },
        publishedOn: '2025-06-17',
        claims: [
          { type: 'InterestDeclared', club: 'juventus', player: 'leonardo-balerdi', priority: 'top' },
          { type: 'PlayerInjured', player: 'gleison-bremer', effectiveOn: '2025-06-10' },
        ],
      },
    });
    expect(response.status).toBe(201);
    expect(body).toMatchObject({ reportId: 'tuttojuve-2025-06-17-balerdi', status: 'recorded', storePosition: 2 });
    expect(body?.events).toEqual([
      expect.objectContaining({
        type: 'InterestDeclared',
        stream: 'ledger-main',
        revision: 0,
        storePosition: 1,
        data: { club: 'juventus', player: 'leonardo-balerdi', priority: 'top', effectiveOn: '2025-06-17' },
        metadata: expect.objectContaining({
          reportId: 'tuttojuve-2025-06-17-balerdi',
          source: { name: 'Tuttojuve', url: 'https://www.tuttojuve.com/' },
          publishedOn: '2025-06-17',
          publishedOnApprox: false,
        }),
      }),
      expect.objectContaining({
        type: 'PlayerInjured',
        storePosition: 2,
        data: { player: 'gleison-bremer', effectiveOn: '2025-06-10' },
      }),
    ]);

    const { data: log } = await api.client.api.GET('/v1/events');
    expect(log?.events.map((e) => e.id)).toEqual(body?.events.map((e) => e.id));
  });

  it('accepts the documented example of every claim type', async () => {
    for (const type of CLAIM_TYPES) {
      // the domain's claim types are wider than the document's (disputedType may name any claim type there)
      const { response } = await api.client.api.POST('/v1/reports', { body: exampleReport(type) as Report });
      expect({ type, status: response.status }).toEqual({ type, status: 201 });
    }
    expect(await api.head()).toBe(CLAIM_TYPES.length);
  });

  it('answers a repeated report with the original events and writes nothing', async () => {
    const { data: first } = await api.client.api.POST('/v1/reports', { body: balerdiAtMarseille });
    const reordered: Report = {
      claims: balerdiAtMarseille.claims,
      publishedOn: '2025-06-01',
      source: { name: 'Squad Planner baseline' },
      reportId: 'baseline-balerdi',
      publishedOnApprox: false,
    };

    const again = await api.client.api.POST('/v1/reports', { body: reordered });
    expect(again.response.status).toBe(200);
    expect(again.data).toEqual({ ...first, status: 'already-recorded' });
    expect(await api.head()).toBe(1);
  });

  it('refuses the same reportId with other content with 409 naming the report', async () => {
    await api.client.api.POST('/v1/reports', { body: balerdiAtMarseille });
    const { error: problem, response } = await api.client.api.POST('/v1/reports', {
      body: { ...balerdiAtMarseille, publishedOn: '2025-06-02' },
    });

    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(problem).toMatchObject({ status: 409, code: 'REPORT_ID_CONFLICT', errors: [{ field: 'reportId' }] });
    expect(problem?.detail).toContain('"baseline-balerdi"');
    expect(await api.head()).toBe(1);
  });

  const badReports: [string, Record<string, unknown>, { field: string; reason: RegExp }][] = [
    [
      'an unknown claim type, listing the known ones',
      { claims: [{ type: 'PlayerSold', player: 'x' }] },
      {
        field: 'claims[0].type',
        reason: /unknown claim type "PlayerSold"; known types: PlayerRegistered, .*ClaimDisputed/,
      },
    ],
    [
      'an unknown position',
      { claims: [{ type: 'PlayerRegistered', player: 'x', name: 'X', club: 'juventus', position: 'SW' }] },
      { field: 'claims[0].position', reason: /GK, RB, CB/ },
    ],
    ['a date that does not exist', { publishedOn: '2025-02-30' }, { field: 'publishedOn', reason: /YYYY-MM-DD/ }],
    ['a missing publishedOn', { publishedOn: undefined }, { field: 'publishedOn', reason: /YYYY-MM-DD/ }],
    [
      'a bad effectiveOn',
      { claims: [{ type: 'PlayerReturnedFromInjury', player: 'gleison-bremer', effectiveOn: '04/09/2025' }] },
      { field: 'claims[0].effectiveOn', reason: /YYYY-MM-DD/ },
    ],
    [
      'a club that is not a slug',
      { claims: [{ type: 'InterestDeclared', club: 'Juventus FC', player: 'leonardo-balerdi' }] },
      { field: 'claims[0].club', reason: /lower-case slug/ },
    ],
    [
      'an unexpected field',
      { claims: [{ type: 'PlayerReturnedFromInjury', player: 'gleison-bremer', fitness: 'good' }] },
      { field: 'claims[0].fitness', reason: /should not exist/ },
    ],
    [
      'a negative bid',
      {
        claims: [
          { type: 'BidSubmitted', club: 'juventus', player: 'leonardo-balerdi', toClub: 'marseille', amountEur: -5 },
        ],
      },
      { field: 'claims[0].amountEur', reason: /not be less than 0/ },
    ],
    ['no claims', { claims: [] }, { field: 'claims', reason: /at least 1/ }],
    ['a missing source', { source: undefined }, { field: 'source', reason: /.+/ }],
    ['a non-object claim', { claims: ['InterestDeclared'] }, { field: 'claims[0]', reason: /JSON object/ }],
  ];
  it.each(badReports)('refuses %s with 400 problem details and writes nothing', async (_, change, expected) => {
    await api.client.api.POST('/v1/reports', { body: balerdiAtMarseille });
    const { error: problem, response } = await api.client.api.POST('/v1/reports', {
      body: untyped<Report>({ ...balerdiAtMarseille, reportId: 'bad', ...change }),
    });

    expect(response.status).toBe(400);
    expect(problem).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400, code: 'INVALID_REQUEST' });
    expect(problem?.errors).toContainEqual({ field: expected.field, reason: expect.stringMatching(expected.reason) });
    expect(await api.head()).toBe(1);
  });

  it('refuses malformed JSON and a body over the limit as problems, writing nothing', async () => {
    // raw: malformed JSON and an oversized body are what the typed client never sends
    const malformed = await fetch(`${api.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"reportId":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ status: 400, errors: [{ field: 'body' }] });

    const huge = await fetch(`${api.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...balerdiAtMarseille, source: { name: 'x'.repeat(70_000) } }),
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    expect(await huge.json()).toMatchObject({ status: 413, title: 'Content Too Large' });
    expect(await api.head()).toBe(0);
  });

  it('refuses a report breaking an invariant, whole, with 409', async () => {
    await api.client.api.POST('/v1/reports', { body: balerdiAtMarseille });
    const { error, response } = await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'half-bad',
        source: { name: 'Rumour' },
        publishedOn: '2025-07-01',
        claims: [
          { type: 'InterestDeclared', club: 'juventus', player: 'leonardo-balerdi' },
          { type: 'TransferCompleted', player: 'leonardo-balerdi', fromClub: 'ajax', toClub: 'juventus' },
        ],
      },
    });
    expect(response.status).toBe(409);
    expect(error).toMatchObject({
      code: 'PLAYER_NOT_AT_CLUB',
      errors: [{ field: 'claims[1].fromClub' }],
    });
    expect(await api.head()).toBe(1);
  });

  it('takes a released player out of his squad and says so on his page; a back-dated move breaking a later one is a 409', async () => {
    const report = (reportId: string, publishedOn: string, claims: components['schemas']['Claim'][]) => ({
      reportId,
      source: { name: 'Test desk', kind: 'outlet' as const },
      publishedOn,
      claims,
    });
    const player = 'test-released-player';
    await api.client.api.POST('/v1/reports', {
      body: report('rel-1', '2025-01-01', [
        { type: 'PlayerRegistered', player, name: 'Test Player', club: 'test-fc', position: 'ST' },
      ]),
    });
    await api.client.api.POST('/v1/reports', {
      body: report('rel-2', '2025-03-01', [{ type: 'PlayerReleased', player, fromClub: 'test-fc', reason: 'ban' }]),
    });
    const { data: page } = await api.client.api.GET('/v1/players/{player}', {
      params: { path: { player }, query: { asOf: '2025-04-01' } },
    });
    expect(page).toMatchObject({
      status: 'without-club',
      leftFootball: { reason: 'ban', fromClub: 'test-fc', on: '2025-03-01' },
    });
    const { data: depth } = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
      params: { path: { club: 'test-fc' }, query: { asOf: '2025-04-01' } },
    });
    expect(depth!.totals.registered).toBe(0);
    // sold on 1 February would leave him at another club when test-fc released him
    const { error, response } = await api.client.api.POST('/v1/reports', {
      body: report('rel-3', '2025-05-01', [
        { type: 'TransferCompleted', player, fromClub: 'test-fc', toClub: 'other-fc', effectiveOn: '2025-02-01' },
      ]),
    });
    expect(response.status).toBe(409);
    expect(error).toMatchObject({ code: 'CONTRADICTS_LATER_MOVE', errors: [{ field: 'claims[0].effectiveOn' }] });
  });

  it('gives one success and one 409 to two concurrent conflicting transfers', async () => {
    await api.client.api.POST('/v1/reports', { body: balerdiAtMarseille });
    const answers = await Promise.all([
      api.client.api.POST('/v1/reports', { body: transfer('deal-a') }),
      api.client.api.POST('/v1/reports', { body: transfer('deal-b') }),
    ]);

    expect(answers.map((a) => a.response.status).sort()).toEqual([201, 409]);
    const problem = answers.find((a) => a.response.status === 409)!.error!;
    expect(problem.code).toBe('PLAYER_NOT_AT_CLUB');
    if (problem.versionConflict) {
      expect(problem.versionConflict).toEqual({ stream: 'ledger-main', expectedRevision: 0, actualRevision: 1 });
    }
    expect(await api.head()).toBe(2);
  });
});

describe('POST /v1/reports:batch', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('records each report on its own and reports every outcome', async () => {
    const { data: body, response } = await api.client.api.POST('/v1/reports:batch', {
      body: {
        reports: [
          balerdiAtMarseille,
          { ...balerdiAtMarseille, reportId: 'bad', publishedOn: 'soon' },
          balerdiAtMarseille,
          transfer('deal'),
          transfer('deal-again'),
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(body?.summary).toEqual({ recorded: 2, alreadyPresent: 1, rejected: 2 });
    expect(body?.results.map((r) => r.status)).toEqual([
      'recorded',
      'rejected',
      'already-recorded',
      'recorded',
      'rejected',
    ]);
    expect(problemOf(body?.results[1])?.errors).toEqual([
      { field: 'reports[1].publishedOn', reason: expect.stringContaining('YYYY-MM-DD') },
    ]);
    expect(problemOf(body?.results[4])).toMatchObject({ status: 409, code: 'PLAYER_NOT_AT_CLUB' });
    expect(await api.head()).toBe(2);
  });

  it('lists at most 20 bad fields per problem, 200 per batch, with their count, so bad input cannot swell the answer', async () => {
    const head = await api.head();
    // 200 claims, each wrong in four ways: 800 problems, of which the first 20 are listed
    const wrongClaims = Array.from({ length: 200 }, () => ({
      type: 'BidSubmitted',
      club: 'NOT A SLUG',
      amountEur: -1,
    }));
    const bad = untyped<Report>({ ...balerdiAtMarseille, reportId: 'many-wrongs', claims: wrongClaims });
    const single = await api.client.api.POST('/v1/reports', { body: bad });
    expect(single.response.status).toBe(400);
    const problem = single.error;
    expect(problem?.errors).toHaveLength(20);
    expect(problem?.errorCount).toBe(800);
    expect(problem?.errors?.[0]).toEqual({
      field: expect.stringMatching(/^claims\[0\]\./),
      reason: expect.any(String),
    });

    const reports = Array.from({ length: 50 }, (_, i) => ({ ...bad, reportId: `many-wrongs-${i}` }));
    const body = JSON.stringify({ reports }); // what the client sends
    // as text, to measure the answer against the body
    const batch = await api.client.api.POST('/v1/reports:batch', { body: { reports }, parseAs: 'text' });
    const answer = batch.data ?? '';
    expect(batch.response.status).toBe(200);
    expect(answer.length).toBeLessThan(body.length); // was about 24 times the body before the bound
    const batchAnswer = JSON.parse(answer) as BatchRecorded;
    expect(batchAnswer.summary).toEqual({ recorded: 0, alreadyPresent: 0, rejected: 50 });
    // the batch lists 200 bad fields in all: ten reports' first twenty, then each report's first
    const listed = batchAnswer.results.map((result) => problemOf(result)?.errors?.length);
    expect(listed).toEqual([...Array<number>(10).fill(20), ...Array<number>(40).fill(1)]);
    // and every report still says how many it had
    expect(batchAnswer.results.map((result) => problemOf(result)?.errorCount)).toEqual(Array<number>(50).fill(800));
    expect(problemOf(batchAnswer.results[49])?.errors?.[0]?.field).toMatch(/^reports\[49\]\.claims\[0\]\./);
    expect(await api.head()).toBe(head);
  });

  it('refuses a body without a reports array', async () => {
    const { error, response } = await api.client.api.POST('/v1/reports:batch', {
      body: untyped<{ reports: Report[] }>({ report: balerdiAtMarseille }),
    });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ errors: [{ field: 'reports' }] });
  });
});

describe('GET /v1/events', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    for (let i = 0; i < 5; i++)
      await api.client.api.POST('/v1/reports', {
        body: { ...balerdiAtMarseille, reportId: `r-${i}`, publishedOn: `2025-06-0${i + 1}` },
      });
  });
  afterAll(() => api.close());

  it('pages through the log after a position (through the typed client)', async () => {
    const events = (after: number, limit?: number) =>
      api.client.api.GET('/v1/events', { params: { query: { after, ...(limit ? { limit } : {}) } } });
    const page = (await events(2, 2)).data!;
    expect(page.events.map((e) => e.storePosition)).toEqual([3, 4]);
    expect(page).toMatchObject({ nextAfter: 4, headPosition: 5 });

    const last = (await events(page.nextAfter)).data!;
    expect(last.events.map((e) => e.storePosition)).toEqual([5]);
    expect((await events(5)).data).toMatchObject({ events: [], nextAfter: 5 });
  });

  it('refuses bad paging parameters', async () => {
    const { error, response } = await api.client.api.GET('/v1/events', {
      params: { query: { after: -1, limit: 5000 } },
    });
    expect(response.status).toBe(400);
    expect(error?.errors?.map((e) => e.field)).toEqual(['after', 'limit']);
  });
});

describe('OpenAPI documentation', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('documents the report contract with an example per claim type', async () => {
    // raw: the document and its page are not operations of the API, so not in the typed client
    const doc = (await (await fetch(`${api.url}/docs-json`)).json()) as {
      paths: Record<string, { post?: { requestBody: { content: Record<string, { examples: object }> } } }>;
    };
    const examples = doc.paths['/v1/reports'].post?.requestBody.content['application/json'].examples;
    expect(Object.keys(examples ?? {}).sort()).toEqual([...CLAIM_TYPES].sort());
    expect(doc.paths['/v1/reports:batch']).toBeDefined();
    expect(doc.paths['/v1/events']).toBeDefined();
    const page = await fetch(`${api.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });
});
