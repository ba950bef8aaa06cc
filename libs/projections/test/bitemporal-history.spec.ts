import fc from 'fast-check';
import { addFact, emptyHistory, factsAt, stateAt, type Fact } from '@squad/projections';

/** A toy entity whose state is the list of the facts applied, so any wrong order or filter shows. */
type Event = { id: number };
const evolve = (state: number[], event: Event) => [...state, event.id];
const initial = (): number[] => [];

describe('bitemporal history', () => {
  const fact = fc.record({ validFrom: fc.integer({ min: 0, max: 30 }), knownFrom: fc.integer({ min: 0, max: 30 }) });

  it('answers every (asOf, knownAt) like a naive fold of the facts valid and known then, whatever the arrival order', () => {
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 40 }), fc.integer({ min: -1, max: 31 }), fc.option(fc.integer({ min: -1, max: 31 }), { nil: undefined }), (raw, asOf, knownAt) => {
        const facts: Fact<Event>[] = raw.map((f, i) => ({ ...f, position: i + 1, event: { id: i + 1 } }));
        const history = emptyHistory<Event, number[]>();
        for (const f of facts) addFact(history, f, initial, evolve);

        const expected = facts
          .filter((f) => f.validFrom <= asOf && (knownAt === undefined || f.knownFrom <= knownAt))
          .sort((a, b) => a.validFrom - b.validFrom || a.knownFrom - b.knownFrom || a.position - b.position)
          .map((f) => f.event.id);
        expect(stateAt(history, asOf, knownAt, initial, evolve)).toEqual(expected);
        expect(factsAt(history, asOf, knownAt).map((f) => f.event.id)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
