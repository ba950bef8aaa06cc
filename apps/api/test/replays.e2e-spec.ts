import { request, type IncomingMessage } from 'node:http';
import { EventEmitter } from 'node:events';
import type { Claim, paths, Replay, ReplayDayMessage, ReplayMessage, Report } from '@squad/client';
import { fromDay, toDay } from '@squad/projections';
import { ReplaySession } from '../src/replays/replay-session';
import { SseClient } from './sse-client';
import { startTestApi, type TestApi } from './test-api';
import { daysOf, documentOf, restDocument, TypedStream } from './typed-stream';

type NewReplay = paths['/v1/replays']['post']['requestBody']['content']['application/json'];

/** Days of the seed reports, in the summer 2025 window. */
const SEED_DAYS = ['2025-06-01', '2025-06-17', '2025-06-25', '2025-06-28', '2025-07-06', '2025-09-04'];

describe('replays over HTTP', () => {
  let api: TestApi;
  const streams: { close(): void }[] = [];
  /** Replays a test made: deleted after it, as a client holds at most MAX_REPLAYS_PER_CLIENT at once. */
  const made: string[] = [];
  const create = async (body: NewReplay) => {
    const created = await api.client.api.POST('/v1/replays', { body });
    expect(created.response.status).toBe(201);
    made.push(created.data!.id);
    return created.data!;
  };
  /** A replay's stream through the typed client, once it is open. */
  const open = async (id: string, lastEventId?: string) => {
    const stream = await TypedStream.open<ReplayMessage>((options) =>
      api.client.replay(id, {}, { ...options, lastEventId }),
    );
    streams.push(stream);
    return stream;
  };
  const ended = (stream: TypedStream<ReplayMessage>) => stream.messages.some((m) => m.event === 'end');
  const byId = (id: string) => ({ params: { path: { id } } });
  const status = (id: string) => api.client.api.GET('/v1/replays/{id}', byId(id));
  const step = (id: string) => api.client.api.POST('/v1/replays/{id}/step', byId(id));
  const pause = (id: string) => api.client.api.POST('/v1/replays/{id}/pause', byId(id));
  const resume = (id: string, speed?: Replay['speed']) =>
    api.client.api.POST('/v1/replays/{id}/resume', {
      ...byId(id),
      ...(speed === undefined ? {} : { body: { speed } }),
    });
  const seek = (id: string, to: string) => api.client.api.POST('/v1/replays/{id}/seek', { ...byId(id), body: { to } });
  const record = async (body: Report) => (await api.client.api.POST('/v1/reports', { body })).response.status;
  const recordIn = async (branch: string, body: Report) =>
    (await api.client.api.POST('/v1/branches/{id}/reports', { params: { path: { id: branch } }, body })).response
      .status;
  const fork = async (name: string) =>
    (await api.client.api.POST('/v1/branches', { body: { name, forkAt: { storePosition: 33 } } })).data!;
  /** Polls a replay's state until `check` holds (the server's own account, no fixed sleep). */
  const untilStatus = async (id: string, what: string, check: (status: Replay) => boolean, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = (await status(id)).data!;
      if (check(current)) return current;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(current)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true', LIVE_HEARTBEAT_MS: '200' });
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    for (const id of made.splice(0)) await api.client.api.DELETE('/v1/replays/{id}', byId(id));
  });
  afterAll(() => api.close());

  it('streams the window day by day at full speed: the reports of each day and the documents that changed, as of that day', async () => {
    const replay = await create({ from: '2025-06-01', to: '2025-09-10', club: 'juventus' });
    expect(replay).toMatchObject({
      state: 'playing',
      speed: 'max',
      clubs: ['juventus'],
      days: 102,
      reports: 10,
      storePosition: await api.head(),
      stream: `/v1/replays/${replay.id}/stream`,
    });

    const stream = await open(replay.id);
    expect(stream.response?.headers.get('content-type')).toContain('text/event-stream');
    await stream.until('the end', () => ended(stream));
    const told = daysOf(stream);
    expect(told.map((m) => m.id)).toEqual(SEED_DAYS);
    expect(told.map((m) => m.data.day)).toEqual(SEED_DAYS);
    expect(told[1].data.reports).toEqual([
      expect.objectContaining({
        reportId: 'tuttojuve-2025-06-17-balerdi',
        source: { name: 'Tuttojuve' },
        publishedOn: '2025-06-17',
        claims: expect.arrayContaining([
          {
            type: 'InterestDeclared',
            club: 'juventus',
            player: 'leonardo-balerdi',
            priority: 'top',
            effectiveOn: '2025-06-17',
          },
        ]),
      }),
      // the same article's later report (issue 20): about Balerdi, a target of Juventus
      expect.objectContaining({ reportId: 'tuttojuve-2025-06-17-balerdi-profile', publishedOn: '2025-06-17' }),
    ]);
    expect(told[1].data.reports[0].claims).toHaveLength(5);
    // the first day tells the three documents whole; each is what the REST endpoint answers for that day, as known then
    expect(told[0].data.changes.map((c) => `${c.club}/${c.model}`)).toEqual([
      'juventus/squad-depth',
      'juventus/targets',
      'juventus/outgoing',
    ]);
    for (const message of told) {
      for (const change of message.data.changes) {
        const rest = await restDocument(api.client.api, change.model, change.club, {
          asOf: message.id,
          knownAt: message.id,
        });
        expect({ day: message.id, model: change.model, document: change.document }).toEqual({
          day: message.id,
          model: change.model,
          document: rest,
        });
      }
    }
    // on 17 June Bremer and Cabal are injured, and Balerdi becomes a target
    const depth = documentOf(told[1].data.changes, 'squad-depth');
    expect(depth?.totals.injured).toBe(2);
    expect(documentOf(told[1].data.changes, 'targets')?.targets[0]).toMatchObject({
      player: 'leonardo-balerdi',
      stage: 'talks-refused',
    });
    // only what changed: on 25 June, talks requested change no count in Juventus' squad depth (the stage only moves
    // forward); only the incoming target's latest news moves to that day's (approximately dated) report
    const before = documentOf(told[1].data.changes, 'squad-depth');
    const after = documentOf(told[2].data.changes, 'squad-depth');
    expect(after?.totals).toEqual(before?.totals);
    const incoming = (document: typeof after) => document?.positions.flatMap((p) => p.incomingTargets);
    expect(incoming(before)?.map((t) => t.lastNewsOn)).toEqual(['2025-06-17']);
    expect(incoming(after)?.map((t) => ({ on: t.lastNewsOn, approx: t.lastNewsOnApprox }))).toEqual([
      { on: '2025-06-25', approx: true },
    ]);
    // while its target list now shows Marseille's stance, from Football Italia's report of that day
    expect(documentOf(told[2].data.changes, 'targets')?.targets[0].notForSale).toMatchObject({ since: '2025-06-25' });
    expect(stream.messages.find((m) => m.event === 'end')?.data).toMatchObject({
      from: '2025-06-01',
      to: '2025-09-10',
      daysSent: 6,
    });
    expect(await status(replay.id)).toMatchObject({
      response: { status: 200 },
      data: { state: 'ended', daysSent: 6, streaming: true },
    });
  });

  it('is deterministic: the same replay twice gives the same messages, byte for byte, whoever records meanwhile', async () => {
    // raw SseClient: the messages are compared as sent, byte for byte
    const openRaw = async (stream: string) => {
      const client = await SseClient.open(`${api.url}${stream}`);
      streams.push(client);
      return client;
    };
    const rawDays = (client: SseClient) => client.messages.filter((m) => m.event === 'day');
    const rawEnded = (client: SseClient) => client.messages.some((m) => m.event === 'end');
    const first = await create({ from: '2025-06-01', to: '2025-09-10' });
    const second = await create({ from: '2025-06-01', to: '2025-09-10' });
    const a = await openRaw(first.stream);
    await a.until('the end', () => rawEnded(a));
    // a report recorded now, published inside the window, is not part of replays created before it
    expect(
      await record({
        reportId: 'late-news',
        source: { name: 'Late' },
        publishedOn: '2025-06-20',
        claims: [{ type: 'PlayerInjured', player: 'pierre-kalulu' }],
      }),
    ).toBe(201);
    const b = await openRaw(second.stream);
    await b.until('the end', () => rawEnded(b));
    expect(b.messages.filter((m) => m.event === 'day')).toEqual(a.messages.filter((m) => m.event === 'day'));
    expect(rawDays(a).map((m) => m.id)).toEqual(SEED_DAYS);
    // without a club, each day tells the documents of the clubs its reports touch (that changed)
    const clubsOf = (message: { data: string }) => [
      ...new Set((JSON.parse(message.data) as ReplayDayMessage).changes.map((c) => c.club)),
    ];
    expect(clubsOf(rawDays(a)[0])).toEqual(['ajax', 'juventus', 'marseille']); // the baseline: squads, and Rugani's loan to Ajax
    // Marseille's refusal changes none of its documents, but Juventus' pursuit of Balerdi shows on its board (wantedBy)
    expect(clubsOf(rawDays(a)[1])).toEqual(['juventus', 'marseille']);

    const third = await create({ from: '2025-06-01', to: '2025-09-10' });
    const c = await openRaw(third.stream);
    await c.until('the end', () => rawEnded(c));
    expect(rawDays(c).map((m) => m.id)).toEqual([...SEED_DAYS.slice(0, 2), '2025-06-20', ...SEED_DAYS.slice(2)]);
  });

  it('steps, seeks, pauses and resumes', async () => {
    const replay = await create({ from: '2025-06-01', to: '2025-09-10', speed: 'step', club: 'juventus' });
    expect(replay.state).toBe('paused');
    const stream = await open(replay.id);
    expect(await step(replay.id)).toMatchObject({
      response: { status: 200 },
      data: { told: '2025-06-01', next: '2025-06-02', state: 'paused' },
    });
    // step mode walks calendar days: the 2nd of June has no report, and nothing changed
    expect((await step(replay.id)).data?.told).toBe('2025-06-02');
    await stream.until('two days', () => daysOf(stream).length === 2);
    expect(daysOf(stream)[1].data).toEqual({ day: '2025-06-02', reports: [], changes: [] });

    // seek: the next day told is that one, its documents whole
    expect(await seek(replay.id, '2025-06-28')).toMatchObject({
      response: { status: 200 },
      data: { next: '2025-06-28' },
    });
    expect((await step(replay.id)).data?.told).toBe('2025-06-28');
    await stream.until('the sought day', () => daysOf(stream).length === 3);
    const sought = daysOf(stream)[2].data;
    expect(sought.reports.map((r) => r.reportId)).toEqual([
      'gazzetta-2025-06-28-balerdi',
      'gazzetta-2025-06-28-captain-staff-squad',
    ]);
    expect(sought.changes.map((c) => c.model)).toEqual(['squad-depth', 'targets', 'outgoing']);
    expect(documentOf(sought.changes, 'outgoing')?.outgoing.map((o) => o.player)).toEqual([
      'daniele-rugani',
      'lloyd-kelly',
    ]);

    // a step replay plays only with a speed
    expect((await resume(replay.id)).error?.code).toBe('REPLAY_STEP_ONLY');
    expect((await resume(replay.id, 'max')).data?.state).toBe('playing');
    await stream.until('the end', () => ended(stream));
    expect(
      daysOf(stream)
        .map((m) => m.id)
        .slice(3),
    ).toEqual(['2025-07-06', '2025-09-04']);

    // back to the start at a finite speed: every calendar day, in order, then paused mid-way
    await pause(replay.id);
    await seek(replay.id, '2025-06-01');
    const before = daysOf(stream).length;
    await resume(replay.id, 400);
    await stream.until('a few more days', () => daysOf(stream).length >= before + 10);
    const paused = (await pause(replay.id)).data!;
    expect(paused.state).toBe('paused');
    const resumedDays = daysOf(stream)
      .slice(before)
      .map((m) => m.id);
    expect(resumedDays).toEqual(resumedDays.map((_, i) => fromDay(toDay('2025-06-01') + i)));
    // nothing moves while paused: the next step tells the day after the last one told
    const stepped = (await step(replay.id)).data!;
    await stream.until('the step', () => daysOf(stream).at(-1)!.id === stepped.told);
    expect(toDay(stepped.told!)).toBe(toDay(resumedDays.at(-1) ?? paused.lastDay!) + 1);
  });

  it('refuses to resume a replay to "step" and leaves it as it was', async () => {
    const replay = await create({ from: '2025-06-01', to: '2025-09-10', club: 'juventus', speed: 20 });
    await pause(replay.id);
    expect((await resume(replay.id, 'step')).error?.code).toBe('REPLAY_STEP_ONLY');
    expect((await status(replay.id)).data).toMatchObject({ speed: 20, state: 'paused' });
    // and it still resumes at its own speed
    expect((await resume(replay.id)).data).toMatchObject({ speed: 20, state: 'playing' });
    await pause(replay.id);
  });

  it('tells the days when facts learned earlier take effect: a transfer dated after its report, a loan ending by itself', async () => {
    // reported on 10 June, effective on 1 July (and a signing elsewhere, on 1 September); a loan reported on 1 August, ending after 31 December
    const claims: Claim[] = [
      {
        type: 'TransferCompleted',
        player: 'daniele-rugani',
        fromClub: 'juventus',
        toClub: 'ajax',
        effectiveOn: '2027-07-01',
      },
      {
        type: 'PlayerRegistered',
        player: 'boca-keeper',
        name: 'Boca Keeper',
        club: 'boca-juniors',
        position: 'GK',
        effectiveOn: '2027-09-01',
      },
    ];
    expect(
      await record({
        reportId: 'rugani-sold',
        source: { name: 'Mercato desk' },
        publishedOn: '2027-06-10',
        claims,
      }),
    ).toBe(201);
    expect(
      await record({
        reportId: 'kelly-loaned',
        source: { name: 'Mercato desk' },
        publishedOn: '2027-08-01',
        claims: [{ type: 'LoanDeparted', player: 'lloyd-kelly', toClub: 'ajax', until: '2027-12-31' }],
      }),
    ).toBe(201);
    const replay = await create({ from: '2027-06-01', to: '2028-01-31' }); // no club followed, at full speed
    const stream = await open(replay.id);
    await stream.until('the end', () => ended(stream));
    const told = daysOf(stream).map((m) => m.data);
    expect(told.map((m) => m.day)).toEqual(['2027-06-10', '2027-07-01', '2027-08-01', '2027-09-01', '2028-01-01']);
    // each message carries the documents that changed that day, as the REST endpoints answer them for that day
    for (const message of told) {
      for (const change of message.changes) {
        const rest = await restDocument(api.client.api, change.model, change.club, {
          asOf: message.day,
          knownAt: message.day,
        });
        expect({ day: message.day, document: change.document }).toEqual({ day: message.day, document: rest });
      }
    }
    const members = (message: ReplayDayMessage, club: string) =>
      (documentOf(message.changes, 'squad-depth', club)?.positions ?? []).flatMap((p) =>
        p.players.map((x) => `${x.player}:${x.status}`),
      );
    expect(told[1].reports).toEqual([]);
    expect(members(told[1], 'juventus')).not.toContain('daniele-rugani:available');
    expect(members(told[1], 'ajax')).toContain('daniele-rugani:available');
    expect(members(told[2], 'juventus')).toContain('lloyd-kelly:away-on-loan');
    expect(told[3].changes.map((c) => `${c.club}/${c.model}`)).toEqual(['boca-juniors/squad-depth']);
    expect(members(told[3], 'boca-juniors')).toEqual(['boca-keeper:available']);
    expect(told[4].reports).toEqual([]);
    expect(members(told[4], 'juventus')).toContain('lloyd-kelly:available');
    expect(told[4].changes.map((c) => c.club)).toContain('ajax');

    // following a club, the same days, but for the one when nothing of that club's changed
    const followed = await create({ from: '2027-06-01', to: '2028-01-31', club: 'juventus' });
    const second = await open(followed.id);
    await second.until('the end', () => ended(second));
    expect(daysOf(second).map((m) => m.id)).toEqual(['2027-06-10', '2027-07-01', '2027-08-01', '2028-01-01']);
    expect(daysOf(second)[1].data.changes.map((c) => c.model)).toContain('squad-depth');
  });

  it('lists, when following clubs, only the reports that touch them: naming them, or about their players', async () => {
    // one day, two reports: an injury of a Juventus player (Juventus not named), a signing at Ajax
    expect(
      await record({
        reportId: 'bremer-hurt-2029',
        source: { name: 'Tuttojuve' },
        publishedOn: '2029-03-10',
        claims: [{ type: 'PlayerInjured', player: 'gleison-bremer', injury: 'hamstring' }],
      }),
    ).toBe(201);
    expect(
      await record({
        reportId: 'ajax-keeper-2029',
        source: { name: 'De Telegraaf' },
        publishedOn: '2029-03-10',
        claims: [
          { type: 'PlayerRegistered', player: 'ajax-keeper', name: 'Ajax Keeper', club: 'ajax', position: 'GK' },
        ],
      }),
    ).toBe(201);
    const reportsTold = async (club?: string) => {
      const replay = await create({ from: '2029-03-01', to: '2029-03-31', ...(club ? { club } : {}) });
      const stream = await open(replay.id);
      await stream.until('the end', () => ended(stream));
      return daysOf(stream).map((m) => ({ day: m.data.day, reports: m.data.reports.map((r) => r.reportId) }));
    };
    expect(await reportsTold('juventus')).toEqual([{ day: '2029-03-10', reports: ['bremer-hurt-2029'] }]);
    expect(await reportsTold('ajax')).toEqual([{ day: '2029-03-10', reports: ['ajax-keeper-2029'] }]);
    // nothing about Marseille: the first day told carries its documents whole, with no report
    expect(await reportsTold('marseille')).toEqual([{ day: '2029-03-10', reports: [] }]);
    expect(await reportsTold()).toEqual([{ day: '2029-03-10', reports: ['bremer-hurt-2029', 'ajax-keeper-2029'] }]);
  });

  it("judges squad depth by the replay's formation when it names one, else by the manager's", async () => {
    expect(
      await record({
        reportId: 'formation-club-2031',
        source: { name: 'Club statement' },
        publishedOn: '2031-01-05',
        claims: [
          {
            type: 'PlayerRegistered',
            player: 'formation-club-keeper',
            name: 'A Keeper',
            club: 'formation-club',
            position: 'GK',
          },
          { type: 'ManagerAppointed', club: 'formation-club', manager: 'A Manager', formation: '3-4-2-1' },
        ],
      }),
    ).toBe(201);
    const toldFormation = async (formation?: string) => {
      const replay = await create({
        from: '2031-01-01',
        to: '2031-01-10',
        club: 'formation-club',
        ...(formation ? { formation } : {}),
      });
      const stream = await open(replay.id);
      await stream.until('the end', () => ended(stream));
      const depth = daysOf(stream)
        .flatMap((m) => m.data.changes)
        .find((change) => change.model === 'squad-depth');
      return depth && { formation: depth.document.formation, formationFrom: depth.document.formationFrom };
    };
    expect(await toldFormation('4-3-3')).toEqual({ formation: '4-3-3', formationFrom: 'request' });
    expect(await toldFormation()).toEqual({ formation: '3-4-2-1', formationFrom: 'manager' });
  });

  it('keeps a finite speed: n days take at least n - 1 intervals', async () => {
    const replay = await create({ from: '2025-06-01', to: '2025-06-05', speed: 20, club: 'juventus' }); // a day every 50 ms
    const stream = await open(replay.id);
    await stream.until('the first day', () => daysOf(stream).length >= 1);
    const started = Date.now();
    await stream.until('the end', () => ended(stream));
    expect(daysOf(stream).map((m) => m.id)).toEqual([
      '2025-06-01',
      '2025-06-02',
      '2025-06-03',
      '2025-06-04',
      '2025-06-05',
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 50 - 10);
  });

  it('resumes after Last-Event-ID, and ends the stream on DELETE', async () => {
    const replay = await create({ from: '2025-06-01', to: '2025-09-10', club: 'juventus', speed: 'step' });
    const first = await open(replay.id);
    await step(replay.id);
    await step(replay.id);
    await first.until('two days', () => daysOf(first).length === 2);
    first.close();
    const second = await open(replay.id, '2025-06-01');
    expect((await step(replay.id)).data?.told).toBe('2025-06-02');
    await second.until('the resumed day', () => daysOf(second).length === 1);
    // a new client gets the documents whole
    expect(daysOf(second)[0].data.changes).toHaveLength(3);

    const deleted = await api.client.api.DELETE('/v1/replays/{id}', byId(replay.id));
    expect(deleted.response.status).toBe(204);
    await second.until('the stream to close', () => second.ended);
    expect((await status(replay.id)).response.status).toBe(404);
  });

  it('replays a what-if branch with its own reports', async () => {
    const branch = await fork('Balerdi signs');
    await recordIn(branch.id, {
      reportId: 'what-if-signing',
      source: { name: 'What-if desk' },
      publishedOn: '2025-08-01',
      claims: [{ type: 'TransferCompleted', player: 'leonardo-balerdi', fromClub: 'marseille', toClub: 'juventus' }],
    });
    const replay = await create({ from: '2025-07-01', to: '2025-08-31', club: 'juventus', branch: branch.id });
    const stream = await open(replay.id);
    await stream.until('the end', () => ended(stream));
    expect(daysOf(stream).map((m) => m.id)).toEqual(['2025-07-06', '2025-08-01']);
    const signing = daysOf(stream)[1].data;
    expect(signing.reports[0].reportId).toBe('what-if-signing');
    const depth = documentOf(signing.changes, 'squad-depth');
    expect(depth?.branch).toBe(branch.id);
    expect(depth?.positions.find((p) => p.position === 'CB')?.players.map((p) => p.player)).toContain(
      'leonardo-balerdi',
    );
  });

  it('replays a branch as it stood when the replay was created: later branch writes stay out, the same replay twice tells the same days', async () => {
    const branch = await fork('Frozen what-if');
    const write = async (reportId: string, publishedOn: string, claim: Claim) =>
      expect(
        await recordIn(branch.id, { reportId, source: { name: 'What-if desk' }, publishedOn, claims: [claim] }),
      ).toBe(201);
    await write('what-if-bid', '2025-08-01', {
      type: 'BidSubmitted',
      club: 'juventus',
      player: 'leonardo-balerdi',
      toClub: 'marseille',
      amountEur: 30_000_000,
    });
    const first = await create({ from: '2025-07-01', to: '2025-08-31', club: 'juventus', branch: branch.id });
    const second = await create({ from: '2025-07-01', to: '2025-08-31', club: 'juventus', branch: branch.id });
    const a = await open(first.id);
    await a.until('the end', () => ended(a));
    expect(daysOf(a).map((m) => m.id)).toEqual(['2025-07-06', '2025-08-01']);

    // written to the branch after both replays were created, and read (so the branch's reads catch up)
    await write('what-if-injury', '2025-08-15', { type: 'PlayerInjured', player: 'federico-gatti' });
    const depth = await api.client.api.GET('/v1/clubs/{club}/squad-depth', {
      params: { path: { club: 'juventus' }, query: { branch: branch.id, asOf: '2025-08-20' } },
    });
    expect(depth.data?.totals.injured).toBeGreaterThan(0);
    const b = await open(second.id);
    await b.until('the end', () => ended(b));
    // as sent (their data in the order of its keys, as the raw messages were compared)
    const asSent = (stream: TypedStream<ReplayMessage>) => daysOf(stream).map((m) => JSON.stringify(m));
    expect(asSent(b)).toEqual(asSent(a));

    // a replay created now sees it
    const third = await create({ from: '2025-07-01', to: '2025-08-31', club: 'juventus', branch: branch.id });
    const c = await open(third.id);
    await c.until('the end', () => ended(c));
    expect(daysOf(c).map((m) => m.id)).toEqual(['2025-07-06', '2025-08-01', '2025-08-15']);
  });

  it('refuses bad replays with 400 and unknown ones with 404', async () => {
    const bad = await api.client.api.POST('/v1/replays', {
      body: { from: '2025-09-10', to: '2025-06-01', speed: -1, club: 'Not A Club' },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.errors?.map((e) => e.field).sort()).toEqual(['club', 'speed', 'to']);
    const refused = async (body: NewReplay) => (await api.client.api.POST('/v1/replays', { body })).error?.code;
    expect(await refused({ from: '2025-06-01', to: '2025-06-02', club: 'real-madrid' })).toBe('UNKNOWN_CLUB');
    expect(await refused({ from: '2025-06-01', to: '2025-06-02', branch: 'no-such-branch' })).toBe('UNKNOWN_BRANCH');
    expect((await status('0123456789abcdef')).response.status).toBe(404);
    const replay = await create({ from: '2025-06-01', to: '2025-06-30', speed: 'step' });
    expect((await seek(replay.id, '2025-07-01')).response.status).toBe(400);
    expect((await step(replay.id)).error?.code).toBe('REPLAY_NOT_STREAMING');
  });

  it('drops a replay nobody streams or steers for REPLAY_IDLE_TIMEOUT_MS, and keeps one being streamed', async () => {
    const short = await startTestApi({
      SEED_ON_EMPTY: 'true',
      REPLAY_IDLE_TIMEOUT_MS: '1000',
      LIVE_HEARTBEAT_MS: '200',
    });
    try {
      const make = async () =>
        (
          await short.client.api.POST('/v1/replays', {
            body: { from: '2025-06-01', to: '2025-06-30', speed: 'step' },
          })
        ).data!;
      const statusOf = async (id: string) => (await short.client.api.GET('/v1/replays/{id}', byId(id))).response.status;
      const [idle, watched] = [await make(), await make()];
      // raw SseClient: it counts the heartbeats (comments), which the typed client does not surface
      const client = await SseClient.open(`${short.url}${watched.stream}`);
      streams.push(client);
      const deadline = Date.now() + 10_000;
      while ((await statusOf(idle.id)) !== 404) {
        if (Date.now() > deadline) throw new Error('the idle replay was never dropped');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await statusOf(watched.id)).toBe(200);
      expect(client.comments).toBeGreaterThan(0); // heartbeats kept it alive
    } finally {
      for (const stream of streams.splice(0)) stream.close();
      await short.close();
    }
  });

  it('streams thousands of reports at full speed to a slow reader without holding more than about a day in memory', async () => {
    // 2,000 reports over 40 days: Juventus declare interest in 50 new players a day, so the target list grows every day
    const reports: Report[] = Array.from({ length: 2000 }, (_, i) => ({
      reportId: `scouting-${i}`,
      source: { name: 'Scouting desk' },
      publishedOn: fromDay(toDay('2026-01-01') + Math.floor(i / 50)),
      claims: [{ type: 'InterestDeclared', club: 'juventus', player: `prospect-${i}`, priority: 'medium' }],
    }));
    for (let i = 0; i < reports.length; i += 1000) {
      const batch = await api.client.api.POST('/v1/reports:batch', { body: { reports: reports.slice(i, i + 1000) } });
      expect(batch.data?.summary.recorded).toBe(1000);
    }
    const head = await api.head();
    await api.client.api.GET('/v1/clubs/{club}/targets', {
      params: { path: { club: 'juventus' }, query: { minPosition: head } },
    });
    const replay = await create({ from: '2026-01-01', to: '2026-02-09', club: 'juventus' });
    expect(replay.reports).toBe(2000);

    // raw node:http: a client that opens the stream, then stops reading (a socket's backpressure)
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      request(`${api.url}${replay.stream}`, (res) => resolve(res))
        .on('error', reject)
        .end(),
    );
    response.pause();
    const blocked = await untilStatus(replay.id, 'the replay to wait for its client', (s) => s.waitingForClient);
    expect(blocked.daysSent).toBeLessThan(40);

    // reading again, the client gets every day, and the server never held much more than a day
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.resume();
    const done = await untilStatus(replay.id, 'the end', (s) => s.state === 'ended' && !s.waitingForClient, 60_000);
    await new Promise<void>((resolve) => {
      const check = () => (text.includes('event: end') ? resolve() : response.once('data', check));
      check();
    });
    const frames = text.split('\n\n').filter((frame) => frame.includes('event: day'));
    expect(frames).toHaveLength(40);
    const largestDay = Math.max(...frames.map((frame) => Buffer.byteLength(frame)));
    // at most one day beyond the socket's own buffer (16 KiB), though the window is many times that
    const bound = largestDay + 64 * 1024;
    expect(blocked.bufferedBytes).toBeLessThanOrEqual(bound);
    expect(done.maxBufferedBytes).toBeLessThanOrEqual(bound);
    expect(done.bytesSent).toBeGreaterThan(15 * largestDay);
    response.destroy();
  });
});

describe('a replay session', () => {
  /** A raw response as the stream uses it, recording whether it was ended. */
  class FakeResponse extends EventEmitter {
    ended = false;
    writableLength = 0;
    writableNeedDrain = false;
    writeHead() {
      return this;
    }
    write() {
      return !this.ended;
    }
    end() {
      if (this.ended) return;
      this.ended = true;
      this.emit('close');
    }
  }

  it('ends a stream attached while a day was being told, when the replay is closed before it takes over', async () => {
    let release!: () => void;
    const window = {
      first: 0,
      last: 10,
      days: 11,
      clubs: undefined,
      follow() {},
      reset() {},
      nextDayWithNews: (day: number) => day,
      day: async (day: number) => {
        await new Promise<void>((resolve) => (release = resolve));
        return { day: fromDay(day), json: '{}', reports: 0, events: 0, changes: [] };
      },
    };
    const description = {
      id: '0123456789abcdef',
      from: fromDay(0),
      to: fromDay(10),
      branch: null,
      formation: '4-3-3',
      storePosition: 0,
    };
    const session = new ReplaySession(description, window as never, 'step', () => undefined);
    const first = new FakeResponse();
    session.attach(first as never, { heartbeatMs: 60_000 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(session.streaming).toBe(true);

    const stepping = session.step(); // holds the lock while the day is computed
    await new Promise((resolve) => setImmediate(resolve));
    const second = new FakeResponse();
    session.attach(second as never, { heartbeatMs: 60_000 }); // waits for the lock
    session.close();
    release();
    await stepping;
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.ended).toBe(true);
    expect(second.ended).toBe(true);
    expect(session.streaming).toBe(false);
  });
});
