import type { Report } from '@squad/client';
import { startTestApi, type TestApi } from './test-api';

const source = { name: 'Tuttojuve', url: 'https://www.tuttojuve.com/' };
const report = (reportId: string, publishedOn: string, claims: Report['claims']): Report => ({
  reportId,
  source,
  publishedOn,
  publishedOnApprox: false,
  claims,
});

const reports: Report[] = [
  report('squads-2025-06-01', '2025-06-01', [
    { type: 'PlayerRegistered', player: 'pierre-kalulu', name: 'Pierre Kalulu', club: 'juventus', position: 'CB' },
    { type: 'PlayerRegistered', player: 'federico-gatti', name: 'Federico Gatti', club: 'juventus', position: 'CB' },
    {
      type: 'PlayerRegistered',
      player: 'leonardo-balerdi',
      name: 'Leonardo Balerdi',
      club: 'marseille',
      position: 'CB',
    },
  ]),
  report('interest-2025-06-17', '2025-06-17', [
    { type: 'InterestDeclared', club: 'juventus', player: 'leonardo-balerdi', priority: 'top' },
  ]),
  // published on 20 June, dated 10 June
  report('injury-2025-06-20', '2025-06-20', [
    { type: 'PlayerInjured', player: 'federico-gatti', injury: 'hamstring', effectiveOn: '2025-06-10' },
  ]),
  report('denial-2025-07-01', '2025-07-01', [
    {
      type: 'ClaimDisputed',
      club: 'juventus',
      player: 'leonardo-balerdi',
      disputedType: 'InterestDeclared',
      statement: 'Marseille say Juventus never asked',
    },
  ]),
  report('signed-2025-08-01', '2025-08-01', [
    {
      type: 'TransferCompleted',
      player: 'leonardo-balerdi',
      fromClub: 'marseille',
      toClub: 'juventus',
      feeEur: 30_000_000,
    },
  ]),
];

describe('changes over HTTP: what the news since a day changed in the club documents', () => {
  let api: TestApi;
  const clubChanges = (
    club: string,
    query: { since: string; until?: string; limit?: number; cursor?: string; branch?: string },
  ) => api.client.api.GET('/v1/clubs/{club}/changes', { params: { path: { club }, query } });
  const brief = (e: { publishedOn: string; club: string; document: string; change: string; subject: string }) =>
    `${e.publishedOn} ${e.club} ${e.document} ${e.change} ${e.subject}`;

  beforeAll(async () => {
    api = await startTestApi();
    for (const body of reports) {
      const { response } = await api.client.api.POST('/v1/reports', { body });
      expect(response.status).toBe(201);
    }
    await api.client.api.GET('/v1/clubs', { params: { query: { minPosition: await api.head() } } });
  });
  afterAll(() => api.close());

  it("lists one club's changes newest first, each with its document, kind, subject and the reports behind it", async () => {
    const { data, response } = await clubChanges('juventus', { since: '2025-06-01', until: '2025-08-31' });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({
      club: 'juventus',
      since: '2025-06-01',
      until: '2025-08-31',
      storePosition: await api.head(),
      next: null,
    });
    expect(data!.entries.map(brief)).toEqual([
      '2025-08-01 juventus squad-depth added leonardo-balerdi',
      '2025-08-01 juventus squad-depth changed CB',
      '2025-08-01 juventus targets changed leonardo-balerdi',
      '2025-07-01 juventus targets disputed leonardo-balerdi',
      '2025-06-20 juventus squad-depth changed federico-gatti',
      '2025-06-20 juventus squad-depth changed CB',
      '2025-06-17 juventus targets added leonardo-balerdi',
      '2025-06-01 juventus squad-depth added federico-gatti',
      '2025-06-01 juventus squad-depth added pierre-kalulu',
      '2025-06-01 juventus squad-depth changed CB',
    ]);
    const at = (publishedOn: string, document: string, subject: string) =>
      data!.entries.find((e) => e.publishedOn === publishedOn && e.document === document && e.subject === subject);
    expect(at('2025-08-01', 'targets', 'leonardo-balerdi')).toMatchObject({
      reports: ['signed-2025-08-01'],
      before: { stage: 'interest' },
      after: { stage: 'signed' },
    });
    expect(at('2025-07-01', 'targets', 'leonardo-balerdi')).toMatchObject({
      reports: ['denial-2025-07-01'],
      before: { contradicting: [] },
      after: { contradicting: [{ reportId: 'denial-2025-07-01', statement: 'Marseille say Juventus never asked' }] },
    });
    // back-dated: told on its publication day, as known that day
    expect(at('2025-06-20', 'squad-depth', 'federico-gatti')).toMatchObject({
      subjectKind: 'player',
      reports: ['injury-2025-06-20'],
      before: { status: 'available' },
      after: { status: 'injured', injury: { since: '2025-06-10', injury: 'hamstring' } },
    });
    expect(at('2025-06-20', 'squad-depth', 'CB')).toMatchObject({
      subjectKind: 'position',
      before: { available: 2 },
      after: { available: 1 },
    });
    expect(at('2025-06-17', 'targets', 'leonardo-balerdi')!.before).toBeUndefined();
  });

  it('tells nothing of a back-dated report before the day it was published', async () => {
    const { data } = await clubChanges('juventus', { since: '2025-06-02', until: '2025-06-19' });
    expect(data!.entries.map(brief)).toEqual(['2025-06-17 juventus targets added leonardo-balerdi']);
  });

  it('over every club: entries carry their club; the seller sees him leave', async () => {
    const { data, response } = await api.client.api.GET('/v1/changes', {
      params: { query: { since: '2025-08-01', until: '2025-08-01' } },
    });
    expect(response.status).toBe(200);
    expect(data).not.toHaveProperty('club');
    expect(data!.entries.map(brief)).toEqual([
      '2025-08-01 juventus squad-depth added leonardo-balerdi',
      '2025-08-01 juventus squad-depth changed CB',
      '2025-08-01 juventus targets changed leonardo-balerdi',
      '2025-08-01 marseille squad-depth removed leonardo-balerdi',
      '2025-08-01 marseille squad-depth changed CB',
    ]);
  });

  it('pages with limit and next to the same entries as one page', async () => {
    const whole = (await clubChanges('juventus', { since: '2025-06-01', until: '2025-08-31' })).data!.entries;
    const paged: typeof whole = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { data } = await clubChanges('juventus', { since: '2025-06-01', until: '2025-08-31', limit: 3, cursor });
      expect(data!.entries.length).toBeLessThanOrEqual(3);
      paged.push(...data!.entries);
      cursor = data!.next ?? undefined;
      pages++;
    } while (cursor !== undefined && pages < 20);
    expect(cursor).toBeUndefined();
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(paged).toEqual(whole);
  });

  it('reads a what-if branch with branch=, and canonical history stays as it was', async () => {
    const { data: branch } = await api.client.api.POST('/v1/branches', {
      body: { name: 'Kalulu hurt', forkAt: { storePosition: await api.head() } },
    });
    const posted = await api.client.api.POST('/v1/branches/{id}/reports', {
      params: { path: { id: branch!.id } },
      body: report('kalulu-2025-08-20', '2025-08-20', [{ type: 'PlayerInjured', player: 'pierre-kalulu' }]),
    });
    expect(posted.response.status).toBe(201);
    const inBranch = (await clubChanges('juventus', { since: '2025-08-10', until: '2025-08-31', branch: branch!.id }))
      .data!;
    expect(inBranch.branch).toBe(branch!.id);
    expect(inBranch.entries.map(brief)).toEqual([
      '2025-08-20 juventus squad-depth changed pierre-kalulu',
      '2025-08-20 juventus squad-depth changed CB',
    ]);
    const canonical = (await clubChanges('juventus', { since: '2025-08-10', until: '2025-08-31' })).data!;
    expect(canonical.entries).toEqual([]);
  });

  it('refuses a bad window naming the field and why, and answers 404 for an unknown club', async () => {
    const fieldsOf = async (query: string) => {
      const response = await fetch(`${api.url}/v1/clubs/juventus/changes?${query}`);
      expect(response.status).toBe(400);
      return ((await response.json()) as { errors: { field: string; reason: string }[] }).errors;
    };
    expect(await fieldsOf('since=2025-07-02&until=2025-07-01')).toEqual([
      { field: 'since', reason: 'since (2025-07-02) must be on or before until (2025-07-01)' },
    ]);
    expect(await fieldsOf('since=2015-06-30&until=2025-07-01')).toEqual([
      { field: 'since', reason: 'since must be at most 10 years before until: 2015-07-01 or later' },
    ]);
    expect((await fieldsOf('until=2025-07-01')).map((e) => e.field)).toEqual(['since']);
    expect((await fieldsOf('since=2025-13-01')).map((e) => e.field)).toEqual(['since']);
    expect((await fieldsOf('since=2025-06-01&limit=1001')).map((e) => e.field)).toEqual(['limit']);
    expect((await fieldsOf('since=2025-06-01&cursor=yesterday')).map((e) => e.field)).toEqual(['cursor']);
    expect((await fieldsOf('since=2025-06-01&until=2025-06-30&cursor=2025-07-01')).map((e) => e.field)).toEqual([
      'cursor',
    ]);
    // the widest window allowed is answered
    expect((await clubChanges('juventus', { since: '2015-07-01', until: '2025-07-01' })).response.status).toBe(200);

    const unknown = await clubChanges('no-such-club', { since: '2025-06-01' });
    expect(unknown).toMatchObject({ response: { status: 404 }, error: { code: 'UNKNOWN_CLUB' } });
  });
});
