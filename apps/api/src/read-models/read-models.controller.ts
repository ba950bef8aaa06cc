import { Controller, Get, Param, Query } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { isIsoDate, SLUG } from '@squad/domain';
import { FORMATIONS, playerDetail, playerTimeline, readView, today, type ReadSource } from '@squad/projections';
import { BRANCH_ID, Branches } from '../branches/branches.service';
import type { Environment } from '../config/environment';
import { invalidRequest, ProblemException, type FieldProblem } from '../http/problem-details';
import { envelope, outgoingDocument, squadDepthDocument, targetsDocument } from './documents';
import { ReadModels } from './read-models.service';

/** How long a read with `minPosition` waits for the projections before answering 503. */
const READ_YOUR_WRITES_TIMEOUT_MS = 5000;

interface ReadQuery {
  asOf?: string;
  knownAt?: string;
  minPosition?: string;
  formation?: string;
  branch?: string;
}

const clockDocs = [
  ApiQuery({ name: 'asOf', required: false, description: 'Valid time YYYY-MM-DD: the world on that day (default today)' }),
  ApiQuery({ name: 'knownAt', required: false, description: 'Record time YYYY-MM-DD: only reports published on or before that day (default all)' }),
  ApiQuery({ name: 'minPosition', required: false, description: 'Wait (up to 5 s, then 503) until the read models reflect this store position' }),
  ApiQuery({ name: 'branch', required: false, description: 'Read a what-if branch (its id) instead of canonical history' }),
];
const ClockQueries = (): MethodDecorator => (target, key, descriptor) => {
  for (const decorate of clockDocs) decorate(target, key, descriptor);
};

@ApiTags('read models')
@Controller('v1')
export class ReadModelsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly config: ConfigService<Environment, true>,
    private readonly branches: Branches,
  ) {}

  @Get('clubs')
  @ApiOperation({ summary: 'Every club a report mentions (sorted slugs), with the store position they reflect' })
  @ApiQuery({ name: 'branch', required: false, description: 'The clubs of a what-if branch (its id)' })
  async clubs(@Query('branch') branch?: string) {
    // for pickers such as the dashboard's: the clubs whose documents can be asked for
    const view = readView(branch === undefined ? this.readModels.projections.model : await this.branches.view(branch));
    return { position: view.position, ...(view.branch ? { branch: view.branch } : {}), clubs: [...view.clubs()].sort() };
  }

  @Get('clubs/:club/squad-depth')
  @ApiOperation({ summary: "A club's squad per position: players with status, counts, a verdict against the formation, incoming targets and outgoing candidates" })
  @ApiParam({ name: 'club', example: 'juventus' })
  @ClockQueries()
  @ApiQuery({ name: 'formation', required: false, enum: Object.keys(FORMATIONS) })
  async squadDepth(@Param('club') club: string, @Query() query: ReadQuery) {
    const { model, time, formation } = await this.prepare(query, { club });
    this.assertClub(model, club);
    return squadDepthDocument(model, club, time, formation);
  }

  @Get('clubs/:club/targets')
  @ApiOperation({ summary: "A club's targets: stage, priority, rivals, valuation, contract, supporting and contradicting reports" })
  @ApiParam({ name: 'club', example: 'juventus' })
  @ClockQueries()
  async targets(@Param('club') club: string, @Query() query: ReadQuery) {
    const { model, time } = await this.prepare(query, { club });
    this.assertClub(model, club);
    return targetsDocument(model, club, time);
  }

  @Get('clubs/:club/outgoing')
  @ApiOperation({ summary: "A club's outgoing candidates: who, why, and depth at his position without him" })
  @ApiParam({ name: 'club', example: 'juventus' })
  @ClockQueries()
  @ApiQuery({ name: 'formation', required: false, enum: Object.keys(FORMATIONS) })
  async outgoing(@Param('club') club: string, @Query() query: ReadQuery) {
    const { model, time, formation } = await this.prepare(query, { club });
    this.assertClub(model, club);
    return outgoingDocument(model, club, time, formation);
  }

  @Get('players/:player')
  @ApiOperation({ summary: 'A player on a day: club, position, status, loan, injury, contract, valuation, who pursues him' })
  @ApiParam({ name: 'player', example: 'leonardo-balerdi' })
  @ClockQueries()
  async player(@Param('player') player: string, @Query() query: ReadQuery) {
    const { model, time } = await this.prepare(query, { player });
    const detail = playerDetail(model, player, time);
    if (!detail) throw notFound('player', player);
    return { ...envelope(model, time), ...detail };
  }

  @Get('players/:player/timeline')
  @ApiOperation({ summary: 'Every recorded fact about a player, with both clocks: effectiveOn (valid) and publishedOn (record)' })
  @ApiParam({ name: 'player', example: 'gleison-bremer' })
  @ClockQueries()
  async timeline(@Param('player') player: string, @Query() query: ReadQuery) {
    const { model, time } = await this.prepare(query, { player });
    const timeline = playerTimeline(model, player, time);
    if (!timeline) throw notFound('player', player);
    return { ...envelope(model, time), player, timeline };
  }

  /** Validates the query, waits for `minPosition`, and returns the model to read. */
  private async prepare(query: ReadQuery, ids: { club?: string; player?: string }) {
    const problems: FieldProblem[] = [];
    for (const [field, id] of Object.entries(ids)) {
      if (!SLUG.test(id)) problems.push({ field, reason: `${field} must be a lower-case slug such as "juventus"` });
    }
    for (const field of ['asOf', 'knownAt'] as const) {
      const value = query[field];
      if (value !== undefined && !isIsoDate(value)) problems.push({ field, reason: `${field} must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}` });
    }
    const formation = query.formation ?? this.config.get('DEFAULT_FORMATION', { infer: true });
    if (!Object.hasOwn(FORMATIONS, formation)) problems.push({ field: 'formation', reason: `formation must be one of ${Object.keys(FORMATIONS).join(', ')}` });
    const minPosition = query.minPosition === undefined ? undefined : /^\d{1,15}$/.test(query.minPosition) ? Number(query.minPosition) : NaN;
    if (Number.isNaN(minPosition)) problems.push({ field: 'minPosition', reason: 'minPosition must be a whole number (a store position)' });
    if (query.branch !== undefined && !BRANCH_ID.test(query.branch)) problems.push({ field: 'branch', reason: 'branch must be a branch id (a lower-case slug such as "balerdi-signs-3f9a2c1d")' });
    if (problems.length) throw invalidRequest(problems);

    const projections = this.readModels.projections;
    if (minPosition !== undefined && !(await projections.whenCaughtUp(minPosition, READ_YOUR_WRITES_TIMEOUT_MS))) {
      throw new ProblemException({
        status: 503,
        code: 'READ_MODEL_BEHIND',
        detail: `The read models have reached position ${projections.position}, not yet ${minPosition}; retry shortly`,
        extensions: { position: projections.position, minPosition },
      });
    }
    // a branch: canonical history at its fork with the branch's own reports (every write to it so far)
    const model: ReadSource = query.branch === undefined ? projections.model : await this.branches.view(query.branch);
    return { model, time: { asOf: query.asOf ?? today(), knownAt: query.knownAt }, formation };
  }

  private assertClub(model: ReadSource, club: string): void {
    if (!readView(model).hasClub(club)) throw notFound('club', club);
  }
}

function notFound(kind: 'club' | 'player', id: string): ProblemException {
  return new ProblemException({ status: 404, code: `UNKNOWN_${kind.toUpperCase()}`, detail: `No report mentions the ${kind} "${id}"`, errors: [{ field: kind, reason: `unknown ${kind}` }] });
}
