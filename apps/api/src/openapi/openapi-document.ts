import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  ResponsesObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { CLAIM_TYPES, MAX_SLUG_LENGTH, SLUG } from '@squad/domain';
import { FORMATIONS } from '@squad/projections';
import { CLAIM_DTOS, DateWindowDto, ReportDto, SourceDto } from '@squad/reports';
import { ACCEPTED_CONTENT_TYPES, PROBLEM_TITLES } from '../http/problem-details';
import { BRANCH_ID, MAX_BRANCH_ID_LENGTH } from '../http/request-params';
import { ANSWERS_EXTENSION, type Answer, type AnswersSpec } from './answers';
import { API_VERSION } from './api-version';
import RESPONSE_EXAMPLES from './response-examples.json';
import { ref, RESPONSE_SCHEMAS, type ResponseSchemaName } from './response-schemas';

/**
 * The OpenAPI document of the API (`/docs`, `/docs-json`, and `libs/client/openapi.json` the
 * typed client is generated from). Nest's scanner gives the paths, parameters and request DTOs;
 * this completes what it cannot know: every answer of every operation (`@Answers`), the
 * response schemas, claims as a union discriminated by `type`, and parameter schemas.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Squad Planner')
    .setDescription(
      'Transfer-news reports in; squad depth, targets and outgoing candidates out, in two clocks (valid time `asOf`, record time `knownAt`). ' +
        'A store position (where an event sits in the global order) is always named `storePosition` (or `minPosition`, `headPosition`...); `position` is always a football position. ' +
        'Without API_KEYS configured (local development) no key is needed. Changes between versions: CHANGELOG.md.',
    )
    .setVersion(API_VERSION)
    .addServer('/', 'The service that serves this document')
    .setLicense('UNLICENSED', 'https://github.com/emordonez/transfermarkt-transfers')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'An API key (an opaque string): one of API_KEYS, or READ_API_KEYS for reads',
      },
      'bearer',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'query',
        name: 'access_token',
        description: 'A read key in the URL, for EventSource (reads only)',
      },
      'accessToken',
    )
    .addCookieAuth(
      'squad_api_key',
      { type: 'apiKey', in: 'cookie', description: 'A read key in a cookie (reads only)' },
      'cookie',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  return completeDocument(document);
}

/** Query parameters every endpoint takes besides its own: the read key for EventSource clients. */
export const QUERY_TOKEN_PARAMETER = 'access_token';

function completeDocument(document: OpenAPIObject): OpenAPIObject {
  // Nest says JWT; the keys are opaque strings
  const bearer = document.components?.securitySchemes?.bearer;
  if (bearer && 'bearerFormat' in bearer) delete bearer.bearerFormat;
  const schemas = requestSchemas(document.components?.schemas ?? {});
  document.components = {
    ...document.components,
    schemas: { ...schemas, ...RESPONSE_SCHEMAS },
    // each refusal is declared once and referenced by the operations that can give it
    responses: Object.fromEntries(
      Object.keys(PROBLEM_OF).map((status) => [problemName(Number(status)), problemResponse(Number(status))]),
    ),
  };
  renameRefs(document.paths, RENAMED);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (operation) completeOperation(method, path, operation);
    }
  }
  return document;
}

/** Nest names components after classes; the document names them after what they are. */
const RENAMED: Record<string, string> = {
  ReportDto: 'Report',
  SourceDto: 'Source',
  DateWindowDto: 'DateWindow',
  ...Object.fromEntries(Object.entries(CLAIM_DTOS).map(([type, dto]) => [dto.name, type])),
};

/** The request DTOs' schemas: each claim typed by its own `type`, the union of them discriminated by it, nothing unknown. */
function requestSchemas(generated: Record<string, SchemaObject | ReferenceObject>): Record<string, SchemaObject> {
  const out: Record<string, SchemaObject> = {};
  for (const [type, dto] of Object.entries(CLAIM_DTOS)) {
    const schema = generated[dto.name] as SchemaObject;
    out[type] = closed({
      ...schema,
      description: `A ${type} claim`,
      properties: { ...schema.properties, type: { type: 'string', enum: [type] } },
    });
  }
  out.Claim = {
    description: 'One claim of a report: its `type` says which, and which fields it has',
    oneOf: CLAIM_TYPES.map((type) => ref(type)),
    discriminator: {
      propertyName: 'type',
      mapping: Object.fromEntries(CLAIM_TYPES.map((type) => [type, `#/components/schemas/${type}`])),
    },
  };
  const report = generated[ReportDto.name] as SchemaObject;
  out.Report = closed({
    ...report,
    properties: {
      ...report.properties,
      source: ref('Source'),
      claims: { ...(report.properties?.claims as SchemaObject), items: ref('Claim') },
    },
  });
  out.DateWindow = closed(generated[DateWindowDto.name] as SchemaObject);
  delete generated[DateWindowDto.name];
  delete generated[SourceDto.name]; // the same shape as the answers' Source
  renameRefs(out, RENAMED);
  return out;
}

const closed = (schema: SchemaObject): SchemaObject => ({ ...schema, additionalProperties: false });

function renameRefs(node: unknown, names: Record<string, string>): void {
  if (Array.isArray(node)) {
    for (const item of node) renameRefs(item, names);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === 'string') {
      const name = record.$ref.replace('#/components/schemas/', '');
      if (Object.hasOwn(names, name)) record.$ref = `#/components/schemas/${names[name]}`;
    }
    for (const value of Object.values(record)) renameRefs(value, names);
  }
}

/** The schema of each query parameter, by name (Nest leaves them empty). */
const PARAMETER_SCHEMAS: Record<string, SchemaObject> = {
  asOf: { type: 'string', format: 'date', example: '2025-07-01' },
  knownAt: { type: 'string', format: 'date', example: '2025-07-01' },
  minPosition: { type: 'integer', minimum: 0, example: 33 },
  branch: { type: 'string', pattern: BRANCH_ID.source, maxLength: MAX_BRANCH_ID_LENGTH },
  id: { type: 'string' },
  club: { type: 'string', pattern: SLUG.source, maxLength: MAX_SLUG_LENGTH },
  player: { type: 'string', pattern: SLUG.source, maxLength: MAX_SLUG_LENGTH },
  formation: { type: 'string', enum: Object.keys(FORMATIONS) },
  after: { type: 'integer', minimum: 0 },
  limit: { type: 'integer', minimum: 1 },
  lastEventId: { type: 'string' },
  'Last-Event-ID': { type: 'string' },
};

/** The refusals, as shared `components.responses` named after their status (`BadRequest`, `NotFound`...). */
const PROBLEM_OF: Record<number, { name: string; description: string; code: string; detail: string }> = {
  400: {
    name: 'BadRequest',
    description: 'Invalid request: problem details naming every bad field (unknown query parameters included)',
    code: 'INVALID_REQUEST',
    detail: 'The request has invalid fields',
  },
  401: {
    name: 'Unauthorized',
    description: 'No API key, or an unknown one',
    code: 'API_KEY_REQUIRED',
    detail: 'This request needs an API key',
  },
  403: {
    name: 'Forbidden',
    description: 'A read-only key tried to write',
    code: 'API_KEY_READ_ONLY',
    detail: 'A read key cannot write',
  },
  404: {
    name: 'NotFound',
    description: 'No such resource',
    code: 'UNKNOWN_ENTITY',
    detail: 'There is no club "nowhere-fc"',
  },
  409: {
    name: 'Conflict',
    description:
      'The report id holds other content, or the report breaks an invariant such as PLAYER_NOT_AT_CLUB (recorded nothing)',
    code: 'REPORT_ID_CONFLICT',
    detail:
      'Report "tuttojuve-2025-06-17-balerdi" is already recorded with different content; use a new reportId for a new report',
  },
  413: {
    name: 'PayloadTooLarge',
    description: 'The body is over BODY_LIMIT_BYTES',
    code: 'BODY_TOO_LARGE',
    detail: 'Request body is too large',
  },
  415: {
    name: 'UnsupportedMediaType',
    description: 'The body is not application/json',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'The request body must be JSON in UTF-8: send it with Content-Type: application/json',
  },
  422: {
    name: 'UnprocessableContent',
    description: 'A claim that contradicts itself, such as the same club on both sides (recorded nothing)',
    code: 'SAME_CLUB_ON_BOTH_SIDES',
    detail: 'TransferCompleted names juventus on both sides',
  },
  429: {
    name: 'TooManyRequests',
    description: 'A limit was reached: writes per minute, live streams or replays per client',
    code: 'WRITE_RATE_LIMITED',
    detail: 'Too many writes: retry after the Retry-After header',
  },
  503: {
    name: 'ServiceUnavailable',
    description: 'The event store is unreachable, or the read models have not reached minPosition yet',
    code: 'EVENT_STORE_UNAVAILABLE',
    detail: 'The event store is unavailable',
  },
};

const problemName = (status: number): string => PROBLEM_OF[status].name;

function problemResponse(status: number): ResponseObject {
  const { description, code, detail } = PROBLEM_OF[status];
  const example: Record<string, unknown> = { type: 'about:blank', title: PROBLEM_TITLES[status], status, code, detail };
  if (status === 400)
    example.errors = [{ field: 'asOf', reason: 'asOf must be a calendar date written YYYY-MM-DD, got "2025-13-01"' }];
  if (status === 415) example.acceptedContentTypes = [...ACCEPTED_CONTENT_TYPES];
  return { description, content: { 'application/problem+json': { schema: ref('Problem'), example } } };
}

function answerResponse(answer: Answer, stream: string | undefined): ResponseObject {
  if (stream !== undefined && answer.status === 200) {
    return {
      description: `${answer.description}. ${stream}`,
      content: {
        'text/event-stream': {
          schema: { type: 'string', description: 'Server-Sent Events' },
          example: 'id: 34\nevent: update\ndata: {"storePosition":34,"changes":[]}\n\n',
        },
      },
    };
  }
  if (answer.schema === undefined) return { description: answer.description };
  const examples = RESPONSE_EXAMPLES as Partial<Record<ResponseSchemaName, unknown>>;
  return {
    description: answer.description,
    content: { 'application/json': { schema: ref(answer.schema), example: examples[answer.schema] } },
  };
}

function completeOperation(method: string, path: string, operation: OperationObject): void {
  const extended = operation as OperationObject & Record<string, unknown>;
  const spec = extended[ANSWERS_EXTENSION] as AnswersSpec | undefined;
  if (!spec) throw new Error(`${method.toUpperCase()} ${path} declares no @Answers: document every answer it gives`);
  delete extended[ANSWERS_EXTENSION];

  const access = spec.access ?? (method === 'get' ? 'read' : 'write');
  const problems = new Set<number>([400, ...(spec.problems ?? [])]);
  if (access !== 'public') problems.add(401).add(503);
  if (access === 'write') problems.add(403).add(429);
  if (spec.stream !== undefined) problems.add(429);
  // a body can come with any write, even one that takes none: it is refused before the handler
  if (method !== 'get') problems.add(413).add(415);
  for (const answer of spec.answers) problems.delete(answer.status);

  const responses: ResponsesObject = {};
  for (const answer of spec.answers) responses[answer.status] = answerResponse(answer, spec.stream);
  for (const status of [...problems].sort())
    responses[status] = { $ref: `#/components/responses/${problemName(status)}` };
  operation.responses = responses;
  operation.security =
    access === 'public'
      ? []
      : access === 'write'
        ? [{ bearer: [] }]
        : [{ bearer: [] }, { accessToken: [] }, { cookie: [] }];
  // Nest's ids are class and method (ReadModelsController_squadDepth): a client names its calls by them, so readModelsSquadDepth
  if (operation.operationId) {
    const [controller, handler] = operation.operationId.split('_');
    const prefix = controller.replace(/Controller$/, '');
    operation.operationId = `${prefix[0].toLowerCase()}${prefix.slice(1)}${handler[0].toUpperCase()}${handler.slice(1)}`;
  }

  for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
    const schema = parameter.schema as SchemaObject | undefined;
    if (!schema || Object.keys(schema).length === 0 || (schema.type === 'string' && !schema.pattern && !schema.enum))
      parameter.schema = PARAMETER_SCHEMAS[parameter.name] ?? { type: 'string' };
  }
}

/** The query parameters each operation takes, by method and path as the document writes them. */
export function declaredQueryParameters(document: OpenAPIObject): Map<string, Set<string>> {
  const declared = new Map<string, Set<string>>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const parameters = (item[method]?.parameters ?? []) as ParameterObject[];
      if (!item[method]) continue;
      declared.set(
        `${method.toUpperCase()} ${path}`,
        new Set([QUERY_TOKEN_PARAMETER, ...parameters.filter((p) => p.in === 'query').map((p) => p.name)]),
      );
    }
  }
  return declared;
}
