import type { IsoDate } from '@squad/domain';
import { toDay, type Day } from '../history/calendar';

/** The two clocks of a question: the world on `asOf`, as known on `knownAt` (undefined: now). */
export interface TimeQuery {
  readonly asOf: IsoDate;
  readonly knownAt?: IsoDate;
}

/** A `TimeQuery` in days, as the histories compare them. */
export interface Clocks {
  readonly asOf: Day;
  readonly knownAt: Day | undefined;
  readonly asOfDate: IsoDate;
}

export const clocksOf = (q: TimeQuery): Clocks => ({
  asOf: toDay(q.asOf),
  knownAt: q.knownAt ? toDay(q.knownAt) : undefined,
  asOfDate: q.asOf,
});
