import { upcastClaimRefs, type ClaimRef } from '@squad/domain';
import type { StoredEvent } from '@squad/event-store';
import type { RecordReportResult } from '@squad/reports';

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
    storePosition: Number(event.position),
    recordedAt: event.recordedAt.toISOString(),
    data: upcastData(event.data),
    metadata: event.metadata,
  };
}

/** A recording's answer: its events, and the store position to read it back with (minPosition). */
export function resultView(result: RecordReportResult) {
  const events = result.events.map(eventView);
  return {
    reportId: result.reportId,
    status: result.status,
    storePosition: events.at(-1)?.storePosition ?? null,
    events,
  };
}

/** The data as the current version shapes it (see `upcastClaimRefs`). */
function upcastData(data: unknown): unknown {
  const contradicts = (data as { contradicts?: readonly ClaimRef[] } | null)?.contradicts;
  return contradicts === undefined ? data : { ...(data as object), contradicts: upcastClaimRefs(contradicts) };
}
