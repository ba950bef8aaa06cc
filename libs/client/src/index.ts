import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { sseMessages, type SseMessage, type StreamOptions } from './sse';

export type * from './schema';
export { SseParser, sseMessages, StreamRefusedError, type SseMessage, type StreamOptions } from './sse';

type Schemas = components['schemas'];

/** A live-update message, its data typed by its event. */
export type LiveMessage =
  | { readonly event: 'ready'; readonly id: string; readonly data: Schemas['LiveReadyMessage'] }
  | { readonly event: 'snapshot' | 'update'; readonly id: string; readonly data: Schemas['LiveUpdateMessage'] }
  | { readonly event: 'reset'; readonly id: string; readonly data: Schemas['LiveResetMessage'] }
  | { readonly event: 'deleted'; readonly id: string; readonly data: Schemas['BranchDeletedMessage'] };

/** A replay message: one `day` per simulated day (id: the day), then `end`. */
export type ReplayMessage =
  | { readonly event: 'day'; readonly id: string; readonly data: Schemas['ReplayDayMessage'] }
  | { readonly event: 'end'; readonly id?: string; readonly data: Schemas['ReplayEndMessage'] };

export interface SquadClientOptions {
  /** Where the service is, e.g. `http://localhost:3000`. */
  readonly baseUrl: string;
  /** An API key, sent as `Authorization: Bearer` on every call and stream. */
  readonly apiKey?: string;
  readonly fetch?: typeof fetch;
  /** openapi-fetch middleware, e.g. to log or to check answers. */
  readonly middleware?: readonly Middleware[];
}

export interface SquadClient {
  /** Every endpoint, typed from the OpenAPI document: `api.GET('/v1/clubs/{club}/squad-depth', { params })`. */
  readonly api: Client<paths>;
  /** Live updates of one club (`club`) or of every club, of canonical history or a branch; resumes on its own. */
  liveUpdates(
    filter?: { readonly club?: string; readonly branch?: string },
    options?: StreamOptions,
  ): AsyncGenerator<LiveMessage>;
  /** A replay's days (`POST /v1/replays` creates one), following `club` if given; resumes on its own. */
  replay(
    id: string,
    filter?: { readonly club?: readonly string[] },
    options?: StreamOptions,
  ): AsyncGenerator<ReplayMessage>;
}

export function createSquadClient(options: SquadClientOptions): SquadClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const api = createClient<paths>({
    baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
  });
  for (const middleware of options.middleware ?? []) api.use(middleware);
  const streamOptions = (given: StreamOptions | undefined): StreamOptions => ({
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...given,
  });
  return {
    api,
    liveUpdates(filter = {}, given) {
      const path = filter.club ? `/v1/clubs/${encodeURIComponent(filter.club)}/updates` : '/v1/updates';
      const query = filter.branch ? `?branch=${encodeURIComponent(filter.branch)}` : '';
      return endingWith('deleted', typed<LiveMessage>(sseMessages(`${baseUrl}${path}${query}`, streamOptions(given))));
    },
    replay(id, filter = {}, given) {
      const query = filter.club?.length ? `?club=${filter.club.map(encodeURIComponent).join(',')}` : '';
      const url = `${baseUrl}/v1/replays/${encodeURIComponent(id)}/stream${query}`;
      return typed<ReplayMessage>(sseMessages(url, streamOptions(given)));
    },
  };
}

/** The messages up to and including the first of `event` (a deleted branch's stream ends with it). */
async function* endingWith<M extends { readonly event: string }>(
  event: string,
  messages: AsyncGenerator<M>,
): AsyncGenerator<M> {
  for await (const message of messages) {
    yield message;
    if (message.event === event) return;
  }
}

/** The messages with their JSON data parsed (the service sends JSON in every message). */
async function* typed<M>(messages: AsyncGenerator<SseMessage>): AsyncGenerator<M> {
  for await (const message of messages) yield { ...message, data: JSON.parse(message.data) as unknown } as M;
}
