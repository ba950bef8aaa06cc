import type { StoredEvent } from '@squad/event-store';

/**
 * A stored event as JSON. Revisions and positions are `bigint` inside the service and plain
 * numbers on the wire (exact up to 2^53, far beyond any store this service will hold).
 */
export function eventView(event: StoredEvent) {
  return {
    id: event.id,
    type: event.type,
    stream: event.stream,
    revision: Number(event.revision),
    position: Number(event.position),
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
    metadata: event.metadata,
  };
}
