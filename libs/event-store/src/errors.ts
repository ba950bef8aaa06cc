import type { ExpectedRevision } from './event-store.port';

/**
 * Errors of the event-store port. Adapters translate their driver's errors into these, so the
 * layers above handle one vocabulary whatever the store. Each has a stable `code`.
 */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream's revision was not the one the writer expected (optimistic concurrency). */
export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_REVISION';

  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, or `'no_stream'` when it has no events. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Wrong expected revision on stream "${stream}": expected ${String(expected)}, actual ${String(actual)}`);
  }
}

export type InvalidAppendReason =
  | 'EMPTY_BATCH'
  | 'UNKNOWN_EXPECTED_REVISION'
  | 'INVALID_STREAM_NAME'
  | 'INVALID_EVENT_ID'
  | 'INVALID_EVENT_TYPE'
  | 'NOT_SERIALISABLE'
  | 'EVENT_TOO_LARGE'
  | 'DUPLICATE_ID_IN_BATCH';

/** The append request itself is malformed; nothing was written. */
export class InvalidAppendError extends EventStoreError {
  readonly code = 'INVALID_APPEND';

  constructor(
    readonly reason: InvalidAppendReason,
    /** Where the problem is, e.g. `events[2].data.player`. */
    readonly field: string,
    detail: string,
  ) {
    super(`Invalid append (${reason}) at ${field}: ${detail}`);
  }
}

/**
 * An event id in the batch is already used by a stored event that is not part of a retry of the
 * same batch on the same stream. Ids are global idempotency keys, so this is refused.
 */
export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_ID';

  constructor(
    readonly eventId: string,
    readonly stream: string,
  ) {
    super(`Event id ${eventId} is already stored and does not belong to a retry of this batch on "${stream}"`);
  }
}

/** A read request is malformed (e.g. a negative `maxCount`). */
export class InvalidReadError extends EventStoreError {
  readonly code = 'INVALID_READ';

  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`Invalid read at ${field}: ${detail}`);
  }
}

/** The store is closed or otherwise unusable. */
export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'EVENT_STORE_UNAVAILABLE';

  constructor(detail: string) {
    super(`Event store unavailable: ${detail}`);
  }
}
