import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EventStoreError, InvalidAppendError, WrongExpectedRevisionError } from '@squad/event-store';
import { DomainError } from '@squad/domain';
import { ReportRejectedError } from '@squad/reports';
import { ApplicationError, type ApplicationErrorKind, type FieldProblem } from '../errors/application-error';

export { invalidRequest, type FieldProblem } from '../errors/application-error';

/** What a problem says; `extensions` become extra top-level members. */
export interface ProblemFields {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly title?: string;
  readonly errors?: readonly FieldProblem[];
  /** How many bad fields there were, when `errors` lists only the first. */
  readonly errorCount?: number;
  readonly extensions?: Record<string, unknown>;
}

/** An RFC 9457 problem-details body, with a stable `code` and the bad fields. */
export type ProblemDetails = Omit<ProblemFields, 'extensions' | 'title'> & {
  readonly type: string;
  readonly title: string;
} & Record<string, unknown>;

/** The status of each kind of application error: the one place a refusal gets its status. */
const STATUS_OF: Record<ApplicationErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  limit: 429,
  unavailable: 503,
};

export const PROBLEM_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Bad fields listed in one problem at most. A report of 200 claims, each wrong in several ways,
 * would otherwise answer with a thousand entries (and a batch of a thousand such reports with
 * tens of MiB): the first ones are listed, and `errorCount` says how many there were.
 */
export const MAX_LISTED_PROBLEMS = 20;

function listed(
  errors: readonly FieldProblem[] | undefined,
  found = errors?.length ?? 0,
): {
  errors?: readonly FieldProblem[];
  errorCount?: number;
} {
  if (errors === undefined) return {};
  const count = Math.max(found, errors.length);
  if (count <= MAX_LISTED_PROBLEMS && count === errors.length) return { errors };
  return { errors: errors.slice(0, MAX_LISTED_PROBLEMS), errorCount: count };
}

/** Maps every error to problem details; the one place where errors become HTTP. */
export function toProblem(error: unknown): ProblemDetails {
  const make = ({ extensions, title, errors, errorCount, ...fields }: ProblemFields): ProblemDetails => ({
    type: 'about:blank',
    title: title ?? PROBLEM_TITLES[fields.status] ?? 'Error',
    ...fields,
    ...listed(errors, errorCount),
    ...extensions,
  });
  if (error instanceof ApplicationError) {
    const { errors, errorCount, extensions } = error.details;
    return make({
      status: STATUS_OF[error.kind],
      code: error.code,
      detail: error.message,
      ...(errors ? { errors, errorCount } : {}),
      extensions,
    });
  }
  if (error instanceof ReportRejectedError) {
    const { domainError, versionConflict } = error;
    return make({
      status: domainError.kind === 'conflict' ? 409 : 422,
      code: domainError.code,
      detail: domainError.message,
      ...(domainError.field ? { errors: [{ field: domainError.field, reason: domainError.message }] } : {}),
      ...(versionConflict ? { extensions: { versionConflict: conflictView(versionConflict) } } : {}),
    });
  }
  if (error instanceof DomainError) {
    // a command refused outright (branches): the request is wrong, clashes, or names nothing
    return make({
      status: error.kind === 'not-found' ? 404 : error.kind === 'conflict' ? 409 : 400,
      code: error.code,
      detail: error.message,
      ...(error.field ? { errors: [{ field: error.field, reason: error.message }] } : {}),
    });
  }
  if (error instanceof WrongExpectedRevisionError) {
    return make({ status: 409, code: error.code, detail: error.message, extensions: conflictView(error) });
  }
  if (error instanceof InvalidAppendError) {
    return make({
      status: error.reason === 'EVENT_TOO_LARGE' ? 413 : 400,
      code: error.reason,
      detail: error.message,
      errors: [{ field: error.field, reason: error.message }],
    });
  }
  if (error instanceof EventStoreError && error.code === 'EVENT_STORE_UNAVAILABLE') {
    return make({ status: 503, code: error.code, detail: error.message });
  }
  // Nest wraps Fastify's own 4xx errors (body too large, malformed JSON, wrong content type)
  if (error instanceof HttpException && isFastifyError(error.cause)) return toProblem(error.cause);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Nest reports an unparsable body as a plain 400
    return make({
      status,
      code: `HTTP_${status}`,
      detail: error.message,
      ...(status === 400 ? { errors: [{ field: 'body', reason: error.message }] } : {}),
    });
  }
  // Fastify's own errors (body too large, malformed JSON, wrong content type) carry a status
  const fastify = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const code = typeof fastify.code === 'string' ? fastify.code : `HTTP_${fastify.statusCode}`;
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedMediaType();
    return make({
      status: fastify.statusCode,
      code: FRAMEWORK_CODES[code] ?? code,
      detail: String(fastify.message),
      ...(fastify.statusCode === 400 ? { errors: [{ field: 'body', reason: String(fastify.message) }] } : {}),
    });
  }
  return make({
    status: 500,
    code: 'INTERNAL_ERROR',
    detail: 'The server failed to handle the request; it has been logged',
  });
}

/** The one body type the API takes (see `acceptOnlyJsonBodies`). */
export const ACCEPTED_CONTENT_TYPES = ['application/json'] as const;

function unsupportedMediaType(): ProblemDetails {
  return {
    type: 'about:blank',
    title: PROBLEM_TITLES[415],
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'The request body must be JSON in UTF-8: send it with Content-Type: application/json',
    acceptedContentTypes: [...ACCEPTED_CONTENT_TYPES],
  };
}

/** Our stable codes for the body errors Fastify raises before a request reaches a controller. */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
};

function isFastifyError(error: unknown): error is Error & { statusCode: number } {
  return (
    error instanceof Error &&
    error.name === 'FastifyError' &&
    typeof (error as { statusCode?: unknown }).statusCode === 'number'
  );
}

function conflictView(error: WrongExpectedRevisionError) {
  const asJson = (value: bigint | string) => (typeof value === 'bigint' ? Number(value) : value);
  return { stream: error.stream, expectedRevision: asJson(error.expected), actualRevision: asJson(error.actual) };
}

export function sendProblem(reply: FastifyReply, problem: ProblemDetails): void {
  void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const problem = toProblem(error);
    if (problem.status >= 500) this.logger.error(error instanceof Error ? error : String(error));
    sendProblem(host.switchToHttp().getResponse<FastifyReply>(), problem);
  }
}
