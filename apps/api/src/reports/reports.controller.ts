import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CLAIM_TYPES } from '@squad/domain';
import { CLAIM_DTOS, DateWindowDto, exampleReport, parseReport, ReportDto } from '@squad/reports';
import { invalidRequest } from '../errors/application-error';
import { resultView } from '../http/event-views';
import { MAX_LISTED_PROBLEMS, toProblem } from '../http/problem-details';
import { RecordReportCommand } from '../histories/record-report.command';
import { Answers } from '../openapi/answers';
import { ref } from '../openapi/response-schemas';

export const MAX_REPORTS_PER_BATCH = 1000;
/**
 * Bad fields a batch's answer lists in all (each rejected report lists at least its first, and
 * its `errorCount`): a thousand rejected reports of twenty listed fields each would answer with
 * MiBs, and sixteen such requests at once took the server past a GiB.
 */
export const MAX_LISTED_PROBLEMS_PER_BATCH = 200;

const examples = Object.fromEntries(
  CLAIM_TYPES.map((type) => [type, { summary: `A report with a ${type} claim`, value: exampleReport(type) }]),
);

@ApiTags('reports')
@ApiExtraModels(ReportDto, DateWindowDto, ...Object.values(CLAIM_DTOS))
@Controller('v1')
export class ReportsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('reports')
  @ApiOperation({
    summary: 'Record a transfer-news report',
    description:
      'Records every claim of the report as an event, or nothing. The same reportId with the same content answers 200 with the original events; with other content, 409.',
  })
  @ApiBody({ schema: ref('Report'), examples })
  @Answers({
    answers: [
      {
        status: 201,
        schema: 'ReportRecorded',
        description: 'Recorded: the events with their stream and store position',
      },
      {
        status: 200,
        schema: 'ReportRecorded',
        description: 'Already recorded with the same content: the original events',
      },
    ],
    problems: [409, 422],
  })
  async record(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const parsed = parseReport(body);
    if ('problems' in parsed)
      throw invalidRequest(parsed.problems, `The report has ${parsed.problems.length} invalid field(s)`);
    const result = await this.commands.execute(new RecordReportCommand(parsed.report));
    void reply.status(result.status === 'recorded' ? 201 : 200);
    return resultView(result);
  }

  @Post('reports::batch') // "::" is a literal ":" in a Fastify route
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record many reports',
    description: `Each report is recorded whole or not at all, independently of the others; the answer gives each one's outcome. At most ${MAX_REPORTS_PER_BATCH} reports.`,
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['reports'],
      additionalProperties: false,
      properties: { reports: { type: 'array', minItems: 1, maxItems: MAX_REPORTS_PER_BATCH, items: ref('Report') } },
    },
    examples: {
      two: {
        summary: 'Two reports',
        value: { reports: [exampleReport('InterestDeclared'), exampleReport('BidSubmitted')] },
      },
    },
  })
  @Answers({
    answers: [
      {
        status: 200,
        schema: 'BatchRecorded',
        description: "Each report's outcome: recorded, already recorded, or rejected with its problem",
      },
    ],
  })
  async recordBatch(@Body() body: unknown) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalidRequest([{ field: 'body', reason: 'a batch is a JSON object { "reports": [...] }' }]);
    }
    const { reports } = body as { reports?: unknown };
    if (!Array.isArray(reports))
      throw invalidRequest([{ field: 'reports', reason: 'reports must be an array of report objects' }]);
    const unknown = Object.keys(body).filter((key) => key !== 'reports');
    if (unknown.length > 0)
      throw invalidRequest(unknown.map((field) => ({ field, reason: `property ${field} should not exist` })));
    if (reports.length === 0 || reports.length > MAX_REPORTS_PER_BATCH) {
      throw invalidRequest([
        { field: 'reports', reason: `a batch holds 1 to ${MAX_REPORTS_PER_BATCH} reports, got ${reports.length}` },
      ]);
    }
    const summary = { recorded: 0, alreadyPresent: 0, rejected: 0 };
    const results = [];
    let listable = MAX_LISTED_PROBLEMS_PER_BATCH;
    for (const [index, item] of reports.entries()) {
      const parsed = parseReport(item, `reports[${index}].`, Math.max(1, Math.min(MAX_LISTED_PROBLEMS, listable)));
      if ('problems' in parsed) {
        summary.rejected++;
        listable -= parsed.problems.length;
        const problem = toProblem(invalidRequest(parsed.problems, undefined, parsed.problemCount));
        results.push({ index, status: 'rejected', problem });
        continue;
      }
      try {
        const result = await this.commands.execute(new RecordReportCommand(parsed.report));
        summary[result.status === 'recorded' ? 'recorded' : 'alreadyPresent']++;
        results.push({ index, ...resultView(result) });
      } catch (error) {
        const problem = toProblem(error);
        if (problem.status >= 500) throw error;
        summary.rejected++;
        results.push({ index, reportId: parsed.report.reportId, status: 'rejected', problem });
      }
    }
    return { summary, results };
  }
}
