import type { Claim, Contracts, Report } from '@squad/client';
import { startTestApi, type TestApi } from './test-api';

const report = (reportId: string, publishedOn: string, claims: Claim[]): Report => ({
  reportId,
  source: { name: 'Contracts desk' },
  publishedOn,
  claims,
});
const signed = (player: string, name: string, position: 'GK' | 'CB' | 'CM' | 'ST', club = 'juventus'): Claim => ({
  type: 'PlayerRegistered',
  player,
  name,
  club,
  position,
});
const contract = (player: string, expiresOn: string, club = 'juventus'): Claim => ({
  type: 'ContractRecorded',
  player,
  club,
  expiresOn,
});

const leavingBySeason = (document: Contracts | undefined) =>
  document?.seasons.map((s) => [s.season, s.leaving.map((p) => p.player)]);
const remainingAt = (document: Contracts | undefined, season: number, position: string) =>
  document?.seasons[season].remaining.positions.find((p) => p.position === position);

describe('GET /v1/clubs/{club}/contracts', () => {
  let api: TestApi;
  let minPosition: number;
  type Query = { asOf?: string; knownAt?: string; branch?: string; formation?: Contracts['formation'] };
  const contracts = (club: string, query: Query) =>
    api.client.api.GET('/v1/clubs/{club}/contracts', { params: { path: { club }, query: { minPosition, ...query } } });

  beforeAll(async () => {
    api = await startTestApi();
    const squad = await api.client.api.POST('/v1/reports', {
      body: report('contracts-squad', '2025-06-01', [
        signed('keeper-a', 'Keeper A', 'GK'),
        contract('keeper-a', '2026-06-30'),
        signed('back-a', 'Back A', 'CB'),
        contract('back-a', '2026-07-01'),
        signed('back-b', 'Back B', 'CB'),
        contract('back-b', '2026-06-30'),
        signed('striker-a', 'Striker A', 'ST', 'ajax'),
        contract('striker-a', '2029-06-30', 'ajax'),
        { type: 'LoanDeparted', player: 'striker-a', toClub: 'juventus', until: '2027-05-31' },
        signed('mid-a', 'Mid A', 'CM'),
      ]),
    });
    expect(squad.response.status).toBe(201);
    const extension = await api.client.api.POST('/v1/reports', {
      body: report('contracts-extension', '2025-08-01', [
        { type: 'ContractExtended', player: 'back-b', club: 'juventus', expiresOn: '2028-06-30' },
      ]),
    });
    expect(extension.response.status).toBe(201);
    minPosition = extension.data!.storePosition!;
  });
  afterAll(() => api.close());

  it('lists the expiries of three seasons, a loanee leaving when his loan ends, and who is left per position', async () => {
    const { data, response } = await contracts('juventus', { asOf: '2025-09-01' });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({
      club: 'juventus',
      asOf: '2025-09-01',
      knownAt: null,
      storePosition: minPosition,
      formation: '4-3-3',
      formationFrom: 'default',
    });
    expect(data?.seasons.map((s) => [s.season, s.startsOn, s.endsOn])).toEqual([
      ['2025/26', '2025-07-01', '2026-06-30'],
      ['2026/27', '2026-07-01', '2027-06-30'],
      ['2027/28', '2027-07-01', '2028-06-30'],
    ]);
    // 30 June 2026 ends 2025/26, 1 July 2026 starts 2026/27; the extension moved back-b to 2027/28
    expect(leavingBySeason(data)).toEqual([
      ['2025/26', ['keeper-a']],
      ['2026/27', ['back-a', 'striker-a']],
      ['2027/28', ['back-b']],
    ]);
    expect(data?.seasons[1].leaving[1]).toEqual({
      player: 'striker-a',
      name: 'Striker A',
      position: 'ST',
      registeredAt: 'ajax',
      status: 'on-loan-here',
      leavesOn: '2027-05-31',
      reason: 'loan-ends',
      contractExpiresOn: '2029-06-30',
      loan: { toClub: 'juventus', since: '2025-06-01', until: '2027-05-31' },
    });
    expect(data?.expiryUnknown).toEqual([{ player: 'mid-a', name: 'Mid A', position: 'CM', status: 'available' }]);
    expect(data?.expired).toEqual([]);
    expect(remainingAt(data, 0, 'GK')).toMatchObject({ need: 3, leaving: 1, registered: 0, verdict: 'short' });
    expect(remainingAt(data, 0, 'CB')?.players.map((p) => p.player)).toEqual(['back-a', 'back-b']);
    expect(remainingAt(data, 1, 'CB')?.players).toEqual([
      { player: 'back-b', name: 'Back B', position: 'CB', leavesOn: '2028-06-30' },
    ]);
    expect(remainingAt(data, 2, 'CM')?.players).toEqual([
      { player: 'mid-a', name: 'Mid A', position: 'CM', expiryUnknown: true },
    ]);
    expect(data?.seasons[1].remaining.groups.find((g) => g.group === 'forwards')).toMatchObject({
      leaving: 1,
      registered: 0,
      verdict: 'short',
    });
  });

  it('keeps the earlier expiry as known before the extension was reported', async () => {
    const { data } = await contracts('juventus', { asOf: '2025-09-01', knownAt: '2025-07-15' });
    expect(data).toMatchObject({ asOf: '2025-09-01', knownAt: '2025-07-15' });
    expect(leavingBySeason(data)).toEqual([
      ['2025/26', ['back-b', 'keeper-a']],
      ['2026/27', ['back-a', 'striker-a']],
      ['2027/28', []],
    ]);
    expect(data?.seasons[0].leaving[0]).toMatchObject({ contractExpiresOn: '2026-06-30' });
  });

  it('reads a what-if branch: an extension there moves the player there only', async () => {
    const created = await api.client.api.POST('/v1/branches', {
      body: { name: 'Keeper renews', forkAt: { storePosition: minPosition } },
    });
    expect(created.response.status).toBe(201);
    const branch = created.data!.id;
    const renewed = await api.client.api.POST('/v1/branches/{id}/reports', {
      params: { path: { id: branch } },
      body: report('keeper-renews', '2025-08-10', [
        { type: 'ContractExtended', player: 'keeper-a', club: 'juventus', expiresOn: '2027-06-30' },
      ]),
    });
    expect(renewed.response.status).toBe(201);
    const inBranch = await contracts('juventus', { asOf: '2025-09-01', branch });
    expect(inBranch.data?.branch).toBe(branch);
    expect(leavingBySeason(inBranch.data)?.[1]).toEqual(['2026/27', ['back-a', 'striker-a', 'keeper-a']]);
    expect(remainingAt(inBranch.data, 0, 'GK')).toMatchObject({ registered: 1, leaving: 0 });
    const canonical = await contracts('juventus', { asOf: '2025-09-01' });
    expect(leavingBySeason(canonical.data)?.[0]).toEqual(['2025/26', ['keeper-a']]);
  });

  it('measures against the formation asked for', async () => {
    const { data } = await contracts('juventus', { asOf: '2025-09-01', formation: '3-5-2' });
    expect(data).toMatchObject({ formation: '3-5-2', formationFrom: 'request' });
    expect(remainingAt(data, 0, 'CB')).toMatchObject({ need: 5, registered: 2, verdict: 'short' });
  });

  it('answers 404 for an unknown club and 400 naming asOf for a bad date', async () => {
    const unknown = await contracts('real-madrid', { asOf: '2025-09-01' });
    expect(unknown).toMatchObject({ response: { status: 404 }, error: { code: 'UNKNOWN_CLUB' } });
    const bad = await contracts('juventus', { asOf: '2025-02-30' });
    expect(bad.response.status).toBe(400);
    expect(bad.response.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.error?.errors?.map((e) => e.field)).toEqual(['asOf']);
  });
});
