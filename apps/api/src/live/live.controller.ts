import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientOf } from '../access/access.guard';
import { unknownEntity } from '../errors/application-error';
import { RequestParams } from '../http/request-params';
import { answeredHeadOfStream } from '../http/sse-head';
import { Histories } from '../histories/histories.service';
import { Answers } from '../openapi/answers';
import type { LiveFeed } from './live-feed';
import { LiveUpdates, type LiveStatus } from './live-updates.service';

const resumeDocs = [
  ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this store position (sent by EventSource on reconnect)',
  }),
  ApiQuery({
    name: 'lastEventId',
    required: false,
    description: 'The same as Last-Event-ID, for clients that cannot set headers',
  }),
  ApiQuery({
    name: 'branch',
    required: false,
    description:
      "Follow a what-if branch (its id) instead of canonical history: its documents as the branch reads them, updated by the branch's own writes; ids are their store positions. A deleted branch's stream ends with a `deleted` message",
  }),
  Answers({
    answers: [{ status: 200, description: 'The stream' }],
    problems: [404],
    stream:
      "Messages: a club's stream opens with `snapshot` (its three documents), every club's with `ready` `{ storePosition }` (either: `reset` when resuming from too far back), then `update` `{ storePosition, changes: [{ model, club, document }] }` with each document as its REST endpoint answers it (schemas SquadDepth, Targets, Outgoing); on a branch, `deleted` `{ storePosition, branch }` when it is deleted. Each message id is its store position: resume with Last-Event-ID.",
  }),
];
const ResumeDocs = (): MethodDecorator => (target, key, descriptor) => {
  for (const decorate of resumeDocs) decorate(target, key, descriptor);
};

/**
 * Server-Sent Events. Every message's `id` is the store position its documents reflect; its data
 * is `{ storePosition, changes: [{ model, club, document }] }`, each document exactly what the REST
 * endpoint of that read model answers for today (with `branch=`, on that branch).
 */
@ApiTags('live updates')
@Controller('v1')
export class LiveController {
  constructor(
    private readonly live: LiveUpdates,
    private readonly histories: Histories,
  ) {}

  @Get('clubs/:club/updates')
  @ApiOperation({
    summary: "A club's squad depth, targets and outgoing candidates as they change: a snapshot, then updates (SSE)",
  })
  @ApiParam({ name: 'club', example: 'juventus' })
  @ResumeDocs()
  async clubUpdates(
    @Param('club') club: string,
    @Headers('last-event-id') header: string | undefined,
    @Query('lastEventId') query: string | undefined,
    @Query('branch') branch: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const params = new RequestParams();
    params.slug(club, 'club');
    const lastEventId = lastEventIdOf(params, header, query);
    params.branch(branch);
    params.done();
    if (!(await this.histories.resolve(branch)).view.hasClub(club)) throw unknownEntity('club', club);
    if (answeredHeadOfStream(request, reply)) return;
    const { release, feed } = await this.admitted(request, lastEventId, branch);
    this.live.openClubStream(club, reply.hijack().raw, lastEventId, { release }, feed);
  }

  @Get('updates')
  @ApiOperation({ summary: 'Every club document as it changes (SSE): `ready` with the position, then updates' })
  @ResumeDocs()
  async allUpdates(
    @Headers('last-event-id') header: string | undefined,
    @Query('lastEventId') query: string | undefined,
    @Query('branch') branch: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const params = new RequestParams();
    const lastEventId = lastEventIdOf(params, header, query);
    params.branch(branch);
    params.done();
    if (branch !== undefined) await this.histories.branch(branch); // 404 before taking a slot
    if (answeredHeadOfStream(request, reply)) return;
    const { release, feed } = await this.admitted(request, lastEventId, branch);
    this.live.openAllStream(reply.hijack().raw, lastEventId, { release }, feed);
  }

  /**
   * Takes the client's stream slot (429 past the cap), then waits for a resume position if
   * needed, then (for a branch) gets the branch's feed caught up with its writes: the stream must
   * be opened right after, without awaiting anything.
   */
  private async admitted(
    request: FastifyRequest,
    lastEventId: number | undefined,
    branch: string | undefined,
  ): Promise<{ release: () => void; feed?: LiveFeed }> {
    const release = this.live.admit(clientOf(request));
    try {
      await this.live.whenReached(lastEventId);
      return { release, feed: branch === undefined ? undefined : await this.live.branchFeed(branch) };
    } catch (error) {
      release();
      throw error;
    }
  }

  @Get('updates/status')
  @ApiOperation({
    summary: 'Live updates of this instance: position, how far back resuming works, subscribers, slow clients dropped',
  })
  @Answers({ answers: [{ status: 200, schema: 'LiveStatus', description: 'The live updates of this instance' }] })
  status(): LiveStatus {
    return this.live.status();
  }
}

/** `Last-Event-ID` (sent by EventSource on reconnect), else the `lastEventId` query parameter; empty: none. */
function lastEventIdOf(
  params: RequestParams,
  header: string | undefined,
  query: string | undefined,
): number | undefined {
  if (header !== undefined && header !== '') return params.position(header, 'Last-Event-ID');
  return query === undefined || query === '' ? undefined : params.position(query, 'lastEventId');
}
