import type { AppendResult, EventToAppend, ExpectedRevision } from '@squad/event-store';

/**
 * The smallest model of the port's append semantics, kept obviously right so that the
 * property test can hold every adapter against it. It only models what the contract states:
 * expected revisions, idempotent retries, duplicate ids and global order.
 */
export class ReferenceEventStore {
  private readonly log: { id: string; stream: string; revision: bigint; type: string; data: unknown }[] = [];

  append(
    stream: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): AppendResult | { error: string } {
    const first = this.log.findIndex((e) => e.id === events[0].id);
    if (first !== -1) {
      const stored = this.log.filter((e) => e.stream === stream && e.revision >= this.log[first].revision);
      const isRetry = this.log[first].stream === stream && events.every((e, i) => stored[i]?.id === e.id);
      if (!isRetry) return { error: 'DUPLICATE_EVENT_ID' };
      const last = stored[events.length - 1];
      return { nextExpectedRevision: last.revision, position: BigInt(this.log.indexOf(last) + 1) };
    }
    const current = this.streamEvents(stream).length;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === 0) ||
      (expected === 'stream_exists' && current > 0) ||
      (typeof expected === 'bigint' && BigInt(current) - 1n === expected);
    if (!ok) return { error: 'WRONG_EXPECTED_REVISION' };
    if (events.some((e) => this.log.some((stored) => stored.id === e.id))) return { error: 'DUPLICATE_EVENT_ID' };
    events.forEach((e, i) =>
      this.log.push({ id: e.id, stream, revision: BigInt(current + i), type: e.type, data: e.data }),
    );
    return { nextExpectedRevision: BigInt(current + events.length - 1), position: BigInt(this.log.length) };
  }

  streamEvents(stream: string) {
    return this.log.filter((e) => e.stream === stream);
  }

  all() {
    return this.log.map((e, i) => ({ ...e, position: BigInt(i + 1) }));
  }
}
