import { branchLedgerStream, CANONICAL_LEDGER_STREAM } from '@squad/domain';
import type { EventStore, StoredEvent } from '@squad/event-store';
import { reportVisibleAt, type ForkPoint } from '@squad/projections';

export const MAX_EVENTS_PAGE = 1000;
/** Events looked at per request at most: a page of history skips other streams' events (branches, the registry). */
const SCAN_BUDGET = 10_000;

export interface EventsPage {
  readonly events: StoredEvent[];
  /** Where the next page starts; equal to `after` when there is nothing new yet. */
  readonly nextAfter: number;
}

/** Canonical history's events after `after`, up to `limit`, in global order. */
export async function canonicalEventsPage(store: EventStore, after: number, limit: number): Promise<EventsPage> {
  const { events, nextAfter } = await scan(store, after, limit, (e) => e.stream === CANONICAL_LEDGER_STREAM);
  return { events, nextAfter };
}

/**
 * A branch's history: the canonical events visible at its fork (all stored before it, and
 * published by a record-time fork), then the branch stream's own. The fork's visibility is the
 * one the read models use (`reportVisibleAt`): the claims of a report are visible together.
 */
export async function branchEventsPage(
  store: EventStore,
  branchId: string,
  fork: ForkPoint,
  after: number,
  limit: number,
): Promise<EventsPage> {
  const events: StoredEvent[] = [];
  let nextAfter = after;
  if (after < fork.position) {
    const visible = (e: StoredEvent) =>
      e.stream === CANONICAL_LEDGER_STREAM &&
      reportVisibleAt(fork, { position: Number(e.position), publishedOn: publishedOnOf(e) });
    const canonical = await scan(store, after, limit, visible, fork.position);
    events.push(...canonical.events);
    nextAfter = canonical.nextAfter;
    if (events.length === limit || !canonical.done) return { events, nextAfter };
    nextAfter = Math.max(nextAfter, fork.position);
  }
  const stream = branchLedgerStream(branchId);
  for (let revision = 0n; events.length < limit;) {
    const own = await store.readStream(stream, { fromRevision: revision, maxCount: MAX_EVENTS_PAGE });
    for (const event of own) {
      if (Number(event.position) <= nextAfter) continue;
      events.push(event);
      nextAfter = Number(event.position);
      if (events.length === limit) break;
    }
    if (own.length < MAX_EVENTS_PAGE) break;
    revision = own[own.length - 1].revision + 1n;
  }
  return { events, nextAfter };
}

function publishedOnOf(event: StoredEvent): string {
  return String((event.metadata as { publishedOn?: unknown }).publishedOn);
}

/** The events after `after` that `keep` accepts, up to `limit`, looking at no more than the budget (and no further than `upTo`). */
async function scan(
  store: EventStore,
  after: number,
  limit: number,
  keep: (event: StoredEvent) => boolean,
  upTo = Infinity,
): Promise<EventsPage & { done: boolean }> {
  const events: StoredEvent[] = [];
  let nextAfter = after;
  let scanned = 0;
  for await (const event of store.readAll({ fromPosition: BigInt(after) + 1n, maxCount: SCAN_BUDGET })) {
    scanned++;
    const position = Number(event.position);
    if (position > upTo) return { events, nextAfter: upTo, done: true };
    nextAfter = position;
    if (keep(event)) events.push(event);
    if (events.length === limit) return { events, nextAfter, done: false };
  }
  return { events, nextAfter, done: scanned < SCAN_BUDGET }; // fewer than asked for: the head was reached
}
