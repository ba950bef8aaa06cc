import type { EventStore } from '@squad/event-store';

/** The id of the store's event at `position` (undefined when there is none): what ties a read-model snapshot to its store. */
export async function eventIdAt(store: EventStore, position: number): Promise<string | undefined> {
  if (position <= 0) return undefined;
  for await (const event of store.readAll({ fromPosition: BigInt(position), maxCount: 1 })) {
    return event.position === BigInt(position) ? event.id : undefined;
  }
  return undefined;
}
