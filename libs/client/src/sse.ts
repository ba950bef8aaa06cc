/**
 * Server-Sent Events over `fetch` (Node 20 and browsers alike): unlike `EventSource`, it can send
 * an `Authorization` header, and it hands each message over as a value to `for await`. A dropped
 * connection is reopened with `Last-Event-ID` set to the last id received, so a stream resumes
 * where it broke, without a gap (the service replays what was missed, or sends `reset`).
 */

export interface SseMessage {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

export interface StreamOptions {
  /** Sent as `Authorization: Bearer <key>`. */
  readonly apiKey?: string;
  /** Resume after this id (a store position for live updates, a day for replays). */
  readonly lastEventId?: string;
  /** Ends the stream (the iterator returns). */
  readonly signal?: AbortSignal;
  /** Reopen a dropped connection (default true), after this many ms (default 1000, or the server's `retry:`). */
  readonly reconnect?: boolean;
  readonly retryMs?: number;
  readonly fetch?: typeof fetch;
  /**
   * Told when the stream connects (`open`) and when it dropped and waits to reconnect
   * (`reconnecting`, with why): what a dashboard shows as its live indicator.
   */
  readonly onStatus?: (status: 'open' | 'reconnecting', reason?: unknown) => void;
}

/** A stream refused with an HTTP error (its problem details parsed, when there are some). */
export class StreamRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`the stream was refused with HTTP ${status}`);
    this.name = 'StreamRefusedError';
  }
}

/** Splits a text stream into SSE messages (the WHATWG rules: `event`, `data`, `id`, `retry`, comments). */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;
  /** The last `retry:` the server asked for. */
  retryMs: number | undefined;

  /** Feeds a chunk; returns the messages it completed. */
  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    let end: number;
    while ((end = this.buffer.search(/\r\n|\r|\n/)) !== -1) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (this.data.length > 0)
          out.push({
            ...(this.id === undefined ? {} : { id: this.id }),
            event: this.event || 'message',
            data: this.data.join('\n'),
          });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') this.event = value;
      else if (field === 'data') this.data.push(value);
      else if (field === 'id' && !value.includes('\0')) this.id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    return out;
  }
}

/**
 * The messages of an SSE endpoint, reconnecting with `Last-Event-ID` when the connection drops.
 * A 4xx ends the stream with `StreamRefusedError` (retrying would not help); a 5xx, a network
 * error or the server closing the stream is retried.
 */
export async function* sseMessages(url: string, options: StreamOptions = {}): AsyncGenerator<SseMessage> {
  const doFetch = options.fetch ?? fetch;
  let lastEventId = options.lastEventId;
  let retryMs = options.retryMs ?? 1000;
  while (!options.signal?.aborted) {
    let dropped: unknown;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    try {
      const response = await doFetch(url, { headers, signal: options.signal });
      if (response.status >= 400 && response.status < 500) {
        const text = await response.text();
        let problem: unknown = text;
        try {
          problem = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        throw new StreamRefusedError(response.status, problem);
      }
      if (response.ok && response.body) {
        options.onStatus?.('open');
        const parser = new SseParser();
        const decoder = new TextDecoder();
        const reader = response.body.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            for (const message of parser.push(decoder.decode(value, { stream: true }))) {
              if (message.id !== undefined) lastEventId = message.id;
              yield message;
            }
          }
        } finally {
          reader.releaseLock();
          void response.body.cancel().catch(() => undefined);
        }
        retryMs = parser.retryMs ?? retryMs;
        dropped = 'the server closed the stream';
      } else {
        void response.body?.cancel().catch(() => undefined);
        dropped = `HTTP ${response.status}`;
      }
    } catch (error) {
      if (error instanceof StreamRefusedError || options.signal?.aborted) {
        if (options.signal?.aborted) return;
        throw error;
      }
      dropped = error;
    }
    if (options.reconnect === false) return;
    options.onStatus?.('reconnecting', dropped);
    await delay(retryMs, options.signal);
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
