import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { branchLedgerStream, type Branch } from '@squad/domain';
import { exampleReport, parseReport } from '@squad/reports';
import { clientOf } from '../access/access.guard';
import { invalidRequest } from '../errors/application-error';
import { resultView } from '../http/event-views';
import { BranchIdPipe, RequestParams } from '../http/request-params';
import { Histories } from '../histories/histories.service';
import { RecordReportCommand } from '../histories/record-report.command';
import { Answers } from '../openapi/answers';
import { ref } from '../openapi/response-schemas';
import { parseCreateBranch } from './branch-input';
import { CreateBranchCommand, DeleteBranchCommand } from './branch.commands';

/** Branches per page of `GET /v1/branches`: by default, and at most. */
export const BRANCH_PAGE = { fallback: 100, max: 1000 };

/**
 * What-if branches: canonical history up to a fork point, then reports of their own. Every read
 * endpoint takes `branch={id}`; nothing written to a branch appears in canonical history or in
 * another branch.
 */
@ApiTags('branches')
@Controller('v1/branches')
export class BranchesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly histories: Histories,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Fork a what-if branch from canonical history',
    description:
      'forkAt is { storePosition } (a store position: the branch sees canonical reports stored at or before it; a position inside a report moves back before that report) or { knownAt } (a record-time day: the branch sees canonical reports published on or before it and recorded before the branch). Forking appends one event: its cost does not grow with history. A client (an API key, or an address without keys) holds at most BRANCH_MAX_PER_CLIENT live branches (default 100; past it, 429 BRANCH_LIMIT), the store at most BRANCH_MAX_TOTAL (default 10,000; past it, 429 BRANCH_CAPACITY): delete one to fork another.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name', 'forkAt'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 200, example: 'Juventus sign Balerdi' },
        forkAt: {
          oneOf: [
            {
              type: 'object',
              required: ['storePosition'],
              additionalProperties: false,
              properties: { storePosition: { type: 'integer', minimum: 0 } },
            },
            {
              type: 'object',
              required: ['knownAt'],
              additionalProperties: false,
              properties: { knownAt: { type: 'string', format: 'date' } },
            },
          ],
        },
      },
    },
    examples: {
      storePosition: { value: { name: 'Juventus sign Balerdi', forkAt: { storePosition: 12 } } },
      knownAt: { value: { name: 'What we knew on 1 July', forkAt: { knownAt: '2025-07-01' } } },
    },
  })
  @Answers({
    answers: [
      { status: 201, schema: 'Branch', description: 'The branch: id, name, fork point, creation position, stream' },
    ],
  })
  async create(@Body() body: unknown, @Req() request: FastifyRequest) {
    const parsed = parseCreateBranch(body);
    if ('problems' in parsed) throw invalidRequest(parsed.problems);
    const command = new CreateBranchCommand(parsed.name, parsed.forkAt, clientOf(request));
    return branchView(await this.commands.execute(command));
  }

  @Get()
  @ApiOperation({
    summary: 'The branches not deleted, oldest first, a page at a time',
    description:
      "A page holds at most `limit` branches; while more follow, `next` is the `after` of the next page (the creation position of the page's last branch), else null. Paging by position is stable: a branch deleted between two pages moves no other.",
  })
  @ApiQuery({
    name: 'after',
    required: false,
    description:
      'Only branches created after this store position (default 0: from the first); the `next` of the previous page',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `Page size, 1 to ${BRANCH_PAGE.max} (default ${BRANCH_PAGE.fallback})`,
  })
  @Answers({ answers: [{ status: 200, schema: 'BranchList', description: 'A page of branches' }] })
  async list(@Query('after') afterParam?: string, @Query('limit') limitParam?: string) {
    const params = new RequestParams();
    const after = params.wholeNumber(afterParam, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
    const limit = params.wholeNumber(limitParam, 'limit', { min: 1, ...BRANCH_PAGE });
    params.done();
    const page = await this.histories.listBranches(after, limit);
    return { branches: page.branches.map(branchView), next: page.next ?? null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One branch' })
  @ApiParam({ name: 'id' })
  @Answers({ answers: [{ status: 200, schema: 'Branch', description: 'The branch' }], problems: [404] })
  async get(@Param('id', new BranchIdPipe('branch')) id: string) {
    return branchView(await this.histories.branch(id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a branch: its reads and writes answer 404 from then on (its events stay in the store)',
  })
  @ApiParam({ name: 'id' })
  @Answers({ answers: [{ status: 204, description: 'Deleted' }], problems: [404] })
  async delete(@Param('id', new BranchIdPipe('id')) id: string): Promise<void> {
    await this.commands.execute(new DeleteBranchCommand(id));
  }

  @Post(':id/reports')
  @ApiOperation({
    summary: 'Record a report in a branch',
    description:
      "The same contract as POST /v1/reports, decided against the branch: canonical history at the fork plus the branch's own reports.",
  })
  @ApiParam({ name: 'id' })
  @ApiBody({
    schema: ref('Report'),
    examples: { signing: { value: exampleReport('TransferCompleted', 'what-if-balerdi-signs') } },
  })
  @Answers({
    answers: [
      {
        status: 201,
        schema: 'ReportRecorded',
        description: 'Recorded in the branch stream (use storePosition as minPosition)',
      },
      { status: 200, schema: 'ReportRecorded', description: 'Already recorded in the branch with the same content' },
    ],
    problems: [404, 409, 422],
  })
  async record(
    @Param('id', new BranchIdPipe('branch')) id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.histories.branch(id); // 404 before 400: the branch is the resource
    const parsed = parseReport(body);
    if ('problems' in parsed)
      throw invalidRequest(parsed.problems, `The report has ${parsed.problems.length} invalid field(s)`);
    const result = await this.commands.execute(new RecordReportCommand(parsed.report, id));
    void reply.status(result.status === 'recorded' ? 201 : 200);
    return { branch: id, ...resultView(result) };
  }
}

/** A branch as the API shows it. */
function branchView(branch: Branch) {
  return {
    id: branch.id,
    name: branch.name,
    forkAt: branch.forkAt,
    createdAt: branch.createdAt,
    createdPosition: branch.createdPosition,
    stream: branchLedgerStream(branch.id),
  };
}
