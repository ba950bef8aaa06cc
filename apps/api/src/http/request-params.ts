import type { PipeTransform } from '@nestjs/common';
import { isIsoDate, isSlug, MAX_SLUG_LENGTH, type IsoDate, type Slug } from '@squad/domain';
import { invalidRequest, type FieldProblem } from '../errors/application-error';

/** Branch ids: a slug of the name and a random suffix, e.g. `balerdi-signs-3f9a2c1d5e8b0a47`. */
export const BRANCH_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_BRANCH_ID_LENGTH = 80;

export const MIN_SEARCH_LENGTH = 2;
export const MAX_SEARCH_LENGTH = 100;

/** A store position on the wire: whole, and exact as a JavaScript number. */
const POSITION = /^\d{1,15}$/;

/**
 * The checks of the request parameters every endpoint shares (slugs, dates, branch ids, store
 * positions), each with its one message. A request collects the problems of all its parameters,
 * then `done()` refuses it with every bad field named at once.
 */
export class RequestParams {
  private readonly problems: FieldProblem[] = [];

  /** Records a problem of the endpoint's own. */
  add(field: string, reason: string): void {
    this.problems.push({ field, reason });
  }

  slug(value: string, field: string): Slug {
    if (!isSlug(value)) {
      this.add(field, `${field} must be a lower-case slug such as "juventus", at most ${MAX_SLUG_LENGTH} characters`);
    }
    return value;
  }

  date(value: string | undefined, field: string): IsoDate | undefined {
    if (value !== undefined && !isIsoDate(value)) {
      this.add(field, `${field} must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  branch(value: string | undefined, field = 'branch'): string | undefined {
    if (value !== undefined && !isBranchId(value)) {
      this.add(field, `${field} must be a branch id (a lower-case slug such as "balerdi-signs-3f9a2c1d5e8b0a47")`);
    }
    return value;
  }

  /** A store position (`minPosition`, `Last-Event-ID`); absent: none. */
  position(value: string | undefined, field: string): number | undefined {
    if (value === undefined) return undefined;
    if (!POSITION.test(value)) {
      this.add(field, `${field} must be a store position (a whole number), got ${JSON.stringify(value.slice(0, 40))}`);
      return undefined;
    }
    return Number(value);
  }

  /** A whole number from `min` to `max`, `fallback` when absent. */
  wholeNumber(raw: string | undefined, field: string, range: { min: number; max: number; fallback: number }): number {
    if (raw === undefined) return range.fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
      this.add(field, `${field} must be a whole number from ${range.min} to ${range.max}, got ${JSON.stringify(raw)}`);
    }
    return value;
  }

  /** Search text: 2 to 100 characters with at least one letter or digit (a picker's first keys are not a query). */
  searchText(value: string | undefined, field: string): string | undefined {
    if (value === undefined) return undefined;
    const text = value.trim();
    if (text.length < MIN_SEARCH_LENGTH || text.length > MAX_SEARCH_LENGTH || !/[\p{L}\p{N}]/u.test(text)) {
      this.add(
        field,
        `${field} must be ${MIN_SEARCH_LENGTH} to ${MAX_SEARCH_LENGTH} characters with a letter or a digit, got ${JSON.stringify(value.slice(0, 40))}`,
      );
    }
    return text;
  }

  /** Refuses the request with every problem found, if any. */
  done(detail?: string): void {
    if (this.problems.length > 0) throw invalidRequest(this.problems, detail);
  }
}

export const isBranchId = (value: string): boolean => value.length <= MAX_BRANCH_ID_LENGTH && BRANCH_ID.test(value);

/** `@Param('id', new BranchIdPipe('id'))`: a path parameter that must be a branch id (else 400). */
export class BranchIdPipe implements PipeTransform<string, string> {
  constructor(private readonly field = 'branch') {}

  transform(value: string): string {
    const params = new RequestParams();
    params.branch(value, this.field);
    params.done();
    return value;
  }
}
