import {
  AccessDeniedError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  type RecordedEvent,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, InvalidAppendError, WrongExpectedRevisionError } from '../errors';
import { isResubscribable, isVisibleEvent, toStoredEvent, translateAppendError } from './eventstoredb-event-store';

// The translations the adapter makes; the behaviour against a server is the contract suite's.
describe('EventStoreDB adapter mappings', () => {
  it('turns a wrong expected version into the port error, with the unprefixed stream and "no_stream" for a missing one', () => {
    const conflict = new WrongExpectedVersionError(undefined, { streamName: 'tenant/s', expected: 2n, current: 4n });
    expect(translateAppendError(conflict, 's', 2n)).toEqual(new WrongExpectedRevisionError('s', 2n, 4n));

    const missing = new WrongExpectedVersionError(undefined, {
      streamName: 'tenant/t',
      expected: 'stream_exists',
      current: 'no_stream',
    });
    const translated = translateAppendError(missing, 't', 'stream_exists');
    expect(translated).toBeInstanceOf(WrongExpectedRevisionError);
    expect(translated).toMatchObject({ stream: 't', expected: 'stream_exists', actual: 'no_stream' });
    const negative = new WrongExpectedVersionError(undefined, { streamName: 't', expected: 0n, current: -1n });
    expect(translateAppendError(negative, 't', 0n)).toMatchObject({ actual: 'no_stream' });
  });

  it("reports the server's batch size limit as an event too large, and lost connections as unavailable", () => {
    expect(translateAppendError(new MaxAppendSizeExceededError(undefined, 1_048_576), 's', 'any')).toMatchObject({
      constructor: InvalidAppendError,
      reason: 'EVENT_TOO_LARGE',
      field: 'events',
    });
    const down = translateAppendError(new UnavailableError(undefined, 'connect ECONNREFUSED'), 's', 'any');
    expect(down).toBeInstanceOf(EventStoreUnavailableError);
    expect((down as Error).message).toContain('ECONNREFUSED');
    const late = translateAppendError(new DeadlineExceededError(undefined, 'deadline'), 's', 'any') as Error;
    expect(late).toBeInstanceOf(EventStoreUnavailableError);
    expect(late.message).toContain('retrying it with the same ids is safe');
    const denied = new AccessDeniedError();
    expect(translateAppendError(denied, 's', 'any')).toBe(denied);
  });

  it('resubscribes after drops but not after refusals or bugs', () => {
    expect(isResubscribable(new UnavailableError())).toBe(true);
    expect(isResubscribable(new UnknownError())).toBe(true);
    expect(isResubscribable(new EventStoreUnavailableError('head read failed'))).toBe(true);
    expect(isResubscribable(new AccessDeniedError())).toBe(false);
    expect(isResubscribable(new TypeError('a bug'))).toBe(false);
  });

  it('shows exactly the non-system events of the prefixed streams', () => {
    expect(isVisibleEvent('s', 'PlayerRegistered', '')).toBe(true);
    expect(isVisibleEvent('$stats-127.0.0.1:2113', '$statsCollected', '')).toBe(false);
    expect(isVisibleEvent('$$s', '$metadata', '')).toBe(false);
    expect(isVisibleEvent('$ce-player', '$>', '')).toBe(false);
    expect(isVisibleEvent('$projected', 'Emitted', '')).toBe(false);
    expect(isVisibleEvent('t1/s', 'PlayerRegistered', 't1/')).toBe(true);
    expect(isVisibleEvent('t2/s', 'PlayerRegistered', 't1/')).toBe(false);
  });

  it('converts a recorded event, unprefixing its stream and defaulting metadata to an object', () => {
    const created = new Date('2026-01-31T12:00:00Z');
    const recorded = {
      streamId: 'tenant/player-1',
      id: 'A1B2C3D4-0000-4000-8000-000000000001',
      revision: 3n,
      type: 'PlayerRegistered',
      data: { player: 'p' },
      metadata: { reportId: 'r-1' },
      isJson: true,
      created,
    } as RecordedEvent;
    expect(toStoredEvent(recorded, 1234n, 'tenant/')).toEqual({
      id: 'a1b2c3d4-0000-4000-8000-000000000001',
      type: 'PlayerRegistered',
      data: { player: 'p' },
      metadata: { reportId: 'r-1' },
      stream: 'player-1',
      revision: 3n,
      position: 1234n,
      recordedAt: created,
    });
    for (const metadata of [undefined, new Uint8Array([1, 2]), ['not', 'an', 'object'], 'text']) {
      expect(toStoredEvent({ ...recorded, metadata }, 1n, '').metadata).toEqual({});
    }
  });
});
