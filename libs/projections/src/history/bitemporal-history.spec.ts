import fc from 'fast-check';
import { addFact, emptyHistory, factsAt, stateAt, type Fact } from '@squad/projections';

/** A toy entity whose state is the list of the facts applied, so any wrong order or filter shows. */
type Event = Fact & { id: number };
const evolve = (state: number[], event: Event) => [...state, event.id];
const initial = (): number[] => [];

describe('bitemporal history', () => {
  const fact = fc.record({ validFrom: fc.integer({ min: 0, max: 30 }), knownFrom: fc.integer({ min: 0, max: 30 }) });

  it('answers every (asOf, knownAt) like a naive fold of the facts valid and known then, whatever the arrival order', () => {
    fc.assert(
      fc.property(
        fc.array(fact, { maxLength: 80, size: 'max' }),
        fc.integer({ min: -1, max: 31 }),
        fc.option(fc.integer({ min: -1, max: 31 }), { nil: undefined }),
        (raw, asOf, knownAt) => {
          const facts: Event[] = raw.map((f, i) => ({ ...f, position: i + 1, id: i + 1 }));
          const history = emptyHistory<Event, number[]>();
          for (const f of facts) addFact(history, f);

          const expected = facts
            .filter((f) => f.validFrom <= asOf && (knownAt === undefined || f.knownFrom <= knownAt))
            .sort((a, b) => a.validFrom - b.validFrom || a.knownFrom - b.knownFrom || a.position - b.position)
            .map((f) => f.id);
          expect(stateAt(history, asOf, knownAt, initial, evolve)).toEqual(expected);
          expect(factsAt(history, asOf, knownAt).map((f) => f.id)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('answers the same when reads (which build checkpoints) come between facts arriving out of order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fact, fc.integer({ min: -1, max: 31 })), { minLength: 1, maxLength: 80, size: 'max' }),
        (steps) => {
          const history = emptyHistory<Event, number[]>();
          const filed: Event[] = [];
          steps.forEach(([f, readAsOf], i) => {
            const event = { ...f, position: i + 1, id: i + 1 };
            addFact(history, event);
            filed.push(event);
            // a read here builds checkpoints that the next out-of-order fact must invalidate
            const expected = filed
              .filter((e) => e.validFrom <= readAsOf)
              .sort((a, b) => a.validFrom - b.validFrom || a.knownFrom - b.knownFrom || a.position - b.position)
              .map((e) => e.id);
            expect(stateAt(history, readAsOf, undefined, initial, evolve)).toEqual(expected);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers "as of D, known at K" from the checkpoints (built by earlier reads) like a naive fold, facts arriving in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fact, fc.integer({ min: -1, max: 31 }), fc.integer({ min: -1, max: 31 })), {
          minLength: 1,
          maxLength: 120,
          size: 'max',
        }),
        (steps) => {
          const history = emptyHistory<Event, number[]>();
          const filed: Event[] = [];
          steps.forEach(([f, asOf, knownAt], i) => {
            const event = { ...f, position: i + 1, id: i + 1 };
            addFact(history, event);
            filed.push(event);
            const expected = filed
              .filter((e) => e.validFrom <= asOf && e.knownFrom <= knownAt)
              .sort((a, b) => a.validFrom - b.validFrom || a.knownFrom - b.knownFrom || a.position - b.position)
              .map((e) => e.id);
            expect(stateAt(history, asOf, knownAt, initial, evolve)).toEqual(expected);
            // and a read with everything known builds checkpoints the next question starts from
            stateAt(history, 31, undefined, initial, evolve);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
