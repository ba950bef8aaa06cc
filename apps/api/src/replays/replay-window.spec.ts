import fc from 'fast-check';
import { fromDay, toDay, type ReadView } from '@squad/projections';
import { ReplayTurns } from './replay-turns';
import { ReplayWindow } from './replay-window';

describe(ReplayWindow.name, () => {
  /** A view whose days with news are `reports` (published that day) and `effects` (taking effect, known from a day). */
  const viewOf = (reports: ReadonlyMap<number, number>, effects: ReadonlyMap<number, number>) =>
    ({
      reportsPublishedOn: (day: number) => Array(reports.get(day) ?? 0).fill({}),
      takingEffectOn: (day: number) => (effects.has(day) ? [{ knownFrom: effects.get(day) }] : []),
    }) as unknown as ReadView;

  it('finds the next day with news as a walk over the days would, whatever the window (across words, before 1970, a century)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: toDay('1926-01-01'), max: toDay('2025-01-01') }),
        fc.integer({ min: 1, max: 36_600 }),
        fc.array(fc.tuple(fc.nat(36_600), fc.integer({ min: 1, max: 3 }))),
        fc.array(fc.tuple(fc.nat(36_600), fc.integer({ min: -5, max: 5 }))),
        fc.array(fc.nat(36_700), { minLength: 1, maxLength: 50 }),
        fc.boolean(),
        async (first, days, reportDays, effectDays, asked, inTurns) => {
          const reports = new Map(reportDays.map(([offset, count]) => [first + offset, count]));
          // a fact taking effect counts only if it was known by then
          const effects = new Map(effectDays.map(([offset, known]) => [first + offset, first + offset + known]));
          const last = first + days - 1;
          const window = new ReplayWindow(viewOf(reports, effects), undefined as never, {
            from: fromDay(first),
            to: fromDay(last),
            formation: '4-3-3',
          });
          if (inTurns) await window.index(new ReplayTurns(0)); // a turn every stretch of days
          const walk = (day: number) => {
            for (let d = Math.max(day, first); d <= last; d++)
              if ((reports.get(d) ?? 0) > 0 || (effects.has(d) && effects.get(d)! <= d)) return d;
            return undefined;
          };
          for (const offset of asked)
            expect(window.nextDayWithNews(first - 50 + offset)).toBe(walk(first - 50 + offset));
          let expected = 0;
          for (let d = first; d <= last; d++) expected += reports.get(d) ?? 0;
          expect(window.reportCount()).toBe(expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});
