import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * A replay's Server-Sent Events stream on a raw Node response. Unlike live updates (which never
 * wait and cut a client that stops reading), a replay produces its days on demand, so it simply
 * waits: `write` says when the socket's buffer is full, and the replay writes its next day only
 * once the buffer has drained. The server then holds at most one day's message beyond the socket
 * buffer, whatever the window's size and however slowly the client reads.
 */
export class ReplayStream {
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;
  private drainWaiters: (() => void)[] = [];
  /** The most bytes ever waiting in the response's buffer (right after a write). */
  maxBufferedBytes = 0;
  bytesWritten = 0;

  constructor(
    private readonly response: ServerResponse,
    options: { readonly heartbeatMs: number; readonly headers?: OutgoingHttpHeaders; readonly onClose: () => void },
  ) {
    response.writeHead(200, {
      ...options.headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.socket?.setNoDelay(true);
    response.on('drain', () => this.wake());
    response.on('close', () => {
      this.end();
      options.onClose();
    });
    // heartbeats only when nothing is waiting: a stalled client gets no extra bytes
    this.heartbeat = setInterval(() => {
      if (this.response.writableLength === 0) this.write(': heartbeat\n\n');
    }, options.heartbeatMs);
    this.heartbeat.unref();
    this.write('retry: 2000\n\n');
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  get bufferedBytes(): number {
    return this.closed ? 0 : this.response.writableLength;
  }

  /** True while the socket's buffer is over its high-water mark: the next day must wait. */
  get waitingForClient(): boolean {
    return !this.closed && this.response.writableNeedDrain;
  }

  /** Writes whole frames; returns true when the client can take more now. */
  write(frames: string): boolean {
    if (this.closed) return false;
    const more = this.response.write(frames);
    this.bytesWritten += Buffer.byteLength(frames);
    this.maxBufferedBytes = Math.max(this.maxBufferedBytes, this.response.writableLength);
    return more;
  }

  /** Resolves once the buffer has drained (at once if it is not full) or the stream has closed. */
  drained(): Promise<void> {
    if (!this.waitingForClient) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(): void {
    if (this.closed) return;
    this.response.end();
    this.end();
  }

  private end(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.wake();
  }

  private wake(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** One replay message: its `id` is the simulated day, so a reconnecting client resumes after it. */
export function replayFrame(event: string, id: string | undefined, data: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`;
}
