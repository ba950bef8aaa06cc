import {
  StreamRefusedError,
  type DocumentChange,
  type LiveMessage,
  type ReplayMessage,
  type SquadClient,
  type StreamOptions,
} from '@squad/client';

/**
 * Follows a stream of the typed client (`client.liveUpdates()`, `client.replay()`) in the
 * background, as SseClient does a raw one: it keeps every message and lets a test wait for a
 * condition on them (woken by each message, no polling, with a deadline). It never reconnects
 * (a test that drops a stream resumes it itself, with `lastEventId`), and it keeps the stream's
 * HTTP response, for its headers.
 */
export class TypedStream<M extends { readonly event: string; readonly id?: string }> {
  readonly messages: M[] = [];
  /** The stream's HTTP response, once it came. */
  response: Response | undefined;
  ended = false;
  /** Why the stream ended, when not by the server closing it or `close()` (a StreamRefusedError, say). */
  error: unknown;
  private readonly abort = new AbortController();
  private waiters: (() => void)[] = [];

  private constructor(open: (options: StreamOptions) => AsyncGenerator<M>) {
    const messages = open({
      signal: this.abort.signal,
      reconnect: false,
      fetch: async (input, init) => {
        this.response = await fetch(input, init);
        this.wake();
        return this.response;
      },
    });
    void this.read(messages);
  }

  /**
   * Opens the stream (`open` passes the options it is given to the client) and resolves once it
   * answered 2xx, or rejects with why not: a replay can be stepped, say, once its stream is open.
   */
  static async open<M extends { readonly event: string; readonly id?: string }>(
    open: (options: StreamOptions) => AsyncGenerator<M>,
  ): Promise<TypedStream<M>> {
    const stream = new TypedStream(open);
    await stream.until('the stream to open', () => stream.response?.ok === true);
    return stream;
  }

  /** The `id` of the last message that had one (what a client resumes from). */
  get lastEventId(): string | undefined {
    return this.messages.findLast((m) => m.id !== undefined)?.id;
  }

  /** Resolves once `check()` holds; rejects if the stream ends first, or after `timeoutMs`, with `what`. */
  until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter = () => {
        if (check()) settle(resolve);
        else if (this.ended)
          settle(() => reject(new Error(`the stream ended (${String(this.error)}) ${this.got(what)}`)));
      };
      const settle = (then: () => void) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        then();
      };
      const timer = setTimeout(() => settle(() => reject(new Error(`timed out ${this.got(what)}`))), timeoutMs);
      this.waiters.push(waiter);
      waiter();
    });
  }

  close(): void {
    this.abort.abort();
  }

  private async read(messages: AsyncGenerator<M>): Promise<void> {
    try {
      for await (const message of messages) {
        this.messages.push(message);
        this.wake();
      }
    } catch (error) {
      this.error = error;
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  private got(what: string): string {
    const told = this.messages.map((m) => `${m.event}#${m.id}`).join(' ');
    return `waiting for ${what}; got ${this.messages.length} messages: ${told}`;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Why the typed client's stream was refused (its status and problem); fails if it opened instead. */
export async function refusalOf(
  open: (options: StreamOptions) => AsyncGenerator<unknown>,
): Promise<StreamRefusedError> {
  const stream = open({ reconnect: false });
  try {
    await stream.next();
  } catch (error) {
    if (error instanceof StreamRefusedError) return error;
    throw error;
  }
  await stream.return(undefined);
  throw new Error('the stream was not refused');
}

/** The `update` messages of a live stream. */
export const updatesOf = (stream: TypedStream<LiveMessage>) =>
  stream.messages.filter((m): m is Extract<LiveMessage, { event: 'update' | 'snapshot' }> => m.event === 'update');

/** The `day` messages of a replay. */
export const daysOf = (stream: TypedStream<ReplayMessage>) =>
  stream.messages.filter((m): m is Extract<ReplayMessage, { event: 'day' }> => m.event === 'day');

/** The highest message id of a live stream (0 before any). */
export const highestId = (stream: TypedStream<LiveMessage>) => Math.max(0, ...stream.messages.map((m) => Number(m.id)));

/** Each model's document, as a live or replay message carries it. */
type DocumentOf = { [C in DocumentChange as C['model']]: C['document'] };

/** The document of `model` (of `club`, when given) among a message's changes. */
export function documentOf<K extends keyof DocumentOf>(
  changes: readonly DocumentChange[],
  model: K,
  club?: string,
): DocumentOf[K] | undefined {
  const change = changes.find((c) => c.model === model && (club === undefined || c.club === club));
  return change?.document as DocumentOf[K] | undefined; // the change of that model carries that document
}

/** The document of `model` for `club` as its REST endpoint answers it (to compare with a streamed one). */
export async function restDocument(
  api: SquadClient['api'],
  model: DocumentChange['model'],
  club: string,
  query: { readonly asOf?: string; readonly knownAt?: string; readonly branch?: string } = {},
) {
  const params = { path: { club }, query };
  switch (model) {
    case 'squad-depth':
      return (await api.GET('/v1/clubs/{club}/squad-depth', { params })).data;
    case 'targets':
      return (await api.GET('/v1/clubs/{club}/targets', { params })).data;
    case 'outgoing':
      return (await api.GET('/v1/clubs/{club}/outgoing', { params })).data;
  }
}
