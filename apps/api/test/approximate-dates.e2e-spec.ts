import type { Report } from '@squad/client';
import { startTestApi, type TestApi } from './test-api';

const juventus = { club: 'juventus' };

/**
 * Claims dated approximately ("early July") or by a window ("back before 4 September") beside
 * exactly dated ones: every answer showing such a day says it is approximate (issue 20).
 */
const REPORTS: Report[] = [
  {
    reportId: 'squads-2025-01-01',
    source: { name: 'Club records', kind: 'official' },
    publishedOn: '2025-01-01',
    claims: [
      { type: 'PlayerRegistered', player: 'gleison-bremer', name: 'Gleison Bremer', club: 'juventus', position: 'CB' },
      { type: 'PlayerRegistered', player: 'federico-gatti', name: 'Federico Gatti', club: 'juventus', position: 'CB' },
      {
        type: 'PlayerRegistered',
        player: 'leonardo-balerdi',
        name: 'Leonardo Balerdi',
        club: 'marseille',
        position: 'CB',
      },
    ],
  },
  {
    reportId: 'summer-news',
    source: { name: 'Tuttojuve' },
    publishedOn: '2025-06-17',
    claims: [
      // "injured some time in late May"
      {
        type: 'PlayerInjured',
        player: 'gleison-bremer',
        injury: 'ACL',
        effectiveBetween: { from: '2025-05-20', to: '2025-05-31' },
      },
      // "injured on 10 June": exact
      { type: 'PlayerInjured', player: 'federico-gatti', injury: 'thigh', effectiveOn: '2025-06-10' },
      // "Tudor took over in early June"
      {
        type: 'ManagerAppointed',
        club: 'juventus',
        manager: 'Igor Tudor',
        effectiveOn: '2025-06-05',
        effectiveOnApprox: true,
      },
      {
        type: 'InterestDeclared',
        club: 'juventus',
        player: 'leonardo-balerdi',
        priority: 'top',
        effectiveOnApprox: true,
      },
    ],
  },
  // the pursuit ends, and a new one begins on an exact day: its start is no longer approximate
  {
    reportId: 'balerdi-dropped',
    source: { name: 'Tuttojuve' },
    publishedOn: '2025-06-20',
    claims: [{ type: 'PursuitAbandoned', club: 'juventus', player: 'leonardo-balerdi' }],
  },
  {
    reportId: 'balerdi-again',
    source: { name: 'Tuttojuve' },
    publishedOn: '2025-06-25',
    claims: [{ type: 'InterestDeclared', club: 'juventus', player: 'leonardo-balerdi', priority: 'high' }],
  },
];

describe('approximate valid days over HTTP: every answer that shows the day says it is approximate', () => {
  let api: TestApi;
  let minPosition = 0;

  beforeAll(async () => {
    api = await startTestApi();
    for (const body of REPORTS) {
      const recorded = await api.client.api.POST('/v1/reports', { body });
      expect(recorded.response.status).toBe(201);
      minPosition = recorded.data!.storePosition!;
    }
  });
  afterAll(() => api.close());

  const query = { asOf: '2025-07-01', minPosition };

  it('marks an injury dated by a window on squad depth and the player, and leaves an exact one unmarked', async () => {
    const { data } = await api.client.api.GET('/v1/clubs/{club}/squad-depth', { params: { path: juventus, query } });
    const players = data?.positions.find((p) => p.position === 'CB')?.players ?? [];
    const injuryOf = (player: string) => players.find((p) => p.player === player)?.injury;
    expect(injuryOf('gleison-bremer')).toMatchObject({
      since: '2025-05-31',
      sinceApprox: true,
      sinceBetween: { from: '2025-05-20', to: '2025-05-31' },
    });
    expect(injuryOf('federico-gatti')).toMatchObject({ since: '2025-06-10' });
    expect(injuryOf('federico-gatti')).not.toHaveProperty('sinceApprox');
    expect(injuryOf('federico-gatti')).not.toHaveProperty('sinceBetween');

    const player = await api.client.api.GET('/v1/players/{player}', {
      params: { path: { player: 'gleison-bremer' }, query },
    });
    expect(player.data?.injury).toMatchObject({ sinceApprox: true, sinceBetween: { from: '2025-05-20' } });
  });

  it("marks the manager's appointment on the club and a pursuit's start on the targets", async () => {
    const club = await api.client.api.GET('/v1/clubs/{club}', { params: { path: juventus, query } });
    expect(club.data?.manager).toMatchObject({ name: 'Igor Tudor', since: '2025-06-05', sinceApprox: true });
    expect(club.data?.manager).not.toHaveProperty('sinceBetween');

    const targetOn = async (asOf: string) =>
      (
        await api.client.api.GET('/v1/clubs/{club}/targets', {
          params: { path: juventus, query: { asOf, minPosition } },
        })
      ).data?.targets.find((t) => t.player === 'leonardo-balerdi');
    expect(await targetOn('2025-06-18')).toMatchObject({ since: '2025-06-17', sinceApprox: true });
    const balerdi = await api.client.api.GET('/v1/players/{player}', {
      params: { path: { player: 'leonardo-balerdi' }, query: { asOf: '2025-06-18', minPosition } },
    });
    expect(balerdi.data?.pursuedBy.find((p) => p.club === 'juventus')).toMatchObject({ sinceApprox: true });
    // the pursuit begun again on 25 June is dated exactly
    const renewed = await targetOn('2025-07-01');
    expect(renewed).toMatchObject({ since: '2025-06-25', open: true });
    expect(renewed).not.toHaveProperty('sinceApprox');
  });
});
