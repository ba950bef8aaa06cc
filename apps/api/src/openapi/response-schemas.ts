import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import {
  CLAIM_TYPES,
  MAX_SLUG_LENGTH,
  POSITIONS,
  PRIORITIES,
  RELEASE_REASONS,
  MANAGER_DEPARTURE_REASONS,
  PREFERRED_FEET,
  SLUG,
  SOURCE_KINDS,
} from '@squad/domain';
import { CHANGE_KINDS, FORMATIONS, MATCH_RANKS, POSITION_GROUPS, STAGES, STALE_AFTER_DAYS } from '@squad/projections';

/**
 * The JSON Schemas of everything the API answers, as OpenAPI components. They are written here,
 * once, rather than inferred: the read models' types are inferred from their code, and a client
 * needs a contract that says what is optional and what is not. They cannot drift from what the
 * server sends: every response the HTTP tests receive is validated against them (see
 * `apps/api/test/contract/`), with `additionalProperties: false`, so a new field fails there
 * until it is declared.
 */

export type Schema = SchemaObject | ReferenceObject;

/** A reference to a component (a missing one fails the document's lint and the conformance tests). */
export const ref = (name: string): ReferenceObject => ({
  $ref: `#/components/schemas/${name}`,
});

/** A closed object: `required` fields, then optional ones; nothing else. */
function object(
  required: Record<string, Schema>,
  optional: Record<string, Schema> = {},
  description?: string,
): SchemaObject {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    required: Object.keys(required),
    properties: { ...required, ...optional },
    additionalProperties: false,
  };
}

const list = (items: Schema, description?: string): SchemaObject => ({
  type: 'array',
  items,
  ...(description ? { description } : {}),
});
const count = (description?: string): SchemaObject => ({
  type: 'integer',
  minimum: 0,
  ...(description ? { description } : {}),
});
const text = (description?: string): SchemaObject => ({ type: 'string', ...(description ? { description } : {}) });
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });

const slug: SchemaObject = { type: 'string', pattern: SLUG.source, maxLength: MAX_SLUG_LENGTH, example: 'juventus' };
const day: SchemaObject = { type: 'string', format: 'date', example: '2025-06-17' };
const instant: SchemaObject = { type: 'string', format: 'date-time', example: '2025-06-17T09:30:00.000Z' };
const storePosition = (
  description = 'A store position: where an event sits in the global order of the store',
): SchemaObject => ({
  type: 'integer',
  minimum: 0,
  description,
});

/** The clocks and the store position every read-model document starts with. */
const envelope: Record<string, Schema> = {
  asOf: { ...day, description: 'Valid time: the world on this day' },
  knownAt: nullable({ ...day, description: 'Record time: only reports published by this day (null: all)' }),
  storePosition: storePosition('The store position the document reflects (use it as minPosition)'),
};
const envelopeBranch = { branch: text('The what-if branch read (absent: canonical history)') };

const counts: Record<string, Schema> = {
  registered: count('Registered at the club'),
  squad: count('In the squad: registered, not away on loan, plus players on loan here'),
  available: count('In the squad and fit'),
  injured: count(),
  awayOnLoan: count(),
};

/** Who a player of the contracts view is (`ContractDeparture`, `ContractRemainingPlayer`). */
const squadMember: Record<string, Schema> = {
  name: text(),
  position: ref('FootballPosition'),
  registeredAt: { ...slug, description: 'For a player on loan here: the club he is registered at' },
};
/** The counts of who is left at a position (or a line) after a season. */
const remainingCounts: Record<string, Schema> = {
  need: count('Players the formation wants here'),
  leaving: count('Leaving in the season'),
  registered: count('Left, away on loan included'),
  squad: count('Left, not away on loan (players on loan here included)'),
  awayOnLoan: count(),
  verdict: ref('Verdict'),
};

const citation: Record<string, Schema> = {
  reportId: text('The report it was read in'),
  source: ref('Source'),
  publishedOn: { ...day, description: 'Record time: when the report was published' },
};
const reference: Record<string, Schema> = { ...citation, publishedOnApprox: { type: 'boolean' } };

/** How old the news of a fact is (`libs/projections/src/staleness/`): `lastNewsOn` and `stale`, then the optional flag. */
const news = (fact: string, staleWhen: string): [Record<string, Schema>, Record<string, Schema>] => [
  {
    lastNewsOn: {
      ...day,
      description: `Record time: the publication day of the latest report about ${fact} among those known at knownAt`,
    },
    stale: {
      type: 'boolean',
      description: `True when ${staleWhen} on asOf: an old report, not news (it still counts as before)`,
    },
  },
  {
    lastNewsOnApprox: {
      type: 'boolean',
      enum: [true],
      description: 'lastNewsOn is approximate (an undated report, a data provider record dated by its window)',
    },
  },
];
const [injuryNews, injuryNewsApprox] = news(
  'the injury',
  `no news of it for more than ${STALE_AFTER_DAYS.injury} days, with no return expected (none given, or past)`,
);
const [loanNews, loanNewsApprox] = news(
  'the loan',
  `no news of it for more than ${STALE_AFTER_DAYS.loan} days, with no until or past it`,
);
const [pursuitNews, pursuitNewsApprox] = news(
  'the pursuit',
  `the pursuit is open and had no news for more than ${STALE_AFTER_DAYS.pursuit} days (a renewal expected later aside)`,
);

/** The marks of a day taken from a claim's valid time when the claim dated it approximately (see `approximateDay`). */
const approximate = (field: string): Record<string, Schema> => ({
  [`${field}Approx`]: {
    type: 'boolean',
    enum: [true],
    description: `${field} is approximate (inferred, or within a window)`,
  },
  [`${field}Between`]: ref('DateWindow'),
});

const age: Record<string, Schema> = {
  age: count('Whole years on asOf'),
  ageApprox: { type: 'boolean', enum: [true], description: 'From a birth year alone: within a year' },
};

const clubNames: Record<string, Schema> = {
  aliases: list(text(), 'Every other name it was reported under (a former name stays one)'),
};
const clubProfile: Record<string, Schema> = {
  name: text('Its usual name, as last reported'),
  country: text(),
  parentClub: { ...slug, description: 'For a youth or reserve side: its first team' },
};
const nameMatch: Record<string, Schema> = {
  matched: text('The name (or the slug) the search matched'),
  match: {
    type: 'string',
    enum: [...MATCH_RANKS],
    description: '`exact`: the whole name; `words`: each word of the search starts a word of it; `contains`',
  },
};

const replayState: Record<string, Schema> = {
  id: text(),
  from: day,
  to: day,
  branch: nullable(text()),
  formation: { type: 'string', enum: Object.keys(FORMATIONS) },
  storePosition: storePosition('The store position canonical history is read at (fixed at creation)'),
  clubs: nullable(list(slug, 'The clubs followed (null: those each day touches)')),
  days: count('Days in the window'),
  speed: ref('ReplaySpeed'),
  state: { type: 'string', enum: ['playing', 'paused', 'ended'] },
  next: nullable({ ...day, description: 'The next day to be told' }),
  lastDay: nullable({ ...day, description: 'The last day told' }),
  streaming: { type: 'boolean' },
  daysSent: count(),
  eventsSent: count(),
  bytesSent: count(),
  bufferedBytes: count('Bytes waiting in the socket buffer now'),
  maxBufferedBytes: count('The most bytes ever waiting on this stream'),
  waitingForClient: { type: 'boolean' },
};

/** A change entry of one document and kind of subject (`ChangeEntry`). */
const changeEntry = (document: string, subjectKind: 'player' | 'position', entry: Schema): SchemaObject =>
  object(
    {
      publishedOn: { ...day, description: 'Record time: the publication day of the news that made the change' },
      club: slug,
      document: { type: 'string', enum: [document] },
      change: {
        type: 'string',
        enum: subjectKind === 'position' ? ['changed'] : [...CHANGE_KINDS],
        description: 'added, removed, changed; disputed: a target gained a report contradicting one of its claims',
      },
      subjectKind: { type: 'string', enum: [subjectKind] },
      subject: subjectKind === 'player' ? { ...slug, example: 'leonardo-balerdi' } : ref('FootballPosition'),
      reports: list(
        text(),
        "The day's reports that made it (about the player; else every report of the day touching the club)",
      ),
    },
    { before: entry, after: entry },
  );

const healthIndicators: SchemaObject = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
};

const SCHEMAS = {
  Source: object(
    { name: { type: 'string', example: 'Tuttojuve' } },
    {
      url: { type: 'string', format: 'uri', example: 'https://www.tuttojuve.com/' },
      kind: {
        type: 'string',
        enum: [...SOURCE_KINDS],
        description: 'data (a data provider) is written by the import only: POST /v1/reports refuses it with 400',
      },
    },
    'Who published a report: the same shape everywhere in the API',
  ),
  FootballPosition: {
    type: 'string',
    enum: [...POSITIONS],
    description: 'A playing position (a store position is always `storePosition`)',
  },
  Stage: { type: 'string', enum: [...STAGES], description: "How far a club's pursuit of a player went" },
  Verdict: { type: 'string', enum: ['short', 'balanced', 'saturated'] },
  PlayerStatus: {
    type: 'string',
    enum: ['available', 'injured', 'away-on-loan', 'on-loan-here', 'without-club'],
    description: 'without-club: released or retired (the player document only: a squad never lists him)',
  },
  ReplaySpeed: {
    oneOf: [
      { type: 'number', exclusiveMinimum: true, minimum: 0, description: 'Simulated days per real second' },
      { type: 'string', enum: ['max', 'step'] },
    ],
  },
  FieldError: object({
    field: { type: 'string', example: 'claims[0].position' },
    reason: { type: 'string', example: 'position must be one of the following values: GK, RB, CB, …' },
  }),
  Problem: {
    type: 'object',
    description:
      'RFC 9457 problem details with a stable `code`; a 400 names every bad field in `errors` (the first 20, with `errorCount` past them; in a batch, 200 in all, each rejected report listing at least its first). Some problems carry extra members (e.g. `versionConflict`, `storePosition`, `acceptedContentTypes`).',
    required: ['type', 'title', 'status', 'code', 'detail'],
    properties: {
      type: { type: 'string', example: 'about:blank' },
      title: { type: 'string', example: 'Bad Request' },
      status: { type: 'integer', minimum: 400, maximum: 599, example: 400 },
      code: { type: 'string', example: 'INVALID_REQUEST' },
      detail: { type: 'string', example: 'The request has invalid fields' },
      errors: list(ref('FieldError')),
      errorCount: count('How many bad fields there were, when more than `errors` lists'),
      acceptedContentTypes: list({ type: 'string' }, 'On a 415: the content types the API takes'),
    },
    additionalProperties: true,
  },
  Injury: object(
    { since: day },
    { ...approximate('since'), injury: text(), expectedReturnOn: day, ...injuryNews, ...injuryNewsApprox },
  ),
  Loan: object(
    { toClub: slug, since: day },
    {
      ...approximate('since'),
      until: day,
      optionToBuyEur: count('The fee of an option (or obligation) to buy him'),
      obligationToBuy: { type: 'boolean', description: 'The borrower must buy him at the end of the loan' },
      ...loanNews,
      ...loanNewsApprox,
    },
  ),
  Contract: object(
    { club: slug, expiresOn: day },
    {
      extendedOn: { ...day, description: 'The day of the extension that set expiresOn' },
      ...approximate('extendedOn'),
    },
  ),
  Suitor: object(
    { club: slug, stage: ref('Stage'), ...pursuitNews },
    { lastBid: ref('LastBid'), ...pursuitNewsApprox },
    'Another club pursuing him on the day (an open pursuit)',
  ),
  NotForSaleStance: object(
    { club: slug, since: day, ...citation },
    { reason: text(), ...approximate('since') },
    'The club that holds him says he is not for sale',
  ),
  Valuation: object({ valueEur: count(), on: day, ...citation }, approximate('on')),
  LostTo: object(
    { club: slug, on: day, ...citation },
    {},
    'The move that lost the pursuit (stage lost): he joined this club while it was open',
  ),
  LastBid: object({ amountEur: count(), on: day, rejected: { type: 'boolean' } }, approximate('on')),
  ClaimReference: object(
    {
      reportId: text(),
      claimIndex: count(),
      type: { type: 'string', enum: [...CLAIM_TYPES] },
      source: ref('Source'),
      publishedOn: day,
    },
    {},
    'A pointer to one claim of one report',
  ),
  DepthCounts: object(counts),
  SquadPlayer: object(
    { player: slug, status: ref('PlayerStatus') },
    {
      name: text(),
      position: ref('FootballPosition'),
      injury: ref('Injury'),
      loan: ref('Loan'),
      registeredAt: { ...slug, description: 'For a player on loan here: the club he is registered at' },
      nationality: text(),
      ...age,
      contractExpiresOn: { ...day, description: 'When his contract with the club he is registered at ends' },
      captain: { type: 'boolean', enum: [true], description: 'He captains this club' },
      wantedBy: list(ref('Suitor'), 'Other clubs pursuing him on the day'),
    },
  ),
  PositionGroupDepth: object({
    group: { type: 'string', enum: Object.keys(POSITION_GROUPS) },
    positions: list(ref('FootballPosition')),
    need: count(),
    ...counts,
    verdict: ref('Verdict'),
  }),
  PositionDepth: object({
    position: ref('FootballPosition'),
    need: count('Players the formation wants here'),
    ...counts,
    verdict: ref('Verdict'),
    players: list(ref('SquadPlayer')),
    cover: list(
      object({ player: slug, status: ref('PlayerStatus') }, { name: text() }),
      'Players who can also play here',
    ),
    incomingTargets: list(
      object(
        { player: slug, stage: ref('Stage'), ...pursuitNews },
        { name: text(), priority: { type: 'string', enum: [...PRIORITIES] }, ...pursuitNewsApprox },
      ),
    ),
    outgoingCandidates: list(object({ player: slug, reason: text() }, { name: text() })),
  }),
  SquadDepth: object(
    {
      ...envelope,
      club: slug,
      formation: { type: 'string', enum: Object.keys(FORMATIONS) },
      formationFrom: {
        type: 'string',
        enum: ['request', 'manager', 'default'],
        description: "The formation's origin: the `formation` asked for, the manager's preferred one, or the default",
      },
      totals: ref('DepthCounts'),
      groups: list(ref('PositionGroupDepth')),
      positions: list(ref('PositionDepth')),
      unpositioned: list(ref('SquadPlayer'), 'Players with no known position'),
    },
    envelopeBranch,
  ),
  TargetClaim: {
    type: 'object',
    description:
      "One claim of a supporting report, with the claim's own fields (those of its type, without club and player)",
    required: ['type', 'claimIndex', 'effectiveOn'],
    properties: {
      type: { type: 'string', enum: [...CLAIM_TYPES] },
      claimIndex: count(),
      effectiveOn: day,
      contradictedBy: list(object({ ...reference, claimIndex: count() })),
    },
    additionalProperties: true,
  },
  Target: object(
    {
      player: slug,
      stage: ref('Stage'),
      open: { type: 'boolean' },
      ...pursuitNews,
      rivals: list(
        object({ club: slug, stage: ref('Stage'), ...pursuitNews }, pursuitNewsApprox),
        'Other clubs pursuing him this season',
      ),
      supporting: list(object({ ...reference, claims: list(ref('TargetClaim')) }), 'The reports of this pursuit'),
      contradicting: list(
        object({
          ...reference,
          claimIndex: count(),
          effectiveOn: day,
          disputes: { type: 'string', enum: [...CLAIM_TYPES] },
          statement: text(),
          contradicts: list(ref('ClaimReference')),
        }),
        'Reports disputing it',
      ),
    },
    {
      name: text(),
      position: ref('FootballPosition'),
      currentClub: slug,
      priority: { type: 'string', enum: [...PRIORITIES] },
      since: day,
      ...approximate('since'),
      ...pursuitNewsApprox,
      renewalExpectedFrom: day,
      renewalCondition: object(
        {},
        {
          condition: text(),
          dependsOnManager: text("The club's manager whose staying the renewal depends on"),
          doubtful: { type: 'boolean', enum: [true], description: 'That manager has left the club' },
        },
        'What the expected renewal depends on',
      ),
      notForSale: ref('NotForSaleStance'),
      lastBid: ref('LastBid'),
      lostTo: ref('LostTo'),
      valuation: ref('Valuation'),
      contractExpiry: ref('Contract'),
    },
  ),
  Targets: object(
    { ...envelope, club: slug, open: count('How many targets are open'), targets: list(ref('Target')) },
    envelopeBranch,
  ),
  OutgoingCandidate: object(
    {
      player: slug,
      status: ref('PlayerStatus'),
      reason: text(),
      flaggedOn: day,
      ...citation,
      wantedBy: list(ref('Suitor'), 'The clubs pursuing him on the day: who would take him'),
    },
    {
      ...approximate('flaggedOn'),
      name: text(),
      position: ref('FootballPosition'),
      injury: ref('Injury'),
      loan: ref('Loan'),
      returnedFromLoan: object({ fromClub: slug, on: day }, approximate('on')),
      depthAtPosition: object({
        need: count(),
        now: object({ ...counts, verdict: ref('Verdict') }),
        withoutHim: object({ ...counts, verdict: ref('Verdict') }),
      }),
    },
  ),
  Outgoing: object({ ...envelope, club: slug, outgoing: list(ref('OutgoingCandidate')) }, envelopeBranch),
  ContractDeparture: object(
    {
      player: slug,
      status: ref('PlayerStatus'),
      leavesOn: {
        ...day,
        description: 'His last day at the club if nobody renews: his contract ends, or his loan here',
      },
      reason: {
        type: 'string',
        enum: ['contract-expires', 'loan-ends'],
        description: 'loan-ends: a loanee goes back to the club he is registered at',
      },
    },
    {
      ...squadMember,
      contractExpiresOn: { ...day, description: 'When his contract with the club he is registered at ends' },
      loan: ref('Loan'),
    },
    'A player whose contract (or loan here) ends in the season',
  ),
  ContractRemainingPlayer: object(
    { player: slug },
    {
      ...squadMember,
      leavesOn: { ...day, description: 'When he leaves, in a later season' },
      expiryUnknown: { type: 'boolean', enum: [true], description: 'No known expiry: counted as staying' },
      awayOnLoan: { type: 'boolean', enum: [true], description: 'Still away on loan after the season' },
    },
  ),
  ContractSeason: object({
    season: { type: 'string', example: '2025/26' },
    startsOn: { ...day, description: '1 July' },
    endsOn: { ...day, description: '30 June of the next year' },
    leaving: list(ref('ContractDeparture'), 'Whose contract (or loan here) ends in the season, soonest first'),
    remaining: object(
      {
        groups: list(
          object({
            group: { type: 'string', enum: Object.keys(POSITION_GROUPS) },
            positions: list(ref('FootballPosition')),
            ...remainingCounts,
          }),
        ),
        positions: list(
          object({
            position: ref('FootballPosition'),
            ...remainingCounts,
            players: list(ref('ContractRemainingPlayer')),
          }),
        ),
        unpositioned: list(ref('ContractRemainingPlayer'), 'Players with no known position'),
      },
      {},
      'Who is left after the season if nobody renews and nobody is signed (injuries are not projected)',
    ),
  }),
  Contracts: object(
    {
      ...envelope,
      club: slug,
      formation: { type: 'string', enum: Object.keys(FORMATIONS) },
      formationFrom: { type: 'string', enum: ['request', 'manager', 'default'] },
      seasons: list(ref('ContractSeason'), 'The season containing asOf and the next two'),
      expiryUnknown: list(
        object({ player: slug, status: ref('PlayerStatus') }, { ...squadMember, loan: ref('Loan') }),
        'Players with no known expiry: never counted as leaving',
      ),
      expired: list(
        object(
          {
            player: slug,
            status: ref('PlayerStatus'),
            leavesOn: day,
            reason: { type: 'string', enum: ['contract-expires', 'loan-ends'] },
          },
          { ...squadMember, loan: ref('Loan') },
        ),
        'Still in the squad though their recorded contract ended before the first season: counted in no season',
      ),
    },
    envelopeBranch,
  ),
  Changes: object(
    {
      storePosition: storePosition(
        'The store position the page reflects at least (the read models may move on meanwhile)',
      ),
      since: { ...day, description: 'Record time: the first publication day listed' },
      until: { ...day, description: 'Record time: the last publication day listed' },
      entries: list(
        ref('ChangeEntry'),
        'Newest publication day first; within a day by club, document (squad-depth, targets, outgoing), then subject',
      ),
      next: nullable(
        text('The `cursor` of the next page (a page may be short while more follow); null: this page is the last'),
      ),
    },
    { ...envelopeBranch, club: { ...slug, description: 'The club asked for (absent: every club)' } },
  ),
  ChangeEntry: {
    description:
      "One change the news of a day made in one of a club's documents, as of that day: the subject's entry as known the day before (`before`) and as known that day (`after`)",
    oneOf: [
      changeEntry('squad-depth', 'player', ref('SquadPlayer')),
      changeEntry('squad-depth', 'position', ref('PositionChangeDepth')),
      changeEntry('targets', 'player', ref('Target')),
      changeEntry('outgoing', 'player', ref('OutgoingCandidate')),
    ],
  },
  PositionChangeDepth: object(
    { position: ref('FootballPosition'), need: count(), ...counts, verdict: ref('Verdict') },
    {},
    "A position's depth in squad depth (its players are entries of their own)",
  ),
  Player: object(
    {
      ...envelope,
      player: slug,
      status: ref('PlayerStatus'),
      outgoingFrom: list(
        object({ club: slug, reason: text(), since: day, ...citation }, approximate('since')),
        'Clubs that may let him go',
      ),
      pursuedBy: list(
        object(
          { club: slug, stage: ref('Stage'), ...pursuitNews },
          {
            since: day,
            ...approximate('since'),
            ...pursuitNewsApprox,
            priority: { type: 'string', enum: [...PRIORITIES] },
            renewalExpectedFrom: day,
            lastBid: ref('LastBid'),
            lostTo: ref('LostTo'),
          },
        ),
      ),
    },
    {
      ...envelopeBranch,
      name: text(),
      club: { ...slug, description: 'The club he is registered at' },
      position: ref('FootballPosition'),
      secondaryPositions: list(ref('FootballPosition')),
      loan: ref('Loan'),
      returnedFromLoan: object({ fromClub: slug, on: day }, approximate('on')),
      injury: ref('Injury'),
      contract: ref('Contract'),
      valuation: ref('Valuation'),
      nationality: text(),
      birthYear: { type: 'integer', description: 'Approximate when only his age on a day was reported' },
      birthDate: day,
      ...age,
      internationalCaps: count(),
      preferredFoot: { type: 'string', enum: [...PREFERRED_FEET] },
      captaincy: object({ club: slug, since: day }, approximate('since'), 'The club he captains, since when'),
      notForSale: ref('NotForSaleStance'),
      leftFootball: object(
        { reason: { type: 'string', enum: [...RELEASE_REASONS, 'retired'] }, on: day },
        { fromClub: slug, ...approximate('on') },
        'Why he is at no club, since when',
      ),
    },
  ),
  TimelineEntry: object(
    {
      type: { type: 'string', enum: [...CLAIM_TYPES] },
      effectiveOn: { ...day, description: 'Valid time' },
      ...reference,
      claimIndex: count(),
      storePosition: storePosition(),
      details: { type: 'object', additionalProperties: true, description: "The claim's own fields" },
    },
    {
      effectiveOnApprox: {
        type: 'boolean',
        enum: [true],
        description:
          "Present when effectiveOn is inferred (a transfer window's conventional day, a day in effectiveBetween), not stated",
      },
      effectiveBetween: object(
        { from: day, to: day },
        {},
        'Present when the source gave a window, not a day: the fact took effect between from and to (effectiveOn is in it)',
      ),
      evidence: list(text(), "Where in the report's source its facts are read (a file and line for imported history)"),
      contradicts: list(ref('ClaimReference')),
    },
  ),
  PlayerTimeline: object({ ...envelope, player: slug, timeline: list(ref('TimelineEntry')) }, envelopeBranch),
  ClubList: object(
    {
      storePosition: storePosition('The store position the list reflects'),
      clubs: list(slug, 'Sorted; with `search`, the matching clubs, best first'),
    },
    {
      ...envelopeBranch,
      matches: list(ref('ClubMatch'), 'With `search`: each matching club with its names, best first'),
    },
  ),
  ClubMatch: object({ club: slug, ...clubNames, ...nameMatch }, clubProfile, 'A club found by one of its names'),
  Club: object(
    {
      ...envelope,
      club: slug,
      ...clubNames,
      squad: object(
        {
          size: count('In the squad on the day (registered, not away on loan, plus players on loan here)'),
          agesKnown: count('Of them, those whose age is known'),
          valueEur: count('Their latest valuations summed'),
          valuesKnown: count('Of them, those with a valuation'),
        },
        { averageAge: { type: 'number', description: 'Of those whose age is known' } },
      ),
    },
    {
      ...envelopeBranch,
      ...clubProfile,
      manager: object(
        { name: text(), since: day, ...citation },
        {
          formation: text('The formation he prefers (squad depth measures against it when it is one of ours)'),
          ...approximate('since'),
        },
        'The manager on the day, from the last appointment',
      ),
      formerManager: object(
        { name: text(), until: day, ...citation },
        { reason: { type: 'string', enum: [...MANAGER_DEPARTURE_REASONS] }, ...approximate('until') },
        'The last manager who left, while no successor is reported',
      ),
    },
  ),
  PlayerSearch: object(
    {
      storePosition: storePosition('The store position the answer reflects'),
      asOf: { ...day, description: 'Valid time of each player shown (his club, his position)' },
      knownAt: nullable({ ...day, description: 'Record time: only names reported by this day (null: all)' }),
      players: list(ref('PlayerMatch'), 'Best first'),
    },
    envelopeBranch,
  ),
  PlayerMatch: object(
    { player: slug, ...nameMatch },
    {
      name: text('His name on the day (or the latest reported)'),
      otherNames: list(text(), 'Other names he was reported under'),
      position: ref('FootballPosition'),
      nationality: text(),
      birthYear: { type: 'integer', description: 'Approximate when only his age on a day was reported' },
      club: { ...slug, description: 'The club he is registered at on the day' },
    },
    'A player found by one of his names',
  ),
  StoredEvent: object({
    id: { type: 'string', format: 'uuid' },
    type: { type: 'string', example: 'InterestDeclared' },
    stream: { type: 'string', example: 'ledger-main' },
    revision: count('Its place in its stream'),
    storePosition: storePosition(),
    recordedAt: instant,
    data: { type: 'object', additionalProperties: true },
    metadata: { type: 'object', additionalProperties: true },
  }),
  EventPage: object(
    {
      events: list(ref('StoredEvent')),
      nextAfter: storePosition('Where the next page starts (equal to `after` when nothing is new)'),
      headPosition: storePosition("The store's head"),
    },
    envelopeBranch,
  ),
  ReportRecorded: object(
    {
      reportId: text(),
      status: { type: 'string', enum: ['recorded', 'already-recorded'] },
      storePosition: nullable(storePosition("The last event's store position: read it back with minPosition")),
      events: list(ref('StoredEvent')),
    },
    envelopeBranch,
  ),
  BatchRecorded: object({
    summary: object({ recorded: count(), alreadyPresent: count(), rejected: count() }),
    results: list({
      oneOf: [
        object({
          index: count(),
          reportId: text(),
          status: { type: 'string', enum: ['recorded', 'already-recorded'] },
          storePosition: nullable(storePosition()),
          events: list(ref('StoredEvent')),
        }),
        object(
          { index: count(), status: { type: 'string', enum: ['rejected'] }, problem: ref('Problem') },
          { reportId: text() },
        ),
      ],
    }),
  }),
  Branch: object({
    id: { type: 'string', example: 'juventus-sign-balerdi-3f9a2c1d5e8b0a47' },
    name: text(),
    forkAt: {
      oneOf: [object({ storePosition: storePosition() }), object({ knownAt: day })],
    },
    createdAt: instant,
    createdPosition: storePosition('The store position of its creation: later canonical reports are not in it'),
    stream: { type: 'string', example: 'ledger-branch-juventus-sign-balerdi-3f9a2c1d5e8b0a47' },
  }),
  BranchList: object({
    branches: list(ref('Branch'), 'Oldest first, at most `limit`'),
    next: nullable(
      storePosition(
        "The `after` of the next page (the creation position of this page's last branch); null: this page is the last",
      ),
    ),
  }),
  Replay: object(replayState),
  ReplayCreated: object({
    ...replayState,
    reports: count('Reports in the window'),
    stream: text('Where to stream it'),
  }),
  ReplayStepped: object({ ...replayState, told: nullable({ ...day, description: 'The day told (null: the end)' }) }),
  Health: object({
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
    info: healthIndicators,
    error: healthIndicators,
    details: healthIndicators,
  }),
  LiveStatus: object({
    storePosition: storePosition('What this instance has applied'),
    coveredFrom: nullable(storePosition('The oldest position a client can resume after without a reset')),
    journalEntries: count(),
    subscribers: object({ club: count(), all: count() }),
    branches: object({ feeds: count(), club: count(), all: count() }),
    streamSlots: count(),
    slowClientsDisconnected: count(),
  }),
  // The data of the Server-Sent Events messages. OpenAPI 3.0 cannot tie them to a stream's
  // response, so the streams' descriptions name them (and the linter sees them as unused).
  DocumentChange: {
    oneOf: [
      object({ model: { type: 'string', enum: ['squad-depth'] }, club: slug, document: ref('SquadDepth') }),
      object({ model: { type: 'string', enum: ['targets'] }, club: slug, document: ref('Targets') }),
      object({ model: { type: 'string', enum: ['outgoing'] }, club: slug, document: ref('Outgoing') }),
    ],
  },
  LiveReadyMessage: object({ storePosition: storePosition() }, {}, "The data of `ready` (every club's stream)"),
  LiveUpdateMessage: object(
    { storePosition: storePosition(), changes: list(ref('DocumentChange')) },
    {},
    "The data of `update`, and of `snapshot` (a club's stream opens with its three documents)",
  ),
  LiveResetMessage: {
    description:
      "The data of `reset`, sent when a client resumes from further back than the service still holds: a club's stream sends its documents whole, every club's stream its position",
    oneOf: [ref('LiveUpdateMessage'), ref('LiveReadyMessage')],
  },
  BranchDeletedMessage: object({ storePosition: storePosition(), branch: text() }, {}, 'The data of `deleted`'),
  ReplayReport: object({ ...reference, claims: list(ref('Claim')) }),
  ReplayDayMessage: object(
    { day, reports: list(ref('ReplayReport'), 'The reports published that day'), changes: list(ref('DocumentChange')) },
    {},
    "The data of a replay's `day`",
  ),
  ReplayEndMessage: object({ from: day, to: day, daysSent: count() }, {}, "The data of a replay's `end`"),
} satisfies Record<string, SchemaObject>;

export type ResponseSchemaName = keyof typeof SCHEMAS;
export const RESPONSE_SCHEMAS: Record<ResponseSchemaName, SchemaObject> = SCHEMAS;
