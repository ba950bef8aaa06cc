import type { ServerResponse } from 'node:http';

export interface SseConnectionOptions {
  /** A comment line is sent this often, so proxies and clients know the stream is alive. */
  readonly heartbeatMs: number;
  /** Bytes the server may hold for a client that does not read; past it, the client is dropped. */
  readonly maxBufferedBytes: number;
  /** Called once when the connection ends, whoever ended it. */
  readonly onClose: (reason: 'client-closed' | 'slow-client' | 'server-closing') => void;
}

/**
 * One Server-Sent Events stream on a raw Node response. Writes never wait: a client that reads
 * too slowly lets bytes pile up in its socket's buffer, and once they pass the budget the
 * connection is cut, so one stalled dashboard cannot grow the server's memory. (An EventSource
 * reconnects by itself and resumes from its Last-Event-ID.)
 */
export class SseConnection {
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly options: SseConnectionOptions,
  ) {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // tell nginx-style proxies not to buffer the stream
      'x-accel-buffering': 'no',
    });
    response.socket?.setNoDelay(true);
    response.on('close', () => this.end('client-closed'));
    // the client may have gone while the stream was being prepared (a resume waiting for its
    // position): then no 'close' is coming, so end it once the opener has registered it
    if (!response.socket || response.socket.destroyed) queueMicrotask(() => this.end('client-closed'));
    this.heartbeat = setInterval(() => this.send(': heartbeat\n\n'), options.heartbeatMs);
    this.heartbeat.unref();
    // the reconnection delay an EventSource should use, and a first byte so clients see the stream open
    this.send('retry: 2000\n\n');
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Sends one or more whole frames; returns false when the connection is (now) closed. */
  send(frames: string): boolean {
    if (this.closed) return false;
    this.response.write(frames);
    if (this.response.writableLength > this.options.maxBufferedBytes) {
      this.end('slow-client');
      return false;
    }
    return true;
  }

  /** Ends the stream (server shutting down). */
  close(): void {
    this.end('server-closing');
  }

  private end(reason: 'client-closed' | 'slow-client' | 'server-closing'): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    if (reason === 'slow-client') this.response.destroy();
    else this.response.end();
    this.options.onClose(reason);
  }
}
