import { connect } from 'node:net';
import type { LiveMessage, Report } from '@squad/client';
import { today } from '@squad/projections';
import { SseClient } from './sse-client';
import { startTestApi, type TestApi } from './test-api';
import { documentOf, highestId, refusalOf, restDocument, TypedStream, updatesOf } from './typed-stream';

/** A report dated today, so it shows in today's documents (the live stream's clock). */
function interest(reportId: string, club: string, players: string[]): Report {
  return {
    reportId,
    source: { name: 'Live test' },
    publishedOn: today(),
    claims: players.map((player) => ({ type: 'InterestDeclared', club, player, priority: 'high' })),
  };
}

/** What every test API of this file does: record, fork, open streams through the typed client. */
function helpers(api: () => TestApi) {
  const streams: { close(): void }[] = [];
  const recordIn = async (branch: string | undefined, body: Report): Promise<number> => {
    const { data, response } =
      branch === undefined
        ? await api().client.api.POST('/v1/reports', { body })
        : await api().client.api.POST('/v1/branches/{id}/reports', { params: { path: { id: branch } }, body });
    expect(response.status).toBe(201);
    return data!.storePosition!;
  };
  return {
    streams,
    /** Live updates through the typed client (of one club, or of every club), once the stream is open. */
    open: async (filter: { club?: string; branch?: string }, lastEventId?: string) => {
      const stream = await TypedStream.open<LiveMessage>((options) =>
        api().client.liveUpdates(filter, { ...options, lastEventId }),
      );
      streams.push(stream);
      return stream;
    },
    record: (body: Report) => recordIn(undefined, body),
    recordIn,
    fork: async (name: string): Promise<string> => {
      const { data, response } = await api().client.api.POST('/v1/branches', {
        body: { name, forkAt: { storePosition: await api().head() } },
      });
      expect(response.status).toBe(201);
      return data!.id;
    },
    statusOf: async () => (await api().client.api.GET('/v1/updates/status')).data!,
  };
}

describe('live updates over SSE', () => {
  let api: TestApi;
  const { streams, open, record } = helpers(() => api);

  beforeEach(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true', LIVE_HEARTBEAT_MS: '200' });
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await api.close();
  });

  it('opens with a snapshot of the three documents, equal to the REST answers, then sends what changes with the store position as id', async () => {
    const stream = await open({ club: 'juventus' });
    expect(stream.response?.status).toBe(200);
    expect(stream.response?.headers.get('content-type')).toContain('text/event-stream');
    await stream.until('the snapshot', () => stream.messages.length >= 1);

    const [snapshot] = stream.messages;
    expect(snapshot.event).toBe('snapshot');
    expect(Number(snapshot.id)).toBe(await api.head());
    const changes = snapshot.event === 'snapshot' ? snapshot.data.changes : [];
    expect(changes.map((c) => c.model)).toEqual(['squad-depth', 'targets', 'outgoing']);
    for (const change of changes) {
      const rest = await restDocument(api.client.api, change.model, 'juventus');
      expect(change).toMatchObject({ club: 'juventus' });
      expect(change.document).toEqual(rest);
    }

    const position = await record(interest('live-1', 'juventus', ['jonathan-david']));
    await stream.until('the update', () => updatesOf(stream).length >= 1);
    const [update] = updatesOf(stream);
    expect(Number(update.id)).toBe(position);
    expect(update.data.storePosition).toBe(position);
    // only the targets changed: squad and outgoing candidates are as they were
    expect(update.data.changes.map((c) => c.model)).toEqual(['targets']);
    const targets = documentOf(update.data.changes, 'targets');
    expect(targets?.storePosition).toBe(position);
    expect(targets?.targets.find((t) => t.player === 'jonathan-david')).toMatchObject({
      stage: 'interest',
      priority: 'high',
    });
  });

  it('resumes after Last-Event-ID exactly, without gap or duplicate, when dropped while reports are being recorded', async () => {
    const steady = await open({ club: 'juventus' });
    const dropped = await open({ club: 'juventus' });
    await Promise.all([steady, dropped].map((s) => s.until('the snapshot', () => s.messages.length >= 1)));

    const written: number[] = [];
    const players = Array.from({ length: 30 }, (_, i) => `prospect-${i}`);
    const recording = (async () => {
      for (const [i, player] of players.entries())
        written.push(await record(interest(`resume-${i}`, 'juventus', [player])));
    })();
    await dropped.until('a few updates', () => updatesOf(dropped).length >= 5, 20_000);
    dropped.close();
    const resumedFrom = dropped.lastEventId!;
    const resumed = await open({ club: 'juventus' }, resumedFrom);
    await recording;

    const last = written[written.length - 1];
    await steady.until('the last report', () => highestId(steady) >= last);
    await resumed.until('the last report', () => highestId(resumed) >= last);

    // the resumed stream is exactly what a subscriber that never dropped received after that id
    const after = (s: TypedStream<LiveMessage>) =>
      s.messages.filter((m) => m.event === 'update' && Number(m.id) > Number(resumedFrom));
    expect(resumed.messages.every((m) => m.event === 'update')).toBe(true);
    expect(resumed.messages).toEqual(after(steady));
    expect(dropped.messages.filter((m) => m.event === 'update')).toEqual(
      steady.messages.filter((m) => m.event === 'update' && Number(m.id) <= Number(resumedFrom)),
    );

    // compared with the log: ids rise, each is a stored event about Juventus, and every report shows up
    const ids = [...dropped.messages, ...resumed.messages].filter((m) => m.event === 'update').map((m) => Number(m.id));
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
    for (const id of ids) {
      const stored = [];
      for await (const event of api.store.readAll({ fromPosition: BigInt(id), maxCount: 1 })) stored.push(event);
      expect(stored[0].position).toBe(BigInt(id));
      expect(stored[0].data).toMatchObject({ club: 'juventus' });
    }
    const finalTargets = documentOf(updatesOf(resumed).at(-1)!.data.changes, 'targets');
    expect(finalTargets?.storePosition).toBe(last);
    expect(finalTargets?.targets.map((t) => t.player)).toEqual(expect.arrayContaining(players));
  });

  it('serves several subscribers per club and per stream, each only what concerns it', async () => {
    const juventusA = await open({ club: 'juventus' });
    const juventusB = await open({ club: 'juventus' });
    const marseille = await open({ club: 'marseille' });
    const everything = await open({});
    await Promise.all(
      [juventusA, juventusB, marseille, everything].map((s) =>
        s.until('the first message', () => s.messages.length >= 1),
      ),
    );
    expect(everything.messages[0]).toMatchObject({ event: 'ready', id: String(await api.head()) });

    const marseillePosition = await record(interest('om-1', 'marseille', ['amine-gouiri']));
    const juventusPosition = await record(interest('juve-1', 'juventus', ['teun-koopmeiners']));
    for (const stream of [juventusA, juventusB])
      await stream.until('the Juventus update', () => highestId(stream) >= juventusPosition);
    await marseille.until('the Marseille update', () => highestId(marseille) >= marseillePosition);
    await everything.until('both updates', () => highestId(everything) >= juventusPosition);

    expect(updatesOf(juventusA).map((u) => Number(u.id))).toEqual([juventusPosition]);
    expect(juventusB.messages).toEqual(juventusA.messages);
    expect(updatesOf(marseille).map((u) => Number(u.id))).toEqual([marseillePosition]);
    expect(updatesOf(marseille)[0].data.changes.every((c) => c.club === 'marseille')).toBe(true);
    const all = updatesOf(everything);
    expect(all.map((u) => Number(u.id))).toEqual([marseillePosition, juventusPosition]);
    expect(all[1].data.changes).toEqual(updatesOf(juventusA)[0].data.changes);
  });

  it('sends heartbeats, and a reset when asked to resume from before what it still holds', async () => {
    // raw SseClient: heartbeats are comments, which the typed client does not surface
    const client = await SseClient.open(`${api.url}/v1/clubs/juventus/updates`, { 'last-event-id': '1' });
    streams.push(client);
    await client.until('two heartbeats', () => client.comments >= 2);
    // the journal starts where this instance caught up (after the seed), so position 1 is too old
    expect(client.parsed()[0]).toMatchObject({ event: 'reset', id: String(await api.head()) });
    expect(client.parsed()[0].data).toHaveProperty('changes.length', 3);
  });

  it('answers 400 for a malformed Last-Event-ID and 404 for an unknown club, as problem details', async () => {
    // raw: a malformed Last-Event-ID header is what the typed client never sends
    const bad = await fetch(`${api.url}/v1/clubs/juventus/updates`, { headers: { 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: unknown }).errors).toEqual([
      { field: 'Last-Event-ID', reason: expect.stringContaining('whole number') },
    ]);
    const unknown = await refusalOf((options) => api.client.liveUpdates({ club: 'atlantis-fc' }, options));
    expect(unknown.status).toBe(404);
    const query = await api.client.api.GET('/v1/updates', { params: { query: { lastEventId: '-4' } } });
    expect(query.response.status).toBe(400);
    expect(query.error?.errors?.[0].field).toBe('lastEventId');
  });
});

describe('live updates: a client that stops reading', () => {
  let api: TestApi;
  const { record, statusOf } = helpers(() => api);
  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true', LIVE_CLIENT_BUFFER_BYTES: String(64 * 1024) });
  });
  afterAll(() => api.close());

  it('is disconnected once its buffer fills, and the server holds no more than the budget for it', async () => {
    // raw socket: a subscriber that stops reading (the socket's backpressure) is below what any client shows
    const { port } = new URL(api.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /v1/updates HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n');
    socket.pause(); // reads nothing from here on
    const closed = new Promise((resolve) => socket.once('close', resolve));

    // big updates: every report names 150 clubs, each with its three documents
    expect((await statusOf()).subscribers.all).toBe(1);
    for (let i = 0; i < 60 && (await statusOf()).slowClientsDisconnected === 0; i++) {
      const clubs = Array.from({ length: 150 }, (_, c) => `club-${i}-${c}`);
      await record({
        reportId: `flood-${i}`,
        source: { name: 'Flood' },
        publishedOn: today(),
        claims: clubs.map((club) => ({
          type: 'InterestDeclared',
          club,
          player: `target-of-${club}`,
          priority: 'medium',
        })),
      });
    }
    const status = await statusOf();
    expect(status.slowClientsDisconnected).toBe(1);
    expect(status.subscribers.all).toBe(0);
    // reading now drains what was in flight and then meets the end of the stream
    socket.resume();
    await closed;
  });
});

describe('live updates of a what-if branch (branch=ID)', () => {
  let api: TestApi;
  const { streams, open, recordIn, fork, statusOf } = helpers(() => api);
  const withoutPosition = <T extends { storePosition: number }>({ storePosition: _p, ...rest }: T) => rest;

  beforeEach(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true', LIVE_HEARTBEAT_MS: '200', WRITE_RATE_LIMIT: '100000' });
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await api.close();
  });

  it("streams the branch's documents, updated by the branch's own writes only, with their store positions as ids; canonical streams never see them", async () => {
    const branch = await fork('Live what-if');
    const inBranch = await open({ club: 'juventus', branch });
    const canonical = await open({ club: 'juventus' });
    const everyClub = await open({ branch });
    // raw SseClient beside them: heartbeats are comments, which the typed client does not surface
    const heartbeats = await SseClient.open(`${api.url}/v1/clubs/juventus/updates?branch=${branch}`);
    streams.push(heartbeats);
    expect(inBranch.response?.status).toBe(200);
    expect(inBranch.response?.headers.get('content-type')).toContain('text/event-stream');
    await Promise.all(
      [inBranch, canonical, everyClub].map((s) => s.until('the first message', () => s.messages.length >= 1)),
    );

    const [snapshot] = inBranch.messages;
    expect(snapshot.event).toBe('snapshot');
    const created = Number(snapshot.id);
    expect(everyClub.messages[0]).toMatchObject({
      event: 'ready',
      id: String(created),
      data: { storePosition: created },
    });
    for (const change of snapshot.event === 'snapshot' ? snapshot.data.changes : []) {
      const rest = await restDocument(api.client.api, change.model, 'juventus', { branch });
      expect(change.document).toMatchObject({ branch, storePosition: created });
      expect(withoutPosition(change.document)).toEqual(rest && withoutPosition(rest));
    }

    const first = await recordIn(branch, interest('branch-live-1', 'juventus', ['jonathan-david']));
    const canonicalWrite = await recordIn(undefined, interest('canonical-live-1', 'juventus', ['victor-osimhen']));
    const second = await recordIn(branch, interest('branch-live-2', 'juventus', ['khephren-thuram']));
    await inBranch.until('both branch writes', () => highestId(inBranch) >= second);
    await everyClub.until('both branch writes', () => highestId(everyClub) >= second);
    await canonical.until('the canonical write', () => highestId(canonical) >= canonicalWrite);

    expect(updatesOf(inBranch).map((u) => Number(u.id))).toEqual([first, second]);
    expect(updatesOf(everyClub).map((u) => Number(u.id))).toEqual([first, second]);
    expect(updatesOf(canonical).map((u) => Number(u.id))).toEqual([canonicalWrite]);
    const [, last] = updatesOf(inBranch);
    expect(last.data.storePosition).toBe(second);
    expect(last.data.changes.map((c) => c.model)).toEqual(['targets']);
    const targets = documentOf(last.data.changes, 'targets')!;
    expect(targets).toMatchObject({ branch, storePosition: second });
    const players = targets.targets.map((t) => t.player);
    expect(players).toEqual(expect.arrayContaining(['jonathan-david', 'khephren-thuram']));
    expect(players).not.toContain('victor-osimhen');
    // the same document as the branch's REST endpoint answers, position aside
    const rest = await restDocument(api.client.api, 'targets', 'juventus', { branch });
    expect(withoutPosition(targets)).toEqual(rest && withoutPosition(rest));
    expect(updatesOf(everyClub)[1].data.changes).toEqual(last.data.changes);
    expect(documentOf(updatesOf(canonical)[0].data.changes, 'targets')?.targets.map((t) => t.player)).not.toContain(
      'jonathan-david',
    );
    await heartbeats.until('two heartbeats', () => heartbeats.comments >= 2);
  });

  it('resumes a branch stream after Last-Event-ID exactly, without gap or duplicate, when dropped while the branch is being written', async () => {
    const branch = await fork('Resume what-if');
    const steady = await open({ club: 'juventus', branch });
    const dropped = await open({ club: 'juventus', branch });
    await Promise.all([steady, dropped].map((s) => s.until('the snapshot', () => s.messages.length >= 1)));

    const written: number[] = [];
    const players = Array.from({ length: 30 }, (_, i) => `branch-prospect-${i}`);
    const recording = (async () => {
      for (const [i, player] of players.entries()) {
        written.push(await recordIn(branch, interest(`branch-resume-${i}`, 'juventus', [player])));
        // canonical writes in between: they move the store, not the branch
        if (i % 5 === 0)
          await recordIn(undefined, interest(`canonical-resume-${i}`, 'juventus', [`canonical-${player}`]));
      }
    })();
    await dropped.until('a few updates', () => updatesOf(dropped).length >= 5, 20_000);
    dropped.close();
    const resumedFrom = dropped.lastEventId!;
    const resumed = await open({ club: 'juventus', branch }, resumedFrom);
    await recording;

    const last = written[written.length - 1];
    await steady.until('the last write', () => highestId(steady) >= last);
    await resumed.until('the last write', () => highestId(resumed) >= last);

    const after = (s: TypedStream<LiveMessage>) =>
      s.messages.filter((m) => m.event === 'update' && Number(m.id) > Number(resumedFrom));
    expect(resumed.messages.every((m) => m.event === 'update')).toBe(true);
    expect(resumed.messages).toEqual(after(steady));
    expect(dropped.messages.filter((m) => m.event === 'update')).toEqual(
      steady.messages.filter((m) => m.event === 'update' && Number(m.id) <= Number(resumedFrom)),
    );

    // compared with the log: ids rise, each is a write to the branch's stream, and every write shows up
    const ids = [...dropped.messages, ...resumed.messages].filter((m) => m.event === 'update').map((m) => Number(m.id));
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
    const branchPositions = new Set(
      (await api.store.readStream(`ledger-branch-${branch}`)).map((e) => Number(e.position)),
    );
    for (const id of ids) expect(branchPositions.has(id)).toBe(true);
    const finalTargets = documentOf(updatesOf(resumed).at(-1)!.data.changes, 'targets');
    expect(finalTargets?.storePosition).toBe(last);
    const finalPlayers = finalTargets?.targets.map((t) => t.player);
    expect(finalPlayers).toEqual(expect.arrayContaining(players));
    expect(finalPlayers?.some((p) => p.startsWith('canonical-'))).toBe(false);
  });

  it('ends the streams of a deleted branch with a `deleted` message; reopening then answers 404', async () => {
    const branch = await fork('Doomed what-if');
    const club = await open({ club: 'juventus', branch });
    const everyClub = await open({ branch });
    await Promise.all([club, everyClub].map((s) => s.until('the first message', () => s.messages.length >= 1)));

    const deleted = await api.client.api.DELETE('/v1/branches/{id}', { params: { path: { id: branch } } });
    expect(deleted.response.status).toBe(204);
    for (const stream of [club, everyClub]) {
      await stream.until('the end of the stream', () => stream.ended);
      expect(stream.messages.at(-1)).toMatchObject({ event: 'deleted', data: { branch } });
    }
    const again = await refusalOf((options) => api.client.liveUpdates({ club: 'juventus', branch }, options));
    expect(again.status).toBe(404);
    expect(again.problem).toMatchObject({ code: 'UNKNOWN_BRANCH' });
    expect((await statusOf()).branches).toMatchObject({ club: 0, all: 0 });
  });

  it('answers 400 for a malformed branch id and 404 for an unknown branch or a club the branch does not know, as problem details', async () => {
    const refusal = (filter: { club?: string; branch: string }) =>
      refusalOf((options) => api.client.liveUpdates(filter, options));
    for (const filter of [{ branch: 'Not_A_Branch' }, { club: 'juventus', branch: 'Not_A_Branch' }]) {
      const bad = await refusal(filter);
      expect({ filter, status: bad.status }).toEqual({ filter, status: 400 });
      expect(bad.problem).toHaveProperty('errors', [{ field: 'branch', reason: expect.stringContaining('branch id') }]);
    }
    for (const filter of [{ branch: 'no-such-branch' }, { club: 'juventus', branch: 'no-such-branch' }]) {
      const unknown = await refusal(filter);
      expect({ filter, status: unknown.status }).toEqual({ filter, status: 404 });
      expect(unknown.problem).toMatchObject({ code: 'UNKNOWN_BRANCH', errors: [{ field: 'branch' }] });
    }
    // a club first named in canonical history after the fork is not in the branch
    const branch = await fork('Before Feyenoord');
    await recordIn(undefined, interest('feyenoord-live', 'feyenoord', ['someone']));
    const later = await refusal({ club: 'feyenoord', branch });
    expect(later.status).toBe(404);
    expect(later.problem).toMatchObject({ code: 'UNKNOWN_CLUB' });
  });
});

describe('live updates of a what-if branch: limits', () => {
  let api: TestApi;
  const { open, recordIn, fork, statusOf } = helpers(() => api);
  beforeAll(async () => {
    api = await startTestApi({
      SEED_ON_EMPTY: 'true',
      LIVE_CLIENT_BUFFER_BYTES: String(64 * 1024),
      LIVE_MAX_CONNECTIONS_PER_CLIENT: '2',
      WRITE_RATE_LIMIT: '100000',
    });
  });
  afterAll(() => api.close());

  it("counts branch streams in the client's connection cap", async () => {
    const branch = await fork('Capped');
    const streams = [await open({ branch }), await open({ club: 'juventus' })];
    await Promise.all(streams.map((s) => s.until('the first message', () => s.messages.length >= 1)));
    const third = await refusalOf((options) => api.client.liveUpdates({ club: 'juventus', branch }, options));
    expect(third.status).toBe(429);
    expect(third.problem).toMatchObject({ code: 'LIVE_CONNECTION_LIMIT' });
    for (const stream of streams) stream.close();
    for (const stream of streams) await stream.until('closed', () => stream.ended);
  });

  it('disconnects a branch subscriber that stops reading once its buffer fills', async () => {
    const branch = await fork('Flooded');
    // raw socket: a subscriber that stops reading (the socket's backpressure) is below what any client shows
    const { port } = new URL(api.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET /v1/updates?branch=${branch} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n`);
    socket.pause();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const before = (await statusOf()).slowClientsDisconnected;
    for (let i = 0; i < 60 && (await statusOf()).slowClientsDisconnected === before; i++) {
      const clubs = Array.from({ length: 150 }, (_, c) => `branch-club-${i}-${c}`);
      await recordIn(branch, {
        reportId: `branch-flood-${i}`,
        source: { name: 'Flood' },
        publishedOn: today(),
        claims: clubs.map((club) => ({
          type: 'InterestDeclared',
          club,
          player: `target-of-${club}`,
          priority: 'medium',
        })),
      });
    }
    const status = await statusOf();
    expect(status.slowClientsDisconnected).toBe(before + 1);
    expect(status.branches.all).toBe(0);
    socket.resume();
    await closed;
  });
});
