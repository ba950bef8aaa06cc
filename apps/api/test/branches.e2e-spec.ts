import { CANONICAL_LEDGER_STREAM } from '@squad/domain';
import { startTestApi, type TestApi } from './test-api';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const BALERDI = 'leonardo-balerdi';

const report = (reportId: string, publishedOn: string, claims: Json[]) => ({
  reportId,
  source: { name: 'What-if desk' },
  publishedOn,
  claims,
});
const signing = (reportId: string, effectiveOn = '2025-08-01') =>
  report(reportId, '2025-08-01', [
    {
      type: 'TransferCompleted',
      player: BALERDI,
      fromClub: 'marseille',
      toClub: 'juventus',
      feeEur: 30_000_000,
      effectiveOn,
    },
  ]);
const interest = (reportId: string, club: string, player: string, publishedOn = '2025-08-02') =>
  report(reportId, publishedOn, [{ type: 'InterestDeclared', club, player, priority: 'high' }]);

describe('what-if branches over HTTP', () => {
  let api: TestApi;
  const get = async (path: string) => {
    const response = await fetch(`${api.url}${path}`);
    return { status: response.status, body: (await response.json()) as Json };
  };
  const post = async (path: string, body: unknown) => {
    const response = await api.post(path, body);
    return { status: response.status, body: (await response.json()) as Json };
  };
  const fork = async (name: string, forkAt: Json) => {
    const created = await post('/v1/branches', { name, forkAt });
    expect(created.status).toBe(201);
    return created.body;
  };
  const squadPlayers = (depth: Json) => depth.positions.flatMap((p: Json) => p.players.map((pl: Json) => pl.player));
  const allEvents = async (query = '') => {
    const events: Json[] = [];
    for (let after = 0; ;) {
      const page = await get(`/v1/events?after=${after}&limit=1000${query}`);
      expect(page.status).toBe(200);
      events.push(...page.body.events);
      if (page.body.nextAfter === page.body.headPosition || page.body.nextAfter === after) return events;
      after = page.body.nextAfter;
    }
  };

  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true', WRITE_RATE_LIMIT: '100000' });
  });
  afterAll(() => api.close());

  it('forks at a position: a signing recorded in the branch shows on branch reads only, and canonical history is untouched', async () => {
    const head = await api.head();
    const canonicalBefore = await api.store.readStream(CANONICAL_LEDGER_STREAM);
    const canonicalDepthBefore = await get('/v1/clubs/juventus/squad-depth?asOf=2025-08-10');
    const branch = await fork('Juventus sign Balerdi', { storePosition: head });
    expect(branch).toMatchObject({
      name: 'Juventus sign Balerdi',
      forkAt: { storePosition: head },
      stream: `ledger-branch-${branch.id}`,
    });
    expect(branch.id).toMatch(/^juventus-sign-balerdi-[0-9a-f]{8}$/);

    const signed = await post(`/v1/branches/${branch.id}/reports`, signing('what-if-balerdi-signs'));
    expect(signed.status).toBe(201);
    expect(signed.body.events[0]).toMatchObject({ stream: `ledger-branch-${branch.id}`, revision: 0 });

    // read your writes in the branch
    const depth = await get(
      `/v1/clubs/juventus/squad-depth?asOf=2025-08-10&branch=${branch.id}&minPosition=${signed.body.storePosition}`,
    );
    expect(depth.status).toBe(200);
    expect(depth.body).toMatchObject({ branch: branch.id, asOf: '2025-08-10' });
    expect(squadPlayers(depth.body)).toContain(BALERDI);
    expect((await get(`/v1/players/${BALERDI}?asOf=2025-08-10&branch=${branch.id}`)).body).toMatchObject({
      club: 'juventus',
      branch: branch.id,
    });
    const marseille = await get(`/v1/clubs/marseille/squad-depth?asOf=2025-08-10&branch=${branch.id}`);
    expect(squadPlayers(marseille.body)).not.toContain(BALERDI);
    // the pursuit in the branch ends with the signing
    const targets = await get(`/v1/clubs/juventus/targets?asOf=2025-08-10&branch=${branch.id}`);
    expect(targets.body.targets.find((t: Json) => t.player === BALERDI)).toMatchObject({
      stage: 'signed',
      open: false,
    });
    // before the signing's valid day, the branch answers like canonical history
    const early = await get(`/v1/clubs/juventus/squad-depth?asOf=2025-06-20&branch=${branch.id}`);
    const { storePosition: _p, branch: _b, ...earlyRest } = early.body;
    const { storePosition: _q, ...canonicalEarly } = (await get('/v1/clubs/juventus/squad-depth?asOf=2025-06-20')).body;
    expect(earlyRest).toEqual(canonicalEarly);

    // canonical reads, the canonical stream and the canonical event log are as they were
    const canonicalDepth = await get('/v1/clubs/juventus/squad-depth?asOf=2025-08-10');
    expect(squadPlayers(canonicalDepth.body)).not.toContain(BALERDI);
    expect({ ...canonicalDepth.body, storePosition: 0 }).toEqual({ ...canonicalDepthBefore.body, storePosition: 0 });
    expect((await get(`/v1/players/${BALERDI}?asOf=2025-08-10`)).body).toMatchObject({ club: 'marseille' });
    expect(await api.store.readStream(CANONICAL_LEDGER_STREAM)).toEqual(canonicalBefore);
    const log = await allEvents();
    expect(log.map((e: Json) => e.id)).toEqual(canonicalBefore.map((e) => e.id));
    expect(log.every((e: Json) => e.stream === CANONICAL_LEDGER_STREAM)).toBe(true);

    // the branch's log: canonical history up to the fork, then its own report
    const branchLog = await allEvents(`&branch=${branch.id}`);
    expect(branchLog.map((e: Json) => e.id)).toEqual([...canonicalBefore.map((e) => e.id), signed.body.events[0].id]);
  });

  it('keeps invariants within a branch: Balerdi, signed in the branch, cannot be signed or bid for again there', async () => {
    const branch = await fork('Balerdi twice', { storePosition: await api.head() });
    expect((await post(`/v1/branches/${branch.id}/reports`, signing('first-signing'))).status).toBe(201);

    const again = await post(`/v1/branches/${branch.id}/reports`, signing('second-signing', '2025-08-20'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'PLAYER_NOT_AT_CLUB', errors: [{ field: 'claims[0].fromClub' }] });
    const bid = await post(
      `/v1/branches/${branch.id}/reports`,
      report('bid-for-own-player', '2025-08-21', [
        { type: 'BidSubmitted', club: 'juventus', player: BALERDI, toClub: 'marseille', amountEur: 1 },
      ]),
    );
    expect(bid).toMatchObject({ status: 409, body: { code: 'PLAYER_ALREADY_AT_CLUB' } });
    // the same report again is recognised, in the branch as in canonical history
    expect((await post(`/v1/branches/${branch.id}/reports`, signing('first-signing'))).status).toBe(200);

    // another branch forked at the same point never saw the signing: there the same signing is fine
    const other = await fork('Balerdi once', { storePosition: branch.forkAt.storePosition });
    expect((await post(`/v1/branches/${other.id}/reports`, signing('second-signing'))).status).toBe(201);
    // nothing of the refused reports was written
    expect(await api.store.readStream(`ledger-branch-${branch.id}`)).toHaveLength(1);
  });

  it('answers a report id already recorded before the fork like canonical history, and takes one recorded after it as new', async () => {
    const seedReport = {
      reportId: 'tuttojuve-2025-06-17-balerdi',
      source: { name: 'Tuttojuve' },
      publishedOn: '2025-06-17',
      publishedOnApprox: false,
      claims: [] as Json[],
    };
    const branch = await fork('Ids', { storePosition: await api.head() });
    const original = (await import('../../../seeds/01-tuttojuve-2025-06-17.json')).default as Json;
    const same = await post(`/v1/branches/${branch.id}/reports`, original);
    expect(same.status).toBe(200);
    expect(same.body.events.map((e: Json) => e.stream)).toEqual(Array(5).fill(CANONICAL_LEDGER_STREAM));
    const clash = await post(`/v1/branches/${branch.id}/reports`, {
      ...seedReport,
      claims: [{ type: 'PlayerInjured', player: 'pierre-kalulu' }],
    });
    expect(clash).toMatchObject({ status: 409, body: { code: 'REPORT_ID_CONFLICT' } });

    const later = interest('canonical-after-the-fork', 'juventus', 'jonathan-david');
    expect((await post('/v1/reports', later)).status).toBe(201);
    expect(
      (
        await post(`/v1/branches/${branch.id}/reports`, {
          ...later,
          claims: [{ type: 'InterestDeclared', club: 'juventus', player: 'victor-osimhen' }],
        })
      ).status,
    ).toBe(201);
  });

  it('forks at a record-time day: the branch sees the reports published by then, and none recorded after it was created', async () => {
    const branch = await fork('As known on 20 June', { knownAt: '2025-06-20' });
    expect(branch.forkAt).toEqual({ knownAt: '2025-06-20' });

    const targets = await get(`/v1/clubs/juventus/targets?asOf=2025-09-10&branch=${branch.id}`);
    expect(targets.body.targets.find((t: Json) => t.player === BALERDI)).toMatchObject({
      stage: 'talks-refused',
      open: true,
    });
    expect(
      targets.body.targets.find((t: Json) => t.player === BALERDI).supporting.map((r: Json) => r.publishedOn),
    ).toEqual(['2025-06-17']);
    const canonicalTargets = await get('/v1/clubs/juventus/targets?asOf=2025-09-10');
    expect(canonicalTargets.body.targets.find((t: Json) => t.player === BALERDI)).toMatchObject({ stage: 'abandoned' });
    // Rugani's return from Ajax was reported on 28 June: unknown in this branch
    const rugani = (await get(`/v1/players/daniele-rugani?asOf=2025-06-25&branch=${branch.id}`)).body;
    expect(rugani).toMatchObject({ status: 'away-on-loan', loan: { toClub: 'ajax' } });

    // a canonical report published before the fork day but recorded after the branch: not in it
    const late = await post(
      '/v1/reports',
      report('late-news-of-june', '2025-06-18', [
        { type: 'PlayerInjured', player: 'federico-gatti', effectiveOn: '2025-06-18' },
      ]),
    );
    expect(late.status).toBe(201);
    const gatti = await get(
      `/v1/players/federico-gatti?asOf=2025-06-25&branch=${branch.id}&minPosition=${late.body.storePosition}`,
    );
    expect(gatti.body.status).toBe('available');
    expect((await get('/v1/players/federico-gatti?asOf=2025-06-25')).body.status).toBe('injured');

    const log = await allEvents(`&branch=${branch.id}`);
    expect(new Set(log.map((e: Json) => e.metadata.publishedOn))).toEqual(new Set(['2025-06-01', '2025-06-17']));
    // a player unknown at the fork is unknown in the branch
    expect((await get(`/v1/players/jonathan-david?branch=${branch.id}`)).status).toBe(404);
  });

  it('knows only the clubs named at its fork or in its own reports: a club first named in canonical history later answers 404 in the branch', async () => {
    const branch = await fork('Before Feyenoord', { storePosition: await api.head() });
    const canonical = await post('/v1/reports', interest('feyenoord-enters', 'feyenoord', 'nobody-yet'));
    expect(canonical.status).toBe(201);
    const at = `minPosition=${canonical.body.storePosition}`;
    expect((await get(`/v1/clubs/feyenoord/targets?${at}`)).status).toBe(200); // canonical history has it (and the read models reached it)
    expect((await get('/v1/clubs')).body.clubs).toContain('feyenoord');
    expect((await get(`/v1/clubs?branch=${branch.id}`)).body.clubs).not.toContain('feyenoord');
    expect((await get(`/v1/clubs?branch=${branch.id}`)).body.clubs).toContain('juventus');
    for (const model of ['squad-depth', 'targets', 'outgoing']) {
      expect({ model, ...(await get(`/v1/clubs/feyenoord/${model}?branch=${branch.id}&${at}`)) }).toMatchObject({
        model,
        status: 404,
        body: { code: 'UNKNOWN_CLUB' },
      });
    }
    // a record-time fork made now, as known on a day before that report was published: not there either
    const known = await fork('Known before Feyenoord', { knownAt: '2025-08-01' });
    expect((await get(`/v1/clubs?branch=${known.id}`)).body.clubs).not.toContain('feyenoord');
    expect((await get(`/v1/clubs/feyenoord/targets?branch=${known.id}`)).status).toBe(404);
    // once the branch's own report names the club, the branch knows it
    const own = await post(
      `/v1/branches/${branch.id}/reports`,
      interest('feyenoord-in-branch', 'feyenoord', 'someone-else'),
    );
    expect(own.status).toBe(201);
    expect((await get(`/v1/clubs?branch=${branch.id}`)).body.clubs).toContain('feyenoord');
    const targets = await get(`/v1/clubs/feyenoord/targets?branch=${branch.id}&asOf=2025-08-10`);
    expect(targets.status).toBe(200);
    expect(targets.body.targets.map((t: Json) => t.player)).toEqual(['someone-else']);
  });

  it('moves a fork inside a report back before it: reports are seen whole', async () => {
    const tuttojuve = (await api.store.readStream(CANONICAL_LEDGER_STREAM)).filter(
      (e) => (e.metadata as Json).reportId === 'tuttojuve-2025-06-17-balerdi',
    );
    const branch = await fork('Mid-report', { storePosition: Number(tuttojuve[2].position) });
    expect(branch.forkAt).toEqual({ storePosition: Number(tuttojuve[0].position) - 1 });
    const bremer = (await get(`/v1/players/gleison-bremer?asOf=2025-06-20&branch=${branch.id}`)).body;
    expect(bremer.status).toBe('available'); // the injury came with that report
  });

  it('keeps concurrent writes to two branches and to canonical history apart', async () => {
    const head = await api.head();
    const canonicalBefore = (await api.store.readStream(CANONICAL_LEDGER_STREAM)).length;
    const [a, b] = await Promise.all([
      fork('Branch A', { storePosition: head }),
      fork('Branch B', { storePosition: head }),
    ]);
    // four writers per stream at once: lost races are retried (a ledger tries up to 5 times)
    const players = Array.from({ length: 4 }, (_, i) => `prospect-${i}`);
    const writes = await Promise.all(
      players.flatMap((player, i) => [
        post(`/v1/branches/${a.id}/reports`, interest(`a-${i}`, 'juventus', `${player}-a`)),
        post(`/v1/branches/${b.id}/reports`, interest(`b-${i}`, 'juventus', `${player}-b`)),
        post('/v1/reports', interest(`canonical-${i}`, 'juventus', `${player}-c`)),
      ]),
    );
    expect(writes.map((w) => w.status)).toEqual(Array(writes.length).fill(201));
    const last = Math.max(...writes.map((w) => w.body.storePosition));

    const streams = async (stream: string) =>
      (await api.store.readStream(stream)).map((e) => (e.data as Json).player).sort();
    expect(await streams(`ledger-branch-${a.id}`)).toEqual(players.map((p) => `${p}-a`).sort());
    expect(await streams(`ledger-branch-${b.id}`)).toEqual(players.map((p) => `${p}-b`).sort());
    expect((await api.store.readStream(CANONICAL_LEDGER_STREAM)).length).toBe(canonicalBefore + players.length);

    const targetsOf = async (query: string) =>
      (await get(`/v1/clubs/juventus/targets?asOf=2025-08-10&minPosition=${last}${query}`)).body.targets
        .map((t: Json) => t.player)
        .filter((p: string) => p.startsWith('prospect-'));
    expect((await targetsOf(`&branch=${a.id}`)).sort()).toEqual(players.map((p) => `${p}-a`).sort());
    expect((await targetsOf(`&branch=${b.id}`)).sort()).toEqual(players.map((p) => `${p}-b`).sort());
    expect((await targetsOf('')).sort()).toEqual(players.map((p) => `${p}-c`).sort());
    expect((await allEvents()).every((e: Json) => e.stream === CANONICAL_LEDGER_STREAM)).toBe(true);
    expect((await allEvents(`&branch=${a.id}`)).some((e: Json) => e.stream === `ledger-branch-${b.id}`)).toBe(false);
  });

  it('lists and deletes branches; a deleted branch answers 404 everywhere', async () => {
    const branch = await fork('Short-lived', { storePosition: 1 });
    expect((await get('/v1/branches')).body.branches.map((x: Json) => x.id)).toContain(branch.id);
    expect((await get(`/v1/branches/${branch.id}`)).body).toMatchObject({
      id: branch.id,
      forkAt: { storePosition: 0 },
    });

    const deleted = await fetch(`${api.url}/v1/branches/${branch.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await get('/v1/branches')).body.branches.map((x: Json) => x.id)).not.toContain(branch.id);
    for (const path of [
      `/v1/branches/${branch.id}`,
      `/v1/clubs/juventus/targets?branch=${branch.id}`,
      `/v1/events?branch=${branch.id}`,
      `/v1/clubs?branch=${branch.id}`,
    ]) {
      expect({ path, ...(await get(path)) }).toMatchObject({ path, status: 404, body: { code: 'UNKNOWN_BRANCH' } });
    }
    expect((await post(`/v1/branches/${branch.id}/reports`, interest('too-late', 'juventus', 'nobody'))).status).toBe(
      404,
    );
    expect((await fetch(`${api.url}/v1/branches/${branch.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses malformed branches and fork points with 400, unknown ones with 404', async () => {
    expect(await get('/v1/clubs/juventus/targets?branch=Not_A_Branch')).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'branch' }] },
    });
    expect(await get('/v1/clubs/juventus/targets?branch=no-such-branch')).toMatchObject({
      status: 404,
      body: { code: 'UNKNOWN_BRANCH' },
    });
    const bad = await post('/v1/branches', { name: '', forkAt: { storePosition: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.field).sort()).toEqual(['forkAt.storePosition', 'name']);
    expect(
      (await post('/v1/branches', { name: 'x', forkAt: { storePosition: 1, knownAt: '2025-06-01' } })).body.errors,
    ).toEqual([{ field: 'forkAt', reason: expect.any(String) }]);
    expect((await post('/v1/branches', { name: 'x', forkAt: { knownAt: '2025-02-30' } })).body.errors).toEqual([
      { field: 'forkAt.knownAt', reason: expect.any(String) },
    ]);
    const ahead = await post('/v1/branches', { name: 'Future', forkAt: { storePosition: (await api.head()) + 1000 } });
    expect(ahead).toMatchObject({
      status: 400,
      body: { code: 'FORK_AHEAD_OF_HISTORY', errors: [{ field: 'forkAt.storePosition' }] },
    });
    expect((await post('/v1/branches/no-such-branch/reports', interest('x', 'juventus', 'y'))).status).toBe(404);
  });

  it('documents branches and replays in the OpenAPI document', async () => {
    const { body } = await get('/docs-json');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/branches',
        '/v1/branches/{id}',
        '/v1/branches/{id}/reports',
        '/v1/replays',
        '/v1/replays/{id}/stream',
        '/v1/replays/{id}/seek',
      ]),
    );
    expect(body.paths['/v1/clubs/{club}/targets'].get.parameters.map((p: Json) => p.name)).toContain('branch');
  });

  it('keeps its branches across a restart', async () => {
    const branch = await fork('Durable', { storePosition: await api.head() });
    const written = await post(`/v1/branches/${branch.id}/reports`, signing('durable-signing'));
    const { sqlitePath, dir } = api;
    await api.close(true);
    api = await startTestApi({
      SEED_ON_EMPTY: 'true',
      WRITE_RATE_LIMIT: '100000',
      SQLITE_PATH: sqlitePath,
      READ_MODEL_SNAPSHOT_PATH: `${dir}/read-models.snapshot`,
    });
    expect((await get('/v1/branches')).body.branches.map((x: Json) => x.id)).toContain(branch.id);
    const player = await get(
      `/v1/players/${BALERDI}?asOf=2025-08-10&branch=${branch.id}&minPosition=${written.body.storePosition}`,
    );
    expect(player.body.club).toBe('juventus');
    expect((await get(`/v1/players/${BALERDI}?asOf=2025-08-10`)).body.club).toBe('marseille');
  });
});
