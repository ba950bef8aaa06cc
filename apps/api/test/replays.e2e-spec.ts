import { request, type IncomingMessage } from 'node:http';
import { EventEmitter } from 'node:events';
import { fromDay, toDay } from '@squad/projections';
import { ReplaySession } from '../src/replays/replay-session';
import { SseClient } from './sse-client';
import { startTestApi, type TestApi } from './test-api';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Days of the seed reports, in the summer 2025 window. */
const SEED_DAYS = ['2025-06-01', '2025-06-17', '2025-06-25', '2025-06-28', '2025-07-06', '2025-09-04'];

describe('replays over HTTP', () => {
  let api: TestApi;
  const clients: SseClient[] = [];
  const get = async (path: string) => {
    const response = await fetch(`${api.url}${path}`);
    return { status: response.status, body: (await response.json()) as Json };
  };
  const post = async (path: string, body: unknown = {}) => {
    const response = await api.post(path, body);
    return { status: response.status, body: (await response.json()) as Json };
  };
  const create = async (body: Json) => {
    const created = await post('/v1/replays', body);
    expect(created.status).toBe(201);
    return created.body;
  };
  const open = async (path: string, headers: Record<string, string> = {}) => {
    const client = await SseClient.open(`${api.url}${path}`, headers);
    clients.push(client);
    return client;
  };
  const days = (client: SseClient) => client.messages.filter((m) => m.event === 'day');
  const ended = (client: SseClient) => client.messages.some((m) => m.event === 'end');
  /** Polls a replay's state until `check` holds (the server's own account, no fixed sleep). */
  const untilStatus = async (id: string, what: string, check: (status: Json) => boolean, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = (await get(`/v1/replays/${id}`)).body;
      if (check(status)) return status;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true', LIVE_HEARTBEAT_MS: '200' });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(() => api.close());

  it('streams the window day by day at full speed: the reports of each day and the documents that changed, as of that day', async () => {
    const replay = await create({ from: '2025-06-01', to: '2025-09-10', club: 'juventus' });
    expect(replay).toMatchObject({
      state: 'playing',
      speed: 'max',
      clubs: ['juventus'],
      days: 102,
      reports: 6,
      storePosition: await api.head(),
      stream: `/v1/replays/${replay.id}/stream`,
    });

    const client = await open(replay.stream);
    expect(client.response.headers['content-type']).toContain('text/event-stream');
    await client.until('the end', () => ended(client));
    const told = days(client).map((m) => ({ id: m.id, data: JSON.parse(m.data) }));
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
    ]);
    expect(told[1].data.reports[0].claims).toHaveLength(5);
    // the first day tells the three documents whole; each is what the REST endpoint answers for that day, as known then
    expect(told[0].data.changes.map((c: Json) => `${c.club}/${c.model}`)).toEqual([
      'juventus/squad-depth',
      'juventus/targets',
      'juventus/outgoing',
    ]);
    for (const message of told) {
      for (const change of message.data.changes) {
        const rest = await get(`/v1/clubs/${change.club}/${change.model}?asOf=${message.id}&knownAt=${message.id}`);
        expect({ day: message.id, model: change.model, document: change.document }).toEqual({
          day: message.id,
          model: change.model,
          document: rest.body,
        });
      }
    }
    // on 17 June Bremer and Cabal are injured, and Balerdi becomes a target
    const depth = told[1].data.changes.find((c: Json) => c.model === 'squad-depth').document;
    expect(depth.totals.injured).toBe(2);
    expect(told[1].data.changes.find((c: Json) => c.model === 'targets').document.targets[0]).toMatchObject({
      player: 'leonardo-balerdi',
      stage: 'talks-refused',
    });
    // only what changed: on 25 June, talks requested changes nothing in Juventus' documents (the stage only moves forward)
    expect(told[2].data.changes.map((c: Json) => c.model)).not.toContain('squad-depth');
    expect(JSON.parse(client.messages.find((m) => m.event === 'end')!.data)).toMatchObject({
      from: '2025-06-01',
      to: '2025-09-10',
      daysSent: 6,
    });
    expect(await get(`/v1/replays/${replay.id}`)).toMatchObject({
      status: 200,
      body: { state: 'ended', daysSent: 6, streaming: true },
    });
  });

  it('is deterministic: the same replay twice gives the same messages, byte for byte, whoever records meanwhile', async () => {
    const first = await create({ from: '2025-06-01', to: '2025-09-10' });
    const second = await create({ from: '2025-06-01', to: '2025-09-10' });
    const a = await open(first.stream);
    await a.until('the end', () => ended(a));
    // a report recorded now, published inside the window, is not part of replays created before it
    expect(
      (
        await post('/v1/reports', {
          reportId: 'late-news',
          source: { name: 'Late' },
          publishedOn: '2025-06-20',
          claims: [{ type: 'PlayerInjured', player: 'pierre-kalulu' }],
        })
      ).status,
    ).toBe(201);
    const b = await open(second.stream);
    await b.until('the end', () => ended(b));
    expect(b.messages.filter((m) => m.event === 'day')).toEqual(a.messages.filter((m) => m.event === 'day'));
    expect(days(a).map((m) => m.id)).toEqual(SEED_DAYS);
    // without a club, each day tells the documents of the clubs its reports touch (that changed)
    const clubsOf = (message: { data: string }) => [
      ...new Set(JSON.parse(message.data).changes.map((c: Json) => c.club)),
    ];
    expect(clubsOf(days(a)[0])).toEqual(['ajax', 'juventus', 'marseille']); // the baseline: squads, and Rugani's loan to Ajax
    expect(clubsOf(days(a)[1])).toEqual(['juventus']); // Marseille refusing talks changes none of Marseille's documents

    const third = await create({ from: '2025-06-01', to: '2025-09-10' });
    const c = await open(third.stream);
    await c.until('the end', () => ended(c));
    expect(days(c).map((m) => m.id)).toEqual([...SEED_DAYS.slice(0, 2), '2025-06-20', ...SEED_DAYS.slice(2)]);
  });

  it('steps, seeks, pauses and resumes', async () => {
    const replay = await create({ from: '2025-06-01', to: '2025-09-10', speed: 'step', club: 'juventus' });
    expect(replay.state).toBe('paused');
    const client = await open(replay.stream);
    expect(await post(`/v1/replays/${replay.id}/step`)).toMatchObject({
      status: 200,
      body: { told: '2025-06-01', next: '2025-06-02', state: 'paused' },
    });
    // step mode walks calendar days: the 2nd of June has no report, and nothing changed
    expect((await post(`/v1/replays/${replay.id}/step`)).body.told).toBe('2025-06-02');
    await client.until('two days', () => days(client).length === 2);
    expect(JSON.parse(days(client)[1].data)).toEqual({ day: '2025-06-02', reports: [], changes: [] });

    // seek: the next day told is that one, its documents whole
    expect(await post(`/v1/replays/${replay.id}/seek`, { to: '2025-06-28' })).toMatchObject({
      status: 200,
      body: { next: '2025-06-28' },
    });
    expect((await post(`/v1/replays/${replay.id}/step`)).body.told).toBe('2025-06-28');
    await client.until('the sought day', () => days(client).length === 3);
    const sought = JSON.parse(days(client)[2].data);
    expect(sought.reports.map((r: Json) => r.reportId)).toEqual(['gazzetta-2025-06-28-balerdi']);
    expect(sought.changes.map((c: Json) => c.model)).toEqual(['squad-depth', 'targets', 'outgoing']);
    expect(sought.changes[2].document.outgoing.map((o: Json) => o.player)).toEqual(['daniele-rugani', 'lloyd-kelly']);

    // a step replay plays only with a speed
    expect((await post(`/v1/replays/${replay.id}/resume`)).body.code).toBe('REPLAY_STEP_ONLY');
    expect((await post(`/v1/replays/${replay.id}/resume`, { speed: 'max' })).body.state).toBe('playing');
    await client.until('the end', () => ended(client));
    expect(
      days(client)
        .map((m) => m.id)
        .slice(3),
    ).toEqual(['2025-07-06', '2025-09-04']);

    // back to the start at a finite speed: every calendar day, in order, then paused mid-way
    await post(`/v1/replays/${replay.id}/pause`);
    await post(`/v1/replays/${replay.id}/seek`, { to: '2025-06-01' });
    const before = days(client).length;
    await post(`/v1/replays/${replay.id}/resume`, { speed: 400 });
    await client.until('a few more days', () => days(client).length >= before + 10);
    const paused = (await post(`/v1/replays/${replay.id}/pause`)).body;
    expect(paused.state).toBe('paused');
    const resumedDays = days(client)
      .slice(before)
      .map((m) => m.id);
    expect(resumedDays).toEqual(resumedDays.map((_, i) => fromDay(toDay('2025-06-01') + i)));
    // nothing moves while paused: the next step tells the day after the last one told
    const step = (await post(`/v1/replays/${replay.id}/step`)).body;
    await client.until('the step', () => days(client).at(-1)!.id === step.told);
    expect(toDay(step.told)).toBe(toDay(resumedDays.at(-1) ?? paused.lastDay) + 1);
  });

  it('refuses to resume a replay to "step" and leaves it as it was', async () => {
    const replay = await create({ from: '2025-06-01', to: '2025-09-10', club: 'juventus', speed: 20 });
    await post(`/v1/replays/${replay.id}/pause`);
    expect((await post(`/v1/replays/${replay.id}/resume`, { speed: 'step' })).body.code).toBe('REPLAY_STEP_ONLY');
    expect((await get(`/v1/replays/${replay.id}`)).body).toMatchObject({ speed: 20, state: 'paused' });
    // and it still resumes at its own speed
    expect((await post(`/v1/replays/${replay.id}/resume`)).body).toMatchObject({ speed: 20, state: 'playing' });
    await post(`/v1/replays/${replay.id}/pause`);
  });

  it('tells the days when facts learned earlier take effect: a transfer dated after its report, a loan ending by itself', async () => {
    // reported on 10 June, effective on 1 July (and a signing elsewhere, on 1 September); a loan reported on 1 August, ending after 31 December
    const claims = [
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
      (
        await post('/v1/reports', {
          reportId: 'rugani-sold',
          source: { name: 'Mercato desk' },
          publishedOn: '2027-06-10',
          claims,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await post('/v1/reports', {
          reportId: 'kelly-loaned',
          source: { name: 'Mercato desk' },
          publishedOn: '2027-08-01',
          claims: [{ type: 'LoanDeparted', player: 'lloyd-kelly', toClub: 'ajax', until: '2027-12-31' }],
        })
      ).status,
    ).toBe(201);
    const replay = await create({ from: '2027-06-01', to: '2028-01-31' }); // no club followed, at full speed
    const client = await open(replay.stream);
    await client.until('the end', () => ended(client));
    const told = days(client).map((m) => JSON.parse(m.data));
    expect(told.map((m) => m.day)).toEqual(['2027-06-10', '2027-07-01', '2027-08-01', '2027-09-01', '2028-01-01']);
    // each message carries the documents that changed that day, as the REST endpoints answer them for that day
    for (const message of told) {
      for (const change of message.changes) {
        const rest = await get(`/v1/clubs/${change.club}/${change.model}?asOf=${message.day}&knownAt=${message.day}`);
        expect({ day: message.day, document: change.document }).toEqual({ day: message.day, document: rest.body });
      }
    }
    const members = (message: Json, club: string) =>
      message.changes
        .find((c: Json) => c.club === club && c.model === 'squad-depth')
        .document.positions.flatMap((p: Json) => p.players.map((x: Json) => `${x.player}:${x.status}`));
    expect(told[1].reports).toEqual([]);
    expect(members(told[1], 'juventus')).not.toContain('daniele-rugani:available');
    expect(members(told[1], 'ajax')).toContain('daniele-rugani:available');
    expect(members(told[2], 'juventus')).toContain('lloyd-kelly:away-on-loan');
    expect(told[3].changes.map((c: Json) => `${c.club}/${c.model}`)).toEqual(['boca-juniors/squad-depth']);
    expect(members(told[3], 'boca-juniors')).toEqual(['boca-keeper:available']);
    expect(told[4].reports).toEqual([]);
    expect(members(told[4], 'juventus')).toContain('lloyd-kelly:available');
    expect(told[4].changes.map((c: Json) => c.club)).toContain('ajax');

    // following a club, the same days, but for the one when nothing of that club's changed
    const followed = await create({ from: '2027-06-01', to: '2028-01-31', club: 'juventus' });
    const second = await open(followed.stream);
    await second.until('the end', () => ended(second));
    expect(days(second).map((m) => m.id)).toEqual(['2027-06-10', '2027-07-01', '2027-08-01', '2028-01-01']);
    expect(JSON.parse(days(second)[1].data).changes.map((c: Json) => c.model)).toContain('squad-depth');
  });

  it('keeps a finite speed: n days take at least n - 1 intervals', async () => {
    const replay = await create({ from: '2025-06-01', to: '2025-06-05', speed: 20, club: 'juventus' }); // a day every 50 ms
    const client = await open(replay.stream);
    await client.until('the first day', () => days(client).length >= 1);
    const started = Date.now();
    await client.until('the end', () => ended(client));
    expect(days(client).map((m) => m.id)).toEqual([
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
    const first = await open(replay.stream);
    await post(`/v1/replays/${replay.id}/step`);
    await post(`/v1/replays/${replay.id}/step`);
    await first.until('two days', () => days(first).length === 2);
    first.close();
    const second = await open(replay.stream, { 'last-event-id': '2025-06-01' });
    expect((await post(`/v1/replays/${replay.id}/step`)).body.told).toBe('2025-06-02');
    await second.until('the resumed day', () => days(second).length === 1);
    // a new client gets the documents whole
    expect(JSON.parse(days(second)[0].data).changes).toHaveLength(3);

    const deleted = await fetch(`${api.url}/v1/replays/${replay.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    await second.until('the stream to close', () => second.closed);
    expect((await get(`/v1/replays/${replay.id}`)).status).toBe(404);
  });

  it('replays a what-if branch with its own reports', async () => {
    const branch = (await post('/v1/branches', { name: 'Balerdi signs', forkAt: { storePosition: 33 } })).body;
    await post(`/v1/branches/${branch.id}/reports`, {
      reportId: 'what-if-signing',
      source: { name: 'What-if desk' },
      publishedOn: '2025-08-01',
      claims: [{ type: 'TransferCompleted', player: 'leonardo-balerdi', fromClub: 'marseille', toClub: 'juventus' }],
    });
    const replay = await create({ from: '2025-07-01', to: '2025-08-31', club: 'juventus', branch: branch.id });
    const client = await open(replay.stream);
    await client.until('the end', () => ended(client));
    expect(days(client).map((m) => m.id)).toEqual(['2025-07-06', '2025-08-01']);
    const signing = JSON.parse(days(client)[1].data);
    expect(signing.reports[0].reportId).toBe('what-if-signing');
    const depth = signing.changes.find((c: Json) => c.model === 'squad-depth').document;
    expect(depth.branch).toBe(branch.id);
    expect(depth.positions.find((p: Json) => p.position === 'CB').players.map((p: Json) => p.player)).toContain(
      'leonardo-balerdi',
    );
  });

  it('replays a branch as it stood when the replay was created: later branch writes stay out, the same replay twice tells the same days', async () => {
    const branch = (await post('/v1/branches', { name: 'Frozen what-if', forkAt: { storePosition: 33 } })).body;
    const write = async (reportId: string, publishedOn: string, claim: Json) =>
      expect(
        (
          await post(`/v1/branches/${branch.id}/reports`, {
            reportId,
            source: { name: 'What-if desk' },
            publishedOn,
            claims: [claim],
          })
        ).status,
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
    const a = await open(first.stream);
    await a.until('the end', () => ended(a));
    expect(days(a).map((m) => m.id)).toEqual(['2025-07-06', '2025-08-01']);

    // written to the branch after both replays were created, and read (so the branch's reads catch up)
    await write('what-if-injury', '2025-08-15', { type: 'PlayerInjured', player: 'federico-gatti' });
    expect(
      (await get(`/v1/clubs/juventus/squad-depth?branch=${branch.id}&asOf=2025-08-20`)).body.totals.injured,
    ).toBeGreaterThan(0);
    const b = await open(second.stream);
    await b.until('the end', () => ended(b));
    expect(days(b)).toEqual(days(a));

    // a replay created now sees it
    const third = await create({ from: '2025-07-01', to: '2025-08-31', club: 'juventus', branch: branch.id });
    const c = await open(third.stream);
    await c.until('the end', () => ended(c));
    expect(days(c).map((m) => m.id)).toEqual(['2025-07-06', '2025-08-01', '2025-08-15']);
  });

  it('refuses bad replays with 400 and unknown ones with 404', async () => {
    const bad = await post('/v1/replays', { from: '2025-09-10', to: '2025-06-01', speed: -1, club: 'Not A Club' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.field).sort()).toEqual(['club', 'speed', 'to']);
    expect((await post('/v1/replays', { from: '2025-06-01', to: '2025-06-02', club: 'real-madrid' })).body.code).toBe(
      'UNKNOWN_CLUB',
    );
    expect(
      (await post('/v1/replays', { from: '2025-06-01', to: '2025-06-02', branch: 'no-such-branch' })).body.code,
    ).toBe('UNKNOWN_BRANCH');
    expect((await get('/v1/replays/0123456789abcdef')).status).toBe(404);
    const replay = await create({ from: '2025-06-01', to: '2025-06-30', speed: 'step' });
    expect((await post(`/v1/replays/${replay.id}/seek`, { to: '2025-07-01' })).status).toBe(400);
    expect((await post(`/v1/replays/${replay.id}/step`)).body.code).toBe('REPLAY_NOT_STREAMING');
  });

  it('drops a replay nobody streams or steers for REPLAY_IDLE_TIMEOUT_MS, and keeps one being streamed', async () => {
    const short = await startTestApi({
      SEED_ON_EMPTY: 'true',
      REPLAY_IDLE_TIMEOUT_MS: '1000',
      LIVE_HEARTBEAT_MS: '200',
    });
    try {
      const make = async () =>
        (await (
          await short.post('/v1/replays', { from: '2025-06-01', to: '2025-06-30', speed: 'step' })
        ).json()) as Json;
      const [idle, watched] = [await make(), await make()];
      const client = await SseClient.open(`${short.url}${watched.stream}`);
      clients.push(client);
      const deadline = Date.now() + 10_000;
      while ((await fetch(`${short.url}/v1/replays/${idle.id}`)).status !== 404) {
        if (Date.now() > deadline) throw new Error('the idle replay was never dropped');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await fetch(`${short.url}/v1/replays/${watched.id}`)).status).toBe(200);
      expect(client.comments).toBeGreaterThan(0); // heartbeats kept it alive
    } finally {
      for (const client of clients.splice(0)) client.close();
      await short.close();
    }
  });

  it('streams thousands of reports at full speed to a slow reader without holding more than about a day in memory', async () => {
    // 2,000 reports over 40 days: Juventus declare interest in 50 new players a day, so the target list grows every day
    const reports = Array.from({ length: 2000 }, (_, i) => ({
      reportId: `scouting-${i}`,
      source: { name: 'Scouting desk' },
      publishedOn: fromDay(toDay('2026-01-01') + Math.floor(i / 50)),
      claims: [{ type: 'InterestDeclared', club: 'juventus', player: `prospect-${i}`, priority: 'medium' }],
    }));
    for (let i = 0; i < reports.length; i += 1000)
      expect((await post('/v1/reports:batch', { reports: reports.slice(i, i + 1000) })).body.summary.recorded).toBe(
        1000,
      );
    const head = await api.head();
    await get(`/v1/clubs/juventus/targets?minPosition=${head}`);
    const replay = await create({ from: '2026-01-01', to: '2026-02-09', club: 'juventus' });
    expect(replay.reports).toBe(2000);

    // a client that opens the stream, then stops reading
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
