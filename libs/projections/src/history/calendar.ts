import type { IsoDate } from '@squad/domain';

/** Calendar days as integers (days since 1970-01-01), so time travel compares numbers. */
export type Day = number;

const MS_PER_DAY = 86_400_000;

const dayCache = new Map<string, Day>();

// consecutive events mostly share their dates
let lastDate = '';
let lastDay: Day = 0;

export function toDay(date: IsoDate): Day {
  if (date === lastDate) return lastDay;
  let day = dayCache.get(date);
  if (day === undefined) {
    day = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
    // the quotient is a double: as a small integer instead, a day is kept in the field itself.
    // (A field that ever holds a double holds each value in a number object of its own: two per
    // event for `validFrom` and `knownFrom`, a tenth of a rebuilt model's heap.) NaN stays NaN.
    if ((day | 0) === day) day |= 0;
    if (dayCache.size < 100_000) dayCache.set(date, day); // a few centuries of days at most
  }
  lastDate = date;
  lastDay = day;
  return day;
}

export function fromDay(day: Day): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function today(now: Date = new Date()): IsoDate {
  return now.toISOString().slice(0, 10);
}

/** The year of a YYYY-MM-DD date, from its digits (no substring: this runs once per pursuit fact in a rebuild). */
export const yearOf = (date: IsoDate): number =>
  (date.charCodeAt(0) - 48) * 1000 +
  (date.charCodeAt(1) - 48) * 100 +
  (date.charCodeAt(2) - 48) * 10 +
  (date.charCodeAt(3) - 48);
