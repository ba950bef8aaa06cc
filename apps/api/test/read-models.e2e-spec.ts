import type { Report, SquadDepth } from '@squad/client';
import { startTestApi, type TestApi } from './test-api';

const juventus = { club: 'juventus' };
const playersOf = (depth: SquadDepth | undefined) => (depth?.positions ?? []).flatMap((p) => p.players);

describe('read models over HTTP, on the seed data', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true' });
  });
  afterAll(() => api.close());

  it('shows Bremer and Cabal unavailable on 2025-06-20, the others available, and echoes both clocks', async () => {
    const { data: body, response } = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
      params: { path: juventus, query: { asOf: '2025-06-20' } },
    });
    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      club: 'juventus',
      asOf: '2025-06-20',
      knownAt: null,
      storePosition: await api.head(),
      formation: '4-3-3',
    });
    const players = playersOf(body);
    const byStatus = (s: string) =>
      players
        .filter((p) => p.status === s)
        .map((p) => p.player)
        .sort();
    expect(byStatus('injured')).toEqual(['gleison-bremer', 'juan-cabal']);
    expect(byStatus('available')).toEqual([
      'daniele-rugani',
      'federico-gatti',
      'lloyd-kelly',
      'nicolo-savona',
      'pierre-kalulu',
    ]);
    expect(body?.groups.find((g) => g.group === 'defenders')).toMatchObject({
      registered: 7,
      injured: 2,
      available: 5,
    });
  });

  it('shows Bremer available again on 2025-09-05', async () => {
    const { data } = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
      params: { path: juventus, query: { asOf: '2025-09-05' } },
    });
    const bremer = playersOf(data).find((p) => p.player === 'gleison-bremer');
    expect(bremer?.status).toBe('available');
  });

  it('lists Balerdi as the top target at talks-refused when known on 2025-07-10, with the reports behind it', async () => {
    const { data: body } = await api.client.api.GET('/v1/clubs/{club}/targets', {
      params: { path: juventus, query: { asOf: '2025-07-10', knownAt: '2025-07-10' } },
    });
    expect(body).toMatchObject({ knownAt: '2025-07-10', open: 1 });
    expect(body?.targets[0]).toMatchObject({ player: 'leonardo-balerdi', stage: 'talks-refused', priority: 'top' });
    expect(body?.targets[0].supporting.map((r) => [r.source.name, r.publishedOn])).toEqual([
      ['Tuttojuve', '2025-06-17'],
      ['Football Italia', '2025-06-25'],
      ['La Gazzetta dello Sport', '2025-06-28'],
      ['Tuttomercatoweb', '2025-07-06'],
    ]);
  });

  it('shows the ended pursuit, the expected renewal, Atlético as a rival and both versions when known on 2025-09-10', async () => {
    const { data } = await api.client.api.GET('/v1/clubs/{club}/targets', {
      params: { path: juventus, query: { asOf: '2025-09-10', knownAt: '2025-09-10' } },
    });
    const [balerdi] = data?.targets ?? [];
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
    const { data: body } = await api.client.api.GET('/v1/clubs/{club}/outgoing', {
      params: { path: juventus, query: { asOf: '2025-06-30' } },
    });
    expect(body?.outgoing.map((o) => o.player)).toEqual(['daniele-rugani', 'lloyd-kelly']);
    expect(body?.outgoing.every((o) => o.reason.length > 0 && o.status)).toBe(true);
  });

  it('answers 2025-06-20 differently as known on 2025-06-18: the clocks are independent', async () => {
    const rugani = async (query: { asOf: string; knownAt?: string }) =>
      playersOf(
        (await api.client.api.GET('/v1/clubs/{club}/squad-depth', { params: { path: juventus, query } })).data,
      ).find((p) => p.player === 'daniele-rugani');
    expect(await rugani({ asOf: '2025-06-20', knownAt: '2025-06-18' })).toMatchObject({
      status: 'away-on-loan',
      loan: { toClub: 'ajax' },
    });
    expect(await rugani({ asOf: '2025-06-20' })).toMatchObject({ status: 'available' });
  });

  it('reads knownAt alone as the picture believed that day: asOf defaults to the knownAt day, not to today', async () => {
    const targets = (query: { asOf?: string; knownAt?: string }) =>
      api.client.api.GET('/v1/clubs/{club}/targets', { params: { path: juventus, query } });
    const alone = await targets({ knownAt: '2025-07-10' });
    expect(alone.response.status).toBe(200);
    expect(alone.data).toMatchObject({ asOf: '2025-07-10', knownAt: '2025-07-10', open: 1 });
    // the same answer as both clocks named, whatever the day it is asked
    expect(alone.data).toEqual((await targets({ asOf: '2025-07-10', knownAt: '2025-07-10' })).data);
    // a player's document too
    const balerdi = await api.client.api.GET('/v1/players/{player}', {
      params: { path: { player: 'leonardo-balerdi' }, query: { knownAt: '2025-06-18' } },
    });
    expect(balerdi.data).toMatchObject({ asOf: '2025-06-18', knownAt: '2025-06-18' });
  });

  it('records a window of days as an approximate day, its last, and shows the window in the timeline', async () => {
    const posted = await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'window-return-2027',
        source: { name: 'La Gazzetta dello Sport' },
        publishedOn: '2027-03-10',
        claims: [
          { type: 'PlayerInjured', player: 'gleison-bremer', injury: 'knee', effectiveOn: '2027-01-05' },
          {
            type: 'PlayerReturnedFromInjury',
            player: 'gleison-bremer',
            effectiveBetween: { from: '2027-02-20', to: '2027-03-04' },
          },
        ],
      },
    });
    expect(posted.response.status).toBe(201);
    const at = async (asOf: string) =>
      playersOf(
        (
          await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
            params: { path: juventus, query: { asOf, minPosition: posted.data!.storePosition! } },
          })
        ).data,
      ).find((p) => p.player === 'gleison-bremer')?.status;
    // inside the window he is still counted injured: back for sure on its last day
    expect(await at('2027-02-25')).toBe('injured');
    expect(await at('2027-03-04')).toBe('available');
    const timeline = await api.client.api.GET('/v1/players/{player}/timeline', {
      params: { path: { player: 'gleison-bremer' }, query: { asOf: '2027-03-31' } },
    });
    expect(
      timeline.data?.timeline.find((fact) => fact.reportId === 'window-return-2027' && fact.claimIndex === 1),
    ).toMatchObject({
      type: 'PlayerReturnedFromInjury',
      effectiveOn: '2027-03-04',
      effectiveOnApprox: true,
      effectiveBetween: { from: '2027-02-20', to: '2027-03-04' },
    });
    // a window that ends before it starts: 400 naming the field, nothing written
    const refused = await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'window-backwards-2027',
        source: { name: 'La Gazzetta dello Sport' },
        publishedOn: '2027-03-10',
        claims: [
          {
            type: 'PlayerReturnedFromInjury',
            player: 'gleison-bremer',
            effectiveBetween: { from: '2027-03-04', to: '2027-02-20' },
          },
        ],
      },
    });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.errors?.map((e) => e.field)).toEqual(['claims[0].effectiveBetween.to']);
  });

  it('shows a player and his timeline', async () => {
    const player = await api.client.api.GET('/v1/players/{player}', {
      params: { path: { player: 'leonardo-balerdi' }, query: { asOf: '2025-09-10' } },
    });
    expect(player.data).toMatchObject({
      player: 'leonardo-balerdi',
      status: 'available',
      club: 'marseille',
      contract: { expiresOn: '2028-06-30' },
    });
    expect(player.data?.pursuedBy.map((p) => p.club).sort()).toEqual(['atletico-madrid', 'juventus']);
    const timeline = await api.client.api.GET('/v1/players/{player}/timeline', {
      params: { path: { player: 'gleison-bremer' } },
    });
    expect(timeline.data?.timeline.map((t) => t.type)).toEqual([
      'PlayerInjured', // La Gazzetta's ACL injury, dated before the window
      'PlayerRegistered',
      'PlayerInjured',
      'PlayerReturnedFromInjury', // inside the window, approximately
      'PlayerReturnedFromInjury',
    ]);
    expect(timeline.data?.timeline[0]).toMatchObject({
      effectiveOn: '2025-05-31',
      effectiveOnApprox: true,
      publishedOn: '2025-06-28',
      source: { name: 'La Gazzetta dello Sport' },
    });
    expect(timeline.data?.timeline[3]).toMatchObject({ effectiveOn: '2025-09-01', effectiveOnApprox: true });
    expect(timeline.data?.timeline[2]).toMatchObject({
      effectiveOn: '2025-06-17',
      publishedOn: '2025-06-17',
      source: { name: 'Tuttojuve' },
    });
  });

  it('answers 404 for an unknown club or player and 400 for a bad date', async () => {
    const unknownClub = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
      params: { path: { club: 'real-madrid' } },
    });
    expect(unknownClub).toMatchObject({ response: { status: 404 }, error: { code: 'UNKNOWN_CLUB' } });
    const nobody = await api.client.api.GET('/v1/players/{player}/timeline', {
      params: { path: { player: 'nobody' } },
    });
    expect(nobody).toMatchObject({ response: { status: 404 }, error: { code: 'UNKNOWN_PLAYER' } });
    const bad = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
      params: {
        path: juventus,
        // a formation the types refuse, sent as it is: the service refuses it too
        query: { asOf: '2025-02-30', knownAt: 'yesterday', formation: '2-2-6' as SquadDepth['formation'] },
      },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.response.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.error?.errors?.map((e) => e.field)).toEqual(['asOf', 'knownAt', 'formation']);
    // a slug past MAX_SLUG_LENGTH (80) can never have been recorded: 400 naming it, not 404
    const long = await api.client.api.GET('/v1/players/{player}', { params: { path: { player: 'a'.repeat(81) } } });
    expect(long).toMatchObject({
      response: { status: 400 },
      error: { errors: [{ field: 'player', reason: expect.stringContaining('at most 80') }] },
    });
  });
});

describe('clubs and players by name', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true' });
  });
  afterAll(() => api.close());

  it('finds clubs by any name a profile gave them, and tells the club with its manager', async () => {
    const recorded = await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'club-profiles',
        source: { name: 'Club records', kind: 'official' },
        publishedOn: '2025-06-10',
        evidence: ['club registry, page 2'],
        claims: [
          { type: 'ClubProfileReported', club: 'juventus', name: 'Juventus FC', aliases: ['Juventus', 'Juve'] },
          { type: 'ClubProfileReported', club: 'juventus-u23', name: 'Juventus U23', parentClub: 'juventus' },
          { type: 'ClubProfileReported', club: 'atletico-madrid', name: 'Atlético Madrid', aliases: ['Atl. Madrid'] },
          { type: 'ManagerAppointed', club: 'juventus', manager: 'Igor Tudor', effectiveOn: '2025-03-24' },
        ],
      },
    });
    const minPosition = recorded.data!.storePosition!;
    const search = async (query: { search?: string; limit?: number; knownAt?: string }) =>
      await api.client.api.GET('/v1/clubs', { params: { query: { ...query, minPosition } } });

    const juve = await search({ search: 'juve' });
    // the first team (its squad is known) before its youth side, each with its names
    expect(juve.data?.clubs).toEqual(['juventus', 'juventus-u23']);
    expect(juve.data?.matches?.[0]).toEqual({
      club: 'juventus',
      name: 'Juventus FC',
      aliases: ['Juventus', 'Juve'],
      matched: 'Juve',
      match: 'exact',
    });
    expect(juve.data?.matches?.[1]).toMatchObject({ club: 'juventus-u23', parentClub: 'juventus' });
    expect((await search({ search: 'ATLETICO' })).data?.clubs).toEqual(['atletico-madrid']);
    expect((await search({ search: 'atl. madrid' })).data?.matches?.[0]).toMatchObject({ matched: 'Atl. Madrid' });
    // a club with no profile is found by its slug; names reported later than knownAt do not count
    expect((await search({ search: 'ajax' })).data?.clubs).toEqual(['ajax']);
    // (the baseline squads of 2025-06-01 name Juventus; the youth side is first named on 2025-06-10)
    expect((await search({ search: 'juve', knownAt: '2025-06-09' })).data?.clubs).toEqual(['juventus']);
    expect((await search({ search: 'juve', limit: 1 })).data?.clubs).toHaveLength(1);
    // without search: every club, sorted, the new youth side among them
    const all = await api.client.api.GET('/v1/clubs', { params: { query: { minPosition } } });
    expect(all.data?.clubs).toContain('juventus-u23');
    expect(all.data?.matches).toBeUndefined();

    const club = await api.client.api.GET('/v1/clubs/{club}', {
      params: { path: { club: 'juventus' }, query: { asOf: '2025-06-12' } },
    });
    expect(club.data).toMatchObject({
      club: 'juventus',
      name: 'Juventus FC',
      asOf: '2025-06-12',
      manager: { name: 'Igor Tudor', since: '2025-03-24', reportId: 'club-profiles', publishedOn: '2025-06-10' },
    });
    // from 2025-06-17 on, the seed report of his appointment is the latest
    const later = await api.client.api.GET('/v1/clubs/{club}', {
      params: { path: { club: 'juventus' }, query: { asOf: '2025-07-01' } },
    });
    expect(later.data?.manager).toMatchObject({ since: '2025-06-17', reportId: 'tuttojuve-2025-06-17-balerdi' });
    // as known before the report: the club, no names, no manager
    const before = await api.client.api.GET('/v1/clubs/{club}', {
      params: { path: { club: 'juventus' }, query: { asOf: '2025-07-01', knownAt: '2025-06-09' } },
    });
    expect(before.data).toMatchObject({ club: 'juventus', aliases: [] });
    expect(before.data?.manager).toBeUndefined();
    const unknown = await api.client.api.GET('/v1/clubs/{club}', { params: { path: { club: 'real-madrid' } } });
    expect(unknown).toMatchObject({ response: { status: 404 }, error: { code: 'UNKNOWN_CLUB' } });
  });

  it("finds players by name with their club on the day, and cites a report's evidence in his timeline", async () => {
    const found = await api.client.api.GET('/v1/players', {
      params: { query: { search: 'balerdi', asOf: '2025-07-01' } },
    });
    expect(found.data?.players).toEqual([
      expect.objectContaining({
        player: 'leonardo-balerdi',
        name: 'Leonardo Balerdi',
        club: 'marseille',
        match: 'words',
      }),
    ]);
    expect(found.data).toMatchObject({ asOf: '2025-07-01', knownAt: null });
    const accents = await api.client.api.GET('/v1/players', { params: { query: { search: 'RUGANI' } } });
    expect(accents.data?.players.map((p) => p.player)).toEqual(['daniele-rugani']);

    await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'bremer-profile',
        source: { name: 'Transfer records' },
        publishedOn: '2025-06-02',
        evidence: ['squad list, line 4'],
        claims: [{ type: 'PlayerProfileReported', player: 'gleison-bremer', nationality: 'Brazil' }],
      },
    });
    const timeline = await api.client.api.GET('/v1/players/{player}/timeline', {
      params: { path: { player: 'gleison-bremer' }, query: { minPosition: 0 } },
    });
    const profile = timeline.data?.timeline.find((entry) => entry.reportId === 'bremer-profile');
    expect(profile).toMatchObject({ type: 'PlayerProfileReported', evidence: ['squad list, line 4'] });
  });

  it('refuses a search without text, too short or too wide, naming the field', async () => {
    const missing = await api.client.api.GET('/v1/players', { params: { query: {} as { search: string } } });
    expect(missing).toMatchObject({ response: { status: 400 }, error: { errors: [{ field: 'search' }] } });
    const short = await api.client.api.GET('/v1/clubs', { params: { query: { search: 'j' } } });
    expect(short.error?.errors).toEqual([{ field: 'search', reason: expect.stringContaining('2 to 100 characters') }]);
    const punctuation = await api.client.api.GET('/v1/players', { params: { query: { search: '...' } } });
    expect(punctuation.error?.errors?.map((e) => e.field)).toEqual(['search']);
    const wide = await api.client.api.GET('/v1/players', { params: { query: { search: 'ronaldo', limit: 101 } } });
    expect(wide.error?.errors?.map((e) => e.field)).toEqual(['limit']);
    const stray = await api.client.api.GET('/v1/clubs', { params: { query: { limit: 5 } } });
    expect(stray.error?.errors).toEqual([{ field: 'limit', reason: 'limit goes with search' }]);
  });

  it('refuses a club named as its own first team, recording nothing', async () => {
    const refused = await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'own-parent',
        source: { name: 'Club records' },
        publishedOn: '2025-06-01',
        claims: [{ type: 'ClubProfileReported', club: 'ajax', parentClub: 'ajax' }],
      },
    });
    expect(refused).toMatchObject({
      response: { status: 422 },
      error: { code: 'CLUB_IS_ITS_OWN_PARENT', errors: [{ field: 'claims[0].parentClub' }] },
    });
  });
});

describe('analyst facts over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true' });
  });
  afterAll(() => api.close());

  const post = (body: Report) => api.client.api.POST('/v1/reports', { body });

  it('refuses a contract or loan that ends before it starts, a negative option fee and a birth date after the report, naming each field', async () => {
    const refused = await post({
      reportId: 'bad-dates',
      source: { name: 'Tuttojuve' },
      publishedOn: '2025-07-01',
      claims: [
        { type: 'ContractExtended', player: 'daniele-rugani', club: 'juventus', expiresOn: '2025-06-30' },
        { type: 'LoanDeparted', player: 'daniele-rugani', toClub: 'ajax', until: '2025-06-01', optionToBuyEur: -1 },
        { type: 'PlayerProfileReported', player: 'daniele-rugani', birthDate: '2026-01-01' },
      ],
    });
    expect(refused.response.status).toBe(400);
    // the malformed fee is found first; once the fields are well-formed, the dates are checked
    expect(refused.error?.errors?.map((e) => e.field)).toEqual(['claims[1].optionToBuyEur']);
    const dates = await post({
      reportId: 'bad-dates',
      source: { name: 'Tuttojuve' },
      publishedOn: '2025-07-01',
      claims: [
        { type: 'ContractExtended', player: 'daniele-rugani', club: 'juventus', expiresOn: '2025-06-30' },
        { type: 'LoanDeparted', player: 'daniele-rugani', toClub: 'ajax', until: '2025-06-01' },
        { type: 'PlayerProfileReported', player: 'daniele-rugani', birthDate: '2026-01-01' },
      ],
    });
    expect(dates.response.status).toBe(400);
    expect(dates.error?.errors).toEqual([
      { field: 'claims[0].expiresOn', reason: expect.stringContaining('a contract ends after it starts') },
      { field: 'claims[1].until', reason: expect.stringContaining('a loan ends after it starts') },
      { field: 'claims[2].birthDate', reason: expect.stringContaining("after the report's publication") },
    ]);
    // nothing was written
    const rugani = await api.client.api.GET('/v1/players/{player}/timeline', {
      params: { path: { player: 'daniele-rugani' } },
    });
    expect(rugani.data?.timeline.some((entry) => entry.reportId === 'bad-dates')).toBe(false);
  });

  it('refuses the departure of a manager the club does not have then (409), recording nothing', async () => {
    const refused = await post({
      reportId: 'wrong-manager',
      source: { name: 'Tuttojuve' },
      publishedOn: '2025-07-01',
      claims: [
        { type: 'InterestDeclared', club: 'juventus', player: 'leonardo-balerdi' },
        { type: 'ManagerDeparted', club: 'juventus', manager: 'Thiago Motta', reason: 'sacked' },
      ],
    });
    expect(refused).toMatchObject({
      response: { status: 409 },
      error: { code: 'MANAGER_NOT_AT_CLUB', errors: [{ field: 'claims[1].manager' }] },
    });
    expect(refused.error?.detail).toContain('its manager then is Igor Tudor');
  });

  it("shows the manager's formation in squad depth, the sacking on the club, extensions and suitors on the board", async () => {
    const written = await post({
      reportId: 'analyst-facts',
      source: { name: 'Football Italia', kind: 'outlet' },
      publishedOn: '2025-07-10',
      claims: [
        {
          type: 'ManagerAppointed',
          club: 'juventus',
          manager: 'Igor Tudor',
          formation: '3-4-2-1',
          effectiveOn: '2025-06-17',
        },
        { type: 'ContractExtended', player: 'daniele-rugani', club: 'juventus', expiresOn: '2027-06-30' },
        { type: 'InterestDeclared', club: 'marseille', player: 'daniele-rugani' },
        { type: 'NotForSale', club: 'marseille', player: 'leonardo-balerdi', reason: 'no plan to sell' },
        {
          type: 'ManagerDeparted',
          club: 'juventus',
          manager: 'Igor Tudor',
          reason: 'sacked',
          effectiveOn: '2025-10-27',
        },
      ],
    });
    expect(written.response.status).toBe(201);
    const minPosition = written.data!.storePosition!;
    const depth = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
      params: { path: juventus, query: { asOf: '2025-07-10', minPosition } },
    });
    expect(depth.data).toMatchObject({ formation: '3-4-2-1', formationFrom: 'manager' });
    const rugani = playersOf(depth.data).find((p) => p.player === 'daniele-rugani');
    expect(rugani).toMatchObject({
      contractExpiresOn: '2027-06-30',
      wantedBy: [{ club: 'marseille', stage: 'interest' }],
    });
    const asked = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
      params: { path: juventus, query: { asOf: '2025-07-10', formation: '4-3-3' } },
    });
    expect(asked.data).toMatchObject({ formation: '4-3-3', formationFrom: 'request' });

    const sacked = await api.client.api.GET('/v1/clubs/{club}', {
      params: { path: juventus, query: { asOf: '2025-11-01' } },
    });
    expect(sacked.data?.manager).toBeUndefined();
    expect(sacked.data?.formerManager).toMatchObject({ name: 'Igor Tudor', until: '2025-10-27', reason: 'sacked' });
    expect(sacked.data?.squad.size).toBeGreaterThan(0);

    const targets = await api.client.api.GET('/v1/clubs/{club}/targets', {
      params: { path: juventus, query: { asOf: '2025-07-10' } },
    });
    expect(targets.data?.targets.find((t) => t.player === 'leonardo-balerdi')?.notForSale).toMatchObject({
      club: 'marseille',
      reason: 'no plan to sell',
      reportId: 'analyst-facts',
    });
  });
});

describe('moves and read-your-writes', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true' });
  });
  afterEach(() => api.close());

  const post = async (body: Report) => (await api.client.api.POST('/v1/reports', { body })).data!;
  const depthOf = async (club: string, query: { asOf: string; minPosition?: number }) =>
    (await api.client.api.GET('/v1/clubs/{club}/squad-depth', { params: { path: { club }, query } })).data;

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
    const at = (date: string) => ({ asOf: date, minPosition: written.storePosition ?? undefined });
    const outgoing = async (date: string) =>
      (await api.client.api.GET('/v1/clubs/{club}/outgoing', { params: { path: juventus, query: at(date) } })).data;

    const before = await outgoing('2025-08-14');
    expect(before?.outgoing.map((o) => o.player)).toContain('lloyd-kelly');
    const after = await outgoing('2025-08-15');
    expect(after?.outgoing.map((o) => o.player)).not.toContain('lloyd-kelly');

    const marseille = await depthOf('marseille', at('2025-08-15'));
    expect(playersOf(marseille).map((p) => p.player)).toContain('lloyd-kelly');

    const targets = await api.client.api.GET('/v1/clubs/{club}/targets', {
      params: { path: juventus, query: at('2025-08-16') },
    });
    expect(targets.data?.targets.find((t) => t.player === 'jonathan-david')).toMatchObject({
      stage: 'signed',
      open: false,
    });
    const depth = await depthOf('juventus', at('2025-08-16'));
    expect(depth?.positions.find((p) => p.position === 'ST')?.players.map((p) => p.player)).toEqual(['jonathan-david']);
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
      playersOf(await depthOf(club, { asOf: date, minPosition: written.storePosition ?? undefined })).find(
        (p) => p.player === 'daniele-rugani',
      )?.status;
    expect(await status('juventus', '2025-08-31')).toBe('available');
    expect(await status('juventus', '2025-09-01')).toBe('away-on-loan');
    expect(await status('ajax', '2025-09-01')).toBe('on-loan-here');
    expect(await status('juventus', '2026-07-01')).toBe('available');
  });

  it('answers 503 when the read models cannot reach minPosition in time', async () => {
    const { error, response } = await api.client.api.GET('/v1/clubs/{club}/targets', {
      params: { path: juventus, query: { minPosition: 999999 } },
    });
    expect(response.status).toBe(503);
    expect(error).toMatchObject({ code: 'READ_MODEL_BEHIND', minPosition: 999999 });
  }, 15_000);
});

describe('read models: edge cases', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true' });
  });
  afterAll(() => api.close());
  const targetsAt = async (asOf: string, minPosition: number | null | undefined) =>
    (
      await api.client.api.GET('/v1/clubs/{club}/targets', {
        params: { path: juventus, query: { asOf, minPosition: minPosition ?? undefined } },
      })
    ).data;

  it('keeps a signed player off the target list when later contracts or registrations are reported', async () => {
    const { data: signed } = await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'balerdi-signs',
        source: { name: 'Test' },
        publishedOn: '2026-07-01',
        claims: [
          { type: 'TransferCompleted', player: 'leonardo-balerdi', fromClub: 'marseille', toClub: 'juventus' },
          { type: 'ContractRecorded', player: 'leonardo-balerdi', club: 'juventus', expiresOn: '2030-06-30' },
        ],
      },
    });
    const later = await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'balerdi-extends',
        source: { name: 'Test' },
        publishedOn: '2027-09-01',
        claims: [{ type: 'ContractRecorded', player: 'leonardo-balerdi', club: 'juventus', expiresOn: '2032-06-30' }],
      },
    });
    expect(later.response.status).toBe(201);
    const atSigning = await targetsAt('2026-07-02', signed?.storePosition);
    expect(atSigning?.targets.find((t) => t.player === 'leonardo-balerdi')).toMatchObject({
      stage: 'signed',
      since: '2026-07-01',
    });
    const targets = await targetsAt('2027-10-01', later.data?.storePosition);
    expect(targets?.targets.map((t) => t.player)).toEqual([]);
  });

  it('treats a club slug such as "constructor" like any other', async () => {
    const { data: written } = await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'odd-club',
        source: { name: 'Test' },
        publishedOn: '2025-07-01',
        claims: [{ type: 'PlayerRegistered', player: 'odd-player', name: 'Odd', club: 'constructor', position: 'GK' }],
      },
    });
    const oddClub = { club: 'constructor' };
    const outgoing = await api.client.api.GET('/v1/clubs/{club}/outgoing', {
      params: { path: oddClub, query: { asOf: '2025-07-02', minPosition: written?.storePosition ?? undefined } },
    });
    expect(outgoing.data?.outgoing).toEqual([]);
    const depth = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
      params: { path: oddClub, query: { asOf: '2025-07-02' } },
    });
    expect(depth.data?.positions.find((p) => p.position === 'GK')?.players.map((p) => p.player)).toEqual([
      'odd-player',
    ]);
  });
});
