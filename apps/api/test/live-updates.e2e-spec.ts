import { connect } from 'node:net';
import { today } from '@squad/projections';
import { SseClient } from './sse-client';
import { startTestApi, type TestApi } from './test-api';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A report dated today, so it shows in today's documents (the live stream's clock). */
function interest(reportId: string, club: string, players: string[]) {
  return {
    reportId,
    source: { name: 'Live test' },
    publishedOn: today(),
    claims: players.map((player) => ({ type: 'InterestDeclared', club, player, priority: 'high' })),
  };
}

const updatesOf = (client: SseClient) => client.parsed('update');
const highestId = (client: SseClient) =>
  Math.max(0, ...client.messages.filter((m) => m.id !== undefined).map((m) => Number(m.id)));

describe('live updates over SSE', () => {
  let api: TestApi;
  const clients: SseClient[] = [];
  const open = async (path: string, headers: Record<string, string> = {}) => {
    const client = await SseClient.open(`${api.url}${path}`, headers);
    clients.push(client);
    return client;
  };
  const record = async (body: unknown): Promise<number> => {
    const response = await api.post('/v1/reports', body);
    expect(response.status).toBe(201);
    return ((await response.json()) as Json).storePosition;
  };

  beforeEach(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true', LIVE_HEARTBEAT_MS: '200' });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await api.close();
  });

  it('opens with a snapshot of the three documents, equal to the REST answers, then sends what changes with the store position as id', async () => {
    const client = await open('/v1/clubs/juventus/updates');
    expect(client.status).toBe(200);
    expect(client.response.headers['content-type']).toContain('text/event-stream');
    await client.until('the snapshot', () => client.messages.length >= 1);

    const [snapshot] = client.parsed();
    expect(snapshot.event).toBe('snapshot');
    expect(Number(snapshot.id)).toBe(await api.head());
    expect(snapshot.data.changes.map((c: Json) => c.model)).toEqual(['squad-depth', 'targets', 'outgoing']);
    for (const change of snapshot.data.changes) {
      const rest = await (await fetch(`${api.url}/v1/clubs/juventus/${change.model}`)).json();
      expect(change).toMatchObject({ club: 'juventus' });
      expect(change.document).toEqual(rest);
    }

    const position = await record(interest('live-1', 'juventus', ['jonathan-david']));
    await client.until('the update', () => updatesOf(client).length >= 1);
    const [update] = updatesOf(client);
    expect(Number(update.id)).toBe(position);
    expect(update.data.storePosition).toBe(position);
    // only the targets changed: squad and outgoing candidates are as they were
    expect(update.data.changes.map((c: Json) => c.model)).toEqual(['targets']);
    const targets = update.data.changes[0].document;
    expect(targets.storePosition).toBe(position);
    expect(targets.targets.find((t: Json) => t.player === 'jonathan-david')).toMatchObject({
      stage: 'interest',
      priority: 'high',
    });
  });

  it('resumes after Last-Event-ID exactly, without gap or duplicate, when dropped while reports are being recorded', async () => {
    const steady = await open('/v1/clubs/juventus/updates');
    const dropped = await open('/v1/clubs/juventus/updates');
    await Promise.all([steady, dropped].map((c) => c.until('the snapshot', () => c.messages.length >= 1)));

    const written: number[] = [];
    const players = Array.from({ length: 30 }, (_, i) => `prospect-${i}`);
    const recording = (async () => {
      for (const [i, player] of players.entries())
        written.push(await record(interest(`resume-${i}`, 'juventus', [player])));
    })();
    await dropped.until('a few updates', () => updatesOf(dropped).length >= 5, 20_000);
    dropped.close();
    const resumedFrom = dropped.lastEventId!;
    const resumed = await open('/v1/clubs/juventus/updates', { 'last-event-id': resumedFrom });
    await recording;

    const last = written[written.length - 1];
    await steady.until('the last report', () => highestId(steady) >= last);
    await resumed.until('the last report', () => highestId(resumed) >= last);

    // the resumed stream is exactly what a subscriber that never dropped received after that id
    const after = (c: SseClient) =>
      c.messages.filter((m) => m.event === 'update' && Number(m.id) > Number(resumedFrom));
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
    const finalTargets = updatesOf(resumed)
      .at(-1)!
      .data.changes.find((c: Json) => c.model === 'targets').document;
    expect(finalTargets.storePosition).toBe(last);
    expect(finalTargets.targets.map((t: Json) => t.player)).toEqual(expect.arrayContaining(players));
  });

  it('serves several subscribers per club and per stream, each only what concerns it', async () => {
    const juventusA = await open('/v1/clubs/juventus/updates');
    const juventusB = await open('/v1/clubs/juventus/updates');
    const marseille = await open('/v1/clubs/marseille/updates');
    const everything = await open('/v1/updates');
    await Promise.all(
      [juventusA, juventusB, marseille, everything].map((c) =>
        c.until('the first message', () => c.messages.length >= 1),
      ),
    );
    expect(everything.messages[0]).toMatchObject({ event: 'ready', id: String(await api.head()) });

    const marseillePosition = await record(interest('om-1', 'marseille', ['amine-gouiri']));
    const juventusPosition = await record(interest('juve-1', 'juventus', ['teun-koopmeiners']));
    for (const client of [juventusA, juventusB])
      await client.until('the Juventus update', () => highestId(client) >= juventusPosition);
    await marseille.until('the Marseille update', () => highestId(marseille) >= marseillePosition);
    await everything.until('both updates', () => highestId(everything) >= juventusPosition);

    expect(updatesOf(juventusA).map((u) => Number(u.id))).toEqual([juventusPosition]);
    expect(juventusB.messages).toEqual(juventusA.messages);
    expect(updatesOf(marseille).map((u) => Number(u.id))).toEqual([marseillePosition]);
    expect(updatesOf(marseille)[0].data.changes.every((c: Json) => c.club === 'marseille')).toBe(true);
    const all = updatesOf(everything);
    expect(all.map((u) => Number(u.id))).toEqual([marseillePosition, juventusPosition]);
    expect(all[1].data.changes).toEqual(updatesOf(juventusA)[0].data.changes);
  });

  it('sends heartbeats, and a reset when asked to resume from before what it still holds', async () => {
    const client = await open('/v1/clubs/juventus/updates', { 'last-event-id': '1' });
    await client.until('two heartbeats', () => client.comments >= 2);
    // the journal starts where this instance caught up (after the seed), so position 1 is too old
    expect(client.parsed()[0]).toMatchObject({ event: 'reset', id: String(await api.head()) });
    expect(client.parsed()[0].data.changes).toHaveLength(3);
  });

  it('answers 400 for a malformed Last-Event-ID and 404 for an unknown club, as problem details', async () => {
    const bad = await fetch(`${api.url}/v1/clubs/juventus/updates`, { headers: { 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).errors).toEqual([
      { field: 'Last-Event-ID', reason: expect.stringContaining('whole number') },
    ]);
    const unknown = await fetch(`${api.url}/v1/clubs/atlantis-fc/updates`);
    expect(unknown.status).toBe(404);
    const query = await fetch(`${api.url}/v1/updates?lastEventId=-4`);
    expect(query.status).toBe(400);
    expect(((await query.json()) as Json).errors[0].field).toBe('lastEventId');
  });
});

describe('live updates: a client that stops reading', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true', LIVE_CLIENT_BUFFER_BYTES: String(64 * 1024) });
  });
  afterAll(() => api.close());

  it('is disconnected once its buffer fills, and the server holds no more than the budget for it', async () => {
    const { port } = new URL(api.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /v1/updates HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n');
    socket.pause(); // reads nothing from here on
    const closed = new Promise((resolve) => socket.once('close', resolve));

    // big updates: every report names 150 clubs, each with its three documents
    const statusOf = async () => (await (await fetch(`${api.url}/v1/updates/status`)).json()) as Json;
    expect((await statusOf()).subscribers.all).toBe(1);
    for (let i = 0; i < 60 && (await statusOf()).slowClientsDisconnected === 0; i++) {
      const clubs = Array.from({ length: 150 }, (_, c) => `club-${i}-${c}`);
      const response = await api.post('/v1/reports', {
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
      expect(response.status).toBe(201);
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
  const clients: SseClient[] = [];
  const open = async (path: string, headers: Record<string, string> = {}) => {
    const client = await SseClient.open(`${api.url}${path}`, headers);
    clients.push(client);
    return client;
  };
  const fork = async (name: string): Promise<string> => {
    const response = await api.post('/v1/branches', { name, forkAt: { storePosition: await api.head() } });
    expect(response.status).toBe(201);
    return ((await response.json()) as Json).id;
  };
  const recordIn = async (branch: string | undefined, body: unknown): Promise<number> => {
    const response = await api.post(branch === undefined ? '/v1/reports' : `/v1/branches/${branch}/reports`, body);
    expect(response.status).toBe(201);
    return ((await response.json()) as Json).storePosition;
  };
  const withoutPosition = ({ storePosition: _p, ...rest }: Json) => rest;

  beforeEach(async () => {
    api = await startTestApi({ SEED_ON_EMPTY: 'true', LIVE_HEARTBEAT_MS: '200', WRITE_RATE_LIMIT: '100000' });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await api.close();
  });

  it("streams the branch's documents, updated by the branch's own writes only, with their store positions as ids; canonical streams never see them", async () => {
    const branch = await fork('Live what-if');
    const inBranch = await open(`/v1/clubs/juventus/updates?branch=${branch}`);
    const canonical = await open('/v1/clubs/juventus/updates');
    const everyClub = await open(`/v1/updates?branch=${branch}`);
    expect(inBranch.status).toBe(200);
    expect(inBranch.response.headers['content-type']).toContain('text/event-stream');
    await Promise.all(
      [inBranch, canonical, everyClub].map((c) => c.until('the first message', () => c.messages.length >= 1)),
    );

    const [snapshot] = inBranch.parsed();
    expect(snapshot.event).toBe('snapshot');
    const created = Number(snapshot.id);
    expect(everyClub.parsed()[0]).toMatchObject({
      event: 'ready',
      id: String(created),
      data: { storePosition: created },
    });
    for (const change of snapshot.data.changes) {
      const rest = await (await fetch(`${api.url}/v1/clubs/juventus/${change.model}?branch=${branch}`)).json();
      expect(change.document).toMatchObject({ branch, storePosition: created });
      expect(withoutPosition(change.document)).toEqual(withoutPosition(rest));
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
    expect(last.data.changes.map((c: Json) => c.model)).toEqual(['targets']);
    const targets = last.data.changes[0].document;
    expect(targets).toMatchObject({ branch, storePosition: second });
    const players = targets.targets.map((t: Json) => t.player);
    expect(players).toEqual(expect.arrayContaining(['jonathan-david', 'khephren-thuram']));
    expect(players).not.toContain('victor-osimhen');
    // the same document as the branch's REST endpoint answers, position aside
    const rest = await (await fetch(`${api.url}/v1/clubs/juventus/targets?branch=${branch}`)).json();
    expect(withoutPosition(targets)).toEqual(withoutPosition(rest));
    expect(updatesOf(everyClub)[1].data.changes).toEqual(last.data.changes);
    expect(updatesOf(canonical)[0].data.changes[0].document.targets.map((t: Json) => t.player)).not.toContain(
      'jonathan-david',
    );
    await inBranch.until('two heartbeats', () => inBranch.comments >= 2);
  });

  it('resumes a branch stream after Last-Event-ID exactly, without gap or duplicate, when dropped while the branch is being written', async () => {
    const branch = await fork('Resume what-if');
    const steady = await open(`/v1/clubs/juventus/updates?branch=${branch}`);
    const dropped = await open(`/v1/clubs/juventus/updates?branch=${branch}`);
    await Promise.all([steady, dropped].map((c) => c.until('the snapshot', () => c.messages.length >= 1)));

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
    const resumed = await open(`/v1/clubs/juventus/updates?branch=${branch}`, { 'last-event-id': resumedFrom });
    await recording;

    const last = written[written.length - 1];
    await steady.until('the last write', () => highestId(steady) >= last);
    await resumed.until('the last write', () => highestId(resumed) >= last);

    const after = (c: SseClient) =>
      c.messages.filter((m) => m.event === 'update' && Number(m.id) > Number(resumedFrom));
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
    const finalTargets = updatesOf(resumed)
      .at(-1)!
      .data.changes.find((c: Json) => c.model === 'targets').document;
    expect(finalTargets.storePosition).toBe(last);
    const finalPlayers = finalTargets.targets.map((t: Json) => t.player);
    expect(finalPlayers).toEqual(expect.arrayContaining(players));
    expect(finalPlayers.some((p: string) => p.startsWith('canonical-'))).toBe(false);
  });

  it('ends the streams of a deleted branch with a `deleted` message; reopening then answers 404', async () => {
    const branch = await fork('Doomed what-if');
    const club = await open(`/v1/clubs/juventus/updates?branch=${branch}`);
    const everyClub = await open(`/v1/updates?branch=${branch}`);
    await Promise.all([club, everyClub].map((c) => c.until('the first message', () => c.messages.length >= 1)));

    const deleted = await fetch(`${api.url}/v1/branches/${branch}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    for (const client of [club, everyClub]) {
      await client.until('the end of the stream', () => client.closed);
      expect(client.parsed().at(-1)).toMatchObject({ event: 'deleted', data: { branch } });
    }
    const again = await fetch(`${api.url}/v1/clubs/juventus/updates?branch=${branch}`);
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ code: 'UNKNOWN_BRANCH' });
    expect(((await (await fetch(`${api.url}/v1/updates/status`)).json()) as Json).branches).toMatchObject({
      club: 0,
      all: 0,
    });
  });

  it('answers 400 for a malformed branch id and 404 for an unknown branch or a club the branch does not know, as problem details', async () => {
    for (const path of ['/v1/updates?branch=Not_A_Branch', '/v1/clubs/juventus/updates?branch=Not_A_Branch']) {
      const bad = await fetch(`${api.url}${path}`);
      expect({ path, status: bad.status }).toEqual({ path, status: 400 });
      expect(((await bad.json()) as Json).errors).toEqual([
        { field: 'branch', reason: expect.stringContaining('branch id') },
      ]);
    }
    for (const path of ['/v1/updates?branch=no-such-branch', '/v1/clubs/juventus/updates?branch=no-such-branch']) {
      const unknown = await fetch(`${api.url}${path}`);
      expect({ path, status: unknown.status }).toEqual({ path, status: 404 });
      expect(await unknown.json()).toMatchObject({ code: 'UNKNOWN_BRANCH', errors: [{ field: 'branch' }] });
    }
    // a club first named in canonical history after the fork is not in the branch
    const branch = await fork('Before Feyenoord');
    await recordIn(undefined, interest('feyenoord-live', 'feyenoord', ['someone']));
    const later = await fetch(`${api.url}/v1/clubs/feyenoord/updates?branch=${branch}`);
    expect(later.status).toBe(404);
    expect(await later.json()).toMatchObject({ code: 'UNKNOWN_CLUB' });
  });
});

describe('live updates of a what-if branch: limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      SEED_ON_EMPTY: 'true',
      LIVE_CLIENT_BUFFER_BYTES: String(64 * 1024),
      LIVE_MAX_CONNECTIONS_PER_CLIENT: '2',
      WRITE_RATE_LIMIT: '100000',
    });
  });
  afterAll(() => api.close());
  const fork = async (name: string): Promise<string> => {
    const response = await api.post('/v1/branches', { name, forkAt: { storePosition: await api.head() } });
    return ((await response.json()) as Json).id;
  };
  const statusOf = async () => (await (await fetch(`${api.url}/v1/updates/status`)).json()) as Json;

  it("counts branch streams in the client's connection cap", async () => {
    const branch = await fork('Capped');
    const streams = [
      await SseClient.open(`${api.url}/v1/updates?branch=${branch}`),
      await SseClient.open(`${api.url}/v1/clubs/juventus/updates`),
    ];
    await Promise.all(streams.map((c) => c.until('the first message', () => c.messages.length >= 1)));
    const third = await fetch(`${api.url}/v1/clubs/juventus/updates?branch=${branch}`);
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ code: 'LIVE_CONNECTION_LIMIT' });
    for (const stream of streams) stream.close();
    for (const stream of streams) await stream.until('closed', () => stream.closed);
  });

  it('disconnects a branch subscriber that stops reading once its buffer fills', async () => {
    const branch = await fork('Flooded');
    const { port } = new URL(api.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET /v1/updates?branch=${branch} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n`);
    socket.pause();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const before = (await statusOf()).slowClientsDisconnected;
    for (let i = 0; i < 60 && (await statusOf()).slowClientsDisconnected === before; i++) {
      const clubs = Array.from({ length: 150 }, (_, c) => `branch-club-${i}-${c}`);
      const response = await api.post(`/v1/branches/${branch}/reports`, {
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
      expect(response.status).toBe(201);
    }
    const status = await statusOf();
    expect(status.slowClientsDisconnected).toBe(before + 1);
    expect(status.branches.all).toBe(0);
    socket.resume();
    await closed;
  });
});
