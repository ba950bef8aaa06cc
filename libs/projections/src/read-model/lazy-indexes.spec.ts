import fc from 'fast-check';
import type { ClaimType } from '@squad/domain';
import {
  applyEvent,
  clubTargetsIn,
  emptyReadModel,
  pursuitClubOf,
  reportById,
  type StoredSquadEvent,
} from '@squad/projections';
import { reportArb, storedEvents, type GeneratedReport } from '../testing/branch-arbitraries';

/** Every report's stored events, applied in store order. */
function modelOf(events: readonly StoredSquadEvent[]) {
  const model = emptyReadModel('ledger');
  for (const event of events) applyEvent(model, event);
  return model;
}

/**
 * The players each club pursued in each year, filed eagerly from the events as the routing
 * table declares (what `routes.spec.ts` pins down): the lazy index must answer the same.
 */
function expectedTargets(
  events: readonly (StoredSquadEvent & { data: Record<string, unknown> })[],
): Map<string, Set<string>> {
  const targets = new Map<string, Set<string>>();
  for (const { type, data } of events) {
    const club = pursuitClubOf({ type: type as ClaimType, data });
    if (typeof club !== 'string' || typeof data.player !== 'string') continue;
    const key = `${club} ${String(data.effectiveOn).slice(0, 4)}`;
    if (!targets.has(key)) targets.set(key, new Set());
    targets.get(key)!.add(data.player);
  }
  return targets;
}

describe('indexes filed on first read', () => {
  it('club targets answer the same whether read once at the end or between every event', () => {
    fc.assert(
      fc.property(fc.array(reportArb, { minLength: 1, maxLength: 12 }), (reports: GeneratedReport[]) => {
        const events = storedEvents(reports, 'ledger', 1, 'r');
        const expected = expectedTargets(events as never);
        const keys = [...expected.keys()];
        const readAtEnd = modelOf(events);
        const readThroughout = emptyReadModel('ledger');
        for (const event of events) {
          applyEvent(readThroughout, event);
          for (const key of keys) clubTargetsIn(readThroughout, key.split(' ')[0], Number(key.split(' ')[1]));
        }
        for (const [key, players] of expected) {
          const [club, year] = [key.split(' ')[0], Number(key.split(' ')[1])];
          expect([...(clubTargetsIn(readAtEnd, club, year) ?? [])].sort()).toEqual([...players].sort());
          expect([...(clubTargetsIn(readThroughout, club, year) ?? [])].sort()).toEqual([...players].sort());
        }
      }),
      { numRuns: 200 },
    );
  });

  it('finds every report by id, one shared object per report, also when its claims are not stored together', () => {
    const events = storedEvents(
      [
        {
          known: 1,
          claims: [
            { claim: { type: 'InterestDeclared', club: 'ajax', player: 'a' }, valid: 1 },
            { claim: { type: 'PlayerInjured', player: 'a' }, valid: 1 },
          ],
        },
        { known: 2, claims: [{ claim: { type: 'PlayerInjured', player: 'b' }, valid: 2 }] },
      ],
      'ledger',
      1,
      'r',
    );
    // r0's second claim arrives after r1's: not what the ledger writes, but the model must not split r0
    const model = modelOf([events[0], { ...events[2], position: 2n }, { ...events[1], position: 3n }]);
    const r0 = reportById(model, 'r0');
    expect(r0).toMatchObject({ reportId: 'r0', position: 1, claimCount: 2 });
    expect(reportById(model, 'r1')).toMatchObject({ reportId: 'r1', position: 2 });
    expect(reportById(model, 'r2')).toBeUndefined();
    expect([...model.reportsByDay.values()].flat().map((report) => report.reportId)).toEqual(['r0', 'r1']);
    const r0Facts = model.players.get('a')!.facts;
    expect(r0Facts.map((fact) => fact.reportId)).toEqual(['r0', 'r0']);
  });
});
