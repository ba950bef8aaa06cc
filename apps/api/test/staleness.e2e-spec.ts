import type { Report } from '@squad/client';
import { startTestApi, type TestApi } from './test-api';

const juventus = { club: 'juventus' };
const marseille = { club: 'marseille' };

/** Bremer injured on 2025-01-10 with an update on 2025-07-20; Juventus' interest in Balerdi from 2025-06-17. */
const REPORTS: Report[] = [
  {
    reportId: 'squads-2025-01-01',
    source: { name: 'Club records', kind: 'official' },
    publishedOn: '2025-01-01',
    claims: [
      { type: 'PlayerRegistered', player: 'gleison-bremer', name: 'Gleison Bremer', club: 'juventus', position: 'CB' },
      {
        type: 'PlayerRegistered',
        player: 'leonardo-balerdi',
        name: 'Leonardo Balerdi',
        club: 'marseille',
        position: 'CB',
      },
      { type: 'OutgoingCandidateFlagged', club: 'marseille', player: 'leonardo-balerdi', reason: 'a big offer' },
    ],
  },
  {
    reportId: 'bremer-injured',
    source: { name: 'Tuttojuve' },
    publishedOn: '2025-01-10',
    claims: [{ type: 'PlayerInjured', player: 'gleison-bremer', injury: 'ACL' }],
  },
  {
    reportId: 'balerdi-interest',
    source: { name: 'Tuttojuve' },
    publishedOn: '2025-06-17',
    claims: [{ type: 'InterestDeclared', club: 'juventus', player: 'leonardo-balerdi', priority: 'top' }],
  },
  {
    reportId: 'bremer-still-out',
    source: { name: 'La Gazzetta dello Sport' },
    publishedOn: '2025-07-20',
    claims: [{ type: 'PlayerInjured', player: 'gleison-bremer', injury: 'ACL, still out' }],
  },
];

describe('staleness over HTTP: facts without news for long are flagged, in both clocks', () => {
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

  const bremerIn = async (query: { asOf: string; knownAt?: string }) => {
    const { data } = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
      params: { path: juventus, query: { ...query, minPosition } },
    });
    const cb = data?.positions.find((p) => p.position === 'CB');
    return { cb, bremer: cb?.players.find((p) => p.player === 'gleison-bremer') };
  };

  it('shows an injury current on 2025-02-01, stale on 2025-08-01 as known before its update, still counted injured', async () => {
    expect((await bremerIn({ asOf: '2025-02-01' })).bremer?.injury).toEqual({
      since: '2025-01-10',
      injury: 'ACL',
      lastNewsOn: '2025-01-10',
      stale: false,
    });
    const { cb, bremer } = await bremerIn({ asOf: '2025-08-01', knownAt: '2025-07-01' });
    expect(bremer).toMatchObject({ status: 'injured', injury: { lastNewsOn: '2025-01-10', stale: true } });
    expect(cb).toMatchObject({ injured: 1, available: 0 });
    // with the update known, the injury is news again
    expect((await bremerIn({ asOf: '2025-08-01' })).bremer?.injury).toMatchObject({
      injury: 'ACL, still out',
      lastNewsOn: '2025-07-20',
      stale: false,
    });
    const player = await api.client.api.GET('/v1/players/{player}', {
      params: { path: { player: 'gleison-bremer' }, query: { asOf: '2025-08-01', knownAt: '2025-07-19', minPosition } },
    });
    expect(player.data).toMatchObject({ status: 'injured', injury: { lastNewsOn: '2025-01-10', stale: true } });
  });

  it('flags a pursuit 90 days without news on the target list, the player, his squad depth and the outgoing list', async () => {
    const targets = async (asOf: string) =>
      (
        await api.client.api.GET('/v1/clubs/{club}/targets', {
          params: { path: juventus, query: { asOf, minPosition } },
        })
      ).data?.targets;
    expect(await targets('2025-09-15')).toMatchObject([
      { player: 'leonardo-balerdi', open: true, lastNewsOn: '2025-06-17', stale: false },
    ]);
    expect(await targets('2025-09-16')).toMatchObject([
      { player: 'leonardo-balerdi', stage: 'interest', open: true, lastNewsOn: '2025-06-17', stale: true },
    ]);

    const query = { asOf: '2025-09-16', minPosition };
    const suitor = { club: 'juventus', stage: 'interest', lastNewsOn: '2025-06-17', stale: true };
    const player = await api.client.api.GET('/v1/players/{player}', {
      params: { path: { player: 'leonardo-balerdi' }, query },
    });
    expect(player.data?.pursuedBy).toMatchObject([suitor]);
    const depth = await api.client.api.GET('/v1/clubs/{club}/squad-depth', { params: { path: marseille, query } });
    const balerdi = depth.data?.positions.flatMap((p) => p.players).find((p) => p.player === 'leonardo-balerdi');
    expect(balerdi?.wantedBy).toEqual([suitor]);
    const outgoing = await api.client.api.GET('/v1/clubs/{club}/outgoing', { params: { path: marseille, query } });
    expect(outgoing.data?.outgoing).toMatchObject([{ player: 'leonardo-balerdi', wantedBy: [suitor] }]);
    const juventusDepth = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
      params: { path: juventus, query },
    });
    expect(juventusDepth.data?.positions.find((p) => p.position === 'CB')?.incomingTargets).toMatchObject([
      { player: 'leonardo-balerdi', lastNewsOn: '2025-06-17', stale: true },
    ]);
  });
});
