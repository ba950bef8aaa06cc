import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSquadClient } from './index';
import { SseParser, sseMessages, StreamRefusedError, type SseMessage } from './sse';

describe('SseParser', () => {
  it('splits messages on blank lines, whatever the line ending, across chunk boundaries', () => {
    const parser = new SseParser();
    const out = [
      ...parser.push('id: 1\nevent: update\nda'),
      ...parser.push('ta: {"a":1}\n\r\n'),
      ...parser.push('data: one\r'),
      ...parser.push('data: two\r\rid: 7\ndata:three\n\n'),
    ];
    expect(out).toEqual([
      { id: '1', event: 'update', data: '{"a":1}' },
      // the id is the last one seen: it carries over to messages that set none
      { id: '1', event: 'message', data: 'one\ntwo' },
      { id: '7', event: 'message', data: 'three' },
    ]);
  });

  it('skips comments and messages without data, keeps the retry the server asks for, ignores an id with NUL', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\nevent: ping\n\nretry: 250\nretry: soon\nid: a\0b\ndata: x\n\n')).toEqual([
      { event: 'message', data: 'x' },
    ]);
    expect(parser.retryMs).toBe(250);
  });
});

/** A real HTTP server whose handler each test sets; it records every request's Last-Event-ID. */
class StubStreamServer {
  readonly lastEventIds: (string | undefined)[] = [];
  readonly authorizations: (string | undefined)[] = [];
  handler: (request: IncomingMessage, response: ServerResponse, attempt: number) => void = () => undefined;
  private readonly server: Server = createServer((request, response) => {
    this.lastEventIds.push(request.headers['last-event-id'] as string | undefined);
    this.authorizations.push(request.headers.authorization);
    this.handler(request, response, this.lastEventIds.length);
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/stream`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const sse = (response: ServerResponse) => response.writeHead(200, { 'content-type': 'text/event-stream' });

async function take(messages: AsyncGenerator<SseMessage>, count: number): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const message of messages) {
    out.push(message);
    if (out.length === count) break;
  }
  return out;
}

describe('sseMessages', () => {
  const server = new StubStreamServer();
  let url: string;
  beforeAll(async () => {
    url = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.lastEventIds.length = 0;
    server.authorizations.length = 0;
  });

  it('reconnects after a drop with Last-Event-ID set to the last id received, and reports its status', async () => {
    server.handler = (_request, response, attempt) => {
      sse(response);
      if (attempt === 1) response.end('retry: 10\nid: 1\ndata: first\n\nid: 2\ndata: second\n\n');
      else response.write('id: 3\ndata: third\n\n');
    };
    const statuses: string[] = [];
    const messages = await take(
      sseMessages(url, { apiKey: 'k-123', lastEventId: '0', onStatus: (status) => statuses.push(status) }),
      3,
    );
    expect(messages.map((m) => m.data)).toEqual(['first', 'second', 'third']);
    expect(server.lastEventIds).toEqual(['0', '2']);
    expect(server.authorizations).toEqual(['Bearer k-123', 'Bearer k-123']);
    expect(statuses).toEqual(['open', 'reconnecting', 'open']);
  });

  it('retries a 5xx (the service starting or catching up) and stops on a 4xx with its problem details', async () => {
    server.handler = (_request, response, attempt) => {
      if (attempt === 1) {
        response.writeHead(503, { 'content-type': 'application/problem+json' }).end('{"status":503}');
      } else {
        response.writeHead(404, { 'content-type': 'application/problem+json' });
        response.end(JSON.stringify({ status: 404, code: 'CLUB_NOT_FOUND' }));
      }
    };
    const statuses: string[] = [];
    const refusal = await take(sseMessages(url, { retryMs: 10, onStatus: (s) => statuses.push(s) }), 1).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(StreamRefusedError);
    expect(refusal).toMatchObject({ status: 404, problem: { code: 'CLUB_NOT_FOUND' } });
    expect(server.lastEventIds).toHaveLength(2);
    expect(statuses).toEqual(['reconnecting']);
  });

  it('ends without reconnecting when told so, and when its signal aborts', async () => {
    server.handler = (_request, response) => {
      sse(response);
      response.end('data: only\n\n');
    };
    await expect(take(sseMessages(url, { reconnect: false }), 5)).resolves.toEqual([
      { event: 'message', data: 'only' },
    ]);
    expect(server.lastEventIds).toHaveLength(1);

    server.handler = (_request, response) => {
      sse(response);
      response.write('data: hello\n\n');
    };
    const controller = new AbortController();
    const received: string[] = [];
    for await (const message of sseMessages(url, { signal: controller.signal })) {
      received.push(message.data);
      controller.abort();
    }
    expect(received).toEqual(['hello']);
  });

  it("ends a branch's live updates at its `deleted` message, without reconnecting", async () => {
    server.handler = (_request, response) => {
      sse(response);
      response.end('id: 5\nevent: ready\ndata: {"storePosition":5}\n\nevent: deleted\ndata: {"branch":"b-1"}\n\n');
    };
    const client = createSquadClient({ baseUrl: url.replace(/\/stream$/, '') });
    const events: string[] = [];
    for await (const message of client.liveUpdates({ branch: 'b-1' }, { retryMs: 10 })) events.push(message.event);
    expect(events).toEqual(['ready', 'deleted']);
    expect(server.lastEventIds).toHaveLength(1);
  });
});
