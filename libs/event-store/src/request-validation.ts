import { InvalidAppendError, InvalidReadError } from './errors';
import type { EventToAppend, ExpectedRevision, ReadDirection } from './event-store.port';

/** EventStoreDB's default maximum event size; every adapter enforces the same bound. */
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

/** Deeper payloads are refused rather than risk a stack overflow in a serialiser. */
const MAX_JSON_DEPTH = 256;
const MAX_STREAM_NAME_LENGTH = 512;
const MAX_EVENT_TYPE_LENGTH = 256;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An event checked and serialised, ready for an adapter to write. */
export interface PreparedEvent {
  /** Lower-case UUID. */
  readonly id: string;
  readonly type: string;
  readonly dataJson: string;
  readonly metadataJson: string;
}

/**
 * Checks an append request and serialises its events, so that every adapter refuses the same
 * inputs with the same error before touching storage: a request is written whole or refused whole.
 */
export function prepareAppend(
  stream: unknown,
  events: unknown,
  expectedRevision: unknown,
  maxEventBytes = DEFAULT_MAX_EVENT_BYTES,
): { expectedRevision: ExpectedRevision; events: PreparedEvent[] } {
  assertStreamName(stream);
  const expected = parseExpectedRevision(expectedRevision);
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppendError('EMPTY_BATCH', 'events', 'an append needs at least one event');
  }
  const seenIds = new Set<string>();
  const prepared = events.map((event: unknown, index) => {
    const path = `events[${index}]`;
    const result = prepareEvent(event, path, maxEventBytes);
    if (seenIds.has(result.id)) {
      throw new InvalidAppendError('DUPLICATE_ID_IN_BATCH', `${path}.id`, `id ${result.id} appears twice in the batch`);
    }
    seenIds.add(result.id);
    return result;
  });
  return { expectedRevision: expected, events: prepared };
}

function assertStreamName(stream: unknown): asserts stream is string {
  if (typeof stream !== 'string' || stream.length === 0 || stream.length > MAX_STREAM_NAME_LENGTH) {
    throw new InvalidAppendError(
      'INVALID_STREAM_NAME',
      'stream',
      `a stream name is a non-empty string of at most ${MAX_STREAM_NAME_LENGTH} characters`,
    );
  }
  if (stream.startsWith('$')) {
    throw new InvalidAppendError(
      'INVALID_STREAM_NAME',
      'stream',
      'names starting with "$" are reserved for system streams',
    );
  }
}

export function parseExpectedRevision(value: unknown): ExpectedRevision {
  if (value === undefined) return 'any';
  if (value === 'any' || value === 'no_stream' || value === 'stream_exists') return value;
  if (typeof value === 'bigint' && value >= 0n) return value;
  throw new InvalidAppendError(
    'UNKNOWN_EXPECTED_REVISION',
    'expectedRevision',
    `expected 'any', 'no_stream', 'stream_exists' or a non-negative bigint, got ${describe(value)}`,
  );
}

function prepareEvent(event: unknown, path: string, maxEventBytes: number): PreparedEvent {
  if (!isPlainObject(event)) {
    throw new InvalidAppendError('NOT_SERIALISABLE', path, 'an event is an object with id, type, data and metadata');
  }
  const { id, type, data, metadata } = event as Partial<EventToAppend>;
  if (typeof id !== 'string' || !UUID.test(id)) {
    throw new InvalidAppendError('INVALID_EVENT_ID', `${path}.id`, `an event id is a UUID, got ${describe(id)}`);
  }
  if (typeof type !== 'string' || type.length === 0 || type.length > MAX_EVENT_TYPE_LENGTH || type.startsWith('$')) {
    throw new InvalidAppendError(
      'INVALID_EVENT_TYPE',
      `${path}.type`,
      `an event type is a non-empty string of at most ${MAX_EVENT_TYPE_LENGTH} characters, not starting with "$"`,
    );
  }
  if (data === undefined) {
    throw new InvalidAppendError('NOT_SERIALISABLE', `${path}.data`, 'data is required (any JSON value)');
  }
  assertJsonValue(data, `${path}.data`, 0, []);
  if (metadata !== undefined) {
    if (!isPlainObject(metadata)) {
      throw new InvalidAppendError('NOT_SERIALISABLE', `${path}.metadata`, 'metadata is a JSON object');
    }
    assertJsonValue(metadata, `${path}.metadata`, 0, []);
  }
  const dataJson = JSON.stringify(data);
  const metadataJson = metadata === undefined ? '{}' : JSON.stringify(metadata);
  const bytes = Buffer.byteLength(dataJson, 'utf8') + Buffer.byteLength(metadataJson, 'utf8');
  if (bytes > maxEventBytes) {
    throw new InvalidAppendError(
      'EVENT_TOO_LARGE',
      path,
      `the event serialises to ${bytes} bytes; the limit is ${maxEventBytes} bytes`,
    );
  }
  return { id: id.toLowerCase(), type, dataJson, metadataJson };
}

/**
 * Refuses anything JSON.stringify would silently change or drop (undefined, functions, NaN,
 * dates, class instances) or cannot encode (bigint, cycles), so what is read back is exactly
 * what was written.
 */
function assertJsonValue(value: unknown, path: string, depth: number, ancestors: object[]): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new InvalidAppendError('NOT_SERIALISABLE', path, `${value} is not a JSON number`);
      }
      return;
    case 'object': {
      if (value === null) return;
      if (depth >= MAX_JSON_DEPTH) {
        throw new InvalidAppendError('NOT_SERIALISABLE', path, `nested deeper than ${MAX_JSON_DEPTH} levels`);
      }
      if (ancestors.includes(value)) {
        throw new InvalidAppendError('NOT_SERIALISABLE', path, 'circular reference');
      }
      ancestors.push(value);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) assertJsonValue(value[i], `${path}[${i}]`, depth + 1, ancestors);
      } else if (isPlainObject(value)) {
        for (const key of Object.keys(value)) {
          assertJsonValue(value[key], `${path}.${key}`, depth + 1, ancestors);
        }
      } else {
        throw new InvalidAppendError(
          'NOT_SERIALISABLE',
          path,
          `${value.constructor?.name ?? 'object'} is not a plain JSON object (convert it, e.g. a Date to an ISO string)`,
        );
      }
      ancestors.pop();
      return;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
    default:
      throw new InvalidAppendError('NOT_SERIALISABLE', path, `${typeof value} is not a JSON value`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `undefined` means no limit. */
export function parseMaxCount(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new InvalidReadError('maxCount', `expected a non-negative integer, got ${describe(value)}`);
}

export function parseDirection(value: unknown): ReadDirection {
  if (value === undefined || value === 'forwards' || value === 'backwards') return value ?? 'forwards';
  throw new InvalidReadError('direction', `expected 'forwards' or 'backwards', got ${describe(value)}`);
}

/** A revision or position bound: a non-negative bigint or one of the named ends. */
export function parseBound<Name extends string>(
  field: string,
  value: unknown,
  names: readonly Name[],
  fallback: Name,
): bigint | Name {
  if (value === undefined) return fallback;
  if (typeof value === 'bigint' && value >= 0n) return value;
  if (typeof value === 'string' && (names as readonly string[]).includes(value)) return value as Name;
  throw new InvalidReadError(
    field,
    `expected ${names.map((n) => `'${n}'`).join(', ')} or a non-negative bigint, got ${describe(value)}`,
  );
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
