import { startTestApi, type TestApi } from './test-api';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('read models over HTTP, on the seed data', () => {
  let api: TestApi;
  const get = async (path: string) => {
    const response = await fetch(`${api.url}${path}`);
    return {
      status: response.status,
      body: (await response.json()) as Json,
      type: response.headers.get('content-type'),
    };
  };

  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true' });
  });
  afterAll(() => api.close());

  it('shows Bremer and Cabal unavailable on 2025-06-20, the others available, and echoes both clocks', async () => {
    const { status, body } = await get('/v1/clubs/juventus/squad-depth?asOf=2025-06-20');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      club: 'juventus',
      asOf: '2025-06-20',
      knownAt: null,
      storePosition: await api.head(),
      formation: '4-3-3',
    });
    const players = body.positions.flatMap((p: Json) => p.players);
    const byStatus = (s: string) =>
      players
        .filter((p: Json) => p.status === s)
        .map((p: Json) => p.player)
        .sort();
    expect(byStatus('injured')).toEqual(['gleison-bremer', 'juan-cabal']);
    expect(byStatus('available')).toEqual([
      'daniele-rugani',
      'federico-gatti',
      'lloyd-kelly',
      'nicolo-savona',
      'pierre-kalulu',
    ]);
    expect(body.groups.find((g: Json) => g.group === 'defenders')).toMatchObject({
      registered: 7,
      injured: 2,
      available: 5,
    });
  });

  it('shows Bremer available again on 2025-09-05', async () => {
    const { body } = await get('/v1/clubs/juventus/squad-depth?asOf=2025-09-05');
    const bremer = body.positions.flatMap((p: Json) => p.players).find((p: Json) => p.player === 'gleison-bremer');
    expect(bremer.status).toBe('available');
  });

  it('lists Balerdi as the top target at talks-refused when known on 2025-07-10, with the reports behind it', async () => {
    const { body } = await get('/v1/clubs/juventus/targets?asOf=2025-07-10&knownAt=2025-07-10');
    expect(body).toMatchObject({ knownAt: '2025-07-10', open: 1 });
    expect(body.targets[0]).toMatchObject({ player: 'leonardo-balerdi', stage: 'talks-refused', priority: 'top' });
    expect(body.targets[0].supporting.map((r: Json) => [r.source.name, r.publishedOn])).toEqual([
      ['Tuttojuve', '2025-06-17'],
      ['Football Italia', '2025-06-25'],
      ['La Gazzetta dello Sport', '2025-06-28'],
      ['Tuttomercatoweb', '2025-07-06'],
    ]);
  });

  it('shows the ended pursuit, the expected renewal, Atlético as a rival and both versions when known on 2025-09-10', async () => {
    const { body } = await get('/v1/clubs/juventus/targets?asOf=2025-09-10&knownAt=2025-09-10');
    const [balerdi] = body.targets;
    expect(balerdi).toMatchObject({
      stage: 'abandoned',
      open: false,
      renewalExpectedFrom: '2026-06-01',
      rivals: [{ club: 'atletico-madrid' }],
    });
    expect(balerdi.contradicting[0]).toMatchObject({
      source: { name: 'La Tribune Olympienne' },
      disputes: 'TalksRefused',
    });
    expect(balerdi.contradicting[0].contradicts).toHaveLength(3);
  });

  it('lists Rugani and Kelly as outgoing on 2025-06-30 with reasons', async () => {
    const { body } = await get('/v1/clubs/juventus/outgoing?asOf=2025-06-30');
    expect(body.outgoing.map((o: Json) => o.player)).toEqual(['daniele-rugani', 'lloyd-kelly']);
    expect(body.outgoing.every((o: Json) => o.reason.length > 0 && o.status)).toBe(true);
  });

  it('answers 2025-06-20 differently as known on 2025-06-18: the clocks are independent', async () => {
    const rugani = async (query: string) =>
      (await get(`/v1/clubs/juventus/squad-depth?${query}`)).body.positions
        .flatMap((p: Json) => p.players)
        .find((p: Json) => p.player === 'daniele-rugani');
    expect(await rugani('asOf=2025-06-20&knownAt=2025-06-18')).toMatchObject({
      status: 'away-on-loan',
      loan: { toClub: 'ajax' },
    });
    expect(await rugani('asOf=2025-06-20')).toMatchObject({ status: 'available' });
  });

  it('shows a player and his timeline', async () => {
    const player = await get('/v1/players/leonardo-balerdi?asOf=2025-09-10');
    expect(player.body).toMatchObject({
      player: 'leonardo-balerdi',
      status: 'available',
      club: 'marseille',
      contract: { expiresOn: '2028-06-30' },
    });
    expect(player.body.pursuedBy.map((p: Json) => p.club).sort()).toEqual(['atletico-madrid', 'juventus']);
    const timeline = await get('/v1/players/gleison-bremer/timeline');
    expect(timeline.body.timeline.map((t: Json) => t.type)).toEqual([
      'PlayerRegistered',
      'PlayerInjured',
      'PlayerReturnedFromInjury',
    ]);
    expect(timeline.body.timeline[1]).toMatchObject({
      effectiveOn: '2025-06-17',
      publishedOn: '2025-06-17',
      source: { name: 'Tuttojuve' },
    });
  });

  it('answers 404 for an unknown club or player and 400 for a bad date', async () => {
    expect(await get('/v1/clubs/real-madrid/squad-depth')).toMatchObject({
      status: 404,
      body: { code: 'UNKNOWN_CLUB' },
    });
    expect(await get('/v1/players/nobody/timeline')).toMatchObject({ status: 404, body: { code: 'UNKNOWN_PLAYER' } });
    const bad = await get('/v1/clubs/juventus/squad-depth?asOf=2025-02-30&knownAt=yesterday&formation=2-2-6');
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.body.errors.map((e: Json) => e.field)).toEqual(['asOf', 'knownAt', 'formation']);
    // a slug past MAX_SLUG_LENGTH (80) can never have been recorded: 400 naming it, not 404
    const long = await get(`/v1/players/${'a'.repeat(81)}`);
    expect(long).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'player', reason: expect.stringContaining('at most 80') }] },
    });
  });
});

describe('moves and read-your-writes', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true' });
  });
  afterEach(() => api.close());

  const post = async (body: unknown) => (await (await api.post('/v1/reports', body)).json()) as Json;
  const get = async (path: string) => (await (await fetch(`${api.url}${path}`)).json()) as Json;

  it('moves a sold player between squads from the transfer date, drops him from the outgoing list and marks the target signed', async () => {
    const written = await post({
      reportId: 'kelly-sold',
      source: { name: 'Test' },
      publishedOn: '2025-08-20',
      claims: [
        {
          type: 'TransferCompleted',
          player: 'lloyd-kelly',
          fromClub: 'juventus',
          toClub: 'marseille',
          effectiveOn: '2025-08-15',
        },
        {
          type: 'PlayerRegistered',
          player: 'jonathan-david',
          name: 'Jonathan David',
          club: 'lille',
          position: 'ST',
          effectiveOn: '2025-07-01',
        },
        { type: 'InterestDeclared', club: 'juventus', player: 'jonathan-david', priority: 'high' },
        {
          type: 'TransferCompleted',
          player: 'jonathan-david',
          fromClub: 'lille',
          toClub: 'juventus',
          effectiveOn: '2025-08-16',
        },
      ],
    });
    const at = (date: string) => `asOf=${date}&minPosition=${written.storePosition}`;

    const before = await get(`/v1/clubs/juventus/outgoing?${at('2025-08-14')}`);
    expect(before.outgoing.map((o: Json) => o.player)).toContain('lloyd-kelly');
    const after = await get(`/v1/clubs/juventus/outgoing?${at('2025-08-15')}`);
    expect(after.outgoing.map((o: Json) => o.player)).not.toContain('lloyd-kelly');

    const marseille = await get(`/v1/clubs/marseille/squad-depth?${at('2025-08-15')}`);
    expect(marseille.positions.flatMap((p: Json) => p.players).map((p: Json) => p.player)).toContain('lloyd-kelly');

    const targets = await get(`/v1/clubs/juventus/targets?${at('2025-08-16')}`);
    expect(targets.targets.find((t: Json) => t.player === 'jonathan-david')).toMatchObject({
      stage: 'signed',
      open: false,
    });
    const depth = await get(`/v1/clubs/juventus/squad-depth?${at('2025-08-16')}`);
    expect(depth.positions.find((p: Json) => p.position === 'ST').players.map((p: Json) => p.player)).toEqual([
      'jonathan-david',
    ]);
  });

  it('shows a player away on loan from the loan date until it ends', async () => {
    const written = await post({
      reportId: 'rugani-loan',
      source: { name: 'Test' },
      publishedOn: '2025-09-01',
      claims: [
        {
          type: 'LoanDeparted',
          player: 'daniele-rugani',
          toClub: 'ajax',
          until: '2026-06-30',
          effectiveOn: '2025-09-01',
        },
      ],
    });
    const status = async (club: string, date: string) =>
      (await get(`/v1/clubs/${club}/squad-depth?asOf=${date}&minPosition=${written.storePosition}`)).positions
        .flatMap((p: Json) => p.players)
        .find((p: Json) => p.player === 'daniele-rugani')?.status;
    expect(await status('juventus', '2025-08-31')).toBe('available');
    expect(await status('juventus', '2025-09-01')).toBe('away-on-loan');
    expect(await status('ajax', '2025-09-01')).toBe('on-loan-here');
    expect(await status('juventus', '2026-07-01')).toBe('available');
  });

  it('answers 503 when the read models cannot reach minPosition in time', async () => {
    const response = await fetch(`${api.url}/v1/clubs/juventus/targets?minPosition=999999`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'READ_MODEL_BEHIND', minPosition: 999999 });
  }, 15_000);
});

describe('read models: edge cases', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true' });
  });
  afterAll(() => api.close());
  const get = async (path: string) => (await (await fetch(`${api.url}${path}`)).json()) as Json;

  it('keeps a signed player off the target list when later contracts or registrations are reported', async () => {
    const signed = (await (
      await api.post('/v1/reports', {
        reportId: 'balerdi-signs',
        source: { name: 'Test' },
        publishedOn: '2026-07-01',
        claims: [
          { type: 'TransferCompleted', player: 'leonardo-balerdi', fromClub: 'marseille', toClub: 'juventus' },
          { type: 'ContractRecorded', player: 'leonardo-balerdi', club: 'juventus', expiresOn: '2030-06-30' },
        ],
      })
    ).json()) as Json;
    const later = await api.post('/v1/reports', {
      reportId: 'balerdi-extends',
      source: { name: 'Test' },
      publishedOn: '2027-09-01',
      claims: [{ type: 'ContractRecorded', player: 'leonardo-balerdi', club: 'juventus', expiresOn: '2032-06-30' }],
    });
    expect(later.status).toBe(201);
    const atSigning = await get(`/v1/clubs/juventus/targets?asOf=2026-07-02&minPosition=${signed.storePosition}`);
    expect(atSigning.targets.find((t: Json) => t.player === 'leonardo-balerdi')).toMatchObject({
      stage: 'signed',
      since: '2026-07-01',
    });
    const targets = await get(
      `/v1/clubs/juventus/targets?asOf=2027-10-01&minPosition=${((await later.json()) as Json).storePosition}`,
    );
    expect(targets.targets.map((t: Json) => t.player)).toEqual([]);
  });

  it('treats a club slug such as "constructor" like any other', async () => {
    const written = (await (
      await api.post('/v1/reports', {
        reportId: 'odd-club',
        source: { name: 'Test' },
        publishedOn: '2025-07-01',
        claims: [{ type: 'PlayerRegistered', player: 'odd-player', name: 'Odd', club: 'constructor', position: 'GK' }],
      })
    ).json()) as Json;
    const outgoing = await get(`/v1/clubs/constructor/outgoing?asOf=2025-07-02&minPosition=${written.storePosition}`);
    expect(outgoing.outgoing).toEqual([]);
    const depth = await get('/v1/clubs/constructor/squad-depth?asOf=2025-07-02');
    expect(depth.positions.find((p: Json) => p.position === 'GK').players.map((p: Json) => p.player)).toEqual([
      'odd-player',
    ]);
  });
});
