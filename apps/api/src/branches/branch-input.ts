import { isIsoDate, type ForkAt } from '@squad/domain';
import type { FieldProblem } from '../http/problem-details';

const MAX_NAME = 200;

/** `{ name, forkAt: { storePosition } | { knownAt } }` from an untrusted body, or the problems with it. */
export function parseCreateBranch(body: unknown): { name: string; forkAt: ForkAt } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { problems: [{ field: 'body', reason: 'the body must be a JSON object' }] };
  const { name, forkAt } = body as { name?: unknown; forkAt?: unknown };
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME) {
    problems.push({ field: 'name', reason: `name must be a non-empty string of at most ${MAX_NAME} characters` });
  }
  let fork: ForkAt | undefined;
  if (forkAt === null || typeof forkAt !== 'object' || Array.isArray(forkAt)) {
    problems.push({
      field: 'forkAt',
      reason:
        'forkAt must be { "storePosition": P } (a store position) or { "knownAt": "YYYY-MM-DD" } (a record-time day)',
    });
  } else {
    const keys = Object.keys(forkAt);
    const { storePosition, knownAt } = forkAt as { storePosition?: unknown; knownAt?: unknown };
    if (keys.length !== 1 || (!('storePosition' in forkAt) && !('knownAt' in forkAt))) {
      problems.push({ field: 'forkAt', reason: 'forkAt must have exactly one of storePosition or knownAt' });
    } else if ('storePosition' in forkAt) {
      if (typeof storePosition !== 'number' || !Number.isSafeInteger(storePosition) || storePosition < 0)
        problems.push({
          field: 'forkAt.storePosition',
          reason: 'forkAt.storePosition must be a whole number, 0 or more (a store position)',
        });
      else fork = { storePosition };
    } else if (!isIsoDate(knownAt)) {
      problems.push({ field: 'forkAt.knownAt', reason: 'forkAt.knownAt must be a calendar date written YYYY-MM-DD' });
    } else {
      fork = { knownAt };
    }
  }
  if (problems.length) return { problems };
  return { name: (name as string).trim(), forkAt: fork! };
}
