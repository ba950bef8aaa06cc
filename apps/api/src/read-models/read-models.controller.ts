import { Controller, Get, Param, Query } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  clubDetail,
  envelope,
  FORMATIONS,
  outgoingBody,
  playerDetail,
  playerTimeline,
  searchClubs,
  searchPlayers,
  squadDepthBody,
  targetsBody,
  today,
  withEnvelope,
  type DocumentTime,
  type ReadView,
} from '@squad/projections';
import type { Environment } from '../config/environment';
import { unknownEntity } from '../errors/application-error';
import { RequestParams } from '../http/request-params';
import { Histories } from '../histories/histories.service';
import { Answers } from '../openapi/answers';

interface SearchParams {
  search?: string;
  limit?: string;
}

/** How many matches a search answers with. */
const SEARCH_LIMIT = { min: 1, max: 100, fallback: 20 };

interface ReadQuery {
  asOf?: string;
  knownAt?: string;
  minPosition?: string;
  formation?: string;
  branch?: string;
}

const clockDocs = [
  ApiQuery({
    name: 'asOf',
    required: false,
    description: 'Valid time YYYY-MM-DD: the world on that day (default today)',
  }),
  ApiQuery({
    name: 'knownAt',
    required: false,
    description: 'Record time YYYY-MM-DD: only reports published on or before that day (default all)',
  }),
  ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait (up to 5 s, then 503) until the read models reflect this store position',
  }),
  ApiQuery({
    name: 'branch',
    required: false,
    description: 'Read a what-if branch (its id) instead of canonical history',
  }),
];
const ClockQueries = (): MethodDecorator => (target, key, descriptor) => {
  for (const decorate of clockDocs) decorate(target, key, descriptor);
};

@ApiTags('read models')
@Controller('v1')
export class ReadModelsController {
  constructor(
    private readonly histories: Histories,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  @Get('clubs')
  @ApiOperation({
    summary: 'Every club a report mentions (sorted slugs), or those matching a search by any of their names',
  })
  @ApiQuery({
    name: 'search',
    required: false,
    description:
      'Part of any name, alias or slug of the club ("juve", "atletico", "bor dortmund"): case, accents and punctuation do not matter; best matches first',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: 'With search: at most this many clubs (1 to 100, default 20)',
  })
  @ApiQuery({
    name: 'knownAt',
    required: false,
    description: 'With search: only names reported on or before this day (default all)',
  })
  @ApiQuery({ name: 'branch', required: false, description: 'The clubs of a what-if branch (its id)' })
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait (up to 5 s, then 503) until the read models reflect this store position',
  })
  @Answers({ answers: [{ status: 200, schema: 'ClubList', description: 'The clubs, sorted' }], problems: [404] })
  async clubs(@Query() query: ReadQuery & SearchParams) {
    const params = new RequestParams();
    params.branch(query.branch);
    const search = params.searchText(query.search, 'search');
    const limit = params.wholeNumber(query.limit, 'limit', SEARCH_LIMIT);
    const knownAt = params.date(query.knownAt, 'knownAt');
    if (search === undefined) {
      if (query.limit !== undefined) params.add('limit', 'limit goes with search');
      if (knownAt !== undefined) params.add('knownAt', 'knownAt goes with search');
    }
    const minPosition = params.position(query.minPosition, 'minPosition');
    params.done();
    await this.histories.reach(minPosition, (position) => ({ storePosition: position, minPosition }));
    // for pickers such as the dashboard's: the clubs whose documents can be asked for
    const { view } = await this.histories.resolve(query.branch);
    const head = { storePosition: view.position, ...(view.branch ? { branch: view.branch } : {}) };
    if (search === undefined) return { ...head, clubs: [...view.clubs()].sort() };
    const matches = searchClubs(view, { text: search, limit, knownAt });
    return { ...head, clubs: matches.map((match) => match.club), matches };
  }

  @Get('clubs/:club')
  @ApiOperation({ summary: 'A club on a day: its names, country, first team (for a youth side) and manager' })
  @ApiParam({ name: 'club', example: 'juventus' })
  @ClockQueries()
  @Answers({ answers: [{ status: 200, schema: 'Club', description: 'The club on the day' }], problems: [404] })
  async club(@Param('club') club: string, @Query() query: ReadQuery) {
    const { view, time } = await this.read(query, { club });
    return withEnvelope(envelope(view, time), clubDetail(view, club, time));
  }

  @Get('clubs/:club/squad-depth')
  @ApiOperation({
    summary:
      "A club's squad per position: players with status, counts, a verdict against the formation, incoming targets and outgoing candidates",
  })
  @ApiParam({ name: 'club', example: 'juventus' })
  @ClockQueries()
  @ApiQuery({ name: 'formation', required: false, enum: Object.keys(FORMATIONS) })
  @Answers({ answers: [{ status: 200, schema: 'SquadDepth', description: 'Squad depth on the day' }], problems: [404] })
  async squadDepth(@Param('club') club: string, @Query() query: ReadQuery) {
    const { view, time, formation } = await this.read(query, { club });
    return withEnvelope(
      envelope(view, time),
      squadDepthBody(view, club, time, formation, query.formation !== undefined),
    );
  }

  @Get('clubs/:club/targets')
  @ApiOperation({
    summary: "A club's targets: stage, priority, rivals, valuation, contract, supporting and contradicting reports",
  })
  @ApiParam({ name: 'club', example: 'juventus' })
  @ClockQueries()
  @Answers({ answers: [{ status: 200, schema: 'Targets', description: 'The targets on the day' }], problems: [404] })
  async targets(@Param('club') club: string, @Query() query: ReadQuery) {
    const { view, time } = await this.read(query, { club });
    return withEnvelope(envelope(view, time), targetsBody(view, club, time));
  }

  @Get('clubs/:club/outgoing')
  @ApiOperation({ summary: "A club's outgoing candidates: who, why, and depth at his position without him" })
  @ApiParam({ name: 'club', example: 'juventus' })
  @ClockQueries()
  @ApiQuery({ name: 'formation', required: false, enum: Object.keys(FORMATIONS) })
  @Answers({
    answers: [{ status: 200, schema: 'Outgoing', description: 'The outgoing candidates on the day' }],
    problems: [404],
  })
  async outgoing(@Param('club') club: string, @Query() query: ReadQuery) {
    const { view, time, formation } = await this.read(query, { club });
    return withEnvelope(envelope(view, time), outgoingBody(view, club, time, formation, query.formation !== undefined));
  }

  @Get('players')
  @ApiOperation({
    summary: 'The players matching a search by any of the names they were reported under, best first',
  })
  @ApiQuery({
    name: 'search',
    required: true,
    description: 'Part of his name or slug ("ronaldo", "joao cancelo"): case, accents and punctuation do not matter',
  })
  @ApiQuery({ name: 'limit', required: false, description: 'At most this many players (1 to 100, default 20)' })
  @ClockQueries()
  @Answers({
    answers: [{ status: 200, schema: 'PlayerSearch', description: 'The players found, best first' }],
    problems: [404],
  })
  async players(@Query() query: ReadQuery & SearchParams) {
    const params = new RequestParams();
    const search = params.searchText(query.search, 'search');
    if (search === undefined) params.add('search', 'search is required: part of a name, such as "ronaldo"');
    const limit = params.wholeNumber(query.limit, 'limit', SEARCH_LIMIT);
    const { view, time } = await this.read(query, {}, params);
    return {
      storePosition: view.position,
      ...(view.branch ? { branch: view.branch } : {}),
      asOf: time.asOf,
      knownAt: time.knownAt ?? null,
      players: searchPlayers(view, { text: search!, limit, ...time }),
    };
  }

  @Get('players/:player')
  @ApiOperation({
    summary: 'A player on a day: club, position, status, loan, injury, contract, valuation, who pursues him',
  })
  @ApiParam({ name: 'player', example: 'leonardo-balerdi' })
  @ClockQueries()
  @Answers({ answers: [{ status: 200, schema: 'Player', description: 'The player on the day' }], problems: [404] })
  async player(@Param('player') player: string, @Query() query: ReadQuery) {
    const { view, time } = await this.read(query, { player });
    const detail = playerDetail(view, player, time);
    if (!detail) throw unknownEntity('player', player);
    return withEnvelope(envelope(view, time), detail);
  }

  @Get('players/:player/timeline')
  @ApiOperation({
    summary: 'Every recorded fact about a player, with both clocks: effectiveOn (valid) and publishedOn (record)',
  })
  @ApiParam({ name: 'player', example: 'gleison-bremer' })
  @ClockQueries()
  @Answers({
    answers: [{ status: 200, schema: 'PlayerTimeline', description: 'His timeline as known then' }],
    problems: [404],
  })
  async timeline(@Param('player') player: string, @Query() query: ReadQuery) {
    const { view, time } = await this.read(query, { player });
    const timeline = playerTimeline(view, player, time);
    if (!timeline) throw unknownEntity('player', player);
    return withEnvelope(envelope(view, time), { player, timeline });
  }

  /** Validates the query, waits for `minPosition`, and resolves the history to read (404 for an unknown club in it). */
  private async read(
    query: ReadQuery,
    ids: { club?: string; player?: string },
    params = new RequestParams(),
  ): Promise<{ view: ReadView; time: DocumentTime; formation: string }> {
    for (const [field, id] of Object.entries(ids)) params.slug(id, field);
    const asOf = params.date(query.asOf, 'asOf');
    const knownAt = params.date(query.knownAt, 'knownAt');
    const formation = query.formation ?? this.config.get('DEFAULT_FORMATION', { infer: true });
    if (!Object.hasOwn(FORMATIONS, formation))
      params.add('formation', `formation must be one of ${Object.keys(FORMATIONS).join(', ')}`);
    const minPosition = params.position(query.minPosition, 'minPosition');
    params.branch(query.branch);
    params.done();

    await this.histories.reach(minPosition, (position) => ({ storePosition: position, minPosition }));
    // a branch: canonical history at its fork with the branch's own reports (every write to it so far)
    const { view } = await this.histories.resolve(query.branch);
    if (ids.club !== undefined && !view.hasClub(ids.club)) throw unknownEntity('club', ids.club);
    return { view, time: { asOf: asOf ?? today(), knownAt }, formation };
  }
}
