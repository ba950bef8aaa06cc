import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { SLUG } from '@squad/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientOf } from '../access/access.guard';
import { invalidRequest, ProblemException, type FieldProblem } from '../http/problem-details';
import { ReadModels } from '../read-models/read-models.service';
import { LiveUpdates, type LiveStatus } from './live-updates.service';

const resumeDocs = [
  ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this store position (sent by EventSource on reconnect)' }),
  ApiQuery({ name: 'lastEventId', required: false, description: 'The same as Last-Event-ID, for clients that cannot set headers' }),
  ApiProduces('text/event-stream'),
];
const ResumeDocs = (): MethodDecorator => (target, key, descriptor) => {
  for (const decorate of resumeDocs) decorate(target, key, descriptor);
};

/**
 * Server-Sent Events. Every message's `id` is the store position its documents reflect; its data
 * is `{ position, changes: [{ model, club, document }] }`, each document exactly what the REST
 * endpoint of that read model answers for today.
 */
@ApiTags('live updates')
@Controller('v1')
export class LiveController {
  constructor(
    private readonly live: LiveUpdates,
    private readonly readModels: ReadModels,
  ) {}

  @Get('clubs/:club/updates')
  @ApiOperation({ summary: "A club's squad depth, targets and outgoing candidates as they change: a snapshot, then updates (SSE)" })
  @ApiParam({ name: 'club', example: 'juventus' })
  @ResumeDocs()
  async clubUpdates(
    @Param('club') club: string,
    @Headers('last-event-id') header: string | undefined,
    @Query('lastEventId') query: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const problems: FieldProblem[] = [];
    if (!SLUG.test(club)) problems.push({ field: 'club', reason: 'club must be a lower-case slug such as "juventus"' });
    const lastEventId = parseLastEventId(header, query, problems);
    if (problems.length) throw invalidRequest(problems);
    if (!this.readModels.projections.model.clubs.has(club)) {
      throw new ProblemException({ status: 404, code: 'UNKNOWN_CLUB', detail: `No report mentions the club "${club}"`, errors: [{ field: 'club', reason: 'unknown club' }] });
    }
    const release = await this.admitted(request, lastEventId);
    this.live.openClubStream(club, reply.hijack().raw, lastEventId, { release });
  }

  @Get('updates')
  @ApiOperation({ summary: 'Every club document as it changes (SSE): `ready` with the position, then updates' })
  @ResumeDocs()
  async allUpdates(
    @Headers('last-event-id') header: string | undefined,
    @Query('lastEventId') query: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const problems: FieldProblem[] = [];
    const lastEventId = parseLastEventId(header, query, problems);
    if (problems.length) throw invalidRequest(problems);
    const release = await this.admitted(request, lastEventId);
    this.live.openAllStream(reply.hijack().raw, lastEventId, { release });
  }

  /** Takes the client's stream slot (429 past the cap), then waits for a resume position if needed. */
  private async admitted(request: FastifyRequest, lastEventId: number | undefined): Promise<() => void> {
    const release = this.live.admit(clientOf(request));
    try {
      await this.live.whenReached(lastEventId);
      return release;
    } catch (error) {
      release();
      throw error;
    }
  }

  @Get('updates/status')
  @ApiOperation({ summary: 'Live updates of this instance: position, how far back resuming works, subscribers, slow clients dropped' })
  status(): LiveStatus {
    return this.live.status();
  }
}

function parseLastEventId(header: string | undefined, query: string | undefined, problems: FieldProblem[]): number | undefined {
  const [field, value] = header !== undefined && header !== '' ? ['Last-Event-ID', header] : ['lastEventId', query];
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    problems.push({ field, reason: `${field} must be a store position (a whole number), got ${JSON.stringify(value.slice(0, 40))}` });
    return undefined;
  }
  return Number(value);
}
