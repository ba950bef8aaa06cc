import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { EventStore, StoredEvent } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { invalidRequest, type FieldProblem } from '../http/problem-details';
import { eventView } from './event-view';

const MAX_LIMIT = 1000;

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiOperation({ summary: 'The event log, in global order, a page at a time' })
  @ApiQuery({ name: 'after', required: false, description: 'Return events after this global position (default 0: from the start)' })
  @ApiQuery({ name: 'limit', required: false, description: `Page size, 1 to ${MAX_LIMIT} (default 100)` })
  async list(@Query('after') afterParam?: string, @Query('limit') limitParam?: string) {
    const problems: FieldProblem[] = [];
    const after = parseWhole(afterParam, 0, Number.MAX_SAFE_INTEGER, 0, 'after', problems);
    const limit = parseWhole(limitParam, 1, MAX_LIMIT, 100, 'limit', problems);
    if (problems.length) throw invalidRequest(problems);

    const events: StoredEvent[] = [];
    for await (const event of this.store.readAll({ fromPosition: BigInt(after) + 1n, maxCount: limit })) events.push(event);
    const headPosition = Number(await this.store.headPosition());
    const last = events.at(-1);
    return {
      events: events.map(eventView),
      // where the next page starts; equal to `after` when there is nothing new yet
      nextAfter: last ? Number(last.position) : after,
      headPosition,
    };
  }
}

function parseWhole(raw: string | undefined, min: number, max: number, fallback: number, field: string, problems: FieldProblem[]): number {
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problems.push({ field, reason: `${field} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}` });
  }
  return value;
}
