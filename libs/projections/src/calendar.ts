import type { IsoDate } from '@squad/domain';

/** Calendar days as integers (days since 1970-01-01), so time travel compares numbers. */
export type Day = number;

const MS_PER_DAY = 86_400_000;

export function toDay(date: IsoDate): Day {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

export function fromDay(day: Day): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function today(now: Date = new Date()): IsoDate {
  return now.toISOString().slice(0, 10);
}
