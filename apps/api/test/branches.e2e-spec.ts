import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Branch, Claim, LiveMessage, Report, SquadDepth, StoredEvent } from '@squad/client';
import { CANONICAL_LEDGER_STREAM } from '@squad/domain';
import { Histories } from '../src/histories/histories.service';
import { ReadModels } from '../src/histories/read-models.service';
import { LiveUpdates } from '../src/live/live-updates.service';
import { SEEDS_DIR, startTestApi, type TestApi } from './test-api';
import { TypedStream } from './typed-stream';

const BALERDI = 'leonardo-balerdi';

const report = (reportId: string, publishedOn: string, claims: Claim[]): Report => ({
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
  type Query = { asOf?: string; knownAt?: string; minPosition?: number; branch?: string };
  const juventus = { club: 'juventus' };
  const depth = (club: string, query: Query) =>
    api.client.api.GET('/v1/clubs/{club}/squad-depth', { params: { path: { club }, query } });
  const targets = (club: string, query: Query) =>
    api.client.api.GET('/v1/clubs/{club}/targets', { params: { path: { club }, query } });
  const player = (id: string, query: Query) =>
    api.client.api.GET('/v1/players/{player}', { params: { path: { player: id }, query } });
  const clubs = async (branch?: string) =>
    (await api.client.api.GET('/v1/clubs', { params: { query: { branch } } })).data?.clubs;
  const record = (body: Report) => api.client.api.POST('/v1/reports', { body });
  const recordIn = (branch: string, body: Report) =>
    api.client.api.POST('/v1/branches/{id}/reports', { params: { path: { id: branch } }, body });
  const fork = async (name: string, forkAt: Branch['forkAt']) => {
    const created = await api.client.api.POST('/v1/branches', { body: { name, forkAt } });
    expect(created.response.status).toBe(201);
    return created.data!;
  };
  const squadPlayers = (document: SquadDepth | undefined) =>
    (document?.positions ?? []).flatMap((p) => p.players.map((pl) => pl.player));
  const allEvents = async (branch?: string) => {
    const events: StoredEvent[] = [];
    for (let after = 0; ;) {
      const page = await api.client.api.GET('/v1/events', { params: { query: { after, limit: 1000, branch } } });
      expect(page.response.status).toBe(200);
      const { events: some, nextAfter, headPosition } = page.data!;
      events.push(...some);
      if (nextAfter === headPosition || nextAfter === after) return events;
      after = nextAfter;
    }
  };

  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true', WRITE_RATE_LIMIT: '100000' });
  });
  afterAll(() => api.close());

  it('forks at a position: a signing recorded in the branch shows on branch reads only, and canonical history is untouched', async () => {
    const head = await api.head();
    const canonicalBefore = await api.store.readStream(CANONICAL_LEDGER_STREAM);
    const canonicalDepthBefore = (await depth('juventus', { asOf: '2025-08-10' })).data;
    const branch = await fork('Juventus sign Balerdi', { storePosition: head });
    expect(branch).toMatchObject({
      name: 'Juventus sign Balerdi',
      forkAt: { storePosition: head },
      stream: `ledger-branch-${branch.id}`,
    });
    expect(branch.id).toMatch(/^juventus-sign-balerdi-[0-9a-f]{16}$/);

    const signed = await recordIn(branch.id, signing('what-if-balerdi-signs'));
    expect(signed.response.status).toBe(201);
    expect(signed.data?.events[0]).toMatchObject({ stream: `ledger-branch-${branch.id}`, revision: 0 });

    // read your writes in the branch
    const inBranch = await depth('juventus', {
      asOf: '2025-08-10',
      branch: branch.id,
      minPosition: signed.data?.storePosition ?? undefined,
    });
    expect(inBranch.response.status).toBe(200);
    expect(inBranch.data).toMatchObject({ branch: branch.id, asOf: '2025-08-10' });
    expect(squadPlayers(inBranch.data)).toContain(BALERDI);
    expect((await player(BALERDI, { asOf: '2025-08-10', branch: branch.id })).data).toMatchObject({
      club: 'juventus',
      branch: branch.id,
    });
    const marseille = await depth('marseille', { asOf: '2025-08-10', branch: branch.id });
    expect(squadPlayers(marseille.data)).not.toContain(BALERDI);
    // the pursuit in the branch ends with the signing
    const branchTargets = await targets('juventus', { asOf: '2025-08-10', branch: branch.id });
    expect(branchTargets.data?.targets.find((t) => t.player === BALERDI)).toMatchObject({
      stage: 'signed',
      open: false,
    });
    // before the signing's valid day, the branch answers like canonical history
    const early = await depth('juventus', { asOf: '2025-06-20', branch: branch.id });
    const { storePosition: _p, branch: _b, ...earlyRest } = early.data!;
    const { storePosition: _q, ...canonicalEarly } = (await depth('juventus', { asOf: '2025-06-20' })).data!;
    expect(earlyRest).toEqual(canonicalEarly);

    // canonical reads, the canonical stream and the canonical event log are as they were
    const canonicalDepth = (await depth('juventus', { asOf: '2025-08-10' })).data;
    expect(squadPlayers(canonicalDepth)).not.toContain(BALERDI);
    expect({ ...canonicalDepth, storePosition: 0 }).toEqual({ ...canonicalDepthBefore, storePosition: 0 });
    expect((await player(BALERDI, { asOf: '2025-08-10' })).data).toMatchObject({ club: 'marseille' });
    expect(await api.store.readStream(CANONICAL_LEDGER_STREAM)).toEqual(canonicalBefore);
    const log = await allEvents();
    expect(log.map((e) => e.id)).toEqual(canonicalBefore.map((e) => e.id));
    expect(log.every((e) => e.stream === CANONICAL_LEDGER_STREAM)).toBe(true);

    // the branch's log: canonical history up to the fork, then its own report
    const branchLog = await allEvents(branch.id);
    expect(branchLog.map((e) => e.id)).toEqual([...canonicalBefore.map((e) => e.id), signed.data?.events[0].id]);
  });

  it('keeps invariants within a branch: Balerdi, signed in the branch, cannot be signed or bid for again there', async () => {
    const branch = await fork('Balerdi twice', { storePosition: await api.head() });
    expect((await recordIn(branch.id, signing('first-signing'))).response.status).toBe(201);

    const again = await recordIn(branch.id, signing('second-signing', '2025-08-20'));
    expect(again.response.status).toBe(409);
    expect(again.error).toMatchObject({ code: 'PLAYER_NOT_AT_CLUB', errors: [{ field: 'claims[0].fromClub' }] });
    const bid = await recordIn(
      branch.id,
      report('bid-for-own-player', '2025-08-21', [
        { type: 'BidSubmitted', club: 'juventus', player: BALERDI, toClub: 'marseille', amountEur: 1 },
      ]),
    );
    expect(bid).toMatchObject({ response: { status: 409 }, error: { code: 'PLAYER_ALREADY_AT_CLUB' } });
    // the same report again is recognised, in the branch as in canonical history
    expect((await recordIn(branch.id, signing('first-signing'))).response.status).toBe(200);

    // another branch forked at the same point never saw the signing: there the same signing is fine
    const other = await fork('Balerdi once', branch.forkAt);
    expect((await recordIn(other.id, signing('second-signing'))).response.status).toBe(201);
    // nothing of the refused reports was written
    expect(await api.store.readStream(`ledger-branch-${branch.id}`)).toHaveLength(1);
  });

  it('answers a report id already recorded before the fork like canonical history, and takes one recorded after it as new', async () => {
    const seedReport = {
      reportId: 'tuttojuve-2025-06-17-balerdi',
      source: { name: 'Tuttojuve' },
      publishedOn: '2025-06-17',
      publishedOnApprox: false,
    };
    const branch = await fork('Ids', { storePosition: await api.head() });
    const original = JSON.parse(readFileSync(join(SEEDS_DIR, '01-tuttojuve-2025-06-17.json'), 'utf8')) as Report;
    const same = await recordIn(branch.id, original);
    expect(same.response.status).toBe(200);
    expect(same.data?.events.map((e) => e.stream)).toEqual(Array(5).fill(CANONICAL_LEDGER_STREAM));
    const clash = await recordIn(branch.id, {
      ...seedReport,
      claims: [{ type: 'PlayerInjured', player: 'pierre-kalulu' }],
    });
    expect(clash).toMatchObject({ response: { status: 409 }, error: { code: 'REPORT_ID_CONFLICT' } });

    const later = interest('canonical-after-the-fork', 'juventus', 'jonathan-david');
    expect((await record(later)).response.status).toBe(201);
    expect(
      (
        await recordIn(branch.id, {
          ...later,
          claims: [{ type: 'InterestDeclared', club: 'juventus', player: 'victor-osimhen' }],
        })
      ).response.status,
    ).toBe(201);
  });

  it('forks at a record-time day: the branch sees the reports published by then, and none recorded after it was created', async () => {
    const branch = await fork('As known on 20 June', { knownAt: '2025-06-20' });
    expect(branch.forkAt).toEqual({ knownAt: '2025-06-20' });

    const inBranch = (await targets('juventus', { asOf: '2025-09-10', branch: branch.id })).data;
    expect(inBranch?.targets.find((t) => t.player === BALERDI)).toMatchObject({
      stage: 'talks-refused',
      open: true,
    });
    expect(inBranch?.targets.find((t) => t.player === BALERDI)?.supporting.map((r) => r.publishedOn)).toEqual([
      '2025-06-17',
    ]);
    const canonicalTargets = (await targets('juventus', { asOf: '2025-09-10' })).data;
    expect(canonicalTargets?.targets.find((t) => t.player === BALERDI)).toMatchObject({ stage: 'abandoned' });
    // Rugani's return from Ajax was reported on 28 June: unknown in this branch
    const rugani = (await player('daniele-rugani', { asOf: '2025-06-25', branch: branch.id })).data;
    expect(rugani).toMatchObject({ status: 'away-on-loan', loan: { toClub: 'ajax' } });

    // a canonical report published before the fork day but recorded after the branch: not in it
    const late = await record(
      report('late-news-of-june', '2025-06-18', [
        { type: 'PlayerInjured', player: 'federico-gatti', effectiveOn: '2025-06-18' },
      ]),
    );
    expect(late.response.status).toBe(201);
    const gatti = await player('federico-gatti', {
      asOf: '2025-06-25',
      branch: branch.id,
      minPosition: late.data?.storePosition ?? undefined,
    });
    expect(gatti.data?.status).toBe('available');
    expect((await player('federico-gatti', { asOf: '2025-06-25' })).data?.status).toBe('injured');

    const log = await allEvents(branch.id);
    expect(new Set(log.map((e) => e.metadata.publishedOn))).toEqual(new Set(['2025-06-01', '2025-06-17']));
    // a player unknown at the fork is unknown in the branch
    expect((await player('jonathan-david', { branch: branch.id })).response.status).toBe(404);
  });

  it('knows only the clubs named at its fork or in its own reports: a club first named in canonical history later answers 404 in the branch', async () => {
    const branch = await fork('Before Feyenoord', { storePosition: await api.head() });
    const canonical = await record(interest('feyenoord-enters', 'feyenoord', 'nobody-yet'));
    expect(canonical.response.status).toBe(201);
    const minPosition = canonical.data?.storePosition ?? undefined;
    expect((await targets('feyenoord', { minPosition })).response.status).toBe(200); // canonical history has it (and the read models reached it)
    expect(await clubs()).toContain('feyenoord');
    expect(await clubs(branch.id)).not.toContain('feyenoord');
    expect(await clubs(branch.id)).toContain('juventus');
    const feyenoord = { path: { club: 'feyenoord' }, query: { branch: branch.id, minPosition } };
    for (const [model, answer] of [
      ['squad-depth', await api.client.api.GET('/v1/clubs/{club}/squad-depth', { params: feyenoord })],
      ['targets', await api.client.api.GET('/v1/clubs/{club}/targets', { params: feyenoord })],
      ['outgoing', await api.client.api.GET('/v1/clubs/{club}/outgoing', { params: feyenoord })],
    ] as const) {
      expect({ model, status: answer.response.status, body: answer.error }).toMatchObject({
        model,
        status: 404,
        body: { code: 'UNKNOWN_CLUB' },
      });
    }
    // a record-time fork made now, as known on a day before that report was published: not there either
    const known = await fork('Known before Feyenoord', { knownAt: '2025-08-01' });
    expect(await clubs(known.id)).not.toContain('feyenoord');
    expect((await targets('feyenoord', { branch: known.id })).response.status).toBe(404);
    // once the branch's own report names the club, the branch knows it
    const own = await recordIn(branch.id, interest('feyenoord-in-branch', 'feyenoord', 'someone-else'));
    expect(own.response.status).toBe(201);
    expect(await clubs(branch.id)).toContain('feyenoord');
    const inBranch = await targets('feyenoord', { branch: branch.id, asOf: '2025-08-10' });
    expect(inBranch.response.status).toBe(200);
    expect(inBranch.data?.targets.map((t) => t.player)).toEqual(['someone-else']);
  });

  it('moves a fork inside a report back before it: reports are seen whole', async () => {
    const tuttojuve = (await api.store.readStream(CANONICAL_LEDGER_STREAM)).filter(
      (e) => e.metadata.reportId === 'tuttojuve-2025-06-17-balerdi',
    );
    const branch = await fork('Mid-report', { storePosition: Number(tuttojuve[2].position) });
    expect(branch.forkAt).toEqual({ storePosition: Number(tuttojuve[0].position) - 1 });
    const bremer = (await player('gleison-bremer', { asOf: '2025-06-20', branch: branch.id })).data;
    expect(bremer?.status).toBe('available'); // the injury came with that report
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
        recordIn(a.id, interest(`a-${i}`, 'juventus', `${player}-a`)),
        recordIn(b.id, interest(`b-${i}`, 'juventus', `${player}-b`)),
        record(interest(`canonical-${i}`, 'juventus', `${player}-c`)),
      ]),
    );
    expect(writes.map((w) => w.response.status)).toEqual(Array(writes.length).fill(201));
    const last = Math.max(...writes.map((w) => w.data?.storePosition ?? NaN));

    const streams = async (stream: string) =>
      (await api.store.readStream(stream)).map((e) => (e.data as { player: string }).player).sort();
    expect(await streams(`ledger-branch-${a.id}`)).toEqual(players.map((p) => `${p}-a`).sort());
    expect(await streams(`ledger-branch-${b.id}`)).toEqual(players.map((p) => `${p}-b`).sort());
    expect((await api.store.readStream(CANONICAL_LEDGER_STREAM)).length).toBe(canonicalBefore + players.length);

    const targetsOf = async (branch?: string) =>
      ((await targets('juventus', { asOf: '2025-08-10', minPosition: last, branch })).data?.targets ?? [])
        .map((t) => t.player)
        .filter((p) => p.startsWith('prospect-'));
    expect((await targetsOf(a.id)).sort()).toEqual(players.map((p) => `${p}-a`).sort());
    expect((await targetsOf(b.id)).sort()).toEqual(players.map((p) => `${p}-b`).sort());
    expect((await targetsOf()).sort()).toEqual(players.map((p) => `${p}-c`).sort());
    expect((await allEvents()).every((e) => e.stream === CANONICAL_LEDGER_STREAM)).toBe(true);
    expect((await allEvents(a.id)).some((e) => e.stream === `ledger-branch-${b.id}`)).toBe(false);
  });

  it('lists and deletes branches; a deleted branch answers 404 everywhere', async () => {
    const branch = await fork('Short-lived', { storePosition: 1 });
    const listed = async () => (await api.client.api.GET('/v1/branches')).data?.branches.map((x) => x.id);
    const id = { path: { id: branch.id } };
    expect(await listed()).toContain(branch.id);
    expect((await api.client.api.GET('/v1/branches/{id}', { params: id })).data).toMatchObject({
      id: branch.id,
      forkAt: { storePosition: 0 },
    });

    const deleted = await api.client.api.DELETE('/v1/branches/{id}', { params: id });
    expect(deleted.response.status).toBe(204);
    expect(await listed()).not.toContain(branch.id);
    const inBranch = { query: { branch: branch.id } };
    for (const [path, answer] of [
      ['/v1/branches/{id}', await api.client.api.GET('/v1/branches/{id}', { params: id })],
      [
        '/v1/clubs/{club}/targets',
        await api.client.api.GET('/v1/clubs/{club}/targets', { params: { path: juventus, ...inBranch } }),
      ],
      ['/v1/events', await api.client.api.GET('/v1/events', { params: inBranch })],
      ['/v1/clubs', await api.client.api.GET('/v1/clubs', { params: inBranch })],
    ] as const) {
      expect({ path, status: answer.response.status, body: answer.error }).toMatchObject({
        path,
        status: 404,
        body: { code: 'UNKNOWN_BRANCH' },
      });
    }
    expect((await recordIn(branch.id, interest('too-late', 'juventus', 'nobody'))).response.status).toBe(404);
    expect((await api.client.api.DELETE('/v1/branches/{id}', { params: id })).response.status).toBe(404);
  });

  it('refuses malformed branches and fork points with 400, unknown ones with 404', async () => {
    expect(await targets('juventus', { branch: 'Not_A_Branch' })).toMatchObject({
      response: { status: 400 },
      error: { errors: [{ field: 'branch' }] },
    });
    expect(await targets('juventus', { branch: 'no-such-branch' })).toMatchObject({
      response: { status: 404 },
      error: { code: 'UNKNOWN_BRANCH' },
    });
    const create = (name: string, forkAt: Branch['forkAt']) =>
      api.client.api.POST('/v1/branches', { body: { name, forkAt } });
    const bad = await create('', { storePosition: -1 });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.errors?.map((e) => e.field).sort()).toEqual(['forkAt.storePosition', 'name']);
    expect((await create('x', { storePosition: 1, knownAt: '2025-06-01' })).error?.errors).toEqual([
      { field: 'forkAt', reason: expect.any(String) },
    ]);
    expect((await create('x', { knownAt: '2025-02-30' })).error?.errors).toEqual([
      { field: 'forkAt.knownAt', reason: expect.any(String) },
    ]);
    const ahead = await create('Future', { storePosition: (await api.head()) + 1000 });
    expect(ahead).toMatchObject({
      response: { status: 400 },
      error: { code: 'FORK_AHEAD_OF_HISTORY', errors: [{ field: 'forkAt.storePosition' }] },
    });
    expect((await recordIn('no-such-branch', interest('x', 'juventus', 'y'))).response.status).toBe(404);
  });

  it('documents branches and replays in the OpenAPI document', async () => {
    // raw: the document is not an operation of the API, so not in the typed client
    const body = (await (await fetch(`${api.url}/docs-json`)).json()) as {
      paths: Record<string, { get?: { parameters: { name: string }[] } }>;
    };
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
    expect(body.paths['/v1/clubs/{club}/targets'].get?.parameters.map((p) => p.name)).toContain('branch');
  });

  it('keeps its branches across a restart', async () => {
    const branch = await fork('Durable', { storePosition: await api.head() });
    const written = await recordIn(branch.id, signing('durable-signing'));
    const { sqlitePath, dir } = api;
    await api.close(true);
    api = await startTestApi({
      SEED_ON_EMPTY: 'true',
      WRITE_RATE_LIMIT: '100000',
      SQLITE_PATH: sqlitePath,
      READ_MODEL_SNAPSHOT_PATH: `${dir}/read-models.snapshot`,
    });
    expect((await api.client.api.GET('/v1/branches')).data?.branches.map((x) => x.id)).toContain(branch.id);
    const signed = await player(BALERDI, {
      asOf: '2025-08-10',
      branch: branch.id,
      minPosition: written.data?.storePosition ?? undefined,
    });
    expect(signed.data?.club).toBe('juventus');
    expect((await player(BALERDI, { asOf: '2025-08-10' })).data?.club).toBe('marseille');
  });
});

/** What a service holds in memory for branches: its registry, the branches opened, their live feeds. */
const heldFor = (api: TestApi) => ({
  ...api.app.get(Histories).held(),
  live: api.app.get(LiveUpdates).heldForBranches(),
});
const nothingHeld = {
  branches: 0,
  owners: 0,
  ledgers: 0,
  overlays: 0,
  views: 0,
  opening: 0,
  live: { feeds: 0, streams: 0, opening: 0, deleted: 0 },
};
/** Waits until the service's read models (and so what follows them: live updates, the branches' memory) passed the store's head. */
async function caughtUp(api: TestApi): Promise<void> {
  expect(await api.app.get(ReadModels).projections.whenCaughtUp(await api.head(), 10_000)).toBe(true);
}

describe('what-if branches let go of their memory when deleted', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true', WRITE_RATE_LIMIT: '100000' });
  });
  afterAll(() => api.close());

  it('holds nothing of 30 branches once they are deleted: read, written and followed live', async () => {
    expect(heldFor(api)).toEqual(nothingHeld);
    const ids: string[] = [];
    const streams: TypedStream<LiveMessage>[] = [];
    try {
      for (let i = 0; i < 30; i++) {
        const { data: branch } = await api.client.api.POST('/v1/branches', {
          body: { name: `Memory ${i}`, forkAt: { knownAt: '2025-07-01' } },
        });
        const id = branch!.id;
        ids.push(id);
        const read = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
          params: { path: { club: 'juventus' }, query: { branch: id } },
        });
        expect(read.response.status).toBe(200);
        const written = await api.client.api.POST('/v1/branches/{id}/reports', {
          params: { path: { id } },
          body: {
            reportId: `memory-${i}`,
            source: { name: 'What-if desk' },
            publishedOn: '2025-08-01',
            claims: [{ type: 'InterestDeclared', club: 'juventus', player: `memory-player-${i}`, priority: 'high' }],
          },
        });
        expect(written.response.status).toBe(201);
        if (i % 6 === 0) {
          const stream = await TypedStream.open<LiveMessage>((options) =>
            api.client.liveUpdates({ club: 'juventus', branch: id }, options),
          );
          streams.push(stream);
          await stream.until('the snapshot', () => stream.messages.length >= 1);
        }
      }
      expect(heldFor(api)).toMatchObject({
        branches: 30,
        owners: 1,
        ledgers: 30,
        overlays: 30,
        views: 30,
        live: { feeds: 5, streams: 5 },
      });

      for (const id of ids) {
        expect((await api.client.api.DELETE('/v1/branches/{id}', { params: { path: { id } } })).response.status).toBe(
          204,
        );
      }
      for (const stream of streams) await stream.until('the end of the stream', () => stream.ended);
      await caughtUp(api);
      expect(heldFor(api)).toEqual(nothingHeld);
      expect((await api.client.api.GET('/v1/branches')).data).toEqual({ branches: [], next: null });
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});

describe('what-if branches are capped per client (BRANCH_MAX_PER_CLIENT) and in all (BRANCH_MAX_TOTAL)', () => {
  const KEY_A = 'branch-writer-a-0123456789';
  const KEY_B = 'branch-writer-b-0123456789';
  const env = {
    SEED_ON_EMPTY: 'true',
    API_KEYS: `${KEY_A},${KEY_B}`,
    BRANCH_MAX_PER_CLIENT: '2',
    BRANCH_MAX_TOTAL: '3',
  };
  let api: TestApi;
  afterAll(() => api.close());
  const fork = async (key: string, name: string) => {
    const response = await fetch(`${api.url}/v1/branches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ name, forkAt: { knownAt: '2025-07-01' } }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const remove = (key: string, id: unknown) =>
    fetch(`${api.url}/v1/branches/${String(id)}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
  const branchEvents = async () => (await api.store.readStream('branches')).length;

  it("answers 429 BRANCH_LIMIT past a client's live branches and 429 BRANCH_CAPACITY past the store's, writing nothing, and counts the same after a restart", async () => {
    api = await startTestApi(env);
    const [a1, a2] = [await fork(KEY_A, 'A one'), await fork(KEY_A, 'A two')];
    expect([a1.status, a2.status]).toEqual([201, 201]);
    const before = await branchEvents();
    expect(await fork(KEY_A, 'A three')).toEqual({
      status: 429,
      body: expect.objectContaining({ code: 'BRANCH_LIMIT', limit: 2, status: 429 }),
    });
    expect((await fork(KEY_B, 'B one')).status).toBe(201); // another client has room of its own
    expect(await fork(KEY_B, 'B two')).toEqual({
      status: 429,
      body: expect.objectContaining({ code: 'BRANCH_CAPACITY', limit: 3 }),
    });
    expect(await branchEvents()).toBe(before + 1);

    // the caps count the branches in the store: a restart does not reset them
    const { sqlitePath, dir } = api;
    await api.close(true);
    api = await startTestApi({
      ...env,
      SQLITE_PATH: sqlitePath,
      READ_MODEL_SNAPSHOT_PATH: `${dir}/read-models.snapshot`,
    });
    expect((await fork(KEY_A, 'A three')).body).toMatchObject({ code: 'BRANCH_LIMIT' });
    expect((await fork(KEY_B, 'B two')).body).toMatchObject({ code: 'BRANCH_CAPACITY' });

    // a deleted branch gives its room back, to its client and to the store
    expect((await remove(KEY_A, a1.body.id)).status).toBe(204);
    expect((await fork(KEY_A, 'A three')).status).toBe(201);
    expect((await fork(KEY_B, 'B two')).body).toMatchObject({ code: 'BRANCH_CAPACITY' });
  });
});

describe('GET /v1/branches pages', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'false' });
  });
  afterAll(() => api.close());
  const page = (query: { after?: number; limit?: number }) => api.client.api.GET('/v1/branches', { params: { query } });

  it('a page at a time, oldest first: `next` is the `after` of the next page, null on the last', async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { data } = await api.client.api.POST('/v1/branches', {
        body: { name: `Page ${i}`, forkAt: { knownAt: '2025-07-01' } },
      });
      created.push(data!.id);
    }
    const whole = await page({});
    expect(whole.data?.branches.map((b) => b.id)).toEqual(created);
    expect(whole.data?.next).toBeNull();

    const pages: string[][] = [];
    let after: number | undefined;
    for (;;) {
      const { data } = await page({ after, limit: 3 });
      pages.push(data!.branches.map((b) => b.id));
      if (data!.next === null) break;
      after = data!.next;
    }
    expect(pages).toEqual([created.slice(0, 3), created.slice(3, 6), created.slice(6)]);

    // a branch deleted between two pages moves no other
    const first = (await page({ limit: 3 })).data!;
    await api.client.api.DELETE('/v1/branches/{id}', { params: { path: { id: created[2] } } });
    expect((await page({ after: first.next!, limit: 3 })).data?.branches.map((b) => b.id)).toEqual(created.slice(3, 6));
  });

  it('answers 400 naming `limit` or `after` when it is not a whole number in range', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['after=-1', 'after'],
      ['after=1.5', 'after'],
    ] as const) {
      const response = await fetch(`${api.url}/v1/branches?${query}`);
      const problem = (await response.json()) as { code: string; errors: { field: string }[] };
      expect({
        query,
        status: response.status,
        code: problem.code,
        fields: problem.errors.map((e) => e.field),
      }).toEqual({ query, status: 400, code: 'INVALID_REQUEST', fields: [field] });
    }
    expect((await page({ limit: 1000 })).response.status).toBe(200);
  });
});
