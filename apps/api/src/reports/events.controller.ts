import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { branchLedgerStream, CANONICAL_LEDGER_STREAM } from '@squad/domain';
import type { EventStore, StoredEvent } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import { forkPointOf, toDay, type ForkPoint } from '@squad/projections';
import { Branches } from '../branches/branches.service';
import { invalidRequest, type FieldProblem } from '../http/problem-details';
import { eventView } from './event-view';

const MAX_LIMIT = 1000;
/** Events looked at per request at most: a page of history skips other streams' events (branches, the registry). */
const SCAN_BUDGET = 10_000;

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly branches: Branches,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The history of reports as events, in global order, a page at a time',
    description:
      'Canonical history (the ledger-main stream) by default; with branch={id}, the branch\'s history: the canonical events it sees, then its own. Other streams (other branches, the branch registry) never appear. A page may hold fewer than `limit` events while more follow: continue from `nextAfter` until it equals `headPosition`.',
  })
  @ApiQuery({ name: 'after', required: false, description: 'Return events after this global position (default 0: from the start)' })
  @ApiQuery({ name: 'limit', required: false, description: `Page size, 1 to ${MAX_LIMIT} (default 100)` })
  @ApiQuery({ name: 'branch', required: false, description: 'A what-if branch (its id)' })
  async list(@Query('after') afterParam?: string, @Query('limit') limitParam?: string, @Query('branch') branchId?: string) {
    const problems: FieldProblem[] = [];
    const after = parseWhole(afterParam, 0, Number.MAX_SAFE_INTEGER, 0, 'after', problems);
    const limit = parseWhole(limitParam, 1, MAX_LIMIT, 100, 'limit', problems);
    if (problems.length) throw invalidRequest(problems);

    const branch = branchId === undefined ? undefined : await this.branches.get(branchId);
    const page = branch ? await this.branchPage(branch.id, forkPointOf(branch), after, limit) : await this.scan(after, limit, (e) => e.stream === CANONICAL_LEDGER_STREAM);
    const headPosition = Number(await this.store.headPosition());
    return {
      ...(branch ? { branch: branch.id } : {}),
      events: page.events.map(eventView),
      // where the next page starts; equal to `after` when there is nothing new yet
      nextAfter: page.nextAfter,
      headPosition,
    };
  }

  /** The events after `after` that `keep` accepts, up to `limit`, looking at no more than the budget (and no further than `upTo`). */
  private async scan(after: number, limit: number, keep: (event: StoredEvent) => boolean, upTo = Infinity) {
    const events: StoredEvent[] = [];
    let nextAfter = after;
    let scanned = 0;
    for await (const event of this.store.readAll({ fromPosition: BigInt(after) + 1n, maxCount: SCAN_BUDGET })) {
      scanned++;
      const position = Number(event.position);
      if (position > upTo) return { events, nextAfter: upTo, done: true };
      nextAfter = position;
      if (keep(event)) events.push(event);
      if (events.length === limit) return { events, nextAfter, done: false };
    }
    return { events, nextAfter, done: scanned < SCAN_BUDGET }; // fewer than asked for: the head was reached
  }

  /** A branch's history: the canonical events visible at its fork (all stored before it), then the branch stream's. */
  private async branchPage(branchId: string, fork: ForkPoint, after: number, limit: number) {
    const events: StoredEvent[] = [];
    let nextAfter = after;
    if (after < fork.position) {
      const visible = (e: StoredEvent) =>
        e.stream === CANONICAL_LEDGER_STREAM && (fork.knownAt === undefined || toDay(String((e.metadata as { publishedOn?: unknown }).publishedOn)) <= fork.knownAt);
      const canonical = await this.scan(after, limit, visible, fork.position);
      events.push(...canonical.events);
      nextAfter = canonical.nextAfter;
      if (events.length === limit || !canonical.done) return { events, nextAfter };
      nextAfter = Math.max(nextAfter, fork.position);
    }
    const stream = branchLedgerStream(branchId);
    for (let revision = 0n; events.length < limit; ) {
      const own = await this.store.readStream(stream, { fromRevision: revision, maxCount: MAX_LIMIT });
      for (const event of own) {
        if (Number(event.position) <= nextAfter) continue;
        events.push(event);
        nextAfter = Number(event.position);
        if (events.length === limit) break;
      }
      if (own.length < MAX_LIMIT) break;
      revision = own[own.length - 1].revision + 1n;
    }
    return { events, nextAfter };
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
