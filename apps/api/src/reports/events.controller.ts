import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { eventView } from '../http/event-views';
import { Answers } from '../openapi/answers';
import { RequestParams } from '../http/request-params';
import { MAX_EVENTS_PAGE } from '../histories/history-events';
import { Histories } from '../histories/histories.service';

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly histories: Histories,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The history of reports as events, in global order, a page at a time',
    description:
      "Canonical history (the ledger-main stream) by default; with branch={id}, the branch's history: the canonical events it sees, then its own. Other streams (other branches, the branch registry) never appear. A page may hold fewer than `limit` events while more follow: continue from `nextAfter` until it equals `headPosition`.",
  })
  @ApiQuery({
    name: 'after',
    required: false,
    description: 'Return events after this global position (default 0: from the start)',
  })
  @ApiQuery({ name: 'limit', required: false, description: `Page size, 1 to ${MAX_EVENTS_PAGE} (default 100)` })
  @ApiQuery({ name: 'branch', required: false, description: 'A what-if branch (its id)' })
  @Answers({ answers: [{ status: 200, schema: 'EventPage', description: 'A page of events' }], problems: [404] })
  async list(
    @Query('after') afterParam?: string,
    @Query('limit') limitParam?: string,
    @Query('branch') branchId?: string,
  ) {
    const params = new RequestParams();
    const after = params.wholeNumber(afterParam, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    const limit = params.wholeNumber(limitParam, 'limit', { min: 1, max: MAX_EVENTS_PAGE, fallback: 100 });
    params.branch(branchId);
    params.done();

    const page = await this.histories.events(branchId, after, limit);
    const headPosition = Number(await this.store.headPosition());
    return {
      ...(page.branch ? { branch: page.branch.id } : {}),
      events: page.events.map(eventView),
      // where the next page starts; equal to `after` when there is nothing new yet
      nextAfter: page.nextAfter,
      headPosition,
    };
  }
}
