import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { OutgoingHttpHeaders } from 'node:http';
import { isIsoDate } from '@squad/domain';
import { toDay } from '@squad/projections';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientOf } from '../access/access.guard';
import { CountsAsRead } from '../access/public.decorator';
import type { Environment } from '../config/environment';
import { StreamSlots } from '../access/stream-slots';
import { invalidRequest, type FieldProblem } from '../errors/application-error';
import { answeredHeadOfStream } from '../http/sse-head';
import { Answers } from '../openapi/answers';
import { ref } from '../openapi/response-schemas';
import { MAX_CLUBS_PER_REPLAY, parseClubs, parseReplayRequest, parseSpeed } from './replay-input';
import { Replays } from './replays.service';

/**
 * Replays of a window of record time, day by day, for simulation games: create one, stream it
 * (Server-Sent Events, one message per simulated day, `id` = the day), and steer it.
 */
@ApiTags('replays')
// a replay reads history and writes nothing: read keys may run one (capped per client in Replays)
@CountsAsRead()
@Controller('v1/replays')
export class ReplaysController {
  constructor(
    private readonly replays: Replays,
    private readonly slots: StreamSlots,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a replay of a window of record time',
    description: `speed: simulated days per real second, "max" (the default: days with reports, each as soon as the client has read the last) or "step" (one day per /step). club (one slug or a list of at most ${MAX_CLUBS_PER_REPLAY}): follow those clubs' documents every day; without it, each day carries the documents of the clubs its reports touch. branch: replay a what-if branch. Canonical history is read as it stood when the replay was created. However fast or wide, a replay shares the service with every other request: its work is done a few milliseconds at a time.`,
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['from', 'to'],
      properties: {
        from: { type: 'string', format: 'date', example: '2025-06-01' },
        to: { type: 'string', format: 'date', example: '2025-09-10' },
        speed: ref('ReplaySpeed'),
        club: {
          description: `One club slug, or a list of at most ${MAX_CLUBS_PER_REPLAY} (more: 400 naming \`club\`)`,
          oneOf: [
            { type: 'string', example: 'juventus' },
            { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: MAX_CLUBS_PER_REPLAY },
          ],
        },
        branch: { type: 'string' },
        formation: { type: 'string', example: '4-3-3' },
      },
    },
  })
  @Answers({
    access: 'read',
    answers: [
      {
        status: 201,
        schema: 'ReplayCreated',
        description: 'The replay: its id, window, speed, state, and where to stream it',
      },
    ],
    problems: [404, 429],
  })
  async create(@Body() body: unknown, @Req() http: FastifyRequest) {
    const request = parseReplayRequest(body);
    if ('problems' in request) throw invalidRequest(request.problems);
    const session = await this.replays.create(request, clientOf(http));
    return { ...session.status(), reports: session.window.reportCount(), stream: `/v1/replays/${session.id}/stream` };
  }

  @Get(':id')
  @ApiOperation({ summary: "A replay's state: position, speed, what was sent, bytes waiting for the client" })
  @ApiParam({ name: 'id' })
  @Answers({ access: 'read', answers: [{ status: 200, schema: 'Replay', description: 'Its state' }], problems: [404] })
  status(@Param('id') id: string, @Req() http: FastifyRequest) {
    return this.replays.get(id, clientOf(http)).status();
  }

  @Get(':id/stream')
  @ApiOperation({
    summary: 'Stream a replay (SSE): one `day` message per simulated day, then `end`',
    description:
      'Each `day` message: `{ day, reports: [...], changes: [{ model, club, document }] }`, documents as of that day and as known that day, only those that changed since the previous day told. Opening the stream again replaces the previous client; Last-Event-ID (a day) resumes after it.',
  })
  @ApiParam({ name: 'id' })
  @ApiQuery({
    name: 'club',
    required: false,
    description: `Follow these clubs (comma-separated, at most ${MAX_CLUBS_PER_REPLAY}) from now on`,
  })
  @ApiQuery({
    name: 'lastEventId',
    required: false,
    description: 'The same as Last-Event-ID, for clients that cannot set headers',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this day (sent by EventSource on reconnect)',
  })
  @Answers({
    access: 'read',
    answers: [{ status: 200, description: 'The stream' }],
    problems: [404],
    stream:
      'Messages: `day` `{ day, reports, changes: [{ model, club, document }] }` per simulated day (id: the day), then `end` `{ from, to, daysSent }`.',
  })
  stream(
    @Param('id') id: string,
    @Query('club') club: string | string[] | undefined,
    @Query('lastEventId') lastEventIdQuery: string | undefined,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Req() http: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const session = this.replays.get(id, clientOf(http));
    const problems: FieldProblem[] = [];
    const clubs = parseClubs(club, problems);
    for (const followed of clubs ?? []) {
      if (!session.window.view.hasClub(followed))
        problems.push({ field: 'club', reason: `no report mentions the club "${followed}"` });
    }
    const lastEventId = lastEventIdHeader || lastEventIdQuery || undefined;
    if (lastEventId !== undefined && !isIsoDate(lastEventId))
      problems.push({ field: 'Last-Event-ID', reason: 'Last-Event-ID must be a day of the replay (YYYY-MM-DD)' });
    if (problems.length) throw invalidRequest(problems);
    if (answeredHeadOfStream(http, reply)) return;
    // a replay stream holds a connection like a live one: it takes one of the client's stream slots (429 past the cap)
    const release = this.slots.admit(clientOf(http));
    const headers = reply.getHeaders() as OutgoingHttpHeaders; // set by hooks (security headers) before the stream takes over
    session.attach(reply.hijack().raw, {
      onClose: release,
      heartbeatMs: this.config.get('LIVE_HEARTBEAT_MS', { infer: true }),
      headers,
      resumeAfter: lastEventId === undefined ? undefined : toDay(lastEventId),
      clubs,
    });
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause: no day is told until /resume or /step' })
  @Answers({ access: 'read', answers: [{ status: 200, schema: 'Replay', description: 'Its state' }], problems: [404] })
  pause(@Param('id') id: string, @Req() http: FastifyRequest) {
    const session = this.replays.get(id, clientOf(http));
    session.pause();
    return session.status();
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Play again, at the replay\'s speed or a new one ({ "speed": 4 } or "max")' })
  @ApiBody({
    required: false,
    schema: { type: 'object', additionalProperties: false, properties: { speed: ref('ReplaySpeed') } },
    examples: { faster: { value: { speed: 4 } } },
  })
  @Answers({
    access: 'read',
    answers: [{ status: 200, schema: 'Replay', description: 'Its state' }],
    problems: [404, 409],
  })
  resume(@Param('id') id: string, @Body() body: unknown, @Req() http: FastifyRequest) {
    const session = this.replays.get(id, clientOf(http));
    const problems: FieldProblem[] = [];
    const speed = parseSpeed((body as { speed?: unknown } | undefined)?.speed, problems);
    if (problems.length) throw invalidRequest(problems);
    session.resume(speed);
    return session.status();
  }

  @Post(':id/step')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause and tell the next day now; answers with the day told (null at the end)' })
  @Answers({
    access: 'read',
    answers: [{ status: 200, schema: 'ReplayStepped', description: 'The day told, and its state' }],
    problems: [404, 409],
  })
  async step(@Param('id') id: string, @Req() http: FastifyRequest) {
    const session = this.replays.get(id, clientOf(http));
    const day = await session.step();
    return { told: day ?? null, ...session.status() };
  }

  @Post(':id/seek')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move to a day of the window: the next day told is that one (its documents whole)' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['to'],
      additionalProperties: false,
      properties: { to: { type: 'string', format: 'date' } },
    },
    examples: { august: { value: { to: '2025-08-01' } } },
  })
  @Answers({ access: 'read', answers: [{ status: 200, schema: 'Replay', description: 'Its state' }], problems: [404] })
  async seek(@Param('id') id: string, @Body() body: unknown, @Req() http: FastifyRequest) {
    const session = this.replays.get(id, clientOf(http));
    const to = (body as { to?: unknown } | undefined)?.to;
    const { from, to: last } = session.description;
    if (!isIsoDate(to) || to < from || to > last)
      throw invalidRequest([{ field: 'to', reason: `to must be a day of the replay's window, ${from} to ${last}` }]);
    await session.seek(toDay(to));
    return session.status();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a replay: its stream ends' })
  @Answers({ access: 'read', answers: [{ status: 204, description: 'Deleted' }], problems: [404] })
  delete(@Param('id') id: string, @Req() http: FastifyRequest): void {
    this.replays.delete(id, clientOf(http));
  }
}
