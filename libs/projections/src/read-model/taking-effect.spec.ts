import {
  applyEvent,
  BranchView,
  emptyReadModel,
  readView,
  squadDepth,
  type SquadReadModel,
  type StoredSquadEvent,
} from '@squad/projections';
import { day, FIRST_DAY, storedEvents, type GeneratedReport } from '../testing/branch-arbitraries';

const CANONICAL = 'ledger-main';
const BRANCH = 'ledger-branch-what-if';

const build = (model: SquadReadModel, events: readonly StoredSquadEvent[]) => {
  for (const event of events) applyEvent(model, event);
  return model;
};
const positions = (facts: readonly { position: number }[]) => facts.map((f) => f.position);

describe('facts taking effect after they became known', () => {
  const reports: GeneratedReport[] = [
    // 1: registered the day it is reported (not filed); 2: a transfer reported on day 2, effective on day 5
    {
      known: 1,
      claims: [{ claim: { type: 'PlayerRegistered', player: 'a', club: 'juventus', position: 'CB' }, valid: 1 }],
    },
    {
      known: 2,
      claims: [{ claim: { type: 'TransferCompleted', player: 'a', fromClub: 'juventus', toClub: 'ajax' }, valid: 5 }],
    },
    // 3: a loan from day 3 to day 7 (ends by itself on day 8); 4: a fact backdated (not filed)
    { known: 3, claims: [{ claim: { type: 'LoanDeparted', player: 'b', toClub: 'ajax', until: day(7) }, valid: 3 }] },
    { known: 6, claims: [{ claim: { type: 'PlayerInjured', player: 'b' }, valid: 4 }] },
    // 5: a loan reported after its end (its end is no news by then: not filed)
    { known: 9, claims: [{ claim: { type: 'LoanDeparted', player: 'c', toClub: 'ajax', until: day(8) }, valid: 2 }] },
  ];
  const events = storedEvents(reports, CANONICAL, 1, 'r');

  it('files them by the day they take effect, and only them; a redelivery files nothing twice', () => {
    const model = build(emptyReadModel(), events);
    expect([...model.takingEffect.keys()].sort()).toEqual([FIRST_DAY + 5, FIRST_DAY + 8]);
    expect(positions(model.takingEffect.get(FIRST_DAY + 5)!)).toEqual([2]);
    expect(positions(model.takingEffect.get(FIRST_DAY + 8)!)).toEqual([3]);
    build(model, events);
    expect(positions(readView(model).takingEffectOn(FIRST_DAY + 5))).toEqual([2]);
    expect(readView(model).takingEffectOn(FIRST_DAY + 6)).toEqual([]);
    // what the index points at: the squad changes that day, though nothing is reported on it
    expect(
      squadDepth(model, 'ajax', { asOf: day(5), knownAt: day(5), formation: '4-3-3' }).totals.registered,
    ).toBeGreaterThan(
      squadDepth(model, 'ajax', { asOf: day(4), knownAt: day(4), formation: '4-3-3' }).totals.registered,
    );
  });

  it("composes in a branch: canonical facts visible at the fork, then the branch's own, up to the position it is frozen at", () => {
    const canonical = build(emptyReadModel(), events);
    const own = emptyReadModel(BRANCH);
    const branchEvents = storedEvents(
      [
        {
          known: 2,
          claims: [{ claim: { type: 'LoanDeparted', player: 'd', toClub: 'juventus', until: day(4) }, valid: 2 }],
        },
        { known: 3, claims: [{ claim: { type: 'InterestDeclared', club: 'ajax', player: 'e' }, valid: 8 }] },
      ],
      BRANCH,
      100,
      'b',
    );
    build(own, branchEvents.slice(0, 1));
    const frozen = new BranchView(canonical, { position: 2 }, own, { ownPosition: 100 });
    build(own, branchEvents.slice(1));
    const live = new BranchView(canonical, { position: 2 }, own);
    expect(positions(live.takingEffectOn(FIRST_DAY + 5))).toEqual([2, 100]); // the canonical transfer, the branch's loan ending
    expect(positions(live.takingEffectOn(FIRST_DAY + 8))).toEqual([101]); // canonical 3 is after the fork
    expect(positions(frozen.takingEffectOn(FIRST_DAY + 8))).toEqual([]); // the branch's fact stored after it froze
    expect(positions(frozen.takingEffectOn(FIRST_DAY + 5))).toEqual([2, 100]);
    expect(
      positions(new BranchView(canonical, { position: 9, knownAt: FIRST_DAY + 2 }, own).takingEffectOn(FIRST_DAY + 8)),
    ).toEqual([101]); // canonical 3, learned on day 3
    expect(positions(new BranchView(canonical, { position: 9 }, own).takingEffectOn(FIRST_DAY + 8))).toEqual([3, 101]);
  });
});
