import type { EventStore } from '@squad/event-store';

/** The id of the store's first event: tells one store from another (undefined while empty). */
export async function storeIdentity(store: EventStore): Promise<string | undefined> {
  for await (const first of store.readAll({ maxCount: 1 })) return first.id;
  return undefined;
}
