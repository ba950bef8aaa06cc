import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { contract } from './contract/conformance';

export interface SseMessage {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/**
 * A small Server-Sent Events client over node:http for tests: it parses frames as they arrive,
 * keeps every message, and lets a test wait for a condition on them (woken by each message, no
 * polling, with a deadline).
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  comments = 0;
  status = 0;
  closed = false;
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  private buffer = '';
  private req!: ClientRequest;
  response!: IncomingMessage;

  private constructor() {}

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      client.req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        client.response = res;
        client.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.receive(chunk));
        res.on('close', () => {
          client.closed = true;
          client.wake();
        });
        resolve(client);
      });
      client.req.on('error', (error) => {
        client.closed = true;
        client.wake();
        reject(error);
      });
      client.req.end();
    });
  }

  /** The `id` of the last message that had one (what an EventSource would resume from). */
  get lastEventId(): string | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--)
      if (this.messages[i].id !== undefined) return this.messages[i].id;
    return undefined;
  }

  /** Messages of one event type, with their data parsed (the typed client types them; this one is for the wire). */
  parsed(event?: string): { id?: string; event: string; data: unknown }[] {
    return this.messages
      .filter((m) => event === undefined || m.event === event)
      .map((m) => ({ id: m.id, event: m.event, data: JSON.parse(m.data) as unknown }));
  }

  /** Resolves once `check()` holds; rejects after `timeoutMs` with `what` in the message. */
  until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `timed out waiting for ${what}; got ${this.messages.length} messages: ${this.messages.map((m) => `${m.event}#${m.id}`).join(' ')}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.req.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) !== -1) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      let fields = 0;
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) {
          this.comments++;
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        fields++;
        if (field === 'id') id = value;
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) {
        this.messages.push({ id, event, data: data.join('\n') });
        contract.checkMessage(event, data.join('\n')); // asserted where the test server closes
      } else if (fields === 0) continue;
    }
    this.wake();
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => w.check());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  }
}
