/** One bad field and why. */
export interface FieldProblem {
  readonly field: string;
  readonly reason: string;
}

/**
 * What kind of refusal an error is; the one exception filter turns each kind into its HTTP
 * status (`http/problem-details.ts`), so no service or controller picks a status itself.
 */
export type ApplicationErrorKind =
  | 'invalid' // the request itself is wrong (400)
  | 'unauthenticated' // no key, or an unknown one (401)
  | 'forbidden' // a key that may not do this (403)
  | 'not-found' // names something that does not exist (404)
  | 'conflict' // clashes with the state it would change (409)
  | 'limit' // past a per-client limit (429)
  | 'unavailable'; // this instance cannot answer now; retry (503)

/** A request the service refuses, with a stable `code` for clients and the fields at fault. */
export class ApplicationError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ApplicationErrorKind,
    message: string,
    readonly details: {
      readonly errors?: readonly FieldProblem[];
      /** How many bad fields were found, when `errors` holds only the first (see `parseReport`). */
      readonly errorCount?: number;
      /** Extra members of the problem document (e.g. the position reached). */
      readonly extensions?: Readonly<Record<string, unknown>>;
    } = {},
  ) {
    super(message);
    this.name = 'ApplicationError';
  }
}

export function invalidRequest(
  errors: readonly FieldProblem[],
  detail = 'The request has invalid fields',
  errorCount?: number,
): ApplicationError {
  return new ApplicationError('INVALID_REQUEST', 'invalid', detail, { errors, errorCount });
}

export function unknownBranch(id: string): ApplicationError {
  return new ApplicationError('UNKNOWN_BRANCH', 'not-found', `There is no branch "${id}"`, {
    errors: [{ field: 'branch', reason: 'unknown branch' }],
  });
}

/** A club or player no report mentions (in the history read). */
export function unknownEntity(kind: 'club' | 'player', id: string): ApplicationError {
  return new ApplicationError(`UNKNOWN_${kind.toUpperCase()}`, 'not-found', `No report mentions the ${kind} "${id}"`, {
    errors: [{ field: kind, reason: `unknown ${kind}` }],
  });
}

/** This instance's read models have not reached a position yet (another instance was ahead). */
export function readModelBehind(
  reached: number,
  target: string,
  extensions?: Readonly<Record<string, unknown>>,
): ApplicationError {
  return new ApplicationError(
    'READ_MODEL_BEHIND',
    'unavailable',
    `The read models have reached position ${reached}, not yet ${target}; retry shortly`,
    { extensions },
  );
}
