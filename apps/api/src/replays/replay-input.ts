import { isIsoDate, isSlug, type IsoDate, type Slug } from '@squad/domain';
import { FORMATIONS, toDay } from '@squad/projections';
import type { FieldProblem } from '../errors/application-error';
import { isBranchId } from '../http/request-params';
import type { ReplaySpeed } from './replay-session';

/** At most this many days per second at a finite speed (beyond, use "max"). */
export const MAX_DAYS_PER_SECOND = 10_000;
const MAX_WINDOW_DAYS = 100 * 366;
/**
 * Clubs one replay follows at most: at a finite speed every calendar day computes the documents
 * of each (three per club), so the cap bounds a replay's work per simulated day and the size of
 * its messages (the event loop is shared whatever the width: see `ReplayTurns`).
 */
export const MAX_CLUBS_PER_REPLAY = 50;

export interface ReplayRequest {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly speed: ReplaySpeed;
  readonly clubs?: Slug[];
  readonly branch?: string;
  readonly formation?: string;
}

/** `speed`: days per second (a number, or a numeric string from a query), "max" or "step". */
export function parseSpeed(value: unknown, problems: FieldProblem[], field = 'speed'): ReplaySpeed | undefined {
  if (value === undefined) return undefined;
  if (value === 'max' || value === 'step') return value;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number === 'number' && Number.isFinite(number) && number > 0 && number <= MAX_DAYS_PER_SECOND)
    return number;
  problems.push({
    field,
    reason: `${field} must be simulated days per second (more than 0, at most ${MAX_DAYS_PER_SECOND}), "max" or "step"`,
  });
  return undefined;
}

/** One club slug or a list of them (a query may repeat `club` or separate them with commas). */
export function parseClubs(value: unknown, problems: FieldProblem[], field = 'club'): Slug[] | undefined {
  if (value === undefined) return undefined;
  const list: unknown[] = (Array.isArray(value) ? (value as unknown[]) : [value]).flatMap((v) =>
    typeof v === 'string' ? v.split(',') : [v],
  );
  if (list.length > MAX_CLUBS_PER_REPLAY) {
    problems.push({
      field,
      reason: `${field} lists ${list.length} clubs; a replay follows at most ${MAX_CLUBS_PER_REPLAY}`,
    });
    return undefined;
  }
  if (list.length === 0 || !list.every((club) => isSlug(club))) {
    problems.push({
      field,
      reason: `${field} must be one club slug or a list of at most ${MAX_CLUBS_PER_REPLAY}, such as "juventus"`,
    });
    return undefined;
  }
  return [...new Set(list)].sort();
}

export function parseReplayRequest(body: unknown): ReplayRequest | { problems: FieldProblem[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { problems: [{ field: 'body', reason: 'the body must be a JSON object' }] };
  const input = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const field of ['from', 'to'] as const) {
    if (!isIsoDate(input[field]))
      problems.push({ field, reason: `${field} must be a calendar date written YYYY-MM-DD` });
  }
  if (!problems.length) {
    const days = toDay(input.to as string) - toDay(input.from as string) + 1;
    if (days < 1) problems.push({ field: 'to', reason: 'to must be on or after from' });
    else if (days > MAX_WINDOW_DAYS)
      problems.push({ field: 'to', reason: `a window spans at most ${MAX_WINDOW_DAYS} days` });
  }
  const speed = parseSpeed(input.speed, problems) ?? 'max';
  const clubs = parseClubs(input.club ?? input.clubs, problems, input.club !== undefined ? 'club' : 'clubs');
  if (input.branch !== undefined && (typeof input.branch !== 'string' || !isBranchId(input.branch))) {
    problems.push({
      field: 'branch',
      reason: 'branch must be a branch id (a lower-case slug such as "balerdi-signs-3f9a2c1d")',
    });
  }
  if (
    input.formation !== undefined &&
    !(typeof input.formation === 'string' && Object.hasOwn(FORMATIONS, input.formation))
  ) {
    problems.push({ field: 'formation', reason: `formation must be one of ${Object.keys(FORMATIONS).join(', ')}` });
  }
  if (problems.length) return { problems };
  return {
    from: input.from as IsoDate,
    to: input.to as IsoDate,
    speed,
    ...(clubs ? { clubs } : {}),
    ...(input.branch !== undefined ? { branch: input.branch as string } : {}),
    ...(input.formation !== undefined ? { formation: input.formation as string } : {}),
  };
}
