import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { isIsoDate, type Slug } from '@squad/domain';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';
import {
  changesPage,
  clubDetail,
  contractExpiries,
  earliestSince,
  formatChangesCursor,
  MAX_CHANGES_WINDOW_YEARS,
  parseChangesCursor,
  type Pause,
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
    description:
      'Valid time YYYY-MM-DD: the world on that day (default: the knownAt day when knownAt is given, the picture as it was believed then; else today)',
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

interface ChangesParams {
  since?: string;
  until?: string;
  limit?: string;
  cursor?: string;
  minPosition?: string;
  branch?: string;
}

/** Entries a page of changes holds. */
const CHANGES_LIMIT = { min: 1, max: 1000, fallback: 100 };

const changesDocs = [
  ApiQuery({
    name: 'since',
    required: true,
    description: `Record time YYYY-MM-DD: the first publication day whose news is listed (at most ${MAX_CHANGES_WINDOW_YEARS} years before until)`,
  }),
  ApiQuery({ name: 'until', required: false, description: 'Record time YYYY-MM-DD: the last one (default today)' }),
  ApiQuery({ name: 'limit', required: false, description: 'At most this many entries (1 to 1,000, default 100)' }),
  ApiQuery({ name: 'cursor', required: false, description: 'The `next` of the previous page' }),
  clockDocs[2],
  clockDocs[3],
];
const ChangesQueries = (): MethodDecorator => (target, key, descriptor) => {
  for (const decorate of changesDocs) decorate(target, key, descriptor);
};

/** Hands the event loop back between units of a page's work once it has run this long. */
const CHANGES_SLICE_MS = 5;

function slicedPause(): Pause {
  let started = performance.now();
  return () => {
    if (performance.now() - started < CHANGES_SLICE_MS) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        started = performance.now();
        resolve();
      }),
    );
  };
}

@ApiTags('read models')
@Controller('v1')
export class ReadModelsController {
  constructor(
    private readonly histories: Histories,
    private readonly config: ConfigService<Environment, true>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
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

  @Get('clubs/:club/contracts')
  @ApiOperation({
    summary:
      "A club's contract expiries by season (the one containing asOf and the next two, 1 July to 30 June): who leaves, and who is left per position if nobody renews",
  })
  @ApiParam({ name: 'club', example: 'juventus' })
  @ClockQueries()
  @ApiQuery({ name: 'formation', required: false, enum: Object.keys(FORMATIONS) })
  @Answers({
    answers: [{ status: 200, schema: 'Contracts', description: 'The expiries by season, as of the day' }],
    problems: [404],
  })
  async contracts(@Param('club') club: string, @Query() query: ReadQuery) {
    const { view, time, formation } = await this.read(query, { club });
    const formationRequested = query.formation !== undefined;
    return withEnvelope(envelope(view, time), contractExpiries(view, club, { ...time, formation, formationRequested }));
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

  @Get('clubs/:club/changes')
  @ApiOperation({
    summary:
      "What the news published from since to until changed in a club's squad depth, targets and outgoing candidates, newest first",
  })
  @ApiParam({ name: 'club', example: 'juventus' })
  @ChangesQueries()
  @Answers({
    answers: [{ status: 200, schema: 'Changes', description: 'A page of the changes, newest first' }],
    problems: [404],
  })
  async clubChanges(@Param('club') club: string, @Query() query: ChangesParams) {
    return this.changes(query, club);
  }

  @Get('changes')
  @ApiOperation({
    summary: "What the news published from since to until changed in every club's documents, newest first",
  })
  @ChangesQueries()
  @Answers({
    answers: [{ status: 200, schema: 'Changes', description: 'A page of the changes, newest first' }],
    problems: [404],
  })
  async allChanges(@Query() query: ChangesParams) {
    return this.changes(query, undefined);
  }

  /** A page of changes: of one club, or (no club) of every club the news touched. */
  private async changes(query: ChangesParams, club: Slug | undefined) {
    const params = new RequestParams();
    if (club !== undefined) params.slug(club, 'club');
    if (query.since === undefined) params.add('since', 'since is required: the first publication day, YYYY-MM-DD');
    const since = params.date(query.since, 'since');
    const until = params.date(query.until, 'until') ?? today();
    const limit = params.wholeNumber(query.limit, 'limit', CHANGES_LIMIT);
    const cursor = query.cursor === undefined ? undefined : parseChangesCursor(query.cursor);
    if (query.cursor !== undefined && cursor === undefined)
      params.add(
        'cursor',
        `cursor must be the next of a previous page, got ${JSON.stringify(query.cursor.slice(0, 40))}`,
      );
    if (since !== undefined && isIsoDate(since) && isIsoDate(until)) {
      if (since > until) params.add('since', `since (${since}) must be on or before until (${until})`);
      else if (since < earliestSince(until))
        params.add(
          'since',
          `since must be at most ${MAX_CHANGES_WINDOW_YEARS} years before until: ${earliestSince(until)} or later`,
        );
      else if (cursor !== undefined && (cursor.day < since || cursor.day > until))
        params.add('cursor', `cursor (${cursor.day}) must lie from since (${since}) to until (${until})`);
    }
    const minPosition = params.position(query.minPosition, 'minPosition');
    params.branch(query.branch);
    params.done();

    await this.histories.reach(minPosition, (position) => ({ storePosition: position, minPosition }));
    const { view } = await this.histories.resolve(query.branch);
    if (club !== undefined && !view.hasClub(club)) throw unknownEntity('club', club);
    // what the page reflects at least: the read models may move on while it is computed
    const storePosition = view.position;
    const page = await changesPage(
      view,
      this.store,
      {
        since: since!,
        until,
        club,
        limit,
        cursor,
        formation: this.config.get('DEFAULT_FORMATION', { infer: true }),
      },
      slicedPause(),
    );
    return {
      storePosition,
      ...(view.branch ? { branch: view.branch } : {}),
      ...(club !== undefined ? { club } : {}),
      since,
      until,
      entries: page.entries,
      next: page.next ? formatChangesCursor(page.next) : null,
    };
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
    // knownAt alone asks for the picture as it was believed that day: valid time on the same day,
    // so the answer never depends on the day it is asked
    return { view, time: { asOf: asOf ?? knownAt ?? today(), knownAt }, formation };
  }
}
